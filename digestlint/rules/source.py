"""Source rules (family ``source``): a report checked against its source's list of the day.

With ``--check-source`` (or ``online = true`` under ``[tool.digestlint.source]``) the
caller hands the pass a :class:`digestlint.sourcecheck.DayLists`; the day comes from the
report's Source URL, read with the profile's ``source.url-pattern``. Without it, or
when the profile names no source, these rules report nothing. See docs/source.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from datetime import date
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from digestlint.findings import Finding
from digestlint.patterns import user_regex
from digestlint.registry import RuleContext, rule

if TYPE_CHECKING:
    from digestlint.lintpass import LintPass
    from digestlint.model import FieldEntry
    from digestlint.rules.paper_links import PaperLink
    from digestlint.sourcecheck import DayList

_TEX_WRAPPER = re.compile(r"\\[A-Za-z]+\s*\{([^{}]*)\}")
_TEX_COMMAND = re.compile(r"\\([A-Za-z]+)")
_TEX_MARKUP = re.compile(r"[{}$^_~\\]")
_NOT_WORD = re.compile(r"[\W_]+")
_SHOWN_TITLE = 80
_LISTED = 10
"""Missing papers named in one finding; more are counted."""


def day_list_of(lint_pass: LintPass) -> DayList | None:
    """The source's list of the report's day, if the pass has a fetcher, the profile a
    source, and the report a Source URL that names a day (see
    :attr:`LintPass.day_list`)."""
    kind = lint_pass.profile.source
    entry = _header_entry(lint_pass, lint_pass.profile.source_url_field)
    if lint_pass.day_lists is None or kind is None or entry is None:
        return None
    match = user_regex(kind.url_pattern or "").fullmatch(entry.value.strip())
    if match is None or not match.groupdict().get("date"):
        return None  # source-url-date and header-field-invalid say what is wrong
    try:
        day = date.fromisoformat(match.group("date"))
    except ValueError:
        return None
    return lint_pass.day_lists.day_list(kind, day)


def _header_entry(lint_pass: LintPass, key: str | None) -> FieldEntry | None:
    spec = lint_pass.profile.header_field_by_key(key)
    return lint_pass.document.header.field(spec.label) if spec else None


def normalised_title(title: str) -> str:
    """``title`` as titles are compared: TeX markup unwrapped (``\\textbf{X}`` is
    ``X``, ``\\alpha`` is ``alpha``, ``$`` and braces dropped), case, width,
    punctuation and spacing set aside."""
    previous = None
    while previous != title:
        previous, title = title, _TEX_WRAPPER.sub(r"\1", title)
    title = _TEX_COMMAND.sub(r" \1 ", title)  # `\alpha` reads as `alpha`
    title = _TEX_MARKUP.sub(" ", unicodedata.normalize("NFKC", title))
    return " ".join(_NOT_WORD.sub(" ", title.casefold()).split())


def title_similarity(ours: str, theirs: str) -> float:
    """How alike two titles are once normalised: difflib's ratio, 0 to 1."""
    return SequenceMatcher(None, normalised_title(ours), normalised_title(theirs)).ratio()


def _papers_with_ids(context: RuleContext) -> Iterator[tuple[str, PaperLink]]:
    for link in context.lint_pass.paper_links:
        if link.id:
            yield link.id.split("v")[0].lower(), link


def _shown(title: str) -> str:
    title = " ".join(title.split())
    return title if len(title) <= _SHOWN_TITLE else title[: _SHOWN_TITLE - 1] + "…"


@rule("DL611", "source-paper-unknown", online=True)
def source_paper_unknown(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    With `--check-source` (or `online = true` under `[tool.digestlint.source]`),
    fetches the day's list from the source the report's Source URL points to (for the
    Hugging Face daily papers page, the Hub API's `daily_papers` of that date) and
    reports each paper of the report that is not in it, on the paper's heading, by its
    arXiv id (its version aside).

    ## Why is this bad?
    A report of a day's papers that lists a paper of another day, or a paper the
    model made up, misleads every reader about what was published that day.

    ## Example
    ```markdown
    **Source URL**: https://huggingface.co/papers/date/2026-02-20
    ...
    ## 📄 A Paper From Last Week
    - **链接**: https://huggingface.co/papers/2602.01234
    ```

    ## Use instead
    Only the papers of the day's list.

    ## Fix safety
    Not fixable.
    """
    day_list = context.lint_pass.day_list
    if day_list is None or day_list.unavailable:
        return
    for arxiv_id, link in _papers_with_ids(context):
        if arxiv_id in day_list.papers:
            continue
        heading = link.paper.heading
        yield context.finding(
            heading.start,
            heading.end,
            f"paper `{arxiv_id}` is not in the {day_list.source} list of {day_list.day}",
        )


@rule("DL612", "source-title-mismatch", online=True)
def source_title_mismatch(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    With the source check on (see source-paper-unknown, DL611), compares each paper's
    title with the source's title for its arXiv id and reports a title that differs.
    Titles are compared after setting aside case, spacing, punctuation, the width of
    characters and TeX markup (`$\\alpha$`, `\\textbf{…}`); `title-similarity` under
    `[tool.digestlint.source]` (default 0.9) is how alike, as difflib's ratio from 0 to
    1, two titles must be to count as the same. Both titles are shown.

    ## Why is this bad?
    A title the model rewrote, shortened or took from another paper makes the paper
    hard to find and the summary under it suspect.

    ## Example
    ```markdown
    ## 📄 Computer-Using World Models Are All You Need
    - **链接**: https://huggingface.co/papers/2602.17365
    ```

    ## Use instead
    ```markdown
    ## 📄 Computer-Using World Model
    - **链接**: https://huggingface.co/papers/2602.17365
    ```

    ## Fix safety
    Not fixable: a title is prose; the editor copies the right one.
    """
    day_list = context.lint_pass.day_list
    if day_list is None or day_list.unavailable:
        return
    wanted = context.settings.config.source.title_similarity
    for arxiv_id, link in _papers_with_ids(context):
        theirs = day_list.papers.get(arxiv_id)
        paper = link.paper
        if theirs is None or not theirs.strip():
            continue
        similarity = title_similarity(paper.title, theirs)
        if similarity >= wanted:
            continue
        yield context.finding(
            paper.heading.start,
            paper.heading.end,
            f"title differs from the {day_list.source} title of `{arxiv_id}`: "
            f"`{_shown(paper.title)}` here, `{_shown(theirs)}` there "
            f"(similarity {similarity:.2f} < {wanted:g})",
        )


@rule("DL613", "source-papers-missing", online=True)
def source_papers_missing(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    With the source check on and `coverage = true` under `[tool.digestlint.source]`,
    reports the papers of the day's list that the report does not have: one finding
    on the report's title, listing them (arXiv id and title; the first ten, and how
    many more).

    ## Why is this bad?
    A report meant to cover the day that silently drops papers (a failed summary, a
    page the pipeline did not fetch) reads as complete and is not.

    ## Example
    ```markdown
    # Hugging Face Daily Papers Report   <!-- 13 papers that day, 12 here -->
    ```

    ## Use instead
    Every paper of the day, or `coverage = false` for a selective digest.

    ## Fix safety
    Not fixable.
    """
    day_list = context.lint_pass.day_list
    if day_list is None or day_list.unavailable or not context.settings.config.source.coverage:
        return
    ours = {arxiv_id for arxiv_id, _ in _papers_with_ids(context)}
    missing = [arxiv_id for arxiv_id in day_list.order if arxiv_id not in ours]
    if not missing:
        return
    start, end = _header_span(context)
    listed = "; ".join(f"`{i}` ({_shown(day_list.papers[i])})" for i in missing[:_LISTED])
    if len(missing) > _LISTED:
        listed += f"; and {len(missing) - _LISTED} more"
    count = f"{len(missing)} paper{'s' if len(missing) != 1 else ''}"
    yield context.finding(
        start,
        end,
        f"{count} of the {day_list.source} list of {day_list.day} not in the report: {listed}",
    )


@rule("DL614", "source-day-unavailable", online=True)
def source_day_unavailable(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    With the source check on, reports a report whose day the source has no list for
    (the Hub API answers a future date with `400`), on the report's Date.

    ## Why is this bad?
    A report dated after today was dated wrong, or written ahead of its papers.

    ## Example
    ```markdown
    **Date**: 2099-01-01
    ```

    ## Use instead
    The day the papers were published.

    ## Fix safety
    Not fixable.
    """
    day_list = context.lint_pass.day_list
    if day_list is None or day_list.unavailable is None:
        return
    profile = context.profile
    entry = _header_entry(context.lint_pass, profile.date_field) or _header_entry(
        context.lint_pass, profile.source_url_field
    )
    if entry is None:
        return
    yield context.finding(entry.value_start, entry.value_end, day_list.unavailable)


def _header_span(context: RuleContext) -> tuple[int, int]:
    title = context.document.header.title
    if title is not None:
        return title.start, title.end
    return 0, context.source.line_end(1)
