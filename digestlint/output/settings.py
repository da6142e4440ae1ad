"""``digestlint check --show-settings FILE``: the settings that apply to one file (which
config file, what it extends, the root config, the profile, the fail level, the file
globs, the link checker, the source, archive and filler tables, and every enabled rule
with its severity and options), as text or as JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from digestlint.config import Settings
from digestlint.findings import Severity
from digestlint.profile import BUILTIN_PROFILES


def describe_settings(
    name: str,
    settings: Settings,
    config_file: Path | None,
    root_config: Path | None,
    fail_level: Severity,
) -> dict[str, Any]:
    """The settings for the file shown as ``name`` (``config_file``: the one that applies,
    ``None`` for the defaults)."""
    config = settings.config
    profile = config.profile
    enabled = settings.enabled_for(name)
    rules = []
    for rule in settings.rules:
        if rule.code not in enabled:
            continue
        runs = "yes"
        if not settings.can_run(rule, online=True):
            runs = "no: the profile has no fixed layout"
        elif not settings.can_run(rule, online=False):
            runs = (
                "with --check-source or source.online"
                if rule.family == "source"
                else "with --check-links or links.online"
            )
        elif rule.cross_report:
            runs = "when two or more reports are checked (a directory, or --archive)"
        rules.append(
            {
                "code": rule.code,
                "name": rule.name,
                "severity": settings.severities[rule.code].value,
                "runs": runs,
                "options": settings.options[rule.code].model_dump(by_alias=True, mode="json"),
            }
        )
    return {
        "file": name,
        "config-file": str(config_file) if config_file else None,
        "extends": [str(path) for path in settings.extends],
        "root-config": str(root_config) if root_config else None,
        "profile": {
            "name": settings.profile.name,
            "from": "inline table"
            if isinstance(profile, dict)
            else "built-in"
            if profile in BUILTIN_PROFILES
            else str(settings.root / profile),
        },
        "schema": str(settings.root / config.schema_) if config.schema_ else None,
        "fail-level": fail_level.value,
        "include": config.include,
        "extend-include": config.extend_include,
        "exclude": config.exclude,
        "per-file-ignores": settings.per_file_ignores_for(name),
        "links": config.links.model_dump(by_alias=True, mode="json"),
        **{
            table: getattr(config, table).model_dump(by_alias=True, mode="json")
            for table in ("source", "archive", "filler")
        },
        "rules": rules,
        "rules-enabled": f"{len(rules)} of {len(settings.rules)}",
    }


def format_settings(data: dict[str, Any], as_json: bool = False) -> str:
    if as_json:
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    extends = "".join(f"  extends: {path}\n" for path in data["extends"])
    lines = [
        f"File: {data['file']}",
        f"Config file: {data['config-file'] or '(none: the defaults)'}",
    ]
    text = "\n".join(lines) + "\n" + extends
    root_note = " (it sets the fail level and the network permissions)"
    rows = [
        ("Root config", (data["root-config"] or "(none: the defaults)") + root_note),
        ("Profile", f"{data['profile']['name']} ({data['profile']['from']})"),
        ("Schema", data["schema"] or "(none)"),
        ("Fail level", data["fail-level"]),
        ("Include", _listed(data["include"])),
        ("Extend include", _listed(data["extend-include"])),
        ("Exclude", _listed(data["exclude"])),
        (
            "Per-file ignores",
            "; ".join(
                f"{glob}: {', '.join(codes)}" for glob, codes in data["per-file-ignores"].items()
            )
            or "(none for this file)",
        ),
    ]
    text += "".join(f"{label}: {value}\n" for label, value in rows)
    for table in ("links", "source", "archive", "filler"):
        text += f"{table.capitalize()}:\n" + "".join(
            f"  {key} = {json.dumps(value, ensure_ascii=False)}\n"
            for key, value in data[table].items()
        )
    text += f"Rules ({data['rules-enabled']} enabled):\n"
    for rule in data["rules"]:
        runs = "" if rule["runs"] == "yes" else f"  ({rule['runs']})"
        text += f"  {rule['code']}  {rule['name']}  {rule['severity']}{runs}\n"
        text += "".join(
            f"      {key} = {json.dumps(value, ensure_ascii=False)}\n"
            for key, value in rule["options"].items()
        )
    return text


def _listed(values: list[str]) -> str:
    return ", ".join(values) if values else "(none)"
