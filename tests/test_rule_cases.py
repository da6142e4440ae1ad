"""Rule cases as data: every ``tests/cases/*.toml`` file holds ``[[case]]`` tables.

Keys of a case:
- ``rule``: the code under test; only that rule runs.
- ``name``: what the case shows.
- ``source``: the Markdown to lint.
- ``fail``: every finding of the rule, whole and in order, as
  ``"LINE:COL-ENDLINE:ENDCOL message"`` with `` [*]`` after the message for a safe fix
  and `` [unsafe fix]`` for an unsafe one (positions 1-based, columns in code points,
  the end just past the last character); ``[]`` is a pass case.
- ``fix``: the text ``fix_text`` makes of the source; required for a failing case of a
  fixable rule (it equals the source when no fix applies). It is linted again: no fix
  of the rule may be left to apply, and fixing it again changes nothing.
- ``unsafe`` (optional): apply unsafe fixes too.
- ``options`` (optional): the rule's options table; ``config`` (optional): extra config keys.
- ``path`` (optional): the file name the source is linted as (default ``-``, stdin).

The expected findings are written from reading the source, not pasted from a run: when
a rule's behaviour changes, the case shows the difference and is reviewed like code.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from digestlint import fix_text, lint_text
from digestlint.config import Config, Settings
from digestlint.findings import Applicability, Finding
from digestlint.registry import find_rule

CASES_DIR = Path(__file__).parent / "cases"
WHOLE_FINDING = re.compile(r"\d+:\d+-\d+:\d+ \S.*")
KEYS = {"rule", "name", "source", "fail", "fix", "unsafe", "options", "config", "path"}


def _load() -> list:
    params = []
    for path in sorted(CASES_DIR.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for index, case in enumerate(data.get("case", [])):
            case_id = f"{path.stem}:{case['rule']}:{case.get('name', index)}"
            params.append(pytest.param(case, id=case_id))
    return params


def settings_for(case: dict) -> Settings:
    data = {"select": [case["rule"]], **case.get("config", {})}
    if "options" in case:
        data.setdefault("rules", {})[case["rule"]] = case["options"]
    return Settings(Config.model_validate(data), root=CASES_DIR)


def whole(finding: Finding) -> str:
    """A finding as a case writes it."""
    mark = ""
    if finding.fix is not None:
        mark = " [*]" if finding.fix.applicability == Applicability.SAFE else " [unsafe fix]"
    return (
        f"{finding.line}:{finding.column}-{finding.end_line}:{finding.end_column} "
        f"{finding.message}{mark}"
    )


@pytest.mark.parametrize("case", _load())
def test_rule_case(case: dict) -> None:
    assert set(case) <= KEYS, f"unknown keys {set(case) - KEYS}"
    for expected in case["fail"]:
        assert WHOLE_FINDING.fullmatch(expected), (
            f"{expected!r}: state the whole finding, `LINE:COL-ENDLINE:ENDCOL message`"
        )
    rule = find_rule(case["rule"])
    assert rule is not None, f"no rule {case['rule']}"
    if case["fail"] and rule.fixable:
        assert "fix" in case, "a failing case of a fixable rule states its `fix`"
    settings = settings_for(case)
    path = case.get("path", "-")
    findings = [f for f in lint_text(case["source"], settings, path) if f.code == case["rule"]]
    assert [whole(f) for f in findings] == case["fail"]
    if "fix" in case:
        unsafe = case.get("unsafe", False)
        fixed = fix_text(case["source"], settings, path, unsafe=unsafe).text
        assert fixed == case["fix"]
        left = [
            whole(f)
            for f in lint_text(fixed, settings, path)
            if f.code == case["rule"] and f.fix_applies(unsafe)
        ]
        assert left == [], "a fix of the rule is left to apply in the fixed text"
        assert fix_text(fixed, settings, path, unsafe=unsafe).text == fixed


def test_every_case_file_has_cases() -> None:
    files = sorted(CASES_DIR.glob("*.toml"))
    assert files
    for path in files:
        assert tomllib.loads(path.read_text(encoding="utf-8")).get("case"), path
