"""List indentation, counted in columns as CommonMark counts it (a tab to the next
multiple of 4): taking a list item's body out of the list, or putting a body in one."""

from __future__ import annotations


def dedent_list_body(lines: list[str], list_indent: int, first_partial: bool) -> list[str]:
    """Remove a list item's indentation from its body lines the way the list item itself
    does, so the body's own nesting renders the same outside the list.

    ``first_partial``: the first line is the rest of the item's first line (no indent).
    Lines indented less than the item's content (lazy continuations) lose all of it.
    Indentation is counted in columns (a tab goes to the next multiple of 4, as in
    CommonMark), so tab-indented nesting survives too."""
    if list_indent == 0:
        return lines
    candidates = lines[1:] if first_partial else lines
    indents = [indent_width(x) for x in candidates if x.strip()]
    widest = min((i for i in indents if i >= list_indent), default=list_indent)
    # A uniform shift keeps relative nesting as long as the first level stays within
    # the three spaces CommonMark allows before a block.
    shift = widest if widest - list_indent <= 3 else list_indent
    out = []
    for number, line in enumerate(lines):
        if number == 0 and first_partial:
            out.append(line.lstrip())
            continue
        out.append(remove_columns(line, shift))
    return out


def indent_width(line: str) -> int:
    """Columns of leading whitespace in ``line`` (tabs to the next multiple of 4)."""
    column = 0
    for character in line:
        if character == " ":
            column += 1
        elif character == "\t":
            column += 4 - column % 4
        else:
            break
    return column


def remove_columns(line: str, columns: int) -> str:
    """``line`` without up to ``columns`` columns of leading whitespace. Leading tabs
    are first written as spaces: a tab's width depends on the column it starts at,
    which the cut moves."""
    return expand_indent(line)[min(indent_width(line), columns) :]


def expand_indent(line: str) -> str:
    """``line`` with its leading whitespace written as spaces (same columns), so that
    indentation added in front of it keeps the same width."""
    width = indent_width(line)
    stripped = line.lstrip(" \t")
    return " " * width + stripped if stripped else line
