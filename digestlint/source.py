"""Source text positions: offsets (code points) to 1-based lines and columns, in one place."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from itertools import accumulate
from typing import Generic, TypeVar

T = TypeVar("T")


class SourceText:
    """The text being linted, with its line starts indexed once.

    markdown-it reports 0-based, end-exclusive line ranges (``token.map``); every
    conversion to the 1-based lines of findings goes through this class.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        # Summing line lengths (with their break) runs in C; a loop over the characters
        # cost milliseconds per lint pass on a 20,000-character report.
        self.line_starts = [0, *accumulate(len(line) + 1 for line in text.split("\n")[:-1])]

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def line_start(self, line: int) -> int:
        """Offset of the first character of 1-based ``line``."""
        starts = self.line_starts
        if 0 < line <= len(starts):
            return starts[line - 1]
        return starts[min(max(line, 1), len(starts)) - 1]

    def line_end(self, line: int) -> int:
        """Offset of the end of 1-based ``line``, before its line break."""
        starts = self.line_starts
        end = len(self.text) if line >= len(starts) else starts[line] - 1
        if end > 0 and self.text[end - 1] == "\r" and end - 1 >= self.line_start(line):
            end -= 1
        return end

    def line_text(self, line: int) -> str:
        return self.text[self.line_start(line) : self.line_end(line)]

    def indent(self, line: int) -> int:
        """Characters of whitespace in front of 1-based ``line``'s content."""
        text = self.line_text(line)
        return len(text) - len(text.lstrip())

    def content_start(self, line: int) -> int:
        """Offset of the first character of 1-based ``line`` that is not whitespace (its
        end if it is blank)."""
        return self.line_start(line) + self.indent(line)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of ``offset``; columns count code points."""
        offset = min(max(offset, 0), len(self.text))
        line = bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def block_span(self, token_map: list[int] | tuple[int, int]) -> tuple[int, int]:
        """Offsets covering markdown-it's 0-based ``[first, last)`` line map, without the final break."""
        first, last = token_map
        return self.line_start(first + 1), self.line_end(max(last, first + 1))


class ByStart(Generic[T]):
    """Items (links, prose views) looked up by the source offset they start at: taking
    those that start inside a block by scanning every item, once per block, cost time in
    the square of the report's size."""

    def __init__(self, items: Sequence[T], start: Callable[[T], int]) -> None:
        order = sorted(range(len(items)), key=lambda index: start(items[index]))
        self._items = items
        self._order = order
        self._starts = [start(items[index]) for index in order]

    def between(self, low: int, high: int) -> list[T]:
        """The items that start at an offset in ``[low, high)``, in their given order."""
        found = self._order[bisect_left(self._starts, low) : bisect_left(self._starts, high)]
        return [self._items[index] for index in sorted(found)]


class Spans:
    """Source ranges ``[start, end)`` (field labels, links), to ask whether one of them
    holds an offset with a search rather than a scan of them all, once per offset."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [start for start, _ in ordered]
        # The furthest end of the ranges up to each: ranges may nest or overlap.
        self._reach = list(accumulate((end for _, end in ordered), max))

    def hold(self, offset: int) -> bool:
        """Whether a range has ``start <= offset < end``."""
        at = bisect_right(self._starts, offset)
        return at > 0 and self._reach[at - 1] > offset
