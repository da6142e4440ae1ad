"""The JSON Schemas in ``schemas/``, generated: ``python -m digestlint.schemas [DIR] [--check]``.

- ``report.schema.json``: the report ``digestlint export`` prints, for the default
  profile (other profiles' reports follow :func:`digestlint.report.report_schema`).
- ``profile.schema.json``: a profile file (TOML or JSON), from the ``Profile`` model.
- ``config.schema.json``: ``[tool.digestlint]`` or ``.digestlint.toml``, from the
  ``Config`` model; editors use it for completion and checking (e.g. taplo's
  ``#:schema ./schemas/config.schema.json`` first line in a ``.digestlint.toml``).

The findings schema (``findings.schema.json``) is written by its own module; this one
never touches files it does not generate. A test fails when a committed file differs
from what this module generates, so the models and the files cannot drift apart.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from digestlint.config import Config
from digestlint.profile import BUILTIN_PROFILES, DEFAULT_PROFILE, HF_DAILY_PAPERS_ZH, Profile
from digestlint.report import SCHEMA_DIALECT, report_schema


def profile_schema() -> dict[str, Any]:
    schema = Profile.model_json_schema(by_alias=True)
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "digestlint profile",
        "description": "The layout of a digest format: a profile file (TOML or JSON) or "
        "the `[tool.digestlint.profile]` table.",
        **{key: value for key, value in schema.items() if key not in ("title", "description")},
    }


def config_schema() -> dict[str, Any]:
    """``Config``'s schema, with the inline ``profile`` table described by the profile
    model: ``Config`` keeps it a plain table so that its errors name profile keys."""
    schema = Config.model_json_schema(by_alias=True)
    profile = profile_schema()
    definitions = schema.setdefault("$defs", {})
    definitions.update(copy.deepcopy(profile.get("$defs", {})))
    definitions["Profile"] = {
        key: value
        for key, value in profile.items()
        if key not in ("$defs", "$schema", "title", "description")
    }
    described = schema["properties"]["profile"]
    builtins = ", ".join(f"`{name}`" for name in BUILTIN_PROFILES)
    schema["properties"]["profile"] = {
        "title": described.get("title", "Profile"),
        "description": described.get("description", ""),
        "default": DEFAULT_PROFILE,
        "anyOf": [
            {
                "type": "string",
                "description": f"A built-in profile ({builtins}) or a path to a profile file.",
                "examples": list(BUILTIN_PROFILES),
            },
            {"$ref": "#/$defs/Profile"},
        ],
    }
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "digestlint configuration",
        "description": "`[tool.digestlint]` in pyproject.toml, or a .digestlint.toml file.",
        **{key: value for key, value in schema.items() if key not in ("title", "description")},
    }


def default_report_schema() -> dict[str, Any]:
    return report_schema(HF_DAILY_PAPERS_ZH)


GENERATED: dict[str, Callable[[], dict[str, Any]]] = {
    "report.schema.json": default_report_schema,
    "profile.schema.json": profile_schema,
    "config.schema.json": config_schema,
}
"""File name -> the function generating it."""


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def stale(directory: Path) -> list[str]:
    """Names of generated files in ``directory`` that are missing or out of date."""
    return [
        name
        for name, generate in GENERATED.items()
        if not (directory / name).is_file()
        or (directory / name).read_text(encoding="utf-8") != render(generate())
    ]


def write(directory: Path) -> list[str]:
    """Write every generated schema into ``directory``; the names of files that changed."""
    directory.mkdir(parents=True, exist_ok=True)
    changed = stale(directory)
    for name in changed:
        (directory / name).write_text(render(GENERATED[name]()), encoding="utf-8")
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m digestlint.schemas", description="Generate the JSON Schemas."
    )
    parser.add_argument("directory", nargs="?", default="schemas", type=Path)
    parser.add_argument(
        "--check", action="store_true", help="Write nothing; exit 1 if a file is out of date."
    )
    arguments = parser.parse_args(argv)
    if arguments.check:
        outdated = stale(arguments.directory)
        for name in outdated:
            print(f"{arguments.directory / name}: out of date", file=sys.stderr)
        return 1 if outdated else 0
    for name in write(arguments.directory):
        print(f"wrote {arguments.directory / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
