"""The command line: reads files, calls the API, writes fixes and reports. Nothing else.

Importing it costs little: ``--version`` and ``--help`` need only click and the option
lists, so the settings, the rules, the runner and the output formats are imported by
the commands that use them (``python -X importtime -m digestlint --version``)."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from digestlint import __version__, usage
from digestlint.files import (
    input_name,
    printable,
    settings_path,
    write_new_file,
)
from digestlint.output import FORMATTERS, AppliedFix, Report
from digestlint.output.terminal import PLAIN, Terminal, Verbosity
from digestlint.severity import Severity
from digestlint.usage import PARALLEL_MIN_FILES

if TYPE_CHECKING:
    from digestlint.archive import ReportRecord
    from digestlint.cache import ContentCache
    from digestlint.config import SettingsLookup
    from digestlint.findings import Finding
    from digestlint.runner import Outcome

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FAIL_LEVELS = [severity.value for severity in reversed(Severity)]  # info, warning, error


class MainGroup(click.Group):
    """``digestlint PATHS`` runs ``check``; ``digestlint rule ...`` and friends are subcommands."""

    default_command = "check"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # `digestlint --help` describes the commands; `digestlint --fix --help` is check's.
        if not args or (args[0] not in self.commands and args[0] not in _GROUP_OPTIONS):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> object:
        """Any error nobody expected is one line and exit 2 (1 means findings): the
        traceback only with ``--verbose``."""
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except (Exception, RecursionError, MemoryError) as error:
            _report_crash(error, bool(ctx.meta.get(VERBOSE_KEY)), _terminal())
            sys.exit(EXIT_ERROR)


VERBOSE_KEY = "digestlint.verbose"
"""``click.Context.meta`` key (shared by every context of a run): ``--verbose`` given."""
TERMINAL_KEY = "digestlint.terminal"
"""``click.Context.meta`` key: the run's :class:`Terminal` (``--quiet``, ``--silent``)."""


def _terminal() -> Terminal:
    context = click.get_current_context(silent=True)
    found = context.meta.get(TERMINAL_KEY) if context is not None else None
    return found if isinstance(found, Terminal) else Terminal()


def _report_crash(error: BaseException, verbose: bool, terminal: Terminal) -> None:
    from digestlint.runner import crash_report

    shown, message = crash_report(error, verbose)
    if shown is not None:
        terminal.raw_error(shown)
    terminal.error(message)


_GROUP_OPTIONS = ("--version", "-h", "--help")


@click.group(cls=MainGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="digestlint")
def main() -> None:
    """Lint and fix daily papers digest reports (Markdown).

    \b
      digestlint PATHS...        lint files, directories (**/*.md, **/*.markdown) or -;
                                 the same as `digestlint check PATHS...`
      digestlint --fix PATHS...  apply the safe fixes, then report what is left
      digestlint rule DL401      a rule's documentation (`rule --all`: every rule)
      digestlint export PATH     the parsed report as JSON

    `digestlint check --help` lists the options for linting and fixing.
    Exit codes: 0 nothing at or above the fail level (`--fail-level`, default: any
    finding fails), 1 findings at or above it remain, 2 usage, config or I/O error.
    """


# Options that `check` and `export` share.
config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Use this config file (pyproject.toml or .digestlint.toml) instead of the "
    "nearest one above each file.",
)
stdin_filename_option = click.option(
    "--stdin-filename",
    metavar="PATH",
    help="With `-`: the path to show in findings and to find the config for.",
)


def _split_commas(values: tuple[str, ...]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


@main.command(
    "check",
    short_help="Lint (and with --fix, fix) reports; the default command.",
    epilog="Exit codes: 0 nothing at or above the fail level, 1 findings at or above it "
    "remain (or --diff has changes), 2 usage, config or I/O error (or --check-links or "
    "--check-source with no network, or a fix refused because it would change the text). "
    "Other commands: `digestlint rule CODE`, "
    "`digestlint export PATH`.",
)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--fix", is_flag=True, help="Apply safe fixes in place, then report what is left.")
@click.option(
    "--unsafe-fixes",
    is_flag=True,
    help="Apply unsafe fixes too (with --fix or --diff), and mark them [*].",
)
@click.option(
    "--diff",
    is_flag=True,
    help="Print a unified diff of the fixes instead of writing them; exit 1 if there is one.",
)
@click.option(
    "--show-fixes",
    is_flag=True,
    help="With --fix (or --diff): list each fix applied, file by file, where its finding "
    "was (path:line:column: fixed CODE [name]).",
)
@click.option(
    "--select",
    multiple=True,
    metavar="RULES",
    help="Run only these rules, replacing the config's `select`: codes (DL401), "
    "prefixes (DL4) or names (stray-h1), comma-separated.",
)
@click.option(
    "--extend-select",
    multiple=True,
    metavar="RULES",
    help="Run these rules as well as the selected ones.",
)
@click.option(
    "--ignore",
    multiple=True,
    metavar="RULES",
    help="Skip these rules (codes, prefixes or names, comma-separated).",
)
@config_option
@click.option(
    "--fail-level",
    type=click.Choice(FAIL_LEVELS),
    default=None,
    help="Exit 1 only for findings of this severity or graver; the others are still "
    "reported. Default: the root config's `fail-level`, else info (any finding).",
)
@click.option(
    "--format",
    "--output-format",
    "output_format",
    default=None,
    metavar="FORMAT",
    help="Output format: "
    + ", ".join(FORMATTERS)
    + " (default: text; github when GITHUB_ACTIONS=true).",
)
@click.option(
    "--output-file",
    type=click.Path(path_type=Path),
    help="Write the report to this file (its directory is made if missing) instead of stdout.",
)
@click.option(
    "--exit-zero",
    is_flag=True,
    help="Exit 0 even when findings remain (unreadable files and bad config still exit 2).",
)
@click.option(
    "--exit-non-zero-on-fix",
    is_flag=True,
    help="Exit 1 when --fix changed a file, even if no findings remain (for pre-commit).",
)
@click.option(
    "--statistics",
    is_flag=True,
    help="Print a count per rule instead of each finding (with --format text or json).",
)
@click.option(
    "-q", "--quiet", is_flag=True, help="Print the findings only: no summary, no warnings."
)
@click.option(
    "-s",
    "--silent",
    is_flag=True,
    help="Print nothing: the exit code tells (--output-file is still written).",
)
@click.option(
    "--stdin-filename",
    metavar="PATH",
    help="Read the report from standard input (as `-` does), show it as PATH in findings "
    "and find its config from there.",
)
@click.option(
    "--show-settings",
    is_flag=True,
    help="Print the settings that apply to the one file given (config files, profile, "
    "fail level, rules with their options) and lint nothing.",
)
@click.option(
    "--check-links",
    is_flag=True,
    help="Also request every http(s) link (DL711 link-dead, DL712 link-refused).",
)
@click.option(
    "--check-source",
    is_flag=True,
    help="Also check each report against its source's list of the day (DL611-DL614; "
    "docs/source.md).",
)
@click.option(
    "--no-progress",
    is_flag=True,
    help="No progress line on stderr (shown on a terminal when many files are linted, "
    "or for the online link checks of a few).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Check files in N processes (default: the CPUs this process may use; fewer "
    f"than {PARALLEL_MIN_FILES} files are checked in one). `--jobs 1`: one process, "
    "for debugging. The output is the same either way.",
)
@click.option(
    "--no-cache",
    is_flag=True,
    envvar="DIGESTLINT_NO_CACHE",
    help="Lint every file, neither reading nor writing the content cache "
    "(env DIGESTLINT_NO_CACHE=1).",
)
@click.option(
    "--cache-dir",
    # Not checked here: a cache that cannot be used is a warning, not a usage error.
    type=click.Path(path_type=Path),
    envvar="DIGESTLINT_CACHE_DIR",
    help="Keep the content cache here (env DIGESTLINT_CACHE_DIR; default: "
    ".digestlint_cache next to the root config, else in the working directory).",
)
@click.option(
    "--archive",
    "archive_dirs",
    multiple=True,
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Compare the reports with those under this directory too (paper-repeated "
    "DL621, day-repeated DL622, day-duplicate DL623); its files are not linted or reported.",
)
@click.option(
    "--force-exclude",
    is_flag=True,
    help="Apply the config's `exclude` to files named on the command line too "
    "(as pre-commit names them); by default a named file is always linted.",
)
@click.option("--verbose", is_flag=True, help="Print the traceback of an internal error (a bug).")
def check(
    paths: tuple[Path, ...],
    fix: bool,
    unsafe_fixes: bool,
    diff: bool,
    show_fixes: bool,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    config_path: Path | None,
    fail_level: str | None,
    output_format: str | None,
    output_file: Path | None,
    exit_zero: bool,
    exit_non_zero_on_fix: bool,
    statistics: bool,
    quiet: bool,
    silent: bool,
    stdin_filename: str | None,
    show_settings: bool,
    check_links: bool,
    check_source: bool,
    no_progress: bool,
    jobs: int | None,
    no_cache: bool,
    cache_dir: Path | None,
    archive_dirs: tuple[Path, ...],
    force_exclude: bool,
    verbose: bool,
) -> None:
    """Lint digest reports: files, directories (their **/*.md and **/*.markdown, or the
    config's `include`) or `-` for stdin."""
    from digestlint.config import ConfigError, SettingsLookup
    from digestlint.output.text import format_applied
    from digestlint.runner import FileChecker, RunOptions, check_files

    context = click.get_current_context()
    context.meta[VERBOSE_KEY] = verbose
    verbosity = Verbosity.SILENT if silent else Verbosity.QUIET if quiet else Verbosity.NORMAL
    terminal = context.meta[TERMINAL_KEY] = Terminal(verbosity)
    output_format = usage.output_format(output_format, statistics=statistics)
    usage.check_options(
        output_format,
        output_file,
        diff=diff,
        fix=fix,
        statistics=statistics,
        show_fixes=show_fixes,
        fixed_stdin=fix and (Path("-") in paths or stdin_filename is not None),
    )
    paths = usage.stdin_paths(paths, stdin_filename, terminal)
    selection = {
        "--select": _split_commas(select),
        "--extend-select": _split_commas(extend_select),
        "--ignore": _split_commas(ignore),
    }
    _check_selectors(selection)
    settings = SettingsLookup(
        config_path,
        select=selection["--select"],
        extend_select=selection["--extend-select"],
        ignore=selection["--ignore"],
        force_exclude=force_exclude,
    )
    if show_settings:
        _show_settings(paths, stdin_filename, settings, output_format, fail_level, terminal)
        return
    try:
        targets = list(_targets(paths or (Path("."),), settings, terminal))
        archive = _archive_files(archive_dirs, targets, settings)
    except ConfigError as error:
        _fail(str(error))
    run = _Run(settings, terminal, records=len(targets) + len(archive) >= 2)
    files = [target for target in targets if target is not None]

    def progress_line(total: int, doing: str = "linted {done}/{total} files") -> _Progress:
        """A progress line on stderr when many files are checked on a terminal."""
        shown = (
            not no_progress
            and terminal.shows_progress
            and total >= PARALLEL_MIN_FILES
            and sys.stderr.isatty()
        )
        return _Progress(total, shown, doing)

    progress = progress_line(len(files))
    options = RunOptions(
        fix=fix,
        unsafe=unsafe_fixes,
        diff=diff,
        check_links=check_links,
        check_source=check_source,
        # One bar at a time: the files' progress line, or each file's link checks.
        link_progress=not no_progress and terminal.shows_progress and not progress.shown,
        verbose=verbose,
        records=run.records is not None,
    )
    cache = _content_cache(no_cache, cache_dir, settings)
    checker = FileChecker(settings, options, cache)
    if _online(settings, check_links, check_source):
        # The network limits (per host, in all) and the day lists' fetches hold for the
        # run, which one process keeps; workers would each have their own.
        jobs = 1
    with contextlib.closing(check_files(files, checker, jobs, progress.advance)) as outcomes:
        for target in targets:
            # Standard input is read here, in its place among the files.
            outcome = checker.check(None, stdin_filename) if target is None else next(outcomes)
            if outcome.events or outcome.stdout is not None:
                progress.clear()
            run.merge(outcome)
    progress.clear()
    if run.records is not None and archive:
        # The archive's reports are linted as a lint run lints them (through the content
        # cache: a report unchanged since it was last linted costs a read), and their
        # records join the files'; their findings are not reported.
        reading = progress_line(len(archive), "read {done}/{total} archive reports")
        context = FileChecker(settings, RunOptions(records=True, context_only=True), cache)
        with contextlib.closing(check_files(archive, context, jobs, reading.advance)) as read:
            for outcome in read:
                run.merge_context(outcome)
        reading.clear()
    run.compare_reports()
    if cache is not None:
        cache.prune()  # at most once a day: entries unused for 30 days
    run.report_source_failures()
    for note in dict.fromkeys(settings.notes):
        terminal.warning(note)
    report = Report(
        findings=run.findings,
        files=run.files,
        applied=run.applied,
        errors=run.errors,
        sources=run.sources,
        newlines=run.newlines,
        unsafe_fixes=unsafe_fixes,
        would_fix=run.would_fix,
        fix=fix,
        diff=diff,
        fail_level=Severity(fail_level) if fail_level else settings.fail_level(),
    )
    # With `- --fix` the fixed text owns stdout, so the report goes to stderr (as in ruff).
    to_stderr = run.wrote_stdout
    if show_fixes:
        terminal.report(format_applied(report, terminal.style(to_stderr)), err=to_stderr)
    _emit(report, output_format, output_file, statistics, terminal, to_stderr=to_stderr)
    if run.errors or run.unwritten:
        sys.exit(EXIT_ERROR)
    if run.diffs and not exit_zero:
        sys.exit(EXIT_FINDINGS)
    if exit_non_zero_on_fix and run.applied:
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_FINDINGS if report.failing() and not exit_zero else EXIT_CLEAN)


def _online(settings: SettingsLookup, check_links: bool, check_source: bool) -> bool:
    """Whether the run makes requests: the flags, or the root configuration's
    ``online`` switches (network permissions come from it alone)."""
    from digestlint.config import Settings

    root = settings.root()[1]
    configured = isinstance(root, Settings) and (
        root.config.links.online or root.config.source.online
    )
    return check_links or check_source or configured


def _content_cache(
    no_cache: bool, cache_dir: Path | None, settings: SettingsLookup
) -> ContentCache | None:
    """The run's content cache (:mod:`digestlint.cache`), unless ``--no-cache``."""
    if no_cache:
        return None
    from digestlint.cache import ContentCache, code_identity, default_directory

    code = code_identity()
    if code is None:
        settings.notes.append(
            "cache: digestlint's files could not be read (a zip import?), so the content "
            "cache is off for this run"
        )
        return None
    directory = cache_dir or default_directory(settings.root()[0])
    return ContentCache(directory, code)


def _show_settings(
    paths: tuple[Path, ...],
    stdin_filename: str | None,
    settings: SettingsLookup,
    output_format: str,
    fail_level: str | None,
    terminal: Terminal,
) -> None:
    """``--show-settings FILE``: the settings that apply to FILE, as text or JSON."""
    from digestlint.config import ConfigError
    from digestlint.output.settings import describe_settings, format_settings

    if len(paths) != 1:
        raise click.UsageError("--show-settings takes one file (or - with --stdin-filename)")
    if output_format not in usage.STATISTICS_FORMATS:
        raise click.UsageError(
            f"--show-settings has no {output_format} form; use --format text or json"
        )
    path = None if str(paths[0]) == "-" else paths[0]
    where = settings_path(path, stdin_filename)
    try:
        applying = settings.for_path(where)
    except ConfigError as error:
        _fail(str(error))
    data = describe_settings(
        input_name(path, stdin_filename),
        applying,
        config_file=settings.config_file(where),
        root_config=settings.root()[0],
        fail_level=Severity(fail_level) if fail_level else settings.fail_level(),
    )
    for note in dict.fromkeys(settings.notes):
        terminal.warning(note)
    terminal.report(format_settings(data, as_json=output_format == "json"))


def _check_selectors(selection: dict[str, list[str]]) -> None:
    """A selector on the command line that matches no rule is a usage error of that
    option (not of the config file the settings come from)."""
    from digestlint.registry import all_rules, matches

    rules = all_rules()
    for option, selectors in selection.items():
        for selector in selectors:
            if not any(matches(rule_, selector) for rule_ in rules):
                _fail(
                    f"{option}: no rule matches {selector!r}; "
                    "`digestlint rule --all` lists the codes and names"
                )


def _targets(
    paths: tuple[Path, ...], settings: SettingsLookup, terminal: Terminal
) -> list[Path | None]:
    """The files to check, each once (a file named twice, or reached through two
    arguments, is checked where it first comes: fixing it twice at once would race);
    a directory without reports is a warning, never a silent pass."""
    found: list[Path | None] = []
    seen: set[Path] = set()
    for path in paths:
        files = list(settings.inputs([path]))
        if path.is_dir() and not files:
            terminal.warning(
                f"{path}: no Markdown files to lint (none matches `include`, or all excluded)"
            )
        for file in files:
            if file is not None:
                real = file.resolve()
                if real in seen:
                    continue
                seen.add(real)
            found.append(file)
    return found


def _archive_files(
    directories: tuple[Path, ...], targets: list[Path | None], settings: SettingsLookup
) -> list[Path]:
    """The reports under ``--archive`` directories that are not linted in this run."""
    linted = {target.resolve() for target in targets if target is not None}
    found: list[Path] = []
    for path in settings.inputs(directories):
        if path is not None and path.resolve() not in linted:
            linted.add(path.resolve())
            found.append(path)
    return found


class _Run:
    """The run's findings, fixes and errors, merged from each file's outcome in the
    order the files were named (:mod:`digestlint.runner` checks them)."""

    def __init__(self, settings: SettingsLookup, terminal: Terminal, records: bool) -> None:
        self.settings = settings
        self.terminal = terminal
        self.unwritten = 0
        self.findings: list[Finding] = []
        self.files: list[str] = []
        self.errors: list[str] = []
        self.diffs: list[str] = []
        self.sources: dict[str, str] = {}
        self.newlines: dict[str, str] = {}
        self.applied: list[AppliedFix] = []
        self.would_fix = 0
        self.wrote_stdout = False
        self.offline_reported = False
        self.cache_warned = False
        self.notes: list[str] = []
        """Warnings said once per run."""
        self.source_failures: list[str] = []
        """What the source check could not fetch, per settings (config file)."""
        self.records: list[ReportRecord] | None = [] if records else None
        """Each report's archive record, when the run compares reports (two or more)."""

    def merge(self, outcome: Outcome) -> None:
        """One file's outcome: printed and counted as a serial run prints and counts it."""
        for kind, text in outcome.events:
            if kind == "error":
                self._error(text)
            elif kind == "say-error":
                self.terminal.error(text)
            elif kind == "traceback":
                self.terminal.raw_error(text)
            elif kind == "diff":
                self.diffs.append(text)
                self.terminal.report(text)
            elif kind == "note" and text not in self.notes:
                self.notes.append(text)
                self.terminal.warning(text)
        if outcome.name is not None:
            self.files.append(outcome.name)
            self.sources[outcome.name] = outcome.source
            if outcome.newline != "\n":
                self.newlines[outcome.name] = outcome.newline
        self.findings.extend(outcome.findings)
        self.applied.extend(outcome.applied)
        self.would_fix += outcome.would_fix
        self.unwritten += outcome.unwritten
        if self.records is not None:
            self.records.extend(outcome.records)
        # A worker's settings lookup is its own; this process's already has its notes.
        self.settings.notes.extend(
            n for n in outcome.settings_notes if n not in self.settings.notes
        )
        self.source_failures.extend(outcome.source_failures)
        if outcome.cache_problem is not None and not self.cache_warned:
            self.cache_warned = True
            self.terminal.warning(outcome.cache_problem)
        if outcome.stdout is not None:
            self.wrote_stdout = True
            sys.stdout.buffer.write(outcome.stdout)
            sys.stdout.flush()
        if outcome.links_offline and not self.offline_reported:
            # The run could not do what --check-links asked: an error (exit 2), said once.
            self.offline_reported = True
            self._error(
                "link check: no host name could be resolved; is this machine offline? "
                "(links that needed one were not checked)"
            )

    def report_source_failures(self) -> None:
        """What the source check could not fetch: an error each (exit 2), said once."""
        for message in dict.fromkeys(self.source_failures):
            self._error(message)

    def merge_context(self, outcome: Outcome) -> None:
        """An ``--archive`` report's outcome: its record, and what kept it from being
        read; its findings are not the run's."""
        for kind, text in outcome.events:
            if kind == "error":
                self._error(f"--archive: {text}")
            elif kind == "traceback":
                self.terminal.raw_error(text)
        if self.records is not None:
            self.records.extend(record.as_context() for record in outcome.records)
        self.settings.notes.extend(
            n for n in outcome.settings_notes if n not in self.settings.notes
        )
        if outcome.cache_problem is not None and not self.cache_warned:
            self.cache_warned = True
            self.terminal.warning(outcome.cache_problem)

    def compare_reports(self) -> None:
        """The cross-report step, after every file (and every ``--archive`` report): the
        findings join those of their files."""
        if self.records is None:
            return
        from digestlint.archive import archive_findings

        found = archive_findings(self.records)
        if not found:
            return
        order = {name: index for index, name in enumerate(self.files)}
        for findings in found.values():
            self.findings.extend(findings)
        self.findings.sort(key=lambda f: (order.get(f.path, len(order)), f.sort_key))

    def _error(self, message: str) -> None:
        self.errors.append(message)
        self.terminal.error(message)


class _Progress:
    """``linted 120/200 files`` on stderr, redrawn in place and cleared at the end."""

    def __init__(
        self, total: int, shown: bool, doing: str = "linted {done}/{total} files"
    ) -> None:
        self.total, self.shown, self.done = total, shown, 0
        self.doing = doing
        self.width = 0

    def advance(self, count: int) -> None:
        self.done += count
        if self.shown:
            line = self.doing.format(done=self.done, total=self.total)
            self.width = max(self.width, len(line))
            sys.stderr.write("\r" + line)
            sys.stderr.flush()

    def clear(self) -> None:
        if self.shown and self.width:
            sys.stderr.write("\r" + " " * self.width + "\r")
            sys.stderr.flush()
            self.width = 0


def _emit(
    report: Report,
    output_format: str,
    output_file: Path | None,
    statistics: bool,
    terminal: Terminal,
    to_stderr: bool = False,
) -> None:
    """The report, to ``output_file`` or the terminal; then, in text, the summary line."""
    from digestlint.output.text import format_statistics, format_text, summary

    style = terminal.style(to_stderr) if output_file is None else PLAIN
    if statistics:
        text = format_statistics(report, as_json=output_format == "json", style=style)
    elif output_format == "text":
        text = format_text(report, style)
    else:
        text = FORMATTERS[output_format](report)
    if output_file is not None:
        try:
            write_new_file(output_file, printable(text).encode("utf-8"))
        except OSError as error:
            _fail(f"{output_file}: cannot write: {error.strerror or error}")
    else:
        terminal.report(text, err=to_stderr)
    if output_format == "text":
        terminal.summary(summary(report, terminal.style(to_stderr)), err=to_stderr)
    if output_format == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        _append_job_summary(report, Path(os.environ["GITHUB_STEP_SUMMARY"]), terminal)


def _append_job_summary(report: Report, path: Path, terminal: Terminal) -> None:
    """The job summary of a ``--format github`` run on GitHub Actions; a summary that
    cannot be written is a warning: the annotations and the exit code still tell."""
    from digestlint.output.summary import append_job_summary

    try:
        append_job_summary(report, path, os.environ)
    except OSError as error:
        terminal.warning(f"GITHUB_STEP_SUMMARY: {path}: cannot write: {error.strerror or error}")


@main.command("export", short_help="Print the parsed report as JSON.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--output",
    "--output-file",
    "-o",
    "output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the JSON to this file instead of stdout.",
)
@config_option
@click.option(
    "--no-validate",
    is_flag=True,
    help="Export even if the data breaks the report schema (not recommended).",
)
@stdin_filename_option
@click.option("--verbose", is_flag=True, help="Print the traceback of an internal error (a bug).")
def export(
    paths: tuple[Path, ...],
    output: Path | None,
    config_path: Path | None,
    no_validate: bool,
    stdin_filename: str | None,
    verbose: bool,
) -> None:
    """Print the parsed report as JSON: header (title, date, source URL with their lines)
    and papers (title, line, fields, arXiv id, sections with number, name, lines and
    Markdown body). One file gives an object; several files or a directory give an array.

    Exits 2, printing nothing, if a file cannot be read or its data does not conform
    to the report schema (each problem names the file, line and JSON path)."""
    from digestlint.export import export_paths

    click.get_current_context().meta[VERBOSE_KEY] = verbose
    value, problems = export_paths(
        paths, config=config_path, validate=not no_validate, stdin_filename=stdin_filename
    )
    if problems:
        for problem in problems:
            click.echo(printable(f"error: {problem}"), err=True)
        sys.exit(EXIT_ERROR)
    text = printable(json.dumps(value, ensure_ascii=False, indent=2) + "\n")
    if output is None:
        # Bytes, so that a non-UTF-8 terminal locale cannot garble or reject the JSON.
        click.echo(text.encode("utf-8"), nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        _fail(f"{output}: cannot write: {error.strerror}")


@main.command("rule", short_help="Show a rule's documentation.")
@click.argument("selector", required=False)
@click.option("--all", "show_all", is_flag=True, help="Show every rule.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    help="text (Markdown, as in docs/rules.md) or json (with each rule's options schema).",
)
def rule_command(selector: str | None, show_all: bool, output_format: str) -> None:
    """Show a rule's documentation: `digestlint rule DL401` or `digestlint rule stray-h1`."""
    from digestlint.docs import describe_rules, resolve
    from digestlint.registry import all_rules

    if show_all == bool(selector):
        raise click.UsageError("give a rule code or name, or --all")
    rules = all_rules() if show_all else resolve(selector or "")
    if not rules:
        _fail(f"unknown rule {selector!r}; `digestlint rule --all` lists the rules")
    click.echo(describe_rules(rules, output_format, as_list=show_all), nl=False)


def _fail(message: str) -> NoReturn:
    _terminal().error(message)
    sys.exit(EXIT_ERROR)
