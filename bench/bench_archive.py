"""Cost of the archive checks: a record per report, and the cross-report step over a year.

Baselines: ``lint`` of the same report (a record is built from its finished pass, so the
record's own cost is what it adds to a run), and the cross-report step over a year of
daily reports of 13 papers each, two of them repeated from earlier days.

Run: ``python bench/bench_archive.py [--days N] [--repeat N]``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from digestlint.api import findings_of
from digestlint.archive import archive_findings, record_of
from digestlint.config import Settings
from digestlint.lintpass import LintPass

SEED = Path(__file__).resolve().parent.parent / "seeds" / "hf-daily-papers-2026-02-20.md"


def median_seconds(task: Callable[[], object], repeat: int) -> float:
    task()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        task()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    text = SEED.read_text(encoding="utf-8")
    settings = Settings()
    lint_pass = LintPass(text, settings, SEED.name)
    findings_of(lint_pass)
    lint = median_seconds(lambda: findings_of(LintPass(text, settings, SEED.name)), args.repeat)
    record = median_seconds(lambda: record_of(lint_pass), args.repeat)
    base = record_of(lint_pass)
    records = []
    for day in range(args.days):
        when = date(2026, 1, 1) + timedelta(days=day)
        # Paper n of day d is number 13d + n, shifted back 14 for n = 0 and n = 10:
        # two papers a day that earlier days already had.
        numbers = [13 * day + n - (14 if n % 10 == 0 and day else 0) for n in range(13)]
        papers = tuple(
            replace(mention, id=f"2601.{number:05d}")
            for number, mention in zip(numbers, base.papers, strict=False)
        )
        records.append(replace(base, path=f"{when}.md", day=when, papers=papers))
    step = median_seconds(lambda: archive_findings(records), args.repeat)
    print(
        f"{SEED.name}: lint {lint * 1000:.2f} ms; record_of {record * 1000:.3f} ms "
        f"({record / lint:.1%} of lint)"
    )
    found = sum(len(f) for f in archive_findings(records).values())
    print(f"cross-report step over {args.days} reports: {step * 1000:.2f} ms ({found} findings)")


if __name__ == "__main__":
    main()
