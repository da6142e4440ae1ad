"""What the language rules (DL901, DL902) cost on the seed, against baselines measured here.

Prints:
- the ratio of lint time with the language rules on to lint time with them off, median of
  interleaved repetitions, with the answer cache cleared before every run (the cost of a
  fresh text) and with it kept (relinting the same text);
- cold (a fresh interpreter's first lint, which imports langdetect and loads profiles if
  needed) against warm;
- the naive use of langdetect (``detect_langs`` on the default factory) against this
  module on the seed's paragraphs: load time, time per paragraph, and how many
  paragraphs of this all-Chinese report each labels as another language.

Times are CPU time of the process (``time.process_time``): on a shared machine wall time
swings by tens of percent between identical runs, CPU time much less.

Run: ``.venv/bin/python bench/bench_language.py [--reps N]``.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "hf-daily-papers-2026-02-20.md"

COLD_SNIPPET = """
import sys, time
from pathlib import Path
from digestlint import lint_text
from digestlint.config import Config, Settings
text = Path(sys.argv[1]).read_text(encoding="utf-8")
settings = Settings(Config(ignore=["DL9"])) if sys.argv[2] == "off" else Settings()
start = time.process_time()
lint_text(text, settings)
first = time.process_time() - start
start = time.process_time()
lint_text(text, settings)
print(first, time.process_time() - start)
"""


def lint_times(text: str, reps: int) -> dict[str, list[float]]:
    from digestlint import lint_text
    from digestlint.config import Config, Settings
    from digestlint.language import default_identifier

    on, off = Settings(), Settings(Config(ignore=["DL9"]))
    identifier = default_identifier()
    lint_text(text, on)  # profiles the seed needs are loaded once, outside the timings
    times: dict[str, list[float]] = {"off": [], "on": [], "on-cached": []}
    gc.disable()
    try:
        for _ in range(reps):
            for mode in ("off", "on", "on-cached"):
                if mode == "on":
                    identifier.clear_cache()
                settings = off if mode == "off" else on
                start = time.process_time()
                lint_text(text, settings)
                times[mode].append(time.process_time() - start)
            gc.collect()
    finally:
        gc.enable()
    return times


def rule_times(text: str, reps: int) -> list[float]:
    """The language rules alone on the parsed seed, answer cache cleared each time."""
    from digestlint.config import Settings
    from digestlint.language import default_identifier
    from digestlint.lintpass import LintPass
    from digestlint.registry import find_rule

    lint_pass = LintPass(text, Settings())
    contexts = []
    for code in ("DL901", "DL902"):
        rule = find_rule(code)
        assert rule is not None
        contexts.append(lint_pass.context_for(rule))
    times = []
    for _ in range(reps):
        default_identifier().clear_cache()
        start = time.process_time()
        for context in contexts:
            list(context.rule.check(context))
        times.append(time.process_time() - start)
    return times


def cold(mode: str) -> tuple[float, float]:
    out = subprocess.run(
        [sys.executable, "-c", COLD_SNIPPET, str(SEED), mode],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout.split()
    return float(out[0]), float(out[1])


def paragraphs(text: str) -> list[str]:
    from digestlint.config import Settings
    from digestlint.parse import parse

    document = parse(text, Settings().profile)
    return [
        line
        for paper in document.papers
        for section in paper.sections
        for line in section.prose.split("\n")
        if line.strip()
    ]


def naive(texts: list[str]) -> tuple[float, float, int, int]:
    """Load time, seconds per paragraph, paragraphs labelled other than zh-cn, failures."""
    from langdetect import DetectorFactory, detect_langs
    from langdetect.detector_factory import init_factory
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    start = time.process_time()
    init_factory()
    load = time.process_time() - start
    wrong = failed = 0
    start = time.process_time()
    for text in texts:
        try:
            if detect_langs(text)[0].lang != "zh-cn":
                wrong += 1
        except LangDetectException:
            failed += 1
    return load, (time.process_time() - start) / len(texts), wrong, failed


def ours(texts: list[str]) -> tuple[float, int, int]:
    """Seconds per paragraph (fresh identifier: includes any profile loading), paragraphs
    reported as another language, paragraphs without a verdict."""
    from digestlint.language import LanguageIdentifier

    identifier = LanguageIdentifier()
    wrong = undecided = 0
    start = time.process_time()
    for text in texts:
        verdict = identifier.identify(text, "zh-cn")
        if verdict is None:
            undecided += 1
        elif not verdict.matches("zh-cn"):
            wrong += 1
    return (time.process_time() - start) / len(texts), wrong, undecided


PROFILE_SAMPLES = {
    "English section, zh-cn report": (
        "We propose a linear attention mechanism that matches softmax attention in "
        "accuracy while keeping training and inference linear in the sequence length.",
        "zh-cn",
    ),
    "Japanese section, zh-cn report": (
        "本研究では、大規模言語モデルを用いた進化的アルゴリズムにより、新しい学習アルゴリズム"
        "を自動的に発見する手法を提案する。",
        "zh-cn",
    ),
    "Chinese, 2 marked characters": ("本研究提出了一種基於大型語言模型的方法", "zh-cn"),
    "French title, en expected": (
        "Apprentissage profond pour la traduction automatique des articles",
        "en",
    ),
}


def profile_costs() -> None:
    """Texts the script cannot settle alone: the first answer loads profiles (cold), later
    answers to new texts reuse them (warm: cache cleared, median of 9)."""
    from digestlint.language import LanguageIdentifier

    print("texts that need langdetect, fresh identifier each (langdetect import in the first):")
    for label, (text, expected) in PROFILE_SAMPLES.items():
        identifier = LanguageIdentifier()
        start = time.process_time()
        verdict = identifier.identify(text, expected)
        first = time.process_time() - start
        warm = []
        for _ in range(9):
            identifier.clear_cache()
            start = time.process_time()
            identifier.identify(text, expected)
            warm.append(time.process_time() - start)
        assert verdict is not None
        print(
            f"  {label:32} cold {first * 1000:7.2f} ms   warm {statistics.median(warm) * 1000:6.2f} ms"
            f"   -> {verdict.language} ({len(identifier.loaded_profiles)} profiles loaded)"
        )


def forms(texts: list[str]) -> None:
    """Simplified or Traditional on the seed's paragraphs converted to Traditional (by the
    built-in table): langdetect alone among zh-cn/zh-tw against this module."""
    from collections import Counter

    from digestlint.language import LanguageIdentifier, form_pairs

    table = str.maketrans(form_pairs())
    converted = [text.translate(table) for text in texts]
    identifier = LanguageIdentifier()
    alone: Counter[str] = Counter()
    ours_: Counter[str] = Counter()
    for text in converted:
        ranked = identifier.probabilities(text, ("zh-cn", "zh-tw"))
        alone[ranked[0][0] if ranked and ranked[0][1] >= 0.9 else "unsure"] += 1
        verdict = identifier.identify(text, "zh-cn")
        ours_[verdict.language if verdict else "no verdict"] += 1
    print(f"the same {len(texts)} paragraphs in Traditional characters:")
    print(f"  langdetect alone (zh-cn/zh-tw, p >= 0.9): {dict(alone)}")
    print(f"  digestlint.language:                      {dict(ours_)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=30)
    args = parser.parse_args()
    text = SEED.read_text(encoding="utf-8")

    times = lint_times(text, args.reps)
    median = {mode: statistics.median(values) for mode, values in times.items()}
    print(f"seed lint, median of {args.reps} interleaved runs:")
    print(f"  language rules off       {median['off'] * 1000:7.2f} ms")
    print(f"  on, answer cache cleared {median['on'] * 1000:7.2f} ms")
    print(f"  on, answer cache kept    {median['on-cached'] * 1000:7.2f} ms")
    print(f"ratio on/off (fresh text):   {median['on'] / median['off']:.3f}   (aim: <= 1.25)")
    print(f"ratio on/off (cached text):  {median['on-cached'] / median['off']:.3f}")

    alone = statistics.median(rule_times(text, args.reps))
    print(
        f"the language rules alone (fresh text): {alone * 1000:.2f} ms, "
        f"{alone / median['off'] * 100:.1f}% of a lint with them off"
    )

    runs: dict[str, list[tuple[float, float]]] = {"off": [], "on": []}
    for _ in range(5):
        for mode in ("off", "on"):
            runs[mode].append(cold(mode))
    cold_off, warm_off = (statistics.median(r[i] for r in runs["off"]) for i in (0, 1))
    cold_on, warm_on = (statistics.median(r[i] for r in runs["on"]) for i in (0, 1))
    print("fresh interpreter, first lint (cold) then second (warm), median of 5:")
    print(f"  rules off  cold {cold_off * 1000:7.2f} ms   warm {warm_off * 1000:7.2f} ms")
    print(f"  rules on   cold {cold_on * 1000:7.2f} ms   warm {warm_on * 1000:7.2f} ms")
    print(f"  cold cost of the language rules: {(cold_on - cold_off) * 1000:.2f} ms")

    profile_costs()

    texts = paragraphs(text)
    load, per_naive, wrong_naive, failed_naive = naive(texts)
    per_ours, wrong_ours, undecided = ours(texts)
    print(f"the seed's {len(texts)} section paragraphs (all Chinese):")
    print(
        f"  naive langdetect: load {load * 1000:.1f} ms, {per_naive * 1000:.3f} ms/paragraph, "
        f"{wrong_naive} labelled not zh-cn, {failed_naive} errors"
    )
    print(
        f"  digestlint.language: {per_ours * 1000:.3f} ms/paragraph (cold, loads included), "
        f"{wrong_ours} reported as another language, {undecided} too short to judge"
    )
    forms(texts)


if __name__ == "__main__":
    main()
