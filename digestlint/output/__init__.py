"""Output formats. Each formatter turns a run's findings into the text to print."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING

from digestlint.severity import Severity

if TYPE_CHECKING:
    from digestlint.findings import Finding

Formatter = Callable[["Report"], str]


@dataclass(frozen=True)
class AppliedFix:
    """A fix ``--fix`` applied (or ``--diff`` shows), where its finding was in the file
    as it was read."""

    path: str
    line: int
    column: int
    code: str
    name: str
    title: str = ""
    """The fix's own description (``Fix.message``), if it has one."""


@dataclass
class Report:
    """Everything a formatter may need about one run."""

    findings: list[Finding]
    files: list[str] = field(default_factory=list)
    applied: list[AppliedFix] = field(default_factory=list)
    """The fixes this run applied (with ``--diff``: the fixes the diff shows)."""
    errors: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    """The text each finding's path was linted as (after fixes), for formats that quote
    or fingerprint lines; formats read the file when a path is missing here."""
    unsafe_fixes: bool = False
    """Whether this run applies unsafe fixes (`--unsafe-fixes`): only the fixes the run
    would apply are marked [*] in text output."""
    newlines: dict[str, str] = field(default_factory=dict)
    """Each path's line ending when it is not ``\\n`` (``\\r\\n``), for formats that
    give text to put in the file (SARIF fixes)."""
    would_fix: int = 0
    """With `--diff`: how many findings the printed diff fixes."""
    fix: bool = False
    """`--fix` was given (with `--diff`, nothing is written)."""
    diff: bool = False
    """`--diff` was given."""
    fail_level: Severity = Severity.INFO
    """The lowest severity that fails the run (`--fail-level`, `fail-level`)."""

    def failing(self) -> list[Finding]:
        """The findings at or above the fail level: the run exits 1 if there are any."""
        return [f for f in self.findings if f.severity.at_least(self.fail_level)]


def format_json(report: Report) -> str:
    return json.dumps([f.to_json() for f in report.findings], ensure_ascii=False, indent=2) + "\n"


class _Formatters(Mapping[str, Formatter]):
    """Format name -> formatter, each module imported when its format is chosen: a run
    prints one format, and importing them all (XML for JUnit, jinja2 for HTML) cost
    every run's startup. The names are known without importing anything (``--help``)."""

    def __init__(self, where: dict[str, str]) -> None:
        self._where = where
        """Format name -> ``module:function``."""

    def __getitem__(self, name: str) -> Formatter:
        module, function = self._where[name].split(":")
        formatter: Formatter = getattr(import_module(module), function)
        return formatter

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)


FORMATTERS: Mapping[str, Formatter] = _Formatters(
    {
        "text": "digestlint.output.text:format_text",
        "json": "digestlint.output:format_json",
        "github": "digestlint.output.github:format_github",
        "gitlab": "digestlint.output.gitlab:format_gitlab",
        "junit": "digestlint.output.junit:format_junit",
        "sarif": "digestlint.output.sarif:format_sarif",
        "html": "digestlint.output.html:format_html",
    }
)
