"""Paper blocks: where each starts and ends, its title, field list and sections."""

from __future__ import annotations

import math
from bisect import bisect_right
from itertools import pairwise

from digestlint.model import FieldEntry, Heading, Paper, Section, Separator
from digestlint.parse.header import HeaderReader
from digestlint.parse.sections import SectionReader, SectionStart
from digestlint.parse.tokens import Layer, TokenStream
from digestlint.patterns import user_regex


class PaperReader(Layer):
    def __init__(self, stream: TokenStream) -> None:
        super().__init__(stream)
        self.sections = SectionReader(stream)
        self.fields = HeaderReader(stream)

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

    def read(
        self, heading_at: dict[int, Heading], separators: list[Separator]
    ) -> tuple[list[Paper], int]:
        """Every paper block, and the index of the first paper's heading token: the
        header ends there."""
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
            # Searched, not scanned: a scan per paper costs the square of the report's size.
            following = bisect_right(boundaries, (index, math.inf))
            end_index, next_line = (
                boundaries[following]
                if following < len(boundaries)
                else (len(self.tokens), self.source.line_count + 1)
            )
            after = bisect_right(separator_lines, heading.line)
            separator_line = (
                separator_lines[after]
                if after < len(separator_lines) and separator_lines[after] < next_line
                else None
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
        starts: list[SectionStart] = []
        inner_headings: list[Heading] = []
        for position in range(index + 3, end_index):
            token = self.tokens[position]
            if token.map is None or token.map[0] + 1 > block_end_line:
                continue
            if token.type == "heading_open":
                inner = heading_at[position]
                inner_headings.append(inner)
                if token.level == 0:
                    start = self.sections.heading_section(position, inner)
                    if start:
                        starts.append(start)
            elif token.level != 0:
                continue
            elif token.type == "bullet_list_open" and not fields and not starts:
                fields = self.fields.list_fields(position)
            elif token.type == "ordered_list_open":
                starts.extend(self.sections.list_sections(position))
            elif token.type == "paragraph_open":
                start = self.sections.paragraph_section(position, starts[-1] if starts else None)
                if start:
                    starts.append(start)
        end = self.source.line_end(block_end_line)
        # Every start bounds the body of the one before it, a wrapper's included.
        read = [
            self.sections.section(start, starts[n + 1] if n + 1 < len(starts) else None, end)
            for n, start in enumerate(starts)
        ]
        level = {inner.start: inner.level for inner in inner_headings}
        wrapping: set[int] = set()
        for index, (section, following) in enumerate(pairwise(read)):
            if not _wraps(section, following):
                continue
            # Above the first section, or above sections nested one level deeper: a
            # heading with nothing under it between two sections of one level is a
            # section that lost its text.
            first = all(earlier.heading_start in wrapping for earlier in read[:index])
            deeper = level.get(following.heading_start, 0) > level[section.heading_start]
            if first or deeper:
                wrapping.add(section.heading_start)
        sections = [section for section in read if section.heading_start not in wrapping]
        wrappers = [heading for heading in inner_headings if heading.start in wrapping]
        return Paper(
            heading=heading,
            title=title.strip(),
            has_marker=marked,
            fields=fields,
            sections=sections,
            headings=inner_headings,
            wrappers=wrappers,
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


def _wraps(section: Section, following: Section) -> bool:
    """Whether ``section`` can be a wrapper heading, not a section: a heading under a
    name the profile does not know, without a number or any text of its own, directly
    followed by a section label (``### 论文总结`` above ``**1. 本文主要工作**``)."""
    return (
        section.style in ("atx", "atx-bold")
        and not section.known
        and section.number is None
        and not section.body.strip()
        and (following.known or following.number is not None)
    )
