"""Rules backed by the report's JSON Schema.

The extracted report is validated once per lint pass; each schema error goes to the
rule that owns its kind (by the error's path and keyword), and whatever no rule owns
is reported by ``report-schema``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from digestlint.findings import Finding
from digestlint.registry import RuleContext, rule
from digestlint.report import (
    ExtractedReport,
    describe_error,
    field_labels,
    focus_pointer,
    pointer_of,
)

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

# (owning rule code, pattern of the error's JSON pointer, the keywords it owns)
_OWNERS: list[tuple[str, re.Pattern[str], frozenset[str]]] = [
    ("DL102", re.compile(r"/header"), frozenset({"required"})),
    ("DL103", re.compile(r"/header/[^/]+/value"), frozenset({"pattern", "format", "minLength"})),
    ("DL202", re.compile(r"/papers/\d+"), frozenset({"required"})),
    ("DL203", re.compile(r"/papers/\d+/[^/]+"), frozenset({"enum", "pattern", "minLength"})),
    ("DL301", re.compile(r"/papers/\d+/sections"), frozenset({"contains"})),
    ("DL305", re.compile(r"/papers/\d+/sections/\d+/body"), frozenset({"minLength"})),
]


def owner_of(error: ValidationError) -> str:
    """The rule that reports an error of the profile's own schema."""
    pointer = pointer_of(error)
    for code, pattern, keywords in _OWNERS:
        if pattern.fullmatch(pointer) and error.validator in keywords:
            return code
    return "DL601"


def extracted(context: RuleContext) -> ExtractedReport:
    return context.lint_pass.extracted_report


def _classified(context: RuleContext) -> dict[str, list[ValidationError]]:
    from_profile, from_extra = context.lint_pass.schema_errors
    owned: dict[str, list[ValidationError]] = {}
    for error in from_profile:
        owned.setdefault(owner_of(error), []).append(error)
    owned.setdefault("DL601", []).extend(from_extra)
    return owned


def owned_errors(context: RuleContext) -> list[ValidationError]:
    """The schema errors the running rule owns."""
    return _classified(context).get(context.rule.code, [])


def schema_findings(context: RuleContext, prefix: str = "") -> Iterator[Finding]:
    """Findings for the schema errors this rule owns, at the element at fault.

    ``prefix`` starts each message (e.g. ``"header field "``); report keys are shown as
    the labels readers see in the report."""
    report = extracted(context)
    labels = field_labels(context.profile)
    reported: set[str] = set()
    for error in _classified(context).get(context.rule.code, []):
        pointer = focus_pointer(error)
        if error.validator != "contains" and pointer in reported:
            continue  # one finding per element: a bad date breaks its pattern and format
        reported.add(pointer)
        start, end = report.span_of(pointer)
        if end <= start:
            end = context.source.line_end(context.source.position(start)[0])
        message = prefix + describe_error(error, labels, report.data)
        if context.rule.code == "DL601":
            # Constraints of a user's schema: the JSON path says which one.
            message += f" ({pointer_of(error)})"
        yield context.finding(start, end, message)


@rule("DL601", "report-schema")
def report_schema(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks the extracted report against the JSON Schema constraints that no more
    specific rule reports: those of a custom schema file (``schema = "..."`` in the
    config) and any other constraint of the profile's report schema.

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
    yield from schema_findings(context)
