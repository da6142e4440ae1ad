"""Section rules: the five sections of every paper, their names, order and numbers."""

from __future__ import annotations

from collections.abc import Iterator

from digestlint.findings import Edit, Finding
from digestlint.model import Section
from digestlint.registry import RuleContext, rule
from digestlint.report import pointer_of
from digestlint.rules.schema import extracted, owned_errors, schema_findings


@rule("DL301", "section-missing")
def section_missing(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that every paper has each of the profile's required sections (by default
    应用领域, 一句话核心贡献, 使用指南, 主要创新点, 实验效果).

    Each missing section is one finding on the paper's heading, naming the paper
    (``paper `TactAlign…`: section `使用指南` is missing``). A paper with no
    sections at all gets one finding listing them all rather than one per section,
    all at the same place.

    ## Why is this bad?
    Readers compare papers section by section; a missing section is usually a
    pipeline failure that lost content.

    ## Example
    A paper with 应用领域, 一句话核心贡献, 主要创新点 and 实验效果 only.

    ## Use instead
    A paper with all five sections.

    ## Fix safety
    Not fixable: the content is not known.
    """
    report = extracted(context)
    missing: dict[int, list[tuple[str, str]]] = {}
    for error in owned_errors(context):
        path = list(error.absolute_path)
        wanted = error.schema.get("contains", {}).get("properties", {}).get("name", {})
        if len(path) < 2 or not isinstance(path[1], int) or "const" not in wanted:
            continue
        missing.setdefault(path[1], []).append((pointer_of(error), wanted["const"]))
    for index, entries in sorted(missing.items()):
        paper = context.document.papers[index]
        start, end = report.span_of(entries[0][0])
        title = _short(paper.title)
        names = [name for _, name in entries]
        if not paper.sections and len(names) > 1:
            listed = ", ".join(f"`{name}`" for name in names)
            yield context.finding(
                start, end, f"paper `{title}` has no sections; expected {listed}"
            )
            continue
        for name in names:
            yield context.finding(start, end, f"paper `{title}`: section `{name}` is missing")


def _short(title: str, limit: int = 40) -> str:
    title = " ".join(title.split())
    return title if len(title) <= limit else title[: limit - 1] + "…"


@rule("DL302", "section-unknown")
def section_unknown(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that every heading at the section level inside a paper names one of the
    profile's sections (or an alias).

    ## Why is this bad?
    A section under another name (``### 4. 创新``) is skipped by tools that look for
    the profile's names, and reads as a different section.

    ## Example
    ```markdown
    ### 4. 亮点
    ```

    ## Use instead
    ```markdown
    ### 4. 主要创新点
    ```

    ## Fix safety
    Not fixable: renaming changes the text.
    """
    names = ", ".join(spec.name for spec in context.profile.sections)
    for paper in context.document.papers:
        for section in paper.sections:
            if not section.known:
                yield context.finding(
                    section.heading_start,
                    section.heading_end,
                    f"unknown section `{section.written_name}`; expected one of {names}",
                )


@rule("DL303", "section-order")
def section_order(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that a paper's sections come in the profile's order.

    ## Why is this bad?
    Readers skim the same section at the same place in every paper.

    ## Example
    ```markdown
    ### 1. 一句话核心贡献
    ### 2. 应用领域
    ```

    ## Use instead
    ```markdown
    ### 1. 应用领域
    ### 2. 一句话核心贡献
    ```

    ## Fix safety
    Not fixable: moving whole sections is left to the author.
    """
    for paper in context.document.papers:
        furthest = -1
        furthest_name = ""
        for section in paper.sections:
            index = context.profile.section_index(section.name)
            if index is None:
                continue
            if index < furthest:
                yield context.finding(
                    section.heading_start,
                    section.heading_end,
                    f"section `{section.name}` should come before `{furthest_name}`",
                )
            elif index > furthest:
                furthest, furthest_name = index, section.name


@rule("DL304", "section-number", fixable=True)
def section_number(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that each section's number is its place in the profile's order
    (应用领域 is 1, 实验效果 is 5), when the profile numbers sections
    (``section_numbering``, on by default); a repeated number is always wrong for one
    of them, and a section heading without a number (``### 应用领域``) is missing one.

    The ``bold-colon`` style (``**应用领域**：``) has no place for a number by design,
    so it is never reported as missing one; a ``**应用领域**`` paragraph without the
    colon is the ``bold`` style (``**1. 应用领域**``) missing its number.

    ## Why is this bad?
    Wrong, repeated or missing numbers (``1, 2, 2, 4, 5``) make readers think a
    section is missing or duplicated.

    ## Example
    ```markdown
    ### 3. 主要创新点
    ### 实验效果
    ```

    ## Use instead
    ```markdown
    ### 4. 主要创新点
    ### 5. 实验效果
    ```

    ## Fix safety
    Safe: only the digits of the number change, or ``N. `` is written in front of the
    name. These edits are marked as renumbering, and the meaning check before writing
    lets a marked edit change digits only when it touches no Han character or letter.
    """
    if not context.profile.section_numbering:
        return
    for paper in context.document.papers:
        numbers = [s.number for s in paper.sections]
        for section in paper.sections:
            index = context.profile.section_index(section.name)
            if index is None:
                continue
            expected = index + 1
            if section.number is None:
                if section.style != "bold-colon":
                    yield _missing_number(context, section, expected)
                continue
            if section.number == expected:
                continue
            start, end = section.number_span or (section.heading_start, section.heading_end)
            message = f"section `{section.name}` is numbered {section.number}, expected {expected}"
            if numbers.count(section.number) > 1:
                message += f" (number {section.number} is used twice)"
            fix = (
                [Edit(start=start, end=end, content=str(expected), renumbers=True)]
                if section.number_span
                else None
            )
            yield context.finding(start, end, message, fix=fix, fix_message="renumber")


def _missing_number(context: RuleContext, section: Section, expected: int) -> Finding:
    """A section heading without its number; the fix writes ``N. `` before the name."""
    at = context.source.text.find(section.written_name, section.heading_start, section.heading_end)
    fix = [Edit(start=at, end=at, content=f"{expected}. ", renumbers=True)] if at >= 0 else None
    return context.finding(
        section.heading_start,
        section.heading_end,
        f"section `{section.written_name}` has no number; expected {expected}",
        fix=fix,
        fix_message=f"number it {expected}",
    )


@rule("DL305", "section-empty")
def section_empty(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that no section is empty.

    ## Why is this bad?
    An empty section is a heading with nothing under it: the pipeline lost the content.

    ## Example
    ```markdown
    ### 5. 实验效果

    ============================================================
    ```

    ## Use instead
    A section with its text.

    ## Fix safety
    Not fixable.
    """
    yield from schema_findings(context)


@rule("DL306", "section-duplicate")
def section_duplicate(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that no section appears twice in one paper.

    ## Why is this bad?
    Two 实验效果 sections usually mean a pipeline retried and appended.

    ## Example
    ```markdown
    ### 5. 实验效果
    ...
    ### 5. 实验效果
    ```

    ## Use instead
    One section of each name.

    ## Fix safety
    Not fixable.
    """
    for paper in context.document.papers:
        seen: set[str] = set()
        for section in paper.sections:
            if section.known and section.name in seen:
                yield context.finding(
                    section.heading_start,
                    section.heading_end,
                    f"section `{section.name}` appears again in this paper",
                )
            seen.add(section.name)
