"""The pure API: ``lint_text`` and ``fix_text``. No files, no terminal: the CLI does those."""

from __future__ import annotations

import functools
import gc
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from digestlint.config import Settings
from digestlint.findings import Edit, Finding, apply_edits
from digestlint.han import HAN
from digestlint.lintpass import LintPass
from digestlint.numbering import is_numeral
from digestlint.source import SourceText
from digestlint.suppressions import apply_suppressions

if TYPE_CHECKING:
    from digestlint.linkcheck import LinkChecker
    from digestlint.sourcecheck import DayLists

MAX_FIX_PASSES = 10

P = ParamSpec("P")
R = TypeVar("R")

# Han ideographs and ASCII letters and digits: the characters that carry a report's
# meaning. Fixes may move whitespace, punctuation and markup around them, never these.
_MEANINGFUL = re.compile(f"[0-9A-Za-z{HAN}]")
# Runs of letters and digits of any script (``\w`` without the underscore).
_WORDS = re.compile(r"[^\W_]+")


class FixError(Exception):
    """No fix can be applied: the fixes do not converge, or every fix would change the
    report's meaning (those findings are in ``refused``). Nothing is written."""

    def __init__(self, message: str, refused: list[Finding] | None = None) -> None:
        super().__init__(message)
        self.refused = refused or []


def collector_paused(function: Callable[P, R]) -> Callable[P, R]:
    """``function`` with Python's cycle collector paused while it runs (and restored
    after, unless it was off already): a lint or fix pass makes hundreds of thousands
    of objects (tokens, model nodes, findings) that live until it ends and hold no
    garbage cycles, and every collection walked them again. It took more than half of
    ``--fix``'s time on a 1 MB report and grew faster than the report. Reference
    counting frees memory as before; a cycle left behind waits for the next collection."""

    @functools.wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        if not gc.isenabled():
            return function(*args, **kwargs)
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            gc.enable()

    return paused


@collector_paused
def lint_text(
    text: str,
    settings: Settings | None = None,
    path: str = "-",
    *,
    links: LinkChecker | None = None,
    day_lists: DayLists | None = None,
) -> list[Finding]:
    """Every finding for ``text``, sorted by position.

    The online rules run only with ``links``, the caller's link checker (the CLI makes
    one for ``--check-links`` or ``[tool.digestlint.links] online``): it makes the
    requests, keeps the link cache and draws the progress bar; and the source rules
    only with ``day_lists``, the caller's fetcher of the source's day lists
    (``--check-source``, :mod:`digestlint.sourcecheck`). Without them the pass touches
    neither the network nor a file."""
    lint_pass = LintPass(text, settings or Settings(), path, links=links, day_lists=day_lists)
    return findings_of(lint_pass)


@collector_paused
def findings_of(lint_pass: LintPass) -> list[Finding]:
    """Every finding of ``lint_pass``'s text, sorted by position: the rules that can run
    in the pass, then the suppression step. :func:`lint_text` for a pass the caller
    made, to read more from it afterwards (an archive record: :mod:`digestlint.archive`)."""
    settings, path = lint_pass.settings, lint_pass.path
    enabled = settings.enabled_for(path)
    findings: list[Finding] = []
    for rule in settings.rules:
        if rule.check is None or rule.code not in enabled:
            continue  # a rule without a check is a pipeline step's (DL001: suppressions)
        if settings.can_run(rule, online=lint_pass.online):
            findings.extend(rule.check(lint_pass.context_for(rule)))
    findings = apply_suppressions(findings, lint_pass)
    return sorted(findings, key=lambda f: f.sort_key)


FixSignature = tuple[str, tuple[tuple[str, str], ...]]
"""A fix told apart from others across passes, where offsets move: the rule's code, and
each edit's old and new text."""


def fix_signature(finding: Finding, text: str) -> FixSignature:
    """The signature of ``finding``'s fix in ``text`` (the text it was found in)."""
    assert finding.fix is not None
    return finding.code, tuple((text[e.start : e.end], e.content) for e in finding.fix.edits)


@dataclass
class FixResult:
    text: str
    fixed: list[Finding] = field(default_factory=list)
    """Findings whose fixes were applied, over all passes."""
    remaining: list[Finding] = field(default_factory=list)
    """Findings of the fixed text (those in ``refused`` without their fix)."""
    passes: int = 0
    refused: list[Finding] = field(default_factory=list)
    """Findings of the fixed text whose fix the meaning check refused: it would have
    changed the report's text, a bug in its rule. Every other fix was applied."""
    refused_fixes: frozenset[FixSignature] = frozenset()
    """The signatures of the refused fixes, for :meth:`was_refused`."""
    fixed_at: list[tuple[int, int]] = field(default_factory=list)
    """Where each finding of ``fixed`` was in the input text, as (line, column): a
    later pass's finding mapped back through the earlier passes' edits (``--show-fixes``)."""
    final_pass: LintPass | None = field(default=None, repr=False, compare=False)
    """The lint pass over ``text`` that found nothing left to fix (its parse, for
    whoever needs more of the fixed text than its findings: an archive record)."""

    @property
    def changed(self) -> bool:
        return bool(self.fixed)

    def was_refused(self, finding: Finding, text: str) -> bool:
        """Whether ``finding`` (of ``text``, the input or any pass) has a refused fix."""
        return finding.fix is not None and fix_signature(finding, text) in self.refused_fixes


@collector_paused
def fix_text(
    text: str,
    settings: Settings | None = None,
    path: str = "-",
    *,
    unsafe: bool = False,
) -> FixResult:
    """Apply fixes until nothing changes.

    A fix that would change the report's meaning is refused and the others are applied
    (the result lists the refused findings). Raises :class:`FixError`, changing nothing,
    if the fixes do not converge or every fix was refused."""
    settings = settings or Settings()
    current = text
    seen = {text}
    fixed: list[Finding] = []
    fixed_at: list[tuple[int, int]] = []
    applied: list[_AppliedPass] = []
    refused: set[FixSignature] = set()
    passes = 0
    while True:
        lint_pass = LintPass(current, settings, path)
        findings = findings_of(lint_pass)
        wanted = [f for f in findings if f.fix is None or fix_signature(f, current) not in refused]
        chosen, edits = choose_fixes(wanted, unsafe)
        if not edits:
            result = _finish(current, fixed, findings, passes, refused, path)
            result.fixed_at = fixed_at
            result.final_pass = lint_pass
            return result
        kept, turned_down = _keeping_meaning(current, chosen)
        refused.update(fix_signature(f, current) for f in turned_down)
        if not kept:
            continue  # fixes that waited for a refused one may apply now
        if passes == MAX_FIX_PASSES:
            raise FixError(
                f"{path}: fixes did not converge after {MAX_FIX_PASSES} passes; "
                "nothing was changed"
            )
        edits = sorted((e for f in kept for e in f.fix.edits), key=lambda e: (e.start, e.end))
        try:
            check_meaning_kept(current, edits)
        except FixError as error:  # each fix keeps it, yet not all together
            raise FixError(f"{path}: {error}; nothing was changed") from None
        updated = apply_edits(current, edits)
        if updated in seen:
            raise FixError(f"{path}: fixes oscillate; nothing was changed")
        seen.add(updated)
        fixed.extend(kept)
        fixed_at.extend(_input_positions(kept, current, text, applied))
        applied.append(_AppliedPass(current, edits))
        current = updated
        passes += 1


def _input_positions(
    findings: list[Finding], current: str, text: str, applied: list[_AppliedPass]
) -> list[tuple[int, int]]:
    """Where ``findings`` (of ``current``, the text after the ``applied`` passes) were in
    the input ``text``, as (line, column)."""
    here, there = SourceText(current), SourceText(text)
    positions = []
    for finding in findings:
        offset = here.line_start(finding.line) + finding.column - 1
        for applied_pass in reversed(applied):
            offset = applied_pass.offset_before(offset)
        positions.append(there.position(offset))
    return positions


class _AppliedPass:
    """One fix pass: the text it started from and its edits, with where each edit's
    content starts in the text the pass made, to map an offset back with a search
    rather than a walk over every edit of the pass for each finding."""

    def __init__(self, before: str, edits: list[Edit]) -> None:
        self.before = before
        self.edits = sorted(edits, key=lambda e: (e.start, e.end))
        self.new_starts: list[int] = []
        self.shift_after: list[int] = []
        shift = 0
        for edit in self.edits:
            self.new_starts.append(edit.start + shift)
            shift += len(edit.content) - (edit.end - edit.start)
            self.shift_after.append(shift)

    def offset_before(self, offset: int) -> int:
        """Where ``offset`` in the text the pass made was in ``before``.

        Inside an edit's new content, the count of meaningful characters (which fixes
        keep) finds the same place in the text it replaced."""
        # Edits do not overlap, so their new starts grow: only the last edit that starts
        # at or before ``offset`` can hold it.
        last = bisect_right(self.new_starts, offset) - 1
        if last < 0:
            return offset
        edit, new_start = self.edits[last], self.new_starts[last]
        if offset < new_start + len(edit.content):
            old = self.before[edit.start : edit.end]
            return edit.start + _same_place(edit.content, offset - new_start, old)
        return offset - self.shift_after[last]


def _same_place(new: str, index: int, old: str) -> int:
    """The index in ``old`` of what is at ``index`` in ``new``, counting meaningful
    characters: the same one, or (between them) just after the one before it."""
    count = len(_MEANINGFUL.findall(new, 0, index))
    on_one = _MEANINGFUL.match(new, index) is not None
    matches = list(_MEANINGFUL.finditer(old))
    if on_one and count < len(matches):
        return matches[count].start()
    if count == 0:
        return 0
    return matches[count - 1].end() if count <= len(matches) else len(old)


def _keeping_meaning(text: str, chosen: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """``chosen`` split into the findings whose fixes keep the report's text and those
    whose fixes would change it."""
    kept, turned_down = [], []
    for finding in chosen:
        assert finding.fix is not None
        try:
            check_meaning_kept(text, list(finding.fix.edits))
        except FixError:
            turned_down.append(finding)
        else:
            kept.append(finding)
    return kept, turned_down


def _finish(
    text: str,
    fixed: list[Finding],
    findings: list[Finding],
    passes: int,
    refused: set[FixSignature],
    path: str,
) -> FixResult:
    turned_down = [f for f in findings if f.fix and fix_signature(f, text) in refused]
    if turned_down and not fixed:
        raise FixError(
            f"{path}: every fix would change the report's text; nothing was changed",
            turned_down,
        )
    remaining = [f.model_copy(update={"fix": None}) if f in turned_down else f for f in findings]
    return FixResult(text, fixed, remaining, passes, turned_down, frozenset(refused))


def choose_fixes(findings: list[Finding], unsafe: bool) -> tuple[list[Finding], list[Edit]]:
    """The fixes of one pass: whole fixes, in position order, none overlapping another.

    A fix that touches a range an earlier fix already touches waits for the next pass."""
    chosen: list[Finding] = []
    edits: list[Edit] = []
    taken = _TakenRanges()
    candidates = [f for f in findings if f.fix_applies(unsafe)]
    candidates.sort(key=lambda f: min(e.start for e in f.fix.edits) if f.fix else 0)
    for finding in candidates:
        assert finding.fix is not None
        spans = [(e.start, e.end) for e in finding.fix.edits]
        if any(taken.overlaps(span) for span in spans):
            continue
        taken.extend(spans)
        chosen.append(finding)
        edits.extend(finding.fix.edits)
    return chosen, sorted(edits, key=lambda e: (e.start, e.end))


class _TakenRanges:
    """The ranges a pass's chosen fixes touch, sorted, so that testing a fix against
    them costs a search, not a scan of every fix chosen before (the square of the
    report's size)."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []
        self.insertions: set[int] = set()
        self.ends_sorted = True
        """Whether the ends grow with the starts, as they do for ranges that do not
        overlap (a fix whose own edits overlap breaks it: then every range is tested)."""

    def overlaps(self, span: tuple[int, int]) -> bool:
        if not self.ends_sorted:
            return any(_overlaps(span, other) for other in self.spans)
        start, end = span
        if start == end and start in self.insertions:
            return True
        # The last range that starts before ``end`` has the greatest end of those that do.
        before = bisect_left(self.spans, (end, -1))
        return before > 0 and self.spans[before - 1][1] > start

    def extend(self, spans: list[tuple[int, int]]) -> None:
        for span in spans:
            at = bisect_right(self.spans, span)
            self.spans.insert(at, span)
            if span[0] == span[1]:
                self.insertions.add(span[0])
            if (at > 0 and self.spans[at - 1][1] > span[1]) or (
                at + 1 < len(self.spans) and span[1] > self.spans[at + 1][1]
            ):
                self.ends_sorted = False


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    # Two insertions at the same point conflict too: their order would be arbitrary.
    # (An insertion strictly inside the other range meets the general condition.)
    return a[0] == a[1] == b[0] == b[1] or (a[0] < b[1] and b[0] < a[1])


def meaningful_characters(text: str) -> str:
    """The Han characters and ASCII letters and digits of ``text``, in order."""
    return "".join(_MEANINGFUL.findall(text))


def check_meaning_kept(before: str, edits: list[Edit]) -> None:
    """Refuse edits that lose, add or reorder a Han character or an ASCII letter or digit.

    Numbering is one exception: a rule that writes a number in front of a name
    (section-number DL304, label-style DL404) marks its edits (``Edit.renumbers``), and a
    marked edit whose old and new text each hold at most one numeral and no other word
    is left out of the comparison. A numeral is Arabic digits or Chinese numerals
    (``三``, ``十二``, ``第三``): Chinese numerals are Han characters, so nothing else
    Han may be in such an edit. LaTeX links are another: link-latex (DL713) marks its
    edits (``Edit.relinks``), and a marked edit that keeps the same characters once the
    command's name is set aside is left out. HTML comments are not rendered, so an edit
    that removes or rewrites one comment (inline suppressions) is left out too."""
    if not edits:
        return
    exempt = [
        e
        for e in edits
        if _is_renumbering(before, e) or _is_relinking(before, e) or _is_comment_edit(before, e)
    ]
    blank = [Edit(start=e.start, end=e.end, content="") for e in exempt]
    left_out = set(exempt)  # edits are frozen: a set tests them by value, as a list did
    others = [e for e in edits if e not in left_out]
    # Outside the edits the text is the same on both sides, and meaningful characters
    # are single characters: comparing the span the edits cover is comparing the whole
    # text, at the cost of the span (per fix, not per report: fixes are checked one by one).
    low, high = min(e.start for e in edits), max(e.end for e in edits)
    kept_before = apply_edits(before, blank, low, high)
    kept_after = apply_edits(before, others + blank, low, high)
    if meaningful_characters(kept_before) != meaningful_characters(kept_after):
        raise FixError("a fix would change the report's text")


def _is_renumbering(text: str, edit: Edit) -> bool:
    """A marked numbering edit whose old and new text are each numbering and markup only:
    at most one run of letters or digits (of any script: ``str.isalnum``), a numeral."""
    return edit.renumbers and all(
        _numeral_at_most(part) for part in (text[edit.start : edit.end], edit.content)
    )


def _numeral_at_most(text: str) -> bool:
    words = _WORDS.findall(text)
    return not words or (len(words) == 1 and is_numeral(words[0]))


_LATEX_LINK_COMMAND = re.compile(r"\\(?:href|url)\{")


def _is_relinking(text: str, edit: Edit) -> bool:
    """A marked LaTeX-link edit that keeps every character but the command's name
    (``\\href{u}{t}`` -> ``[t](u)``), in any order."""
    old = _LATEX_LINK_COMMAND.sub("{", text[edit.start : edit.end])
    return edit.relinks and sorted(meaningful_characters(old)) == sorted(
        meaningful_characters(edit.content)
    )


def _is_comment_edit(text: str, edit: Edit) -> bool:
    """Whether ``edit`` replaces one whole HTML comment (with the whitespace around it)
    by whitespace or by one other comment."""
    return _one_comment(text[edit.start : edit.end]) and (
        not edit.content.strip() or _one_comment(edit.content)
    )


def _one_comment(text: str) -> bool:
    text = text.strip()
    return text.startswith("<!--") and text.find("-->") == len(text) - 3
