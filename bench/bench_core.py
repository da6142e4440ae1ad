"""Cost of linting and fixing, as ratios to named baselines measured in the same run.

Baselines:
- ``markdown-it``: markdown-it-py parsing the same text (the floor: we parse once).
- ``read``: reading the file from disk.

Run: ``python bench/bench_core.py [REPORT.md] [--repeat N]``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from digestlint import fix_text, lint_text
from digestlint.parse import markdown_parser, parse
from digestlint.profile import HF_DAILY_PAPERS_ZH

SEED = Path(__file__).resolve().parent.parent / "seeds" / "hf-daily-papers-2026-02-20.md"


def median_seconds(task: Callable[[], object], repeat: int) -> float:
    task()  # warm caches and imports once
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        task()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("report", nargs="?", type=Path, default=SEED)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    text = args.report.read_text(encoding="utf-8")
    big = "\n".join([text] * 10)
    rows = [
        ("read", lambda: args.report.read_text(encoding="utf-8")),
        ("markdown-it", lambda: markdown_parser().parse(text)),
        ("parse (model)", lambda: parse(text, HF_DAILY_PAPERS_ZH)),
        ("lint", lambda: lint_text(text)),
        ("fix", lambda: fix_text(text)),
        ("markdown-it x10", lambda: markdown_parser().parse(big)),
        ("lint x10", lambda: lint_text(big)),
    ]
    timings = {name: median_seconds(task, args.repeat) for name, task in rows}
    base = timings["markdown-it"]
    base_big = timings["markdown-it x10"]
    print(f"{args.report.name}: {len(text):,} characters, median of {args.repeat} runs")
    for name, seconds in timings.items():
        baseline = base_big if name.endswith("x10") else base
        print(f"  {name:16s} {seconds * 1000:8.2f} ms   {seconds / baseline:5.2f}x markdown-it")


if __name__ == "__main__":
    main()
