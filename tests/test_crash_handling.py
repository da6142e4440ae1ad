"""Hostile configs and unexpected errors: one clear line and exit 2, never a traceback
(unless ``--verbose``) and never exit 1, which means findings."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from digestlint.cli import main
from digestlint.registry import RULES


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "report.md").write_text("# 标题\n\n中文,英文\n", encoding="utf-8")
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def one_error(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_a_500_deep_toml_config_is_a_config_error(workdir: Path) -> None:
    (workdir / ".digestlint.toml").write_text(
        "[rules.DL101]\nx = " + "[" * 500 + "]" * 500 + "\n", encoding="utf-8"
    )
    code, _, stderr = run("check", "report.md")
    assert code == 2
    assert one_error(stderr) == (
        f"error: {workdir / '.digestlint.toml'}: invalid TOML: nested too deeply"
    )


def test_a_1000_deep_json_profile_is_a_config_error(workdir: Path) -> None:
    (workdir / "profile.json").write_text(
        '{"title": ' + "[" * 1000 + "]" * 1000 + "}", encoding="utf-8"
    )
    (workdir / ".digestlint.toml").write_text('profile = "profile.json"\n', encoding="utf-8")
    code, _, stderr = run("check", "report.md")
    assert code == 2
    assert (
        one_error(stderr) == f"error: {workdir / 'profile.json'}: invalid JSON: nested too deeply"
    )


def test_a_schema_that_is_a_device_is_refused_unread(workdir: Path) -> None:
    (workdir / ".digestlint.toml").write_text('schema = "/dev/zero"\n', encoding="utf-8")
    code, _, stderr = run("check", "report.md")
    assert code == 2
    assert one_error(stderr) == "error: /dev/zero: not a regular file"


@pytest.mark.parametrize("key", ["schema", "profile"])
def test_a_schema_or_profile_over_10_mb_is_refused(workdir: Path, key: str) -> None:
    big = workdir / "big.json"
    big.write_text('{"description": "' + "x" * (10 * 1024 * 1024) + '"}', encoding="utf-8")
    (workdir / ".digestlint.toml").write_text(f'{key} = "big.json"\n', encoding="utf-8")
    code, _, stderr = run("check", "report.md")
    assert code == 2
    assert one_error(stderr) == f"error: {big}: larger than 10 MB"


@pytest.fixture
def broken_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    """A rule with a bug: it raises on every document."""

    def explode(context: object) -> list[object]:
        raise ZeroDivisionError("division by zero")

    broken = RULES["DL814"]
    monkeypatch.setitem(RULES, "DL814", type(broken)(**{**broken.__dict__, "check": explode}))


@pytest.mark.usefixtures("broken_rule")
def test_a_bug_is_one_line_naming_the_file_and_exit_2(workdir: Path) -> None:
    (workdir / "other.md").write_text("# 标题\n", encoding="utf-8")
    code, _, stderr = run("check", "--exit-zero", "report.md", "other.md")
    assert code == 2
    lines = stderr.strip().splitlines()
    assert lines == [
        "error: report.md: internal error: ZeroDivisionError: division by zero "
        "(run with --verbose for the traceback)",
        "error: other.md: internal error: ZeroDivisionError: division by zero "
        "(run with --verbose for the traceback)",
    ]


@pytest.mark.usefixtures("broken_rule")
def test_verbose_shows_the_traceback(workdir: Path) -> None:
    code, _, stderr = run("check", "--verbose", "report.md")
    assert code == 2
    assert "Traceback (most recent call last)" in stderr
    assert 'raise ZeroDivisionError("division by zero")' in stderr
    assert stderr.strip().splitlines()[-1] == (
        "error: report.md: internal error: ZeroDivisionError: division by zero"
    )


def test_a_bug_outside_any_file_is_one_line_too(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise KeyError("boom")

    monkeypatch.setattr("digestlint.cli._emit", explode)
    code, _, stderr = run("check", "report.md")
    assert code == 2
    assert one_error(stderr) == (
        "error: internal error: KeyError: 'boom' (run with --verbose for the traceback)"
    )
    code, _, stderr = run("check", "--verbose", "report.md")
    assert code == 2
    assert "Traceback (most recent call last)" in stderr
