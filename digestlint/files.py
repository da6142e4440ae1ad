"""Reading and writing report files without losing anything.

Reports are read as bytes: a UTF-8 byte order mark and CRLF (or CR) line endings are
noted, removed for linting, and put back on write; in a file that mixes line endings,
every unchanged line keeps its own. Writes go through symbolic links to the file they
point to and keep the file's identity: its mode, owner and group.

A write is atomic (a temporary file in the same directory, then a rename) except where
a rename would change the file's identity: a file with other hard links (they would
keep the old text), a file in a directory the user cannot write (no temporary file can
be made there), or one whose owner or group the user cannot give the temporary file.
Such a file is written in place, as mdformat does, once the new bytes are complete and
checked, with a copy of the original kept in the temporary directory until the write
succeeded (and put back if it failed). Either way, a file that changed since it was
read is not written.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import re
import stat
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

BOM = "\ufeff"
DEFAULT_EXCLUDED_DIRS = frozenset(
    {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".nox"}
)


class InputError(Exception):
    """A file that cannot be linted: missing, unreadable, binary or not UTF-8."""


@dataclass
class Decoded:
    text: str
    """The text as linted: no BOM, ``\\n`` line endings."""
    bom: bool = False
    newline: str = "\n"
    """The file's most common line ending."""
    endings: list[str] | None = None
    """Each line's ending, when the file mixes them (``None`` when they are all ``newline``)."""
    original: bytes | None = None
    """The bytes as read, to check before writing that the file did not change since."""

    def encode(self, text: str) -> bytes:
        """``text`` as the file's bytes: its BOM and line endings put back.

        The result is checked to read back as ``text``: in a file that mixes endings,
        a kept lone CR followed by a new line's LF would read as one CRLF break."""
        if self.endings is not None:
            mixed = self._with_mixed_endings(text)
            if _LINE_ENDING.sub("\n", mixed) == text:
                text = mixed
            else:
                text = text.replace("\n", self.newline)
        elif self.newline != "\n":
            text = text.replace("\n", self.newline)
        return ((BOM if self.bom else "") + text).encode("utf-8")

    def _with_mixed_endings(self, text: str) -> str:
        """``text`` with each unchanged line keeping its own ending; changed and new
        lines get the most common one."""
        assert self.endings is not None
        old_lines = self.text.split("\n")
        new_lines = text.split("\n")
        endings = [self.newline] * (len(new_lines) - 1)
        matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
        for old_start, new_start, size in matcher.get_matching_blocks():
            for offset in range(size):
                old, new = old_start + offset, new_start + offset
                if old < len(self.endings) and new < len(endings):
                    endings[new] = self.endings[old]
        for index in range(len(endings) - 1):
            # A lone CR, then an empty line ending in LF, would read as one CRLF break.
            lone_cr = endings[index] == "\r" and not new_lines[index + 1]
            if lone_cr and endings[index + 1].startswith("\n"):
                endings[index + 1] = "\r"
        return "".join(
            line + ending for line, ending in zip(new_lines, [*endings, ""], strict=True)
        )


def decode(data: bytes, name: str) -> Decoded:
    if b"\x00" in data:
        raise InputError(f"{name}: binary file (contains NUL bytes), not a Markdown report")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{name}: not valid UTF-8 (byte {error.start}: {data[error.start : error.start + 1]!r}); "
            "digest reports must be UTF-8"
        ) from None
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    if "\r" not in text:
        # Every line ends in LF (the common case): no need to count the endings.
        return Decoded(text=text, bom=bom, newline="\n", endings=None, original=data)
    endings = _LINE_ENDING.findall(text)
    counts = Counter(endings)
    newline = (
        max(counts, key=lambda ending: (counts[ending], ending == "\r\n")) if counts else "\n"
    )
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    mixed = endings if len(counts) > 1 else None
    return Decoded(text=text, bom=bom, newline=newline, endings=mixed, original=data)


_LINE_ENDING = re.compile(r"\r\n|\r|\n")


def read_report(path: Path, name: str | None = None) -> Decoded:
    """The report at ``path``; errors name it as ``name`` (by default, the path)."""
    name = name or printable(str(path))
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory") from None
    except MemoryError:
        raise InputError(f"{name}: too large to read") from None
    except OSError as error:
        raise InputError(f"{name}: cannot read: {error.strerror}") from None
    return decode(data, name)


MAX_SMALL_FILE_BYTES = 10 * 1024 * 1024
"""The largest config, profile or schema file read (``/dev/zero`` is not one)."""


def read_small_file(path: Path) -> str:
    """A config, profile or schema file's text: a regular file (a device or a FIFO
    might never end) of at most :data:`MAX_SMALL_FILE_BYTES`, in UTF-8."""
    try:
        with open(path, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise InputError(f"{path}: not a regular file")
            data = handle.read(MAX_SMALL_FILE_BYTES + 1)
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from None
    if len(data) > MAX_SMALL_FILE_BYTES:
        raise InputError(f"{path}: larger than {MAX_SMALL_FILE_BYTES // (1024 * 1024)} MB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: cannot read: {error}") from None


def printable(text: str) -> str:
    """``text`` with what cannot be written as UTF-8 replaced by U+FFFD, as ruff does:
    a file name that is not UTF-8 (``a\\xff.md``) reaches Python as lone surrogates,
    which no output stream accepts."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        pass
    else:
        return text  # nothing to replace: the common case, without decoding it again
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def input_name(path: Path | None, stdin_filename: str | None) -> str:
    """The name a file is reported under: its path, or for stdin (``None``) the name
    given with ``--stdin-filename``, else ``-``; always printable."""
    return printable(str(path) if path is not None else (stdin_filename or "-"))


def settings_path(path: Path | None, stdin_filename: str | None) -> Path | None:
    """The path whose config applies: the file's, or for stdin the one it stands for."""
    if path is None and stdin_filename:
        return Path(stdin_filename)
    return path


def read_input(path: Path | None, name: str) -> Decoded:
    """The file at ``path``, or stdin when ``path`` is ``None``."""
    return read_report(path, name) if path is not None else decode(sys.stdin.buffer.read(), name)


class ChangedWhileFixing(OSError):
    """The file's bytes are no longer those that were read and fixed."""

    def __init__(self, path: Path) -> None:
        super().__init__(0, "the file changed since it was read; run again", str(path))


def write_atomic(path: Path, data: bytes, original: bytes | None = None) -> None:
    """Replace ``path``'s content with ``data``, keeping its identity (mode, owner,
    group, inode where other names share it); never half-written (see the module
    docstring for the in-place exception).

    ``original``: the bytes that were read; if the file no longer holds them, nothing
    is written. A symbolic link is followed: the file it points to is written."""
    path = Path(os.path.realpath(path))
    if not os.access(path, os.W_OK):
        # The rename below would replace a read-only file all the same.
        raise PermissionError(13, "Permission denied", str(path))
    status = path.stat()
    if status.st_nlink > 1 or not os.access(path.parent, os.W_OK | os.X_OK):
        _write_in_place(path, data, original)
        return
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, stat.S_IMODE(status.st_mode))
        if not _same_owner(temporary, status):
            Path(temporary).unlink()
            _write_in_place(path, data, original)
            return
        _check_unchanged(path, original)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (made if missing) while the block runs, so
    that processes that read, merge and rewrite one file (the link and source caches,
    written by every worker of a run) take turns and no one's update is lost. Without
    ``fcntl`` (Windows), or when the lock file cannot be made, the block runs unlocked:
    a lost update of a cache only costs a request next time."""
    try:
        import fcntl
    except ImportError:
        fcntl = None
    handle = None
    if fcntl is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            fcntl.flock(handle, fcntl.LOCK_EX)
        except OSError:
            if handle is not None:
                os.close(handle)
            handle = None
    try:
        yield
    finally:
        if handle is not None:
            os.close(handle)  # closing releases the lock


def write_new_file(path: Path, data: bytes) -> None:
    """Write a report file (``--output-file``): its missing parent directories are made,
    and a regular file appears whole or not at all (a temporary file, then a rename),
    keeping the mode of the file it replaces. A device or a pipe (``/dev/stdout``) is
    written to as it is."""
    if path.exists() and not path.is_file():
        if path.is_dir():
            raise IsADirectoryError(21, "Is a directory", str(path))
        with open(path, "wb") as handle:
            handle.write(data)
        return
    path = Path(os.path.realpath(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o666 & ~_umask()
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _same_owner(temporary: str, status: os.stat_result) -> bool:
    """Give ``temporary`` the owner and group of the file it replaces; ``False`` if
    that is not allowed (another user's file, a group the user is not in)."""
    created = os.stat(temporary)
    if (created.st_uid, created.st_gid) == (status.st_uid, status.st_gid):
        return True
    if not hasattr(os, "chown"):
        return True  # Windows: files have no owner and group to keep
    try:
        os.chown(temporary, status.st_uid, status.st_gid)
    except PermissionError:
        return False
    return True


def _check_unchanged(path: Path, original: bytes | None) -> None:
    if original is not None and path.read_bytes() != original:
        raise ChangedWhileFixing(path)


def _write_in_place(path: Path, data: bytes, original: bytes | None) -> None:
    """Overwrite ``path``'s bytes through its own inode, the original copied to the
    temporary directory first and put back if the write fails."""
    with open(path, "r+b") as handle:
        current = handle.read()
        if original is not None and current != original:
            raise ChangedWhileFixing(path)
        descriptor, backup = tempfile.mkstemp(prefix=f"digestlint-{path.name}.", suffix=".orig")
        with os.fdopen(descriptor, "wb") as copy:
            copy.write(current)
            copy.flush()
            os.fsync(copy.fileno())
        try:
            _overwrite(handle, data)
        except BaseException:
            try:
                _overwrite(handle, current)
            except OSError as error:
                raise OSError(
                    error.errno, f"{error.strerror}; the original is kept in {backup}"
                ) from None
            Path(backup).unlink(missing_ok=True)
            raise
    Path(backup).unlink(missing_ok=True)


def _overwrite(handle: BinaryIO, data: bytes) -> None:
    handle.seek(0)
    handle.write(data)
    handle.truncate()
    handle.flush()
    os.fsync(handle.fileno())
    handle.seek(0)
    if handle.read() != data:
        raise OSError(5, "the file does not read back as written")


def expand_paths(
    paths: Iterable[Path],
    is_excluded: Callable[[Path], bool],
    is_included: Callable[[Path], bool] = lambda found: is_report_name(found.name),
) -> Iterator[Path]:
    """Files to lint: named files as given; directories walked for the files
    ``is_included`` accepts (by default ``*.md`` and ``*.markdown``, in any case).

    Excluded globs and version-control or environment directories are skipped only
    while walking; a file named explicitly is always linted."""
    for path in paths:
        if not path.is_dir():
            yield path
            continue
        for found in sorted(path.rglob("*")):
            relative = found.relative_to(path)
            if any(part in DEFAULT_EXCLUDED_DIRS for part in relative.parts[:-1]):
                continue
            if found.is_file() and is_included(found) and not is_excluded(found):
                yield found


REPORT_SUFFIXES = (".md", ".markdown")


def is_report_name(name: str) -> bool:
    """``*.md`` or ``*.markdown``, in any case (``REPORT.MD`` too)."""
    return name.lower().endswith(REPORT_SUFFIXES)
