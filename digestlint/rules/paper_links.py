"""Paper link rules (family ``links``): each paper's link field has the profile's form,
a well-formed arXiv id no later than the report's Date, and no paper is listed twice.

The link fields are found once per pass (:attr:`digestlint.lintpass.LintPass.paper_links`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from digestlint.findings import Finding
from digestlint.model import FieldEntry, Paper
from digestlint.patterns import user_regex
from digestlint.registry import RuleContext, rule
from digestlint.urls import intended_url

if TYPE_CHECKING:
    from digestlint.lintpass import LintPass

_ARXIV_ID = re.compile(r"^(?P<yy>\d{2})(?P<mm>\d{2})\.(?P<number>\d+)(?P<version>v\d+)?$")


@dataclass(frozen=True)
class PaperLink:
    """A paper's link field: the URL, where it is written, and the arXiv id it names."""

    paper: Paper
    url: str
    start: int
    end: int
    id: str | None
    id_start: int
    id_end: int


def paper_links(context: RuleContext) -> list[PaperLink]:
    return context.lint_pass.paper_links


def find_paper_links(lint_pass: LintPass) -> list[PaperLink]:
    """The link field of every paper that has one (see :attr:`LintPass.paper_links`)."""
    return list(_paper_links(lint_pass))


def _paper_links(lint_pass: LintPass) -> Iterator[PaperLink]:
    profile = lint_pass.profile
    spec = profile.paper_field_by_key(profile.link_field)
    if spec is None:
        return
    for paper in lint_pass.document.papers:
        entry = paper.field(spec.label)
        if entry is None or not entry.value.strip():
            continue
        url, start, end = _field_url(lint_pass, entry)
        match = user_regex(profile.link_pattern).fullmatch(url) if profile.link_pattern else None
        arxiv = match.groupdict().get("id") if match else None
        id_start, id_end = (
            (start + match.start("id"), start + match.end("id")) if arxiv else (start, end)
        )
        if arxiv and lint_pass.source.text[start:end] != url:
            id_start, id_end = start, end  # written differently (escapes): point at the URL
        yield PaperLink(paper, url, start, end, arxiv, id_start, id_end)


def _field_url(lint_pass: LintPass, entry: FieldEntry) -> tuple[str, int, int]:
    """The URL a link field holds: its one link (``<url>``, ``[text](url)``) or its text.

    Links are looked for over the whole entry: for ``[text](url)`` the parse gives the
    link text as the field's value."""
    inside = lint_pass.links_by_start.between(entry.start, entry.end)
    if len(inside) == 1 and inside[0].url_end > inside[0].url_start:
        link = inside[0]
        return intended_url(link), link.url_start, link.url_start + len(intended_url(link))
    value = lint_pass.source.text[entry.value_start : entry.value_end]
    stripped = value.strip()
    offset = entry.value_start + value.index(stripped)
    return stripped, offset, offset + len(stripped)


@rule("DL707", "paper-link-pattern", family="links")
def paper_link_pattern(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that every paper's link has the profile's form (by default
    ``https://huggingface.co/papers/<arXiv id>``).

    ## Why is this bad?
    Readers and tools expect one kind of page per paper; an arXiv PDF link, a search
    page or a shortened URL breaks tools that read the arXiv id from the link.

    ## Example
    ```markdown
    - **链接**: https://arxiv.org/pdf/2602.15569
    ```

    ## Use instead
    ```markdown
    - **链接**: https://huggingface.co/papers/2602.15569
    ```

    ## Fix safety
    Not fixable: rewriting a URL is not a whitespace or markup change.
    """
    pattern = context.profile.link_pattern
    if not pattern:
        return
    for item in paper_links(context):
        if user_regex(pattern).fullmatch(item.url) is None:
            yield context.finding(
                item.start,
                item.end,
                _pattern_message(item.url, pattern),
            )


def _pattern_message(url: str, pattern: str) -> str:
    readable = readable_pattern(pattern)
    if readable == pattern:
        return f"paper link `{url}` does not match the profile's `link_pattern` `{pattern}`"
    return f"paper link `{url}` does not have the profile's form `{readable}`"


_REGEX_SYNTAX = frozenset("[](){}*+?|^$\\")


def readable_pattern(pattern: str) -> str:
    """A regex of the URL form as a reader would write it: each named group becomes
    ``<name>`` and escaped characters their plain selves
    (``https://huggingface\\.co/papers/(?P<id>...)`` reads
    ``https://huggingface.co/papers/<id>``). A pattern with other regex syntax is shown
    as it is: there is no faithful plain form of it."""
    out: list[str] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith("(?P<", index):
            name_end = pattern.find(">", index)
            group_end = _group_end(pattern, index)
            if name_end < 0 or group_end is None:
                return pattern
            out.append(f"<{pattern[index + 4 : name_end]}>")
            index = group_end
        elif char == "\\" and index + 1 < len(pattern) and not pattern[index + 1].isalnum():
            out.append(pattern[index + 1])
            index += 2
        elif char in _REGEX_SYNTAX or char == ".":
            return pattern
        else:
            out.append(char)
            index += 1
    return "".join(out)


def _group_end(pattern: str, start: int) -> int | None:
    """Index just past the group opened at ``pattern[start]``, or ``None``."""
    depth = 0
    index = start
    in_class = False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if pattern.startswith("]", index + 1) or pattern.startswith("^]", index + 1):
                index += 1 + pattern.startswith("^", index + 1)
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return None


def arxiv_id_problem(arxiv_id: str) -> str | None:
    """Why ``arxiv_id`` is not a well-formed new-style arXiv identifier, or ``None``."""
    match = _ARXIV_ID.match(arxiv_id)
    if match is None:
        return "is not of the form YYMM.NNNNN"
    month = int(match.group("mm"))
    if not 1 <= month <= 12:
        return f"has month {match.group('mm')}; months run 01-12"
    yymm = int(match.group("yy") + match.group("mm"))
    if yymm < 704:
        return "predates April 2007, when arXiv ids took the YYMM.NNNN form"
    digits = 5 if yymm >= 1501 else 4
    number = match.group("number")
    if len(number) != digits:
        era = "from 2015 on" if digits == 5 else "before 2015"
        return f"has a {len(number)}-digit number; ids {era} have {digits} digits"
    if int(number) == 0:
        return "has number 0; numbers start at 1"
    return None


@rule("DL708", "arxiv-id-invalid", family="links")
def arxiv_id_invalid(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that the arXiv id in each paper link is well formed: ``YYMM.NNNNN`` from
    2015 on, ``YYMM.NNNN`` from April 2007 to 2014, with a month from 01 to 12 and an
    optional version such as ``v2``.

    ## Why is this bad?
    A mistyped id links to another paper or to nothing.

    ## Example
    ```markdown
    - **链接**: https://huggingface.co/papers/2613.1556
    ```

    ## Use instead
    ```markdown
    - **链接**: https://huggingface.co/papers/2602.15569
    ```

    ## Fix safety
    Not fixable: the right id is not known.
    """
    for item in paper_links(context):
        if item.id is None:
            continue
        problem = arxiv_id_problem(item.id)
        if problem is not None:
            yield context.finding(item.id_start, item.id_end, f"arXiv id `{item.id}` {problem}")


class ArxivDateOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_age_months: int | None = Field(
        default=None,
        ge=0,
        description="Report papers whose id month is more than this many months before "
        "the report's Date; off when unset.",
    )


@rule("DL709", "arxiv-id-date", options=ArxivDateOptions, family="links")
def arxiv_id_date(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that no paper's arXiv id (its ``YYMM``) is later than the report's Date,
    and, with ``max_age_months`` set, that none is older than that.

    ## Why is this bad?
    A daily report cannot list a paper submitted after its own date: either the id or
    the Date is wrong. A very old id in a daily digest is usually a copy-paste slip.

    ## Example
    ```markdown
    **Date**: 2026-02-20
    ...
    - **链接**: https://huggingface.co/papers/2603.15569
    ```

    ## Use instead
    ```markdown
    - **链接**: https://huggingface.co/papers/2602.15569
    ```

    ## Fix safety
    Not fixable: which of the two dates is right is not known.
    """
    report_date = _report_date(context)
    if report_date is None:
        return
    report_month = report_date.year * 12 + report_date.month - 1
    limit = context.options.max_age_months
    for item in paper_links(context):
        if item.id is None or arxiv_id_problem(item.id) is not None:
            continue
        year, month = 2000 + int(item.id[:2]), int(item.id[2:4])
        age = report_month - (year * 12 + month - 1)
        if age < 0:
            message = (
                f"arXiv id `{item.id}` is from {year}-{month:02d}, after the report's "
                f"Date {report_date.isoformat()}"
            )
        elif limit is not None and age > limit:
            message = (
                f"arXiv id `{item.id}` is from {year}-{month:02d}, {age} months before the "
                f"report's Date (max_age_months = {limit})"
            )
        else:
            continue
        yield context.finding(item.id_start, item.id_end, message)


def _report_date(context: RuleContext) -> date | None:
    spec = context.profile.header_field_by_key(context.profile.date_field)
    entry = context.document.header.field(spec.label) if spec else None
    if entry is None:
        return None
    try:
        return date.fromisoformat(entry.value.strip())
    except ValueError:
        return None  # header-field-invalid reports it


@rule("DL710", "paper-duplicate", family="links")
def paper_duplicate(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that no paper (by arXiv id, ignoring the version) is listed twice in a report.

    ## Why is this bad?
    A paper listed twice wastes the reader's time, and the two summaries usually
    disagree; one of them is often meant to be another paper.

    ## Example
    ```markdown
    ## 📄 Computer-Using World Model
    - **链接**: https://huggingface.co/papers/2602.17365
    ...
    ## 📄 Another Paper
    - **链接**: https://huggingface.co/papers/2602.17365
    ```

    ## Use instead
    Each paper once, each with its own link.

    ## Fix safety
    Not fixable: which entry to keep is not known.
    """
    first_seen: dict[str, PaperLink] = {}
    for item in paper_links(context):
        if item.id is None:
            continue
        key = item.id.split("v")[0].lower()
        if key not in first_seen:
            first_seen[key] = item
            continue
        first = first_seen[key]
        yield context.finding(
            item.id_start,
            item.id_end,
            f"paper `{key}` is already listed at line {first.paper.line} (`{first.paper.title}`)",
        )
