"""Label rules: the report's own fields, learned from what repeats, written one way.

Any format, the generic profile included: a label whose text repeats is a field of the
report's format, and how most of its occurrences are written is the house style. Only a
decisive majority counts (see :mod:`digestlint.rules._majority`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import cast

from digestlint.findings import Edit, Finding, Severity
from digestlint.labels import LabelledValue, LabelLine, label_lines, labelled_values
from digestlint.numbering import NumberingSystem, write
from digestlint.registry import RuleContext, rule
from digestlint.rules._majority import MajorityOptions, majority_for

MIN_REPEATS = 3
"""A label text written this many times is a field of the format, not a one-off."""


@dataclass(frozen=True)
class _Dimension:
    """One way a label's writing can differ: its markup, numbering, colon, colon place."""

    name: str

    def value(self, label: LabelLine) -> str:
        if self.name == "markup":
            return label.markup
        if self.name == "numbering":
            numbering = label.numbering
            return f"{numbering.system}:{numbering.shape}" if numbering else ""
        if self.name in ("colon", "heading colon"):
            return label.colon
        return "inside" if label.colon_inside else "after"

    def applies(self, label: LabelLine) -> bool:
        """Which labels a dimension compares. Headings take a colon less often than bold
        lines: a colon is compared among bold labels, and among plain headings; its place
        among bold labels that have one."""
        if self.name == "colon":
            return label.bold
        if self.name == "heading colon":
            return not label.bold
        if self.name == "colon place":
            return label.bold and bool(label.colon)
        return True

    def describe(self, value: str, number: int) -> str:
        """``value`` in words; a numbering is shown with ``number``."""
        if self.name == "markup":
            return f"`{_markup_shape(value)}`"
        if self.name == "numbering":
            if not value:
                return "no number"
            system, shape = value.split(":", 1)
            return f"numbered `{write(shape, number, cast(NumberingSystem, system))}`"
        if self.name in ("colon", "heading colon"):
            return f"colon `{value}`" if value else "no colon"
        return "colon inside the bold" if value == "inside" else "colon after the bold"


_DIMENSIONS = tuple(
    _Dimension(name) for name in ("markup", "numbering", "colon", "heading colon", "colon place")
)


def _markup_shape(markup: str) -> str:
    """``h3`` -> ``### …``, ``bold`` -> ``**…**``, ``ordered.`` -> ``1. **…**``."""
    if markup.startswith("h"):
        hashes = "#" * int(markup[1])
        return f"{hashes} **…**" if markup.endswith("-bold") else f"{hashes} …"
    if markup == "bold":
        return "**…**"
    if markup.startswith("ordered"):
        return f"1{markup[-1]} **…**"
    return f"{markup[-1]} **…**"


@rule(
    "DL404",
    "label-style",
    severity=Severity.WARNING,
    options=MajorityOptions,
    fixable=True,
    structural=False,
)
def label_style(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that each label of the report's format is written one way. The format is
    learned from the report itself: a *label line* is a short line that is only a
    label, a heading (``### 研究动机``), a paragraph that is only bold text
    (``**一、研究动机**``) or a list item that is only bold text (``1. **研究动机**``),
    numbering and a trailing colon allowed (an H1 is a title, not a label). A label
    whose text repeats three or more times is a field; where one of its occurrences differs from a decisive majority of
    the others in its markup, its numbering (``1.``, ``一、``, ``（一）``, none) or its colon
    (none, ``：`` or ``:``, inside or after the bold), that line is reported.

    Only a decisive majority counts: by default at least 80% (inclusive) of at least 5
    occurrences (options ``majority_threshold`` and ``majority_minimum``). A field written 3 ways 4, 3
    and 3 times has no house style, and nothing is reported.

    Runs under every profile. Under a profile with sections, the section headings are
    left to section-heading-style (DL403) and section-number (DL304).

    ## Why is this bad?
    Pipelines drift from paper to paper: the same field comes out as a heading in one
    paper, a bold line in the next and a list item in a third. The page looks broken,
    and the outline loses the fields that are not headings.

    ## Example
    ```markdown
    **一、研究动机**
    ...
    1. **研究动机**
    ...
    **三、方法概述：**
    ```

    ## Use instead
    ```markdown
    **一、研究动机**
    ...
    **一、研究动机**
    ...
    **三、方法概述**
    ```

    ## Fix safety
    Safe: the label's markup, numbering and colon are rewritten in the majority's style;
    its text is not touched. The markup changes only when the label is a block of its
    own between blank lines (and does not become a list item beside a list), so that
    nothing around it renders differently; a number is written only when the label has
    one or every numbered occurrence of the field has the same one. Number edits are
    marked as renumbering for the meaning check (one numeral, Arabic or Chinese). No fix
    is offered where it would set the label apart from its own paper: when another
    label of that paper is written the same way and stays so (a paper that writes all
    its labels with a colon keeps them), the finding stays for the editor to decide.
    """
    section_lines = _section_lines(context)
    labels = [
        label
        for label in label_lines(context.document, context.source, context.lint_pass.text_lines)
        if label.line not in section_lines
    ]
    fields: dict[str, list[LabelLine]] = {}
    for label in labels:
        fields.setdefault(label.key, []).append(label)
    drifts: dict[int, _Drift] = {}
    """The labels that differ from their field's house style, by where they start."""
    for group in fields.values():
        if len(group) >= MIN_REPEATS:
            drifts.update((d.label.start, d) for d in _field_drifts(context, group))
    blocks = _blocks(context, labels)
    for start in sorted(drifts):
        drift, label = drifts[start], drifts[start].label
        edits = []
        if not _leaves_block_mixed(drift, blocks, drifts):
            edits = _restyle(context, label, drift.usual, drift.usual_number)
        written = context.source.text[label.start : label.end]
        yield context.finding(
            label.start,
            label.end,
            f"label `{label.name}` is written `{written}`: {drift.reasons}",
            fix=edits or None,
            fix_message="write it the way the report usually does",
        )


@dataclass(frozen=True)
class _Drift:
    """A label written unlike its field's decisive majorities."""

    label: LabelLine
    differences: list[_Dimension]
    reasons: str
    """The differences in words."""
    usual: dict[str, str]
    """The field's decisive majority in each dimension that has one: what a fix writes."""
    usual_number: int | None


def _section_lines(context: RuleContext) -> set[int]:
    """The lines of section and paper headings: the section and heading rules' to report."""
    lines: set[int] = set()
    if not context.profile.structure:
        return lines
    for paper in context.document.papers:
        lines.add(paper.heading.line)
        lines.update(section.heading_line for section in paper.sections)
    return lines


def _field_drifts(context: RuleContext, group: list[LabelLine]) -> Iterator[_Drift]:
    """The labels of one field that differ from its decisive majorities."""
    options = context.options
    majorities: dict[str, tuple[str, int, int]] = {}
    for dimension in _DIMENSIONS:
        counts = Counter(dimension.value(x) for x in group if dimension.applies(x))
        majority = majority_for(counts, options)
        if majority is not None:
            majorities[dimension.name] = (majority.style, majority.count, majority.total)
    if not majorities:
        return
    usual_number = _usual_number(group)
    usual = {name: winner for name, (winner, _, _) in majorities.items()}
    for label in group:
        differences = [
            dimension
            for dimension in _DIMENSIONS
            if dimension.name in majorities
            and dimension.applies(label)
            and dimension.value(label) != majorities[dimension.name][0]
        ]
        if not differences:
            continue
        number = label.numbering.value if label.numbering else usual_number or 1
        reasons = "; ".join(
            f"{d.describe(d.value(label), number)} where {majorities[d.name][1]} of "
            f"{majorities[d.name][2]} are {d.describe(majorities[d.name][0], number)}"
            for d in differences
        )
        yield _Drift(label, differences, reasons, usual, usual_number)


def _blocks(context: RuleContext, labels: list[LabelLine]) -> dict[int, list[LabelLine]]:
    """The labels of each paper, by the line of each label: the profile's papers, or
    the stretches between headings of level 1 or 2. A heading that starts a paper is
    not one of its labels."""
    papers = context.document.papers
    if papers:
        starts = [paper.heading.line for paper in papers]
    else:
        starts = [h.line for h in context.document.headings if h.level <= 2]
    heads = set(starts)
    by_start: dict[int, list[LabelLine]] = {}
    for label in labels:
        if label.line not in heads:
            by_start.setdefault(bisect_right(starts, label.line), []).append(label)
    return {label.line: block for block in by_start.values() for label in block}


def _leaves_block_mixed(
    drift: _Drift, blocks: dict[int, list[LabelLine]], drifts: dict[int, _Drift]
) -> bool:
    """Whether fixing ``drift``'s label would set it apart from the labels of its own
    paper: another label there is written the same way and stays so (its field has no
    decisive majority that says otherwise). Then the paper is consistent in its own
    style, and the editor would revert a fix of one label (the finding stays)."""
    label = drift.label
    for dimension in drift.differences:
        written, target = dimension.value(label), drift.usual[dimension.name]
        for other in blocks.get(label.line, ()):
            if other is label or not dimension.applies(other):
                continue
            other_drift = drifts.get(other.start)
            stays = other_drift is None or other_drift.usual.get(dimension.name) != target
            if dimension.value(other) == written and stays:
                return True
    return False


def _usual_number(group: list[LabelLine]) -> int | None:
    """The field's number, when every numbered occurrence has the same one."""
    numbers = {label.numbering.value for label in group if label.numbering}
    return numbers.pop() if len(numbers) == 1 else None


def _restyle(
    context: RuleContext, label: LabelLine, usual: dict[str, str], usual_number: int | None
) -> list[Edit]:
    """Edits writing ``label``'s prefix (markup and numbering) and suffix (colon and
    closing markup) the way the field usually is (``usual``: each decisive majority), as
    far as that is safe; none touches the name."""
    markup = label.markup
    if "markup" in usual and _markup_may_change(label, usual["markup"]):
        markup = usual["markup"]
    system, shape, value = _numbering_of(label)
    if "numbering" in usual:
        number = value if value is not None else usual_number
        if not usual["numbering"]:
            system, shape, value = None, None, None
        elif number is not None:
            system, shape = usual["numbering"].split(":", 1)
            value = number
    if markup.startswith("ordered") and (system != "arabic" or value is None):
        # A list marker holds an Arabic number, and needs one.
        markup = label.markup
        if markup.startswith("ordered"):
            system, shape, value = _numbering_of(label)
    bold = not markup.startswith("h") or markup.endswith("-bold")
    colon = usual.get("colon" if bold else "heading colon", label.colon)
    inside = label.colon_inside or not label.bold  # a heading's colon ends its text
    if bold and colon and "colon place" in usual:
        inside = usual["colon place"] == "inside"
    text = context.source.text
    prefix = _prefix(label, markup, system, shape, value, text)
    suffix = _suffix(markup, colon, inside)
    edits = []
    old_prefix = text[label.start : label.name_start]
    if prefix != old_prefix:
        renumbers = _numeral_text(old_prefix) != _numeral_text(prefix)
        edits.append(
            Edit(start=label.start, end=label.name_start, content=prefix, renumbers=renumbers)
        )
    if suffix != text[label.name_end : label.end]:
        edits.append(Edit(start=label.name_end, end=label.end, content=suffix))
    return edits


def _markup_may_change(label: LabelLine, markup: str) -> bool:
    if not label.own_block:
        return False
    if markup.startswith(("ordered", "bullet")):
        kind = "ordered_list" if markup.startswith("ordered") else "bullet_list"
        return kind not in label.neighbours
    return True


def _numbering_of(label: LabelLine) -> tuple[str | None, str | None, int | None]:
    numbering = label.numbering
    if numbering is None:
        return None, None, None
    return numbering.system, numbering.shape, numbering.value


def _prefix(
    label: LabelLine,
    markup: str,
    system: str | None,
    shape: str | None,
    value: int | None,
    text: str,
) -> str:
    """The label's markup and numbering in front of its name."""
    if markup.startswith("ordered"):
        return f"{value}{markup[-1]} **"
    numbering = ""
    if system is not None and shape is not None and value is not None:
        own = label.numbering
        unchanged = (
            own is not None
            and not label.markup.startswith("ordered")
            and (own.system, own.shape, own.value) == (system, shape, value)
        )
        if unchanged and own is not None:
            numbering = text[own.start : own.end]
        else:
            written = write(shape, value, cast(NumberingSystem, system))
            numbering = written + (" " if written[-1].isascii() else "")
    if markup.startswith("h"):
        hashes = "#" * int(markup[1])
        bold = "**" if markup.endswith("-bold") else ""
        return f"{hashes} {bold}{numbering}"
    if markup == "bold":
        return f"**{numbering}"
    return f"{markup[-1]} **{numbering}"


def _suffix(markup: str, colon: str, inside: bool) -> str:
    if markup.startswith("h") and not markup.endswith("-bold"):
        return colon
    return f"{colon}**" if inside else f"**{colon}"


_NUMERAL = re.compile(r"\d+|[一二三四五六七八九十]+")


def _numeral_text(text: str) -> list[str]:
    return _NUMERAL.findall(text)


@rule(
    "DL405",
    "field-value-style",
    severity=Severity.WARNING,
    options=MajorityOptions,
    structural=False,
)
def field_value_style(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that the values of a repeated field are written one way: ratings under the
    same label as ``8/10`` in most papers and ``8分``, ``8/10分`` or ``★★★★`` in a few.
    A field is a label (``**评分**：``, or ``评分：`` in a list item) written three or
    more times; a value is compared by its shape, numbers read as ``N`` and a run of
    stars as ``★`` (``8/10`` and ``7.5/10`` are both ``N/N``). Only short values made of
    numbers, stars, ``/``, ``%``, date marks and the score units 分 and 星 have a shape;
    other values are text and are not compared.

    Only a decisive majority counts: by default at least 80% (inclusive) of at least 5
    values of the field (options ``majority_threshold`` and ``majority_minimum``).

    ## Why is this bad?
    Readers compare papers by these values; ``8分`` beside ``7/10`` leaves them guessing
    whether both are out of 10, and tools that read the field miss the odd ones.

    ## Example
    ```markdown
    **评分**：8/10
    ...
    **评分**：7分
    ```

    ## Use instead
    ```markdown
    **评分**：8/10
    ...
    **评分**：7/10
    ```

    ## Fix safety
    Not fixable: the scale a value was meant on (``7分`` of 10? of 5?) is not known.
    """
    values = labelled_values(context.document, context.source, context.lint_pass.text_lines)
    fields: dict[str, list[tuple[LabelledValue, str]]] = {}
    for entry in values:
        shape = value_shape(entry.value)
        if shape is not None:
            fields.setdefault(entry.key, []).append((entry, shape))
    options = context.options
    for group in fields.values():
        if len(group) < MIN_REPEATS:
            continue
        counts = Counter(shape for _, shape in group)
        majority = majority_for(counts, options)
        if majority is None:
            continue
        usual = majority.style
        example = next(entry.value for entry, shape in group if shape == usual)
        for entry, shape in group:
            if shape == usual:
                continue
            yield context.finding(
                entry.value_start,
                entry.value_end,
                f"`{entry.label}` value `{entry.value}` is written `{shape}`; "
                f"{counts[usual]} of {len(group)} are written like `{example}` (`{usual}`)",
            )


_NUMBER = re.compile(r"(?:(?<![\w.])[+\-−])?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_STARS = re.compile(r"[★☆⭐✩✰✭✮✯]+")
_SHAPE_CHARACTERS = frozenset("N★/／%％.-–~～:：()（）分星年月日")
MAX_VALUE_LENGTH = 16


def value_shape(value: str) -> str | None:
    """``"7.5/10"`` -> ``"N/N"``, ``"★★★★☆"`` -> ``"★"``; ``None`` for a value that is
    text rather than a number, a score or a date."""
    if len(value) > MAX_VALUE_LENGTH:
        return None
    shape = _STARS.sub("★", _NUMBER.sub("N", value))
    shape = "".join(shape.split())
    if "N" not in shape and "★" not in shape:
        return None
    if not set(shape) <= _SHAPE_CHARACTERS:
        return None
    return shape
