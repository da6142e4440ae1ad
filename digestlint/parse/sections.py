"""Sections of a paper: where each starts, in any of the six heading styles (see
:data:`digestlint.profile.SECTION_STYLES`), its name and number, and its body."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from markdown_it.token import Token

from digestlint.han import HAN_CHAR
from digestlint.model import Heading, Section
from digestlint.numbering import Numbering, leading_numbering
from digestlint.parse.indent import dedent_list_body
from digestlint.parse.tokens import COLONS, Layer, TokenStream, meaningful_children


def split_numbered_name(text: str) -> tuple[Numbering | None, str]:
    """``"1. 应用领域："`` -> (numbering ``1.``, ``"应用领域"``); ``"一、研究动机"`` ->
    (numbering ``一、``, ``"研究动机"``)."""
    numbering = leading_numbering(text)
    name = (text[numbering.end :] if numbering else text).strip()
    if name.endswith(COLONS):
        name = name[:-1].rstrip()
    return numbering, name


@dataclass
class SectionStart:
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


class SectionReader(Layer):
    def __init__(self, stream: TokenStream) -> None:
        super().__init__(stream)
        self.section_names = self.profile.section_names()
        # Inline tokens in source order with their first lines, for range look-ups by line.
        self.inline_tokens = [t for t in self.tokens if t.type == "inline" and t.map is not None]
        self.inline_lines = [t.map[0] + 1 for t in self.inline_tokens if t.map is not None]

    def name_of(self, text: str) -> tuple[Numbering | None, str, str | None]:
        numbering, written = split_numbered_name(text)
        return numbering, written, self.section_names.get(written.casefold())

    def heading_section(self, index: int, heading: Heading) -> SectionStart | None:
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
        return SectionStart(
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
        has_colon = label.rstrip().endswith(COLONS) or after.lstrip().startswith(COLONS)
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
            if stripped.startswith(COLONS):
                position += len(rest) - len(stripped) + 1
        rest = line_text[position:]
        position += len(rest) - len(rest.lstrip(" \t"))
        return line_start + position

    def list_sections(self, list_index: int) -> list[SectionStart]:
        starts: list[SectionStart] = []
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
                SectionStart(
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

    def paragraph_section(self, index: int, previous: SectionStart | None) -> SectionStart | None:
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
        return SectionStart(
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
        self, inline: Token, numbering: Numbering | None, previous: SectionStart | None
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

    def section(self, start: SectionStart, following: SectionStart | None, end: int) -> Section:
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

    def prose(self, start: SectionStart, first_line: int, last_line: int) -> str:
        """What a reader reads in the section body: text only, without code, math, URLs or markup."""
        parts = [_readable(meaningful_children(start.inline)[3:])]
        low = bisect_left(self.inline_lines, max(first_line, start.heading_line + 1))
        high = bisect_right(self.inline_lines, last_line)
        for token in self.inline_tokens[low:high]:
            if token is not start.inline:
                parts.append(_readable(token.children or []))
        return "\n".join(part for part in parts if part.strip()).strip().lstrip(":：").strip()


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
        elif child.type == "code_inline" and HAN_CHAR.search(child.content):
            # Han text in a code span is a quoted word, not code: a keyword list
            # ``- Sparse Attention (`稀疏注意力`)`` glosses each term in Chinese.
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append("\n")
    return "".join(out)
