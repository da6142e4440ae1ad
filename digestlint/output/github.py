"""``--format github``: GitHub Actions workflow commands, one annotation per finding.

https://docs.github.com/actions/reference/workflow-commands-for-github-actions
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from digestlint.findings import Finding, Severity
from digestlint.output.fingerprints import relative_posix

if TYPE_CHECKING:
    from digestlint.output import Report

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message, as the Actions runner unescapes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value: also ``:`` and ``,``, which delimit properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    # GitHub ignores columns on multi-line annotations; give them only on one line.
    one_line = finding.end_line == finding.line
    properties = {
        "file": relative_posix(finding.path),
        "line": str(finding.line),
        "col": str(finding.column) if one_line else None,
        "endLine": str(finding.end_line),
        "endColumn": str(finding.end_column) if one_line else None,
        "title": f"{finding.code} ({finding.name})",
    }
    rendered = ",".join(
        f"{key}={escape_property(value)}" for key, value in properties.items() if value is not None
    )
    # The location is repeated in the message: annotations on files outside the diff are
    # only listed in the summary, which shows no location. No [*]: a reviewer reads the
    # annotation, and the job summary counts what is fixable.
    message = f"{finding.path}:{finding.line}:{finding.column}: {finding.code} {finding.message}"
    return f"::{COMMANDS[finding.severity]} {rendered}::{escape_data(message)}"


def format_github(report: Report) -> str:
    lines = [annotation(f) for f in report.findings]
    lines += [f"::error::{escape_data(error)}" for error in report.errors]
    return "".join(line + "\n" for line in lines)
