"""Stable identities for findings, shared by the SARIF and GitLab formats.

A fingerprint must survive edits elsewhere in the file: CI systems use it to tell a new
finding from one that only moved. So it hashes the rule, the file and the text of the
lines the finding covers (whitespace collapsed), plus how many identical findings came
before it, and never the line number or the message (messages may mention lines).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

from digestlint.findings import Finding


def relative_posix(path: str) -> str:
    """``path`` as the CI sees it: relative to the working directory when inside it."""
    candidate = Path(path)
    if candidate.is_absolute():
        try:
            return candidate.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return candidate.as_posix()
    return candidate.as_posix()


def source_of(path: str, sources: Mapping[str, str]) -> str:
    """The text a finding was made on: the run's copy, else the file on disk, else ``""``."""
    if path in sources:
        return sources[path]
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def covered_lines(finding: Finding, lines: list[str]) -> str:
    """The lines (of the file's ``lines``) the finding covers, whitespace collapsed; a
    range that ends at the very start of a line does not cover that line."""
    last = finding.end_line
    if last > finding.line and finding.end_column == 1:
        last -= 1
    return " ".join(" ".join(lines[finding.line - 1 : last]).split())


def fingerprints(findings: list[Finding], sources: Mapping[str, str]) -> list[str]:
    """One hex fingerprint per finding, in order."""
    # Split once per file: splitting per finding made a many-finding file quadratic.
    lines_of: dict[str, list[str]] = {}
    seen: Counter[tuple[str, str, str]] = Counter()
    result = []
    for finding in findings:
        if finding.path not in lines_of:
            lines_of[finding.path] = source_of(finding.path, sources).split("\n")
        covered = covered_lines(finding, lines_of[finding.path])
        key = (finding.code, relative_posix(finding.path), covered)
        occurrence = seen[key]
        seen[key] += 1
        material = "\0".join([*key, str(occurrence)])
        result.append(hashlib.sha256(material.encode("utf-8")).hexdigest())
    return result
