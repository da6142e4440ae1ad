"""``--format sarif``: SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, IDE viewers).

https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from digestlint import __version__
from digestlint.docs import doc_sections, short_description
from digestlint.findings import Applicability, Finding, Fix, Severity
from digestlint.output.fingerprints import fingerprints, relative_posix, source_of
from digestlint.registry import Rule, all_rules
from digestlint.source import SourceText

if TYPE_CHECKING:
    from digestlint.output import Report

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/digestlint/digestlint"
RULES_URI = INFORMATION_URI + "/blob/main/docs/rules.md"
SOURCE_ROOT = "%SRCROOT%"
FINGERPRINT_KEY = "digestlint/v1"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def format_sarif(report: Report) -> str:
    return json.dumps(sarif_log(report), ensure_ascii=False, indent=2) + "\n"


def sarif_log(report: Report) -> dict[str, Any]:
    rules = all_rules()
    index = {r.code: position for position, r in enumerate(rules)}
    prints = fingerprints(report.findings, report.sources)
    texts = {path: source_of(path, report.sources) for path in {f.path for f in report.findings}}
    lines_of = {path: _lines(text) for path, text in texts.items()}
    sources = {path: SourceText(text) for path, text in texts.items()}
    results = []
    for f, fingerprint in zip(report.findings, prints, strict=True):
        data = result(f, index[f.code], fingerprint, lines_of[f.path])
        if f.fix is not None and texts[f.path]:
            newline = report.newlines.get(f.path, "\n")
            data["fixes"] = [sarif_fix(f.fix, f.path, sources[f.path], newline)]
        results.append(data)
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "digestlint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [descriptor(r) for r in rules],
            }
        },
        "invocations": [invocation(report)],
        "originalUriBaseIds": {SOURCE_ROOT: {"uri": Path.cwd().as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def descriptor(rule: Rule) -> dict[str, Any]:
    """A ``reportingDescriptor``: everything a viewer shows about a rule."""
    sections = doc_sections(rule)
    what = " ".join(sections.get("What it does", "").split()) or short_description(rule)
    return {
        "id": rule.code,
        "name": _pascal(rule.name),
        "shortDescription": {"text": _sentence(short_description(rule))},
        "fullDescription": {"text": _sentence(what)},
        "help": {"text": rule.doc, "markdown": rule.doc},
        "helpUri": f"{RULES_URI}#{rule.code.lower()}-{rule.name}",
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": [rule.family], "fixable": rule.fixable},
    }


def result(
    finding: Finding, rule_index: int, fingerprint: str, lines: list[str]
) -> dict[str, Any]:
    region: dict[str, Any] = {
        "startLine": finding.line,
        "startColumn": finding.column,
        "endLine": finding.end_line,
        "endColumn": finding.end_column,
    }
    snippet = _snippet(finding, lines)
    if snippet:
        region["snippet"] = {"text": snippet}
    return {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": _sentence(finding.message)},
        "locations": [
            {"physicalLocation": {"artifactLocation": _artifact(finding.path), "region": region}}
        ],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        "properties": {"fixable": finding.fixable},
    }


def sarif_fix(fix: Fix, path: str, source: SourceText, newline: str = "\n") -> dict[str, Any]:
    """A SARIF ``fix``: the fix's edits as replacements in the file. Regions are lines
    and columns (code points, as the run's ``columnKind`` says), so they hold in the file
    whatever its line endings; inserted text gets the file's own (``newline``)."""
    replacements = []
    for edit in sorted(fix.edits, key=lambda e: (e.start, e.end)):
        start_line, start_column = source.position(edit.start)
        end_line, end_column = source.position(edit.end)
        replacement: dict[str, Any] = {
            "deletedRegion": {
                "startLine": start_line,
                "startColumn": start_column,
                "endLine": end_line,
                "endColumn": end_column,
            }
        }
        if edit.content:
            replacement["insertedContent"] = {"text": edit.content.replace("\n", newline)}
        replacements.append(replacement)
    description = fix.message or "apply digestlint's fix"
    if fix.applicability == Applicability.UNSAFE:
        description += " (an unsafe fix: `--fix` applies it only with `--unsafe-fixes`)"
    return {
        "description": {"text": _sentence(description[:1].upper() + description[1:])},
        "artifactChanges": [{"artifactLocation": _artifact(path), "replacements": replacements}],
        "properties": {"applicability": fix.applicability.value},
    }


def invocation(report: Report) -> dict[str, Any]:
    data: dict[str, Any] = {"executionSuccessful": not report.errors}
    if report.errors:
        data["toolExecutionNotifications"] = [
            {"level": "error", "message": {"text": _sentence(error)}} for error in report.errors
        ]
    return data


def _artifact(path: str) -> dict[str, Any]:
    """A relative URI under ``%SRCROOT%`` (the working directory) when possible, as code
    scanning expects paths relative to the repository root."""
    relative = relative_posix(path)
    if Path(relative).is_absolute():
        return {"uri": Path(relative).as_uri()}
    return {"uri": quote(relative), "uriBaseId": SOURCE_ROOT}


def _lines(text: str) -> list[str]:
    """``text`` split into lines, none for an empty (or unreadable) file."""
    return text.split("\n") if text else []


def _snippet(finding: Finding, lines: list[str]) -> str:
    """The finding's text (from its file's ``lines``), for viewers that do not have the file."""
    if not lines:
        return ""
    if finding.line > len(lines):
        return ""
    if finding.line == finding.end_line:
        return lines[finding.line - 1][finding.column - 1 : finding.end_column - 1]
    first = lines[finding.line - 1][finding.column - 1 :]
    middle = lines[finding.line : finding.end_line - 1]
    last = (
        lines[finding.end_line - 1][: finding.end_column - 1]
        if finding.end_line <= len(lines)
        else ""
    )
    return "\n".join([first, *middle, last])


def _pascal(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("-"))


def _sentence(text: str) -> str:
    """SARIF messages are sentences: they end with a period."""
    text = text.strip()
    return text if text.endswith((".", "。", "!", "?", "！", "？")) else text + "."
