"""Labelled fields: a label and the content under it, in any report.

A *field* is a line that labels what follows it: a heading (``### 实验结果``) or a
bold label, alone or with a colon, at the start of a line or a list item
(``**Result:**``, ``- **代码**：…``, ``1. **应用领域**：``). Its *content* runs from
the end of the label to the next line that ends it: for a heading, the next heading
of the same or a higher level; for a bold label, the next heading or the next bold
label at the same indentation and of the same kind (list item or not), which is a
sibling field (a bulleted label under a plain one is part of its content). A
separator line or the start of the next paper ends every field.

The filler rules (:mod:`digestlint.rules.filler`) read fields through
:attr:`digestlint.lintpass.LintPass.fields`: a field that is empty, or that holds
only a placeholder. Fenced code, HTML blocks and front matter are never fields.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from digestlint.lintpass import LintPass

_HEADING = re.compile(r"(?P<indent> {0,3})(?P<hashes>#{1,6})[ \t]+(?P<label>.+?)[ \t#]*")
_BOLD_FIELD = re.compile(
    r"(?P<indent>[ \t]*)(?P<marker>(?:[-*+]|\d+[.)])[ \t]+)?"
    r"(?P<open>\*\*|__)(?P<label>[^*_\n]{1,40}?)(?P<inner_colon>[ \t]*[:：])?(?P=open)"
    r"(?P<outer_colon>[ \t]*[:：])?[ \t]*(?P<rest>.*)"
)
_THEMATIC_BREAK = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*")
_LEADING_NUMBER = re.compile(r"^(?:\d+[.、)]|[一二三四五六七八九十]+[、.])\s*")


@dataclass(frozen=True)
class Field:
    """One labelled field and the span of its content."""

    label: str
    """The label as it reads: no markup, numbering or colon."""
    line: int
    start: int
    """Where the label's markup starts (``#``, the list marker, ``**``)."""
    end: int
    """Just past the label and its colon."""
    content_start: int
    content_end: int
    """The content, trimmed of whitespace; empty (``content_start == content_end``)
    when nothing but whitespace follows the label before the field ends."""
    heading_level: int | None
    block: int | None
    """The index of the paper block the field is in (:func:`paper_blocks`); ``None``
    in the report's header."""

    @property
    def key(self) -> str:
        return " ".join(self.label.split()).casefold()

    @property
    def empty(self) -> bool:
        return self.content_start == self.content_end


@dataclass(frozen=True)
class _Line:
    number: int
    start: int
    indent: int
    list_item: bool
    heading_level: int | None
    label: str
    label_start: int
    label_end: int


def paper_blocks(lint_pass: LintPass) -> list[tuple[int, int]]:
    """The report's papers as ``(first line, last line)``: those the profile finds, or
    else the blocks under the headings of the level most headings have (below the
    title; the higher level on a tie), when there are two or more: papers are what a
    report has most of, whether it puts them under H2 or under H3 in topic groups."""
    document = lint_pass.document
    last_line = lint_pass.source.line_count
    if document.papers:
        return [(paper.line, paper.end_line) for paper in document.papers]
    headings = [h for h in document.headings if h.level >= 2 and not h.in_container]
    counts = Counter(h.level for h in headings)
    if not counts:
        return []
    level = max(counts, key=lambda found: (counts[found], -found))
    starts = [h.line for h in headings if h.level == level]
    if len(starts) < 2:
        return []
    ends = [start - 1 for start in starts[1:]] + [last_line]
    return list(zip(starts, ends, strict=True))


def find_fields(lint_pass: LintPass) -> list[Field]:
    """Every labelled field of the report, in order (see the module docstring)."""
    source = lint_pass.source
    text = source.text
    skipped = _skipped_lines(lint_pass)
    blocks = paper_blocks(lint_pass)
    block_starts = {first for first, _ in blocks}
    lines: list[_Line] = []
    ends: set[int] = set(block_starts)
    for number in range(1, source.line_count + 1):
        if number in skipped:
            continue
        line_text = source.line_text(number)
        if lint_pass.profile.is_separator(line_text) or _THEMATIC_BREAK.fullmatch(line_text):
            ends.add(number)
            continue
        found = _field_line(number, source.line_start(number), line_text)
        if found is not None:
            lines.append(found)
    fields = []
    sorted_ends = sorted(ends)
    block_of = _block_index(blocks)
    for index, line in enumerate(lines):
        stop = _field_end(line, lines, index + 1, sorted_ends, source.line_count)
        end = source.line_end(stop) if stop >= line.number else line.label_end
        content = text[line.label_end : max(end, line.label_end)]
        stripped = content.strip()
        at = line.label_end + (content.index(stripped) if stripped else 0)
        fields.append(
            Field(
                label=line.label,
                line=line.number,
                start=line.label_start,
                end=line.label_end,
                content_start=at,
                content_end=at + len(stripped),
                heading_level=line.heading_level,
                block=block_of.get(line.number),
            )
        )
    return fields


def _field_line(number: int, offset: int, line_text: str) -> _Line | None:
    heading = _HEADING.fullmatch(line_text)
    if heading is not None:
        label = _LEADING_NUMBER.sub("", heading.group("label").strip("*_ ")).rstrip(":： ")
        if not label:
            return None
        return _Line(
            number,
            offset,
            0,
            False,
            len(heading.group("hashes")),
            label,
            offset + len(heading.group("indent")),
            offset + len(line_text),
        )
    bold = _BOLD_FIELD.fullmatch(line_text)
    if bold is None:
        return None
    colon = bold.group("inner_colon") or bold.group("outer_colon")
    if not colon and bold.group("rest").strip():
        return None  # bold words opening a sentence, not a label
    label = _LEADING_NUMBER.sub("", bold.group("label").strip())
    if not label or not any(character.isalpha() for character in label):
        return None
    if bold.group("outer_colon"):
        label_end = bold.end("outer_colon")
    else:
        label_end = bold.end("inner_colon" if bold.group("inner_colon") else "label")
        label_end += len(bold.group("open"))
    return _Line(
        number,
        offset,
        len(bold.group("indent").expandtabs(4)),
        bold.group("marker") is not None,
        None,
        label,
        offset + len(bold.group("indent")),
        offset + label_end,
    )


def _field_end(line: _Line, lines: list[_Line], following: int, ends: list[int], last: int) -> int:
    """The last line of ``line``'s content, ``lines[following:]`` the field lines after
    it; ``ends`` (sorted): the lines that end every field (separators, the start of a
    paper)."""
    at = bisect_right(ends, line.number)
    bound = ends[at] if at < len(ends) else None
    stop = last
    # Indexes, not a slice of the lines that follow: a copy per field, and a search past
    # the next end of every field, cost time in the square of the report's size.
    for index in range(following, len(lines)):
        other = lines[index]
        if bound is not None and other.number >= bound:
            break  # the field ends before it (below) whether or not ``other`` ends it
        if line.heading_level is not None:
            ends_here = (
                other.heading_level is not None and other.heading_level <= line.heading_level
            )
        else:
            ends_here = other.heading_level is not None or (
                other.indent == line.indent and other.list_item == line.list_item
            )
        if ends_here:
            stop = other.number - 1
            break
    if bound is not None:
        stop = min(stop, bound - 1)
    return stop


def _block_index(blocks: list[tuple[int, int]]) -> dict[int, int]:
    """1-based line -> index of the first of ``blocks`` (``(first, last)`` lines) that
    holds it."""
    found: dict[int, int] = {}
    for index, (first, last) in enumerate(blocks):
        for line in range(first, last + 1):
            found.setdefault(line, index)
    return found


def _skipped_lines(lint_pass: LintPass) -> set[int]:
    """Lines of fenced code, indented code, math and HTML blocks, and front matter."""
    from digestlint.rules._majority import front_matter_end

    skipped = set(range(1, front_matter_end(lint_pass.source.text) + 1))
    for block in lint_pass.document.code_blocks:
        skipped.update(range(block.line, block.end_line + 1))
    return skipped
