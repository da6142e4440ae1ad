"""Text output: one line per finding, the statistics table, the applied fixes and the
closing summary line; coloured by a :class:`~digestlint.output.terminal.Style`."""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING

from digestlint.findings import Finding, Severity
from digestlint.output.terminal import PLAIN, Style

if TYPE_CHECKING:
    from digestlint.output import Report

SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)


def format_text(report: Report, style: Style = PLAIN) -> str:
    """``path:line:column: severity CODE [name] message``, ``[*]`` when this run's
    fixes would fix it."""
    lines = [finding_line(f, f.fix_applies(report.unsafe_fixes), style) for f in report.findings]
    return "".join(line + "\n" for line in lines)


def finding_line(finding: Finding, marked: bool, style: Style = PLAIN) -> str:
    if not style.colour:
        # The line the styled one below gives without colour, in one step: a warm run
        # of 200 reports prints 8,600 of them.
        line = (
            f"{finding.path}:{finding.line}:{finding.column}: {finding.severity.value} "
            f"{finding.code} [{finding.name}] {finding.message}"
        )
        return line + " [*]" if marked else line
    position = f"{style.path(finding.path)}:{finding.line}:{finding.column}:"
    return (
        f"{position} {style.severity(finding.severity)} {style.code(finding.code)} "
        f"[{finding.name}] {finding.message}" + (" " + style.fix_marker() if marked else "")
    )


def format_applied(report: Report, style: Style = PLAIN) -> str:
    """``--show-fixes``: each applied fix, file by file, at its place in the file as it
    was (``path:line:column: fixed CODE [name] what the fix did``)."""
    verb = "would fix" if report.diff else "fixed"
    lines = [
        f"{style.path(fix.path)}:{fix.line}:{fix.column}: {style.fix_marker(verb)} "
        f"{style.code(fix.code)} [{fix.name}]" + (f" {fix.title}" if fix.title else "")
        for fix in sorted(report.applied, key=lambda fix: (fix.path, fix.line, fix.column))
    ]
    return "".join(line + "\n" for line in lines)


def format_statistics(report: Report, as_json: bool = False, style: Style = PLAIN) -> str:
    """``--statistics``: a count per rule, commonest first; ``[*]`` marks the rules whose
    fixes this run would apply."""
    counts = Counter((f.code, f.name) for f in report.findings)
    fixable = {f.code for f in report.findings if f.fix_applies(report.unsafe_fixes)}
    if as_json:
        rows = [
            {"code": code, "name": name, "count": count, "fixable": code in fixable}
            for (code, name), count in counts.most_common()
        ]
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    return "".join(
        f"{count:5d}  {style.code(code)}  "
        f"{style.fix_marker() if code in fixable else '   '} {name}\n"
        for (code, name), count in counts.most_common()
    )


def summary(report: Report, style: Style = PLAIN) -> str:
    """The closing line of text output: what was found (by severity), fixed and left,
    and whether any of it is at the fail level."""
    fix_flag = "`--fix --unsafe-fixes`" if report.unsafe_fixes else "`--fix`"
    parts = []
    if report.would_fix:
        apply = "run without `--diff` to apply" if report.fix else f"run with {fix_flag} to apply"
        parts.append(
            f"Would fix {report.would_fix} {_plural(report.would_fix, 'finding')}"
            f" (the diff above); {apply}."
        )
    if report.fix and not report.diff:
        parts.append(_fixed_sentence(report, style))
    elif report.findings:
        parts.append(_found_sentence(report, style, fix_flag))
    elif not report.errors and not report.would_fix:
        parts.append(f"All checks passed ({_files(report)}).")
    parts.append(_fail_level_sentence(report))
    return " ".join(part for part in parts if part)


def _found_sentence(report: Report, style: Style, fix_flag: str) -> str:
    count = len(report.findings)
    fixable = sum(1 for f in report.findings if f.fix_applies(report.unsafe_fixes))
    hidden = sum(1 for f in report.findings if f.fixable) - fixable
    flagged = len({f.path for f in report.findings})
    text = (
        f"Found {count} {_plural(count, 'finding')} in {flagged} of {_files(report)}: "
        + by_severity(report.findings, style)
    )
    notes = []
    if fixable:
        notes.append(f"{fixable} fixable with {fix_flag}, marked [*]")
    if hidden:
        notes.append(f"{hidden} more with `--fix --unsafe-fixes`")
    if notes:
        text += f" ({'; '.join(notes)})"
    return text + "."


def _fixed_sentence(report: Report, style: Style) -> str:
    """``--fix``: ``Found N findings in F of M files (X fixed, Y remaining: ...).``"""
    fixed, remaining = len(report.applied), len(report.findings)
    if not fixed and not remaining:
        return "" if report.errors else f"All checks passed ({_files(report)})."
    flagged = len({f.path for f in report.findings} | {fix.path for fix in report.applied})
    text = (
        f"Found {fixed + remaining} {_plural(fixed + remaining, 'finding')} in {flagged} of "
        f"{_files(report)} ({fixed} fixed, {remaining} remaining"
    )
    if remaining:
        text += ": " + by_severity(report.findings, style)
    hidden = sum(
        1 for f in report.findings if f.fixable and not f.fix_applies(report.unsafe_fixes)
    )
    if hidden:
        text += f"; {hidden} of them fixable with `--fix --unsafe-fixes`"
    return text + ")."


def _fail_level_sentence(report: Report) -> str:
    """Said only when the fail level is above ``info``: which findings fail the run."""
    if report.fail_level == Severity.INFO or not report.findings:
        return ""
    failing = sum(1 for f in report.findings if f.severity.at_least(report.fail_level))
    level = f"the fail level ({report.fail_level.value})"
    return f"{failing} at or above {level}." if failing else f"None at or above {level}."


def by_severity(findings: list[Finding], style: Style = PLAIN) -> str:
    """``2 errors, 84 warnings``: the counts of the severities present, gravest first."""
    counts = Counter(f.severity for f in findings)
    return ", ".join(
        style.severity(
            severity, f"{counts[severity]} {_severity_noun(severity, counts[severity])}"
        )
        for severity in SEVERITIES
        if counts[severity]
    )


def _severity_noun(severity: Severity, count: int) -> str:
    return "info" if severity == Severity.INFO else _plural(count, severity.value)


def _files(report: Report) -> str:
    return f"{len(report.files)} {_plural(len(report.files), 'file')}"


def _plural(count: int, noun: str) -> str:
    return noun if count == 1 else noun + "s"
