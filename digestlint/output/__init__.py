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
    unsafe_fixes: bool = False
    """Whether this run applies unsafe fixes (`--unsafe-fixes`): only the fixes the run
    would apply are marked [*] in text output."""
    would_fix: int = 0
    """With `--diff`: how many findings the printed diff fixes."""


def format_text(report: Report) -> str:
    lines = [
        f"{f.path}:{f.line}:{f.column}: {f.code} [{f.name}] {f.message}"
        + (" [*]" if f.fix_applies(report.unsafe_fixes) else "")
        for f in report.findings
    ]
    return "\n".join(lines) + ("\n" if lines else "")


def format_json(report: Report) -> str:
    return json.dumps([f.to_json() for f in report.findings], ensure_ascii=False, indent=2) + "\n"


def format_statistics(report: Report, as_json: bool = False) -> str:
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
        f"{count:5d}  {code}  {'[*]' if code in fixable else '   '} {name}\n"
        for (code, name), count in counts.most_common()
    )


def format_html(report: Report) -> str:
    """``--format html``: the review page. Its module (and jinja2) load only when chosen."""
    from digestlint.output.html import format_html as render_page

    return render_page(report)


FORMATTERS: dict[str, Formatter] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
    "gitlab": format_gitlab,
    "junit": format_junit,
    "sarif": format_sarif,
    "html": format_html,
}


def summary(report: Report) -> str:
    """The closing line of text output."""
    count = len(report.findings)
    fixable = sum(1 for f in report.findings if f.fix_applies(report.unsafe_fixes))
    hidden = sum(1 for f in report.findings if f.fixable) - fixable
    fix_flag = "`--fix --unsafe-fixes`" if report.unsafe_fixes else "`--fix`"
    parts = []
    if report.fixed:
        parts.append(f"Fixed {report.fixed} {_plural(report.fixed, 'finding')}.")
    if report.would_fix:
        parts.append(
            f"Would fix {report.would_fix} {_plural(report.would_fix, 'finding')}"
            f" (the diff above); run with {fix_flag} to apply."
        )
    if count:
        files = f"{len(report.files)} {_plural(len(report.files), 'file')}"
        text = f"Found {count} {_plural(count, 'finding')} in {len({f.path for f in report.findings})} of {files}"
        notes = []
        if fixable:
            notes.append(f"{fixable} fixable with {fix_flag}, marked [*]")
        if hidden:
            notes.append(f"{hidden} more with `--fix --unsafe-fixes`")
        if notes:
            text += f" ({'; '.join(notes)})"
        parts.append(text + ".")
    elif not report.errors and not report.would_fix:
        files = f"{len(report.files)} {_plural(len(report.files), 'file')}"
        parts.append(f"All checks passed ({files}).")
    return " ".join(parts)


def _plural(count: int, noun: str) -> str:
    return noun if count == 1 else noun + "s"
