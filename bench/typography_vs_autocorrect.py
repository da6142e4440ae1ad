"""Run autocorrect (``autocorrect-py``) and digestlint's DL8xx fixes on a report side by
side and list every place where their outputs disagree.

Each disagreement is put in a category; every category is explained in
``docs/typography.md`` (the ``#anchor`` printed with it). A disagreement in no known
category is printed as ``unexplained`` and makes the script exit 1: either digestlint
is wrong there or the docs need a new entry.

Also prints how long each tool takes on the report, as a ratio measured in this run.

Usage: ``python bench/typography_vs_autocorrect.py [REPORT.md]`` (default: the seed).
"""

from __future__ import annotations

import difflib
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import autocorrect_py

from digestlint import fix_text, lint_text
from digestlint.config import Config, Settings
from digestlint.parse.markdown import is_punctuation
from digestlint.rules._prose import is_han
from digestlint.rules.cjk_spacing import DATE_TIME_UNITS, NO_SPACE_UNITS

SEED = Path(__file__).parent.parent / "seeds" / "hf-daily-papers-2026-02-20.md"
DOCS = "docs/typography.md"
CONTEXT = 8


@dataclass
class Disagreement:
    line: int
    original: str
    digestlint: str
    autocorrect: str
    category: str


def digestlint_fix(text: str) -> str:
    settings = Settings(Config.model_validate({"select": ["DL8"]}))
    return fix_text(text, settings).text


def categorize(ours: str, theirs: str, at: int, their_at: int) -> str:
    """Why the two outputs differ around ``ours[at]`` / ``theirs[their_at]``."""
    before = ours[:at].rstrip()[-1:] if ours[:at].strip() else ""
    after = ours[at:].lstrip()[:1]
    their_after = theirs[their_at:].lstrip()[:1]
    if before.isdigit() and after == "倍":
        return "multiplier-spacing"
    units = (*NO_SPACE_UNITS, *DATE_TIME_UNITS)
    if before == "*" and after in units:
        return "unit-spacing"  # **10/11** 个
    if before.isdigit() and after in units:
        return "unit-spacing"
    if "-" in (after, their_after, before) and (is_han(before) or is_han(after)):
        return "hyphen-between-han"
    prefix = ours[:at].rstrip()
    if prefix.endswith("**") and len(prefix) > 2 and is_punctuation(prefix[-3]):
        return "bold-next-to-punctuation"
    if prefix.endswith("**") or ours[at:].lstrip().startswith("**"):
        return "boundary-through-markup"
    return "unexplained"


def disagreements(original: str, ours: str, theirs: str) -> list[Disagreement]:
    found: list[Disagreement] = []
    rows = zip(original.splitlines(), ours.splitlines(), theirs.splitlines(), strict=False)
    for number, (source_line, our_line, their_line) in enumerate(rows, 1):
        if our_line == their_line:
            continue
        matcher = difflib.SequenceMatcher(None, our_line, their_line, autojunk=False)
        for i1, i2, j1, j2 in _merged(matcher.get_opcodes()):
            found.append(
                Disagreement(
                    line=number,
                    original=_excerpt(source_line, _source_column(source_line, our_line, i1)),
                    digestlint=our_line[max(0, i1 - CONTEXT) : i2 + CONTEXT],
                    autocorrect=their_line[max(0, j1 - CONTEXT) : j2 + CONTEXT],
                    category=categorize(our_line, their_line, i1, j1),
                )
            )
    return found


def _merged(opcodes: list) -> list[tuple[int, int, int, int]]:
    """Differences closer than three characters are one disagreement (``手 - 物``)."""
    merged: list[list[int]] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            continue
        if merged and i1 - merged[-1][1] <= 3:
            merged[-1][1], merged[-1][3] = i2, j2
        else:
            merged.append([i1, i2, j1, j2])
    return [(a, b, c, d) for a, b, c, d in merged]


def _source_column(source_line: str, our_line: str, at: int) -> int:
    """The column of ``our_line[at]`` in the unfixed line (fixes only move whitespace)."""
    meaningful = len(our_line[:at].replace(" ", ""))
    seen = 0
    for column, char in enumerate(source_line):
        if seen == meaningful:
            return column
        if char != " ":
            seen += 1
    return len(source_line)


def _excerpt(line: str, at: int) -> str:
    return line[max(0, at - CONTEXT) : at + CONTEXT]


def timed(function, text: str, repeat: int = 5) -> tuple[str, float]:
    best = float("inf")
    result = ""
    for _ in range(repeat):
        started = time.perf_counter()
        result = function(text)
        best = min(best, time.perf_counter() - started)
    return result, best


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else SEED
    original = path.read_text(encoding="utf-8")
    ours, our_time = timed(digestlint_fix, original)
    theirs, their_time = timed(lambda t: autocorrect_py.format_for(t, "md"), original)
    found = disagreements(original, ours, theirs)
    print(f"{path}: {len(found)} disagreements between digestlint (DL8xx fixes) and autocorrect")
    print()
    for item in found:
        print(f"line {item.line} [{item.category}] see {DOCS}#{item.category}")
        print(f"  original    : {item.original!r}")
        print(f"  digestlint  : {item.digestlint!r}")
        print(f"  autocorrect : {item.autocorrect!r}")
    print()
    counts: dict[str, int] = {}
    for item in found:
        counts[item.category] = counts.get(item.category, 0) + 1
    for category, count in sorted(counts.items(), key=lambda kv: -kv[1]):
        print(f"{count:4d}  {category}")
    print()
    print(
        f"time (best of 5): digestlint fix {our_time * 1000:.1f} ms, "
        f"autocorrect {their_time * 1000:.1f} ms, ratio {our_time / their_time:.1f}x"
    )
    without = Settings(Config.model_validate({"ignore": ["DL8"]}))
    _, base_time = timed(lambda t: lint_text(t, without), original)
    _, full_time = timed(lambda t: lint_text(t, Settings()), original)
    print(
        f"lint with DL8xx {full_time * 1000:.1f} ms vs without {base_time * 1000:.1f} ms: "
        f"the DL8xx rules cost {full_time / base_time:.2f}x a lint without them"
    )
    return 1 if counts.get("unexplained") else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
