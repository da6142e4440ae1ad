"""Filler and chatter (family ``filler``): text that fills a place without saying anything.

A pipeline that has nothing to say writes a placeholder (``未在摘要中明确说明``,
``N/A``) or leaves a field empty; a model that forgets it is writing a report talks to
whoever prompted it (``Sure! Here is…``). The phrase lists are the profile's
(``placeholders``, ``chatter``), extended by ``[tool.digestlint.filler]``. None of
these findings has a fix: deleting text is an editor's decision.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from digestlint.fields import Field
from digestlint.findings import Finding, Severity
from digestlint.registry import RuleContext, rule
from digestlint.rules._majority import MajorityOptions, majority_for
from digestlint.rules._prose import BARRIER, cached_views

_MARKUP = re.compile(r"^[ \t]*(?:[-*+>]|\d+[.)])[ \t]+|[*_`>]+", re.MULTILINE)
_ENCLOSING = "()（）[]【】「」『』\"'“”‘’<>《》"
_DOTS = re.compile(r"[.。…·]+")
_TRAILING = "。.；;！!，,"
_WILDCARD = "[^\n，,。；;！!？?]{0,30}?"


def normalised(text: str) -> str:
    """``text`` as placeholders are compared: markup, list markers, case, spacing and
    enclosing brackets set aside; a run of dots is ``…``."""
    text = _MARKUP.sub("", text)
    text = " ".join(text.split()).casefold().strip(_ENCLOSING + " ")
    if _DOTS.fullmatch(text):
        return "…"
    return text.rstrip(_TRAILING + " ")


_WORD_CHAR = r"[^\W\d_]"
"""A letter (or a numeral that is not a decimal digit): :func:`normalised` keeps every
one, so a text with more of them than a placeholder has characters is none."""


@lru_cache(maxsize=16)
def _longer_than(limit: int) -> re.Pattern[str]:
    """A pattern that matches a text with more than ``limit`` letters."""
    return re.compile(f"[\\W\\d_]*(?:{_WORD_CHAR}[\\W\\d_]*){{{limit + 1}}}")


def is_placeholder(content: str, known: frozenset[str]) -> bool:
    """Whether ``content``, normalised, is one of the ``known`` placeholders (a long
    text is told apart by counting its letters, without normalising it)."""
    if not known or _longer_than(max(map(len, known))).match(content):
        return False
    return normalised(content) in known


_ASKS_AVAILABILITY = re.compile(
    r"是否|开源|代码|源码|仓库|主页|演示|数据集"
    r"|\bcode\b|github|gitlab|\brepo|homepage|project page|\bdemo\b|dataset|open[- ]?source",
    re.IGNORECASE,
)
"""A field that asks whether something exists, or names a resource a paper may not
have (code, a project page, a demo, a dataset): ``暂无``, ``N/A`` or ``无`` there is
its answer (:data:`_NONE_ANSWERS`), not a placeholder. ``未说明`` or ``Unknown`` is
still one: it does not say whether there is any."""
_NONE_ANSWERS = frozenset(
    {
        "暂无",
        "无",
        "没有",
        "否",
        "未开源",
        "暂未开源",
        "未公开",
        "暂未公开",
        "未提供",
        "暂无代码",
        "无代码",
    }
    | {"n/a", "na", "none", "no", "not available", "not released", "not yet released"}
)


def _answered_none(key: str, said: str) -> bool:
    """Whether a field that asks whether something exists says (``said``, normalised)
    that there is none: its answer, not a placeholder."""
    return said in _NONE_ANSWERS and _ASKS_AVAILABILITY.search(key) is not None


def placeholders(context: RuleContext) -> frozenset[str]:
    phrases = [*context.profile.placeholders, *context.settings.config.filler.placeholders]
    return frozenset(normalised(phrase) for phrase in phrases if normalised(phrase))


def _section_heading_lines(context: RuleContext) -> set[int]:
    return {s.heading_line for p in context.document.papers for s in p.sections}


@rule("DL631", "placeholder-only", severity=Severity.WARNING, structural=False)
def placeholder_only(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks for sections and fields whose whole content is a placeholder: `未提供`,
    `暂无`, `未在摘要中明确说明`, `N/A`, `Not specified in the abstract`, `TBD`, `...`,
    `未知`, `Unknown`, `No summary available` (the profile's `placeholders`, and those `placeholders` under
    `[tool.digestlint.filler]` adds). A field is a heading or a bold label
    (`**Result:**`, `- **代码**：`) and what follows it up to the next one; case,
    spacing, markup, brackets and a final full stop are set aside when comparing. A
    profile field whose values the profile constrains (the link pattern, allowed values,
    a pattern) is left to its own rules. A field that asks whether something exists
    or names a resource a paper may lack, answered "none" (`**是否开源**：暂无`,
    `**代码**: N/A`, `**Project page:** None`), is not left empty: not reported
    (`**代码**: 未说明` is: it does not say whether there is code).

    Also reported: a short paragraph, or what follows the bold label that starts it,
    that says its content is missing (``中文摘要尚未生成，请进入论文页查看现有元数据。``,
    ``- **作者/机构**: 元数据未提供，请参见原文``, ``Summary not available.``) and is
    written word for word two or more times in the report: the pipeline's stand-in
    under each paper it failed on. Said once, such a sentence may be the paper's own
    news (``暂无开源代码。``) and is left alone.

    ## Why is this bad?
    A placeholder looks like content and says nothing: the pipeline found nothing to
    write (or failed to), and the reader learns that only after reading the heading.
    Either the section gets its content or the report says plainly why not.

    ## Example
    ```markdown
    ### 5. 实验效果
    未在摘要中明确说明。
    ```

    ## Use instead
    ```markdown
    ### 5. 实验效果
    在 GSM8K 上准确率提升 4.2 个百分点。
    ```

    ## Fix safety
    Not fixable: what to write instead (or whether to drop the section) is the
    editor's decision.
    """
    known = placeholders(context)
    text = context.source.text
    checked_elsewhere = _profile_field_keys(context, with_constraints=True)
    reported: set[int] = set()
    for field in context.lint_pass.fields:
        content = text[field.content_start : field.content_end]
        if field.empty or field.key in checked_elsewhere or not is_placeholder(content, known):
            continue
        if _answered_none(field.key, normalised(content)):
            continue  # `**是否开源**：暂无`, `**代码**: N/A`: "none" is the answer
        reported.add(field.content_start)
        yield context.finding(
            field.content_start,
            field.content_end,
            f"`{field.label}` holds only the placeholder `{' '.join(content.split())}`",
        )
    yield from _stand_in_paragraphs(context, checked_elsewhere, reported)


_SAYS_MISSING = re.compile(
    r"尚未生成|暂未生成|未能生成|生成失败|未生成|暂无|未提供|不可用"
    r"|not (?:yet )?(?:available|generated|provided)|unavailable|failed to generate",
    re.IGNORECASE,
)
_SHORT_PARAGRAPH = 60


def _stands_in(said: str, repeats: Counter[str]) -> bool:
    """Whether ``said`` (normalised) is a short sentence saying its content is missing
    (``中文摘要尚未生成，请进入论文页查看。``) that the report writes two or more times.
    Said once, such a sentence may be the paper's own news (``暂无开源代码。``);
    repeated, it is the pipeline's stand-in under each paper it failed on."""
    return (
        repeats[said] >= 2
        and len(said) <= _SHORT_PARAGRAPH
        and _SAYS_MISSING.search(said) is not None
    )


def _elsewhere(more: int) -> str:
    return f", as in {more} more place{'s' if more > 1 else ''} of this report"


def _stand_in_paragraphs(
    context: RuleContext, checked_elsewhere: set[str], reported: set[int]
) -> Iterator[Finding]:
    """Short paragraphs that stand in for missing content (:func:`_stands_in`): the
    whole paragraph, or what follows a bold label that starts it (``- **作者/机构**:
    元数据未提供，请参见原文``, the label's field then running on into the next paragraph)."""
    text = context.source.text
    labels = {f.line: f for f in context.lint_pass.fields if f.heading_level is None}
    candidates: list[tuple[int, int, str, str | None]] = []
    for view in cached_views(context):
        if view.block.kind != "paragraph" or len(view.text.strip()) > _SHORT_PARAGRAPH:
            continue
        start, end = view.span(0, len(view.text.rstrip()))
        label = labels.get(context.source.position(start)[0])
        if label is not None and label.start <= start < label.end:
            if label.key in checked_elsewhere or label.end >= end:
                continue
            said = normalised(text[label.end : end])
            if _answered_none(label.key, said):
                continue  # `- **是否开源**: 暂无`, under each paper without code
            start = label.end + len(text[label.end : end]) - len(text[label.end : end].lstrip())
            candidates.append((start, end, said, label.label))
        else:
            candidates.append((start, end, normalised(view.text), None))
    repeats = Counter(said for _, _, said, _ in candidates)
    for start, end, said, label in candidates:
        if start in reported or not _stands_in(said, repeats):
            continue
        written = " ".join(text[start:end].split())
        elsewhere = _elsewhere(repeats[said] - 1)
        if label is None:
            message = f"`{written}` stands in for missing content{elsewhere}"
        else:
            message = f"`{label}` holds only the stand-in `{written}`{elsewhere}"
        yield context.finding(start, end, message)


@rule(
    "DL632",
    "field-empty",
    severity=Severity.WARNING,
    options=MajorityOptions,
    structural=False,
)
def field_empty(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks for a labelled field (`**Result:**`, `### Limitations`) left empty in one
    paper while a decisive majority of the report's papers fill it (by default 80% of
    at least 5 papers that have the field). Papers are those the profile finds, or
    under a profile without structure the blocks under the heading level most headings
    have (H2, or H3 when papers sit in topic groups). Under a profile with sections an empty section is reported by
    section-empty (DL305), and an empty paper field by its own rules, not here. A label
    right before a list of labelled fields (`4. **评分**：`, then `- **实用性**：5/5`) is
    filled by that list.

    ## Why is this bad?
    When every other paper says what its results are, an empty `**Result:**` is a
    step of the pipeline that failed, not a paper without results.

    ## Example
    ```markdown
    ## Paper A
    **Result:** 12% fewer errors on WebArena.

    ## Paper B
    **Result:**
    ```

    ## Use instead
    ```markdown
    ## Paper B
    **Result:** Matches GPT-4o on MMLU with a tenth of the parameters.
    ```

    ## Fix safety
    Not fixable: the content is missing.
    """
    section_lines = _section_heading_lines(context)
    profile_keys = _profile_field_keys(context)
    text = context.source.text
    all_fields = context.lint_pass.fields
    by_key: dict[str, dict[int, Field]] = defaultdict(dict)
    for index, field in enumerate(all_fields):
        if field.block is None or field.line in section_lines or field.key in profile_keys:
            continue
        following = all_fields[index + 1] if index + 1 < len(all_fields) else None
        if field.empty and _heads_listed_fields(text, field, following):
            field = replace(field, content_end=field.content_start + 1)  # filled by its list
        by_key[field.key].setdefault(field.block, field)  # its first in each paper
    for fields in by_key.values():
        counts = Counter("empty" if f.empty else "filled" for f in fields.values())
        majority = majority_for(counts, context.options)
        if majority is None or majority.style != "filled":
            continue
        for field in fields.values():
            if field.empty:
                yield context.finding(
                    field.start,
                    field.end,
                    f"field `{field.label}` is empty; {majority.reason} papers that have "
                    "it fill it",
                )


def _heads_listed_fields(text: str, field: Field, following: Field | None) -> bool:
    """Whether ``field`` (empty) is the heading of a list of labelled fields right
    after it (``4. **评分**：`` then ``- **实用性**：5/5``, ``- **创新性**：…``): its
    content is that list, not nothing."""
    if following is None or following.block != field.block:
        return False
    between = text[field.end : following.start]
    marker = text[following.start : following.start + 2]
    return not between.strip() and marker[:1] in ("-", "*", "+") and marker[1:] in (" ", "\t")


def _profile_field_keys(context: RuleContext, *, with_constraints: bool = False) -> set[str]:
    """The profile's header and paper field labels, as field keys; with
    ``with_constraints``, only those whose values the profile constrains (a pattern, a
    list of allowed values, the link pattern): their own rules report a placeholder
    there."""
    profile = context.profile
    specs = [*profile.header_fields, *profile.paper_fields]
    return {
        " ".join(spec.label.split()).casefold()
        for spec in specs
        if not with_constraints
        or spec.pattern
        or getattr(spec, "allowed", None)
        or (spec.key == profile.link_field and profile.link_pattern)
    }


@rule("DL633", "assistant-chatter", severity=Severity.WARNING, structural=False)
def assistant_chatter(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks for an assistant's words to the person who prompted it, left in the report:
    `我是您的 AI 研究助手`, `作为一个 AI…，我`, `As an AI language model`,
    `Sure! Here is`, `以下是…的总结` (the profile's `chatter`, and those `chatter`
    under `[tool.digestlint.filler]` adds). Phrases match ignoring case, spacing and
    the width of punctuation (`，` is `,`); `…` in a phrase stands for a few words
    within one clause. Code, URLs, HTML, headings (a paper's title may name a phrase)
    and phrases in quotation marks are not read.

    ## Why is this bad?
    A report speaks to its readers. A model's reply to its prompt ("Sure! Here is the
    summary you asked for") tells them the text was pasted from a chat without being
    read, and makes them doubt the rest.

    ## Example
    ```markdown
    好的，以下是今天论文的总结：

    ## 📄 Paper A
    ```

    ## Use instead
    ```markdown
    ## 📄 Paper A
    ```

    ## Fix safety
    Not fixable: which words to drop, and what the sentence becomes, is the editor's
    decision.
    """
    phrases = (*context.profile.chatter, *context.settings.config.filler.chatter)
    pattern = chatter_pattern(tuple(dict.fromkeys(phrases)))
    if pattern is None:
        return
    for view in context.lint_pass.prose_views:
        if view.block.kind != "paragraph":
            continue  # a title may name a phrase ("Sure, Here Is…: Sycophancy in LLMs")
        for match in pattern.finditer(view.text):
            if BARRIER in match.group() or _quoted(view.text, match.start()):
                continue
            start, end = view.span(match.start(), match.end())
            yield context.finding(
                start, end, f"assistant chatter `{' '.join(match.group().split())}`"
            )


_QUOTES = "\"“”「『'‘"


def _quoted(text: str, start: int) -> bool:
    """Whether the phrase at ``start`` opens with a quotation mark: the report quotes it."""
    before = text[:start].rstrip()
    return bool(before) and before[-1] in _QUOTES


@dataclass(frozen=True)
class ChatterPattern:
    """Every phrase in one pattern (longest first), and the characters a match can
    start with: the pattern, a few dozen alternatives, is tried only where one of them
    stands (``finditer`` finds what the pattern's own ``finditer`` finds, at a fifth of
    the cost on a report)."""

    pattern: re.Pattern[str]
    starts: re.Pattern[str] | None
    """``None`` when a phrase starts with ``…`` (anything may start a match)."""

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if self.starts is None:
            yield from self.pattern.finditer(text)
            return
        end = 0
        for start in self.starts.finditer(text):
            if start.start() < end:
                continue
            match = self.pattern.match(text, start.start())
            if match is not None:
                end = match.end()
                yield match


@lru_cache(maxsize=16)
def chatter_pattern(phrases: tuple[str, ...]) -> ChatterPattern | None:
    """One pattern for every phrase, longest first."""
    kept = [p.strip() for p in sorted(phrases, key=len, reverse=True) if p.strip()]
    if not kept:
        return None
    pattern = re.compile("|".join(_phrase_pattern(p) for p in kept), re.IGNORECASE)
    if any(p[0] == "…" for p in kept):
        return ChatterPattern(pattern, None)
    firsts = "".join(sorted({_width_class(p[0])[1:-1] for p in kept}))
    return ChatterPattern(pattern, re.compile(f"[{firsts}]", re.IGNORECASE))


def _phrase_pattern(phrase: str) -> str:
    pieces = []
    for character in phrase.strip():
        if character == "…":
            pieces.append(_WILDCARD)
        elif character.isspace():
            continue  # spacing is set aside
        else:
            pieces.append(_width_class(character))
    body = "[ \t]*".join(pieces)
    first, last = phrase.strip()[0], phrase.strip()[-1]
    if first.isascii() and first.isalnum():
        body = r"(?<![A-Za-z0-9])" + body
    if last.isascii() and last.isalnum():
        body += r"(?![A-Za-z0-9])"
    return f"(?:{body})"


def _width_class(character: str) -> str:
    """``character`` and its other-width form (``,`` and ``，``)."""
    narrow = unicodedata.normalize("NFKC", character)
    forms = {character}
    if len(narrow) == 1:
        forms.add(narrow)
        if "!" <= narrow <= "~":
            forms.add(chr(ord(narrow) + 0xFEE0))
    return "[" + "".join(re.escape(f) for f in sorted(forms)) + "]"
