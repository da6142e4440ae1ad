"""Build the document model from markdown-it-py's tokens. The only place Markdown is parsed.

One module per layer of the model, each built from the token stream
(:class:`~digestlint.parse.tokens.TokenStream`) in this order:

- :mod:`~digestlint.parse.markdown`: markdown-it-py as digestlint configures it;
- :mod:`~digestlint.parse.blocks`: headings, inline blocks, code blocks and comments;
- :mod:`~digestlint.parse.inline`: where inline children (links, code, math, HTML) sit
  in the source;
- :mod:`~digestlint.parse.separators`: the separator lines between paper blocks;
- :mod:`~digestlint.parse.papers`: paper blocks, their fields and sections
  (:mod:`~digestlint.parse.sections`);
- :mod:`~digestlint.parse.header`: the title and header fields, and field entries;
- :mod:`~digestlint.parse.indent`: list indentation in columns.
"""

from __future__ import annotations

from digestlint.model import Document
from digestlint.parse.blocks import BlockReader
from digestlint.parse.header import HeaderReader
from digestlint.parse.indent import dedent_list_body, expand_indent, indent_width, remove_columns
from digestlint.parse.markdown import markdown_parser
from digestlint.parse.papers import PaperReader
from digestlint.parse.sections import split_numbered_name
from digestlint.parse.separators import SeparatorReader
from digestlint.parse.tokens import TokenStream, meaningful_children, plain_text
from digestlint.profile import Profile
from digestlint.source import SourceText

__all__ = [
    "dedent_list_body",
    "expand_indent",
    "indent_width",
    "markdown_parser",
    "meaningful_children",
    "parse",
    "plain_text",
    "remove_columns",
    "split_numbered_name",
]


def parse(text: str, profile: Profile, source: SourceText | None = None) -> Document:
    """The document model of ``text``; ``source``: its line index, if the caller has one
    (a lint pass indexes its text once, for the parser and the rules)."""
    # A byte order mark is no text, but markdown-it reads `\ufeff# Title` as a paragraph.
    # A space in its place reads as the document means and keeps every offset.
    tokens = markdown_parser().parse(" " + text[1:] if text.startswith("\ufeff") else text)
    stream = TokenStream(text, profile, tokens, source)
    blocks = BlockReader(stream).read()
    separators = SeparatorReader(stream).read(blocks.heading_at)
    papers, header_end = PaperReader(stream).read(blocks.heading_at, separators)
    header = HeaderReader(stream).header(header_end, blocks.heading_at)
    return Document(
        text=text,
        header=header,
        papers=papers,
        separators=separators,
        headings=blocks.headings,
        links=blocks.links,
        inlines=blocks.inlines,
        code_blocks=blocks.code_blocks,
        html_comments=blocks.comments,
        tokens=tokens,
    )
