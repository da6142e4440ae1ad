"""The block walk: headings, the inline blocks (paragraphs, headings, table cells), code,
math and HTML blocks, and HTML comments, in document order."""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it.token import Token

from digestlint.model import CodeBlock, Heading, InlineBlock, Link, Node
from digestlint.parse.inline import InlineMapper
from digestlint.parse.tokens import Layer, plain_text


@dataclass
class Blocks:
    headings: list[Heading] = field(default_factory=list)
    heading_at: dict[int, Heading] = field(default_factory=dict)
    """Token index of each ``heading_open`` -> its heading."""
    inlines: list[InlineBlock] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    code_blocks: list[CodeBlock] = field(default_factory=list)
    comments: list[Node] = field(default_factory=list)


class BlockReader(Layer):
    def read(self) -> Blocks:
        found = Blocks()
        inline = InlineMapper(self.stream)
        for index, token in enumerate(self.tokens):
            if token.type == "heading_open":
                heading = self.heading(token, self.tokens[index + 1])
                found.headings.append(heading)
                found.heading_at[index] = heading
            elif token.type == "inline" and token.map is not None:
                block, block_links, block_comments = inline.inline_block(index, token)
                found.inlines.append(block)
                found.links.extend(block_links)
                found.comments.extend(block_comments)
            elif token.type in ("fence", "code_block", "math_block", "html_block", "front_matter"):
                if token.map is None:
                    continue
                found.code_blocks.append(CodeBlock(kind=token.type, **self.node_span(token)))
                if token.type == "html_block" and token.content.lstrip().startswith("<!--"):
                    found.comments.append(Node(**self.node_span(token)))
        return found

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
