"""Markdown that an HTML block swallows (html-block-markdown, DL817).

CommonMark ends most HTML blocks (``<details>``, ``<div>``, ``<table>``: its types 6
and 7) only at a blank line: a Markdown line written right under the block's closing
tag is more of the block, and GitHub shows it as raw text. Read from markdown-it's
``html_block`` tokens, so a line the parser does not put in a block is never judged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from digestlint.findings import Edit, Finding, Severity
from digestlint.registry import RuleContext, rule

_LITERAL_BLOCK = re.compile(r"[ \t]*<(?:pre|script|style|textarea)(?:[\s>]|$)|[ \t]*<[!?]", re.I)
"""HTML blocks that end at their own closing tag, not at a blank line (CommonMark types
1 to 5: ``<pre>``, ``<script>``, ``<style>``, ``<textarea>``, comments, ``<?…?>``,
declarations, CDATA): what is in them is meant as written."""
_CLOSING_LINE = re.compile(r"[ \t]*(?:</[A-Za-z][A-Za-z0-9-]*>|<summary>.*</summary>)[ \t]*", re.I)
"""A line that closes an element (``</details>``, ``</div>``) or is a whole summary
(``<summary>摘要</summary>``): after it the writer means Markdown again."""
_MARKDOWN_LINE = re.compile(
    r"[ ]{0,3}(?:[-*+][ \t]+\S|\d{1,9}[.)][ \t]+\S|#{1,6}[ \t]|>|\*\*\S|\|)"
)
"""A line that starts as Markdown does: a list item, a heading, a quote, bold text, a
table row."""


@rule(
    "DL817",
    "html-block-markdown",
    severity=Severity.WARNING,
    fixable=True,
    structural=False,
    family="typography",
)
def html_block_markdown(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks for a Markdown line right under the line that closes an HTML element
    (``</details>``, ``</div>``, ``<summary>…</summary>``), with no blank line between:
    CommonMark keeps it in the HTML block, and it shows as raw text, ``- **…**`` and
    all. Blocks that end at their own closing tag (``<pre>``, ``<script>``, comments)
    are not read.

    ## Why is this bad?
    Readers see ``- **评分理由**: …`` with its asterisks and dash, under every paper
    whose details the pipeline folded away.

    ## Example
    ```markdown
    <details>
    <summary>摘要</summary>
    本文提出一种稀疏路由方法。
    </details>
    - **评分理由**: 方法新颖，实验充分。
    ```

    ## Use instead
    ```markdown
    <details>
    <summary>摘要</summary>
    本文提出一种稀疏路由方法。
    </details>

    - **评分理由**: 方法新颖，实验充分。
    ```

    ## Fix safety
    Safe: a blank line is inserted above the Markdown line. It ends the HTML block
    there, after the element's closing tag; no character of the text changes.
    """
    source = context.source
    for token in context.document.tokens:
        if token.type != "html_block" or token.map is None:
            continue
        first, last = token.map
        if _LITERAL_BLOCK.match(source.line_text(first + 1)):
            continue
        for number in range(first + 2, last + 1):
            line = source.line_text(number)
            if not _MARKDOWN_LINE.match(line):
                continue
            above = source.line_text(number - 1)
            if not _CLOSING_LINE.fullmatch(above):
                continue
            start = source.line_start(number)
            yield context.finding(
                start,
                source.line_end(number),
                f"this line is part of the HTML block above (it runs to the next blank "
                f"line), so it shows as raw text; put a blank line after `{above.strip()}`",
                fix=[Edit(start=start, end=start, content="\n")],
                fix_message="insert a blank line",
            )
            break  # the blank line ends the block: what follows is read anew
