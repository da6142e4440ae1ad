"""The header (the title and the fields under it) and ``**Label**: value`` field entries,
of the header and of a paper's field list."""

from __future__ import annotations

from collections.abc import Iterator

from markdown_it.common.normalize_url import normalizeLinkText
from markdown_it.token import Token

from digestlint.model import FieldEntry, Header, Heading
from digestlint.parse.tokens import COLONS, Layer, meaningful_children


class HeaderReader(Layer):
    def header(self, end_index: int, heading_at: dict[int, Heading]) -> Header:
        """The title and fields above the first paper (token ``end_index``)."""
        title: Heading | None = None
        fields: list[FieldEntry] = []
        paragraphs: list[tuple[int, int, int]] = []
        for index in range(end_index):
            token = self.tokens[index]
            if token.level != 0 or token.map is None:
                continue
            if token.type == "heading_open" and title is None and token.tag == "h1":
                title = heading_at[index]
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
            if not (rest.lstrip().startswith(COLONS) or row[1].content.rstrip().endswith(COLONS)):
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

    def list_fields(self, list_index: int) -> list[FieldEntry]:
        fields: list[FieldEntry] = []
        level = self.tokens[list_index].level
        for index in range(list_index + 1, len(self.tokens)):  # not a slice: no copy
            token = self.tokens[index]
            if token.type == "bullet_list_close" and token.level == level:
                break
            if token.type == "inline" and token.level == level + 3:
                fields.extend(self.fields_in(token))
        return fields
