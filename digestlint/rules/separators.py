"""Separator rules: the ``====`` lines between paper blocks."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator

from digestlint.findings import Edit, Finding
from digestlint.registry import RuleContext, rule

DEFAULT_SEPARATOR_LENGTH = 60


@rule("DL501", "separator-setext", fixable=True)
def separator_setext(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that a separator line is not directly under a line of text.

    ## Why is this bad?
    In CommonMark a line of ``=`` under text is a setext heading underline: the text
    above becomes a large H1 heading and the separator disappears. Under a list item
    or a quote it is worse: the line cannot be an underline there, so it is read as
    more text of the item (``...16.2倍。 ====...``) and the papers run together.

    ## Example
    ```markdown
    ...模型的通用性。
    ============================================================
    ```

    ## Use instead
    ```markdown
    ...模型的通用性。

    ============================================================
    ```

    ## Fix safety
    Safe: a blank line is inserted above the separator.
    """
    for separator in context.document.separators:
        if separator.setext_of is not None:
            problem = f"separator turns line {separator.setext_of} into a heading"
        elif separator.continues is not None:
            problem = f"separator is read as text of the paragraph on line {separator.continues}"
        else:
            continue
        yield context.finding(
            separator.start,
            separator.end,
            f"{problem}; put a blank line above it",
            fix=[Edit(start=separator.start, end=separator.start, content="\n")],
            fix_message="insert a blank line",
        )


@rule("DL502", "separator-missing", fixable=True)
def separator_missing(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that a separator line stands between every two papers.

    ## Why is this bad?
    Readers and tools that split the report into papers rely on the separator.

    ## Example
    ```markdown
    ## 📄 Paper A
    ...
    ## 📄 Paper B
    ```

    ## Use instead
    ```markdown
    ## 📄 Paper A
    ...

    ============================================================

    ## 📄 Paper B
    ```

    A thematic break (``---``, ``***``) right above a paper, when the profile's
    separator is another character, is reported as the wrong separator; so is a
    ``---`` line there that CommonMark reads as the underline of a setext heading
    (it turns the text above it into a heading).

    ## Fix safety
    Safe: a separator as long as the report's others is inserted, with blank lines
    around it. A thematic break in its place is replaced by it (with a blank line
    above when the line above is text, so that it stays a line of its own and the
    text stays a paragraph).
    """
    character = context.profile.separator
    if character is None:
        return
    document = context.document
    lengths = Counter(len(s.text) for s in document.separators)
    length = lengths.most_common(1)[0][0] if lengths else DEFAULT_SEPARATOR_LENGTH
    separator_lines = sorted(s.line for s in document.separators)
    breaks = thematic_break_lines(context)
    for previous, paper in zip(document.papers, document.papers[1:], strict=False):
        after = bisect_right(separator_lines, previous.line)  # sorted: searched, not scanned
        if after < len(separator_lines) and separator_lines[after] < paper.line:
            continue
        written = last_line_above(context, paper.line)
        if written in breaks:
            yield wrong_separator(context, written, character * length)
            continue
        line_start = context.source.line_start(paper.line)
        above = context.source.line_text(paper.line - 1) if paper.line > 1 else ""
        content = ("\n" if above.strip() else "") + character * length + "\n\n"
        yield context.finding(
            paper.heading.start,
            paper.heading.end,
            "no separator between this paper and the one above",
            fix=[Edit(start=line_start, end=line_start, content=content)],
            fix_message="insert a separator",
        )


def thematic_break_lines(context: RuleContext) -> set[int]:
    """Lines of the top-level thematic breaks (``---``) that are not the profile's
    separator, and of ``---`` lines that underline text as a setext heading."""
    lines: set[int] = set()
    for token in context.document.tokens:
        if token.level != 0 or token.map is None:
            continue
        if token.type == "hr":
            line = token.map[0] + 1
        elif token.type == "heading_open" and token.markup == "-":
            line = token.map[1]
            if not _THEMATIC_DASHES.fullmatch(context.source.line_text(line)):
                continue
        else:
            continue
        if not context.profile.is_separator(context.source.line_text(line)):
            lines.add(line)
    return lines


_THEMATIC_DASHES = re.compile(r" {0,3}(?:-[ \t]*){3,}")


def last_line_above(context: RuleContext, line: int) -> int:
    """The last line above ``line`` that is not blank (0 if none)."""
    above = line - 1
    while above > 0 and not context.source.line_text(above).strip():
        above -= 1
    return above


def wrong_separator(context: RuleContext, line: int, expected: str) -> Finding:
    source = context.source
    written = source.line_text(line).strip()
    above = source.line_text(line - 1) if line > 1 else ""
    start, end = source.line_start(line), source.line_end(line)
    shown = expected if len(expected) <= 8 else expected[:4] + "…"
    return context.finding(
        start,
        end,
        f"separator is `{written}`, expected `{shown}`",
        fix=[Edit(start=start, end=end, content=("\n" if above.strip() else "") + expected)],
        fix_message=f"write the separator as `{shown}`",
    )
