"""Rule documentation: the registry, `digestlint rule` and docs/rules.md agree."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from digestlint.cli import main
from digestlint.docs import TEMPLATE_HEADINGS, doc_sections, rules_markdown
from digestlint.registry import all_rules

ROOT = Path(__file__).resolve().parent.parent
RULES_MD = ROOT / "docs" / "rules.md"
REGENERATE = "python -m digestlint.docs > docs/rules.md"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_docs_rules_md_is_up_to_date() -> None:
    assert RULES_MD.read_text(encoding="utf-8") == rules_markdown(), (
        f"docs/rules.md is out of date; run `{REGENERATE}`"
    )


def test_the_generator_runs_as_a_module() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "digestlint.docs"],
        capture_output=True,
        check=True,
        cwd=ROOT,
    )
    assert completed.stdout.decode("utf-8") == rules_markdown()


def test_codes_and_names_are_unique_and_well_formed() -> None:
    rules = all_rules()
    codes = [r.code for r in rules]
    names = [r.name for r in rules]
    assert len(set(codes)) == len(codes)
    assert len(set(names)) == len(names)
    assert not set(codes) & set(names)
    for rule in rules:
        assert re.fullmatch(r"DL\d{3}", rule.code), rule.code
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name), rule.name


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_every_rule_has_the_five_template_headings(rule) -> None:
    sections = doc_sections(rule)
    assert [h for h in sections if h in TEMPLATE_HEADINGS] == list(TEMPLATE_HEADINGS)
    for heading in TEMPLATE_HEADINGS:
        assert sections[heading].strip(), f"{rule.code}: empty `## {heading}`"


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_rules_md_has_every_rule_with_its_docstring(rule) -> None:
    text = RULES_MD.read_text(encoding="utf-8")
    assert f"### {rule.code} {rule.name}\n" in text
    assert doc_sections(rule)["Fix safety"] in text


def test_rule_command_prints_the_docstring_by_code_and_by_name() -> None:
    rule = next(r for r in all_rules() if r.code == "DL401")
    code, by_code, _ = run("rule", "DL401")
    assert code == 0
    assert by_code.startswith("# DL401 stray-h1\n")
    assert rule.doc in by_code
    code, by_name, _ = run("rule", "stray-h1")
    assert (code, by_name) == (0, by_code)


def test_rule_command_with_a_prefix_prints_each_rule() -> None:
    code, output, _ = run("rule", "DL5")
    assert code == 0
    expected = [r.code for r in all_rules() if r.code.startswith("DL5")]
    assert re.findall(r"^# (DL\d+) ", output, re.MULTILINE) == expected


def test_unknown_rule_exits_2_with_a_message() -> None:
    code, output, error = run("rule", "DL999")
    assert code == 2
    assert output == ""
    assert "unknown rule 'DL999'" in error


def test_rule_command_needs_a_rule_or_all() -> None:
    code, _, error = run("rule")
    assert code == 2
    assert "--all" in error


def test_rule_all_json_lists_every_rule() -> None:
    code, output, _ = run("rule", "--all", "--format", "json")
    assert code == 0
    listed = json.loads(output)
    rules = all_rules()
    assert [item["code"] for item in listed] == [r.code for r in rules]
    for item, rule in zip(listed, rules, strict=True):
        assert item["name"] == rule.name
        assert item["severity"] == rule.severity.value
        assert item["fixable"] is rule.fixable
        assert item["family"] == rule.family
        assert item["documentation"] == rule.doc
        jsonschema.Draft202012Validator.check_schema(item["options"])
        # The options schema accepts the defaults and rejects unknown keys.
        jsonschema.validate(rule.options().model_dump(mode="json"), item["options"])
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({"no-such-option": 1}, item["options"])


def test_rule_json_for_one_rule_is_an_object() -> None:
    code, output, _ = run("rule", "section-heading-style", "--format", "json")
    assert code == 0
    info = json.loads(output)
    assert info["code"] == "DL403"
    assert "style" in info["options"]["properties"]


def test_main_command_still_lints_paths() -> None:
    code, output, _ = run(str(ROOT / "examples" / "clean-report.md"))
    assert code == 0
    assert "All checks passed" in output
