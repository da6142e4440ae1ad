"""Inline source mapping: where the children of an inline token sit in the source.

markdown-it keeps no columns for inline tokens. One walk over a block's children finds
them, each searched for forward from where the previous one ended: a text child's
characters, and the markup of code, math, inline HTML and links. The model keeps the
links with their destinations, the spans rules must not touch (code, math, URLs,
inline HTML), inline HTML comments, and every child with the source offsets of its
text (:class:`~digestlint.model.InlineChild`).
"""

from __future__ import annotations

import html
import re

from markdown_it.common.normalize_url import normalizeLink, normalizeLinkText
from markdown_it.helpers import parseLinkDestination
from markdown_it.token import Token

from digestlint.model import InlineBlock, InlineChild, Link, Node
from digestlint.parse.tokens import Layer, TokenStream
from digestlint.source import SourceText

_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_LITERAL_PREFIX = re.compile(r"[^!-/:-@\[-`{-~]+")
"""Characters that are never escaped, so appear in the source as they read."""
_PROTECTED_CHILDREN = {"code_inline", "math_inline", "math_inline_double", "html_inline"}
_URL_LINKS = ("linkify", "autolink")


class InlineMapper(Layer):
    def __init__(self, stream: TokenStream) -> None:
        super().__init__(stream)
        # The cells of a table row share the row's span: each cell starts where the
        # last one stopped.
        self.row_cursor: dict[tuple[int, int], int] = {}

    def inline_block(
        self, index: int, inline: Token
    ) -> tuple[InlineBlock, list[Link], list[Node]]:
        """The inline token at ``index`` as a block, with its links and HTML comments."""
        parent = self.tokens[index - 1] if index else inline
        kind = {"heading_open": "heading", "paragraph_open": "paragraph"}.get(parent.type, "table")
        span = self.node_span(inline)
        region = (span["start"], span["end"])
        cursor = self.row_cursor.get(region, span["start"])
        if kind == "heading" and parent.markup not in ("=", "-"):
            cursor = self.source.line_start(span["line"])
        walk = _InlineWalk(self.source, cursor, span["end"])
        children = walk.children(inline.children or [])
        if kind == "table":
            self.row_cursor[region] = walk.cursor
        block = InlineBlock(kind=kind, protected=tuple(walk.protected), children=children, **span)
        return block, walk.links, walk.comments


def _opening_bracket(text: str, cursor: int, closing: int) -> int:
    """The ``[`` that the ``]`` at ``closing`` closes, searched back to ``cursor``: the
    outer one of a link around an image or bracketed text (``[![badge](…)]()``,
    ``[a [b] c](…)``), not the last ``[`` before it. ``cursor`` when there is none."""
    depth = 0
    at = closing - 1
    while at >= cursor:
        char = text[at]
        escaped = at > 0 and text[at - 1] == "\\"
        if char == "]" and not escaped:
            depth += 1
        elif char == "[" and not escaped:
            if depth == 0:
                return at
            depth -= 1
        at -= 1
    return cursor


class _InlineWalk:
    """One walk over a block's inline children, from ``cursor`` to ``limit``."""

    def __init__(self, source: SourceText, cursor: int, limit: int) -> None:
        self.source = source
        self.text = source.text
        self.cursor = cursor
        self.limit = limit
        self.links: list[Link] = []
        self.protected: list[tuple[int, int]] = []
        self.comments: list[Node] = []

    def children(self, tokens: list[Token]) -> tuple[InlineChild, ...]:
        found: list[InlineChild] = []
        current_link: Link | None = None
        in_url_link = False
        for position, child in enumerate(tokens):
            kind = child.type
            start: int | None = None
            offsets: tuple[int, ...] = ()
            if in_url_link:
                # A bare URL's text is the URL: it was located with its link.
                in_url_link = kind != "link_close"
            elif kind == "text":
                start, offsets = self.align(child.content)
            elif kind in _PROTECTED_CHILDREN:
                located = self.locate_child(child, tokens, position, self.cursor, self.limit)
                if located is not None:
                    self.protect(child, located[0], located[1])
            elif kind == "link_open":
                located = self.locate_child(child, tokens, position, self.cursor, self.limit)
                link = located[2] if located is not None else None
                if link is not None:
                    self.links.append(link)
                    self.protected.append((link.url_start, link.url_end))
                if child.markup in _URL_LINKS:
                    if link is not None:
                        self.cursor = max(self.cursor, link.end)
                    in_url_link = True
                else:
                    # Its text comes first; the cursor passes the link at its end.
                    current_link = link
            elif kind == "link_close":
                if current_link is not None:
                    self.cursor = max(self.cursor, current_link.end)
                current_link = None
            elif kind == "image":
                self.skip_image()
            found.append(InlineChild(kind, child.markup, child.content, start, offsets))
        return tuple(found)

    def protect(self, child: Token, start: int, end: int) -> None:
        self.protected.append((start, end))
        if child.type == "html_inline" and child.content.startswith("<!--"):
            line, _ = self.source.position(start)
            end_line, _ = self.source.position(end)
            self.comments.append(Node(start=start, end=end, line=line, end_line=end_line))
        self.cursor = end

    def skip_image(self) -> None:
        # Image sources are not in the model's protected spans: step over ``](...)``.
        marker = self.text.find("](", self.cursor, self.limit)
        close = self.text.find(")", marker, self.limit) if marker >= 0 else -1
        if close >= 0:
            self.cursor = close + 1

    def align(self, content: str) -> tuple[int | None, tuple[int, ...]]:
        """Where ``content`` starts, and the offset of each of its characters (``-1``
        for one not written as itself, and for all from the first not found)."""
        if not content:
            return None, ()
        start = self.find_start(content)
        if start is None:
            return None, ()
        limit = self.limit
        text = self.text
        if "&" not in content and text.startswith(content, start, limit):
            # The common case: the text is in the source verbatim.
            self.cursor = max(self.cursor, start + len(content))
            return start, tuple(range(start, start + len(content)))
        offsets: list[int] = []
        position = start
        index = 0
        while index < len(content):
            char = content[index]
            if position < limit and text[position] == char and char != "&":
                offsets.append(position)
                position += 1
                index += 1
            elif (
                char in _ASCII_PUNCT
                and text.startswith("\\" + char, position)
                and position + 1 < limit
            ):
                # An escaped mark is the writer's explicit choice: not one to edit around.
                offsets.append(-1)
                position += 2
                index += 1
            elif (entity := _ENTITY.match(text, position, limit)) and content.startswith(
                html.unescape(entity.group()), index
            ):
                # An entity reads as its character but is not one to edit around.
                decoded = html.unescape(entity.group())
                offsets.extend([-1] * len(decoded))
                position = entity.end()
                index += len(decoded)
            elif char == "&" and position < limit and text[position] == "&":
                offsets.append(position)
                position += 1
                index += 1
            else:
                offsets.extend([-1] * (len(content) - index))
                break
        self.cursor = max(self.cursor, position)
        return start, tuple(offsets)

    def find_start(self, content: str) -> int | None:
        """Where ``content`` starts in the source, searching forward from the cursor."""
        limit = self.limit
        prefix = _LITERAL_PREFIX.match(content)
        if prefix:
            at = self.text.find(prefix.group(), self.cursor, limit)
            return None if at < 0 else at
        first = content[0]
        candidates = [
            at
            for at in (
                self.text.find(first, self.cursor, limit),
                self.text.find("\\" + first, self.cursor, limit),
            )
            if at >= 0
        ]
        return min(candidates) if candidates else None

    def locate_child(
        self, child: Token, children: list[Token], position: int, cursor: int, limit: int
    ) -> tuple[int, int, Link | None] | None:
        """Where ``child`` (code, math, inline HTML, a link) sits in the source: its own
        markup, searched for forward from ``cursor``."""
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
        start = _opening_bracket(text, cursor, marker)
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


def _find_unescaped(text: str, needle: str, start: int, limit: int) -> int:
    """``text.find(needle, start, limit)``, skipping places where a backslash escapes the
    needle's first character: there the same characters are plain text (``\\<!--``).
    The backslashes are counted back from the match, past ``start``: the search may start
    between the two of an escaped backslash (``\\\\<!--``, where the comment is one)."""
    at = text.find(needle, start, limit)
    while at >= 0:
        before = at
        while before > 0 and text[before - 1] == "\\":
            before -= 1
        if (at - before) % 2 == 0:
            return at
        at = text.find(needle, at + 1, limit)
    return at
