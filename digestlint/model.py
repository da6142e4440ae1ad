"""The parsed report: one pydantic document model with source positions, shared by every rule.

Every node carries ``start``/``end`` character offsets into the source (end exclusive)
and 1-based ``line``/``end_line`` (inclusive).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Node(BaseModel):
    # The validators of the document model are built when a report is first parsed,
    # not at import: a run whose every file the content cache holds parses none.
    model_config = ConfigDict(frozen=True, defer_build=True)

    start: int
    end: int
    line: int
    end_line: int


class Heading(Node):
    level: int
    text: str
    """The heading's inline Markdown, without the ``#`` markers."""
    plain: str
    """The heading's rendered text, without inline markup."""
    setext: bool = False
    text_start: int
    """Offset of ``text`` in the source."""
    in_container: bool = False
    """Inside a list or blockquote rather than at the top level of the document."""


class Link(Node):
    url: str
    """The destination as written (before percent-encoding)."""
    text: str
    kind: str
    """``inline`` (``[text](url)``), ``autolink`` (``<url>``), ``bare`` (GFM linkify) or ``reference``."""
    url_start: int
    url_end: int


# A dataclass, not a pydantic model: a report has thousands, and validating each as it is
# built would cost a fifth of the parse.
@dataclass(frozen=True, slots=True)
class InlineChild:
    """One child of an inline token (markdown-it's ``text``, ``softbreak``, ``code_inline``,
    ``strong_open``, ``link_open``...), with where its text is in the source."""

    type: str
    markup: str = ""
    """For ``link_open``: ``linkify`` (a bare URL), ``autolink`` (``<url>``), or empty."""
    content: str = ""
    start: int | None = None
    """For ``text``: the offset its text starts at in the source; ``None`` if not found."""
    offsets: tuple[int, ...] = ()
    """For ``text``: the source offset of each character of ``content`` written as itself;
    ``-1`` for one that is not (backslash-escaped, an entity) and for every character
    from the first that could not be aligned with the source."""


class InlineBlock(Node):
    """The inline content of one paragraph, heading or table cell, with the spans rules must not touch."""

    kind: str
    """``paragraph``, ``heading`` or ``table``."""
    protected: tuple[tuple[int, int], ...] = ()
    """Offsets of code spans, math, URLs, link destinations and inline HTML inside the block."""
    children: tuple[InlineChild, ...] = Field(default=(), repr=False)
    """markdown-it's inline children of the block, in order, with their source positions."""


class CodeBlock(Node):
    kind: str
    """``fence``, ``code_block``, ``math_block``, ``html_block`` or ``front_matter``."""


class FieldEntry(Node):
    """A ``**Label**: value`` entry of the header or of a paper's field list."""

    label: str
    value: str
    value_start: int
    value_end: int


class Separator(Node):
    text: str
    setext_of: int | None = None
    """Line of the text that CommonMark turned into a setext heading with this line, if any."""
    continues: int | None = None
    """First line of the paragraph this line is lazily part of (glued under a list item or
    a quote, where CommonMark cannot make a setext heading), if any."""


class Section(Node):
    name: str
    """The canonical section name (aliases resolved), or the name as written if unknown."""
    written_name: str
    known: bool
    number: int | None
    style: str
    """How the heading is written: see :data:`digestlint.profile.SECTION_STYLES`."""
    heading_start: int
    heading_end: int
    """The span of the heading markup, up to the end of its line or the end of the name and colon."""
    heading_line: int
    number_span: tuple[int, int] | None = None
    """The numeral in the source (digits, or Chinese numerals)."""
    numbering: str | None = None
    """How the number is written, its numeral as ``#``: ``#.``, ``#、``, ``（#）``; for the
    list styles, the list marker's (``#.``, ``#)``)."""
    numbering_system: str | None = None
    """``arabic`` or ``chinese``."""
    numbering_span: tuple[int, int] | None = None
    """The whole numbering in the source, with the spaces after it (``一、``, ``1. ``)."""
    body_start: int
    body_end: int
    body_line: int
    body: str
    """The section body as Markdown, list indentation removed."""
    prose: str
    """The body's text with code, math, URLs and markup dropped: what a reader reads. A
    code span with Han characters in it is kept: it quotes words, not code."""
    list_indent: int = 0
    """Columns of list indentation in front of the body (list-item styles only)."""


def _first_labelled(fields: list[FieldEntry], label: str) -> FieldEntry | None:
    return next((entry for entry in fields if entry.label == label), None)


class Paper(Node):
    heading: Heading
    title: str
    has_marker: bool
    fields: list[FieldEntry] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    headings: list[Heading] = Field(default_factory=list)
    """Every heading inside the paper block other than its own heading."""
    wrappers: list[Heading] = Field(default_factory=list)
    """Headings at the section level that only wrap the sections (``### 论文总结`` with
    nothing under it but the labels): extra structure, not sections."""

    def field(self, label: str) -> FieldEntry | None:
        """The first entry labelled ``label``."""
        return _first_labelled(self.fields, label)


class Header(Node):
    title: Heading | None = None
    fields: list[FieldEntry] = Field(default_factory=list)
    field_paragraphs: list[tuple[int, int, int]] = Field(default_factory=list)
    """``(start, end, field_count)`` of each paragraph that holds header fields."""

    def field(self, label: str) -> FieldEntry | None:
        """The first entry labelled ``label``."""
        return _first_labelled(self.fields, label)


class Document(BaseModel):
    """Everything rules need to know about one report, built once per lint pass."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True, defer_build=True)

    text: str
    header: Header
    papers: list[Paper]
    separators: list[Separator]
    headings: list[Heading]
    links: list[Link]
    inlines: list[InlineBlock]
    code_blocks: list[CodeBlock]
    html_comments: list[Node]
    tokens: list[Any] = Field(repr=False)
    """markdown-it-py's block tokens, for rules that need what the model does not hold."""
