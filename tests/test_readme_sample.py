"""The README's sample output is what `digestlint seeds/…` prints today."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from digestlint.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_the_readme_sample_lines_are_the_seed_output(monkeypatch) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```text\n(seeds/hf-daily-papers.*?)```", readme, re.S)
    assert block, "the README has no sample output"
    sample = [line for line in block.group(1).splitlines() if line != "..."]
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["seeds/hf-daily-papers-2026-02-20.md"])
    assert result.exit_code == 1
    output = result.output.splitlines()
    assert sample[-1] == output[-1]  # the `Found N findings` line
    for line in sample[:-1]:
        assert line in output
