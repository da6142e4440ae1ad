"""The README's sample output is what `digestlint seeds/…` prints today."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FINDING_LINE = re.compile(
    r"seeds/hf-daily-papers-2026-02-20\.md:\d+:\d+: (error|warning|info) DL\d{3} \[[a-z0-9-]+\] .+"
)


def readme_sample() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```text\n(seeds/hf-daily-papers.*?)```", readme, re.S)
    assert block, "the README has no sample output"
    return block.group(1).splitlines()


def test_the_readme_sample_lines_are_the_seed_output() -> None:
    # The real command, as the README runs it: the console script, from the clone's root,
    # its output piped (so without colour).
    result = subprocess.run(
        [sys.executable, "-m", "digestlint", "seeds/hf-daily-papers-2026-02-20.md"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        # The test's own content cache (conftest), not one in the clone.
        env={
            "PATH": "/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "DIGESTLINT_CACHE_DIR": os.environ["DIGESTLINT_CACHE_DIR"],
        },
    )
    assert result.returncode == 1, result.stderr
    output = result.stdout.splitlines()
    sample = readme_sample()
    assert sample[-1] == output[-1]  # the `Found N findings ... N errors, M warnings` line
    shown = [line for line in sample[:-1] if line != "..."]
    # Finding lines of both severities, each in the output, in the output's order.
    assert all(FINDING_LINE.fullmatch(line) for line in shown), shown
    assert {FINDING_LINE.fullmatch(line).group(1) for line in shown} == {"error", "warning"}
    positions = [output.index(line) for line in shown]
    assert positions == sorted(positions)
    assert set(sample) - set(shown) - {sample[-1]} <= {"..."}  # `...`: lines left out
