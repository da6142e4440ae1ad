"""Archive checks: the reports of one run compared with each other (docs/source.md).

Two steps, so that the per-file work can run anywhere (a worker process, a result
cache) and only the comparison needs every report:

1. :func:`record_of` turns a finished lint pass into a :class:`ReportRecord`: the
   report's day, the papers it lists (arXiv ids without their version, with where
   each is first written), and what the comparison needs of its settings (which
   archive rules are enabled for the file, their severities, the lines inline
   suppressions cover). A record is a plain, picklable dataclass.
2. :func:`archive_findings` is a pure function over every record of the run: the
   findings of the archive rules, by path. Records marked ``context`` (``--archive
   DIR``) are compared with but never reported on.

A report is never compared with itself: a paper listed twice in one report (a
cross-listing) is paper-duplicate's (DL710) business, not a repeat across days.
"""

from __future__ import annotations

import posixpath
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from pathlib import PurePath
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from digestlint.findings import Finding, Severity
from digestlint.registry import Rule, step_rule

if TYPE_CHECKING:
    from digestlint.lintpass import LintPass

PAPER_REPEATED = step_rule(
    "DL621",
    "paper-repeated",
    severity=Severity.WARNING,
    structural=False,
    cross_report=True,
    family="archive",
    doc="""## What it does
    When several reports are checked in one run (a directory, or files with `--archive
    DIR`), checks that no paper of a report was already listed by a report of an
    earlier day. Papers are the arXiv ids of the paper links (arXiv and Hugging Face
    paper pages), without their version: `2504.17018v2` is `2504.17018`. The finding
    is in the later report, on the paper's link, and names the earlier file and line.
    With `allow-repeats-after-days = N` under `[tool.digestlint.archive]`, a paper may
    come back more than N days later.

    ## Why is this bad?
    A daily digest is read as "what is new today". A paper from yesterday's report,
    often under a new version number, is a pipeline that did not remember what it
    already published.

    ## Example
    ```markdown
    <!-- 2026-02-21.md; 2026-02-20.md already lists 2602.17365 -->
    - **链接**: https://huggingface.co/papers/2602.17365v2
    ```

    ## Use instead
    Leave the paper out of the later day, or allow deliberate repeats with
    `allow-repeats-after-days`.

    ## Fix safety
    Not fixable: which report should keep the paper is the editor's decision.
    """,
)
DAY_REPEATED = step_rule(
    "DL622",
    "day-repeated",
    structural=False,
    cross_report=True,
    family="archive",
    doc="""## What it does
    When several reports are checked in one run, checks that a report's papers (two
    or more) are not all papers of one earlier day's report: a re-run published as a
    new day. One finding on the report's date (or title) instead of one per paper.

    ## Why is this bad?
    A digest that repeats the day before tells its readers nothing new and hides that
    the day's own papers were never summarised.

    ## Example
    ```markdown
    **Date**: 2026-02-21   <!-- every paper is one of 2026-02-20.md's -->
    ```

    ## Use instead
    The papers of 2026-02-21, fetched again.

    ## Fix safety
    Not fixable.
    """,
)
DAY_DUPLICATE = step_rule(
    "DL623",
    "day-duplicate",
    structural=False,
    cross_report=True,
    family="archive",
    doc="""## What it does
    When several reports are checked in one run, checks that no two reports are of
    the same day (by their Date field; under a profile without one, by the first date,
    `2026-02-20`, `20260220` or `2026年2月20日`, in the file name, else the title, else
    the name of the directory it is in). Each report of the day is reported, naming the
    others.

    A day split over several files is one report: two files of one day are not
    reported when one links to the other by relative path (an index and its part,
    `[大模型相关研究](./02-llm/part-01.md)`), another file of the run links to both, or
    both are in a directory named after the day (`papers/2026-02-20/part-01.md`).

    ## Why is this bad?
    Two reports of one day are a re-run saved under a second name, or a report whose
    date is wrong; readers of the archive see the day twice.

    ## Example
    ```text
    reports/2026-02-20.md
    reports/2026-02-20-rerun.md
    ```

    ## Use instead
    One report per day.

    ## Fix safety
    Not fixable.
    """,
)
ARCHIVE_RULES = (PAPER_REPEATED, DAY_REPEATED, DAY_DUPLICATE)
ARCHIVE_CODES = frozenset(r.code for r in ARCHIVE_RULES)

_PAPER_URL = re.compile(
    r"(?:arxiv\.org/(?:abs|pdf|html)/|huggingface\.co/papers/)(?P<id>\d{4}\.\d{4,5})(?:v\d+)?",
    re.IGNORECASE,
)
_ARXIV_ID = re.compile(r"(?P<id>\d{4}\.\d{4,5})(?:v\d+)?")
_DAY = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<sep>[-_.]?)(?P<m>\d{2})(?P=sep)(?P<d>\d{2})(?!\d)"
)
_DAY_IN_CHINESE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]"
)


@dataclass(frozen=True)
class Span:
    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class Mention:
    """A paper of a report: its arXiv id (no version) where the report first names it."""

    id: str
    span: Span


@dataclass(frozen=True)
class ReportRecord:
    """What the cross-report step knows of one report."""

    path: str
    day: date | None
    day_span: Span
    """Where findings about the whole report go: the Date value, else the title."""
    papers: tuple[Mention, ...]
    enabled: frozenset[str]
    """The archive rules enabled for this file (``select``, ``ignore``, per-file ignores)."""
    severities: tuple[tuple[str, Severity], ...]
    suppressed: tuple[tuple[int, frozenset[str]], ...] = ()
    """Lines on which inline suppressions disable archive rules, and which."""
    allow_repeats_after_days: int | None = None
    context: bool = False
    """Given with ``--archive``: compared with, never reported on."""
    links_to: frozenset[str] = frozenset()
    """The other reports (Markdown files) it links to by relative path, as
    :func:`report_key` writes paths: a day's index links to the day's parts."""
    in_day_directory: bool = False
    """Whether the directory it is in is named after its day (``papers/2026-08-21/``):
    the files of such a directory are the parts of that day's report."""

    @cached_property
    def key(self) -> str:
        return report_key(self.path)

    @cached_property
    def directory(self) -> str:
        return posixpath.dirname(self.key)

    def as_context(self) -> ReportRecord:
        return replace(self, context=True)


# -- step 1: one report --------------------------------------------------------------


def record_of(lint_pass: LintPass) -> ReportRecord:
    """The record of the report ``lint_pass`` linted."""
    settings = lint_pass.settings
    enabled = settings.enabled_for(lint_pass.path)
    day, day_span = _day(lint_pass)
    return ReportRecord(
        path=lint_pass.path,
        day=day,
        day_span=day_span,
        papers=tuple(_papers(lint_pass)),
        enabled=frozenset(code for code in ARCHIVE_CODES if code in enabled),
        severities=tuple((code, settings.severities[code]) for code in sorted(ARCHIVE_CODES)),
        suppressed=_suppressed_lines(lint_pass),
        allow_repeats_after_days=settings.config.archive.allow_repeats_after_days,
        links_to=frozenset(_linked_reports(lint_pass)),
        in_day_directory=day is not None
        and _first_day(PurePath(lint_pass.path).parent.name) == day,
    )


def report_key(path: str) -> str:
    """A report's path as the archive compares paths: ``a/./b.md`` is ``a/b.md``."""
    return posixpath.normpath(PurePath(path).as_posix())


_REPORT_SUFFIXES = (".md", ".markdown")


def _linked_reports(lint_pass: LintPass) -> set[str]:
    """The Markdown files the report links to by relative path (``./01-llm/part-01.md``,
    ``../index.md``), as :func:`report_key` writes them."""
    here = posixpath.dirname(report_key(lint_pass.path))
    found: set[str] = set()
    for link in lint_pass.document.links:
        parts = urlsplit(link.url)
        if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
            continue
        target = unquote(parts.path)
        if target.lower().endswith(_REPORT_SUFFIXES):
            found.add(report_key(posixpath.join(here, target)))
    return found


def _span(lint_pass: LintPass, start: int, end: int) -> Span:
    source = lint_pass.source
    return Span(*source.position(start), *source.position(end))


def _day(lint_pass: LintPass) -> tuple[date | None, Span]:
    """The report's day, and where to report about the report as a whole."""
    document, profile = lint_pass.document, lint_pass.profile
    spec = profile.header_field_by_key(profile.date_field)
    entry = document.header.field(spec.label) if spec else None
    title = document.header.title or next((h for h in document.headings if h.level == 1), None)
    if title is not None:
        where = _span(lint_pass, title.start, title.end)
    else:
        where = _span(lint_pass, 0, lint_pass.source.line_end(1))
    if entry is not None:
        value = lint_pass.source.text[entry.value_start : entry.value_end]
        stripped = value.strip()
        at = entry.value_start + value.find(stripped)
        try:
            return date.fromisoformat(stripped), _span(lint_pass, at, at + len(stripped))
        except ValueError:
            return None, where  # header-field-invalid reports it
    if spec is not None:
        return None, where  # the profile has a Date field and this report has none
    path = PurePath(lint_pass.path)
    for text in (path.name, title.plain if title else "", path.parent.name):
        found = _first_day(text)
        if found is not None:
            return found, where
    return None, where


def _first_day(text: str) -> date | None:
    matches = [*_DAY.finditer(text), *_DAY_IN_CHINESE.finditer(text)]
    for match in sorted(matches, key=lambda match: match.start()):
        try:
            return date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            continue
    return None


def _papers(lint_pass: LintPass) -> list[Mention]:
    """The report's papers, each once, where first named: the profile's paper links, or
    (a profile without a link field) the first arXiv or Hugging Face paper link under
    each heading. Only the first: what follows it in the same block (a related paper,
    a baseline, a paper of an earlier day it is compared with) is not the report's."""
    found: dict[str, Mention] = {}
    if lint_pass.profile.link_field:
        for link in lint_pass.paper_links:
            match = _ARXIV_ID.fullmatch(link.id or "")
            if match is not None:
                span = _span(lint_pass, link.id_start, link.id_end)
                found.setdefault(match["id"], Mention(match["id"], span))
        return list(found.values())
    heading_lines = sorted(h.line for h in lint_pass.document.headings)
    taken: set[int] = set()
    for link in lint_pass.document.links:
        match = _PAPER_URL.search(link.url)
        if match is None:
            continue
        block = bisect_right(heading_lines, link.line)  # the heading above it, by count
        if block in taken:
            continue
        taken.add(block)
        span = _span(lint_pass, link.start, link.end)
        found.setdefault(match["id"], Mention(match["id"], span))
    return list(found.values())


def _suppressed_lines(lint_pass: LintPass) -> tuple[tuple[int, frozenset[str]], ...]:
    from digestlint.suppressions import build_table, parse_directives

    directives = parse_directives(lint_pass.document, lint_pass.source, lint_pass.settings.rules)
    if not directives:
        return ()
    table = build_table(directives, lint_pass.source.line_count)
    lines = []
    for number, codes in enumerate(table.lines):
        disabled = ARCHIVE_CODES & set(codes)
        if number and disabled:
            lines.append((number, frozenset(disabled)))
    return tuple(lines)


# -- step 2: every report ------------------------------------------------------------


def archive_findings(records: list[ReportRecord]) -> dict[str, list[Finding]]:
    """The archive rules' findings for ``records`` (every report of a run), by path;
    none for a ``context`` record."""
    archive = _Archive([r for r in records if r.day is not None])
    archive.indexes = [r.links_to for r in records if len(r.links_to) >= 2]
    found: dict[str, list[Finding]] = {}
    for record in archive.dated:
        if record.context:
            continue
        made = list(_same_day(record, archive))
        rerun = _rerun_of(record, archive)
        if rerun is not None:
            made.append(_day_repeated(record, rerun))
        else:
            made.extend(_repeats(record, archive))
        kept = [f for f in made if _reported(record, f)]
        if kept:
            found[record.path] = sorted(kept, key=lambda f: f.sort_key)
    return found


class _Archive:
    """The dated records of a run, indexed by day and by paper: a run over a thousand
    reports compares each paper with the few reports that have it, not with all."""

    def __init__(self, dated: list[ReportRecord]) -> None:
        self.dated = sorted(dated, key=_order)
        self.by_day: dict[date, list[ReportRecord]] = defaultdict(list)
        self.by_paper: dict[str, list[tuple[ReportRecord, Mention]]] = defaultdict(list)
        self.paper_days: dict[str, list[date]] = defaultdict(list)
        """The day of each entry of :attr:`by_paper`, which is in day order."""
        self.papers_of: dict[int, frozenset[str]] = {}
        self._unlinked: dict[date, bool] = {}
        self.indexes: list[frozenset[str]] = []
        """What each report of the run linking to several reports links to, dated or
        not (a day's index page may carry no date of its own)."""
        for record in self.dated:
            assert record.day is not None
            self.by_day[record.day].append(record)
            self.papers_of[id(record)] = frozenset(m.id for m in record.papers)
            for mention in record.papers:
                self.by_paper[mention.id].append((record, mention))
                self.paper_days[mention.id].append(record.day)

    def unlinked_day(self, day: date) -> bool:
        """Whether :func:`_parts_of_one_day` is false for every two reports of ``day``."""
        if day not in self._unlinked:
            self._unlinked[day] = not self.indexes and not any(
                r.in_day_directory or r.links_to for r in self.by_day[day]
            )
        return self._unlinked[day]

    def earlier(self, record: ReportRecord, paper: str) -> list[tuple[ReportRecord, Mention]]:
        """Where reports of days before ``record``'s name ``paper``, in day order."""
        assert record.day is not None
        # The records are in day order: those of earlier days come first.
        return self.by_paper[paper][: bisect_left(self.paper_days[paper], record.day)]


def _order(record: ReportRecord) -> tuple[date, str]:
    assert record.day is not None
    return record.day, record.path


def _same_day(record: ReportRecord, archive: _Archive) -> list[Finding]:
    assert record.day is not None
    day = archive.by_day[record.day]
    if archive.unlinked_day(record.day):
        # No report of the day links to another or sits in a day's directory, and no
        # index links to two: no two of them are parts of one report.
        twins = [r.path for r in day if r is not record]
    else:
        twins = [
            r.path
            for r in day
            if r is not record and not _parts_of_one_day(record, r, archive.indexes)
        ]
    if not twins:
        return []
    named = ", ".join(f"`{path}`" for path in twins)
    return [
        _finding(
            record, DAY_DUPLICATE, record.day_span, f"{record.day} is also the day of {named}"
        )
    ]


def _parts_of_one_day(a: ReportRecord, b: ReportRecord, indexes: list[frozenset[str]]) -> bool:
    """Whether ``a`` and ``b`` (of one day) are two parts of the day's report, not two
    reports of it: one links to the other (an index and its part), or a report of the
    run links to both (two parts of one index), or both are in a directory named after
    the day (``papers/2026-08-21/part-01.md`` and ``part-02.md``)."""
    if a.in_day_directory and b.in_day_directory and a.directory == b.directory:
        return True
    pair = {a.key, b.key}
    return b.key in a.links_to or a.key in b.links_to or any(pair <= i for i in indexes)


def _rerun_of(record: ReportRecord, archive: _Archive) -> ReportRecord | None:
    """The latest earlier report holding every paper of ``record`` (two or more)."""
    ids = archive.papers_of[id(record)]
    if len(ids) < 2:
        return None
    first = record.papers[0].id
    holding = [r for r, _ in archive.earlier(record, first) if ids <= archive.papers_of[id(r)]]
    return max(holding, key=_order, default=None)


def _day_repeated(record: ReportRecord, rerun: ReportRecord) -> Finding:
    count = len({m.id for m in record.papers})
    return _finding(
        record,
        DAY_REPEATED,
        record.day_span,
        f"all {count} papers of this report are in `{rerun.path}` ({rerun.day}): "
        "a re-run of an earlier day?",
    )


def _repeats(record: ReportRecord, archive: _Archive) -> list[Finding]:
    """A finding per paper of ``record`` that an earlier report (within the window of
    ``allow-repeats-after-days``, if set) has, naming the latest such report."""
    assert record.day is not None
    window = record.allow_repeats_after_days
    made = []
    for mention in record.papers:
        before = [
            (r, m)
            for r, m in archive.earlier(record, mention.id)
            if window is None or (record.day - r.day).days <= window  # type: ignore[operator]
        ]
        if not before:
            continue
        latest, where = max(before, key=lambda pair: _order(pair[0]))
        made.append(
            _finding(
                record,
                PAPER_REPEATED,
                mention.span,
                f"paper `{mention.id}` is already in `{latest.path}` line {where.span.line} "
                f"({latest.day})",
            )
        )
    return made


def _finding(record: ReportRecord, rule: Rule, span: Span, message: str) -> Finding:
    return Finding(
        path=record.path,
        line=span.line,
        column=span.column,
        end_line=span.end_line,
        end_column=span.end_column,
        code=rule.code,
        name=rule.name,
        severity=dict(record.severities).get(rule.code, rule.severity),
        message=message,
    )


def _reported(record: ReportRecord, finding: Finding) -> bool:
    """Enabled for the file and not suppressed inline on its line."""
    if finding.code not in record.enabled:
        return False
    return not any(
        line == finding.line and finding.code in codes for line, codes in record.suppressed
    )
