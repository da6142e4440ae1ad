"""``--fail-level`` and the config's ``fail-level``: which findings fail a run; the
severity of each finding in text output and the counts of both in the summary."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from digestlint.cli import main

ROOT = Path(__file__).resolve().parent.parent
CLEAN = (ROOT / "examples" / "clean-report.md").read_text(encoding="utf-8")
# A warning only: DL901, a section in English.
ENGLISH = CLEAN.replace(
    "图像生成与视频生成中的潜空间表示学习。",
    "Latent representation learning for image and video generation, trained jointly.",
)
# That warning and an error: DL710, the second paper repeats the first one's id.
BOTH = ENGLISH.replace(
    "https://huggingface.co/papers/2602.17270", "https://huggingface.co/papers/2602.17363"
)


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A directory with an empty root config, the working directory of the run."""
    (tmp_path / ".digestlint.toml").write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(directory: Path, text: str, name: str = "report.md") -> str:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path.relative_to(directory))


def test_each_line_shows_its_severity_and_the_summary_counts_both(project: Path) -> None:
    result = run(write(project, BOTH))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert [line.split(" ")[:3] for line in lines[:-1]] == [
        ["report.md:36:41:", "error", "DL710"],
        ["report.md:40:1:", "warning", "DL901"],
    ]
    assert lines[1].startswith(
        "report.md:40:1: warning DL901 [section-language] section `应用领域` "
    )
    assert lines[-1] == "Found 2 findings in 1 of 1 file: 1 error, 1 warning."


@pytest.mark.parametrize(
    ("level", "exit_code", "sentence"),
    [
        (None, 1, ""),
        ("info", 1, ""),
        ("warning", 1, " 1 at or above the fail level (warning)."),
        ("error", 0, " None at or above the fail level (error)."),
    ],
)
def test_a_warning_fails_the_run_only_at_or_below_its_level(
    project: Path, level: str | None, exit_code: int, sentence: str
) -> None:
    flag = ["--fail-level", level] if level else []
    result = run(write(project, ENGLISH), *flag)
    assert result.exit_code == exit_code, result.output
    # Below the fail level or not, the finding is printed.
    assert "report.md:40:1: warning DL901 [section-language]" in result.stdout
    assert result.stdout.splitlines()[-1] == (
        "Found 1 finding in 1 of 1 file: 1 warning." + sentence
    )


def test_an_error_fails_at_every_level(project: Path) -> None:
    for level in ("info", "warning", "error"):
        result = run(write(project, BOTH), "--fail-level", level)
        assert result.exit_code == 1, (level, result.output)


def test_info_findings_pass_at_warning(project: Path) -> None:
    (project / ".digestlint.toml").write_text(
        '[rules.section-language]\nseverity = "info"\n', encoding="utf-8"
    )
    name = write(project, ENGLISH)
    result = run(name, "--fail-level", "warning")
    assert result.exit_code == 0
    assert "report.md:40:1: info DL901 [section-language]" in result.stdout
    assert result.stdout.endswith(
        "Found 1 finding in 1 of 1 file: 1 info. None at or above the fail level (warning).\n"
    )
    assert run(name).exit_code == 1


def test_exit_zero_still_wins(project: Path) -> None:
    assert run(write(project, BOTH), "--fail-level", "warning", "--exit-zero").exit_code == 0


def test_an_unknown_level_is_a_usage_error(project: Path) -> None:
    result = run(write(project, ENGLISH), "--fail-level", "fatal")
    assert result.exit_code == 2
    assert "'fatal' is not one of 'info', 'warning', 'error'" in result.output


def test_the_root_config_sets_the_fail_level(project: Path) -> None:
    (project / ".digestlint.toml").write_text('fail-level = "error"\n', encoding="utf-8")
    name = write(project, ENGLISH)
    result = run(name)
    assert result.exit_code == 0, result.output
    assert "None at or above the fail level (error)." in result.stdout
    # The flag wins over the config.
    assert run(name, "--fail-level", "warning").exit_code == 1
    assert run(name, "--fail-level", "info").exit_code == 1


def test_pyproject_spells_it_the_same(project: Path) -> None:
    (project / ".digestlint.toml").unlink()
    (project / "pyproject.toml").write_text(
        '[tool.digestlint]\nfail-level = "error"\n', encoding="utf-8"
    )
    assert run(write(project, ENGLISH)).exit_code == 0


def test_a_nested_config_cannot_change_the_fail_level(project: Path) -> None:
    """Only the run's root config sets it: a config next to some reports cannot let their
    findings pass, nor fail them, and says so."""
    (project / "reports" / ".digestlint.toml").parent.mkdir()
    (project / "reports" / ".digestlint.toml").write_text(
        'fail-level = "error"\n', encoding="utf-8"
    )
    result = run(write(project, ENGLISH, "reports/today.md"))
    assert result.exit_code == 1
    nested = project / "reports" / ".digestlint.toml"
    assert (
        f"warning: {nested}: fail-level: only the root config's applies (info); "
        "use --fail-level to change it for a run\n"
    ) in result.stderr
    # The same value as the root's is no news.
    (project / ".digestlint.toml").write_text('fail-level = "error"\n', encoding="utf-8")
    again = run("reports/today.md")
    assert again.exit_code == 0
    assert "fail-level" not in again.stderr


def test_the_config_key_is_validated(project: Path) -> None:
    (project / ".digestlint.toml").write_text('fail-level = "fatal"\n', encoding="utf-8")
    result = run(write(project, ENGLISH))
    assert result.exit_code == 2
    assert ".digestlint.toml: fail-level: Input should be 'error', 'warning' or 'info'" in (
        result.stderr
    )


def test_the_fix_summary_counts_fixed_and_remaining_by_severity(project: Path) -> None:
    # DL105 (an error, fixed) above the English section (a warning, no fix).
    text = ENGLISH.replace("**Date**: 2026-02-20\n\n", "**Date**: 2026-02-20\n", 1)
    name = write(project, text)
    result = run(name, "--fix", "--fail-level", "error")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        "Found 2 findings in 1 of 1 file (1 fixed, 1 remaining: 1 warning). "
        "None at or above the fail level (error)."
    )
