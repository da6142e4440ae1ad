"""Paper rules: each paper block's heading and its field list."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import Field

from digestlint.findings import Edit, Finding, Severity
from digestlint.model import Link, Paper
from digestlint.registry import RuleContext, rule
from digestlint.report import matches_whole
from digestlint.rules._majority import MajorityOptions, majority_for
from digestlint.rules._prose import BARRIER, ProseView, cached_views
from digestlint.source import ByStart


@rule("DL201", "paper-heading-marker", fixable=True)
def paper_heading_marker(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that every paper heading starts with the profile's marker (by default ``📄``).

    ## Why is this bad?
    The marker is how readers scanning the page, and tools splitting the report, tell
    a paper heading from any other heading.

    ## Example
    ```markdown
    ## Computer-Using World Model
    ```

    ## Use instead
    ```markdown
    ## 📄 Computer-Using World Model
    ```

    ## Fix safety
    Safe: the marker and a space are inserted before the title.
    """
    marker = context.profile.paper_heading.marker
    if marker is None or context.profile.paper_heading.pattern is not None:
        return
    for paper in context.document.papers:
        if paper.has_marker:
            continue
        heading = paper.heading
        yield context.finding(
            heading.start,
            heading.end,
            f"paper heading does not start with `{marker}`",
            fix=[Edit(start=heading.text_start, end=heading.text_start, content=marker + " ")],
            fix_message=f"insert `{marker}`",
        )


@rule("DL202", "paper-field-missing")
def paper_field_missing(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that every paper lists the profile's required fields (by default
    ``- **链接**: <paper URL>`` and ``- **阅读来源**: <source>``) under its heading.

    ## Why is this bad?
    Without the link, readers cannot reach the paper; without the read source, they
    cannot tell how much of it the summary is based on.

    ## Example
    ```markdown
    ## 📄 Computer-Using World Model

    - **阅读来源**: HTML
    ```

    ## Use instead
    ```markdown
    ## 📄 Computer-Using World Model

    - **链接**: https://huggingface.co/papers/2602.17365
    - **阅读来源**: HTML
    ```

    ## Fix safety
    Not fixable: the value is not known.
    """
    for paper in context.document.papers:
        for spec in context.profile.paper_fields:
            if spec.required and paper.field(spec.label) is None:
                yield context.finding(
                    paper.heading.start, paper.heading.end, f"field `{spec.label}` is missing"
                )


@rule("DL203", "paper-field-value")
def paper_field_value(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks paper field values against the profile, e.g. that the read source is one
    of ``ArXiv Abs``, ``HTML`` or ``PDF``.

    ## Why is this bad?
    Free-form values cannot be filtered or counted across reports.

    ## Example
    ```markdown
    - **阅读来源**: arxiv html
    ```

    ## Use instead
    ```markdown
    - **阅读来源**: HTML
    ```

    ## Fix safety
    Not fixable.
    """
    for paper in context.document.papers:
        heading = paper.heading
        if not paper.title:
            # ``## 📄`` alone: the title is the first value of a paper in the export.
            yield context.finding(heading.start, heading.end, "the paper's title is empty")
        for spec in context.profile.paper_fields:
            entry = paper.field(spec.label)
            if entry is None:
                continue
            value, label = entry.value, f"`{spec.label}`"
            # The report schema's order (``digestlint.report.report_schema``): a value
            # that breaks several constraints is reported once, for the first.
            if not value:
                problem = f"{label} is empty"
            elif spec.allowed is not None and value not in spec.allowed:
                allowed = ", ".join(repr(v) for v in spec.allowed)
                problem = f"{label}: {value!r} is not allowed; use one of {allowed}"
            elif spec.pattern and not matches_whole(spec.pattern, value):
                problem = f"{label}: {value!r} does not have the form the profile requires"
            else:
                continue
            yield context.finding(entry.value_start, entry.value_end, problem)


class PaperTruncatedOptions(MajorityOptions):
    min_words: int = Field(
        default=12,
        ge=1,
        description="How long (in Han characters and Latin words) a paper's last "
        "paragraph must be to count as a sentence; shorter endings (`评分：4.5分`, a "
        "keyword) are neither counted nor reported.",
    )


@rule(
    "DL204",
    "paper-truncated",
    severity=Severity.WARNING,
    options=PaperTruncatedOptions,
)
def paper_truncated(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that each paper's text ends with the end of a sentence, in a report whose
    papers otherwise do: the last paragraph (or list item) of a paper that stops on a
    letter, as in ``…值得在相关领域``, while a decisive majority of the report's
    papers (by default at least 80% of at least 5: options ``majority_threshold``
    and ``majority_minimum``) end theirs with punctuation. Short endings (a rating, a
    keyword line: option ``min_words``), link lines and the report's template lines
    are left out.

    ## Why is this bad?
    An LLM pipeline that hits its output limit stops mid-word, and the digest
    publishes half a sentence; the paper's other sections may be missing too.

    ## Example
    ```markdown
    - **推荐度**：4分。本文研究内容具有较强的学术价值和实用价值，值得在相关领域

    [查看详情](https://huggingface.co/papers/2401.01234)
    ```

    ## Use instead
    Generate the paper's summary again, or finish the sentence by hand.

    ## Fix safety
    Not fixable: the missing words are not known.
    """
    views = ByStart(cached_views(context), lambda view: view.block.start)
    links = ByStart(
        [link for link in context.document.links if link.kind != "bare"], lambda link: link.start
    )
    endings = [
        ending
        for paper in context.document.papers
        if (ending := _ending(context, paper, views, links))
    ]
    counts = Counter(ending.kind for ending in endings if ending.kind != "other")
    majority = majority_for(counts, context.options)
    if majority is None or majority.style != "closed":
        return
    for ending in endings:
        if ending.kind == "open":
            yield context.finding(
                ending.start,
                ending.end,
                f"paper `{ending.title}` ends mid-sentence (`…{ending.tail}`), while "
                f"{majority.reason} papers in this report end their last paragraph with punctuation: was the "
                "generation cut off?",
            )


@dataclass(frozen=True)
class _Ending:
    title: str
    kind: str
    """``closed`` (sentence punctuation), ``open`` (a letter) or ``other``."""
    start: int
    end: int
    tail: str


_WORDS = re.compile(r"[A-Za-z]+|[^\W\d_A-Za-z]", re.UNICODE)
_CLOSING = frozenset("。！？…；：.!?;:)）」』”\"'’》】]")
_CLAUSE = re.compile(r"[，,；;、：:。.!?！？]")


def _ending(
    context: RuleContext, paper: Paper, views: ByStart[ProseView], links: ByStart[Link]
) -> _Ending | None:
    """How the paper's last paragraph of its own prose ends, if it is a sentence."""
    template = context.lint_pass.template_lines
    for view in reversed(views.between(paper.start, paper.end)):
        block = view.block
        if block.kind != "paragraph":
            continue
        if block.line in template or _link_only(view, links):
            continue
        # The last character that is neither a barrier nor a line break.
        last_at = len(view.text.rstrip(BARRIER + "\n")) - 1
        text = view.text.replace(BARRIER, " ").strip()
        if last_at < 0 or len(_WORDS.findall(text)) < context.options.min_words:
            return None
        last = text[-1]
        kind = "closed" if last in _CLOSING else "open" if last.isalpha() else "other"
        clause = max((m.end() for m in _CLAUSE.finditer(text[:-1])), default=0)
        tail = text[clause:].strip()[-20:]
        start = view.offsets[last_at] + 1 - len(tail)
        end = view.offsets[last_at] + 1
        title = paper.title if len(paper.title) <= 40 else paper.title[:39] + "…"
        return _Ending(title, kind, max(start, block.start), end, tail)
    return None


def _link_only(view: ProseView, links: ByStart[Link]) -> bool:
    """Whether all the block's prose is the text of its ``links`` (``[查看详情](…)``):
    the document's links but bare URLs."""
    spans = [(link.start, link.end) for link in links.between(view.block.start, view.block.end)]
    return all(
        any(start <= offset < end for start, end in spans)
        for offset in view.offsets
        if offset >= 0
    )
