"""What every layer of the parser reads: markdown-it's block tokens of one report and the
source they map to, and helpers over inline tokens."""

from __future__ import annotations

from bisect import bisect_left

from markdown_it.token import Token

from digestlint.profile import Profile
from digestlint.source import SourceText

COLONS = (":", "：")
"""The colons a label (``**Date**:``, ``**应用领域**：``) ends with."""


class TokenStream:
    """markdown-it's block tokens of ``text``, and its source positions."""

    def __init__(
        self, text: str, profile: Profile, tokens: list[Token], source: SourceText | None = None
    ) -> None:
        self.text = text
        self.source = source if source is not None and source.text == text else SourceText(text)
        self.profile = profile
        self.tokens = tokens

    def node_span(self, token: Token) -> dict[str, int]:
        """The model's ``start``, ``end``, ``line`` and ``end_line`` of a block token."""
        assert token.map is not None
        first, last = token.map
        _, end = self.source.block_span(token.map)
        start = self.source.content_start(first + 1)
        return {"start": start, "end": end, "line": first + 1, "end_line": max(last, first + 1)}


class Layer:
    """One layer of the document model, built from the token stream."""

    def __init__(self, stream: TokenStream) -> None:
        self.stream = stream
        self.text = stream.text
        self.source = stream.source
        self.profile = stream.profile
        self.tokens = stream.tokens

    def node_span(self, token: Token) -> dict[str, int]:
        return self.stream.node_span(token)


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


class TokenIndex:
    """Block tokens looked up by the line they start on, indexed once per lint pass:
    a rule that looked for its section's token by scanning every token cost time in
    proportion to the report's size for each section (quadratic in the report)."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self._first_at: dict[tuple[str, int], int] = {}
        opening: list[tuple[int, int]] = []  # (1-based first line, index) of non-closing tokens
        for index, token in enumerate(tokens):
            if not token.map:
                continue
            self._first_at.setdefault((token.type, token.map[0] + 1), index)
            if token.nesting != -1:
                opening.append((token.map[0] + 1, index))
        opening.sort()
        self._lines = [line for line, _ in opening]
        # The lowest token index among the entries from here to the end: the first token
        # in document order that starts on or after a line.
        self._first_from: list[int] = [index for _, index in opening]
        for at in range(len(opening) - 2, -1, -1):
            self._first_from[at] = min(self._first_from[at], self._first_from[at + 1])

    def first_at(self, kind: str, line: int) -> int | None:
        """Index of the first ``kind`` token (``list_item_open``, ``inline``) that starts
        on 1-based ``line``."""
        return self._first_at.get((kind, line))

    def first_block_from(self, line: int) -> Token | None:
        """The first token, in document order, that is not a closing token and starts on
        1-based ``line`` or later."""
        at = bisect_left(self._lines, line)
        return self.tokens[self._first_from[at]] if at < len(self._lines) else None
