"""Build the document model from markdown-it-py's tokens. The only place Markdown is parsed."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import normalizeLink, normalizeLinkText
from markdown_it.helpers import parseLinkDestination
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.dollarmath.index import math_inline_dollar
from mdit_py_plugins.front_matter import front_matter_plugin

from digestlint.model import (
    CodeBlock,
    Document,
    FieldEntry,
    Header,
    Heading,
    InlineBlock,
    Link,
    Node,
    Paper,
    Section,
    Separator,
)
from digestlint.numbering import Numbering, leading_numbering
from digestlint.patterns import user_regex
from digestlint.profile import Profile
from digestlint.source import SourceText

_COLONS = (":", "：")


@cache
def markdown_parser() -> MarkdownIt:
    """CommonMark plus what digest reports use: GFM tables, strikethrough, bare URLs, ``$``
    math and YAML front matter (static-site pipelines open each report with it)."""
    parser = (
        MarkdownIt("commonmark", {"linkify": True})
        .enable(["linkify", "table", "strikethrough"])
        .use(dollarmath_plugin, allow_space=False, allow_digits=True, double_inline=True)
        .use(front_matter_plugin)
    )
    parser.inline.ruler.at("math_inline", _pandoc_dollar)
    # markdown-it drops links to `javascript:`, `file:` and `data:` URLs, guarding HTML it
    # renders. digestlint renders nothing: it keeps every link so the link rules can flag them.
    parser.validateLink = lambda url: True
    return parser


_PLUGIN_DOLLAR = math_inline_dollar(allow_space=False, allow_digits=True, allow_double=True)


def _pandoc_dollar(state: StateInline, silent: bool) -> bool:
    """``$`` math by pandoc's rule: an opening ``$`` is not followed by a space, a closing
    one is neither preceded by a space nor followed by a digit. So money (``only ($ 12)
    per run``, ``$20,000 and $30,000``) is not math, and ``2-7$\\times$`` is.

    The plugin's ``allow_space=False`` gives the spaces; its ``allow_digits=False`` would
    also refuse a digit *before* an opening ``$``, which pandoc allows, so the digit
    after the closing ``$`` is checked here."""
    start = state.pos
    if not _PLUGIN_DOLLAR(state, True):
        return False
    after, state.pos = state.pos, start
    single = state.src.startswith("$", start) and not state.src.startswith("$$", start)
    if single and after < state.posMax and state.src[after].isdigit():
        return False
    return _PLUGIN_DOLLAR(state, silent)


def parse(text: str, profile: Profile) -> Document:
    # A byte order mark is no text, but markdown-it reads `\ufeff# Title` as a paragraph.
    # A space in its place reads as the document means and keeps every offset.
    tokens = markdown_parser().parse(" " + text[1:] if text.startswith("\ufeff") else text)
    return _Builder(text, profile, tokens).build()


def split_numbered_name(text: str) -> tuple[Numbering | None, str]:
    """``"1. 应用领域："`` -> (numbering ``1.``, ``"应用领域"``); ``"一、研究动机"`` ->
    (numbering ``一、``, ``"研究动机"``)."""
    numbering = leading_numbering(text)
    name = (text[numbering.end :] if numbering else text).strip()
    if name.endswith(_COLONS):
        name = name[:-1].rstrip()
    return numbering, name


def meaningful_children(inline: Token) -> list[Token]:
    """Inline children without the empty text tokens markdown-it leaves around markup."""
    return [c for c in inline.children or [] if not (c.type == "text" and not c.content)]


def plain_text(inline: Token) -> str:
    """The rendered text of an inline token, without markup."""
    parts: list[str] = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline", "math_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


def dedent_list_body(lines: list[str], list_indent: int, first_partial: bool) -> list[str]:
    """Remove a list item's indentation from its body lines the way the list item itself
    does, so the body's own nesting renders the same outside the list.

    ``first_partial``: the first line is the rest of the item's first line (no indent).
    Lines indented less than the item's content (lazy continuations) lose all of it.
    Indentation is counted in columns (a tab goes to the next multiple of 4, as in
    CommonMark), so tab-indented nesting survives too."""
    if list_indent == 0:
        return lines
    candidates = lines[1:] if first_partial else lines
    indents = [indent_width(x) for x in candidates if x.strip()]
    widest = min((i for i in indents if i >= list_indent), default=list_indent)
    # A uniform shift keeps relative nesting as long as the first level stays within
    # the three spaces CommonMark allows before a block.
    shift = widest if widest - list_indent <= 3 else list_indent
    out = []
    for number, line in enumerate(lines):
        if number == 0 and first_partial:
            out.append(line.lstrip())
            continue
        out.append(remove_columns(line, shift))
    return out


def indent_width(line: str) -> int:
    """Columns of leading whitespace in ``line`` (tabs to the next multiple of 4)."""
    column = 0
    for character in line:
        if character == " ":
            column += 1
        elif character == "\t":
            column += 4 - column % 4
        else:
            break
    return column


def remove_columns(line: str, columns: int) -> str:
    """``line`` without up to ``columns`` columns of leading whitespace. Leading tabs
    are first written as spaces: a tab's width depends on the column it starts at,
    which the cut moves."""
    return expand_indent(line)[min(indent_width(line), columns) :]


def expand_indent(line: str) -> str:
    """``line`` with its leading whitespace written as spaces (same columns), so that
    indentation added in front of it keeps the same width."""
    width = indent_width(line)
    stripped = line.lstrip(" \t")
    return " " * width + stripped if stripped else line


@dataclass
class _SectionStart:
    style: str
    number: int | None
    written_name: str
    heading_start: int
    heading_end: int
    heading_line: int
    number_span: tuple[int, int] | None
    body_start: int
    list_indent: int
    inline: Token
    numbering: str | None = None
    numbering_system: str | None = None
    numbering_span: tuple[int, int] | None = None


class _Builder:
    def __init__(self, text: str, profile: Profile, tokens: list[Token]) -> None:
        self.text = text
        self.source = SourceText(text)
        self.profile = profile
        self.tokens = tokens
        self.section_names = profile.section_names()
        # Inline tokens in source order with their first lines, for range look-ups by line.
        self.inline_tokens = [t for t in tokens if t.type == "inline" and t.map is not None]
        self.inline_lines = [t.map[0] + 1 for t in self.inline_tokens if t.map is not None]

    # -- positions -------------------------------------------------------------------

    def node_span(self, token: Token) -> dict[str, int]:
        assert token.map is not None
        first, last = token.map
        _, end = self.source.block_span(token.map)
        start = self.source.content_start(first + 1)
        return {"start": start, "end": end, "line": first + 1, "end_line": max(last, first + 1)}

    # -- build -----------------------------------------------------------------------

    def build(self) -> Document:
        headings: list[Heading] = []
        inlines: list[InlineBlock] = []
        links: list[Link] = []
        code_blocks: list[CodeBlock] = []
        comments: list[Node] = []
        heading_at: dict[int, Heading] = {}
        for index, token in enumerate(self.tokens):
            if token.type == "heading_open":
                heading = self.heading(token, self.tokens[index + 1])
                headings.append(heading)
                heading_at[index] = heading
            elif token.type == "inline" and token.map is not None:
                block, block_links, block_comments = self.inline_block(index, token)
                inlines.append(block)
                links.extend(block_links)
                comments.extend(block_comments)
            elif token.type in ("fence", "code_block", "math_block", "html_block", "front_matter"):
                if token.map is None:
                    continue
                code_blocks.append(CodeBlock(kind=token.type, **self.node_span(token)))
                if token.type == "html_block" and token.content.lstrip().startswith("<!--"):
                    comments.append(Node(**self.node_span(token)))
        separators = self.separators(heading_at)
        papers, header_end = self.papers(heading_at, separators)
        header = self.header(header_end)
        return Document(
            text=self.text,
            header=header,
            papers=papers,
            separators=separators,
            headings=headings,
            links=links,
            inlines=inlines,
            code_blocks=code_blocks,
            html_comments=comments,
            tokens=self.tokens,
        )

    def heading(self, token: Token, inline: Token) -> Heading:
        span = self.node_span(token)
        setext = token.markup in ("=", "-")
        line_text = self.source.line_text(span["line"])
        if setext:
            text_start = span["start"]
        else:
            stripped = line_text.lstrip()
            after_marker = stripped[len(token.markup) :]
            text_start = (
                self.source.line_start(span["line"])
                + (len(line_text) - len(stripped))
                + len(token.markup)
                + (len(after_marker) - len(after_marker.lstrip()))
            )
        return Heading(
            level=int(token.tag[1]),
            text=inline.content,
            plain=plain_text(inline),
            setext=setext,
            text_start=text_start,
            in_container=token.level > 0,
            **span,
        )

    def inline_block(
        self, index: int, inline: Token
    ) -> tuple[InlineBlock, list[Link], list[Node]]:
        parent = self.tokens[index - 1] if index else inline
        kind = {"heading_open": "heading", "paragraph_open": "paragraph"}.get(parent.type, "table")
        span = self.node_span(inline)
        region_start, region_end = span["start"], span["end"]
        if kind == "heading" and parent.markup not in ("=", "-"):
            region_start = self.source.line_start(span["line"])
        protected: list[tuple[int, int]] = []
        links: list[Link] = []
        comments: list[Node] = []
        cursor = region_start
        children = inline.children or []
        for position, child in enumerate(children):
            located = self.locate_child(child, children, position, cursor, region_end)
            if located is None:
                continue
            start, end, link = located
            protected.append((start, end) if link is None else (link.url_start, link.url_end))
            if link is not None:
                links.append(link)
            elif child.type == "html_inline" and child.content.startswith("<!--"):
                line, _ = self.source.position(start)
                end_line, _ = self.source.position(end)
                comments.append(Node(start=start, end=end, line=line, end_line=end_line))
            cursor = end
        return (
            InlineBlock(kind=kind, protected=tuple(protected), **span),
            links,
            comments,
        )

    def locate_child(
        self, child: Token, children: list[Token], position: int, cursor: int, limit: int
    ) -> tuple[int, int, Link | None] | None:
        """Where ``child`` sits in the source. markdown-it keeps no inline columns, so the
        child's own markup is searched for, forward from the previous child's end."""
        text = self.text
        if child.type == "code_inline":
            at = _find_unescaped(text, child.markup, cursor, limit)
            if at < 0:
                return None
            close = text.find(child.markup, at + len(child.markup), limit)
            end = close + len(child.markup) if close >= 0 else at + len(child.markup)
            return at, end, None
        if child.type == "math_inline" or child.type == "math_inline_double":
            # A `$` that opened no math (money: `US$ 5`) may come first: the math starts at
            # the first `$` followed by the math's own text.
            opening = child.markup + child.content.split("\n", 1)[0]
            at = _find_unescaped(text, child.markup, cursor, limit)
            while at >= 0 and not text.startswith(opening, at):
                at = _find_unescaped(text, child.markup, at + 1, limit)
            if at < 0:
                return None
            close = text.find(child.markup, at + len(child.markup) + len(child.content), limit)
            end = close + len(child.markup) if close >= 0 else limit
            return at, end, None
        if child.type == "html_inline":
            at = _find_unescaped(text, child.content, cursor, limit)
            return None if at < 0 else (at, at + len(child.content), None)
        if child.type != "link_open":
            return None
        href = child.attrGet("href") or ""
        label_parts: list[str] = []
        for follower in children[position + 1 :]:
            if follower.type == "link_close":
                break
            label_parts.append(follower.content)
        label = "".join(label_parts)
        if child.markup == "linkify":
            at = text.find(label, cursor, limit)
            if at < 0:
                return None
            end = at + len(label)
            return at, end, self.link(at, end, label, label, "bare", at, end)
        if child.markup == "autolink":
            at = text.find("<" + label + ">", cursor, limit)
            if at < 0:
                return None
            end = at + len(label) + 2
            return at, end, self.link(at, end, label, label, "autolink", at + 1, end - 1)
        written = normalizeLinkText(href) if href else ""
        marker, url_at, url_end = self.inline_destination(href, cursor, limit)
        if marker < 0:
            start = text.find("[", cursor, limit)
            if start < 0:
                return None
            close = text.find("]", start, limit)
            end = (close + 1) if close >= 0 else start + 1
            return start, end, self.link(start, end, href, label, "reference", start, start)
        start = text.rfind("[", cursor, marker)
        start = cursor if start < 0 else start
        close = text.find(")", url_end, limit)
        end = close + 1 if close >= 0 else url_end
        return start, end, self.link(start, end, written, label, "inline", url_at, url_end)

    def inline_destination(self, href: str, cursor: int, limit: int) -> tuple[int, int, int]:
        """``(marker, start, end)``: the ``](`` of the inline link whose destination is
        ``href`` and the destination as written (without ``<>``); marker -1 if none.

        markdown-it's own destination scanner measures the destination, so percent-escapes
        keep their written length, and a destination that is not ``href`` (an image's
        inside the link text) is skipped."""
        text = self.text
        marker = text.find("](", cursor, limit)
        while marker >= 0:
            at = marker + 2
            while at < limit and text[at] in " \t\n":
                at += 1
            scanned = parseLinkDestination(text, at, limit)
            if not scanned.ok and not href:
                return marker, at, at
            if scanned.ok and normalizeLink(scanned.str) == href:
                if text.startswith("<", at):
                    return marker, at + 1, scanned.pos - 1
                return marker, at, scanned.pos
            marker = text.find("](", marker + 2, limit)
        return -1, cursor, cursor

    def link(
        self, start: int, end: int, url: str, label: str, kind: str, url_start: int, url_end: int
    ) -> Link:
        line, _ = self.source.position(start)
        end_line, _ = self.source.position(end)
        return Link(
            start=start,
            end=end,
            line=line,
            end_line=end_line,
            url=url,
            text=label,
            kind=kind,
            url_start=url_start,
            url_end=url_end,
        )

    # -- separators ------------------------------------------------------------------

    def separators(self, heading_at: dict[int, Heading]) -> list[Separator]:
        found: list[Separator] = []
        if self.profile.separator is None:
            return found
        for index, token in enumerate(self.tokens):
            if token.type == "paragraph_open" and token.map is not None:
                glued = self.glued_separator(token)
                if glued is not None:
                    found.append(glued)
            if token.level != 0 or token.map is None:
                continue
            if token.type == "paragraph_open":
                inline = self.tokens[index + 1]
                if token.map[1] - token.map[0] == 1 and self.profile.is_separator(inline.content):
                    found.append(Separator(text=inline.content, **self.node_span(token)))
            elif token.type == "hr":
                # ``---`` is a thematic break; a profile may use it as its separator.
                line_text = self.source.line_text(token.map[0] + 1)
                if self.profile.is_separator(line_text):
                    found.append(Separator(text=line_text.strip(), **self.node_span(token)))
            elif token.type == "heading_open" and token.markup in ("=", "-"):
                underline = token.map[1]
                underline_text = self.source.line_text(underline)
                if self.profile.is_separator(underline_text):
                    start = self.source.line_start(underline)
                    found.append(
                        Separator(
                            text=underline_text.strip(),
                            start=start,
                            end=self.source.line_end(underline),
                            line=underline,
                            end_line=underline,
                            setext_of=heading_at[index].line,
                        )
                    )
        return found

    def glued_separator(self, paragraph: Token) -> Separator | None:
        """A separator line that a paragraph took in as its last line: glued under a
        list item or a quote it is a lazy continuation line, plain text of the item."""
        assert paragraph.map is not None
        first, last = paragraph.map[0] + 1, paragraph.map[1]
        if last <= first:
            return None
        line_text = self.source.line_text(last)
        if not self.profile.is_separator(line_text) or self.source.indent(last) > 3:
            return None
        start = self.source.line_start(last)
        return Separator(
            text=line_text.strip(),
            start=start,
            end=self.source.line_end(last),
            line=last,
            end_line=last,
            continues=first,
        )

    # -- header ----------------------------------------------------------------------

    def header(self, end_index: int) -> Header:
        title: Heading | None = None
        fields: list[FieldEntry] = []
        paragraphs: list[tuple[int, int, int]] = []
        for index in range(end_index):
            token = self.tokens[index]
            if token.level != 0 or token.map is None:
                continue
            if token.type == "heading_open" and title is None and token.tag == "h1":
                title = self.heading(token, self.tokens[index + 1])
            elif token.type == "paragraph_open":
                entries = list(self.fields_in(self.tokens[index + 1]))
                if entries:
                    fields.extend(entries)
                    span = self.node_span(token)
                    paragraphs.append((span["start"], span["end"], len(entries)))
        end_line = max((f.end_line for f in fields), default=title.end_line if title else 1)
        return Header(
            title=title,
            fields=fields,
            field_paragraphs=paragraphs,
            start=0,
            end=self.source.line_end(end_line),
            line=1,
            end_line=end_line,
        )

    def fields_in(self, inline: Token) -> Iterator[FieldEntry]:
        """``**Label**: value`` entries of an inline token, one per line."""
        assert inline.map is not None
        children = meaningful_children(inline)
        line = inline.map[0] + 1
        position = 0
        while position < len(children):
            entry_line = line
            row: list[Token] = []
            while position < len(children) and children[position].type not in (
                "softbreak",
                "hardbreak",
            ):
                row.append(children[position])
                position += 1
            position += 1
            line += 1
            if len(row) < 3 or row[0].type != "strong_open" or row[2].type != "strong_close":
                continue
            label = row[1].content.strip().rstrip(":：").strip()
            rest = "".join(child.content for child in row[3:])
            if not (
                rest.lstrip().startswith(_COLONS) or row[1].content.rstrip().endswith(_COLONS)
            ):
                continue
            value = rest.lstrip().lstrip(":：").strip()
            link = next((c for c in row[3:] if c.type == "link_open"), None)
            if link is not None and link.markup not in ("linkify", "autolink"):
                # `**链接**: [2602.15569](https://...)`: the value is where the link goes.
                value = normalizeLinkText(link.attrGet("href") or "")
            line_start = self.source.line_start(entry_line)
            line_text = self.source.line_text(entry_line)
            start = self.source.content_start(entry_line)
            value_at = line_text.rfind(value) if value else -1
            value_start = (
                line_start + value_at if value_at >= 0 else self.source.line_end(entry_line)
            )
            yield FieldEntry(
                label=label,
                value=value,
                value_start=value_start,
                value_end=value_start + len(value) if value_at >= 0 else value_start,
                start=start,
                end=self.source.line_end(entry_line),
                line=entry_line,
                end_line=entry_line,
            )

    # -- papers ----------------------------------------------------------------------

    def paper_heading_kind(self, heading: Heading) -> bool | None:
        """``True`` for a paper heading with its marker, ``False`` for one without, ``None`` otherwise."""
        spec = self.profile.paper_heading
        if heading.in_container or not self.profile.structure or heading.setext:
            return None
        if spec.pattern is not None:
            # A pattern names paper headings exactly: another heading at the paper level
            # (``## Notes``) is not a paper, as nothing could be fixed to make it one.
            return True if user_regex(spec.pattern).search(heading.plain) else None
        if spec.marker is not None and heading.text.startswith(spec.marker):
            return True
        if heading.level == spec.level:
            return spec.marker is None
        return None

    def ends_paper(self, heading: Heading) -> bool:
        """A heading at the paper level that a pattern does not name: not a paper, but
        no longer part of the paper above it either."""
        spec = self.profile.paper_heading
        return (
            spec.pattern is not None
            and heading.level == spec.level
            and self.paper_heading_kind(heading) is None
            and not heading.in_container
            and not heading.setext
        )

    def papers(
        self, heading_at: dict[int, Heading], separators: list[Separator]
    ) -> tuple[list[Paper], int]:
        starts = [
            (index, heading, marked)
            for index, heading in sorted(heading_at.items())
            if (marked := self.paper_heading_kind(heading)) is not None
        ]
        if not starts:
            return [], len(self.tokens)
        # Where each block ends: at the next paper, or at another heading of the
        # paper level (e.g. a closing ``## Notes`` when papers are named by a pattern).
        boundaries = sorted(
            [(index, heading.line) for index, heading, _ in starts]
            + [(index, h.line) for index, h in heading_at.items() if self.ends_paper(h)]
        )
        papers: list[Paper] = []
        separator_lines = sorted(s.line for s in separators)
        for index, heading, marked in starts:
            end_index, next_line = next(
                ((i, line) for i, line in boundaries if i > index),
                (len(self.tokens), self.source.line_count + 1),
            )
            separator_line = next(
                (line for line in separator_lines if heading.line < line < next_line), None
            )
            # A line that a separator turned into a setext heading stays in the block:
            # it is the last section's text (separator-setext reports the heading).
            block_end_line = (separator_line if separator_line else next_line) - 1
            papers.append(
                self.paper(index, end_index, heading, marked, block_end_line, heading_at)
            )
        return papers, starts[0][0]

    def paper(
        self,
        index: int,
        end_index: int,
        heading: Heading,
        marked: bool,
        block_end_line: int,
        heading_at: dict[int, Heading],
    ) -> Paper:
        title = self.paper_title(heading, marked)
        fields: list[FieldEntry] = []
        starts: list[_SectionStart] = []
        inner_headings: list[Heading] = []
        for position in range(index + 3, end_index):
            token = self.tokens[position]
            if token.map is None or token.map[0] + 1 > block_end_line:
                continue
            if token.type == "heading_open":
                inner = heading_at[position]
                inner_headings.append(inner)
                if token.level == 0:
                    start = self.heading_section(position, inner)
                    if start:
                        starts.append(start)
            elif token.level != 0:
                continue
            elif token.type == "bullet_list_open" and not fields and not starts:
                fields = self.list_fields(position)
            elif token.type == "ordered_list_open":
                starts.extend(self.list_sections(position))
            elif token.type == "paragraph_open":
                start = self.paragraph_section(position, starts[-1] if starts else None)
                if start:
                    starts.append(start)
        end = self.source.line_end(block_end_line)
        sections = [
            self.section(start, starts[n + 1] if n + 1 < len(starts) else None, end)
            for n, start in enumerate(starts)
        ]
        return Paper(
            heading=heading,
            title=title.strip(),
            has_marker=marked,
            fields=fields,
            sections=sections,
            headings=inner_headings,
            start=heading.start,
            end=max(end, heading.end),
            line=heading.line,
            end_line=max(block_end_line, heading.line),
        )

    def paper_title(self, heading: Heading, marked: bool) -> str:
        """The heading's text without the marker, or the pattern's ``title`` group."""
        spec = self.profile.paper_heading
        title = heading.plain
        if spec.pattern is not None:
            match = user_regex(spec.pattern).search(title)
            if match is not None and "title" in match.groupdict() and match.group("title"):
                return match.group("title")
            return title
        if marked and spec.marker and title.startswith(spec.marker):
            return title[len(spec.marker) :]
        return title

    def list_fields(self, list_index: int) -> list[FieldEntry]:
        fields: list[FieldEntry] = []
        level = self.tokens[list_index].level
        for token in self.tokens[list_index + 1 :]:
            if token.type == "bullet_list_close" and token.level == level:
                break
            if token.type == "inline" and token.level == level + 3:
                fields.extend(self.fields_in(token))
        return fields

    def name_of(self, text: str) -> tuple[Numbering | None, str, str | None]:
        numbering, written = split_numbered_name(text)
        return numbering, written, self.section_names.get(written.casefold())

    def heading_section(self, index: int, heading: Heading) -> _SectionStart | None:
        if heading.setext:
            return None
        inline = self.tokens[index + 1]
        numbering, written, canonical = self.name_of(heading.plain)
        if canonical is None and heading.level != self.profile.section_level:
            return None
        children = meaningful_children(inline)
        bold = (
            len(children) >= 3
            and children[0].type == "strong_open"
            and children[-1].type == "strong_close"
        )
        return _SectionStart(
            style="atx-bold" if bold else "atx",
            written_name=written,
            heading_start=heading.start,
            heading_end=heading.end,
            heading_line=heading.line,
            body_start=self.body_start(heading.line, heading.end),
            list_indent=0,
            inline=inline,
            **self.numbering_fields(heading.plain, numbering, heading.text_start, heading.end),
        )

    def body_start(self, heading_line: int, heading_end: int) -> int:
        """Where a section's body starts: on the next line when the heading fills its
        line, else right after the heading (``1. **应用领域**：text``)."""
        at_line_end = heading_end >= self.source.line_end(heading_line)
        if at_line_end and heading_line < self.source.line_count:
            return self.source.line_start(heading_line + 1)
        return heading_end

    def numbering_fields(
        self, written: str, numbering: Numbering | None, start: int, limit: int
    ) -> dict:
        """The section's number and where its numbering is in the source: the numeral is
        searched from ``start`` (the markup before a name holds no digit nor Han
        character), and the numbering around it is what ``written`` has around it."""
        if numbering is None:
            return {"number": None, "number_span": None}
        numeral = written[numbering.numeral_start : numbering.numeral_end]
        at = self.text.find(numeral, start, limit)
        fields: dict = {
            "number": numbering.value,
            "number_span": (at, at + len(numeral)) if at >= 0 else None,
            "numbering": numbering.shape,
            "numbering_system": numbering.system,
        }
        first = at - (numbering.numeral_start - numbering.start)
        last = at + len(numeral) + (numbering.end - numbering.numeral_end)
        if at >= 0 and self.text[first:last] == written[numbering.start : numbering.end]:
            fields["numbering_span"] = (first, last)
        return fields

    def bold_label(self, inline: Token) -> tuple[str, bool] | None:
        """``(label, has_colon)`` when ``inline`` starts with a bold label."""
        children = meaningful_children(inline)
        if len(children) < 3 or children[0].type != "strong_open":
            return None
        if children[1].type != "text" or children[2].type != "strong_close":
            return None
        label = children[1].content
        after = children[3].content if len(children) > 3 and children[3].type == "text" else ""
        has_colon = label.rstrip().endswith(_COLONS) or after.lstrip().startswith(_COLONS)
        return label, has_colon

    def label_end(self, line: int, has_colon: bool) -> int:
        """Offset just past ``**label**`` and its colon (and spaces) on ``line``."""
        line_text = self.source.line_text(line)
        line_start = self.source.line_start(line)
        first = line_text.find("**")
        close = line_text.find("**", first + 2) + 2
        position = close
        if has_colon:
            rest = line_text[position:]
            stripped = rest.lstrip(" \t")
            if stripped.startswith(_COLONS):
                position += len(rest) - len(stripped) + 1
        rest = line_text[position:]
        position += len(rest) - len(rest.lstrip(" \t"))
        return line_start + position

    def list_sections(self, list_index: int) -> list[_SectionStart]:
        starts: list[_SectionStart] = []
        level = self.tokens[list_index].level
        for index in range(list_index + 1, len(self.tokens)):
            token = self.tokens[index]
            if token.type == "ordered_list_close" and token.level == level:
                break
            if token.type != "list_item_open" or token.level != level + 1:
                continue
            if self.tokens[index + 1].type != "paragraph_open":
                continue
            inline = self.tokens[index + 2]
            label = self.bold_label(inline)
            if label is None:
                continue
            numbering, written, canonical = self.name_of(label[0])
            if canonical is None:
                continue
            assert token.map is not None
            line = token.map[0] + 1
            line_text = self.source.line_text(line)
            indent = self.source.indent(line)
            line_start = self.source.line_start(line)
            marker_end = indent + len(token.info) + len(token.markup)
            after_marker = line_text[marker_end:]
            content_indent = marker_end + len(after_marker) - len(after_marker.lstrip())
            heading_end = self.label_end(line, label[1])
            number_at = line_start + indent
            number = int(token.info) if token.info.isdigit() else None
            if number is None and numbering is not None:
                number = numbering.value
            starts.append(
                _SectionStart(
                    style="list-bold-colon" if label[1] else "list-bold",
                    number=number,
                    written_name=written,
                    heading_start=line_start + indent,
                    heading_end=heading_end,
                    heading_line=line,
                    number_span=(number_at, number_at + len(token.info)),
                    body_start=self.body_start(line, heading_end),
                    list_indent=content_indent,
                    inline=inline,
                    # The list marker is the number: Arabic, whatever the profile says.
                    numbering="#" + token.markup,
                    numbering_system="arabic",
                    numbering_span=(number_at, line_start + content_indent),
                )
            )
        return starts

    def paragraph_section(
        self, index: int, previous: _SectionStart | None
    ) -> _SectionStart | None:
        inline = self.tokens[index + 1]
        label = self.bold_label(inline)
        if label is None:
            return None
        numbering, written, canonical = self.name_of(label[0])
        if canonical is None and not self.numbered_bold_section(inline, numbering, previous):
            return None
        assert inline.map is not None
        line = inline.map[0] + 1
        heading_start = self.source.content_start(line)
        heading_end = self.label_end(line, label[1])
        return _SectionStart(
            # ``**应用领域**：`` is the unnumbered style; without the colon it is the
            # numbered ``**1. 应用领域**`` missing its number.
            style="bold" if numbering is not None or not label[1] else "bold-colon",
            written_name=written,
            heading_start=heading_start,
            heading_end=heading_end,
            heading_line=line,
            body_start=self.body_start(line, heading_end),
            list_indent=0,
            inline=inline,
            **self.numbering_fields(label[0], numbering, heading_start, heading_end),
        )

    def numbered_bold_section(
        self, inline: Token, numbering: Numbering | None, previous: _SectionStart | None
    ) -> bool:
        """Whether a bold paragraph under a name the profile does not know is a section
        all the same (renamed: ``**一、论文总结**`` where the format says 研究动机), as a
        heading at the section level is: in a profile whose sections are numbered bold
        paragraphs, a label alone on its line, numbered in the profile's system, whose
        number continues the paper's sections (1 for the first). Bold numbered lines
        inside a section's body (``**1. 环境配置**``) restart at 1 and stay body."""
        if numbering is None or self.profile.section_style != "bold":
            return False
        if not self.profile.accepts_numbering(numbering.system):
            return False
        expected = (previous.number or 0) + 1 if previous else 1
        children = meaningful_children(inline)
        after = children[3] if len(children) > 3 else None
        alone = after is None or after.type in ("softbreak", "hardbreak")
        return alone and numbering.value == expected

    # -- sections --------------------------------------------------------------------

    def section(self, start: _SectionStart, following: _SectionStart | None, end: int) -> Section:
        body_limit = (
            self.source.line_start(following.heading_line)
            if following
            else min(end + 1, len(self.text))
        )
        body_limit = max(body_limit, start.body_start)
        raw_body = self.text[start.body_start : body_limit]
        first_partial = start.body_start != self.source.line_start(
            self.source.position(start.body_start)[0]
        )
        body = "\n".join(dedent_list_body(raw_body.split("\n"), start.list_indent, first_partial))
        stripped_end = start.body_start + len(raw_body.rstrip())
        leading = len(raw_body) - len(raw_body.lstrip())
        body_first = start.body_start + leading if body.strip() else start.body_start
        body_line, _ = self.source.position(body_first)
        end_line, _ = self.source.position(max(stripped_end, start.heading_end))
        number, canonical_name = (
            start.number,
            self.section_names.get(start.written_name.casefold()),
        )
        return Section(
            name=canonical_name or start.written_name,
            written_name=start.written_name,
            known=canonical_name is not None,
            number=number,
            style=start.style,
            heading_start=start.heading_start,
            heading_end=start.heading_end,
            heading_line=start.heading_line,
            number_span=start.number_span,
            numbering=start.numbering,
            numbering_system=start.numbering_system,
            numbering_span=start.numbering_span,
            body_start=start.body_start,
            body_end=max(stripped_end, start.body_start),
            body_line=body_line,
            body=body.strip("\r\n"),
            prose=self.prose(start, body_line, end_line),
            list_indent=start.list_indent,
            start=start.heading_start,
            end=max(stripped_end, start.heading_end),
            line=start.heading_line,
            end_line=end_line,
        )

    def prose(self, start: _SectionStart, first_line: int, last_line: int) -> str:
        """What a reader reads in the section body: text only, without code, math, URLs or markup."""
        parts = [_readable(meaningful_children(start.inline)[3:])]
        low = bisect_left(self.inline_lines, max(first_line, start.heading_line + 1))
        high = bisect_right(self.inline_lines, last_line)
        for token in self.inline_tokens[low:high]:
            if token is not start.inline:
                parts.append(_readable(token.children or []))
        return "\n".join(part for part in parts if part.strip()).strip().lstrip(":：").strip()


def _find_unescaped(text: str, needle: str, start: int, limit: int) -> int:
    """``text.find(needle, start, limit)``, skipping places where a backslash escapes the
    needle's first character: there the same characters are plain text (``\\<!--``)."""
    at = text.find(needle, start, limit)
    while at >= 0:
        backslashes = len(text[start:at]) - len(text[start:at].rstrip("\\"))
        if backslashes % 2 == 0:
            return at
        at = text.find(needle, at + 1, limit)
    return at


def _readable(children: list[Token]) -> str:
    out: list[str] = []
    in_url_link = False
    for child in children:
        if child.type == "link_open":
            in_url_link = child.markup in ("linkify", "autolink")
        elif child.type == "link_close":
            in_url_link = False
        elif child.type == "text" and not in_url_link:
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append("\n")
    return "".join(out)
