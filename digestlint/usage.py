"""Which options of ``digestlint check`` work together: usage errors before anything is
read, the default output format, and what ``--stdin-filename`` reads."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from digestlint.output import FORMATTERS
from digestlint.output.terminal import Terminal

PARALLEL_MIN_FILES = 8
"""Fewer files than this are checked in this process (:mod:`digestlint.runner`): starting
workers would cost more than it saves, and pre-commit already runs its batches of files
side by side. Here, not in the runner, because ``--jobs``'s help names it."""

MACHINE_FORMATS = ("json", "sarif", "gitlab", "junit")
STATISTICS_FORMATS = ("text", "json")


def default_format() -> str:
    if os.environ.get("GITHUB_ACTIONS") == "true" and "github" in FORMATTERS:
        return "github"
    return "text"


def output_format(chosen: str | None, *, statistics: bool) -> str:
    """The format asked for, else the default: ``github`` on GitHub Actions, except for
    ``--statistics``, which has a text form and a JSON form only."""
    if chosen is None:
        return "text" if statistics else default_format()
    if chosen not in FORMATTERS:
        raise click.UsageError(f"unknown format {chosen!r}; choose from {', '.join(FORMATTERS)}")
    return chosen


def check_options(
    output_format: str,
    output_file: Path | None,
    *,
    diff: bool,
    fix: bool,
    statistics: bool,
    show_fixes: bool,
    fixed_stdin: bool,
) -> None:
    """Options that cannot work together are a usage error before anything is read."""
    if statistics and output_format not in STATISTICS_FORMATS:
        raise click.UsageError(
            f"--statistics has no {output_format} form; use --format text or json"
        )
    if show_fixes and not (fix or diff):
        raise click.UsageError("--show-fixes lists the fixes of --fix or --diff; add one")
    if output_file is None and output_format in (*MACHINE_FORMATS, "html"):
        # The diff and the list of fixes own stdout; a report after them would be unreadable.
        for flag, what, given in (
            ("--diff", "the diff", diff),
            ("--show-fixes", "the fixes", show_fixes),
        ):
            if given:
                raise click.UsageError(
                    f"{flag} prints {what} on stdout; "
                    f"add --output-file for the {output_format} report"
                )
    if output_format == "html":
        _check_page_output(output_file, fixed_stdin=fixed_stdin)


def _check_page_output(output_file: Path | None, *, fixed_stdin: bool) -> None:
    """``--format html`` makes a page to open in a browser: it goes to ``--output-file``
    or to a redirected standard output, never to a terminal or in place of the fixed
    text of ``- --fix``."""
    if output_file is not None:
        return
    if fixed_stdin:
        raise click.UsageError("the fixed text takes stdout; give --output-file for the html page")
    if sys.stdout.isatty():
        raise click.UsageError(
            "--format html writes a page to open in a browser: give --output-file PATH "
            "(or redirect stdout to a file)"
        )


def stdin_paths(
    paths: tuple[Path, ...], stdin_filename: str | None, terminal: Terminal
) -> tuple[Path, ...]:
    """With ``--stdin-filename`` the report is read from standard input, as ruff does:
    paths given as well are ignored, each with a warning."""
    if stdin_filename is None:
        return paths
    for path in paths:
        if str(path) != "-":
            terminal.warning(
                f"ignoring {path}: --stdin-filename reads the report from standard input"
            )
    return (Path("-"),)
