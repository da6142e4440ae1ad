"""Find (or install) Microsoft's SARIF validator, ``@microsoft/sarif-multitool``.

Looked for in this order: ``$SARIF_MULTITOOL`` (the executable), then the directory that
``scripts/install-sarif-validator.sh`` installs into. When neither has it and ``npm`` is
on PATH, the script is run (it installs from the npm registry). ``None`` means npm is
absent, the only case in which the validator test may skip.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTALL_SCRIPT = ROOT / "scripts" / "install-sarif-validator.sh"


def locate() -> Path | None:
    explicit = os.environ.get("SARIF_MULTITOOL")
    if explicit:
        return Path(explicit)
    if shutil.which("npm") is None:
        return None
    # The script is idempotent: it prints the installed binary, installing it if needed.
    completed = subprocess.run(
        ["sh", str(INSTALL_SCRIPT)], capture_output=True, text=True, check=True, timeout=600
    )
    return Path(completed.stdout.strip().splitlines()[-1])


def validate(validator: Path, sarif_file: Path, log_file: Path) -> list[dict]:
    """The validator's findings of level error or warning about ``sarif_file``."""
    subprocess.run(
        [
            str(validator),
            "validate",
            str(sarif_file),
            *("--output", str(log_file), "--log", "ForceOverwrite", "--level", "Error;Warning"),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    log = json.loads(log_file.read_text(encoding="utf-8-sig"))
    return [
        {
            "level": r.get("level", "warning"),
            "rule": r.get("ruleId"),
            "arguments": r.get("message", {}).get("arguments"),
        }
        for run in log["runs"]
        for r in run.get("results", [])
    ]
