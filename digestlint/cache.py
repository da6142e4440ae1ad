"""The content cache: a file linted before, unchanged, is not linted again.

An entry is keyed by a SHA-256 over everything a file's findings depend on: the path
the findings name, the file's bytes, the effective settings (config, profile with its
data, rule selection, severities and options, the extra schema's content, the
directories globs are relative to), the mode, and the identity of digestlint's code
(a hash of every file of the installed package, so that an editable install never
serves findings of code that changed). Not the file's modification time: a fresh CI
checkout with a restored cache directory hits it.

Entries live in ``.digestlint_cache/`` in the project root (the directory of the run's
root configuration, else the working directory), which holds its own ``.gitignore``
(as ``.ruff_cache`` does), one JSON file per entry under a directory per code
identity. Each entry is written to a temporary file and renamed into place, so several
processes (the workers of one run, or two runs) can share the directory: a reader sees
a whole entry or none. JSON rather than pickle: a cache restored in CI from another
branch must not be able to run code.

Only lint results are kept, never online ones (``--check-links``, ``--check-source``:
the link checker and the day lists keep their own caches, with their own ages). With
``--fix`` or ``--diff`` an entry only says that a file has nothing to fix.

A cache that cannot be read or written never fails a run and never changes its
findings: the file is linted, and the run says so once (:meth:`ContentCache.take_problem`).

An entry's modification time is its last use: a hit refreshes it (at most once a day).
At most once a day, at the end of a run, entries unused for :data:`MAX_UNUSED_DAYS` are
removed (:meth:`ContentCache.prune`), those of other code identities (an older
digestlint, an edited checkout) included, as ruff drops entries it has not seen for
thirty days: a cache restored run after run in CI does not grow without end.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, ValidationError

from digestlint.findings import Finding, Severity

if TYPE_CHECKING:
    from digestlint.archive import ReportRecord
    from digestlint.config import Settings

CACHE_DIR_NAME = ".digestlint_cache"
FORMAT = "v1"
"""The entries' layout; a new one starts a new directory."""
GITIGNORE = "# Automatically created by digestlint.\n*\n"
PACKAGE_DIR = Path(__file__).resolve().parent
DAY = 24 * 3600
MAX_UNUSED_DAYS = 30
"""Entries unused for longer than this are removed by :meth:`ContentCache.prune`."""
PRUNED_MARKER = ".last-pruned"
"""A file in the cache directory whose modification time is the last prune."""
_ENTRY_DIR = re.compile(r"v\d+-[0-9a-f]+")
_BUCKET = re.compile(r"[0-9a-f]{2}")
_ENTRY = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class CachedLint:
    """What linting a file gave: its findings and its archive record."""

    findings: list[Finding]
    record: ReportRecord | None


def default_directory(root_config: Path | None) -> Path:
    """``.digestlint_cache`` next to the run's root configuration, else in the
    working directory."""
    return (root_config.parent if root_config is not None else Path.cwd()) / CACHE_DIR_NAME


FINDING_DEPENDENCIES = (
    "markdown-it-py",
    "mdit-py-plugins",
    "linkify-it-py",
    "langdetect",
    "pydantic",
    "jsonschema",
    "google-re2",
)
"""The distributions whose version can change a file's findings: the parse, language
detection, config validation, schema validation, user patterns."""


def code_identity(package: Path = PACKAGE_DIR) -> str | None:
    """A hash of the package's files (sources and data, not compiled bytecode), the
    Python version and the versions of :data:`FINDING_DEPENDENCIES`: the code that made
    an entry, whatever the version string says. ``None`` where the package is not a
    directory of files (a zip import): nothing to hash, so no cache."""
    digest = hashlib.sha256()
    files = 0
    for path in sorted(package.rglob("*")):
        if "__pycache__" in path.parts or path.suffix in (".pyc", ".pyo") or not path.is_file():
            continue
        relative = path.relative_to(package).as_posix()
        digest.update(relative.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
        files += 1
    if not files:
        return None
    digest.update(sys.version.encode("utf-8") + b"\0")
    for name in FINDING_DEPENDENCIES:
        digest.update(f"{name}={_version_of(name)}".encode() + b"\0")
    return digest.hexdigest()


def _version_of(distribution: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "-"


def settings_fingerprint(settings: Settings) -> str:
    """A hash of everything in ``settings`` that changes a file's findings."""
    data = {
        "config": settings.config.model_dump(mode="json", by_alias=True),
        "profile": settings.profile.model_dump(mode="json"),
        "schema": settings.extra_schema,
        # The files its `$ref`s bring in: editing one changes what the schema checks.
        "schema files": getattr(settings.extra_schema, "documents", None),
        "options": {
            code: options.model_dump(mode="json")
            for code, options in sorted(settings.options.items())
        },
        "severities": {
            code: str(severity) for code, severity in sorted(settings.severities.items())
        },
        "enabled": sorted(settings.enabled),
        "root": str(settings.root),
        "bases": {key: str(path) for key, path in sorted(settings.bases.items())},
    }
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=repr)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ContentCache:
    """Lint results by content key in ``directory``; see the module docstring."""

    MODE = "lint"
    """Entries are lint results: ``--fix`` and ``--diff`` only consult them."""

    def __init__(self, directory: Path, code: str) -> None:
        self.directory = directory
        self.code = code
        self.entries = directory / f"{FORMAT}-{code[:20]}"
        self._problem: str | None = None
        self._fingerprints: dict[int, tuple[Settings, str]] = {}

    def __getstate__(self) -> dict[str, Any]:
        # Settings are keyed by identity, which means nothing in another process.
        return {**self.__dict__, "_fingerprints": {}}

    def key(self, name: str, content: bytes, settings: Settings) -> str:
        known = self._fingerprints.get(id(settings))
        if known is None or known[0] is not settings:
            known = (settings, settings_fingerprint(settings))
            self._fingerprints[id(settings)] = known
        # The rules per-file ignores leave for this file: they depend on where the file
        # is, which the name as given does not say (`a.md` in two directories).
        enabled = ",".join(sorted(settings.enabled_for(name)))
        digest = hashlib.sha256()
        for part in (FORMAT, self.code, self.MODE, known[1], name, enabled):
            digest.update(part.encode("utf-8") + b"\0")
        digest.update(content)
        return digest.hexdigest()

    def path_of(self, key: str) -> Path:
        return self.entries / key[:2] / key

    def get(self, name: str, content: bytes, settings: Settings) -> CachedLint | None:
        """The entry for this file, or ``None`` (a miss; a damaged entry is a miss too,
        and a problem)."""
        key = self.key(name, content, settings)
        path = self.path_of(key)
        try:
            raw = path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as error:
            self._note(f"cannot read {path}: {_reason(error)}")
            return None
        # A whole entry read and checked in one call (pydantic's JSON parser, the
        # findings validated as they are built): the common case, a hit, costs a third
        # of json.loads and a validation per finding. Anything it refuses takes that
        # slower way below, which says what is wrong as it always did.
        try:
            entry = _Entry.model_validate_json(raw)
        except ValidationError:
            pass
        else:
            if entry.key == key:
                try:
                    found = CachedLint(
                        findings=entry.findings,
                        record=_record_from(entry.record) if entry.record else None,
                    )
                except (KeyError, TypeError, ValueError, ValidationError) as error:
                    self._note(f"{path}: a damaged entry ({type(error).__name__})")
                    return None
                _mark_used(path)
                return found
        try:
            data = json.loads(raw)
        except ValueError as error:
            self._note(f"cannot read {path}: {_reason(error)}")
            return None
        try:
            if not isinstance(data, dict) or data.get("key") != key:
                raise ValueError("not an entry of this file")
            found = CachedLint(
                findings=[Finding.model_validate(item) for item in data["findings"]],
                record=_record_from(data["record"]) if data.get("record") else None,
            )
        except (KeyError, TypeError, ValueError, ValidationError) as error:
            self._note(f"{path}: a damaged entry ({type(error).__name__})")
            return None
        _mark_used(path)
        return found

    def prune(self, now: float | None = None) -> int:
        """Remove the entries unused for :data:`MAX_UNUSED_DAYS` days, of any code
        identity, and the directories left empty; at most once a day (the marker file
        :data:`PRUNED_MARKER` says when it last ran). Returns how many were removed.
        Quiet: a file it cannot remove (another process's, a read-only directory) stays
        for the next time, and nothing but the cache's own files is touched."""
        now = time.time() if now is None else now
        marker = self.directory / PRUNED_MARKER
        try:
            if now - marker.stat().st_mtime < DAY:
                return 0
        except FileNotFoundError:
            pass
        except OSError:
            return 0
        if not self.directory.is_dir():
            return 0
        try:
            marker.touch()
            os.utime(marker, (now, now))
        except OSError:
            return 0
        removed = 0
        for code_dir in _children(self.directory, _ENTRY_DIR):
            for bucket in _children(code_dir, _BUCKET):
                for entry in _files(bucket):
                    if _stale(entry, now):
                        with contextlib.suppress(OSError):
                            entry.unlink()
                            removed += 1
                with contextlib.suppress(OSError):
                    bucket.rmdir()  # only when empty
            with contextlib.suppress(OSError):
                code_dir.rmdir()
        return removed

    def put(
        self,
        name: str,
        content: bytes,
        settings: Settings,
        findings: list[Finding],
        record: ReportRecord | None,
    ) -> None:
        key = self.key(name, content, settings)
        kept = _record_to(record) if record is not None else None
        if kept is not None and _record_from(kept) != record:
            # A field the cache does not know (a bug: see test_cache.py): better no
            # entry than one that would change the cross-report findings.
            self._note(f"cannot keep the archive record of {name}")
            return
        data = {
            "key": key,
            "path": name,
            "findings": [f.model_dump(mode="json") for f in findings],
            "record": kept,
        }
        path = self.path_of(key)
        try:
            self._ensure_gitignore()
            path.parent.mkdir(parents=True, exist_ok=True)
            _write_atomic(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))
        except OSError as error:
            self._note(f"cannot write to {self.directory}: {_reason(error)}")

    def take_problem(self) -> str | None:
        """The problem met since the last call, if any (as a warning's text)."""
        problem, self._problem = self._problem, None
        return problem

    def _note(self, problem: str) -> None:
        self._problem = self._problem or (
            f"cache: {problem}; linting without it (--no-cache turns it off)"
        )

    def _ensure_gitignore(self) -> None:
        ignore = self.directory / ".gitignore"
        if ignore.exists():
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        _write_atomic(ignore, GITIGNORE.encode("utf-8"))


class _Entry(BaseModel):
    """An entry as :meth:`ContentCache.get` reads it first (extra keys are ignored, as
    the slower reading ignores them). Its validator is built on the first entry read,
    not at import: a run that reads none never pays for it."""

    model_config = ConfigDict(defer_build=True)

    key: str
    findings: list[Finding]
    record: Any = None


def _mark_used(path: Path) -> None:
    """Refresh the modification time of an entry just read, its last use, when it is a
    day old or more: a hit costs a ``stat``, and a write once a day at most."""
    with contextlib.suppress(OSError):
        if time.time() - path.stat().st_mtime >= DAY:
            os.utime(path)


def _children(directory: Path, name: re.Pattern[str]) -> list[Path]:
    """The subdirectories of ``directory`` named as the cache names them."""
    try:
        return [p for p in directory.iterdir() if name.fullmatch(p.name) and p.is_dir()]
    except OSError:
        return []


def _files(bucket: Path) -> list[Path]:
    """The entries of a bucket, and the temporary files a writer left there."""
    try:
        return [
            p
            for p in bucket.iterdir()
            if _ENTRY.fullmatch(p.name) or (p.name.startswith(".") and p.name.endswith(".tmp"))
        ]
    except OSError:
        return []


def _stale(path: Path, now: float) -> bool:
    """An entry unused for :data:`MAX_UNUSED_DAYS` days, or a temporary file a writer
    left a day ago or more (killed before renaming it into place)."""
    try:
        age = now - path.stat().st_mtime
    except OSError:
        return False
    return age >= (DAY if path.name.endswith(".tmp") else MAX_UNUSED_DAYS * DAY)


def _write_atomic(path: Path, data: bytes) -> None:
    """``data`` into ``path`` through a temporary file renamed into place: a reader
    (another process) sees the whole file or none."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _reason(error: BaseException) -> str:
    return (error.strerror if isinstance(error, OSError) else None) or str(error)


def _record_to(record: ReportRecord) -> dict[str, Any]:
    return {
        "path": record.path,
        "day": record.day.isoformat() if record.day else None,
        "day_span": _span_to(record.day_span),
        "papers": [[m.id, _span_to(m.span)] for m in record.papers],
        "enabled": sorted(record.enabled),
        "severities": [[code, str(severity)] for code, severity in record.severities],
        "suppressed": [[line, sorted(codes)] for line, codes in record.suppressed],
        "allow_repeats_after_days": record.allow_repeats_after_days,
        "context": record.context,
        "links_to": sorted(record.links_to),
        "in_day_directory": record.in_day_directory,
    }


def _record_from(data: dict[str, Any]) -> ReportRecord:
    from digestlint.archive import Mention, ReportRecord

    days = data["allow_repeats_after_days"]
    return ReportRecord(
        path=str(data["path"]),
        day=date.fromisoformat(data["day"]) if data["day"] else None,
        day_span=_span_from(data["day_span"]),
        papers=tuple(Mention(id=str(id_), span=_span_from(span)) for id_, span in data["papers"]),
        enabled=frozenset(str(code) for code in data["enabled"]),
        severities=tuple((str(code), Severity(value)) for code, value in data["severities"]),
        suppressed=tuple(
            (int(line), frozenset(str(code) for code in codes))
            for line, codes in data["suppressed"]
        ),
        allow_repeats_after_days=None if days is None else int(days),
        context=bool(data["context"]),
        links_to=frozenset(str(path) for path in data["links_to"]),
        in_day_directory=bool(data["in_day_directory"]),
    )


def _span_to(span: Any) -> list[int]:
    return [span.line, span.column, span.end_line, span.end_column]


def _span_from(data: list[int]) -> Any:
    from digestlint.archive import Span

    line, column, end_line, end_column = (int(value) for value in data)
    return Span(line, column, end_line, end_column)
