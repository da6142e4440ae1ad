"""Rule cases as data: every ``tests/cases/*.toml`` file holds ``[[case]]`` tables.

Keys of a case:
- ``rule``: the code under test; only that rule runs.
- ``source``: the Markdown to lint.
- ``fail``: the expected findings as ``"line:col"`` strings, in order; ``[]`` is a pass case.
- ``fix`` (optional): the text ``fix_text`` must produce; it must itself pass the rule.
- ``unsafe`` (optional): apply unsafe fixes too.
- ``options`` (optional): the rule's options table; ``config`` (optional): extra config keys.
- ``path`` (optional): the file name the source is linted as (default ``-``, stdin).
- ``message`` (optional): a substring the first finding's message must contain.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from digestlint import fix_text, lint_text
from digestlint.config import Config, Settings

CASES_DIR = Path(__file__).parent / "cases"


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


def positions(text: str, settings: Settings, code: str, path: str = "-") -> list[str]:
    return [f"{f.line}:{f.column}" for f in lint_text(text, settings, path) if f.code == code]


@pytest.mark.parametrize("case", _load())
def test_rule_case(case: dict) -> None:
    settings = settings_for(case)
    path = case.get("path", "-")
    findings = [f for f in lint_text(case["source"], settings, path) if f.code == case["rule"]]
    assert [f"{f.line}:{f.column}" for f in findings] == case["fail"]
    if "message" in case:
        assert case["message"] in findings[0].message
    if "fix" in case:
        unsafe = case.get("unsafe", False)
        fixed = fix_text(case["source"], settings, path, unsafe=unsafe).text
        assert fixed == case["fix"]
        assert positions(fixed, settings, case["rule"], path) == []
        assert fix_text(fixed, settings, path, unsafe=unsafe).text == fixed


def test_every_case_file_has_cases() -> None:
    files = sorted(CASES_DIR.glob("*.toml"))
    assert files
    for path in files:
        assert tomllib.loads(path.read_text(encoding="utf-8")).get("case"), path
