"""What the command line prints on a terminal: colour, and how much is said.

Colour is on when the stream is a terminal (and ``TERM`` is not ``dumb``), off when it
is piped or redirected. ``FORCE_COLOR`` (any non-empty value) turns it on anywhere and
wins over ``NO_COLOR`` (any non-empty value), which turns it off: a command's own
``FORCE_COLOR=1`` is more specific than a ``NO_COLOR`` set once in a shell profile, as
in ruff and Node.js. See https://no-color.org and https://force-color.org.

``--quiet`` prints the findings (and errors) and no summary, warning or progress bar;
``--silent`` prints nothing: the exit code tells. Files the user asked for
(``--output-file``, the GitHub job summary) are written either way.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from enum import IntEnum
from typing import TextIO

import click

from digestlint.files import printable
from digestlint.severity import Severity

SEVERITY_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def wants_colour(stream: TextIO, environ: Mapping[str, str] = os.environ) -> bool:
    """Whether to colour what is written to ``stream``."""
    if environ.get("FORCE_COLOR"):
        return True
    if environ.get("NO_COLOR"):
        return False
    try:
        return stream.isatty() and environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


class Style:
    """ANSI styles for the parts of a finding; with ``colour=False``, the text as is."""

    def __init__(self, colour: bool) -> None:
        self.colour = colour

    def _styled(self, text: str, **style: object) -> str:
        return click.style(text, **style) if self.colour else text

    def path(self, text: str) -> str:
        return self._styled(text, bold=True)

    def code(self, text: str) -> str:
        return self._styled(text, bold=True)

    def severity(self, severity: Severity, text: str | None = None) -> str:
        colour = SEVERITY_COLOURS[severity]
        bold = True if severity == Severity.ERROR else None
        return self._styled(text or severity.value, fg=colour, bold=bold)

    def fix_marker(self, text: str = "[*]") -> str:
        return self._styled(text, fg="cyan")

    def dim(self, text: str) -> str:
        return self._styled(text, dim=True)


PLAIN = Style(colour=False)


class Verbosity(IntEnum):
    SILENT = 0
    """``-s/--silent``: nothing is printed."""
    QUIET = 1
    """``-q/--quiet``: findings and errors only."""
    NORMAL = 2


class Terminal:
    """The run's standard output and error: what is printed at which verbosity, and
    in colour where the stream is a terminal."""

    def __init__(self, verbosity: Verbosity = Verbosity.NORMAL) -> None:
        self.verbosity = verbosity

    def style(self, err: bool = False) -> Style:
        """The style for text written to stdout (or stderr with ``err``)."""
        return Style(wants_colour(sys.stderr if err else sys.stdout))

    def report(self, text: str, err: bool = False) -> None:
        """The findings (or the diff): shown unless silent. ``text`` may hold the
        colours of :meth:`style`."""
        if self.verbosity >= Verbosity.QUIET and text:
            click.echo(printable(text), nl=False, err=err, color=self.style(err).colour)

    def summary(self, line: str, err: bool = False) -> None:
        """The closing line and notes like it: only at normal verbosity."""
        if self.verbosity >= Verbosity.NORMAL and line:
            click.echo(printable(line), err=err, color=self.style(err).colour)

    def warning(self, message: str) -> None:
        if self.verbosity >= Verbosity.NORMAL:
            self._labelled(Severity.WARNING, message)

    def error(self, message: str) -> None:
        if self.verbosity >= Verbosity.QUIET:
            self._labelled(Severity.ERROR, message)

    def _labelled(self, severity: Severity, message: str) -> None:
        style = self.style(err=True)
        label = style.severity(severity, severity.value)
        click.echo(f"{label}: {printable(message)}", err=True, color=style.colour)

    def raw_error(self, text: str) -> None:
        """Text for stderr as it is (a traceback), unless silent."""
        if self.verbosity >= Verbosity.QUIET:
            click.echo(printable(text), err=True, nl=False)

    @property
    def shows_progress(self) -> bool:
        return self.verbosity >= Verbosity.NORMAL
