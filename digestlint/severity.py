"""How grave a finding is. A module of its own, without pydantic, so that what the
command line needs before any run (its options, ``--version``, ``--help``) imports
nothing more; :mod:`digestlint.findings` exports it too."""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for info, 1 for warning, 2 for error: ``--fail-level`` compares ranks."""
        return _SEVERITY_RANKS[self]

    def at_least(self, level: Severity) -> bool:
        """Whether this severity is ``level`` or graver (``--fail-level``)."""
        return self.rank >= level.rank


_SEVERITY_RANKS = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}
