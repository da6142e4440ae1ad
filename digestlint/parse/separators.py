"""Separator lines between paper blocks, wherever CommonMark put them: a paragraph of
their own, a thematic break, a setext underline, or the last line of a paragraph."""

from __future__ import annotations

from markdown_it.token import Token

from digestlint.model import Heading, Separator
from digestlint.parse.tokens import Layer


class SeparatorReader(Layer):
    def read(self, heading_at: dict[int, Heading]) -> list[Separator]:
        """The separators of the profile's character, in document order."""
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
