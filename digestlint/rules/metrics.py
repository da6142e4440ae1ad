"""Metrics rules: percentages, multipliers, ranges and thousands separators written one
way per report.

Reports are read for their numbers; readers compare them across papers and days. The
rules read the prose views of :mod:`digestlint.rules._prose` (never code, math or
URLs). A fix changes only whitespace, the width of punctuation and ``％``; changing a
unit word (``x`` to ``倍``) or which mark a range uses is reported, and at most offered
as an unsafe fix when only punctuation changes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from pydantic import Field

from digestlint.findings import Applicability, Edit, Finding, Severity
from digestlint.registry import RuleContext, rule
from digestlint.rules._majority import MajorityOptions, majority_for, on_boilerplate
from digestlint.rules._prose import (
    ProseView,
    applicability,
    cached_views,
    deletion_edits,
    insertion_point,
    mostly_chinese,
)

_NOT_BEFORE_NUMBER = r"(?<![A-Za-z0-9_.])"
_PERCENT = re.compile(
    _NOT_BEFORE_NUMBER + r"(?P<number>\d+(?:\.\d+)?)(?P<space>[ \t]*)(?P<sign>[%％])(?![ \t]*\d)"
    r"|(?P<lone>％)"
)
_MULTIPLIER = re.compile(
    _NOT_BEFORE_NUMBER + r"(?P<number>\d+(?:\.\d+)?)(?P<space>[ \t]*)"
    r"(?:(?P<bei>倍)|(?<=\d)(?P<unit>x)|(?P<times>×))(?![A-Za-z0-9])(?![ \t]*[A-Z0-9])"
)
_RANGE = re.compile(
    r"(?<![A-Za-z0-9_.\-/:#~–—～])(?P<low>\d+(?:\.\d+)?)(?P<before>[ \t]*)"
    r"(?P<mark>[~～–—-])(?P<after>[ \t]*)(?P<high>\d+(?:\.\d+)?)(?![A-Za-z0-9_.\-/:~–—～])"
)
_THOUSANDS = re.compile(
    r"(?<![A-Za-z0-9_.,\-/:#])(?P<integer>\d{1,3}(?:,\d{3})+|\d+)(?P<fraction>\.\d+)?"
    r"(?![A-Za-z0-9_,\-/:]|\.\d)"
)
_DATE_LIKE = re.compile(r"(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")


@dataclass(frozen=True)
class Occurrence:
    """One written quantity: where it is in the view and the style it is written in."""

    view: ProseView
    start: int
    end: int
    style: str
    match: re.Match[str]
    english: bool
    """In English prose (more English words than Han characters in its paragraph)."""


def target_style(
    context: RuleContext, occurrences: list[Occurrence], noun: str
) -> tuple[str, str] | None:
    """The style to enforce and why: option ``style``, or in ``consistent`` mode the
    report's decisive majority (none when no style is decisive)."""
    style = context.options.style
    if style != "consistent":
        return style, "the configured style writes"
    found = majority_for(Counter(o.style for o in occurrences), context.options)
    if found is None:
        return None
    return found.style, f"{found.reason} {noun} in this report are written like"


def find_occurrences(
    context: RuleContext,
    pattern: re.Pattern[str],
    style_of: Callable,
    needles: str,
) -> list[Occurrence]:
    """Every match of ``pattern`` that has a style, in views holding one of ``needles``
    (a cheap test that skips most paragraphs). Matches on the report's template lines
    are the house style itself: they are left out."""
    found = []
    for view in cached_views(context):
        if not any(needle in view.text for needle in needles):
            continue
        english = not mostly_chinese(view.text)
        for match in pattern.finditer(view.text):
            style = style_of(match)
            if style is None or on_boilerplate(context, view.offsets[match.start()]):
                continue
            found.append(Occurrence(view, match.start(), match.end(), style, match, english))
    return found


def respace(view: ProseView, start: int, end: int, want_space: bool) -> list[Edit] | None:
    """Edits making view characters ``[start, end)`` (spaces, or nothing) one space or none."""
    if want_space:
        if end > start:
            return None
        point = insertion_point(view, start)
        return None if point is None else [Edit(start=point, end=point, content=" ")]
    return deletion_edits(view, start, end) if end > start else []


# -- percent ---------------------------------------------------------------------------


@rule("DL801", "percent-format", severity=Severity.WARNING, fixable=True, structural=False)
def percent_format(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that a percentage is written ``78%``: no space between the number and the
    sign, and a half-width ``%`` rather than ``％``.

    ## Why is this bad?
    ``78 %`` can break across lines between the number and its sign, and ``％`` next
    to ``%`` elsewhere makes the numbers look like they came from different sources.

    ## Example
    ```markdown
    降低了 **78 %**，成功率 71％。
    ```

    ## Use instead
    ```markdown
    降低了 **78%**，成功率 71%。
    ```

    ## Fix safety
    Safe: the space is removed and ``％`` becomes ``%``.
    """
    for view in cached_views(context):
        if "%" in view.text or "％" in view.text:
            for match in _PERCENT.finditer(view.text):
                yield from _percent_finding(context, view, match)


def _percent_finding(
    context: RuleContext, view: ProseView, match: re.Match[str]
) -> Iterator[Finding]:
    sign_at = match.start("lone") if match.group("lone") else match.start("sign")
    edits: list[Edit] = []
    problems: list[str] = []
    if match.group("space"):
        edits.extend(deletion_edits(view, match.start("space"), match.end("space")))
        problems.append("a space before `%`")
    if view.text[sign_at] == "％":
        offset = view.offsets[sign_at]
        edits.append(Edit(start=offset, end=offset + 1, content="%"))
        problems.append("full-width `％`")
    if not edits:
        return
    wanted = (match.group("number") or "") + "%"
    start, end = view.span(match.start(), match.end())
    yield context.finding(
        start,
        end,
        f"percentage written with {' and '.join(problems)}; write `{wanted}`",
        fix=edits,
        applicability=applicability(context.source.text, edits, view),
        fix_message=f"write `{wanted}`",
    )


# -- multipliers -----------------------------------------------------------------------

MultiplierStyle = Literal["consistent", "1.5倍", "1.5 倍", "1.5x", "1.5×", "1.5 ×"]


class MultiplierOptions(MajorityOptions):
    style: MultiplierStyle = Field(
        default="consistent",
        description="`consistent` (the report's decisive majority; nothing without one) "
        "or a style written as an example: `1.5倍`, `1.5 倍`, `1.5x`, `1.5×`, `1.5 ×`.",
    )


def _multiplier_style(match: re.Match[str]) -> str:
    return "1.5" + (" " if match.group("space") else "") + _unit(match)


def _unit(match: re.Match[str]) -> str:
    return match.group("bei") or match.group("unit") or match.group("times")


@rule(
    "DL802",
    "multiplier-style",
    severity=Severity.WARNING,
    options=MultiplierOptions,
    fixable=True,
    structural=False,
)
def multiplier_style(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that multipliers (``16.2倍``, ``2.3x``, ``2.3×``, ``4.23 倍``) are written
    one way per report, spacing between number and unit included. Option ``style``:
    ``consistent`` (default: the report's decisive majority, by default at least 80%
    of at least 5 multipliers, options ``majority_threshold`` and
    ``majority_minimum``; ``×`` against ``x`` three times out of four is no house
    style) or a style written as an example (``1.5倍``, ``1.5 倍``, ``1.5x``,
    ``1.5×``, ``1.5 ×``).

    ``256x256`` and ``3 × 3`` (dimensions, products), ``8x H100`` (a count of
    hardware) and ``4 x`` (a variable) are not multipliers.

    ## Why is this bad?
    ``16.2倍`` next to ``4.23 倍`` or ``2.3x`` makes readers wonder whether the numbers
    measure the same thing.

    ## Example
    ```markdown
    注意力算子获得 **16.2倍** 的加速；Batch 异质性降低了 4.23 倍。
    ```

    ## Use instead
    ```markdown
    注意力算子获得 **16.2倍** 的加速；Batch 异质性降低了 4.23倍。
    ```

    ## Fix safety
    Safe when only the spacing differs: the space is removed or inserted. A different
    unit (``x`` where the report writes ``倍``) is reported but not changed: that
    would change the words. Its spacing is fixed only where it is that of its own
    unit too: ``2.3 ×`` loses its space where the report writes ``16.2倍``, but
    ``0.1 倍`` keeps its space where the report writes ``1.55x`` (a Chinese unit
    follows the report's spacing of numbers and Han).
    """
    found = find_occurrences(context, _MULTIPLIER, _multiplier_style, "倍x×")
    target = target_style(context, found, "multipliers")
    if target is None:
        return
    style, reason = target
    want_space = " " in style
    want_unit = style[-1]
    for occurrence in found:
        if occurrence.style == style:
            continue
        match = occurrence.match
        view = occurrence.view
        written = view.text[occurrence.start : occurrence.end]
        example = match.group("number") + (" " if want_space else "") + want_unit
        message = f"multiplier written `{written}`; {reason} `{example}`"
        start, end = view.span(occurrence.start, occurrence.end)
        edits = None
        unit = _unit(match)
        respaced = bool(match.group("space")) != want_space
        if unit != want_unit:
            message += f" (change `{unit}` to `{want_unit}` by hand)"
            # `0.1 倍` where the report writes `1.55x`: a Chinese unit's spacing is the
            # report's spacing of numbers and Han, not that of `x`. A symbol (`2.3 ×`)
            # takes none, whatever the unit the report writes.
            respaced = respaced and unit in "x×" and not want_space
        if respaced:
            edits = respace(view, match.start("space"), match.end("space"), want_space)
        if not edits:
            yield context.finding(start, end, message)
            continue
        yield context.finding(
            start,
            end,
            message,
            fix=edits,
            applicability=applicability(context.source.text, edits, view),
            fix_message="remove the space" if not want_space else "insert a space",
        )


# -- ranges ----------------------------------------------------------------------------

ENGLISH_RANGE = "1–2"
"""An en dash between numbers, the range mark of English prose (``15–22%``)."""
RangeStyle = Literal["consistent", "1~2", "1 ~ 2", "1～2", "1–2", "1 – 2", "1—2", "1 — 2", "1-2"]
_WIDTH_VARIANTS = {"～": "~", "~": "~"}


class RangeOptions(MajorityOptions):
    style: RangeStyle = Field(
        default="consistent",
        description="`consistent` (the decisive majority of the report's Chinese prose, "
        "and separately of its English prose; nothing without one) or a style written as "
        "an example: `1~2`, `1 ~ 2`, `1～2`, `1–2`, `1 – 2`, `1—2`, `1 — 2`, `1-2`.",
    )


def _range_style(match: re.Match[str]) -> str | None:
    low, high = match.group("low"), match.group("high")
    mark = match.group("mark")
    spaced = bool(match.group("before") or match.group("after"))
    if float(low) >= float(high):
        return None  # a score (3-2) or a countdown, not a range
    # A hyphen between numbers is a range only written tight and without leading
    # zeros: 2026-02-20, 5 - 3 and 01-05 are dates, sums and ids.
    if mark == "-" and (spaced or _leading_zero(low) or _leading_zero(high)):
        return None
    if spaced and not (match.group("before") and match.group("after")):
        return None
    return "1" + (" " if spaced else "") + mark + (" " if spaced else "") + "2"


def _leading_zero(number: str) -> bool:
    return len(number) > 1 and number[0] == "0" and number[1] != "."


@rule(
    "DL803",
    "range-style",
    severity=Severity.WARNING,
    options=RangeOptions,
    fixable=True,
    structural=False,
)
def range_style(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that numeric ranges (``17.1~20.2``, ``17.1–20.2``, ``17.1-20.2``) use one
    mark and one spacing per report. Option ``style``: ``consistent`` (default: the
    style the report's ranges use) or a style written as an example (``1~2``,
    ``1 ~ 2``, ``1～2``, ``1–2``, ``1 – 2``, ``1—2``, ``1 — 2``, ``1-2``).

    Only clear ranges count: the first number smaller than the second, neither glued
    to a letter, dot or hyphen (``GPT-5.2``, ``Qwen2.5-7B``, ``Claude-3.7-Sonnet``,
    ``2602.15569``), no chains (``2026-02-20``), and a hyphen only without spaces
    and leading zeros.

    ``consistent`` follows a decisive majority (by default at least 80% of at least 5
    ranges: options ``majority_threshold`` and ``majority_minimum``); a 2–2 split gets
    no findings. Ranges in English prose (paragraphs with more English words than Han
    characters) are judged apart from the Chinese ones, and an en dash between numbers
    there (``15–22%``) is the correct English range mark: never reported.

    ## Why is this bad?
    ``+17.1~20.2`` in one paper and ``+3.6-5.3`` in the next reads like two
    different notations; a hyphen can also be read as a minus sign.

    ## Example
    ```markdown
    平均提升了 +17.1~20.2 分，比无参考方法提升了 +3.6-5.3 分。
    ```

    ## Use instead
    ```markdown
    平均提升了 +17.1~20.2 分，比无参考方法提升了 +3.6~5.3 分。
    ```

    ## Fix safety
    Safe when only the spacing or the width of the mark differs (``～`` and ``~``).
    Changing the mark itself (``-`` to ``~``) is an unsafe fix: it changes which
    punctuation is written, not only its width.
    """
    found = find_occurrences(context, _RANGE, _range_style, "~～–—-")
    for english in (False, True):
        group = [o for o in found if o.english == english]
        target = target_style(context, group, "ranges in English prose" if english else "ranges")
        if target is None:
            continue
        style, reason = target
        want_space = " " in style
        want_mark = style.replace(" ", "")[1]
        for occurrence in group:
            if occurrence.style == style or (english and occurrence.style == ENGLISH_RANGE):
                continue
            yield _range_finding(context, occurrence, want_mark, want_space, reason)


def _range_finding(
    context: RuleContext, occurrence: Occurrence, want_mark: str, want_space: bool, reason: str
) -> Finding:
    match = occurrence.match
    view = occurrence.view
    mark = match.group("mark")
    space = " " if want_space else ""
    example = match.group("low") + space + want_mark + space + match.group("high")
    written = view.text[occurrence.start : occurrence.end]
    edits: list[Edit] = []
    safe = True
    for group in ("before", "after"):
        if bool(match.group(group)) != want_space:
            edits.extend(respace(view, match.start(group), match.end(group), want_space) or [])
    if mark != want_mark:
        offset = view.offsets[match.start("mark")]
        edits.append(Edit(start=offset, end=offset + 1, content=want_mark))
        safe = _WIDTH_VARIANTS.get(mark, mark) == _WIDTH_VARIANTS.get(want_mark, want_mark)
    start, end = view.span(occurrence.start, occurrence.end)
    kept = applicability(context.source.text, edits, view)
    return context.finding(
        start,
        end,
        f"range written `{written}`; {reason} `{example}`",
        fix=edits,
        applicability=kept if safe else Applicability.UNSAFE,
        fix_message=f"write `{example}`",
    )


# -- thousands separators --------------------------------------------------------------

ThousandsStyle = Literal["consistent", "10,000", "10000"]


class ThousandsOptions(MajorityOptions):
    style: ThousandsStyle = Field(
        default="consistent",
        description="`consistent` (the report's decisive majority; nothing without one), "
        "`10,000` (comma every three digits) or `10000` (no separators).",
    )
    min_digits: int = Field(
        default=5,
        description="Numbers written without separators are checked from this many "
        "integer digits: four-digit numbers (`8192`, years) may go without a separator in "
        "either style.",
    )


def _thousands_style(min_digits: int) -> Callable[[re.Match[str]], str | None]:
    def style_of(match: re.Match[str]) -> str | None:
        integer = match.group("integer")
        if "," in integer:
            return "10,000"
        if len(integer) < min_digits or integer.startswith("0") or _DATE_LIKE.fullmatch(integer):
            return None
        return "10000"

    return style_of


def _group(integer: str) -> str:
    return f"{int(integer):,}"


_LABEL_BEFORE = re.compile(
    r"(?P<label>[A-Za-z][A-Za-z/]*\.?|[#№]|第|编号|代码|型号|热线|电话|拨打|致电|客服|专线)"
    r"[ \t]*[:：]?[ \t]*$"
)
_ACRONYM = re.compile(r"[A-Z]{2,}(?:/[A-Z]{1,4})*")
_CAPITALIZED = re.compile(r"[A-Z][a-z]+")
_NUMBER_ABBREVIATIONS = frozenset({"No.", "no.", "Nr.", "Vol.", "vol."})
_SENTENCE_END = frozenset(".!?。！？:：\n")


def _identifier(context: RuleContext, occurrence: Occurrence) -> bool:
    """Whether a number names or numbers something rather than counting it (GB/T
    15835's 编号 against 计量): in a heading, a link's text or a ``《title》``, or
    after a label (``GB 18030``, ``RFC 10122``, ``Workshop 19281``, ``No. 12345``,
    ``第 10086 期``, ``热线 10086``)."""
    view = occurrence.view
    if view.block.kind == "heading":
        return True
    at = occurrence.match.start("integer")
    before = view.text[max(0, at - 40) : at]
    if before.rfind("《") > before.rfind("》"):
        return True
    offset = view.offsets[at]
    for link in context.document.links:
        text_end = link.url_start if link.kind == "inline" else link.end
        if link.kind in ("inline", "reference") and link.start <= offset < text_end:
            return True
    return _labelled(before)


def _labelled(before: str) -> bool:
    found = _LABEL_BEFORE.search(before)
    if found is None:
        return False
    label = found.group("label")
    if not label[0].isascii() or label in _NUMBER_ABBREVIATIONS or label == "#":
        return True
    if _ACRONYM.fullmatch(label):
        return True  # GB 18030, GB/T 15835, RFC 10122
    if _CAPITALIZED.fullmatch(label):
        # Workshop 19281; but not a sentence's first word (About 12000 tasks).
        head = before[: found.start()].rstrip(" \t")
        return bool(head) and head[-1] not in _SENTENCE_END
    return False


@rule(
    "DL804",
    "thousands-separator",
    severity=Severity.WARNING,
    options=ThousandsOptions,
    fixable=True,
    structural=False,
)
def thousands_separator(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that large numbers are written one way per report: ``10,000`` or
    ``10000``. Option ``style``: ``consistent`` (default: the report's decisive
    majority, as for DL802), ``10,000`` or ``10000``; option ``min_digits`` (default 5):
    numbers without separators are checked from this many digits, so years and
    four-digit numbers like ``8192`` are never reported.

    Only quantities count (GB/T 15835 tells numbers that count, 计量, from numbers
    that name or order things, 编号). Skipped: numbers glued to letters, dots,
    hyphens or slashes (ids, versions, URLs, arXiv numbers), eight-digit dates
    (``20260220``), numbers after a label (standard and document numbers ``GB 18030``,
    ``RFC 10122``, numbered events ``Workshop 19281``, ``No. 12345``, ``第 10086 期``,
    phone and hotline numbers ``热线 10086``) and numbers in headings, link text and
    ``《titles》``.

    ## Why is this bad?
    ``2,876 个训练样本`` next to ``60000 个样本`` makes readers count digits to compare
    them.

    ## Example
    ```markdown
    包含 2,876 个训练样本和 12000 个评估样本。
    ```

    ## Use instead
    ```markdown
    包含 2,876 个训练样本和 12,000 个评估样本。
    ```

    ## Fix safety
    Unsafe: commas are inserted or removed, which is neither whitespace nor the
    width of a mark. The digits never change.
    """
    min_digits = context.options.min_digits
    found = find_occurrences(context, _THOUSANDS, _thousands_style(min_digits), ",0123456789")
    quantities = [o for o in found if not _identifier(context, o)]
    target = target_style(context, quantities, "large numbers")
    if target is None:
        return
    style, reason = target
    for occurrence in quantities:
        if occurrence.style == style:
            continue
        view = occurrence.view
        integer = occurrence.match.group("integer")
        plain = integer.replace(",", "")
        wanted = _group(plain) if style == "10,000" else plain
        start, end = view.span(occurrence.match.start("integer"), occurrence.match.end("integer"))
        if end - start != len(integer):
            yield context.finding(start, end, f"number written `{integer}`; {reason} `{wanted}`")
            continue
        yield context.finding(
            start,
            end,
            f"number written `{integer}`; {reason} `{wanted}`",
            fix=[Edit(start=start, end=end, content=wanted)],
            applicability=Applicability.UNSAFE,
            fix_message=f"write `{wanted}`",
        )
