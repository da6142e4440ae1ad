"""Heading rules: stray titles, heading levels, and one section-heading style per report."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict

from digestlint.findings import Edit, Finding
from digestlint.han import HAN_CHAR
from digestlint.model import Heading, Paper, Section
from digestlint.parse import dedent_list_body, expand_indent
from digestlint.parse.markdown import starts_block
from digestlint.profile import SECTION_STYLES
from digestlint.registry import RuleContext, rule
from digestlint.source import SourceText

_LIST_STYLES = ("list-bold-colon", "list-bold")


@rule("DL401", "stray-h1", fixable=True)
def stray_h1(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks for H1 headings inside a paper block. A report has one H1, its title.

    ## Why is this bad?
    Pipelines often start a summary with their own title
    (``# 论文阅读报告：...``). It breaks the outline: the paper's sections end up under
    a second document title, and tables of contents show one entry per paper.

    ## Example
    ```markdown
    ## 📄 FRAPPE: Infusing World Modeling into Generalist Policies

    # 论文阅读报告：FRAPPE
    ```

    ## Use instead
    ```markdown
    ## 📄 FRAPPE: Infusing World Modeling into Generalist Policies

    **论文阅读报告：FRAPPE**
    ```

    ## Fix safety
    Safe. The heading is demoted to a bold paragraph rather than deleted, so none of
    its text is lost: it may carry a translated title the author wants to keep, and
    deleting it is a decision for a person.
    """
    source = context.source
    for paper in context.document.papers:
        for heading in paper.headings:
            if heading.level != 1 or heading.in_container:
                continue
            if heading.setext and context.profile.is_separator(source.line_text(heading.end_line)):
                continue  # separator-setext reports it
            fix = None
            if not heading.setext:
                fix = _demotion(source, heading)
            yield context.finding(
                heading.start,
                heading.end,
                f"stray H1 `{heading.plain.strip()}` inside a paper; the report's title is its only H1",
                fix=fix,
                fix_message="demote to a bold paragraph",
            )


def _demotion(source: SourceText, heading: Heading) -> list[Edit] | None:
    """The stray H1 rewritten as a bold paragraph of its own, or ``None`` when its text
    would read as another block (``# 1. **x**`` as a list item)."""
    text = heading.text.strip()
    replacement = text if "**" in text or not text else f"**{text}**"
    if starts_block(replacement):
        return None
    line_end = source.line_end(heading.line)
    next_line = source.line_text(heading.line + 1) if heading.line < source.line_count else ""
    if next_line.strip():
        replacement += "\n"
    previous_line = source.line_text(heading.line - 1) if heading.line > 1 else ""
    if previous_line.strip():
        # The heading interrupted a paragraph; a paragraph line would continue it.
        replacement = "\n" + replacement
    return [Edit(start=heading.start, end=line_end, content=replacement)]


@rule("DL402", "heading-level", fixable=True)
def heading_level(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that paper headings and section headings are at the profile's levels
    (by default ``##`` for papers and ``###`` for sections).

    ## Why is this bad?
    Levels give the outline: a paper at ``###`` nests under the previous paper, a
    section at ``##`` looks like a new paper.

    ## Example
    ```markdown
    ### 📄 Computer-Using World Model
    #### 1. 应用领域
    ```

    ## Use instead
    ```markdown
    ## 📄 Computer-Using World Model
    ### 1. 应用领域
    ```

    ## Fix safety
    Safe: only the number of ``#`` changes.
    """
    profile = context.profile
    for paper in context.document.papers:
        heading = paper.heading
        if heading.level != profile.paper_heading.level and not heading.setext:
            yield _level_finding(
                context, heading.start, heading.level, profile.paper_heading.level, "paper"
            )
        wrapped = _wrapped_headings(paper)
        for section in paper.sections:
            if section.style not in ("atx", "atx-bold") or section.heading_start in wrapped:
                continue
            level = _atx_level(context.source, section)
            if level != profile.section_level:
                yield _level_finding(
                    context, section.heading_start, level, profile.section_level, "section"
                )


def _wrapped_headings(paper: Paper) -> set[int]:
    """Starts of the headings one level below a wrapper heading, up to the next heading
    at the wrapper's level or above: wrapper-heading reports their nesting with it."""
    wrappers = {heading.start for heading in paper.wrappers}
    wrapped: set[int] = set()
    level = None
    for heading in paper.headings:
        if heading.start in wrappers:
            level = heading.level
        elif level is not None and heading.level <= level:
            level = None
        elif level is not None and heading.level == level + 1:
            wrapped.add(heading.start)
    return wrapped


def _atx_level(source: SourceText, section: Section) -> int:
    text = source.text[section.heading_start : section.heading_end]
    return len(text) - len(text.lstrip("#"))


def _level_finding(
    context: RuleContext, start: int, level: int, expected: int, kind: str
) -> Finding:
    return context.finding(
        start,
        start + level,
        f"{kind} heading is level {level}, expected {expected}",
        fix=[Edit(start=start, end=start + level, content="#" * expected)],
        fix_message=f"make it level {expected}",
    )


class SectionStyleOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    style: Literal[
        "consistent", "atx", "atx-bold", "list-bold-colon", "list-bold", "bold-colon", "bold"
    ] = "consistent"
    """``consistent`` (the style most papers in the file use; ties go to the profile's
    preferred style) or one of: atx, atx-bold, list-bold-colon, list-bold, bold-colon, bold."""


@rule("DL403", "section-heading-style", options=SectionStyleOptions, fixable=True)
def section_heading_style(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that every section heading in the report is written in one style. Styles:
    ``atx`` (``### 1. 应用领域``), ``atx-bold`` (``### **1. 应用领域**``),
    ``list-bold-colon`` (``1. **应用领域**：``), ``list-bold`` (``1. **应用领域**``),
    ``bold-colon`` (``**应用领域**：``) and ``bold`` (``**1. 应用领域**``).

    Option ``style``: ``consistent`` (default: the style most papers use) or a style.

    ## Why is this bad?
    Pipelines drift from paper to paper. Mixed styles render as a mix of headings and
    list items: the outline loses half the sections and the page looks broken.

    ## Example
    ```markdown
    1. **应用领域**：NLP-大模型安全评估与风险管理。
    ```

    ## Use instead
    ```markdown
    ### 1. 应用领域

    NLP-大模型安全评估与风险管理。
    ```

    ## Fix safety
    Safe: the heading is rewritten in the chosen style, a body that shared the
    heading's line moves to its own line, and list indentation is removed from (or
    added to) the body so that its nesting renders the same. A heading it writes is
    followed by a blank line, and a list that followed a paragraph inside the list
    item gets one before it, as Markdown linters (markdownlint's MD022 and MD032)
    want; neither changes the rendering. No text changes.
    """
    target = context.options.style
    papers = context.document.papers
    if target == "consistent":
        target = majority_style(context)
        if target is None:
            return
        reason = "most papers in this report use"
    else:
        reason = "the configured style is"
    for paper in papers:
        for section in paper.sections:
            if section.style == target or not section.known:
                continue
            yield context.finding(
                section.heading_start,
                section.heading_end,
                f"section heading style is `{section.style}`; {reason} `{target}`",
                fix=_edits(restyle(context, section, target)),
                fix_message=f"rewrite as `{target}`",
            )


def _edits(edit: Edit | None) -> list[Edit] | None:
    return [edit] if edit is not None else None


def paper_style(sections: list[Section]) -> str | None:
    counts = Counter(s.style for s in sections if s.known)
    return counts.most_common(1)[0][0] if counts else None


def majority_style(context: RuleContext) -> str | None:
    styles = [paper_style(p.sections) for p in context.document.papers]
    counts = Counter(s for s in styles if s)
    if not counts:
        return None
    best = max(counts.values())
    tied = [style for style in SECTION_STYLES if counts.get(style) == best]
    preferred = context.profile.section_style
    return preferred if preferred in tied else tied[0]


def heading_text(section: Section, style: str, level: int, numbering: str | None = None) -> str:
    """``section``'s heading in ``style``; ``numbering`` is its number as written when
    that is not Arabic (``一、``), kept as it is."""
    name = section.written_name
    colon = "：" if HAN_CHAR.search(name) else ":"
    numbered = f"{section.number}. {name}" if section.number is not None else name
    if numbering is not None:
        numbered = numbering + name
    number = section.number if section.number is not None else 1
    return {
        "atx": f"{'#' * level} {numbered}",
        "atx-bold": f"{'#' * level} **{numbered}**",
        "list-bold-colon": f"{number}. **{name}**{colon}",
        "list-bold": f"{number}. **{name}**",
        "bold-colon": f"**{name}**{colon}",
        "bold": f"**{numbered}**",
    }[style]


def restyle(context: RuleContext, section: Section, style: str) -> Edit | None:
    """One edit rewriting ``section`` (heading and body indentation) in ``style``, or
    ``None`` when the body could not keep how it renders in that style."""
    text = context.source.text
    if (style == "bold-colon") != (section.number is None) and style in (
        "bold-colon",
        *_LIST_STYLES,
    ):
        # ``**应用领域**：`` has no place for a number and a list item needs one: the
        # number would be lost or made up (section-number writes missing ones).
        return None
    numbering = None
    if section.numbering_system == "chinese" and section.numbering_span:
        if style in _LIST_STYLES:
            return None  # a list marker is Arabic: the number as written would be lost
        numbering = text[section.numbering_span[0] : section.numbering_span[1]]
    heading = heading_text(section, style, context.profile.section_level, numbering)
    same_line = section.body_start < context.source.line_end(section.heading_line) or (
        section.body_start == section.heading_end
        and context.source.position(section.body_start)[0] == section.heading_line
    )
    body = text[section.body_start : section.body_end]
    lines = body.split("\n")
    # A list item's content column, past the marker and its space (``1. ``).
    width = len(heading) - len(heading.lstrip("0123456789")) + 2
    if section.style in _LIST_STYLES and style not in _LIST_STYLES:
        if _item_ends_inside_body(context, section):
            return None
        lines = dedent_list_body(lines, section.list_indent, same_line)
    elif section.style not in _LIST_STYLES and style in _LIST_STYLES:
        own = len(lines) - _template_trailer(context, section, lines)
        lines = [
            (" " * width + expand_indent(line)) if line.strip() and index < own else line
            for index, line in enumerate(lines)
        ]
    if same_line:
        # The text after the label moves to a line of its own: in a list item, at the
        # item's content column, or it would belong to the item only as a lazy line.
        indent = " " * width if style in _LIST_STYLES else ""
        lines[0] = indent + lines[0].lstrip()
    if style in _HEADING_STYLES and section.style not in _HEADING_STYLES:
        # The body's first lines were the rest of the label's paragraph; under a real
        # heading they start a block of their own.
        continued = _continuation_lines(context, section, same_line)
        for index in continued:
            lines[index] = lines[index].lstrip()
        text_lines = [index for index, line in enumerate(lines) if line.strip()]
        if (same_line or continued) and text_lines:
            first = text_lines[0]
            if starts_block("\n".join([lines[first].lstrip(), *lines[first + 1 :]])):
                return None
    if section.style in _LIST_STYLES and style not in _LIST_STYLES:
        lines = _blank_before_lists(context, section, lines)
    new_body = "\n".join(lines)
    if same_line or section.body_start <= section.heading_end:
        between = "\n"
    else:
        between = text[section.heading_end : section.body_start]
        between = between[between.index("\n") :] if "\n" in between else "\n"
    if (
        section.style in _HEADING_STYLES
        and style not in _HEADING_STYLES
        and not _continues_paragraph(context, section)
        and between == "\n"
    ):
        # Under a label paragraph, the body's first block would be read as more of
        # the label's text; a blank line keeps it a block of its own.
        between = "\n\n"
    if (
        style in _HEADING_STYLES
        and section.style not in _HEADING_STYLES
        and between == "\n"
        and lines[0].strip()
    ):
        # A heading this fix writes is set off by a blank line, as Markdown linters
        # (markdownlint's MD022) and some renderers want; it renders the same.
        between = "\n\n"
    if not body.strip():
        between, new_body = "", ""
    return Edit(
        start=section.heading_start, end=section.body_end, content=heading + between + new_body
    )


def _template_trailer(context: RuleContext, section: Section, lines: list[str]) -> int:
    """How many of the body's last ``lines`` are the pipeline's per-paper trailer (a
    ``[查看详情](…)`` line repeated under every paper, after a blank line): the paper's,
    not the section's, so they stay out of the list item a label becomes."""
    template = context.lint_pass.template_lines
    first_line = context.source.position(section.body_start)[0]
    start = len(lines)
    while (
        start > 0
        and (
            not lines[start - 1].strip()
            # At column 0 after a blank line, a line ends the list, as it ended the section;
            # an indented one (code) would be taken into the item.
            or (first_line + start - 1 in template and not lines[start - 1][:1].isspace())
        )
    ):
        start -= 1
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start == len(lines) or start == 0 or lines[start - 1].strip():
        return 0  # no trailer, all of it template, or a line that continues a paragraph
    return len(lines) - start


_HEADING_STYLES = ("atx", "atx-bold")


def _blank_before_lists(context: RuleContext, section: Section, lines: list[str]) -> list[str]:
    """``lines`` (the body, out of its list item) with a blank line before each list that
    directly followed a paragraph inside the item. Out of the list such a list stands at
    the top level, where Markdown linters (markdownlint's MD032) and some renderers want
    it set off; inside a list item nobody does. It renders the same either way."""
    first_line = context.source.position(section.body_start)[0]
    before = {line - first_line for line in _lists_after_paragraphs(context, section)}
    out: list[str] = []
    for index, line in enumerate(lines):
        if index in before and index > 0 and out[-1].strip():
            out.append("")
        out.append(line)
    return out


def _lists_after_paragraphs(context: RuleContext, section: Section) -> list[int]:
    """1-based first lines of the lists that follow a paragraph line directly, as blocks
    of the section's list item."""
    tokens = context.document.tokens
    opening = context.lint_pass.token_index.first_at("list_item_open", section.heading_line)
    if opening is None:
        return []
    level = tokens[opening].level + 1
    found = []
    previous = None
    for index in range(opening + 1, len(tokens)):  # not a slice: a copy of the rest
        token = tokens[index]
        if token.level < level:
            break
        if token.level != level or token.nesting == -1 or token.map is None:
            continue
        if (
            token.type in ("bullet_list_open", "ordered_list_open")
            and previous is not None
            and previous.type == "paragraph_open"
            and previous.map is not None
            and previous.map[1] == token.map[0]
        ):
            found.append(token.map[0] + 1)
        previous = token
    return found


# Blocks that may directly follow a paragraph line without being read as part of it.
_INTERRUPTS_PARAGRAPH = (
    "paragraph_open",
    "bullet_list_open",
    "blockquote_open",
    "fence",
    "heading_open",
    "table_open",
)


def _continuation_lines(context: RuleContext, section: Section, same_line: bool) -> list[int]:
    """Indexes (in the body's lines) of the lines that continue the label's paragraph."""
    found = context.lint_pass.token_index.first_at("inline", section.heading_line)
    label = None if found is None else context.document.tokens[found]
    if label is None or label.map is None:
        return []
    # 1-based number of the paragraph's last line; a separator glued under it (a lazy
    # continuation line) belongs to the paragraph but not to the section.
    last_line = min(label.map[1], context.source.position(section.body_end)[0])
    first_body_line = section.heading_line if same_line else section.heading_line + 1
    return [
        line - first_body_line
        for line in range(section.heading_line + 1, last_line + 1)
        if line >= first_body_line
    ]


def _item_ends_inside_body(context: RuleContext, section: Section) -> bool:
    """Whether the section's list item ends inside its body on a block that would take
    in the next line once out of the list (a table takes it as a row; an HTML block, or
    a fence or math block the item's end closed, takes it as content)."""
    tokens = context.document.tokens
    opening = context.lint_pass.token_index.first_at("list_item_open", section.heading_line)
    if opening is None:
        return False
    item = tokens[opening]
    assert item.map is not None
    after_item = item.map[1] + 1  # 1-based number of the first line after the item
    last_line = context.source.position(section.body_end)[0]
    if after_item > last_line or not context.source.line_text(after_item).strip():
        return False
    last_block = None
    for index in range(opening + 1, len(tokens)):  # not a slice: a copy of the rest
        token = tokens[index]
        if token.type == "list_item_close" and token.level == item.level:
            break
        if token.level == item.level + 1 and token.nesting != -1:
            last_block = token
    return last_block is not None and last_block.type in _TAKES_NEXT_LINE


_TAKES_NEXT_LINE = ("table_open", "fence", "html_block", "math_block")


def _continues_paragraph(context: RuleContext, section: Section) -> bool:
    """Whether the body's first block could follow a paragraph line directly."""
    first = context.lint_pass.token_index.first_block_from(section.body_line)
    return first is None or first.type in _INTERRUPTS_PARAGRAPH


@rule("DL406", "wrapper-heading")
def wrapper_heading(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks for a heading inside a paper that has no text of its own and only wraps the
    paper's sections: an unnumbered ``### 论文总结`` directly above the section labels,
    before the paper's first section or with the labels one level deeper
    (``#### 1. 本文主要工作``). Between two sections of its own level, such a heading is
    a renamed section that lost its text (section-unknown and section-empty).

    The wrapper is reported once, here. It is not a section, so section-unknown and
    section-empty say nothing about it, and heading-level does not report the labels
    nested one level below it.

    ## Why is this bad?
    Pipelines add such a heading in some papers only: the outline gets an extra level
    and a heading the format does not have, and the sections under it no longer sit
    where tools and readers look for them.

    ## Example
    ```markdown
    ## Retrieval Heads in Long-Context Models

    ### 论文总结

    #### 1. 本文主要工作
    ```

    ## Use instead
    ```markdown
    ## Retrieval Heads in Long-Context Models

    ### 1. 本文主要工作
    ```

    ## Fix safety
    Not fixable: removing the heading removes its words, which is the author's call.
    """
    for paper in context.document.papers:
        for heading in paper.wrappers:
            yield context.finding(
                heading.start,
                heading.end,
                f"heading `{heading.plain.strip()}` has no text of its own and only wraps "
                "the paper's sections; the format puts them directly under the paper's heading",
            )
