"""Section rules: the five sections of every paper, their names, order and numbers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from digestlint.findings import Edit, Finding
from digestlint.model import Paper, Section
from digestlint.numbering import NumberingSystem, default_shape, write
from digestlint.registry import RuleContext, rule


@rule("DL301", "section-missing")
def section_missing(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that every paper has each of the profile's required sections (by default
    应用领域, 一句话核心贡献, 使用指南, 主要创新点, 实验效果).

    Each missing section is one finding on the paper's heading, naming the paper
    (``paper `TactAlign…`: section `使用指南` is missing``). A paper with no
    sections at all gets one finding listing them all rather than one per section,
    all at the same place. A section written under another name at its numbered place
    (``### 1. 论文总结`` where section 1 is 应用领域), or unnumbered in the only place
    a missing section fits (``### 用法说明`` alone between 一句话核心贡献 and
    主要创新点 where 使用指南 is missing), is reported once, by section-unknown, which
    names the section it stands for.

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
    required = [spec.name for spec in context.profile.sections if spec.required]
    for paper in context.document.papers:
        present = {section.name for section in paper.sections}
        renamed = _renamed(context, paper)
        names = [name for name in required if name not in present and name not in renamed]
        if not names:
            continue
        start, end = paper.heading.start, paper.heading.end
        title = _short(paper.title)
        if not paper.sections and len(names) > 1:
            listed = ", ".join(f"`{name}`" for name in names)
            yield context.finding(
                start, end, f"paper `{title}` has no sections; expected {listed}"
            )
            continue
        for name in names:
            yield context.finding(start, end, f"paper `{title}`: section `{name}` is missing")


def _renamed(context: RuleContext, paper: Paper) -> dict[str, Section]:
    """Missing sections written under another name at their place: the profile's name ->
    the unknown section numbered as that section (``**一、论文总结**`` for 研究动机), or,
    unnumbered, standing alone between the known sections around the one missing section
    that fits there (``### 评测`` after 核心关键词 where only 打分 is missing).
    section-unknown reports those, naming the section they stand for."""
    present = {section.name for section in paper.sections if section.known}
    specs = context.profile.sections
    found: dict[str, Section] = {}
    for section in paper.sections:
        if section.known or section.number is None or not 1 <= section.number <= len(specs):
            continue
        name = specs[section.number - 1].name
        if name not in present:
            found.setdefault(name, section)
    for name, section in _renamed_in_place(context, paper, present).items():
        if name not in found and all(section is not other for other in found.values()):
            found[name] = section
    return found


def _renamed_in_place(context: RuleContext, paper: Paper, present: set[str]) -> dict[str, Section]:
    """Unnumbered unknown sections that are the only unknown one between two known
    sections (or a paper's ends), where exactly one section of the profile is missing."""
    specs = context.profile.sections
    found: dict[str, Section] = {}
    # The paper's sections split at its known ones: each gap is (index of the known
    # section before it, the unknown sections in it, index of the known one after it).
    gaps: list[tuple[int, list[Section], int]] = []
    before, unknown = -1, []
    for section in paper.sections:
        index = context.profile.section_index(section.name) if section.known else None
        if index is None:
            unknown.append(section)
            continue
        gaps.append((before, unknown, index))
        before, unknown = index, []
    gaps.append((before, unknown, len(specs)))
    for low, sections, high in gaps:
        missing = [spec.name for spec in specs[low + 1 : high] if spec.name not in present]
        if len(sections) == 1 and sections[0].number is None and len(missing) == 1:
            found[missing[0]] = sections[0]
    return found


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
        in_place_of = {id(section): name for name, section in _renamed(context, paper).items()}
        for section in paper.sections:
            if not section.known:
                place = in_place_of.get(id(section))
                where = f" in the place of `{place}`" if place else ""
                yield context.finding(
                    section.heading_start,
                    section.heading_end,
                    f"unknown section `{section.written_name}`{where}; expected one of {names}",
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

    ``section_numbering`` also says how numbers are written: ``true`` or ``"arabic"``
    (``### 1. 应用领域``), ``"chinese"`` (``**一、研究动机**``, ``（二）``, ``第三、``) or
    ``"any"`` (either; a missing number is written the way most of the report's
    sections write theirs). A number in the other system is reported. The list styles
    (``1. **应用领域**``) are numbered by their list marker, which is always Arabic.

    The ``bold-colon`` style (``**应用领域**：``) has no place for a number by design,
    so it is never reported as missing one; a ``**应用领域**`` paragraph without the
    colon is the ``bold`` style (``**1. 应用领域**``) missing its number.

    ## Why is this bad?
    Wrong, repeated or missing numbers (``1, 2, 2, 4, 5``) make readers think a
    section is missing or duplicated; ``二、`` beside ``3.`` reads as two formats.

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
    Safe: only the number changes (its numeral, or ``一、`` written as ``1. ``), or
    ``N. `` (``一、``) is written in front of the name. These edits are marked as
    renumbering, and the meaning check before writing lets a marked edit change a
    number only when its old and new text hold no word but one numeral.
    """
    system = context.profile.numbering
    if system is None:
        return
    if system == "any":
        system = _usual_system(context)
    for paper in context.document.papers:
        numbers = [s.number for s in paper.sections]
        for section in paper.sections:
            index = context.profile.section_index(section.name)
            if index is None:
                continue
            expected = index + 1
            if section.number is None:
                if section.style != "bold-colon":
                    yield _missing_number(context, section, expected, system)
                continue
            if _other_system(context, section):
                yield _system_finding(context, section, expected, system)
                continue
            if section.number == expected:
                continue
            start, end = section.number_span or (section.heading_start, section.heading_end)
            numeral = write("#", expected, section.numbering_system or "arabic")
            written = context.source.text[start:end] if section.number_span else section.number
            message = f"section `{section.name}` is numbered {written}, expected {numeral}"
            if numbers.count(section.number) > 1:
                message += f" (number {written} is used twice)"
            fix = (
                [Edit(start=start, end=end, content=numeral, renumbers=True)]
                if section.number_span
                else None
            )
            yield context.finding(start, end, message, fix=fix, fix_message="renumber")


_LIST_STYLES = ("list-bold-colon", "list-bold")


def _other_system(context: RuleContext, section: Section) -> bool:
    """Whether the section's number is written in a system the profile does not use
    (the list styles' marker is Arabic by Markdown's rules, never the other system)."""
    return (
        section.style not in _LIST_STYLES
        and section.numbering_system is not None
        and not context.profile.accepts_numbering(section.numbering_system)
    )


def _usual_system(context: RuleContext) -> NumberingSystem:
    """The system most numbered sections of the report use: Chinese only if more of them
    use it than Arabic."""
    systems = Counter(
        s.numbering_system
        for paper in context.document.papers
        for s in paper.sections
        if s.numbering_system and s.style not in _LIST_STYLES
    )
    return "chinese" if systems["chinese"] > systems["arabic"] else "arabic"


def _system_finding(
    context: RuleContext, section: Section, expected: int, system: NumberingSystem
) -> Finding:
    """A number written in the other system; the fix writes the profile's, the right
    number included."""
    heading = (section.heading_start, section.heading_end)
    start, end = section.numbering_span or section.number_span or heading
    written = context.source.text[start:end].strip()
    wanted = write(default_shape(system), expected, system)
    fix = None
    if section.numbering_span:
        fix = [Edit(start=start, end=end, content=wanted, renumbers=True)]
    return context.finding(
        start,
        end,
        f"section `{section.name}` is numbered `{written}`; this profile numbers "
        f"sections `{wanted.strip()}`",
        fix=fix,
        fix_message=f"write `{wanted.strip()}`",
    )


def _missing_number(
    context: RuleContext, section: Section, expected: int, system: NumberingSystem
) -> Finding:
    """A section heading without its number; the fix writes ``N. `` (``一、``) before the
    name."""
    at = context.source.text.find(section.written_name, section.heading_start, section.heading_end)
    wanted = write(default_shape(system), expected, system)
    fix = [Edit(start=at, end=at, content=wanted, renumbers=True)] if at >= 0 else None
    shown = str(expected) if system == "arabic" else f"`{wanted}`"
    return context.finding(
        section.heading_start,
        section.heading_end,
        f"section `{section.written_name}` has no number; expected {shown}",
        fix=fix,
        fix_message=f"number it {shown}",
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
    for paper in context.document.papers:
        for section in paper.sections:
            if not section.body.strip():
                yield context.finding(
                    section.heading_start,
                    section.heading_end,
                    f"section `{section.name}` is empty",
                )


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
