"""The work of a ``check`` run on each file, in this process or in a pool of workers.

:class:`FileChecker` lints (or fixes) one file and says what happened in an
:class:`Outcome`: the findings, the fixes applied, what to print (errors, the diff, a
warning) in the order a serial run prints it, the report's archive record. It prints
nothing itself: the command line merges the outcomes strictly in the order the files
were named, so that the output of a run is the same byte for byte whether its files
were checked one after another (``--jobs 1``) or by several processes in any order.

:func:`check_files` runs a list of files: in this process when there are few (a
pre-commit hook already runs its batches side by side) or one job is asked for, else
in a process pool, a chunk of files per task. Each worker process keeps its own
:class:`FileChecker`: its own settings, its own fetcher of day lists per settings
(``--check-source``; not picklable, so never shipped between processes) and the
content cache (:mod:`digestlint.cache`), which several processes share safely.
"""

from __future__ import annotations

import dataclasses
import gc
import math
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from digestlint.api import FixError, FixResult, collector_paused, findings_of, fix_text
from digestlint.config import ConfigError, Settings, SettingsLookup
from digestlint.files import (
    Decoded,
    InputError,
    input_name,
    read_input,
    settings_path,
    write_atomic,
)
from digestlint.findings import Finding, Severity
from digestlint.lintpass import LintPass
from digestlint.output import AppliedFix
from digestlint.registry import find_rule
from digestlint.rules.io_errors import FILE_NOT_WRITTEN
from digestlint.usage import PARALLEL_MIN_FILES

if TYPE_CHECKING:
    from concurrent.futures import Future

    from digestlint.archive import ReportRecord
    from digestlint.cache import CachedLint, ContentCache
    from digestlint.linkcheck import LinkChecker
    from digestlint.sourcecheck import DayLists

MAX_CHUNK = 4
"""The most files a worker is given at once (fewer when there are few files, so that
every worker has some). Small, so that the run's end does not wait on one worker's last
chunk while the others are idle: a task costs about a millisecond, a report tens."""


@dataclass(frozen=True)
class RunOptions:
    """What the command line asked of every file."""

    fix: bool = False
    unsafe: bool = False
    diff: bool = False
    check_links: bool = False
    check_source: bool = False
    link_progress: bool = False
    """The link checker's progress bar (only in this process: bars of several
    processes would garble one another)."""
    verbose: bool = False
    records: bool = False
    """Keep each report's archive record (the run compares two or more reports)."""
    context_only: bool = False
    """The files are ``--archive`` reports, read for their archive records: linted (so
    that the content cache keeps them, record and all, for the next run) but never
    online, whatever the config says."""


@dataclass
class Outcome:
    """What checking one file gave; :meth:`digestlint.cli` merges it in file order."""

    name: str | None = None
    """The name findings use; ``None`` when the file could not be read (an error says why)."""
    source: str = ""
    """The text the report shows: as read, or as fixed."""
    newline: str = "\n"
    findings: list[Finding] = field(default_factory=list)
    applied: list[AppliedFix] = field(default_factory=list)
    events: list[tuple[str, str]] = field(default_factory=list)
    """What to print, in order: ``("error", message)`` (an error of the run, exit 2),
    ``("say-error", message)`` (printed only: a DL002 finding carries it),
    ``("traceback", text)``, ``("diff", text)``, ``("note", message)`` (a warning said
    once per run)."""
    would_fix: int = 0
    records: list[ReportRecord] = field(default_factory=list)
    unwritten: int = 0
    links_offline: bool = False
    source_failures: list[str] = field(default_factory=list)
    """What the source check could not fetch while checking this file."""
    settings_notes: list[str] = field(default_factory=list)
    """Warnings the settings lookup gave while loading this file's config."""
    stdout: bytes | None = None
    """The fixed text of standard input (``- --fix``), for stdout."""
    cache_problem: str | None = None
    """Why the content cache could not be read or written (a warning, said once)."""
    cache_hit: bool = False


def crash_report(error: BaseException, verbose: bool, where: str = "") -> tuple[str | None, str]:
    """The traceback to print (with ``verbose``) and the one-line message of an error
    nobody expected."""
    message = f"{where}internal error: {type(error).__name__}: {error}".rstrip(": ")
    if verbose:
        return "".join(traceback.format_exception(error)), message
    return None, message + " (run with --verbose for the traceback)"


class FileChecker:
    """Checks files one at a time; one per process (see the module docstring)."""

    def __init__(
        self,
        settings: SettingsLookup,
        options: RunOptions,
        cache: ContentCache | None = None,
    ) -> None:
        self.settings = settings
        self.options = options
        self.cache = cache
        self.day_lists: dict[int, DayLists] = {}
        """One fetcher of day lists per settings object (config file)."""
        self._cache_only = False

    def cached(self, path: Path) -> Outcome | None:
        """The outcome of ``path`` when the content cache holds all of it (an unchanged
        file, offline, with nothing to fix in a fix run); ``None``: check it. Nothing is
        reported here: a damaged entry or an unreadable file is met again, and reported,
        when the file is checked."""
        if self.cache is None:
            return None
        self._cache_only = True
        try:
            outcome = self.check(path)
        finally:
            self._cache_only = False
        return outcome if outcome.cache_hit and not outcome.events else None

    def check(self, path: Path | None, stdin_filename: str | None = None) -> Outcome:
        outcome = Outcome()
        links: list[LinkChecker] = []
        notes_before = len(self.settings.notes)
        failures_before = {key: len(d.failures) for key, d in self.day_lists.items()}
        try:
            self._check(path, stdin_filename, links, outcome)
        except (Exception, RecursionError, MemoryError) as error:
            # A bug (or a machine out of memory) costs this file, not the run's report.
            name = input_name(path, stdin_filename)
            shown, message = crash_report(error, self.options.verbose, f"{name}: ")
            if shown is not None:
                outcome.events.append(("traceback", shown))
            outcome.events.append(("error", message))
        outcome.links_offline = any(checker.offline for checker in links)
        outcome.settings_notes = self.settings.notes[notes_before:]
        # What the day lists could not fetch while checking this file (a fetcher of
        # another process may say the same: the command line says it once).
        outcome.source_failures = [
            message
            for key, day_lists in self.day_lists.items()
            for message in day_lists.failures[failures_before.get(key, 0) :]
        ]
        return outcome

    # A file's whole pass (the parse included, which lint_text also covers) runs with
    # the cycle collector paused: see api.collector_paused.
    @collector_paused
    def _check(
        self,
        path: Path | None,
        stdin_filename: str | None,
        links_made: list[LinkChecker],
        outcome: Outcome,
    ) -> None:
        """Lint (or fix) one file; the link checker it makes, if any, goes into
        ``links_made``, where :meth:`check` finds it even after a crash."""
        options = self.options
        name = input_name(path, stdin_filename)
        try:
            settings = self.settings.for_path(settings_path(path, stdin_filename))
            decoded = read_input(path, name)
        except (InputError, ConfigError) as error:
            outcome.events.append(("error", str(error)))
            return
        outcome.name, outcome.source, outcome.newline = name, decoded.text, decoded.newline
        wants_links = not options.context_only and (
            options.check_links or settings.config.links.online
        )
        wants_source = not options.context_only and (
            options.check_source or settings.config.source.online
        )
        if self._cache_only and (wants_links or wants_source):
            return
        links = None
        if wants_links:
            from digestlint.linkcheck import LinkChecker

            links = LinkChecker.from_settings(settings, progress=options.link_progress)
            links_made.append(links)
        day_lists = self._day_lists(settings, outcome)
        online = links is not None or day_lists is not None
        # Online findings are never served from the content cache: the link checker
        # and the day lists keep their own caches, with their own ages. Nor is standard
        # input kept: an editor's unsaved buffers would fill it.
        cache = None if online or path is None or decoded.original is None else self.cache
        cached = _cached(cache, name, decoded, settings, outcome)
        if cached is not None and not (
            (options.fix or options.diff)
            and any(f.fix_applies(options.unsafe) for f in cached.findings)
        ):
            # Nothing to fix (or only linting): the file as it is, as linted before.
            outcome.cache_hit = True
            outcome.findings.extend(cached.findings)
            if options.records and cached.record is not None:
                outcome.records.append(cached.record)
            return
        if self._cache_only:
            return
        if not (options.fix or options.diff):
            outcome.findings.extend(
                self._lint(
                    decoded.text,
                    settings,
                    name,
                    outcome,
                    links=links,
                    day_lists=day_lists,
                    record=options.records or cache is not None,
                )
            )
            self._store(cache, name, decoded, settings, outcome)
            return
        try:
            result = fix_text(decoded.text, settings, name, unsafe=options.unsafe)
        except FixError as error:
            outcome.events.append(("error", str(error)))
            _refused(error.refused, outcome)
            before = self._lint(
                decoded.text, settings, name, outcome, links=links, day_lists=day_lists
            )
            outcome.findings.extend(_without_fixes(before, error.refused))
            return
        if options.diff:
            # Nothing is written, so findings are reported where they are in the file as
            # it is: those the diff does not fix (no fix, a refused one, or an unsafe one
            # not opted into).
            if decoded.text != result.text:
                outcome.events.append(("diff", unified_diff(name, decoded.text, result.text)))
            outcome.would_fix += len(result.fixed)
            outcome.applied.extend(_applied(name, result))
            before = self._lint(
                decoded.text, settings, name, outcome, links=links, day_lists=day_lists
            )
            refused = [f for f in before if result.was_refused(f, decoded.text)]
            _refused(refused, outcome)
            unfixed = [f for f in before if f in refused or not f.fix_applies(options.unsafe)]
            outcome.findings.extend(_without_fixes(unfixed, refused))
            return
        _refused(result.refused, outcome)
        if (
            path is not None
            and result.changed
            and not _write(path, name, decoded, result.text, outcome)
        ):
            # Nothing was fixed: the file's findings are all still there.
            outcome.findings.extend(
                self._lint(decoded.text, settings, name, outcome, links=links, day_lists=day_lists)
            )
            return
        remaining = result.remaining
        outcome.source = result.text
        # A file with nothing to fix was linted as a lint run lints it: the cache keeps
        # that for the next run (lint or fix).
        untouched = cache is not None and not result.changed and not result.refused
        if online:
            remaining = self._lint(
                result.text, settings, name, outcome, links=links, day_lists=day_lists
            )
        elif options.records or untouched:
            final = result.final_pass or LintPass(result.text, settings, name)
            outcome.records.append(_record_of(final))
        outcome.findings.extend(remaining)
        outcome.applied.extend(_applied(name, result))
        if untouched:
            self._store(cache, name, decoded, settings, outcome)
        if path is None:
            outcome.stdout = decoded.encode(result.text)

    def _lint(
        self,
        text: str,
        settings: Settings,
        name: str,
        outcome: Outcome,
        *,
        links: LinkChecker | None,
        day_lists: DayLists | None,
        record: bool | None = None,
    ) -> list[Finding]:
        """``lint_text``, keeping the report's archive record when ``record`` (default:
        the run compares reports); a lint the content cache keeps asks for it too, for
        a later run that does."""
        lint_pass = LintPass(text, settings, name, links=links, day_lists=day_lists)
        findings = findings_of(lint_pass)
        if self.options.records if record is None else record:
            outcome.records.append(_record_of(lint_pass))
        return findings

    def _day_lists(self, settings: Settings, outcome: Outcome) -> DayLists | None:
        """This process's fetcher of day lists for ``settings``, when the source is
        checked; its new failures go into ``outcome`` when the file is done."""
        if self.options.context_only or not (
            self.options.check_source or settings.config.source.online
        ):
            return None
        if settings.profile.source is None:
            outcome.events.append(
                (
                    "note",
                    f"source check: profile `{settings.profile.name}` names no source; "
                    "its reports are not checked against one (docs/source.md)",
                )
            )
            return None
        if id(settings) not in self.day_lists:
            from digestlint.sourcecheck import DayLists

            self.day_lists[id(settings)] = DayLists(settings)
        return self.day_lists[id(settings)]

    def _store(
        self,
        cache: ContentCache | None,
        name: str,
        decoded: Decoded,
        settings: Settings,
        outcome: Outcome,
    ) -> None:
        """Keep a lint outcome for the next run; not one with an error (a crash) in it."""
        if cache is None or decoded.original is None:
            return
        if not any(kind != "note" for kind, _ in outcome.events):
            record = outcome.records[-1] if outcome.records else None
            cache.put(name, decoded.original, settings, outcome.findings, record)
            outcome.cache_problem = outcome.cache_problem or cache.take_problem()
        if not self.options.records:
            outcome.records.clear()


def _cached(
    cache: ContentCache | None, name: str, decoded: Decoded, settings: Settings, outcome: Outcome
) -> CachedLint | None:
    if cache is None or decoded.original is None:
        return None
    found = cache.get(name, decoded.original, settings)
    outcome.cache_problem = outcome.cache_problem or cache.take_problem()
    return found


def _record_of(lint_pass: LintPass) -> ReportRecord:
    from digestlint.archive import record_of

    return record_of(lint_pass)


def _refused(findings: list[Finding], outcome: Outcome) -> None:
    """A fix the meaning check refused is a bug in its rule: an error (exit 2) per
    finding, while the file's other fixes are applied."""
    for f in findings:
        outcome.events.append(
            (
                "error",
                f"{f.path}:{f.line}:{f.column}: {f.code} [{f.name}] fix not applied: it would "
                "change the report's text (a bug in digestlint; please report it)",
            )
        )


def _write(path: Path, name: str, decoded: Decoded, text: str, outcome: Outcome) -> bool:
    """Write the fixed ``text``; on failure, report it as a DL002 finding (in every
    output format) and on stderr, and return ``False``."""
    try:
        write_atomic(path, decoded.encode(text), decoded.original)
    except OSError as error:
        reason = error.strerror or str(error)
        outcome.events.append(("say-error", f"{name}: cannot write: {reason}"))
        outcome.unwritten += 1
        rule = find_rule(FILE_NOT_WRITTEN)
        assert rule is not None
        outcome.findings.append(
            Finding(
                path=name,
                line=1,
                column=1,
                end_line=1,
                end_column=1,
                code=rule.code,
                name=rule.name,
                severity=Severity.ERROR,
                message=f"fixes not written: {reason}",
            )
        )
        return False
    return True


def _applied(name: str, result: FixResult) -> list[AppliedFix]:
    """The fixes of ``result``, at their places in the file as it was read."""
    return [
        AppliedFix(
            path=name,
            line=line,
            column=column,
            code=finding.code,
            name=finding.name,
            title=finding.fix.message if finding.fix else "",
        )
        for finding, (line, column) in zip(result.fixed, result.fixed_at, strict=True)
    ]


def _without_fixes(findings: list[Finding], refused: list[Finding]) -> list[Finding]:
    """``findings``, those in ``refused`` without their fix: it is not applied."""
    return [f.model_copy(update={"fix": None}) if f in refused else f for f in findings]


def unified_diff(name: str, before: str, after: str) -> str:
    """A unified diff that ``patch`` and ``git apply`` accept: a last line without a
    newline is marked as such, instead of running into the next diff line."""
    import difflib

    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{name}",
        tofile=f"b/{name}",
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
        for line in lines
    )


# -- many files ----------------------------------------------------------------------


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity mask, where the system has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def workers_for(files: int, jobs: int | None) -> int:
    """How many processes check ``files`` files with ``--jobs jobs`` (``None``: as many
    as there are CPUs); 1 means this process, no pool."""
    wanted = jobs if jobs is not None else available_cpus()
    if wanted <= 1 or files < PARALLEL_MIN_FILES:
        return 1
    return min(wanted, files)


def chunks(paths: Sequence[Path], workers: int) -> list[list[Path]]:
    """``paths`` cut into runs of consecutive files: at least four per worker, at most
    :data:`MAX_CHUNK` files each, so that the last tasks finish together."""
    size = max(1, min(MAX_CHUNK, math.ceil(len(paths) / (workers * 4))))
    return [list(paths[start : start + size]) for start in range(0, len(paths), size)]


def check_files(
    paths: Sequence[Path],
    checker: FileChecker,
    jobs: int | None,
    on_done: Callable[[int], None] | None = None,
) -> Iterator[Outcome]:
    """The outcomes of ``paths``, in their order, as soon as each one and all before it
    are known; ``on_done(count)`` after each batch. The content cache is read here
    first (a hit costs less than sending a file to a worker and back); the other files
    go to a process pool when :func:`workers_for` says so, else ``checker`` checks them
    here."""
    hits = _cache_hits(paths, checker)
    # What is alive now (the modules, the settings, the findings just read) lives until
    # the run ends: left out of the cycle collector's walks from here on, the full one
    # at exit included, each of which walked all of it again (a tenth of a warm run of
    # 200 reports); forked workers share it untouched. It is never unfrozen: the
    # process ends with the run (the tests, which run the command line in theirs,
    # unfreeze it after each test).
    gc.freeze()
    if hits and on_done is not None:
        on_done(len(hits))
    misses = [path for index, path in enumerate(paths) if index not in hits]
    checked = _checked(misses, checker, jobs, on_done)
    try:
        for index in range(len(paths)):
            yield hits[index] if index in hits else next(checked)
    finally:
        checked.close()


# The findings read from the cache live until the run ends and hold no cycles: with
# the collector running, collections walked them again and again.
@collector_paused
def _cache_hits(paths: Sequence[Path], checker: FileChecker) -> dict[int, Outcome]:
    """The outcomes the content cache holds whole, by index in ``paths``."""
    hits: dict[int, Outcome] = {}
    for index, path in enumerate(paths if checker.cache is not None else ()):
        outcome = checker.cached(path)
        if outcome is not None:
            hits[index] = outcome
    return hits


def _checked(
    paths: Sequence[Path],
    checker: FileChecker,
    jobs: int | None,
    on_done: Callable[[int], None] | None,
) -> Iterator[Outcome]:
    """The outcomes of ``paths`` (see :func:`check_files`), none from the cache's first
    reading."""
    workers = workers_for(len(paths), jobs)
    if workers == 1:
        for path in paths:
            outcome = checker.check(path)
            if on_done is not None:
                on_done(1)
            yield outcome
        return
    from concurrent.futures import ProcessPoolExecutor

    batches = chunks(paths, workers)
    try:
        executor = ProcessPoolExecutor(
            max_workers=min(workers, len(batches)),
            mp_context=_pool_context(),
            initializer=_start_worker,
            initargs=(checker.settings, checker.options, checker.cache),
        )
        futures: list[Future[list[Outcome]]] = [
            executor.submit(_check_batch, batch) for batch in batches
        ]
    except Exception as error:  # no /dev/shm, no fork, settings that do not pickle
        _note(checker, f"--jobs: no worker processes ({error}); the files are checked here")
        yield from _checked(paths, checker, 1, on_done)
        return
    try:
        for batch, future in zip(batches, futures, strict=True):
            try:
                outcomes = future.result()
            except Exception as error:
                # A worker that died (killed, out of memory) or an outcome that could not
                # come back: the pool is broken from then on, and this batch and the ones
                # after it are checked here, where an error is reported per file.
                _note(
                    checker,
                    f"--jobs: a worker process failed ({error or type(error).__name__}); its files and the rest are checked here",
                )
                outcomes = [checker.check(path) for path in batch]
            if on_done is not None:
                on_done(len(batch))
            yield from outcomes
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _note(checker: FileChecker, message: str) -> None:
    """A warning the command line prints once at the end of the run."""
    if message not in checker.settings.notes:
        checker.settings.notes.append(message)


def _pool_context() -> object:
    """How workers start. ``fork`` on Linux: a forked worker has the parent's imports
    and loaded settings at no cost, where ``spawn`` re-imports digestlint (a third of a
    second a worker). Forking is safe only with one thread (a lock held by another
    thread stays held in the child), and macOS's system libraries do not survive a
    fork: there, and with threads, ``spawn``, which pickles the settings instead."""
    import multiprocessing

    if sys.platform == "linux" and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


_WORKER: FileChecker | None = None
"""The worker process's checker (see :func:`_start_worker`)."""


def _start_worker(
    settings: SettingsLookup, options: RunOptions, cache: ContentCache | None
) -> None:
    global _WORKER
    # Ctrl-C reaches every process of the terminal's group: the parent stops the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Bars of several processes on one terminal garble one another; the command line
    # draws the run's progress line instead.
    options = dataclasses.replace(options, link_progress=False)
    _WORKER = FileChecker(settings, options, cache)


def _check_batch(paths: list[Path]) -> list[Outcome]:
    assert _WORKER is not None
    return [_WORKER.check(path) for path in paths]
