"""Header rules: the report's title and its header fields (date, source URL)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from pathlib import PurePath

from digestlint.findings import Edit, Finding
from digestlint.registry import RuleContext, rule
from digestlint.report import has_format, matches_whole

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LINE_BREAK = re.compile(r"[ \t]*\n[ \t]*")


@rule("DL101", "header-title")
def header_title(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that the report starts with the profile's H1 title, written exactly (a line
    break in a setext title reads as a space).

    ## Why is this bad?
    Readers, feeds and indexes find reports by their title; a missing or reworded
    title makes a report look like a different document.

    ## Example
    ```markdown
    # HF Daily Papers
    ```

    ## Use instead
    ```markdown
    # Hugging Face Daily Papers Report
    ```

    ## Fix safety
    Not fixable: the title's words are prose.
    """
    expected = context.profile.title
    if not expected:
        return
    title = context.document.header.title
    if title is None:
        yield context.finding(0, context.source.line_end(1), f"title `# {expected}` is missing")
    else:
        # A setext title may break its line anywhere: the break reads as a space.
        written = _LINE_BREAK.sub(" ", title.plain.strip())
        if written != expected:
            yield context.finding(
                title.start, title.end, f"title is `{written}`, expected `{expected}`"
            )


@rule("DL102", "header-field-missing")
def header_field_missing(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that every required header field (by default ``**Date**`` and
    ``**Source URL**``) is present under the title.

    ## Why is this bad?
    The date identifies the report; tools that file or index reports read it.

    ## Example
    ```markdown
    # Hugging Face Daily Papers Report
    **Source URL**: https://huggingface.co/papers/date/2026-02-20
    ```

    ## Use instead
    ```markdown
    # Hugging Face Daily Papers Report

    **Date**: 2026-02-20

    **Source URL**: https://huggingface.co/papers/date/2026-02-20
    ```

    ## Fix safety
    Not fixable: the value is not known.
    """
    header = context.document.header
    # Under the title, or on the first line when there is none.
    title = header.title
    start, end = (title.start, title.end) if title else (0, context.source.line_end(1))
    for spec in context.profile.header_fields:
        if spec.required and header.field(spec.label) is None:
            yield context.finding(start, end, f"header field `{spec.label}` is missing")


@rule("DL103", "header-field-invalid")
def header_field_invalid(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks header field values against the profile: the Date must be a real calendar
    date written ``YYYY-MM-DD``; the Source URL must have the profile's form.

    ## Why is this bad?
    ``2026-02-30`` or ``20.02.2026`` cannot be sorted, compared or linked.

    ## Example
    ```markdown
    **Date**: 2026-02-30
    ```

    ## Use instead
    ```markdown
    **Date**: 2026-02-28
    ```

    ## Fix safety
    Not fixable: the right value is not known.
    """
    for spec in context.profile.header_fields:
        entry = context.document.header.field(spec.label)
        if entry is None:
            continue
        value, label = entry.value, f"`{spec.label}`"
        # The report schema's order (``digestlint.report.report_schema``): a value that
        # breaks several constraints is reported once, for the first.
        if not value:
            problem = f"{label} is empty"
        elif spec.pattern and not matches_whole(spec.pattern, value):
            problem = f"{label}: {value!r} does not have the form the profile requires"
        elif spec.format and not has_format(value, spec.format):
            problem = f"{label}: {value!r} is not a valid {spec.format}"
        else:
            continue
        yield context.finding(entry.value_start, entry.value_end, problem)


@rule("DL104", "source-url-date")
def source_url_date(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that the date inside the Source URL is the report's Date.

    ## Why is this bad?
    A report dated one day that links to another day's papers is wrong about one of them.

    ## Example
    ```markdown
    **Date**: 2026-02-20
    **Source URL**: https://huggingface.co/papers/date/2026-02-19
    ```

    ## Use instead
    ```markdown
    **Date**: 2026-02-20
    **Source URL**: https://huggingface.co/papers/date/2026-02-20
    ```

    Only a Date that is a real calendar date written ``YYYY-MM-DD`` is compared:
    header-field-invalid (DL103) reports any other Date, and ``2026/02/20`` against a
    URL for ``2026-02-20`` is the same day, not a mismatch.

    ## Fix safety
    Not fixable: which of the two dates is right is not known.
    """
    profile = context.profile
    date_spec = profile.header_field_by_key(profile.date_field)
    url_spec = profile.header_field_by_key(profile.source_url_field)
    if date_spec is None or url_spec is None:
        return
    date = context.document.header.field(date_spec.label)
    url = context.document.header.field(url_spec.label)
    if date is None or url is None:
        return
    report_date = iso_date(date.value)
    found = _ISO_DATE.search(url.value)
    if report_date is None or found is None or found.group() == report_date.isoformat():
        return
    start = url.value_start + found.start()
    yield context.finding(
        start,
        start + len(found.group()),
        f"Source URL is for {found.group()} but the report's Date is {date.value.strip()}",
    )


def iso_date(value: str) -> datetime.date | None:
    """``value`` as a date when it is a real calendar date written ``YYYY-MM-DD``."""
    value = value.strip()
    if not _ISO_DATE.fullmatch(value):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


_FILENAME_DATE = re.compile(r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)")


@rule("DL106", "filename-date")
def filename_date(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that a date ``YYYY-MM-DD`` in the report's file name
    (``hf-daily-papers-2026-02-20.md``) is the report's Date.

    Only a valid ISO Date is compared (DL103 reports any other); files without a date
    in their name, and standard input without ``--stdin-filename``, are not checked.

    ## Why is this bad?
    Reports are filed, sorted and published by their file names; a file named for one
    day holding another day's report shows up on the wrong day.

    ## Example
    ```markdown
    <!-- hf-daily-papers-2026-02-21.md -->
    **Date**: 2026-02-20
    ```

    ## Use instead
    ```markdown
    <!-- hf-daily-papers-2026-02-20.md -->
    **Date**: 2026-02-20
    ```

    ## Fix safety
    Not fixable: whether the name or the Date is wrong is not known.
    """
    if context.path in ("", "-"):
        return
    name = PurePath(context.path).name
    named = next(
        (iso_date(m.group()) for m in _FILENAME_DATE.finditer(name) if iso_date(m.group())),
        None,
    )
    date_spec = context.profile.header_field_by_key(context.profile.date_field)
    if named is None or date_spec is None:
        return
    date = context.document.header.field(date_spec.label)
    report_date = iso_date(date.value) if date is not None else None
    if date is None or report_date is None or report_date == named:
        return
    yield context.finding(
        date.value_start,
        date.value_end,
        f"file name `{name}` is for {named.isoformat()} but the report's Date is "
        f"{report_date.isoformat()}",
    )


@rule("DL105", "header-fields-merged", fixable=True)
def header_fields_merged(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that each header field is its own paragraph.

    ## Why is this bad?
    Lines of one Markdown paragraph are joined when rendered: ``**Date**: ...`` and
    ``**Source URL**: ...`` on consecutive lines show as a single line.

    ## Example
    ```markdown
    **Date**: 2026-02-20
    **Source URL**: https://huggingface.co/papers/date/2026-02-20
    ```

    ## Use instead
    ```markdown
    **Date**: 2026-02-20

    **Source URL**: https://huggingface.co/papers/date/2026-02-20
    ```

    ## Fix safety
    Safe: a blank line is inserted between the fields; no text changes.
    """
    header = context.document.header
    for start, end, count in header.field_paragraphs:
        if count < 2:
            continue
        fields = [f for f in header.fields if start <= f.start <= end]
        for field in fields[1:]:
            line_start = context.source.line_start(field.line)
            yield context.finding(
                field.start,
                field.end,
                f"header field `{field.label}` renders on the same line as the one above it",
                fix=[Edit(start=line_start, end=line_start, content="\n")],
                fix_message="insert a blank line",
            )
