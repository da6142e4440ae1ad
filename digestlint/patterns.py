"""User-supplied regular expressions, run in linear time with RE2.

Profiles (``paper_heading.pattern``, ``header_fields[].pattern``,
``paper_fields[].pattern``, ``link_pattern``), the link checker (``links.exclude``,
``links.remap``) and JSON Schema ``pattern`` keywords hold regular expressions written
by whoever wrote the config, and they run on report text that anyone may have written.
With a backtracking engine, ``(a+)+$`` takes seconds at 25 characters and doubles with
each one more: a pull request could stall CI with one line.

Why RE2 (google-re2) rather than the ``regex`` module with a per-match timeout: RE2's
time is linear in the text by construction, so every pattern is safe on every input
and a run's result never depends on how loaded the machine is (a timeout would turn a
slow CI machine into config errors). The price is syntax: RE2 has no lookaround
(``(?=``, ``(?!``, ``(?<=``, ``(?<!``), no backreferences (``\\1``), no possessive or
atomic groups, and writes Python's ``\\Z`` as ``\\z``; such a pattern is a config error
at load, naming it. ``\\d``, ``\\s`` and ``\\w`` are ASCII in RE2 (use ``\\p{N}`` or
``\\p{Han}`` for more). The built-in profiles' patterns are RE2 patterns (a test checks).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

import re2

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # RE2 would print every rejected pattern on stderr


class PatternError(ValueError):
    """A pattern RE2 cannot run; the message names it and says why."""


class UserMatch:
    """An RE2 match whose ``start``/``end``/``span`` also take group names (RE2's own
    match objects take only numbers)."""

    def __init__(self, match: Any, groupindex: dict[str, int]) -> None:
        self._match, self._groupindex = match, groupindex

    def _number(self, group: int | str) -> int:
        return self._groupindex[group] if isinstance(group, str) else group

    def group(self, *groups: int | str) -> Any:
        return self._match.group(*groups)

    def groupdict(self) -> dict[str, str | None]:
        return self._match.groupdict()

    def start(self, group: int | str = 0) -> int:
        return self._match.start(self._number(group))

    def end(self, group: int | str = 0) -> int:
        return self._match.end(self._number(group))

    def span(self, group: int | str = 0) -> tuple[int, int]:
        return self._match.span(self._number(group))


class UserRegex:
    """A compiled user pattern with the few methods digestlint uses of ``re.Pattern``."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        try:
            self._regex = re2.compile(pattern, _OPTIONS)
        except re2.error as error:
            reason = error.args[0] if error.args else "invalid"
            if isinstance(reason, bytes):
                reason = reason.decode("utf-8", "replace")
            raise PatternError(
                f"invalid regular expression {pattern!r}: {reason}. Patterns run "
                "with RE2 (linear time): no lookaround (?= ?! ?<= ?<!), no backreferences "
                "(\\1), no possessive quantifiers; write \\z for the end of the text"
            ) from None
        self.groupindex: dict[str, int] = dict(self._regex.groupindex)

    def _wrap(self, match: Any) -> UserMatch | None:
        return None if match is None else UserMatch(match, self.groupindex)

    def search(self, text: str) -> UserMatch | None:
        return self._wrap(self._regex.search(text))

    def fullmatch(self, text: str) -> UserMatch | None:
        return self._wrap(self._regex.fullmatch(text))

    def finditer(self, text: str) -> Iterator[UserMatch]:
        for match in self._regex.finditer(text):
            yield UserMatch(match, self.groupindex)

    def sub(self, replacement: str, text: str, count: int = 0) -> str:
        return self._regex.sub(replacement, text, count=count)


@functools.lru_cache(maxsize=512)
def user_regex(pattern: str) -> UserRegex:
    """``pattern`` compiled with RE2 (once per pattern); :class:`PatternError` if RE2
    cannot run it."""
    return UserRegex(pattern)


def check_schema_patterns(schema: Any, where: str = "") -> None:
    """Every ``pattern`` and ``patternProperties`` key of a JSON Schema compiles with
    RE2; :class:`PatternError` names the first that does not and where it is."""
    if isinstance(schema, dict):
        for key, value in schema.items():
            path = f"{where}/{key}"
            if key == "pattern" and isinstance(value, str):
                _check(value, path)
            elif key == "patternProperties" and isinstance(value, dict):
                for pattern in value:
                    _check(pattern, f"{path}/{pattern}")
            check_schema_patterns(value, path)
    elif isinstance(schema, list):
        for index, item in enumerate(schema):
            check_schema_patterns(item, f"{where}/{index}")


def _check(pattern: str, where: str) -> None:
    try:
        user_regex(pattern)
    except PatternError as error:
        raise PatternError(f"{where}: {error}") from None
