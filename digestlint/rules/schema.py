"""The report schema rule: the constraints a user's own JSON Schema file adds.

The profile's own constraints (required fields, field values, required sections,
empty sections) are checked on the document model by the rules they belong to
(``header-field-missing``, ``paper-field-value``, ``section-missing``, ...); the
report schema built from the profile (:func:`digestlint.report.report_schema`) states
the same constraints for consumers of ``digestlint export``.
"""

from __future__ import annotations

from collections.abc import Iterator

from digestlint.findings import Finding
from digestlint.registry import RuleContext, rule
from digestlint.report import describe_error, focus_pointer, pointer_of


@rule("DL601", "report-schema")
def report_schema(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks the extracted report (what ``digestlint export`` prints) against a custom
    JSON Schema file (``schema = "..."`` in the config): the constraints it adds to
    the profile's, which the other rules check.

    ## Why is this bad?
    Site generators and databases consume the report as exported by
    ``digestlint export``; data that breaks the schema breaks them.

    ## Example
    With a schema requiring at most 10 papers, a report with 13 papers.

    ## Use instead
    A report that satisfies the schema.

    ## Fix safety
    Not fixable.
    """
    report = context.lint_pass.extracted_report
    reported: set[str] = set()
    for error in context.lint_pass.extra_schema_errors:
        pointer = focus_pointer(error)
        if error.validator not in _EACH_ITS_OWN and pointer in reported:
            continue  # one finding per element: a bad date breaks its pattern and format
        reported.add(pointer)
        start, end = report.span_of(pointer)
        if end <= start:
            end = context.source.line_end(context.source.position(start)[0])
        # The JSON path says which of the schema's constraints it is.
        message = f"{describe_error(error, context.profile, report.data)} ({pointer_of(error)})"
        yield context.finding(start, end, message)


# Errors that each name a different missing thing at the same element (two missing
# properties of one object, two items an array must contain): one finding each.
_EACH_ITS_OWN = frozenset({"required", "contains"})
