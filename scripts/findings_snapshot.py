"""Every finding and every fix on the project's own reports, as one JSON document.

A refactor must not change behaviour: run this before and after it and compare (and
scripts/cli_snapshot.sh for the CLI's output in every format)::

    python scripts/findings_snapshot.py > before.json
    # ... the refactor ...
    python scripts/findings_snapshot.py > after.json
    cmp before.json after.json

Reports: the seeds, the examples and every Markdown file under tests/, or the reports
named on the command line, files or directories (``python scripts/findings_snapshot.py
big.md``: a report made big to check that a speed-up changes nothing). Each is linted
offline with the settings it is tested with (a real-shaped report's ``config`` table, else
the configuration found upward from it), and fixed with safe and with unsafe fixes.
"""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

from digestlint import FixError, fix_text, lint_text
from digestlint.config import Config, Settings, SettingsLookup

ROOT = Path(__file__).resolve().parent.parent
REAL_SHAPED = ROOT / "tests" / "data" / "real-shaped"


def reports() -> list[Path]:
    found = [*ROOT.glob("seeds/*.md"), *ROOT.glob("examples/**/*.md")]
    found += ROOT.glob("tests/**/*.md")
    return sorted(p for p in found if not p.name.endswith(".fixed.md"))


def settings_for(path: Path, lookup: SettingsLookup) -> Settings:
    expectation = path.with_suffix(".toml")
    if path.parent == REAL_SHAPED and expectation.exists():
        table = tomllib.loads(expectation.read_text(encoding="utf-8")).get("config", {})
        return Settings(Config.model_validate(table), root=REAL_SHAPED)
    return lookup.for_path(path)


def fixed(text: str, settings: Settings, name: str, unsafe: bool) -> dict:
    try:
        result = fix_text(text, settings, name, unsafe=unsafe)
    except FixError as error:
        return {"error": str(error)}
    return {"text": result.text, "fixed": [f.to_json() for f in result.fixed]}


def main() -> None:
    lookup = SettingsLookup()
    snapshot = {}
    named = []
    for arg in sys.argv[1:]:
        path = Path(arg).resolve()
        named += sorted(path.rglob("*.md")) if path.is_dir() else [path]
    for path in named or reports():
        name = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
        text = path.read_text(encoding="utf-8")
        settings = settings_for(path, lookup)
        snapshot[name] = {
            "findings": [f.to_json() for f in lint_text(text, settings, name)],
            "fix": fixed(text, settings, name, unsafe=False),
            "unsafe-fix": fixed(text, settings, name, unsafe=True),
        }
    json.dump(snapshot, sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
