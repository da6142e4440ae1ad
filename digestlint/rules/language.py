"""Language rules: section prose in the report's language, paper titles in theirs, and no
Chinese left inside the sentences of an English report."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator

from pydantic import BaseModel, ConfigDict, Field

from digestlint.findings import Finding, Severity
from digestlint.han import HAN
from digestlint.language import LANGUAGE_NAMES, default_identifier, normalize_language
from digestlint.registry import RuleContext, rule
from digestlint.rules._prose import ProseView, cached_views


class LanguageOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_probability: float = Field(
        default=0.9,
        ge=0.0,
        le=1.0,
        description="How sure langdetect must be before a text the writing system does not "
        "settle is reported as another language.",
    )


def _expected_label(code: str) -> str:
    code = normalize_language(code)
    name = LANGUAGE_NAMES.get(code)
    return f"{name} ({code})" if name else f"`{code}`"


def _line_span(context: RuleContext, start: int, end: int) -> tuple[int, int]:
    """From the first non-blank character at or after ``start`` to the end of its line."""
    text = context.source.text
    segment = text[start:end]
    first = start + len(segment) - len(segment.lstrip())
    line, _ = context.source.position(first)
    return first, max(first, context.source.line_end(line))


@rule(
    "DL901",
    "section-language",
    severity=Severity.WARNING,
    options=LanguageOptions,
    structural=False,
)
def section_language(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that every section's prose is in the profile's language (by default
    Simplified Chinese, `zh-cn`): sections in English, Japanese or Traditional Chinese
    are reported. Code, math, URLs and markup are left out first, but a code span holding
    Han characters is read as the words it quotes (a keyword list glosses its English
    terms as ``- Sparse Attention (`稀疏注意力`)``); English terms inside Chinese prose are
    normal and pass. Sections too short to judge are skipped.

    ## Why is this bad?
    Generation pipelines sometimes answer a section in English or drift into
    Traditional Chinese halfway through a Simplified report; readers notice at once.

    ## Example
    ```markdown
    ### 2. 一句话核心贡献
    We propose a linear attention that matches softmax attention in accuracy.
    ```

    ## Use instead
    ```markdown
    ### 2. 一句话核心贡献
    提出了一种线性注意力机制，在精度上与 Softmax Attention 相当。
    ```

    ## Fix safety
    Not fixable: translating is rewriting prose.
    """
    expected = context.profile.language
    identifier = default_identifier()
    for paper in context.document.papers:
        for section in paper.sections:
            verdict = identifier.identify(section.prose, expected, context.options.min_probability)
            if verdict is None or verdict.matches(expected):
                continue
            start, end = _line_span(context, section.body_start, section.body_end)
            yield context.finding(
                start,
                end,
                f"section `{section.name}` is in "
                f"{verdict.describe(context.options.min_probability)}; "
                f"expected {_expected_label(expected)}",
            )


@rule(
    "DL902",
    "title-language",
    severity=Severity.WARNING,
    options=LanguageOptions,
    structural=False,
)
def title_language(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that every paper title is in the profile's title language (by default
    English, `en`, the language papers are published in). Profiles with no title
    language skip the check.

    ## Why is this bad?
    Readers search for and cite papers by their published title; a translated title
    matches nothing.

    ## Example
    ```markdown
    ## 📄 计算机使用世界模型
    ```

    ## Use instead
    ```markdown
    ## 📄 Computer-Using World Model
    ```

    ## Fix safety
    Not fixable: the published title is not known.
    """
    expected = context.profile.title_language
    if not expected:
        return
    identifier = default_identifier()
    for paper in context.document.papers:
        verdict = identifier.identify(paper.title, expected, context.options.min_probability)
        if verdict is None or verdict.matches(expected):
            continue
        heading = paper.heading
        line_end = context.source.line_end(heading.line)
        # Point at the title itself, after the marker, where it is written as it reads.
        title_at = context.source.text.find(paper.title, heading.text_start, line_end)
        start, end = _line_span(context, max(title_at, heading.text_start), line_end)
        yield context.finding(
            start,
            end,
            f"paper title is in {verdict.describe(context.options.min_probability)}; "
            f"expected {_expected_label(expected)}",
        )


MIN_HAN_RUN = 3
"""Han characters in a row that make a Chinese phrase rather than a stray character."""
ENGLISH_REPORT_SHARE = 0.8
"""Share of the report's prose (Latin words against Han characters, two to a word) that
must be Latin-script for it to be an English report whose sentences are checked."""

_HAN_RUN = re.compile(f"[{HAN}]{{{MIN_HAN_RUN},}}")
_ANY_HAN = re.compile(f"[{HAN}]+")
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]{2,}")
# Sentences, and clauses ended by Chinese punctuation: a clause set off by ``，`` or ``；``
# is written as Chinese, whatever the words after it.
# A clause ends at sentence punctuation, at a comma, semicolon or colon of either width: the
# value after a field label (`**Reason:** 高优先级关键词: …`) starts a clause of its own.
_SENTENCE = re.compile(r"[^.!?。！？，；：;:]+(?:[.!?。！？，；：;:]+|$)")
_PAIRS = {"(": ")", "（": "）", "[": "]", "【": "】", "「": "」", "『": "』", "《": "》", "“": "”"}
_CLOSERS = {closer: opener for opener, closer in _PAIRS.items()}


@rule("DL903", "chinese-in-english", severity=Severity.WARNING, structural=False)
def chinese_in_english(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks the paragraphs of a report written in English for Chinese left inside an
    English sentence: a run of three or more Han characters
    (``…but the baseline does not考虑时间信息 at all.``). Runs under every profile,
    the generic one included, and judges by the report's own dominant language: only
    a report whose prose is at least 80% English (Latin words against Han characters,
    two to a word) is checked, so English words inside Chinese prose are never
    reported.

    Not reported: Chinese in quotes or brackets (a gloss such as
    ``attention (注意力)``, a quoted ``“注意力”``), in code, a sentence or a clause ended
    by Chinese punctuation (``，``) that is mostly Chinese, Chinese at the start or end of
    a sentence or clause rather than inside it (``A. Smith, B. Jones 等 5 位作者``, the
    value after a label: ``**Score Reason:** 高优先级关键词: agents, …``), and a phrase the
    report writes more than once (its template's words).

    ## Why is this bad?
    A model writing English sometimes slips back into the language of its prompt or its
    sources mid-sentence; English readers cannot read the phrase, and it usually means
    the sentence lost words.

    ## Example
    ```markdown
    The method tracks each object, but the baseline does not考虑时间信息 at all.
    ```

    ## Use instead
    ```markdown
    The method tracks each object, but the baseline ignores temporal information.
    ```

    ## Fix safety
    Not fixable: translating is rewriting prose.
    """
    views = [view for view in cached_views(context) if view.block.kind == "paragraph"]
    if not _mostly_english(view.text for view in views):
        return
    repeated = Counter(run for view in views for run in _HAN_RUN.findall(view.text))
    for view in views:
        for sentence in _SENTENCE.finditer(view.text):
            yield from _runs_in_sentence(context, view, sentence, repeated)


def _mostly_english(texts: Iterable[str]) -> bool:
    latin = han = 0
    for text in texts:
        latin += len(_LATIN_WORD.findall(text))
        han += sum(len(run) for run in _ANY_HAN.findall(text))
    units = latin + han / 2
    return units > 0 and latin >= ENGLISH_REPORT_SHARE * units


def _runs_in_sentence(
    context: RuleContext, view: ProseView, sentence: re.Match[str], repeated: Counter[str]
) -> Iterator[Finding]:
    text = sentence.group()
    han = sum(len(run) for run in _ANY_HAN.findall(text))
    latin = len(_LATIN_WORD.findall(text))
    if latin < 3 or latin <= han / 2:
        return  # not an English sentence: a Chinese one, or too short to tell
    for run in _HAN_RUN.finditer(text):
        if repeated[run.group()] > 1 or _enclosed(text, run.start()):
            continue
        if not (_LATIN_WORD.search(text, 0, run.start()) and _LATIN_WORD.search(text, run.end())):
            continue  # at a sentence's edge: a label, a caption, a list of names
        start, end = view.span(sentence.start() + run.start(), sentence.start() + run.end())
        yield context.finding(
            start,
            end,
            f"Chinese `{run.group()}` inside an English sentence; this report is written "
            "in English",
        )


def _enclosed(text: str, at: int) -> bool:
    """Whether position ``at`` of ``text`` is inside brackets or quotes opened before it."""
    depth: Counter[str] = Counter()
    for character in text[:at]:
        if character in _PAIRS:
            depth[character] += 1
        elif character in _CLOSERS and depth[_CLOSERS[character]]:
            depth[_CLOSERS[character]] -= 1
    return any(depth.values()) or text[:at].count('"') % 2 == 1
