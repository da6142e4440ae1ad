"""``--format junit``: JUnit XML, for CI systems that show test reports.

One ``<testsuite>`` per file; each finding is a failed ``<testcase>``, a clean file is
one passing test case, and a file that could not be read is an ``<error>``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import TYPE_CHECKING

from digestlint.findings import Finding

if TYPE_CHECKING:
    from digestlint.output import Report


# Characters XML 1.0 cannot hold, even escaped: C0 controls other than tab and line
# breaks, lone surrogates, U+FFFE and U+FFFF. A finding may quote them from a report.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` with the characters XML cannot hold shown as ``\\xNN`` escapes."""
    return _NOT_XML.sub(lambda match: ascii(match.group())[1:-1], text)


def format_junit(report: Report) -> str:
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        by_file[finding.path].append(finding)
    root = ET.Element("testsuites", name="digestlint")
    files = list(dict.fromkeys([*report.files, *by_file]))
    for path in files:
        _suite(root, path, by_file.get(path, []))
    if report.errors:
        count = str(len(report.errors))
        suite = ET.SubElement(
            root, "testsuite", name="digestlint", tests=count, failures="0", errors=count
        )
        for error in report.errors:
            case = ET.SubElement(suite, "testcase", name=error, classname="digestlint")
            ET.SubElement(case, "error", message=error)
    root.set(
        "tests", str(sum(max(len(by_file.get(p, [])), 1) for p in files) + len(report.errors))
    )
    root.set("failures", str(len(report.findings)))
    root.set("errors", str(len(report.errors)))
    ET.indent(root)
    # ElementTree escapes markup but passes control characters through: shown escaped.
    return xml_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
    )


def _suite(root: ET.Element, path: str, findings: list[Finding]) -> None:
    suite = ET.SubElement(
        root,
        "testsuite",
        name=path,
        tests=str(max(len(findings), 1)),
        failures=str(len(findings)),
        errors="0",
    )
    if not findings:
        ET.SubElement(suite, "testcase", name="digestlint", classname=path)
        return
    for finding in findings:
        case = ET.SubElement(
            suite,
            "testcase",
            name=f"{finding.code} {finding.name} at line {finding.line}, column {finding.column}",
            classname=path,
            file=path,
            line=str(finding.line),
        )
        failure = ET.SubElement(case, "failure", message=finding.message, type=finding.code)
        failure.text = (
            f"{path}:{finding.line}:{finding.column}: {finding.code} [{finding.name}] "
            f"{finding.message}"
        )
