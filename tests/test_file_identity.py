"""``--fix`` keeps a file's identity, and a file it cannot write is an error finding.

The suite runs as root in CI, where permission bits stop nothing; so the CLI runs here
as an unprivileged user (uid and gid 65534, ``nobody``, whether or not the system names
it) in a real subprocess, on files in a directory of its own made readable to that
user. Run by a user who is not root, the CLI runs as that user: unprivileged already.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

UNPRIVILEGED = 65534
WARM_UP = Path(__file__).resolve().parent.parent / "examples" / "clean-report.md"
# A report with two safe fixes (full-width punctuation in Chinese prose).
REPORT = "## 标题\n\n中文,英文.\n"
FIXED = "## 标题\n\n中文，英文。\n"
AS_ROOT = os.geteuid() == 0


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A directory the unprivileged user can reach (pytest's tmp_path is private to
    root), with an empty config so that none above it applies."""
    directory = Path(tempfile.mkdtemp(prefix="digestlint-identity-"))
    directory.chmod(0o755)
    (directory / ".digestlint.toml").write_text('profile = "generic"\n', encoding="utf-8")
    yield directory
    shutil.rmtree(directory)


# Python and the virtualenv may sit under /root, which the unprivileged user cannot
# read: so the subprocess starts as root, imports digestlint and warms every import a
# run makes (one lint, fix and report in each format, in memory), then gives up root
# for good (groups, gid, uid) before the CLI touches a file.
LAUNCHER = """
import os, sys
from digestlint import Settings, fix_text, lint_text
from digestlint.cli import main
import digestlint.archive, digestlint.cache, digestlint.runner, tomllib  # imported later by a run
from digestlint.config import Config
from digestlint.output import FORMATTERS, Report
for profile in ("generic", "hf-daily-papers-zh"):
    settings = Settings(Config(profile=profile))
    findings = lint_text(sys.argv[2], settings, "x.md")
    fix_text(sys.argv[2], settings, "x.md")
    for format_findings in FORMATTERS.values():
        format_findings(Report(findings=findings, sources={"x.md": sys.argv[2]}))
if sys.argv[1] == "drop":
    os.setgroups([])
    os.setgid(UNPRIVILEGED)
    os.setuid(UNPRIVILEGED)
sys.argv = ["digestlint", *sys.argv[3:]]
main()
""".replace("UNPRIVILEGED", str(UNPRIVILEGED))


def run_unprivileged(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI as an unprivileged user, as a real process."""
    mode = "drop" if AS_ROOT else "stay"
    command = [sys.executable, "-c", LAUNCHER, mode, WARM_UP.read_text(encoding="utf-8"), *args]
    # The test's cache directory is root's: these runs are about the report files.
    environment = {**os.environ, "DIGESTLINT_NO_CACHE": "1"}
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, check=False, env=environment
    )


def give_away(path: Path, uid: int = UNPRIVILEGED, gid: int = UNPRIVILEGED) -> None:
    if AS_ROOT:
        os.chown(path, uid, gid)


def test_the_unprivileged_user_cannot_write_what_root_owns(shared_dir: Path) -> None:
    """The premise of the tests below: the subprocess really is unprivileged."""
    probe = shared_dir / "probe.md"
    probe.write_text(REPORT, encoding="utf-8")
    probe.chmod(0o444)
    result = run_unprivileged(shared_dir, "--fix", "probe.md")
    assert result.returncode == 2, result.stderr
    assert probe.read_text(encoding="utf-8") == REPORT


@pytest.mark.skipif(not AS_ROOT, reason="only root can make a file another user's")
def test_fix_as_root_keeps_the_files_owner_and_group(shared_dir: Path) -> None:
    report = shared_dir / "report.md"
    report.write_text(REPORT, encoding="utf-8")
    os.chown(report, UNPRIVILEGED, UNPRIVILEGED)
    report.chmod(0o640)
    result = subprocess.run(
        [sys.executable, "-m", "digestlint", "--fix", "report.md"],
        cwd=shared_dir,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert report.read_text(encoding="utf-8") == FIXED
    status = report.stat()
    assert (status.st_uid, status.st_gid, status.st_mode & 0o777) == (
        UNPRIVILEGED,
        UNPRIVILEGED,
        0o640,
    )


def test_a_hard_linked_file_is_written_in_place(shared_dir: Path) -> None:
    report = shared_dir / "report.md"
    report.write_text(REPORT, encoding="utf-8")
    other = shared_dir / "other-name.md"
    os.link(report, other)
    give_away(report)
    inode = report.stat().st_ino
    result = run_unprivileged(shared_dir, "--fix", "report.md")
    assert result.returncode == 0, result.stderr
    assert report.stat().st_ino == inode
    assert other.read_text(encoding="utf-8") == FIXED
    assert sorted(p.name for p in shared_dir.iterdir()) == [
        ".digestlint.toml",
        "other-name.md",
        "report.md",
    ]


def test_a_writable_file_in_a_read_only_directory_is_fixed_in_place(shared_dir: Path) -> None:
    """The directory is root's (or read-only): no temporary file can be made next to
    the report, but the report itself is the user's to write."""
    report = shared_dir / "report.md"
    report.write_text(REPORT, encoding="utf-8")
    give_away(report)
    if not AS_ROOT:
        shared_dir.chmod(0o555)
    try:
        result = run_unprivileged(shared_dir, "--fix", "report.md")
    finally:
        shared_dir.chmod(0o755)
    assert result.returncode == 0, result.stderr
    assert report.read_text(encoding="utf-8") == FIXED
    assert not list(Path(tempfile.gettempdir()).glob("digestlint-report.md.*.orig"))


@pytest.mark.skipif(not AS_ROOT, reason="needs a file whose group the user is not in")
def test_a_file_whose_group_the_user_cannot_give_is_written_in_place(shared_dir: Path) -> None:
    shared_dir.chmod(0o777)
    report = shared_dir / "report.md"
    report.write_text(REPORT, encoding="utf-8")
    os.chown(report, UNPRIVILEGED, 0)
    result = run_unprivileged(shared_dir, "--fix", "report.md")
    assert result.returncode == 0, result.stderr
    status = report.stat()
    assert (status.st_uid, status.st_gid) == (UNPRIVILEGED, 0)
    assert report.read_text(encoding="utf-8") == FIXED


@pytest.mark.parametrize("exit_zero", [[], ["--exit-zero"]])
def test_a_read_only_file_is_an_error_finding_and_exit_2(
    shared_dir: Path, exit_zero: list[str]
) -> None:
    shared_dir.chmod(0o777)  # writable: only the file's mode stops the write
    report = shared_dir / "report.md"
    report.write_text(REPORT, encoding="utf-8")
    give_away(report)
    report.chmod(0o444)
    result = run_unprivileged(shared_dir, "--fix", "--format", "json", *exit_zero, "report.md")
    assert result.returncode == 2, result.stderr
    assert "error: report.md: cannot write: Permission denied" in result.stderr
    findings = [(f["code"], f["line"], f["message"]) for f in json.loads(result.stdout)]
    assert findings == [
        ("DL002", 1, "fixes not written: Permission denied"),
        ("DL814", 3, "half-width `,` in Chinese prose; write `，`"),
        ("DL814", 3, "half-width `.` in Chinese prose; write `。`"),
    ]
    assert report.read_text(encoding="utf-8") == REPORT


@pytest.mark.parametrize(
    ("output_format", "shown"),
    [
        (
            "text",
            "report.md:1:1: error DL002 [file-not-written] fixes not written: Permission denied",
        ),
        ("github", "::error file=report.md,line=1,col=1,endLine=1,endColumn=1,title=DL002"),
        ("gitlab", '"check_name": "DL002 file-not-written"'),
        ("junit", 'type="DL002"'),
        ("sarif", '"ruleId": "DL002"'),
    ],
)
def test_an_unwritten_file_shows_in_every_format(
    shared_dir: Path, output_format: str, shown: str
) -> None:
    shared_dir.chmod(0o777)
    report = shared_dir / "report.md"
    report.write_text(REPORT, encoding="utf-8")
    give_away(report)
    report.chmod(0o444)
    result = run_unprivileged(shared_dir, "--fix", "--format", output_format, "report.md")
    assert result.returncode == 2
    assert shown in result.stdout
    assert "Fixed" not in result.stdout + result.stderr
