"""`--exit-non-zero-on-fix`: what the pre-commit fix hook relies on."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from digestlint.cli import main

SEED = Path(__file__).resolve().parent.parent / "seeds" / "hf-daily-papers-2026-02-20.md"


def fix(path: Path, *flags: str) -> int:
    return CliRunner().invoke(main, ["--fix", *flags, str(path)]).exit_code


def test_fix_that_changed_a_file_exits_1_with_the_flag(tmp_path: Path) -> None:
    report = tmp_path / "report.md"
    report.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    assert fix(report, "--exit-non-zero-on-fix") == 1
    fixed = report.read_text(encoding="utf-8")
    assert fixed != SEED.read_text(encoding="utf-8")
    # Nothing left to change: the same command now passes and writes nothing.
    assert fix(report, "--exit-non-zero-on-fix") == 0
    assert report.read_text(encoding="utf-8") == fixed


def test_fix_that_fixed_everything_exits_0_without_the_flag(tmp_path: Path) -> None:
    report = tmp_path / "report.md"
    report.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    assert fix(report) == 0
    assert report.read_text(encoding="utf-8") != SEED.read_text(encoding="utf-8")
