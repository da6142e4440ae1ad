"""DL106 through the command line: the file name a report is checked under is compared
with its Date (files on disk, and stdin only when ``--stdin-filename`` names it)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from digestlint.cli import main


def run(*args: str, stdin: str | None = None) -> list[str]:
    result = CliRunner().invoke(main, ["--select", "DL106", *args], input=stdin)
    return [line for line in result.output.splitlines() if "DL106" in line]


def test_the_seed_is_named_for_its_date(seed_path: Path) -> None:
    assert run(str(seed_path)) == []


def test_a_copy_named_for_another_day(seed_text: str, tmp_path: Path) -> None:
    copy = tmp_path / "hf-daily-papers-2026-02-21.md"
    copy.write_text(seed_text, encoding="utf-8")
    [line] = run(str(copy))
    assert line.startswith(f"{copy}:2:11: error DL106 ")
    assert "is for 2026-02-21 but the report's Date is 2026-02-20" in line


def test_stdin_is_checked_only_under_a_file_name(seed_text: str) -> None:
    assert run("-", stdin=seed_text) == []
    [line] = run("--stdin-filename", "daily/2026-02-19.md", "-", stdin=seed_text)
    assert line.startswith("daily/2026-02-19.md:2:11: error DL106 ")
