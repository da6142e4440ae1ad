"""The house style of a report, learned from the report itself.

A rule in ``consistent`` mode follows what most of the report does. Two things keep it
from reporting a report's own style as drift:

- **A decisive majority.** A style is the house style only when at least
  ``majority_threshold`` of the occurrences (default 80%, inclusive) use it, out of at
  least ``majority_minimum`` occurrences (default 5). A 55/45 split or 3 of 4 is no
  house style, and nothing is reported: guessing would make a large share of the
  findings wrong.
- **Boilerplate is not counted.** A line that repeats within a report (numbers and
  links' text and targets aside), such as a per-paper ``[在 Hugging Face 上阅读全文](…)``
  or a list of ``1. [Title](…) （8.5/10）``, is the pipeline's template: the house
  style itself, not drift. So is a bold field label that starts several lines
  (``**arXiv所属领域：** <value>``), the report's title (``# AI 论文 2024-11-03 速递``),
  its header before the first paper (``今日共收录 12 篇论文``; where the profile does not
  find papers, before the first of two or more headings at the paper level) and YAML
  front matter, which is metadata. Rules neither count nor report what is on those
  lines.

Every ``consistent`` rule takes :class:`MajorityOptions` into its options model and asks
:func:`decisive_majority` for the style to enforce.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from digestlint.registry import RuleContext

if TYPE_CHECKING:
    from digestlint.lintpass import LintPass

DEFAULT_THRESHOLD = 0.8
DEFAULT_MINIMUM = 5


class MajorityOptions(BaseModel):
    """How decisive a majority must be to count as the report's house style."""

    model_config = ConfigDict(extra="forbid")

    majority_threshold: float = Field(
        default=DEFAULT_THRESHOLD,
        gt=0.5,
        le=1.0,
        description="Share of the occurrences (inclusive) that must use one style for "
        "`consistent` to follow it; below it nothing is reported.",
    )
    majority_minimum: int = Field(
        default=DEFAULT_MINIMUM,
        ge=1,
        description="Occurrences needed before `consistent` follows a majority at all.",
    )


@dataclass(frozen=True)
class Majority:
    """The house style and how many of how many occurrences use it."""

    style: Hashable
    """The style: whatever the rule counts by (a name, a shape, a tuple)."""
    count: int
    total: int

    @property
    def reason(self) -> str:
        return f"{self.count} of {self.total}"


def decisive_majority(
    counts: Mapping[Hashable, int],
    threshold: float = DEFAULT_THRESHOLD,
    minimum: int = DEFAULT_MINIMUM,
) -> Majority | None:
    """The style that at least ``threshold`` of at least ``minimum`` occurrences use,
    or ``None`` when no style is that decisive."""
    total = sum(counts.values())
    if total < minimum or total == 0:
        return None
    style, count = Counter(counts).most_common(1)[0]
    # Compare in integers: 4 of 5 is exactly 80%, and must pass a threshold of 0.8.
    if count * 1000 < round(threshold * 1000) * total:
        return None
    return Majority(style, count, total)


def majority_for(counts: Mapping[Hashable, int], options: BaseModel) -> Majority | None:
    """:func:`decisive_majority` with the threshold and minimum of a rule's options."""
    return decisive_majority(
        counts,
        getattr(options, "majority_threshold", DEFAULT_THRESHOLD),
        getattr(options, "majority_minimum", DEFAULT_MINIMUM),
    )


# -- boilerplate -----------------------------------------------------------------------

_LINK = re.compile(
    r"\[(?P<text>[^\[\]\n]*)\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:\s+\"[^\"]*\")?\)"
)
_BARE_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_MARKUP_ONLY = re.compile(r"[\s*_#>|=+:\-\[\]()]*")


def template_keys(line: str) -> tuple[str, str]:
    """What a line says once its numbers, link targets and list marker are set aside,
    and its layout once the links' text is set aside too: two lines with the same
    text, or the same layout around their links, come from one template."""
    line = _LIST_MARKER.sub("", line.strip())
    if "](" not in line:  # no link: both keys are the same (each pattern needs its text)
        key = _numbers_and_urls_aside(line)
        return key, key
    text, layout = _LINK.sub(r"[\g<text>]()", line), _LINK.sub("[]()", line)
    return _numbers_and_urls_aside(text), _numbers_and_urls_aside(layout)


def _numbers_and_urls_aside(key: str) -> str:
    if "://" in key or "www." in key.lower():
        key = _BARE_URL.sub("<url>", key)
    return _NUMBER.sub("0", key).strip()


def boilerplate_lines(text: str) -> frozenset[int]:
    """1-based numbers of the lines that repeat within ``text``: the same words
    (numbers and link targets aside: ``[在 Hugging Face 上阅读全文](…)`` under every
    paper), or the same layout around different links (``1. [Title](…) （8.5/10）``).
    Lines of markup only (rules, blank lines) never count, and a layout that is only a
    link is no layout."""
    keys = [template_keys(line) for line in text.split("\n")]
    texts = Counter(key for key, _ in keys if not _MARKUP_ONLY.fullmatch(key))
    layouts = Counter(layout for _, layout in keys if not _MARKUP_ONLY.fullmatch(layout))
    return frozenset(
        number
        for number, (key, layout) in enumerate(keys, 1)
        if texts.get(key, 0) >= 2 or layouts.get(layout, 0) >= 2
    )


_LEADING_LABEL = re.compile(
    r"[ \t]*(?:>[ \t]*)*(?:(?:[-*+]|\d+[.)])[ \t]+)?(\*\*|__)(?P<label>.+?)\1"
)


def field_labels(text: str) -> list[tuple[int, int]]:
    """Offsets of the bold labels that start two or more lines of ``text`` (numbers
    aside): ``**arXiv所属领域：** Machine Learning`` on every paper."""
    found: list[tuple[str, int, int]] = []
    offset = 0
    for line in text.split("\n"):
        label = _LEADING_LABEL.match(line)
        if label:
            key = _NUMBER.sub("0", label.group("label"))
            found.append((key, offset + label.start(), offset + label.end()))
        offset += len(line) + 1
    seen = Counter(key for key, _, _ in found)
    return [(start, end) for key, start, end in found if seen[key] >= 2]


def on_boilerplate(context: RuleContext, offset: int) -> bool:
    """Whether source ``offset`` is in the report's template: a line that repeats, a
    repeated field label, the report's title and header, or front matter."""
    lint_pass = context.lint_pass
    if context.source.position(offset)[0] in lint_pass.template_lines:
        return True
    return lint_pass.repeated_field_label_spans.hold(offset)


def template_lines(lint_pass: LintPass) -> frozenset[int]:
    """The lines :func:`on_boilerplate` leaves out: repeated lines, the report's title
    and header, and front matter."""
    lines = set(boilerplate_lines(lint_pass.source.text))
    document = lint_pass.document
    first_block = min((block.start for block in document.inlines), default=None)
    if document.headings and document.headings[0].level == 1:
        title = document.headings[0]
        if first_block is None or title.start <= first_block:
            lines.update(range(title.line, title.end_line + 1))
    lines.update(range(1, _first_block_line(lint_pass)))  # the report's header
    lines.update(range(1, front_matter_end(lint_pass.source.text) + 1))
    return frozenset(lines)


def _first_block_line(lint_pass: LintPass) -> int:
    """The line of the report's first paper: as the profile finds papers, or else (a
    profile without structure) the first of two or more headings at the level papers
    have. 1 if there are none: no header."""
    document = lint_pass.document
    if document.papers:
        return document.papers[0].line
    level = lint_pass.profile.paper_heading.level
    blocks = [heading.line for heading in document.headings if heading.level == level]
    return blocks[0] if len(blocks) >= 2 else 1


def front_matter_end(text: str) -> int:
    """The line that closes YAML front matter (``---`` on the first line, then ``---``
    or ``...``), or 0 if the report has none."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return 0
    for number, line in enumerate(lines[1:], 2):
        if line.rstrip() in ("---", "..."):
            return number
    return 0
