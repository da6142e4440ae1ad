"""Paper rules: each paper block's heading and its field list."""

from __future__ import annotations

from collections.abc import Iterator

from digestlint.findings import Edit, Finding
from digestlint.registry import RuleContext, rule
from digestlint.report import matches_whole


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
