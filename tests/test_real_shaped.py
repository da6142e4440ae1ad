"""Whole reports in the shapes real pipelines write, each with every finding it must get.

Each ``tests/data/real-shaped/NAME.md`` is a hand-written report (never text copied from
a real one) in a shape seen in real digests. Beside it, ``NAME.toml`` says:

- ``about``: the shape, and the false positive or miss it guards against;
- ``config`` (optional): the ``[tool.digestlint]`` table to lint with (a ``profile``
  path is relative to this directory);
- ``findings``: **every** finding of an offline lint with all rules, each written
  ``"LINE:COL-ENDLINE:ENDCOL CODE"``, in position order. A finding outside the list
  fails the test as much as a missing one.

``NAME.fixed.md``, when present, is the exact text of a safe ``--fix``; without it,
``--fix`` must leave the report unchanged. Either way the fixed text has no fixable
finding left and fixing it again changes nothing.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from digestlint import fix_text, lint_text
from digestlint.config import Config, Settings

DATA = Path(__file__).parent / "data" / "real-shaped"


def _reports() -> list:
    return [
        pytest.param(path, id=path.stem)
        for path in sorted(DATA.glob("*.md"))
        if not path.name.endswith(".fixed.md")
    ]


def _expectation(report: Path) -> dict:
    return tomllib.loads(report.with_suffix(".toml").read_text(encoding="utf-8"))


def _settings(expectation: dict) -> Settings:
    return Settings(Config.model_validate(expectation.get("config", {})), root=DATA)


def _written(findings) -> list[str]:
    return [f"{f.line}:{f.column}-{f.end_line}:{f.end_column} {f.code}" for f in findings]


@pytest.mark.parametrize("report", _reports())
def test_findings_are_exactly_the_expected_ones(report: Path) -> None:
    expectation = _expectation(report)
    text = report.read_text(encoding="utf-8")
    findings = lint_text(text, _settings(expectation), report.name)
    assert _written(findings) == expectation["findings"]


@pytest.mark.parametrize("report", _reports())
def test_fix_is_what_an_editor_accepts(report: Path) -> None:
    settings = _settings(_expectation(report))
    text = report.read_text(encoding="utf-8")
    expected_path = report.with_name(report.stem + ".fixed.md")
    expected = expected_path.read_text(encoding="utf-8") if expected_path.exists() else text
    fixed = fix_text(text, settings, report.name).text
    assert fixed == expected
    left = [f for f in lint_text(fixed, settings, report.name) if f.fix]
    assert [f for f in left if f.fix.applicability.value == "safe"] == []
    assert fix_text(fixed, settings, report.name).text == fixed


def test_every_report_has_its_expectations() -> None:
    reports = [p for p in DATA.glob("*.md") if not p.name.endswith(".fixed.md")]
    assert reports, "no real-shaped reports"
    for report in reports:
        assert report.with_suffix(".toml").exists(), report
        assert "about" in _expectation(report), report
