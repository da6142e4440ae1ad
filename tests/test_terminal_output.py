"""Colour on a terminal (and none when piped), NO_COLOR and FORCE_COLOR, and how much
is printed: -q/--quiet and -s/--silent. The real CLI in a subprocess; a terminal is a
pseudo-terminal (``pty.openpty``)."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLEAN = (ROOT / "examples" / "clean-report.md").read_text(encoding="utf-8")
# DL105 (an error with a safe fix) on line 3; DL901 (a warning) on line 39.
DEFECTIVE = CLEAN.replace("**Date**: 2026-02-20\n\n", "**Date**: 2026-02-20\n", 1).replace(
    "图像生成与视频生成中的潜空间表示学习。",
    "Latent representation learning for image and video generation, trained jointly.",
)
ESCAPE = "\x1b["
BOLD, RED, YELLOW, CYAN, RESET = "\x1b[1m", "\x1b[31m", "\x1b[33m", "\x1b[36m", "\x1b[0m"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / ".digestlint.toml").write_text("", encoding="utf-8")
    (tmp_path / "report.md").write_text(DEFECTIVE, encoding="utf-8")
    (tmp_path / "clean.md").write_text(CLEAN, encoding="utf-8")
    return tmp_path


def environment(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NO_COLOR", "FORCE_COLOR", "GITHUB_ACTIONS", "TERM")
    }
    return {**env, "TERM": "xterm-256color", **extra}


def on_terminal(cwd: Path, *args: str, **env: str) -> tuple[int, str]:
    """Run digestlint with stdout and stderr on a pseudo-terminal; its exit code and
    what the terminal received (line ends as written, not as the terminal shows them)."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "digestlint", *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=terminal,
        stderr=terminal,
        env=environment(**env),
    )
    os.close(terminal)
    received = bytearray()
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # EIO: every writer closed the terminal
            break
        if not chunk:
            break
        received += chunk
    os.close(controller)
    return process.wait(timeout=120), received.decode("utf-8").replace("\r\n", "\n")


def piped(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "digestlint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=environment(**env),
        stdin=subprocess.DEVNULL,
    )


def test_a_terminal_gets_colour(project: Path) -> None:
    status, output = on_terminal(project, "report.md")
    assert status == 1
    lines = output.splitlines()
    # Path and code bold, the severity in its colour (errors bold), [*] in cyan.
    assert lines[0] == (
        f"{BOLD}report.md{RESET}:3:1: {RED}{BOLD}error{RESET} {BOLD}DL105{RESET} "
        "[header-fields-merged] header field `Source URL` renders on the same line as the "
        f"one above it {CYAN}[*]{RESET}"
    )
    assert lines[1].startswith(
        f"{BOLD}report.md{RESET}:39:1: {YELLOW}warning{RESET} {BOLD}DL901{RESET} "
    )
    assert lines[2] == (
        f"Found 2 findings in 1 of 1 file: {RED}{BOLD}1 error{RESET}, {YELLOW}1 warning{RESET}"
        " (1 fixable with `--fix`, marked [*])."
    )


def test_warnings_and_errors_on_a_terminal_are_coloured(project: Path) -> None:
    (project / "empty").mkdir()
    status, output = on_terminal(project, "missing.md", "empty")
    assert status == 2
    assert f"{RED}{BOLD}error{RESET}: missing.md: no such file" in output
    assert f"{YELLOW}warning{RESET}: empty: no Markdown files to lint" in output


def test_no_colour_when_piped(project: Path) -> None:
    result = piped(project, "report.md", "missing.md")
    assert result.returncode == 2
    assert "report.md:3:1: error DL105 [header-fields-merged]" in result.stdout
    assert "error: missing.md: no such file" in result.stderr
    assert ESCAPE not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("env", "coloured"),
    [
        ({"NO_COLOR": "1"}, False),
        ({"NO_COLOR": ""}, True),  # empty: as if unset (no-color.org)
        ({"TERM": "dumb"}, False),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, True),  # FORCE_COLOR wins
    ],
)
def test_the_environment_on_a_terminal(project: Path, env: dict[str, str], coloured: bool) -> None:
    status, output = on_terminal(project, "report.md", **env)
    assert status == 1
    assert "report.md" in output and "DL105" in output
    assert (ESCAPE in output) == coloured


@pytest.mark.parametrize(
    ("env", "coloured"),
    [({"FORCE_COLOR": "1"}, True), ({"FORCE_COLOR": ""}, False), ({"NO_COLOR": "1"}, False)],
)
def test_the_environment_when_piped(project: Path, env: dict[str, str], coloured: bool) -> None:
    result = piped(project, "report.md", "missing.md", **env)
    assert result.returncode == 2
    assert (f"{RED}{BOLD}error{RESET} {BOLD}DL105{RESET}" in result.stdout) == coloured
    assert (f"{RED}{BOLD}error{RESET}: missing.md" in result.stderr) == coloured
    assert (ESCAPE in result.stdout + result.stderr) == coloured


def test_a_report_file_never_gets_colour(project: Path) -> None:
    target = project / "out" / "findings.txt"
    result = piped(project, "report.md", "--output-file", str(target), FORCE_COLOR="1")
    assert result.returncode == 1
    text = target.read_text(encoding="utf-8")
    assert text.startswith("report.md:3:1: error DL105 [header-fields-merged] ")
    assert ESCAPE not in text


def test_quiet_prints_the_findings_and_errors_only(project: Path) -> None:
    (project / "nested").mkdir()
    (project / "nested" / ".digestlint.toml").write_text('fail-level = "error"\n', "utf-8")
    (project / "nested" / "report.md").write_text(DEFECTIVE, encoding="utf-8")
    (project / "empty").mkdir()
    normal = piped(project, "nested/report.md", "empty", "missing.md")
    assert "Found 2 findings" in normal.stdout
    assert "warning: empty: no Markdown files to lint" in normal.stderr
    assert "fail-level: only the root config's applies" in normal.stderr
    for flag in ("-q", "--quiet"):
        quiet = piped(project, flag, "nested/report.md", "empty", "missing.md")
        assert quiet.returncode == 2
        assert [line.split(" ")[2] for line in quiet.stdout.splitlines()] == ["DL105", "DL901"]
        assert quiet.stderr == "error: missing.md: no such file\n"


def test_quiet_keeps_the_fixed_text_and_the_diff(project: Path) -> None:
    fixed = subprocess.run(
        [sys.executable, "-m", "digestlint", "-q", "--fix", "-"],
        cwd=project,
        input=DEFECTIVE,
        capture_output=True,
        text=True,
        env=environment(),
    )
    assert fixed.returncode == 1  # the warning remains
    assert fixed.stdout.startswith("# Hugging Face Daily Papers Report\n**Date**: 2026-02-20\n\n")
    # The report goes to stderr, without a summary: the warning, a line further down in
    # the fixed text (DL105's fix put back the blank line).
    [line] = fixed.stderr.splitlines()
    assert line.startswith("-:40:1: warning DL901 [section-language] ")
    diff = piped(project, "-q", "--diff", "report.md")
    assert diff.returncode == 1
    assert diff.stdout.startswith("--- a/report.md\n+++ b/report.md\n")
    assert "Would fix" not in diff.stdout and "Found" not in diff.stdout


@pytest.mark.parametrize("flag", ["-s", "--silent"])
def test_silent_prints_nothing_and_exits_as_usual(project: Path, flag: str) -> None:
    cases = [
        (["clean.md"], 0),
        (["report.md"], 1),
        (["--fail-level", "error", "--diff", "report.md"], 1),
        (["report.md", "missing.md"], 2),
        (["report.md", "--select", "no-such-rule"], 2),
    ]
    for args, status in cases:
        result = piped(project, flag, *args, FORCE_COLOR="1")
        assert (result.returncode, result.stdout, result.stderr) == (status, "", ""), args
    target = project / "reports" / "findings.json"
    result = piped(project, flag, "report.md", "--format", "json", "--output-file", str(target))
    assert (result.returncode, result.stdout, result.stderr) == (1, "", "")
    assert target.read_text(encoding="utf-8").startswith("[\n  {\n")
    # The file was not changed by --diff: nothing is written but what was asked for.
    assert (project / "report.md").read_text(encoding="utf-8") == DEFECTIVE
