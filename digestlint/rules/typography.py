"""Typography rules: math and emphasis that render broken, spacing between Chinese and
ASCII, and the width of punctuation in Chinese prose.

All of them read the prose views of :mod:`digestlint.rules._prose` (code, math, URLs,
link destinations and HTML are never in a view, so never touched) and fix only
whitespace and the width of punctuation.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator

from digestlint.findings import Applicability, Edit, Finding, Severity, apply_edits
from digestlint.han import HAN
from digestlint.parse.markdown import delimiter_run
from digestlint.registry import RuleContext, rule
from digestlint.rules._majority import MajorityOptions, majority_for, on_boilerplate
from digestlint.rules._prose import (
    BARRIER,
    ProseView,
    applicability,
    cached_views,
    deletion_edits,
    mostly_chinese,
    touches_barrier,
)
from digestlint.source import Spans

_DOLLARS = re.compile(r"(?<!\$)\$\$?(?!\$)")
_SPACED_MATH = re.compile(
    r"(?<![$\\])\$(?P<lead>[ \t]+)(?P<body>[^$\n\x00]*?(?:\\[A-Za-z]+|[\^_{}])[^$\n\x00]*?)"
    r"(?P<trail>[ \t]+)\$(?!\$)(?![ \t]*\d)"
)
"""``$ x^2 $``: LaTeX (a command, ``^``, ``_`` or a brace) between dollars that have
spaces inside them."""
_SPACED_PAIR = re.compile(r"(?<![$\\])\$[ \t]+[^$\n\x00]+?[ \t]\$(?!\$)")
"""Two dollars with spaces inside them, whatever is between."""
_CURRENCY_AFTER = re.compile(r"\d[\d,]*(?:\.\d+)?(?:[KMBkmb](?![A-Za-z]))?(?![A-Za-z0-9_^{}\\])")
_ASTERISKS = re.compile(r"\*{2,}")
_HALF_WIDTH = re.compile(
    f"(?<=[{HAN}])(?:(?P<comma>,)(?!\\d)|(?P<colon>:)(?![/:])|(?P<semicolon>;)"
    f"|(?P<marks>[?!]+)|(?P<stop>\\.)(?=$|[\\s\\x00{HAN}]))"
)
_HAN_THEN_HALF_WIDTH = re.compile(f"[{HAN}][,.:;?!]")
"""Where :data:`_HALF_WIDTH` can match (one character on): a plain search, where the
pattern's own, led by a lookbehind, tests every position of the text."""
FULL_WIDTH = {",": "，", ".": "。", ":": "：", ";": "；", "?": "？", "!": "！"}
_FULL_WIDTH_PUNCTUATION = "，。、：；？！（）【】《》「」『』〔〕〈〉"
_SPACE_AROUND_PUNCTUATION = re.compile(
    f"[ \\t\\u3000]+(?=[{_FULL_WIDTH_PUNCTUATION}])|(?<=[{_FULL_WIDTH_PUNCTUATION}])[ \\t\\u3000]+"
)


# -- math and emphasis ---------------------------------------------------------------


@rule("DL811", "math-unbalanced", structural=False)
def math_unbalanced(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks for a ``$`` or ``$$`` that opens math but is never closed: markdown-it
    leaves it as a literal dollar sign in the text. Also reports ``$ … $`` around
    LaTeX with spaces inside the dollars, which is not math either.

    ``$`` follows pandoc's rule (as GitLab does): an opening ``$`` has no space after
    it, a closing one no space before it and no digit after it. So a ``$`` with a space
    after it, or before an amount (``US$40``, ``$5M``, ``only ($ 12) per run``,
    ``$20,000 and $30,000``), is money, and left alone. Two dollars with spaces inside
    them and no LaTeX between (``$ O(n) $``) may be prose or money: neither is reported.

    ## Why is this bad?
    The formula renders as raw LaTeX source with a stray ``$``, and everything up to
    the next ``$`` may be swallowed into math instead.

    ## Example
    ```markdown
    可利用度降至 $10^{-4} 以下，复杂度为 $ O(n^2) $。
    ```

    ## Use instead
    ```markdown
    可利用度降至 $10^{-4}$ 以下，复杂度为 $O(n^2)$。
    ```

    ## Fix safety
    A lone ``$`` is not fixable: where the math should end is not known. Spaces inside
    ``$ … $`` are removed by an unsafe fix: the text then renders as math, which the
    writer most likely meant, but which changes what readers see.
    """
    for view in cached_views(context):
        if "$" not in view.text:
            continue
        spaced = list(_SPACED_MATH.finditer(view.text))
        covered = {index for match in spaced for index in (match.start(), match.end() - 1)}
        # The closing `$` of `$ O(n) $` could open math by itself, but it is the second
        # half of a pair the writer spaced: not a lone dollar (and, with no LaTeX in
        # it, the pair may be prose or money, so it is not reported either).
        covered.update(match.end() - 1 for match in _SPACED_PAIR.finditer(view.text))
        for match in spaced:
            yield _spaced_math_finding(context, view, match)
        for match in _DOLLARS.finditer(view.text):
            start, end = match.span()
            if start in covered or not _can_open(view.text, end, end - start == 2):
                continue
            source_start, source_end = view.span(start, end)
            math, shown = (
                ("display math", "two literal dollar signs")
                if end - start == 2
                else ("math", "a literal dollar sign")
            )
            yield context.finding(
                source_start,
                source_end,
                f"unbalanced `{match.group()}`: no matching `{match.group()}` closes this "
                f"{math}, so it renders as {shown}",
            )


def _can_open(text: str, after: int, display: bool) -> bool:
    """Whether a ``$`` (or a ``$$``, ``display``) ending at ``text[after]`` reads as the
    start of math: not an amount of money, and for ``$`` something other than a space
    follows (display math may put its formula on the next line)."""
    if _CURRENCY_AFTER.match(text, after):
        return False
    if display:
        return True
    return after < len(text) and not text[after].isspace() and text[after] != BARRIER


def _spaced_math_finding(context: RuleContext, view: ProseView, match: re.Match[str]) -> Finding:
    edits = deletion_edits(view, match.start("lead"), match.end("lead"))
    edits += deletion_edits(view, match.start("trail"), match.end("trail"))
    source_start, source_end = view.span(match.start(), match.end())
    body = match.group("body")
    return context.finding(
        source_start,
        source_end,
        f"`{match.group()}` is not math: an opening `$` takes no space after it and a "
        f"closing one none before it; write `${body}$`",
        fix=edits,
        applicability=Applicability.UNSAFE,
        fix_message="remove the spaces inside the dollars",
    )


@rule("DL812", "emphasis-unclosed", fixable=True, structural=False)
def emphasis_unclosed(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks for ``**`` that does not open or close bold text: markdown-it leaves it as
    literal asterisks.

    That happens when the closing ``**`` is missing, and also when CommonMark's
    flanking rules refuse it: a closing ``**`` right after punctuation must be
    followed by a space or punctuation (``**78%**的`` does not close). A pair of
    literal ``**`` is one finding, over the text they were meant to make bold.

    Asterisks inside a word (a censored ``D*** Results``, ``f**k``) are not emphasis
    and are left alone.

    ## Why is this bad?
    Readers see ``**78%**`` with the asterisks instead of bold text.

    ## Example
    ```markdown
    降低了 **78%**的误差；成功率为 **71% 。
    ```

    ## Use instead
    ```markdown
    降低了 **78%** 的误差；成功率为 **71%**。
    ```

    ## Fix safety
    Safe where moving the markup or a space does it: when two literal ``**`` in a
    paragraph fail only because one touches punctuation, a space is put outside them
    (``**78%** 的``); when they enclose one phrase in brackets or quotation marks with
    text right outside it, they move inside the brackets instead, so that the line
    gets no space (``歧义「**靠上下文**」解决``, not ``歧义 **「靠上下文」** 解决``). A lone
    ``**`` is not fixable: where the bold text should end is not known.
    """
    text = context.source.text
    for view in cached_views(context):
        if "**" not in view.text:
            continue
        runs = []
        for match in _ASTERISKS.finditer(view.text):
            start, end = match.span()
            source_start, source_end = view.span(start, end)
            if source_end - source_start == end - start and not _inside_word(
                view.text, start, end
            ):
                runs.append((source_start, source_end))
        for opener, closer in zip(runs[::2], runs[1::2], strict=False):
            yield _broken_pair(context, opener, closer)
        if len(runs) % 2:
            lone = runs[-1]
            yield context.finding(
                lone[0],
                lone[1],
                f"`{text[lone[0] : lone[1]]}` does not open or close emphasis: it renders as "
                "literal asterisks (is its partner missing?)",
            )


def _inside_word(text: str, start: int, end: int) -> bool:
    """Whether the asterisks ``text[start:end]`` are part of a word, as in a censored
    ``D*** Results`` or ``f**k``: a letter on both sides, or a fragment of at most
    three letters before them and no letter after."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if not (before.isascii() and before.isalpha()):
        return False
    if after.isascii() and after.isalpha():
        return True
    fragment = start
    while fragment > 0 and text[fragment - 1].isascii() and text[fragment - 1].isalpha():
        fragment -= 1
    return start - fragment <= 3


def _broken_pair(
    context: RuleContext, opener: tuple[int, int], closer: tuple[int, int]
) -> Finding:
    """One finding for two literal ``**`` that were meant to enclose bold text."""
    text = context.source.text
    written = text[opener[0] : closer[1]]
    if len(written) > 40:
        written = written[:18] + "…" + written[-18:]
    edits = _inside_brackets_for_pair(text, opener, closer)
    fix_message = "move the `**` inside the brackets, where it can open and close"
    if not edits:
        edits = _spaces_for_pair(text, opener, closer)
        fix_message = "put a space outside the `**` so that it can open and close"
    why = (
        "CommonMark does not let `**` open right before, or close right after, punctuation "
        "that touches text on its other side"
        if edits
        else "neither `**` can open or close where it is"
    )
    return context.finding(
        opener[0],
        closer[1],
        f"`{written}` renders with literal asterisks, not bold: {why}",
        fix=edits or None,
        fix_message=fix_message,
    )


_BRACKET_PAIRS = {
    "「": "」",
    "『": "』",
    "（": "）",
    "【": "】",
    "《": "》",
    "〔": "〕",
    "〈": "〉",
    "“": "”",
    "‘": "’",
}


def _inside_brackets_for_pair(
    text: str, opener: tuple[int, int], closer: tuple[int, int]
) -> list[Edit]:
    """For a literal ``**`` pair around a bracketed or quoted phrase with text outside
    it (``歧义**「靠上下文」**解决``): the ``**`` moved inside the brackets
    (``歧义「**靠上下文**」解决``), where it opens and closes, instead of spaces in the
    Chinese line. Empty unless the pair encloses exactly one such phrase and the moved
    runs open and close."""
    if opener[1] - opener[0] != 2 or closer[1] - closer[0] != 2:
        return []
    first, last = opener[1], closer[0] - 1
    if last - first < 2 or _BRACKET_PAIRS.get(text[first]) != text[last]:
        return []
    inner = text[first + 1 : last]
    if text[first] in inner or text[last] in inner:
        return []  # `**「甲」和「乙」**`: two phrases, not one in brackets
    marker = text[opener[0] : opener[1]]
    edits = [
        Edit(start=opener[0], end=first + 1, content=text[first] + marker),
        Edit(start=last, end=closer[1], content=marker + text[last]),
    ]
    # Each edit keeps its length: the opening run moves one character right, the
    # closing one one character left.
    low, high = max(opener[0] - 1, 0), min(closer[1] + 1, len(text))
    if _opens_and_closes(text, edits, low, high, opener[0] + 1 - low, last - low):
        return edits
    return []


def _spaces_for_pair(text: str, opener: tuple[int, int], closer: tuple[int, int]) -> list[Edit]:
    """Spaces outside a literal ``**`` pair that let CommonMark read it as bold text:
    before an opener that is followed by punctuation, after a closer that follows
    punctuation. Empty if spaces would not do it."""
    if opener[1] - opener[0] != 2:
        return []
    if closer[1] - closer[0] != 2:
        return []
    edits = []
    if (
        not delimiter_run(text, opener[0]).left_flanking
        and opener[0] > 0
        and not text[opener[0] - 1].isspace()
    ):
        edits.append(Edit(start=opener[0], end=opener[0], content=" "))
    if (
        not delimiter_run(text, closer[0]).right_flanking
        and closer[1] < len(text)
        and not text[closer[1]].isspace()
    ):
        edits.append(Edit(start=closer[1], end=closer[1], content=" "))
    if not edits:
        return []
    # The stretch the flanking tests read: the two runs and a character on each side.
    low, high = opener[0], closer[1]
    while low > 0 and text[low - 1] == text[opener[0]]:
        low -= 1
    while high < len(text) and text[high] == text[closer[0]]:
        high += 1
    low, high = max(low - 1, 0), min(high + 1, len(text))
    shift = 1 if edits[0].start == opener[0] else 0
    if _opens_and_closes(text, edits, low, high, opener[0] - low + shift, closer[0] - low + shift):
        return edits
    return []


def _opens_and_closes(
    text: str, edits: list[Edit], low: int, high: int, opener: int, closer: int
) -> bool:
    """Whether, once ``edits`` are made, the run at ``opener`` opens and the one at
    ``closer`` closes (both offsets in the edited ``text[low:high]``). The flanking
    tests read each run and the characters beside it: that stretch is edited, not a
    copy of the whole report for each pair (the square of its size)."""
    moved = [Edit(start=e.start - low, end=e.end - low, content=e.content) for e in edits]
    fixed = apply_edits(text[low:high], moved)
    return (
        delimiter_run(fixed, opener).left_flanking and delimiter_run(fixed, closer).right_flanking
    )


def _field_label_spans(context: RuleContext) -> list[tuple[int, int]]:
    """``**链接**: `` and the like: the format's field labels keep their own colon."""
    document = context.document
    entries = list(document.header.fields)
    for paper in document.papers:
        entries.extend(paper.fields)
    return [(entry.start, entry.value_start) for entry in entries]


def _half_width_marks(text: str) -> Iterator[re.Match[str]]:
    """What ``_HALF_WIDTH.finditer(text)`` finds, tried only after a Han character and a
    half-width mark."""
    end = 0
    for candidate in _HAN_THEN_HALF_WIDTH.finditer(text):
        at = candidate.start() + 1
        if at < end:
            continue
        match = _HALF_WIDTH.match(text, at)
        if match is not None:
            end = match.end()
            yield match


LIST_ITEM_LIMIT = 20
"""The most characters a term of a list of terms (:func:`list_separators`) has."""
_LEADING_LABEL = re.compile(r"[^:：\n]{1,12}[:：][ \t]*")
_ITEM_PUNCTUATION = re.compile(r"[，。；：！？、,;:!?]|\.(?:\s|$)")


def list_separators(text: str) -> set[int]:
    """The indexes of the marks that join a list of terms or of ``key: value`` pairs: a
    block of one line (a table cell, a paragraph), perhaps after a label
    (``关键词: ``), that is three or more short terms joined by one ``;`` or ``,`` and
    nothing else (``自然语言处理;大语言模型应用;路由评测``, ``大模型,强化学习,推理``), or two
    or more short ``key: value`` pairs joined by ``;`` (``白名单关键词: benchmark; 目标物种:
    ant``, the colons too). A generator's delimiters, not a sentence's punctuation. Two
    clauses joined by a half-width ``;`` are a sentence, and reported."""
    line = text.rstrip()
    if "\n" in line:
        return set()
    label = _LEADING_LABEL.match(line)
    begin = label.end() if label else 0
    listed = line[begin:]
    for mark in ";,":
        items = listed.split(mark)
        if len(items) >= 3 and all(
            item.strip()
            and len(item.strip()) <= LIST_ITEM_LIMIT
            and not _ITEM_PUNCTUATION.search(item)
            for item in items
        ):
            return {begin + index for index, char in enumerate(listed) if char == mark}
    pairs = listed.split(";")
    if len(pairs) >= 2 and all(_KEY_VALUE.fullmatch(pair) for pair in pairs):
        return {begin + index for index, char in enumerate(listed) if char in ";:"}
    return set()


_KEY_VALUE = re.compile(r"[ \t]*[^:：;，。,\n]{1,12}:[ \t]*[^:：;，。\n]{1,40}")
"""A ``key: value`` pair of a generated line: a short key, an ASCII colon, a short value."""


@rule("DL814", "cjk-punctuation-width", severity=Severity.WARNING, fixable=True, structural=False)
def cjk_punctuation_width(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that ``,`` ``.`` ``:`` ``;`` ``?`` ``!`` right after a Han character are
    written full width: ``，`` ``。`` ``：`` ``；`` ``？`` ``！``.

    A comma before a digit, a colon before ``/`` and a full stop before ASCII text are
    left alone, and so is the colon of a field label at the start of a line, bold
    (``- **核心贡献**: 提出…``, ``**Label:**``, after any emoji marker) or plain, each at
    most 12 characters (``- 会议/期刊: ACL``): the format's field syntax; a longer bold
    lead-in ending in a colon is a sentence. Unless the report writes such
    labels (bold ones, or plain ones: each kind on its own) with ``：`` by a decisive
    majority (80% of at least 5): then a ``:`` there is a slip. A
    paragraph (or cell) with more English words than Han characters is English text
    quoting Chinese terms, and keeps its punctuation. The report's template lines (a
    line that repeats, numbers and links aside, such as ``- **论文链接**: https://…``
    under every paper; the title and header) are its house style and are not reported.

    ## Why is this bad?
    Half-width punctuation in Chinese prose is too narrow for the text around it and
    reads as a typo.

    ## Example
    ```markdown
    显著提升了用户信任,并降低了任务负荷.
    ```

    ## Use instead
    ```markdown
    显著提升了用户信任，并降低了任务负荷。
    ```

    ## Fix safety
    Safe: only the width of the mark changes (a space after it is then removed by
    DL815).
    """
    labels = Spans(_field_label_spans(context))
    plain_labels = _plain_label_colons(context.source.text)
    half_width_labels = _half_width_labels_kept(plain_labels)
    bold_labels = _bold_label_colons(context.source.text)
    half_width_bold_labels = _half_width_labels_kept(bold_labels)
    for view in cached_views(context):
        matches = list(_half_width_marks(view.text))
        if not matches or not mostly_chinese(view.text):
            continue  # English text quoting Chinese terms keeps its own punctuation
        separators = list_separators(view.text)
        for match in matches:
            start, end = match.span()
            offset = view.offsets[start]
            if labels.hold(offset) or start in separators:
                continue  # `机器学习;增量学习`: a generated list of terms, not a sentence
            if match.group() == ":" and (
                (offset in bold_labels and half_width_bold_labels)
                or (offset in plain_labels and half_width_labels)
            ):
                continue  # `- **核心贡献**: 提出…`, `- 会议/期刊: ACL`: a field's label
            if on_boilerplate(context, offset):
                continue  # `- **论文链接**: https://…` under every paper: the template's own
            edits = [
                Edit(start=view.offsets[i], end=view.offsets[i] + 1, content=FULL_WIDTH[c])
                for i, c in enumerate(match.group(), start)
            ]
            wide = "".join(FULL_WIDTH[c] for c in match.group())
            source_start, source_end = view.span(start, end)
            yield context.finding(
                source_start,
                source_end,
                f"half-width `{match.group()}` in Chinese prose; write `{wide}`",
                fix=edits,
                applicability=applicability(context.source.text, edits, view),
                fix_message=f"write `{wide}`",
            )


@rule(
    "DL815", "cjk-punctuation-spacing", severity=Severity.WARNING, fixable=True, structural=False
)
def cjk_punctuation_spacing(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks for spaces before or after full-width punctuation
    (``，。、：；？！（）【】《》「」『』``).

    ## Why is this bad?
    Full-width punctuation already carries its own spacing; an extra space leaves a
    visible hole in the line.

    ## Example
    ```markdown
    **输入**： 文本序列 （Query, Key, Value 矩阵）。
    ```

    ## Use instead
    ```markdown
    **输入**：文本序列（Query, Key, Value 矩阵）。
    ```

    Only a space between a mark and prose is reported: a Han character, a letter or
    digit, or another mark on its other side. A space that sets off a dash, an emoji
    or a symbol (``）** —— **下一句``, ``⚠️ 「基准」``, ``（蓝）** = 过滤``) is that
    symbol's spacing, and a space after bold text that ends a sentence
    (``为何如此？** 「演化」``) sets a bold sentence off from the next: both are left
    as written.

    The space after a bold field label that ends in a colon
    (``**原文地址：** [PDF](…) | [代码](…)``) is the format's field syntax, written the
    same way for every field, and is not reported; neither are the report's template
    lines (a line that repeats, numbers and links aside: ``1. [Title](…) （8.5/10）`` on
    every line of a list), which are its house style.

    ## Fix safety
    Safe: the spaces are removed. A space that lets a ``**`` next to it open or close
    bold text (``**内积（IP）** 的``) is needed and not reported, and so is a space
    next to code, math or a URL (without it, a bare URL would swallow the mark).
    """
    for view in cached_views(context):
        for match in _SPACE_AROUND_PUNCTUATION.finditer(view.text):
            start, end = match.span()
            if touches_barrier(view, start, end):
                continue  # the space ends a URL or sets off code: not prose spacing
            if not _between_prose(context.source.text, view, start, end):
                continue  # `）** —— **`, `⚠️ 「…」`, `？** 「`: the writer's separator
            if _ends_glued_url(context, view.offsets[start]):
                continue  # `https://x.cn/中文 ，`: GitHub's link runs up to the space
            if _after_bold_label(context.source.text, view, start):
                continue  # `**原文地址：** [PDF](…)`: the format's field syntax
            if on_boilerplate(context, view.offsets[start]):
                continue  # the template's spacing is the house style
            edits = deletion_edits(view, start, end)
            safety = applicability(context.source.text, edits, view)
            if safety is not Applicability.SAFE:
                continue  # the space lets a `**` next to it open or close
            around_start = max(start - 1, 0)
            around_end = min(end + 1, len(view.text))
            while view.offsets[around_start] < 0:
                around_start += 1
            while view.offsets[around_end - 1] < 0:
                around_end -= 1
            source_start, source_end = view.span(around_start, around_end)
            yield context.finding(
                source_start,
                source_end,
                _punctuation_space_message(view.text, start, end),
                fix=edits,
                fix_message="remove the space",
            )


_SENTENCE_ENDS = "。？！」』）】》〕〉"


def _between_prose(text: str, view: ProseView, start: int, end: int) -> bool:
    """Whether the space ``view.text[start:end]`` stands between a full-width mark and
    prose, not beside a symbol that the writer spaces: a dash, an emoji (with its
    variation selector), a mathematical sign (``=``, ``+``, an arrow) or ``/``, ``|``,
    ``~`` (``）** —— **下一句``, ``⚠️ 「…」``, ``A = B``); taking out the space on the
    mark's side only would leave the symbol lopsided. Nor a space after emphasis that
    closes on the end of a sentence (``？** 「…」``): it sets a bold sentence off from
    the next. Both are the writer's choice."""
    marks = _FULL_WIDTH_PUNCTUATION
    before = view.text[start - 1] if start > 0 else ""
    after = view.text[end] if end < len(view.text) else ""
    others = []  # the character on the space's other side from each mark
    if before and before in marks:
        others.append(after)
    if after and after in marks:
        others.append(before)
    if any(not other or _spaced_symbol(other) for other in others):
        return False
    # Emphasis closed on a sentence's end or a closing bracket, then a space: what
    # follows is another sentence (`为何如此？** 「演化」`), set off on purpose. After
    # a mark inside a sentence (`见**注意：** [附录]`) the space is a hole.
    gap = view.gaps.get(start)
    return not (
        before in _SENTENCE_ENDS
        and gap is not None
        and any(char in "*_" for char in text[gap.start : gap.end])
    )


_SPACED_CATEGORIES = frozenset({"Sm", "So", "Sk", "Pd", "Mn", "Me", "Cf"})


def _spaced_symbol(char: str) -> bool:
    """A symbol writers set off with spaces: dashes, emoji, mathematical signs, ``/``,
    a middle dot between fields (``精选 1（按主题） · 👤 0 篇``)."""
    return char in "/\\|~&#·•・" or unicodedata.category(char) in _SPACED_CATEGORIES


_LINE_PREFIX = re.compile(r"[ \t]*(?:>[ \t]*)*(?:(?:[-*+]|\d+[.)])[ \t]+)?")


def _ends_glued_url(context: RuleContext, space: int) -> bool:
    """Whether the text before the space at source offset ``space`` runs, without a
    space, from a bare URL: markdown-it ends ``https://x.cn/`` before ``中文``, but
    GitHub's autolinker takes the link up to the space, and would take a full-width
    mark glued to it as well (bare-url-cjk, DL706, reports the glued text)."""
    text = context.source.text
    word_start = space
    while word_start > 0 and not text[word_start - 1].isspace():
        word_start -= 1
    glued = context.lint_pass.links_by_start.between(word_start, space)
    return any(link.kind == "bare" for link in glued)


def _after_bold_label(text: str, view: ProseView, start: int) -> bool:
    """Whether the space at view index ``start`` follows a bold field label that ends
    in a colon (``**原文地址：** [PDF](…)``, ``… | **代码：** [GitHub](…)``): at the
    start of its line (after any list or quote marker) or after a ``|`` between fields."""
    if start == 0 or view.text[start - 1] not in "：:" or view.offsets[start] < 0:
        return False
    colon = view.offsets[start - 1]
    closing = text[colon + 1 : view.offsets[start]]
    if closing not in ("**", "__"):
        return False
    line_start = text.rfind("\n", 0, colon) + 1
    opening = text.rfind(closing, line_start, colon)
    if opening < 0 or "\n" in text[opening:colon]:
        return False
    return _starts_field(text, line_start, opening)


_PLAIN_LABEL_LINE = re.compile(
    r"^[ \t]*(?:>[ \t]*)*(?:(?:[-*+]|\d+[.)])[ \t]+)?"
    r"(?P<label>[^\s:：，。；！？,;!?*_`\[\]()（）]{0,11}" + f"[{HAN}])(?P<colon>[:：])",
    re.MULTILINE,
)
"""A plain field label at the start of a line (after any list or quote marker): at most
12 characters, no spaces or punctuation, ending in Han, then its colon
(``- 会议/期刊: ACL``, ``实用性：4/5``)."""


def _plain_label_colons(text: str) -> dict[int, str]:
    """Source offset of each plain label's colon -> the colon. A half-width one must
    be followed by a space or the line's end (``- 作者: 张三``): without one it runs on
    into a sentence (``这张表说明了一件事:两个…``)."""
    found = {}
    for match in _PLAIN_LABEL_LINE.finditer(text):
        colon = match.group("colon")
        if colon == "：" or text[match.end() : match.end() + 1] in ("", " ", "\t", "\n", "\r"):
            found[match.start("colon")] = colon
    return found


BOLD_LABEL_LIMIT = 12
"""The most characters a bold field label has; a longer bold lead-in that ends in a
colon is a sentence (``**这条与我这两周追的两件事都接上了:**``)."""
_BOLD_LABEL_CANDIDATE = re.compile(
    r"\*\*[^*\n]{1,60}?[:：]\*\*|\*\*[^*\n]{1,60}?\*\*[:：]|__[^_\n]{1,60}?[:：]__|__[^_\n]{1,60}?__[:：]"
)


def _bold_label_colons(text: str) -> dict[int, str]:
    """Source offset of each bold field label's colon (:func:`_bold_label_colon`) ->
    the colon."""
    found = {}
    for match in _BOLD_LABEL_CANDIDATE.finditer(text):
        written = match.group()
        colon = match.start() + (len(written) - 3 if written[-1] in "*_" else len(written) - 1)
        if _bold_label_colon(text, colon):
            found[colon] = text[colon]
    return found


def _half_width_labels_kept(colons: dict[int, str]) -> bool:
    """Whether a label's half-width colon is the format's field syntax: unless the
    report writes such labels (plain ones, or bold ones: each kind on its own) with
    ``：`` by a decisive majority (``实用性：4/5`` fifteen times, ``实用性: 4/5`` three),
    the ``:`` of ``- 会议/期刊: ACL`` is how it writes every label, not a slip in prose."""
    counts = Counter(colons.values())
    decided = majority_for({"：": counts["："], ":": counts[":"]}, MajorityOptions())
    return decided is None or decided.style != "："


def _starts_field(text: str, line_start: int, opening: int) -> bool:
    """Whether a bold label opening at ``opening`` starts a field: at the start of its
    line (after any list or quote marker, and any emoji marker: ``- 📒 **已有笔记**: …``)
    or after a ``|`` between fields."""
    before = text[line_start:opening]
    before = before[_LINE_PREFIX.match(before).end() :].rstrip()
    if all(char.isspace() or _spaced_symbol(char) for char in before):
        return True
    return before.endswith(("|", "丨", "｜"))


def _bold_label_colon(text: str, colon: int) -> bool:
    """Whether the ``:`` at ``colon`` ends a bold field label of at most
    :data:`BOLD_LABEL_LIMIT` characters, inside the bold (``**核心贡献:**``) or right
    after it (``- **核心贡献**: 提出…``), the label at the
    start of its line (after any list or quote marker, and any emoji marker:
    ``- 📒 **已有笔记**: …``) or after a ``|`` between fields: the format's field syntax,
    as the profile's own fields are."""
    inside = text[colon + 1 : colon + 3]
    after = text[colon - 2 : colon] if colon >= 2 else ""
    if inside in ("**", "__"):
        delimiter, label_end = inside, colon
    elif after in ("**", "__"):
        delimiter, label_end = after, colon - 2
    else:
        return False
    line_start = text.rfind("\n", 0, colon) + 1
    opening = text.rfind(delimiter, line_start, label_end)
    if opening < 0:
        return False
    if label_end - opening - len(delimiter) > BOLD_LABEL_LIMIT:
        return False  # `**这条与我这两周追的两件事都接上了:**`: a bold sentence, not a label
    return _starts_field(text, line_start, opening)


def _punctuation_space_message(text: str, start: int, end: int) -> str:
    """Name the mark the space at ``text[start:end]`` is next to."""
    if end < len(text) and text[end] in _FULL_WIDTH_PUNCTUATION:
        return f"space before full-width `{text[end]}`; full-width marks carry their own spacing"
    return f"space after full-width `{text[start - 1]}`; full-width marks carry their own spacing"
