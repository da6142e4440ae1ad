"""What --fix tells the user: --show-fixes lists each applied fix where its finding was
in the file as it was, the summary says `N fixed, M remaining`, and --fix --diff does
not ask for --fix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from digestlint import fix_text
from digestlint.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "hf-daily-papers-2026-02-20.md"
CLEAN = (ROOT / "examples" / "clean-report.md").read_text(encoding="utf-8")
# DL105 (safe fix) on line 3, and DL710 (no fix) further down.
MERGED = CLEAN.replace("**Date**: 2026-02-20\n\n", "**Date**: 2026-02-20\n", 1).replace(
    "https://huggingface.co/papers/2602.17270", "https://huggingface.co/papers/2602.17363"
)


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # Two reports of one day: not what the archive checks (DL62) are about here.
    (tmp_path / ".digestlint.toml").write_text('ignore = ["DL62"]\n', encoding="utf-8")
    shutil.copy(SEED, tmp_path / "seed.md")
    (tmp_path / "merged.md").write_text(MERGED, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_show_fixes_lists_each_fix_file_by_file(project: Path) -> None:
    result = run("--fix", "--show-fixes", "seed.md", "merged.md")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    fixes = [line for line in lines if ": fixed " in line]
    # merged.md first (files in name order), then the seed's 78, in line order.
    assert fixes[0] == "merged.md:3:1: fixed DL105 [header-fields-merged] insert a blank line"
    assert fixes[1:4] == [
        "seed.md:3:1: fixed DL105 [header-fields-merged] insert a blank line",
        "seed.md:12:1: fixed DL401 [stray-h1] demote to a bold paragraph",
        "seed.md:14:1: fixed DL403 [section-heading-style] rewrite as `atx`",
    ]
    assert len(fixes) == 79
    # The fixes come before the findings that remain, then the summary.
    assert lines[len(fixes)].startswith("merged.md:36:41: error DL710 [paper-duplicate] ")
    assert lines[-1] == ("Found 80 findings in 2 of 2 files (79 fixed, 1 remaining: 1 error).")


def test_a_fix_of_a_later_pass_is_shown_where_it_was_in_the_file(project: Path) -> None:
    """`在LLM` on the seed's line 23 sits inside a section that DL403 rewrites in the first
    pass, so its spacing is fixed in the second pass, on a line that has moved by then:
    it is listed at line 23, column 19 of the file as it was."""
    assert "seed.md:23:19: warning DL813 [cjk-spacing] no space between `在` and `LLM`" in (
        run("seed.md").stdout
    )
    # The premise: the fix engine found it on another line, in a later pass.
    fixed = fix_text(SEED.read_text(encoding="utf-8"), path="seed.md")
    [(found, _)] = [
        (f, at) for f, at in zip(fixed.fixed, fixed.fixed_at, strict=True) if at == (23, 19)
    ]
    assert found.code == "DL813" and found.line != 23
    result = run("--fix", "--show-fixes", "seed.md")
    listed = result.stdout.splitlines()
    assert "seed.md:23:19: fixed DL813 [cjk-spacing] insert a space" in listed
    assert "seed.md:23:20: fixed DL813 [cjk-spacing] insert a space" in listed


def test_every_first_pass_finding_is_listed_at_its_lint_position(project: Path) -> None:
    linted = {
        tuple(line.split(" ")[0:3:2])
        for line in run("seed.md").stdout.splitlines()
        if line.startswith("seed.md:")
    }
    listed = {
        tuple(line.split(" ")[0:3:2])
        for line in run("--fix", "--show-fixes", "seed.md").stdout.splitlines()
        if ": fixed " in line
    }
    # 78 findings, 78 fixes: those applied in a later pass too, each where lint saw it.
    assert len(linted) == 78
    assert listed == linted


def test_without_show_fixes_only_the_summary_counts_them(project: Path) -> None:
    result = run("--fix", "merged.md")
    assert result.exit_code == 1
    assert ": fixed " not in result.stdout
    assert result.stdout.splitlines()[-1] == (
        "Found 2 findings in 1 of 1 file (1 fixed, 1 remaining: 1 error)."
    )
    again = run("--fix", "merged.md")
    assert again.stdout.splitlines()[-1] == (
        "Found 1 finding in 1 of 1 file (0 fixed, 1 remaining: 1 error)."
    )


def test_fixing_everything_says_so(project: Path) -> None:
    (project / "merged.md").write_text(
        CLEAN.replace("**Date**: 2026-02-20\n\n", "**Date**: 2026-02-20\n", 1), "utf-8"
    )
    result = run("--fix", "merged.md")
    assert result.exit_code == 0
    assert result.stdout == "Found 1 finding in 1 of 1 file (1 fixed, 0 remaining).\n"
    assert run("--fix", "merged.md").stdout == "All checks passed (1 file).\n"


def test_fix_with_diff_does_not_ask_for_fix(project: Path) -> None:
    result = run("--fix", "--diff", "merged.md")
    assert result.exit_code == 1
    assert result.stdout.startswith("--- a/merged.md\n+++ b/merged.md\n")
    assert "Would fix 1 finding (the diff above); run without `--diff` to apply." in (
        result.stdout
    )
    assert "run with `--fix`" not in result.stdout
    assert (project / "merged.md").read_text(encoding="utf-8") == MERGED
    plain = run("--diff", "merged.md")
    assert "Would fix 1 finding (the diff above); run with `--fix` to apply." in plain.stdout


def test_show_fixes_with_diff_lists_what_it_would_fix(project: Path) -> None:
    result = run("--diff", "--show-fixes", "merged.md")
    assert result.exit_code == 1
    assert "merged.md:3:1: would fix DL105 [header-fields-merged] insert a blank line\n" in (
        result.stdout
    )
    assert (project / "merged.md").read_text(encoding="utf-8") == MERGED


def test_fixes_of_stdin_are_listed_with_the_report_on_stderr(project: Path) -> None:
    result = run("--fix", "--show-fixes", "-", input=MERGED)
    assert result.exit_code == 1
    assert result.stdout.startswith("# Hugging Face Daily Papers Report\n**Date**: 2026-02-20\n\n")
    assert result.stderr.splitlines()[0] == (
        "-:3:1: fixed DL105 [header-fields-merged] insert a blank line"
    )
    assert ": fixed " not in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--show-fixes"], "--show-fixes lists the fixes of --fix or --diff; add one"),
        (
            ["--fix", "--show-fixes", "--format", "json"],
            "--show-fixes prints the fixes on stdout; add --output-file for the json report",
        ),
    ],
)
def test_show_fixes_needs_a_fix_and_stdout(project: Path, args: list[str], message: str) -> None:
    result = run(*args, "merged.md")
    assert result.exit_code == 2
    assert f"Error: {message}" in result.output
    assert (project / "merged.md").read_text(encoding="utf-8") == MERGED


def test_show_fixes_with_a_report_file(project: Path) -> None:
    target = project / "findings.json"
    result = run(
        "--fix", "--show-fixes", "--format", "json", "--output-file", str(target), "merged.md"
    )
    assert result.exit_code == 1
    assert (
        result.stdout == "merged.md:3:1: fixed DL105 [header-fields-merged] insert a blank line\n"
    )
    assert '"code": "DL710"' in target.read_text(encoding="utf-8")
