"""``--format gitlab``: GitLab Code Quality report (a subset of the Code Climate format).

https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from digestlint.findings import Severity
from digestlint.output.fingerprints import fingerprints, relative_posix

if TYPE_CHECKING:
    from digestlint.output import Report

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def format_gitlab(report: Report) -> str:
    prints = fingerprints(report.findings, report.sources)
    issues: list[dict[str, Any]] = [
        {
            "type": "issue",
            "description": f"{f.code} {f.message}",
            "check_name": f"{f.code} {f.name}",
            "categories": ["Style"],
            "fingerprint": fingerprint,
            "severity": SEVERITIES[f.severity],
            "location": {
                "path": relative_posix(f.path),
                "lines": {"begin": f.line, "end": f.end_line},
            },
        }
        for f, fingerprint in zip(report.findings, prints, strict=True)
    ]
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"
