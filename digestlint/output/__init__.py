"""Output formats. Each formatter turns a run's findings into the text to print."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from digestlint.findings import Finding
from digestlint.output.github import format_github
from digestlint.output.gitlab import format_gitlab
from digestlint.output.junit import format_junit
from digestlint.output.sarif import format_sarif

Formatter = Callable[["Report"], str]


@dataclass
class Report:
    """Everything a formatter may need about one run."""

    findings: list[Finding]
    files: list[str] = field(default_factory=list)
    fixed: int = 0
    errors: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    """The text each finding's path was linted as (after fixes), for formats that quote
    or fingerprint lines; formats read the file when a path is missing here."""


def format_text(report: Report) -> str:
    lines = [
        f"{f.path}:{f.line}:{f.column}: {f.code} [{f.name}] {f.message}"
        + (" [*]" if f.fixable else "")
        for f in report.findings
    ]
    return "\n".join(lines) + ("\n" if lines else "")


def format_json(report: Report) -> str:
    return json.dumps([f.to_json() for f in report.findings], ensure_ascii=False, indent=2) + "\n"


def format_statistics(report: Report) -> str:
    """``--statistics``: a count per rule, commonest first; ``[*]`` marks fixable rules."""
    counts = Counter((f.code, f.name) for f in report.findings)
    fixable = {f.code for f in report.findings if f.fixable}
    return "".join(
        f"{count:5d}  {code}  {'[*]' if code in fixable else '   '} {name}\n"
        for (code, name), count in counts.most_common()
    )


FORMATTERS: dict[str, Formatter] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
    "gitlab": format_gitlab,
    "junit": format_junit,
    "sarif": format_sarif,
}


def summary(report: Report) -> str:
    """The closing line of text output."""
    count = len(report.findings)
    fixable = sum(1 for f in report.findings if f.fixable)
    parts = []
    if report.fixed:
        parts.append(f"Fixed {report.fixed} finding{'s' if report.fixed != 1 else ''}.")
    if count:
        noun = "finding" if count == 1 else "findings"
        text = f"Found {count} {noun} in {len({f.path for f in report.findings})} of {len(report.files)} file{'s' if len(report.files) != 1 else ''}"
        if fixable:
            text += f" ({fixable} fixable with `--fix`, marked [*])"
        parts.append(text + ".")
    elif not report.errors:
        parts.append(
            f"All checks passed ({len(report.files)} file{'s' if len(report.files) != 1 else ''})."
        )
    return " ".join(parts)
