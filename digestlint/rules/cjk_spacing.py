"""Spacing between Han characters and Latin letters or digits (cjk-spacing, DL813).

The report's own decisive majority, per kind of boundary (Han/Latin, Han/number,
number/measure word), is its house style; docs/typography.md explains the policy and
its sources. Part of the ``typography`` family: it reads the prose views of
:mod:`digestlint.rules._prose` and fixes only whitespace.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Literal

from pydantic import Field

from digestlint.findings import Applicability, Edit, Finding, Severity
from digestlint.han import HAN, HAN_CHAR
from digestlint.registry import RuleContext, rule
from digestlint.rules._majority import Majority, MajorityOptions, majority_for, on_boilerplate
from digestlint.rules._prose import (
    BARRIER,
    ProseView,
    applicability,
    cached_views,
    deletion_edits,
    insertion_point,
    is_han,
    touches_barrier,
)

DATE_TIME_UNITS = (*"年月日天号时秒", "小时", "分钟")
"""A number before one of these is a date, a time or a duration (``2026年2月20日``,
``3 小时``): its spacing is kept as written, whatever the mode (zhlint's
``skipZhUnits``, 年月日天号时分秒, except that 分 alone is a score in digests,
``4.5 分``, a number like any other: minutes are 分钟)."""

NO_SPACE_UNITS = (
    *"万亿",  # numerals: 4000亿
    *"个名人位张面条件次种项篇款类台块层组轮步岁周段份帧",  # measure words: 11个, 45名
    "元",  # money: 40元
)
"""Chinese measure words and units that make a number + measure word boundary
(``11 个``, ``45名``, ``4000 亿``): a kind of its own, with its own house style (a
unit may be several characters)."""

_LOOKALIKE_WORDS = (
    "人工 人类 人机 人脸 人体 面向 面临 面对 时间 时刻 时序 时候 时长 时代 条件 位置 种类 "
    "项目 次数 周期 层次 组合 步骤 名称 类别 号码 天然 天气 月份 日志 日常 日益 年代 年度 "
    "年轻 万一 段落 份额 元素 元组 元数据 元学习 秒杀 分析 分布 分类 分数 分别 分辨 分割 "
    "分词 分支 分配 分解 分阶段 分层 分块"
)
UNIT_LOOKALIKES = frozenset(_LOOKALIKE_WORDS.split())
"""Words that start with a unit character but are not a unit: ``2 面向企业`` is not
``2面``, ``3 分类任务`` is not a time."""

MULTIPLIER_UNIT = "倍"
"""Spacing between a number and 倍 belongs to DL802 (multiplier-style), not to DL813."""

LATIN = "A-Za-z0-9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
"""The characters of a Latin word or number, as the body of a regex character class:
ASCII letters and digits and the Latin letters with diacritics (``Fréchet``,
``Müller``; Latin-1 Supplement and Latin Extended-A and B, not ``×`` or ``÷``)."""
# Two patterns, because a boundary's characters can start the next one (在1在).
_HAN_THEN_ASCII = re.compile(f"[{HAN}][ \\t]*[{LATIN}]")
_ASCII_THEN_HAN = re.compile(f"[{LATIN}][ \\t]*[{HAN}]")
_TOKEN_JOINERS = ".,/\\-:_+\u2010\u2011"
"""Characters that join letters and digits into one word (``Mamba-2``, ``GPT‑5`` with
the non-breaking hyphen U+2011, ``10/11``, ``2024-11-03``) when both their neighbours
are letters or digits (the body of a regex character class)."""
_LETTER = re.compile(f"[{LATIN.replace('0-9', '')}]")
"""A letter of a Latin word (:data:`LATIN` without the digits)."""
_WORD = re.compile(f"[{LATIN}]+(?:[{_TOKEN_JOINERS}][{LATIN}]+)*")
_NAME_NUMBER = re.compile(r"\d{1,3}(?:\.\d{1,2})?")
"""A version number that can end a name: ``Llama 2``, ``Qwen 2.5``."""
_SECTION_NUMBER = re.compile(r"\d{1,2}(?:\.\d{1,2})*")
"""A number that starts a heading or a paragraph (``3.1 上下文建模``) numbers it."""
_FORMULA_MARKS = frozenset("_^{}=<>")
_FORMULA_CHAR = re.compile("[\u0370-\u03ff\u2190-\u21ff\u2200-\u22ff]")
"""Greek letters, arrows and mathematical operators: a formula written without ``$``."""
_TIGHT_GROUP = re.compile(f"\\([^()\\s\\x00{HAN}]{{1,40}}\\)")
_MATH_GROUP = re.compile(f"\\([^()\\x00{HAN}]{{1,40}}\\)")
_DATE = re.compile(
    r"(?:19|20)\d\d(?:[-/.](?:0?[1-9]|1[0-2])(?:[-/.](?:0?[1-9]|[12]\d|3[01]))?"
    r"|(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))"
)
_TIME = re.compile(r"(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?")

# -- spacing between Chinese and ASCII -----------------------------------------------


class CjkSpacingOptions(MajorityOptions):
    mode: Literal["consistent", "always", "never"] = Field(
        default="consistent",
        description="`consistent`: each kind of boundary (Han/Latin letters, Han/number, "
        "number/measure word) follows the report's own decisive majority for that kind, "
        "except that a Han/Latin or Han/number space the copywriting guidelines recommend "
        "is never taken out; `always`: a space at every boundary; `never`: none.",
    )
    no_space_units: list[str] = Field(
        default_factory=lambda: list(NO_SPACE_UNITS),
        description="Measure words and units that make a number/measure-word boundary "
        "(`11 个`, `45名`), a kind with its own house style. Not forced together: in "
        "`consistent` mode they follow the report's majority for that kind. Dates and "
        "times (年月日天号时秒, 小时, 分钟) are always kept as written.",
    )


BoundaryKind = Literal["letters", "digits", "measure", "skip"]
KIND_NAMES = {
    "letters": "Han/Latin boundaries",
    "digits": "Han/number boundaries",
    "measure": "number/measure-word boundaries",
}


@dataclass(frozen=True, eq=False)
class Boundary:
    view: ProseView
    first: int
    """View index of the character before the boundary."""
    second: int
    """View index of the character after it (after any spaces)."""
    kind: BoundaryKind
    """``letters`` (Han next to a word with letters: ``在 LLM``, ``Qwen3 模型``),
    ``digits`` (Han next to a number: ``基于 45``), ``measure`` (a number and its
    measure word: ``45 名``) or ``skip`` (dates, times, multipliers: never looked at)."""
    token: tuple[int, int]
    """View span of the Latin word or number at the boundary."""
    original: Boundary | None = None
    """In a copy of an earlier block (:func:`copied_blocks`), the boundary of the
    original at the same place: the copy is neither counted nor reported on its own."""

    @property
    def spaced(self) -> bool:
        return self.second > self.first + 1


def boundaries(view: ProseView, units: frozenset[str]) -> Iterator[Boundary]:
    text = view.text
    spans = [m.span() for m in _HAN_THEN_ASCII.finditer(text)]
    spans += [m.span() for m in _ASCII_THEN_HAN.finditer(text)]
    words = latin_words(text) if spans else ([], [])
    for first, end in sorted(spans):
        second = end - 1
        han_first = is_han(text[first])
        token = ascii_token(text, second if han_first else first, words)
        kind = _boundary_kind(text, first, second, token, units)
        if kind == "digits" and not han_first:
            name = _name_before(text, token, words)
            if name is not None:
                kind, token = "letters", name  # `Llama 2 仍能`: the name's last word
        if kind != "skip" and _formula_edge(text, token, han_first):
            kind = "skip"  # `f(x)>0 是`, `的 O(1/n)`: the edge of a formula, not prose
        if kind == "digits" and han_first and text.startswith(("%", "％", "‰"), token[1]):
            kind = "skip"  # `达到 83%的`: the side after `%` is no boundary here, so a fix
            # of this side alone would leave the percentage half-spaced
        if kind == "digits" and token[0] == 0 and _SECTION_NUMBER.fullmatch(text, 0, token[1]):
            kind = "skip"  # `#### 3.1 上下文建模`: the block's number, not a number in prose
        yield Boundary(view, first, second, kind, token)


def ascii_token(
    text: str, index: int, words: tuple[list[int], list[int]] | None = None
) -> tuple[int, int]:
    """The span of the Latin word or number around ``text[index]``: letters (with or
    without diacritics) and digits, joined by ``.,/-:_+`` or a Unicode hyphen
    (U+2010, U+2011) between two of them (``Mamba-2``, ``GPT‑5``, ``2,876``,
    ``2024-11-03``). When ``text[index]`` is no part of a word, the span ends there
    and starts where a word just before it starts (else it is empty). ``words``:
    :func:`latin_words` of ``text``, when the caller has them."""
    starts, ends = latin_words(text) if words is None else words
    at = bisect_right(starts, index) - 1
    if at < 0 or ends[at] < index:
        return index, index
    return starts[at], max(ends[at], index)


def latin_words(text: str) -> tuple[list[int], list[int]]:
    """Where each Latin word or number of ``text`` (:func:`ascii_token`) starts and
    ends: found once per block, not walked character by character per boundary."""
    starts: list[int] = []
    ends: list[int] = []
    for match in _WORD.finditer(text):
        starts.append(match.start())
        ends.append(match.end())
    return starts, ends


def _name_before(
    text: str, token: tuple[int, int], words: tuple[list[int], list[int]]
) -> tuple[int, int] | None:
    """The span of ``Llama 2`` when the number ``text[token]`` is the version of the
    name before it (a word with letters, one space between): one Latin word for
    spacing (``和 Llama 2 仍能``), not a number."""
    if not _NAME_NUMBER.fullmatch(text[token[0] : token[1]]):
        return None
    space = token[0] - 1
    if space < 1 or text[space] != " ":
        return None
    name = ascii_token(text, space - 1, words)
    if name[1] != space or not _LETTER.search(text, name[0], name[1]):
        return None
    return name[0], token[1]


def _formula_edge(text: str, token: tuple[int, int], han_first: bool) -> bool:
    """Whether the word or number ``text[token]`` is the edge of a formula written
    without ``$``: on its other side (away from the Han character) a ``_ ^ { } = < >``,
    a Greek letter, an arrow or a mathematical operator (``γ_h>0 是``, ``为 2π``), or a
    bracketed group with no Han in it after a one-letter function (``的 O(n log n)``)
    or with no space in it (``证明 f(x)>0``, ``KL(p||q)``)."""
    if han_first:
        if token[1] >= len(text):
            return False
        beyond = text[token[1]]
        if beyond == "(":
            group = _MATH_GROUP if token[1] - token[0] == 1 else _TIGHT_GROUP
            return group.match(text, token[1]) is not None
    else:
        if token[0] == 0:
            return False
        beyond = text[token[0] - 1]
        if beyond == ")":
            opening = text.rfind("(", 0, token[0] - 1)
            return opening >= 0 and _TIGHT_GROUP.fullmatch(text, opening, token[0]) is not None
    return beyond in _FORMULA_MARKS or _FORMULA_CHAR.match(beyond) is not None


def _boundary_kind(
    text: str, first: int, second: int, token: tuple[int, int], units: frozenset[str]
) -> BoundaryKind:
    word = text[token[0] : token[1]]
    if _LETTER.search(word):
        return "letters"  # a word, or a name ending in a digit: Qwen3 模型, Mamba-2 架构
    if _DATE.fullmatch(word) or _TIME.fullmatch(word):
        return "skip"  # AI 论文 2024-11-03 速递: kept as written
    after_number = token[1]
    while after_number < len(text) and text[after_number] in " \t":
        after_number += 1
    if _dated(text, after_number):
        return "skip"  # both sides of 2026年, 3 小时: kept as written
    if not is_han(text[second]):
        return "digits"  # Han, then the number: 基于 45
    if text[second] == MULTIPLIER_UNIT:
        return "skip"
    if text[second : second + 2] in UNIT_LOOKALIKES:
        return "digits"
    return "measure" if unit_at(text, second, units) else "digits"


def _dated(text: str, index: int) -> bool:
    """Whether a date or time unit (not a word that starts like one) is at ``text[index]``."""
    return (
        unit_at(text, index, frozenset(DATE_TIME_UNITS)) is not None
        and text[index : index + 2] not in UNIT_LOOKALIKES
    )


def unit_at(text: str, index: int, units: frozenset[str]) -> str | None:
    """The longest unit of ``units`` written at ``text[index:]``, if any."""
    found = _units_pattern(units).match(text, index)
    return found.group() if found else None


@functools.lru_cache(maxsize=16)
def _units_pattern(units: frozenset[str]) -> re.Pattern[str]:
    """One pattern for ``units``, the longest first (so that it is the one matched)."""
    longest_first = sorted((unit for unit in units if unit), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, longest_first)) or "(?!)")


LABEL_HAN_LIMIT = 16
"""A block of one line without sentence punctuation and with fewer Han characters
than this is a label, not prose (:func:`is_label`)."""
_SENTENCE_PUNCTUATION = re.compile(r"[，。；！？,;!?]|\.(?:\s|$)")
_ELLIPSIS = re.compile(r"(?:\.{3,}|…+)$")
COPY_MINIMUM = 20
"""Characters (spaces aside) a block must share with an earlier one to be its copy."""


_LABEL_JOINER = re.compile(r"\s/\s|[·•|｜]")


def is_label(view: ProseView) -> bool:
    """Whether a block (paragraph, heading, table cell) is a label line, not prose: one
    line with no sentence punctuation (``，。；！？,;!?``, a full stop) and fewer than
    ``LABEL_HAN_LIMIT`` Han characters, that starts with a marker (an emoji or another
    symbol) or joins two or more labels with `` / ``, ``·`` or ``|``: a category tag
    under a paper (``🔭 CV检测 / AI安全``)."""
    text = view.text.strip()
    if not text or "\n" in text or _SENTENCE_PUNCTUATION.search(text):
        return False
    if len(HAN_CHAR.findall(text)) >= LABEL_HAN_LIMIT:
        return False
    marker = text[0]
    starts_with_marker = not (
        marker.isalnum() or is_han(marker) or marker in f"([（【《\"'“‘{BARRIER}"
    )
    return starts_with_marker or _LABEL_JOINER.search(text) is not None


def _squeezed(view: ProseView) -> tuple[str, list[int]]:
    """A block's text without whitespace (and without a closing ellipsis), and the
    view index of each of its characters (ascending)."""
    # str.split() splits at exactly the characters str.isspace() calls whitespace: each
    # piece is a run of the other characters, found where it starts after the last.
    text = view.text
    pieces = text.split()
    indices: list[int] = []
    at = 0
    for piece in pieces:
        at = text.find(piece, at)
        indices.extend(range(at, at + len(piece)))
        at += len(piece)
    squeezed = "".join(pieces)
    cut = _ELLIPSIS.search(squeezed)
    if cut:
        squeezed, indices = squeezed[: cut.start()], indices[: cut.start()]
    return squeezed, indices


def _squeezed_text(view: ProseView) -> str:
    """:func:`_squeezed`'s text alone (no index per character: cheaper)."""
    squeezed = "".join(view.text.split())
    cut = _ELLIPSIS.search(squeezed)
    return squeezed[: cut.start()] if cut else squeezed


class _Squeezed:
    """:func:`_squeezed` of each block, made once per block, its text alone for the
    blocks that need no more."""

    def __init__(self) -> None:
        self.texts: dict[int, str] = {}
        self.indices: dict[int, list[int]] = {}

    def text(self, view: ProseView) -> str:
        found = self.texts.get(id(view))
        if found is None:
            found = self.texts[id(view)] = _squeezed_text(view)
        return found

    def indices_of(self, view: ProseView) -> list[int]:
        found = self.indices.get(id(view))
        if found is None:
            found = self.indices[id(view)] = _squeezed(view)[1]
        return found


def copied_blocks(
    views: list[ProseView], squeeze: _Squeezed | None = None
) -> dict[int, tuple[ProseView, int]]:
    """``id(view)`` -> (the earlier block it copies, how many view characters of it are
    the copy's) for each block whose text (spaces aside) is that of an earlier block,
    or a prefix of it cut off with ``...`` or ``…``, or the other way round (a summary
    copied, truncated, into an overview table). At least ``COPY_MINIMUM`` characters
    must be shared."""
    squeeze = _Squeezed() if squeeze is None else squeeze
    seen: dict[str, ProseView] = {}
    ends: dict[int, bool] = {}
    found: dict[int, tuple[ProseView, int]] = {}
    for view in views:
        squeezed = squeeze.text(view)
        truncated = bool(_ELLIPSIS.search(view.text.rstrip()))
        ends[id(view)] = truncated
        if len(squeezed) < COPY_MINIMUM:
            continue
        key = squeezed[:COPY_MINIMUM]
        earlier = seen.get(key)
        if earlier is None:
            seen[key] = view
            continue
        before = squeeze.text(earlier)
        shared = min(len(before), len(squeezed))
        if before[:shared] != squeezed[:shared]:
            continue
        if len(before) != len(squeezed) and not (
            ends[id(earlier)] if len(before) < len(squeezed) else truncated
        ):
            continue  # a longer text that starts the same way: not a cut-off copy
        found[id(view)] = (earlier, squeeze.indices_of(view)[shared - 1] + 1)
    return found


def _cjk_boundaries(context: RuleContext) -> list[Boundary]:
    """The boundaries the rule judges: not dates, times or multipliers, not on the
    report's template lines, and not in labels. A boundary in a copy of an earlier
    block points to the original's boundary at the same place."""
    units = frozenset(context.options.no_space_units)
    views = cached_views(context)
    squeeze = _Squeezed()
    copies = copied_blocks(views, squeeze)
    # A boundary's place in the squeezed text matters only in a copy and its original.
    linked = {id(original) for original, _ in copies.values()} | copies.keys()
    found: list[Boundary] = []
    by_place: dict[tuple[int, int], Boundary] = {}
    for view in views:
        if is_label(view):
            continue
        copy = copies.get(id(view))
        squeezed_indices = None
        for boundary in boundaries(view, units):
            if boundary.kind == "skip" or on_boilerplate(context, view.offsets[boundary.first]):
                continue
            found.append(boundary)
            if id(view) not in linked:
                continue
            if squeezed_indices is None:
                squeezed_indices = squeeze.indices_of(view)
            place = bisect_left(squeezed_indices, boundary.second)
            if place == len(squeezed_indices) or squeezed_indices[place] != boundary.second:
                continue
            if copy is not None and boundary.second < copy[1]:
                original = by_place.get((id(copy[0]), place))
                if original is not None and original.kind == boundary.kind:
                    found[-1] = boundary = replace(boundary, original=original)
            by_place[(id(view), place)] = boundary
    return found


@rule(
    "DL813",
    "cjk-spacing",
    severity=Severity.WARNING,
    options=CjkSpacingOptions,
    fixable=True,
    structural=False,
    family="typography",
)
def cjk_spacing(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks the space between Han characters and ASCII letters or digits: one way per
    report. Option ``mode``: ``consistent`` (the default), ``always`` or ``never``.

    ``consistent`` judges three kinds of boundary separately, each against the
    report's own majority for that kind: Han next to a word with letters
    (``在 LLM``), Han next to a number (``基于 45``), and a number next to its
    measure word (``45 名``, option ``no_space_units``). It reports only against a
    *decisive* majority (by default at least 80% of at least 5 boundaries of that
    kind: options ``majority_threshold`` and ``majority_minimum``); a split report
    gets no findings. A line that repeats within the report (numbers and link
    targets aside) is the pipeline's template: it is neither counted nor reported.

    A number is never left half-spaced: when one side of it follows a majority and
    the other side's kind has none, the other side follows too (``基于45名`` becomes
    ``基于 45 名`` in a report that spaces numbers). Dates and times (``2026年2月20日``,
    ``AI 论文 2024-11-03 速递``, ``3 小时``) are kept as written, and ``16.2倍`` is left
    to DL802. The number that starts a heading or a block (``#### 3.1 上下文建模``)
    numbers it and is not judged, nor is Han before a percentage (``达到 83%的``: the
    side after ``%`` is not judged either, and one side alone would leave it half-spaced). Boundaries through link brackets count (``见[Qwen](…)模型``); code,
    math and URLs are never looked at.

    **Emphasis.** Writers pad bold and italic text with spaces on purpose
    (``提出 **Deep-DxSearch**，``, ``的 **Pos2Distill** 框架``): CommonMark's flanking
    rules keep ``**「名」**模型`` from rendering bold. In ``consistent`` mode a
    boundary with emphasis markup between its two sides is not counted, and its space
    is not reported; a *missing* space there is, in a report that spaces that kind
    (``利用**Token-ID**`` gets ``利用 **Token-ID**``).

    **A block written in the other style is one finding.** When a paragraph, list
    item, heading or table cell writes at least 3 boundaries of a kind and every one
    of them against the house style (emphasis that is not reported aside), its writer
    chose the other style for that block: one finding, from its first boundary to its
    last, says how many and what the report does, and its fix edits them all. Drift
    beside boundaries that follow the house style stays one finding per boundary.

    **The guidelines' spaces stay.** ``consistent`` adds a missing Han/Latin or
    Han/number space where the report spaces that kind, but never takes one out where
    the report does not: the Chinese copywriting guidelines recommend that space, and
    an editor would put it back (``mode = "never"`` removes them). The other side of
    such a number keeps its space too (``基于 45 名``). Spaces between a number and
    its measure word follow the report either way.

    **What is a word, and what is not prose.** Letters with diacritics and the
    hyphens U+2010 and U+2011 are part of a word (``Fréchet``, ``GPT‑5``), and a name
    followed by a space and its version number is one word (``Llama 2 仍能``). The
    edge of a formula written without ``$`` (next to ``_ ^ { } = < >``, a Greek
    letter or a math symbol, or a bracketed group: ``f(x)>0 是``, ``的 O(1/n)``) is not
    a prose boundary. A label line (one line without sentence punctuation and with
    fewer than 16 Han characters, that starts with an emoji or another marker or
    joins labels with `` / ``, ``·`` or ``|``: ``🔭 CV检测 / AI安全`` under each paper)
    is neither counted nor reported. A block that repeats an earlier one (spaces aside,
    perhaps cut off with ``...`` or ``…``: a summary copied into an overview table) is
    counted once and reported once, on the original, whose fix edits the copy too.

    **Decisions.** A kind decided on the bare minimum of boundaries
    (``majority_minimum``) against the other style that Han/Latin and Han/number
    boundaries, its neighbour, follow on more is no house style. A block that writes
    every boundary one way, of several kinds, and drifts from the house style of some
    while the others have none, is fixed whole when the rest of the report decides
    those others against it too, and else reported without a fix: a fix never leaves a
    block half converted. Once converted, such a block decides those kinds for the report,
    so the boundaries elsewhere that go against them are reported as well.

    ## Why is this bad?
    A report that writes ``在LLM执行`` in one paragraph and ``在 LLM 执行`` in the
    next looks unedited; readers notice.

    ## Example
    ```markdown
    在LLM执行任务期间，基于45名参与者，在 GPU 上训练 Qwen3 模型，使用 Rectified Flow
    学习，以 Token 计费，共 11 个基准、3 个数据集、20 条演示。
    ```

    ## Use instead
    ```markdown
    在 LLM 执行任务期间，基于 45 名参与者，在 GPU 上训练 Qwen3 模型，使用 Rectified Flow
    学习，以 Token 计费，共 11 个基准、3 个数据集、20 条演示。
    ```

    ## Fix safety
    Safe: a space is inserted (outside any ``**`` or link brackets) or spaces are
    removed. Removing a space next to ``**`` or ``*`` (``提出 **Name** 框架`` in
    mode ``never``: the other side may keep its space, leaving the name lopsided), or
    one in a word that runs into code or a bare URL, is an unsafe fix. A block's
    finding fixes all its boundaries at once: unsafe if any of its edits is.
    """
    found = _cjk_boundaries(context)
    padded: set[Boundary] = set()
    if context.options.mode == "consistent":
        padded = {b for b in found if _at_emphasis(context.source.text, b)}
    counted = [b for b in found if b not in padded]
    as_written = _targets(context, counted, {})
    targets, wanted = _house_styles(context, found, padded)
    wanted, unfixed, recounted, settled = _whole_blocks(context, found, counted, wanted)
    if context.options.mode == "consistent":
        wanted = _guideline_spaces_kept(found, wanted)
    reported: dict[Boundary, Finding] = {}
    for boundary in found:
        want = wanted.get(boundary)
        if want is None or boundary.spaced == want or (boundary in padded and not want):
            continue  # a space padding emphasis (`提出 **Name** 框架`) is the writer's choice
        message = f"{'no space' if want else 'space'} between {_pair(boundary)}; "
        message += _why(context, boundary, as_written, targets, recounted, settled)
        if want:
            finding = _insert_space(context, boundary, message)
        else:
            finding = _remove_spaces(context, boundary, message)
        if id(boundary.view) in unfixed:
            finding = finding.model_copy(update={"fix": None})
        reported[boundary] = finding
    copied: dict[Boundary, int] = {}
    for boundary in found:
        original = boundary.original
        if boundary in reported and original is not None and original in reported:
            # A copy of a reported boundary: the same decision, reported once; the
            # fix edits both.
            copy = reported.pop(boundary)
            copied[original] = copy.line
            reported[original] = _with_copy(reported[original], copy)
    grouped: dict[Boundary, Finding] = {}
    if context.options.mode == "consistent":
        decided = recounted | settled
        for group in _other_style_blocks(found, padded, reported, targets, decided):
            finding = _block_finding(
                context, group, reported, as_written, targets, recounted, settled
            )
            lines = sorted({copied[b] for b in group if b in copied})
            if lines:
                where = ", ".join(map(str, lines))
                message = f"{finding.message} (and in its copy on line {where})"
                finding = finding.model_copy(update={"message": message})
            grouped[group[0]] = finding
            for boundary in group:
                reported.pop(boundary)
    for boundary in found:
        if boundary in grouped:
            yield grouped[boundary]
        elif boundary in reported:
            yield reported[boundary]


def _settled_reason(boundary: Boundary, target: Majority) -> str:
    has = "have one" if target.style == "spaced" else "have none"
    return (
        f"{target.reason} {KIND_NAMES[boundary.kind]} outside the blocks fixed whole to "
        f"that style {has}"
    )


def _recount_reason(boundary: Boundary, target: Majority) -> str:
    has = "have one" if target.style == "spaced" else "have none"
    return (
        f"the rest of this block is fixed to the house style, and {target.reason} "
        f"{KIND_NAMES[boundary.kind]} elsewhere in this report {has}"
    )


def _with_copy(finding: Finding, copy: Finding) -> Finding:
    """``finding`` whose fix also edits the same boundary in a copy of its block, and
    whose message says where the copy is."""
    message = f"{finding.message} (and in its copy on line {copy.line})"
    if finding.fix is None or copy.fix is None:
        return finding.model_copy(update={"message": message})
    applicability = (
        finding.fix.applicability
        if finding.fix.applicability == copy.fix.applicability
        else Applicability.UNSAFE
    )
    fix = finding.fix.model_copy(
        update={"edits": (*finding.fix.edits, *copy.fix.edits), "applicability": applicability}
    )
    return finding.model_copy(update={"message": message, "fix": fix})


def _house_styles(
    context: RuleContext, found: list[Boundary], padded: set[Boundary]
) -> tuple[dict[str, Majority | None], dict[Boundary, bool]]:
    """The house style of each kind and whether each boundary wants a space.

    The majorities are counted in the report as it reads once the half-spaced numbers
    are fixed (repeated until that changes nothing), so that ``--fix`` never tips a
    kind into a house style that a lint of the same report did not report. Boundaries
    at emphasis markup (``padded``) are not counted."""
    wanted: dict[Boundary, bool] = {}
    settled: dict[str, Majority | None] = dict.fromkeys(KIND_NAMES)
    counted = [b for b in found if b not in padded]
    for _ in range(len(KIND_NAMES) + 1):
        targets = _targets(context, counted, wanted)
        for kind, target in targets.items():
            settled[kind] = settled[kind] or target  # the count when it was first decided
        updated = _linked_sides(found, targets)
        if updated == wanted:
            break
        wanted = updated
    return settled, wanted


def _targets(
    context: RuleContext, found: list[Boundary], wanted: dict[Boundary, bool]
) -> dict[str, Majority | None]:
    """Per kind of boundary: its house style (``"spaced"`` or ``"unspaced"``), if any,
    counting each boundary as ``wanted`` has it (else as written)."""
    mode = context.options.mode
    targets: dict[str, Majority | None] = {}
    for kind in KIND_NAMES:
        of_kind = [b for b in found if b.kind == kind]
        if mode != "consistent":
            style = "spaced" if mode == "always" else "unspaced"
            targets[kind] = Majority(style, len(of_kind), len(of_kind))
            continue
        targets[kind] = _count(context, of_kind, wanted)
    if mode == "consistent":
        targets = _drop_bare_contradictions(context, targets)
    return targets


def _count(
    context: RuleContext, of_kind: list[Boundary], wanted: dict[Boundary, bool]
) -> Majority | None:
    """The decisive majority of these boundaries, if any; a copy of an earlier block
    is not counted again."""
    counted = [b for b in of_kind if b.original is None]
    spaced = sum(wanted.get(b, b.spaced) for b in counted)
    counts = {"spaced": spaced, "unspaced": len(counted) - spaced}
    return majority_for(counts, context.options)


NEIGHBOUR_KINDS = (("letters", "digits"), ("digits", "letters"))
"""Han next to a word and Han next to a number: one convention, written two ways."""


def _drop_bare_contradictions(
    context: RuleContext, targets: dict[str, Majority | None]
) -> dict[str, Majority | None]:
    """No house style for a kind decided on the bare minimum of boundaries
    (``majority_minimum``) against the other style that the neighbouring kind follows
    on more: 4 of 5 numbers unspaced in a report that spaces its words is no
    decision."""
    minimum = context.options.majority_minimum
    dropped = dict(targets)
    for kind, neighbour in NEIGHBOUR_KINDS:
        target, other = targets[kind], targets[neighbour]
        if (
            target is not None
            and other is not None
            and target.total <= minimum < other.total
            and target.style != other.style
        ):
            dropped[kind] = None
    return dropped


def _whole_blocks(
    context: RuleContext,
    found: list[Boundary],
    counted: list[Boundary],
    wanted: dict[Boundary, bool],
) -> tuple[dict[Boundary, bool], set[int], dict[Boundary, Majority], dict[Boundary, Majority]]:
    """Whether each boundary wants a space once blocks are fixed whole, and the blocks
    (``id`` of their view) whose findings get no fix, and the majority that each
    boundary converted with its block follows, and the one that each boundary outside
    such blocks follows once they are fixed.

    A block (paragraph, list item, heading, table cell) that writes every boundary one
    way, several kinds of them, and drifts from the house style of some of its kinds
    while others have none, would be left half converted by a fix of the decided kinds
    only (``基于 Transformer 的…36种``). The undecided kinds are counted again without
    such blocks: when the rest of the report decides them against the block too, the
    block converts them as well; else its findings are not fixed. Once a block is
    converted, its report decides those kinds: the boundaries elsewhere that go against
    them are reported too, so that ``--fix`` adds no space the lint did not report. A
    copy of an earlier block follows its original."""
    wanted = dict(wanted)
    for boundary in found:
        if boundary.original is not None:
            original = wanted.get(boundary.original)
            if original is None:
                wanted.pop(boundary, None)
            else:
                wanted[boundary] = original
    if context.options.mode != "consistent":
        return wanted, set(), {}, {}
    blocks: dict[int, list[Boundary]] = {}
    for boundary in counted:
        if boundary.original is None:
            blocks.setdefault(id(boundary.view), []).append(boundary)
    drifting: dict[int, bool] = {}
    for key, group in blocks.items():
        styles = {b.spaced for b in group}
        if len(styles) != 1 or len({b.kind for b in group}) < 2:
            continue
        style = styles.pop()
        if any(wanted.get(b) == (not style) for b in group) and any(
            b not in wanted for b in group
        ):
            drifting[key] = style
    unfixed: set[int] = set()
    converted: dict[Boundary, Majority] = {}
    decided: dict[str, Majority] = {}
    rest = [b for b in counted if id(b.view) not in drifting]
    # Counted once per kind, not once per drifting block: the loop below decides only
    # boundaries of drifting blocks, none of which is in ``rest``.
    recounted = {
        kind: _count(context, [b for b in rest if b.kind == kind], wanted)
        for kind in {b.kind for key in drifting for b in blocks[key] if b not in wanted}
    }
    for key, style in drifting.items():
        group = blocks[key]
        other_style = "unspaced" if style else "spaced"
        follows = {
            b: target
            for b in group
            if b not in wanted
            and (target := recounted[b.kind]) is not None
            and target.style == other_style
        }
        numbers = {(b.token, b): b for b in group if b.kind != "letters"}
        linked = {
            b
            for b in group
            if b not in wanted
            and b not in follows
            and any(
                token == b.token and side is not b and (side in follows or side in wanted)
                for token, side in numbers
            )
        }  # `了36种`: the measure word follows the number's other side
        if all(b in wanted or b in follows or b in linked for b in group):
            for boundary in group:
                wanted.setdefault(boundary, not style)
            converted.update(follows)
            decided.update({b.kind: target for b, target in follows.items()})
        else:
            unfixed.add(key)
    settled: dict[Boundary, Majority] = {}
    if decided:
        # The rest of the report, as the next lint would read it: those kinds decided.
        outside = [b for b in found if b.original is None and id(b.view) not in drifting]
        following = _linked_sides(outside, {kind: decided.get(kind) for kind in KIND_NAMES})
        for boundary in found:
            source = boundary if boundary.original is None else boundary.original
            if boundary in wanted or source not in following:
                continue
            wanted[boundary] = following[source]
            if source.kind in decided:
                settled[boundary] = decided[source.kind]
    for boundary in found:
        if boundary.original is not None and id(boundary.original.view) in drifting:
            if id(boundary.original.view) in unfixed:
                unfixed.add(id(boundary.view))
            elif boundary.original in wanted:
                wanted[boundary] = wanted[boundary.original]
                if boundary.original in converted:
                    converted[boundary] = converted[boundary.original]
    return wanted, unfixed, converted, settled


def _linked_sides(
    found: list[Boundary], targets: dict[str, Majority | None]
) -> dict[Boundary, bool]:
    """Whether each boundary wants a space. A number between two Han characters is
    spaced on both sides or neither: a side whose kind has no house style takes the
    one its other side follows."""
    wanted = {b: targets[b.kind].style == "spaced" for b in found if targets[b.kind] is not None}
    sides: dict[tuple[int, tuple[int, int]], list[Boundary]] = {}
    for boundary in found:
        if boundary.kind != "letters":
            sides.setdefault((id(boundary.view), boundary.token), []).append(boundary)
    for pair in sides.values():
        decided = [wanted[b] for b in pair if b in wanted]
        if len(pair) == 2 and len(decided) == 1:
            for boundary in pair:
                wanted.setdefault(boundary, decided[0])
    return wanted


def _reason(
    context: RuleContext,
    boundary: Boundary,
    as_written: dict[str, Majority | None],
    targets: dict[str, Majority | None],
) -> str:
    mode = context.options.mode
    if mode != "consistent":
        return f"mode `{mode}`"
    target = as_written[boundary.kind]
    once = ""
    if target is None and targets[boundary.kind] is not None:
        target = targets[boundary.kind]
        once = " once its half-spaced numbers are fixed"
    if target is None:
        number = boundary.view.text[boundary.token[0] : boundary.token[1]]
        return f"a number is spaced on both sides or neither, and the other side of `{number}` follows this report's house style"
    has = "have one" if target.style == "spaced" else "have none"
    return f"{target.reason} {KIND_NAMES[boundary.kind]} in this report {has}{once}"


def _pair(boundary: Boundary) -> str:
    text = boundary.view.text
    first, second = text[boundary.first], text[boundary.second]
    word = text[boundary.token[0] : boundary.token[1]]
    left = first if is_han(first) else word
    right = second if is_han(second) else word
    return f"`{left}` and `{right}`"


def _reported_span(boundary: Boundary) -> tuple[int, int]:
    """Source range of a boundary's finding: the Han character, any spaces, and the
    whole word or number on the other side (``在LLM``, ``45名``), as the message names
    them."""
    if is_han(boundary.view.text[boundary.first]):
        return boundary.view.span(boundary.first, max(boundary.token[1], boundary.second + 1))
    return boundary.view.span(min(boundary.token[0], boundary.first), boundary.second + 1)


def _insert_space(context: RuleContext, boundary: Boundary, message: str) -> Finding:
    view = boundary.view
    start, end = _reported_span(boundary)
    point = insertion_point(view, boundary.second)
    if point is None:
        return context.finding(start, end, message)
    edit = Edit(start=point, end=point, content=" ")
    return context.finding(
        start,
        end,
        message,
        fix=[edit],
        applicability=applicability(context.source.text, [edit], view),
        fix_message="insert a space",
    )


def _remove_spaces(context: RuleContext, boundary: Boundary, message: str) -> Finding:
    view = boundary.view
    start, end = _reported_span(boundary)
    edits = deletion_edits(view, boundary.first + 1, boundary.second)
    safety = applicability(context.source.text, edits, view)
    if touches_barrier(view, boundary.first + 1, boundary.second):
        safety = Applicability.UNSAFE
    if edits and _beside_emphasis(context.source.text, edits[0].start, edits[-1].end):
        # `提出 **Name** 框架`: the space on the other side of the span may be one the
        # rule cannot remove safely; removing only this one leaves the name lopsided.
        safety = Applicability.UNSAFE
    return context.finding(
        start,
        end,
        message,
        fix=edits,
        applicability=safety,
        fix_message="remove the space",
    )


def _beside_emphasis(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` has an emphasis delimiter right before or after it."""
    return (start > 0 and text[start - 1] in "*_") or (end < len(text) and text[end] in "*_")


def _at_emphasis(text: str, boundary: Boundary) -> bool:
    """Whether emphasis markup sits between the two sides of ``boundary``
    (``提出 **Name**``, ``**Name** 框架``, ``利用**Token-ID``)."""
    view = boundary.view
    return any(
        (gap := view.gaps.get(index)) is not None
        and any(c in "*_" for c in text[gap.start : gap.end])
        for index in range(boundary.first + 1, boundary.second + 1)
    )


BLOCK_MINIMUM = 3
"""Boundaries of one kind a block must write, all against the house style, to be
reported as one block written in the other style."""


GUIDELINE_KINDS = ("letters", "digits")
"""The kinds the Chinese copywriting guidelines space (``在 LLM 上``, ``基于 45``)."""


def _guideline_spaces_kept(
    found: list[Boundary], wanted: dict[Boundary, bool]
) -> dict[Boundary, bool]:
    """``wanted``, except that ``consistent`` never takes out a space the guidelines
    recommend: a spaced Han/Latin or Han/number boundary stays spaced in a report whose
    house style is unspaced (its editor would put the space back), and so does the other
    side of that number (``基于 45 名`` is not left as ``基于 45名``). Missing spaces are
    still added where the report spaces; ``mode = "never"`` removes them all."""
    kept = dict(wanted)
    numbers: dict[tuple[int, tuple[int, int]], list[Boundary]] = {}
    for boundary in found:
        if boundary.kind != "letters":
            numbers.setdefault((id(boundary.view), boundary.token), []).append(boundary)
        if boundary.kind in GUIDELINE_KINDS and boundary.spaced and wanted.get(boundary) is False:
            kept[boundary] = True
    for sides in numbers.values():
        if any(kept.get(b) is True and wanted.get(b) is False for b in sides):
            for boundary in sides:
                if boundary.spaced and wanted.get(boundary) is False:
                    kept[boundary] = True
    return kept


def _other_style_blocks(
    found: list[Boundary],
    padded: set[Boundary],
    reported: dict[Boundary, Finding],
    targets: dict[str, Majority | None],
    recounted: dict[Boundary, Majority],
) -> Iterator[list[Boundary]]:
    """Per block (paragraph, list item, heading, table cell) and kind with a house
    style: the block's boundaries of that kind when there are at least
    ``BLOCK_MINIMUM`` and every one is reported (a space padding emphasis, not judged,
    aside). The writer chose the other style for that block: one decision. A kind with
    no house style counts where the block is fixed whole (``recounted``)."""
    blocks: dict[tuple[int, str], list[Boundary]] = {}
    for boundary in found:
        if boundary.original is not None and boundary not in reported:
            continue  # a copy, reported with its original
        if targets[boundary.kind] is None and boundary not in recounted:
            continue
        if boundary in padded and boundary not in reported:
            continue
        blocks.setdefault((id(boundary.view), boundary.kind), []).append(boundary)
    for group in blocks.values():
        if len(group) >= BLOCK_MINIMUM and all(b in reported for b in group):
            yield group


def _why(
    context: RuleContext,
    boundary: Boundary,
    as_written: dict[str, Majority | None],
    targets: dict[str, Majority | None],
    recounted: dict[Boundary, Majority],
    settled: dict[Boundary, Majority],
) -> str:
    """The reason a finding gives: the house style counted after a block was fixed
    whole, the one such a block settled, or the report's own."""
    if boundary in recounted:
        return _recount_reason(boundary, recounted[boundary])
    if boundary in settled:
        return _settled_reason(boundary, settled[boundary])
    return _reason(context, boundary, as_written, targets)


def _block_finding(
    context: RuleContext,
    group: list[Boundary],
    reported: dict[Boundary, Finding],
    as_written: dict[str, Majority | None],
    targets: dict[str, Majority | None],
    recounted: dict[Boundary, Majority],
    settled: dict[Boundary, Majority],
) -> Finding:
    """One finding for a block that writes every boundary of a kind the other way,
    from its first boundary to its last, whose fix edits them all."""
    first, last = group[0], group[-1]
    start = _reported_span(first)[0]
    end = _reported_span(last)[1]
    kind = KIND_NAMES[first.kind]
    block = _block_name(context.source.text, first.view)
    where = f"{len(group)} {kind} of this {block}"
    message = (
        f"space at each of the {where}; " if first.spaced else f"no space at any of the {where}; "
    )
    message += _why(context, first, as_written, targets, recounted, settled)
    fixes = [reported[b].fix for b in group if reported[b].fix is not None]
    if not fixes:
        return context.finding(start, end, message)
    edits = sorted((edit for fix in fixes for edit in fix.edits), key=lambda e: e.start)
    unsafe = any(fix.applicability != Applicability.SAFE for fix in fixes)
    count = f"{len(fixes)} spaces" if len(fixes) > 1 else "the space"
    return context.finding(
        start,
        end,
        message,
        fix=edits,
        applicability=Applicability.UNSAFE if unsafe else Applicability.SAFE,
        fix_message=f"remove {count}" if first.spaced else f"insert {count}",
    )


_LIST_ITEM = re.compile(r"[ \t]*(?:>[ \t]*)*(?:[-*+]|\d+[.)])[ \t]+")
"""A line that starts a list item (after any quote markers)."""


def _block_name(text: str, view: ProseView) -> str:
    """What a reader calls the block: ``paragraph``, ``list item``, ``heading`` or
    ``table cell``."""
    kind = view.block.kind
    if kind != "paragraph":
        return "heading" if kind == "heading" else "table cell"
    line_start = text.rfind("\n", 0, view.block.start) + 1
    return "list item" if _LIST_ITEM.match(text, line_start) else "paragraph"


# -- punctuation in Chinese prose ----------------------------------------------------
