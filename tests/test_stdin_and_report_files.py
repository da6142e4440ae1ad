"""--stdin-filename reads standard input (with or without `-`), --output-file makes its
directory, and --statistics either has the chosen format or is refused."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from digestlint.cli import main

ROOT = Path(__file__).resolve().parent.parent
CLEAN = (ROOT / "examples" / "clean-report.md").read_text(encoding="utf-8")
# DL105 on line 3 (safe fix).
MERGED = CLEAN.replace("**Date**: 2026-02-20\n\n", "**Date**: 2026-02-20\n", 1)
# Named for another day than its Date: DL106, checked only under a file name.
OTHER_DAY = "daily/2026-02-19.md"


def run(*args: str, input: str | None = None, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), input=input, env=env, catch_exceptions=False)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".digestlint.toml").write_text("", encoding="utf-8")
    (tmp_path / "on-disk.md").write_text(CLEAN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- --stdin-filename ------------------------------------------------------------------------


def test_stdin_filename_alone_reads_standard_input(project: Path) -> None:
    """Not the current directory: on-disk.md is clean, standard input is not."""
    result = run("--stdin-filename", OTHER_DAY, input=MERGED)
    assert result.exit_code == 1
    codes = [line.split(" ")[2] for line in result.stdout.splitlines()[:-1]]
    assert codes == ["DL106", "DL105"]  # the Date on line 2, the merged field on line 3
    assert f"{OTHER_DAY}:3:1: error DL105 [header-fields-merged] " in result.stdout
    assert "on-disk.md" not in result.output
    assert result.stdout.splitlines()[-1].startswith("Found 2 findings in 1 of 1 file: ")


def test_stdin_filename_alone_fixes_standard_input(project: Path) -> None:
    result = run("--stdin-filename", "today.md", "--fix", input=MERGED)
    assert result.exit_code == 0
    assert result.stdout == CLEAN
    assert "(1 fixed, 0 remaining)" in result.stderr


def test_paths_given_too_are_ignored_with_a_warning(project: Path) -> None:
    (project / "broken.md").write_text(MERGED, encoding="utf-8")
    result = run("broken.md", "-", "reports/", "--stdin-filename", "today.md", input=CLEAN)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "warning: ignoring broken.md: --stdin-filename reads the report from standard input",
        "warning: ignoring reports: --stdin-filename reads the report from standard input",
    ]
    assert result.stdout == "All checks passed (1 file).\n"


def test_the_console_script_reads_stdin_under_the_name(project: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "digestlint", "--stdin-filename", OTHER_DAY],
        input=CLEAN,
        capture_output=True,
        text=True,
        cwd=project,
    )
    assert result.returncode == 1
    assert result.stdout.startswith(f"{OTHER_DAY}:2:11: error DL106 [")


# --- --output-file ---------------------------------------------------------------------------


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "junit", "gitlab", "github"])
def test_output_file_makes_missing_directories(project: Path, output_format: str) -> None:
    target = project / "build" / "reports" / output_format / "digestlint.out"
    result = run("on-disk.md", "--format", output_format, "--output-file", str(target))
    assert result.exit_code == 0, result.output
    assert target.is_file()
    assert [p.name for p in target.parent.iterdir()] == ["digestlint.out"]  # no temporary


def test_output_file_replaces_a_file_whole_and_keeps_its_mode(project: Path) -> None:
    target = project / "findings.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    (project / "broken.md").write_text(MERGED, encoding="utf-8")
    result = run("broken.md", "--format", "json", "--output-file", str(target))
    assert result.exit_code == 1
    assert [f["code"] for f in json.loads(target.read_text(encoding="utf-8"))] == ["DL105"]
    assert target.stat().st_mode & 0o777 == 0o640


def test_output_file_that_cannot_be_made_is_an_error(project: Path) -> None:
    (project / "a-file").write_text("", encoding="utf-8")
    result = run("on-disk.md", "--output-file", "a-file/report.txt")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: a-file/report.txt: cannot write: ")
    directory = run("on-disk.md", "--output-file", str(project))
    assert directory.exit_code == 2
    assert "cannot write: Is a directory" in directory.stderr


# --- --statistics ----------------------------------------------------------------------------


@pytest.mark.parametrize("output_format", ["github", "gitlab", "junit", "sarif", "html"])
def test_statistics_with_a_format_it_has_no_form_in_is_refused(
    project: Path, output_format: str
) -> None:
    target = project / "out" / "stats"
    result = run(
        "on-disk.md", "--statistics", "--format", output_format, "--output-file", str(target)
    )
    assert result.exit_code == 2
    assert (
        f"Error: --statistics has no {output_format} form; use --format text or json"
        in result.output
    )
    assert not target.exists()


def test_statistics_on_github_actions_is_text(project: Path) -> None:
    """On GitHub Actions the default format is github; --statistics without --format is
    the text table there, not an error."""
    (project / "broken.md").write_text(MERGED, encoding="utf-8")
    result = run("broken.md", "--statistics", env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 1
    assert result.stdout == (
        "    1  DL105  [*] header-fields-merged\n"
        "Found 1 finding in 1 of 1 file: 1 error (1 fixable with `--fix`, marked [*]).\n"
    )
    plain = run("broken.md", env={"GITHUB_ACTIONS": "true"})
    assert plain.stdout.startswith("::error file=broken.md,line=3,")


def test_statistics_in_json_to_a_file(project: Path) -> None:
    (project / "broken.md").write_text(MERGED, encoding="utf-8")
    target = project / "stats" / "rules.json"
    result = run("broken.md", "--statistics", "--format", "json", "--output-file", str(target))
    assert result.exit_code == 1
    assert json.loads(target.read_text(encoding="utf-8")) == [
        {"code": "DL105", "name": "header-fields-merged", "count": 1, "fixable": True}
    ]


def test_statistics_in_json_after_a_diff_needs_a_file(project: Path) -> None:
    """The diff takes stdout: JSON after it could not be read."""
    (project / "broken.md").write_text(MERGED, encoding="utf-8")
    result = run("broken.md", "--diff", "--statistics", "--format", "json")
    assert result.exit_code == 2
    assert "--diff prints the diff on stdout; add --output-file for the json report" in (
        result.output
    )
    target = project / "stats.json"
    result = run(
        "broken.md", "--diff", "--statistics", "--format", "json", "--output-file", str(target)
    )
    assert result.exit_code == 1
    assert result.stdout.startswith("--- a/broken.md\n")
    assert json.loads(target.read_text(encoding="utf-8")) == []  # the diff fixes it all
