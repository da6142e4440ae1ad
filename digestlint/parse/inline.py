"""Inline source mapping: where the children of an inline token sit in the source.

markdown-it keeps no columns for inline tokens; each child's own markup is searched
for, forward from the previous child's end. What the model keeps of it: links with
their destinations, the spans rules must not touch (code, math, URLs, inline HTML),
and inline HTML comments.
"""

from __future__ import annotations

from markdown_it.common.normalize_url import normalizeLink, normalizeLinkText
from markdown_it.helpers import parseLinkDestination
from markdown_it.token import Token

from digestlint.model import InlineBlock, Link, Node
from digestlint.parse.tokens import Layer


class InlineMapper(Layer):
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
