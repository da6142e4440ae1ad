"""The prose of a report as the metrics and typography rules see it.

A :class:`ProseView` is the text of one inline block (paragraph, heading, table cell)
as a reader reads it: the literal characters of markdown-it's ``text`` tokens, each
with its offset in the source. What is not prose never enters the view: code spans,
math, URLs, link destinations, inline HTML, images, entities and backslash-escaped
characters become a barrier character, line breaks become ``"\\n"``. Emphasis and
link brackets between two pieces of text are a *gap*: the text on both sides reads as
adjacent, and the gap remembers where the markup is so that a fix can put a space
outside it rather than inside.

Rules search the view with regexes over prose (never over Markdown structure) and
turn view positions back into source edits with the helpers here, which also check
that an edit next to a ``*``/``_``/``~`` run keeps CommonMark's flanking rules
satisfied (else the fix is downgraded to unsafe).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from digestlint.findings import Applicability, Edit
from digestlint.han import HAN_CHAR
from digestlint.model import Document, InlineBlock, InlineChild, Link
from digestlint.parse.markdown import DelimiterRun, delimiter_run
from digestlint.registry import RuleContext
from digestlint.source import ByStart

BARRIER = "\x00"
"""Stands in the view for anything that is not prose: code, math, URLs, HTML, images."""

_ASCII_WORD = re.compile(r"[A-Za-z]+")
_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_GAP_MARKUP = re.compile(r"[*_~\[\]()<>]+")
_OPENING = {"strong_open", "em_open", "s_open", "link_open"}
_CLOSING = {"strong_close", "em_close", "s_close", "link_close"}
_DELIMITERS = "*_~"


@dataclass(frozen=True)
class Gap:
    """Markup between two pieces of prose: ``text[start:end]`` in the source."""

    start: int
    end: int
    kind: str
    """``open`` (only opening markup: ``**``, ``[``), ``close`` or ``mixed``."""


@dataclass
class ProseView:
    block: InlineBlock
    chars: list[str] = field(default_factory=list)
    offsets: list[int] = field(default_factory=list)
    """Source offset of each view character; ``-1`` for barriers and line breaks."""
    gaps: dict[int, Gap] = field(default_factory=dict)
    """View index -> the markup gap just before that character."""
    text: str = ""

    def roles(self) -> dict[int, str]:
        """Source offset -> ``open``/``close`` for the markup characters of each gap
        that only opens or only closes: the part its delimiters play; ``literal`` for a
        ``*``, ``_`` or ``~`` of the text itself (no emphasis: markdown-it left it)."""
        found: dict[int, str] = {}
        for gap in self.gaps.values():
            if gap.kind != "mixed":
                found.update(dict.fromkeys(range(gap.start, gap.end), gap.kind))
        for char, offset in zip(self.chars, self.offsets, strict=True):
            if char in _DELIMITERS and offset >= 0:
                found[offset] = "literal"  # in the text: markdown-it left it as written
        return found

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Source range covering view characters ``[start, end)``."""
        return self.offsets[start], self.offsets[end - 1] + 1


def is_han(char: str) -> bool:
    return bool(char) and HAN_CHAR.match(char) is not None


@functools.lru_cache(maxsize=4096)
def mostly_chinese(text: str) -> bool:
    """Whether ``text`` has at least as many Han characters as English words: Chinese
    prose (with English terms), not English prose quoting Chinese. Words, not letters:
    a Chinese sentence naming ``verification/arbiter`` or ``Co-Evolution`` has more
    letters in those terms than Han characters around them."""
    return len(HAN_CHAR.findall(text)) >= len(_ASCII_WORD.findall(text))


def cached_views(context: RuleContext) -> list[ProseView]:
    """The document's prose views, built once per lint pass and shared by the rules."""
    return context.lint_pass.prose_views


def prose_views(document: Document) -> list[ProseView]:
    """One view per inline block, in document order."""
    by_start = sorted(document.links, key=lambda link: link.start)
    links = ByStart(by_start, lambda link: link.start)
    return [_ViewBuilder(document.text, block, links).build() for block in document.inlines]


class _ViewBuilder:
    """Reads an inline block's children, whose source positions the parser found
    (:class:`digestlint.model.InlineChild`), as prose."""

    def __init__(self, text: str, block: InlineBlock, links: ByStart[Link]) -> None:
        self.text = text
        self.block = block
        self.link_urls = [
            (link.url_start, link.url_end) for link in links.between(block.start, block.end)
        ]
        self.view = ProseView(block)
        self.last_end: int | None = None
        """Source offset just past the last prose character, if no barrier followed it."""
        self.pending: list[str] = []

    def build(self) -> ProseView:
        in_url_link = False
        for child in self.block.children:
            kind = child.type
            if in_url_link:
                in_url_link = kind != "link_close"
            elif kind == "text":
                self.add_text(child)
            elif kind in ("softbreak", "hardbreak"):
                self.barrier("\n")
            elif kind == "link_open" and child.markup in ("linkify", "autolink"):
                # A bare URL is not prose, nor is its text.
                in_url_link = True
                self.barrier()
            elif kind in _OPENING:
                self.pending.append("open")
            elif kind in _CLOSING:
                self.pending.append("close")
            else:
                # Code, math, inline HTML, images, entities: not prose.
                self.barrier()
        self.view.text = "".join(self.view.chars)
        return self.view

    def barrier(self, char: str = BARRIER) -> None:
        if self.view.chars and self.view.chars[-1] in (BARRIER, "\n"):
            if char == "\n":
                self.view.chars[-1] = "\n"
        else:
            self.view.chars.append(char)
            self.view.offsets.append(-1)
        self.last_end = None
        self.pending = []

    def add_text(self, child: InlineChild) -> None:
        if not child.content:
            return
        if child.start is None:
            self.barrier()
            return
        self.note_gap(child.start)
        offsets = child.offsets
        if len(offsets) == len(child.content) and min(offsets) >= 0:
            # Every character found in the source (nearly always): taken at once.
            self.view.chars.extend(child.content)
            self.view.offsets.extend(offsets)
            self.last_end = offsets[-1] + 1
            return
        for char, offset in zip(child.content, offsets, strict=True):
            if offset < 0:
                # Escaped, an entity, or not found: not a character to edit around.
                self.barrier()
            else:
                self.view.chars.append(char)
                self.view.offsets.append(offset)
                self.last_end = offset + 1

    def note_gap(self, start: int) -> None:
        """Record the markup between the previous prose character and ``start``."""
        pending, self.pending = self.pending, []
        if self.last_end is None:
            if self.view.chars and self.view.chars[-1] not in (BARRIER, "\n"):
                self.barrier()
            return
        if start == self.last_end:
            return
        gap = self.text[self.last_end : start]
        for url_start, url_end in self.link_urls:
            if self.last_end <= url_start and url_end <= start:
                gap = gap.replace(self.text[url_start:url_end], "", 1)
        if not pending or not _GAP_MARKUP.fullmatch(gap):
            self.barrier()
            return
        kind = pending[0] if all(p == pending[0] for p in pending) else "mixed"
        self.view.gaps[len(self.view.chars)] = Gap(self.last_end, start, kind)


# -- edits ---------------------------------------------------------------------------


def insertion_point(view: ProseView, index: int) -> int | None:
    """Source offset at which to insert between view characters ``index - 1`` and
    ``index``: outside any emphasis or link markup between them; ``None`` if the markup
    both closes and opens there."""
    gap = view.gaps.get(index)
    if gap is None:
        return view.offsets[index]
    if gap.kind == "open":
        return gap.start
    if gap.kind == "close":
        return gap.end
    return None


def touches_barrier(view: ProseView, start: int, end: int) -> bool:
    """Whether the words on either side of view characters ``[start, end)`` run into
    code, math or a URL. Removing a space there can glue text onto a bare URL
    (linkify would take it in) or onto code."""
    text = view.text
    left = start - 1
    while left >= 0 and not text[left].isspace() and text[left] != BARRIER:
        left -= 1
    right = end
    while right < len(text) and not text[right].isspace() and text[right] != BARRIER:
        right += 1
    return (left >= 0 and text[left] == BARRIER) or (right < len(text) and text[right] == BARRIER)


def deletion_edits(view: ProseView, start: int, end: int) -> list[Edit]:
    """Edits deleting view characters ``[start, end)`` (which may straddle markup)."""
    edits: list[Edit] = []
    run_start = view.offsets[start]
    previous = run_start
    for index in range(start + 1, end):
        offset = view.offsets[index]
        if offset != previous + 1:
            edits.append(Edit(start=run_start, end=previous + 1, content=""))
            run_start = offset
        previous = offset
    edits.append(Edit(start=run_start, end=previous + 1, content=""))
    return edits


def applicability(
    text: str, edits: Iterable[Edit], view: ProseView | None = None
) -> Applicability:
    """Safe unless an edit changes what a neighbouring ``*``/``_``/``~`` run or ``$``
    can do."""
    roles = view.roles() if view is not None else {}
    for edit in edits:
        if (
            not keeps_delimiters(text, edit, roles)
            or not keeps_escapes(text, edit)
            or not keeps_dollars(text, edit)
        ):
            return Applicability.UNSAFE
    return Applicability.SAFE


def keeps_dollars(text: str, edit: Edit) -> bool:
    """Whether a ``$`` beside ``edit`` keeps whitespace (or its absence) on that side.

    Pandoc's rule pairs ``$`` by the spaces next to it: ``$， $`` is text, and removing
    the space makes ``$，$`` math."""
    old, new, rest = text[edit.start : edit.end], edit.content, text[edit.end :]
    if rest[:1] == "$":
        old_side, new_side = (text[: edit.end])[-1:], (text[: edit.start] + new)[-1:]
        if old_side.isspace() != new_side.isspace():
            return False
    if edit.start and text[edit.start - 1] == "$":
        old_side, new_side = (old + rest)[:1], (new + rest)[:1]
        if old_side.isspace() != new_side.isspace():
            return False
    return True


def keeps_escapes(text: str, edit: Edit) -> bool:
    """Whether a backslash just before ``edit`` escapes the same way afterwards: it
    escapes ASCII punctuation only, so ``\\％`` -> ``\\%`` would lose the backslash."""
    if edit.start == 0 or text[edit.start - 1] != "\\":
        return True
    old_next = text[edit.start : edit.start + 1]
    new_next = (edit.content + text[edit.end : edit.end + 1])[:1]
    return (old_next in _ASCII_PUNCT) == (new_next in _ASCII_PUNCT)


def keeps_delimiters(text: str, edit: Edit, roles: dict[int, str] | None = None) -> bool:
    """Whether the delimiter runs touching ``edit`` can open and close as before.

    CommonMark decides whether ``**`` opens or closes emphasis from the characters on
    either side of it (left/right-flanking). Removing a space next to a closing ``**``
    that follows punctuation, for example, turns the emphasis into literal asterisks."""
    window_start = max(0, edit.start - 64)
    window_end = min(len(text), edit.end + 64)
    before = text[window_start:window_end]
    after = before[: edit.start - window_start] + edit.content + before[edit.end - window_start :]
    left_at = edit.start - window_start
    right_before = edit.end - window_start
    right_after = left_at + len(edit.content)
    roles = roles or {}
    checks = []
    if left_at > 0 and before[left_at - 1] in _DELIMITERS:
        checks.append((left_at - 1, left_at - 1, roles.get(edit.start - 1)))
    if right_before < len(before) and before[right_before] in _DELIMITERS:
        checks.append((right_before, right_after, roles.get(edit.end)))
    return all(
        _same_role(delimiter_run(before, old), delimiter_run(after, new), role)
        for old, new, role in checks
    )


def _same_role(old: DelimiterRun, new: DelimiterRun, role: str | None) -> bool:
    """Whether a delimiter run can still play the part it played (``role``, when the
    tokens tell it: ``open`` or ``close``).

    An opener must stay able to open and must not become able to close (it would be
    tried as a closer first). A ``**`` closer must stay able to close and may become
    able to open too: CommonMark tries it as a closer first, and the opener it closed
    is still there (length 2 only: the rule of three can refuse other lengths that can
    do both). A literal run (``literal``) may lose a way to open or close, never gain
    one. Without a known role, nothing may change."""
    if old.char == "~" and old.length < 2 and new.length < 2:
        return True  # strikethrough takes two tildes: one is just a mark
    if (new.char, new.length) != (old.char, old.length):
        return False
    if old.char == "*" and (
        role == "close" or (role is None and old.right_flanking and not old.left_flanking)
    ):
        return new.right_flanking and (new.left_flanking <= old.left_flanking or old.length == 2)
    if old.char == "*" and role == "open":
        return new.left_flanking and new.right_flanking <= old.right_flanking
    if role == "literal":
        # Left as written: it must not gain a way to open or close (`、** ，**` would
        # turn the asterisks around `，` into bold).
        return new.left_flanking <= old.left_flanking and new.right_flanking <= old.right_flanking
    return new == old
