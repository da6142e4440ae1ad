"""Where one lint's time goes: the parse, the document model and each rule, as shares of
``lint_text`` under cProfile (which slows Python code more than C: read proportions).

Run: ``python bench/profile_lint.py [REPORT.md] [--runs N]`` (the seed by default).
The table is Markdown, for docs/performance.md.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import time
from pathlib import Path

from digestlint import lint_text
from digestlint.config import SettingsLookup
from digestlint.registry import all_rules

SEED = Path(__file__).resolve().parent.parent / "seeds" / "hf-daily-papers-2026-02-20.md"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("report", nargs="?", type=Path, default=SEED)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--rules", type=int, default=8, help="how many rules to list")
    args = parser.parse_args()
    text = args.report.read_text(encoding="utf-8")
    settings = SettingsLookup().for_path(args.report)
    name = args.report.name

    def lint() -> object:
        return lint_text(text, settings, name)

    for _ in range(3):
        lint()
    samples = []
    for _ in range(args.runs):
        start = time.perf_counter()
        lint()
        samples.append(time.perf_counter() - start)
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.runs):
        lint()
    profile.disable()
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]

    def cumulative(file_suffix: str, function: str) -> float:
        return sum(
            row[3]
            for (file, _, name_), row in stats.items()
            if file.endswith(file_suffix) and name_ == function
        )

    total = cumulative("digestlint/api.py", "lint_text")
    markdown_it = cumulative("markdown_it/main.py", "parse")
    model = cumulative("digestlint/parse/__init__.py", "parse") - markdown_it
    views = cumulative("digestlint/rules/_prose.py", "prose_views")
    suppressions = cumulative("digestlint/suppressions.py", "apply_suppressions")
    checks = {
        (r.check.__code__.co_filename, r.check.__code__.co_firstlineno, r.check.__name__): r
        for r in all_rules()
        if r.check is not None
    }
    rules = sorted(
        ((row[3], checks[key]) for key, row in stats.items() if key in checks),
        key=lambda found: -found[0],
    )
    print(
        f"`lint_text` on {name}: {statistics.median(samples) * 1000:.0f} ms "
        f"(median of {args.runs}, in process); shares under cProfile:\n"
    )
    print("| part | share |\n|---|---:|")
    print(f"| markdown-it-py parse | {markdown_it / total:.0%} |")
    print(f"| the document model built from the tokens | {model / total:.0%} |")
    print(
        f"| all rules, with the data they share (prose views {views / total:.0%}), "
        f"built by the first rule that asks | {sum(t for t, _ in rules) / total:.0%} |"
    )
    for seconds, found in rules[: args.rules]:
        print(f"| — {found.name} ({found.code}) | {seconds / total:.1%} |")
    print(f"| suppressions | {suppressions / total:.1%} |")


if __name__ == "__main__":
    main()
