"""The GitHub Actions job summary: with ``--format github`` and ``GITHUB_STEP_SUMMARY``
set, a Markdown summary is appended to that file (the run's page shows it).

It says whether the run passes its fail level, counts the findings per rule and per file
(with how many are fixable), and lists the first findings with links to their lines.
Every text taken from a report or a message is escaped: a summary shows it, never renders
it as Markdown or HTML.

https://docs.github.com/actions/reference/workflow-commands-for-github-actions#adding-a-job-summary
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from digestlint.findings import Finding, Severity
from digestlint.output.fingerprints import relative_posix

if TYPE_CHECKING:
    from digestlint.output import Report

FIRST_FINDINGS = 30
"""Findings listed one by one; the annotations and the log have all of them."""
MOST_FILES = 50
LONGEST_MESSAGE = 300
SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character


def escaped(text: str) -> str:
    """``text`` as literal Markdown inline text: every ASCII punctuation character
    backslash-escaped (CommonMark allows it for all of them), line breaks as spaces."""
    return _PUNCTUATION.sub(r"\\\1", " ".join(text.split()))


def job_summary(report: Report, environ: Mapping[str, str]) -> str:
    findings = report.findings
    fixable = [f for f in findings if f.fix_applies(report.unsafe_fixes)]
    failing = report.failing()
    level = report.fail_level.value
    parts = ["## digestlint\n"]
    if report.errors:
        parts.append(f"❌ **{len(report.errors)} {_plural(len(report.errors), 'error')}: "
                     "some files could not be linted** (see below).\n")  # fmt: skip
    if failing:
        parts.append(
            f"❌ **{len(failing)} {_plural(len(failing), 'finding')} at or above "
            f"`{level}`** fail this run.\n"
        )
    elif not report.errors:
        parts.append(f"✅ No finding at or above `{level}`.\n")
    files = len(report.files)
    if findings:
        flagged = len({f.path for f in findings})
        parts.append(
            f"{len(findings)} {_plural(len(findings), 'finding')} in {flagged} of {files} "
            f"{_plural(files, 'file')}: {_by_severity(findings)}; {len(fixable)} fixable "
            "with `digestlint --fix`.\n"
        )
        parts.append(_per_rule(findings, report.unsafe_fixes))
        parts.append(_per_file(findings, report.unsafe_fixes))
        parts.append(_first_findings(findings, environ))
    else:
        parts.append(f"No findings in {files} {_plural(files, 'file')}.\n")
    if report.errors:
        parts.append(
            "### Errors\n\n" + "".join(f"- {escaped(error)}\n" for error in report.errors)
        )
    return "\n".join(parts)


def _per_rule(findings: list[Finding], unsafe: bool) -> str:
    counts = Counter((f.code, f.name) for f in findings)
    fixable = Counter(f.code for f in findings if f.fix_applies(unsafe))
    rows = [
        f"| {code} {escaped(name)} | {count} | {fixable[code]} |"
        for (code, name), count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]
    return "### Findings per rule\n\n| Rule | Findings | Fixable |\n| --- | ---: | ---: |\n" + (
        "\n".join(rows) + "\n"
    )


def _per_file(findings: list[Finding], unsafe: bool) -> str:
    by_file: dict[str, list[Finding]] = {}
    for finding in findings:
        by_file.setdefault(finding.path, []).append(finding)
    ranked = sorted(by_file.items(), key=lambda item: (-len(item[1]), item[0]))
    rows = []
    for path, found in ranked[:MOST_FILES]:
        severities = Counter(f.severity for f in found)
        counts = " | ".join(str(severities[severity]) for severity in SEVERITIES)
        fixable = sum(1 for f in found if f.fix_applies(unsafe))
        rows.append(f"| {escaped(relative_posix(path))} | {len(found)} | {counts} | {fixable} |")
    more = len(ranked) - MOST_FILES
    text = (
        "### Findings per file\n\n"
        "| File | Findings | Errors | Warnings | Info | Fixable |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: |\n" + "\n".join(rows) + "\n"
    )
    if more > 0:
        text += f"\n… and {more} more {_plural(more, 'file')}.\n"
    return text


def _first_findings(findings: list[Finding], environ: Mapping[str, str]) -> str:
    ordered = sorted(findings, key=lambda f: (-f.severity.rank, f.sort_key))
    rows = []
    for finding in ordered[:FIRST_FINDINGS]:
        message = finding.message
        if len(message) > LONGEST_MESSAGE:
            message = message[: LONGEST_MESSAGE - 1] + "…"
        rows.append(
            f"| {_place(finding, environ)} | {finding.severity.value} | "
            f"{finding.code} {escaped(finding.name)} | {escaped(message)} |"
        )
    more = len(findings) - FIRST_FINDINGS
    title = "First findings" if more > 0 else "Findings"
    text = (
        f"### {title}\n\n| Where | Severity | Rule | Message |\n| --- | --- | --- | --- |\n"
        + "\n".join(rows)
        + "\n"
    )
    if more > 0:
        text += f"\n… and {more} more: see the annotations and the step's log.\n"
    return text


def _place(finding: Finding, environ: Mapping[str, str]) -> str:
    """``path:line:column``, linked to the line in the commit the run checked out when
    the run is on GitHub (``GITHUB_SERVER_URL``, ``GITHUB_REPOSITORY``, ``GITHUB_SHA``)
    and the file is inside the working directory."""
    path = relative_posix(finding.path)
    label = escaped(f"{path}:{finding.line}:{finding.column}")
    server = environ.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/")
    repository, commit = environ.get("GITHUB_REPOSITORY"), environ.get("GITHUB_SHA")
    if not (repository and commit) or Path(path).is_absolute() or path.startswith("../"):
        return label
    url = f"{server}/{quote(repository)}/blob/{quote(commit)}/{quote(path)}#L{finding.line}"
    return f"[{label}](<{url}>)"


def append_job_summary(report: Report, path: Path, environ: Mapping[str, str]) -> None:
    """Append the summary to ``path`` (``GITHUB_STEP_SUMMARY``); raises ``OSError``."""
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(job_summary(report, environ))


def _by_severity(findings: list[Finding]) -> str:
    counts = Counter(f.severity for f in findings)
    return ", ".join(
        f"{counts[s]} {'info' if s == Severity.INFO else _plural(counts[s], s.value)}"
        for s in SEVERITIES
        if counts[s]
    )


def _plural(count: int, noun: str) -> str:
    return noun if count == 1 else noun + "s"
