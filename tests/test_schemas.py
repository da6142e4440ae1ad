"""The committed JSON Schemas in ``schemas/`` are what the models generate, and they work."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from digestlint.config import Config
from digestlint.profile import BUILTIN_PROFILES, HF_DAILY_PAPERS_ZH
from digestlint.report import report_schema
from digestlint.schemas import GENERATED, render, stale, write

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "schemas"
EXAMPLE = ROOT / "examples" / "en-digest"


def load(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(load(name), format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_committed_schemas_are_up_to_date() -> None:
    outdated = stale(SCHEMAS)
    assert outdated == [], f"regenerate with `python -m digestlint.schemas`: {outdated}"


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_committed_schema_is_valid_json_schema(name: str) -> None:
    Draft202012Validator.check_schema(load(name))


def test_report_schema_is_the_default_profiles() -> None:
    assert load("report.schema.json") == report_schema(HF_DAILY_PAPERS_ZH)


def test_check_mode_detects_a_drifted_file_and_write_fixes_only_generated_files(
    tmp_path: Path,
) -> None:
    findings_schema = tmp_path / "findings.schema.json"
    findings_schema.write_text('{"owned": "elsewhere"}\n', encoding="utf-8")
    assert sorted(write(tmp_path)) == sorted(GENERATED)
    command = [sys.executable, "-m", "digestlint.schemas", str(tmp_path), "--check"]
    assert subprocess.run(command, capture_output=True, check=False).returncode == 0
    drifted = tmp_path / "profile.schema.json"
    drifted.write_text(drifted.read_text(encoding="utf-8").replace('"level"', '"lvl"'), "utf-8")
    checked = subprocess.run(command, capture_output=True, text=True, check=False)
    assert checked.returncode == 1
    assert "profile.schema.json: out of date" in checked.stderr
    assert write(tmp_path) == ["profile.schema.json"]
    assert drifted.read_text(encoding="utf-8") == render(GENERATED["profile.schema.json"]())
    assert findings_schema.read_text(encoding="utf-8") == '{"owned": "elsewhere"}\n'


@pytest.mark.parametrize("profile", sorted(BUILTIN_PROFILES))
def test_builtin_profiles_satisfy_the_profile_schema(profile: str) -> None:
    data = BUILTIN_PROFILES[profile].model_dump(mode="json", by_alias=True)
    assert list(validator("profile.schema.json").iter_errors(data)) == []


def test_example_profile_satisfies_the_profile_schema() -> None:
    data = tomllib.loads((EXAMPLE / "profile.toml").read_text(encoding="utf-8"))
    assert list(validator("profile.schema.json").iter_errors(data)) == []


def test_profile_schema_rejects_what_the_model_rejects() -> None:
    check = validator("profile.schema.json")
    assert not check.is_valid({"sections": [{"name": "TL;DR", "alias": ["TLDR"]}]})
    assert not check.is_valid({"paper_heading": {"level": 7}})


def test_example_config_satisfies_the_config_schema() -> None:
    data = tomllib.loads((EXAMPLE / ".digestlint.toml").read_text(encoding="utf-8"))
    assert list(validator("config.schema.json").iter_errors(data)) == []


def test_config_schema_describes_inline_profile_tables() -> None:
    """Editors complete and check ``[tool.digestlint.profile]`` keys, not just any table."""
    check = validator("config.schema.json")
    inline = tomllib.loads((EXAMPLE / "profile.toml").read_text(encoding="utf-8"))
    good = {"profile": inline, "select": ["DL3"], "rules": {"DL403": {"style": "atx"}}}
    assert list(check.iter_errors(good)) == []
    Config.model_validate(good)  # and the model agrees
    assert not check.is_valid({"profile": {**inline, "sectoins": []}})
    assert not check.is_valid({"profile": {"paper_heading": {"level": "two"}}})
    assert not check.is_valid({"unknown-key": True})
    assert check.is_valid({"profile": "generic", "schema": "extra.schema.json"})
