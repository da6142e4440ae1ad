"""The day's paper lists of a report's source, fetched for ``--check-source``.

The profile says where a report's Source URL points (:class:`digestlint.profile.SourceKind`:
a URL pattern with the day in it and an API template). :class:`DayLists` asks that API
for a day's list through the link checker's HTTP layer (``[links]`` remap, the
private-address guard and ``allow-hosts``, timeouts, retries honouring ``Retry-After``),
follows further pages while a page comes back full, and keeps the lists in a cache:
a past day's list does not change and is kept long (``source.cache-max-age``), the list
of today or a later day (UTC) briefly (``source.cache-today-max-age``).

The caller (the CLI) makes one :class:`DayLists` per run and hands it to each lint
pass; rules read :attr:`digestlint.lintpass.LintPass.day_list`. What could not be
fetched (no network, a server error) is not a finding: it is in :attr:`DayLists.failures`,
which the CLI reports as an error (exit 2). A day the source has no list for (a future
date, answered ``400``) is a finding, on the report's Date.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from digestlint.config import Settings
    from digestlint.linkcheck import Fetched, LinkChecker, Resolver
    from digestlint.profile import SourceKind

CACHE_FILE = "source-v1.json"
MAX_BYTES = 16 * 1024 * 1024
MAX_PAGES = 20


@dataclass(frozen=True)
class DayList:
    """A source's papers of one day, by arXiv id (no version) to title; or why the
    source has none (``unavailable``)."""

    day: date
    source: str
    papers: dict[str, str] = field(default_factory=dict)
    order: tuple[str, ...] = ()
    """The ids in the source's order."""
    unavailable: str | None = None


class DayLists:
    """Fetches and caches day lists; see the module docstring."""

    def __init__(
        self,
        settings: Settings,
        *,
        cache_dir: Path | None = None,
        resolve: Resolver | None = None,
    ) -> None:
        from digestlint.linkcheck import LinkChecker, default_cache_dir, system_resolve

        links = settings.config.links
        self.config = settings.config.source
        if cache_dir is None and links.cache_dir:
            cache_dir = (Path(settings.root) / links.cache_dir).expanduser()
        cache_dir = cache_dir or default_cache_dir()
        self.checker: LinkChecker = LinkChecker(
            links, cache_dir=cache_dir, resolve=resolve or system_resolve
        )
        self.cache_path = cache_dir / CACHE_FILE if links.cache else None
        self.failures: list[str] = []
        """What could not be fetched, one message each: the run's errors."""
        self._lists: dict[tuple[str, date], DayList | None] = {}

    def day_list(self, kind: SourceKind, day: date) -> DayList | None:
        """The list of ``day`` (``None`` if it could not be fetched: see ``failures``)."""
        key = (kind.api, day)
        if key not in self._lists:
            self._lists[key] = self._fetch(kind, day)
        return self._lists[key]

    def _fetch(self, kind: SourceKind, day: date) -> DayList | None:
        items: list[Any] = []
        for page in range(MAX_PAGES):
            url = kind.api.format(date=day.isoformat(), limit=kind.page_size, page=page)
            fetched = self.checker.fetch([url], MAX_BYTES, self._cached(day)).get(url)
            if fetched is None:
                return None  # excluded by `[links] exclude`
            if fetched.status == 400 and fetched.error is None:
                return DayList(
                    day,
                    kind.name,
                    unavailable=f"{kind.name} has no list for {day} (HTTP 400): a future date?",
                )
            answer = self._answer(fetched, kind)
            if answer is None:
                return None
            if not fetched.cached:
                self._store(self.checker.target(url) or url, answer, day)
            new = [item for item in answer if item not in items]
            items.extend(new)
            # A short page is the last; so is one with nothing new (an API that ignores
            # the page parameter would answer the first page again).
            if len(answer) < kind.page_size or not new or "{page}" not in kind.api:
                break
        papers: dict[str, str] = {}
        for item in items:
            paper = item.get("paper") if isinstance(item, dict) else None
            if not isinstance(paper, dict) or not isinstance(paper.get("id"), str):
                continue
            title = paper.get("title") or item.get("title") or ""
            papers.setdefault(paper["id"].split("v")[0], str(title))
        return DayList(day, kind.name, papers, tuple(papers))

    def _answer(self, fetched: Fetched, kind: SourceKind) -> list[Any] | None:
        """The JSON array of ``fetched``; ``None`` (and a failure noted) otherwise."""
        host = urlsplit(fetched.url).hostname or fetched.url
        if fetched.error is not None:
            hint = "; is this machine offline?" if fetched.unresolved else ""
            self._fail(f"source check: cannot fetch {kind.name} ({host}): {fetched.error}{hint}")
            return None
        if fetched.status != 200:
            self._fail(f"source check: {kind.name} ({host}) answered HTTP {fetched.status}")
            return None
        try:
            data = json.loads(fetched.body or b"")
        except ValueError:
            self._fail(f"source check: {kind.name} ({host}) did not answer with JSON")
            return None
        if not isinstance(data, list):
            self._fail(f"source check: {kind.name} ({host}) did not answer with a list")
            return None
        return data

    def _fail(self, message: str) -> None:
        if message not in self.failures:
            self.failures.append(message)

    # -- the cache -----------------------------------------------------------------------

    def _max_age(self, day: date) -> float:
        today = datetime.now(UTC).date()
        return self.config.cache_max_age if day < today else self.config.cache_today_max_age

    def _cached(self, day: date) -> Any:
        entries = self._read()
        max_age = self._max_age(day)
        now = time.time()

        def lookup(target: str) -> bytes | None:
            entry = entries.get(target)
            if not isinstance(entry, dict) or not isinstance(entry.get("body"), str):
                return None
            return entry["body"].encode("utf-8") if 0 <= _age(entry, now) < max_age else None

        return lookup

    def _read(self) -> dict[str, Any]:
        if self.cache_path is None:
            return {}
        try:
            data = json.loads(self.cache_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        entries = data.get("entries") if isinstance(data, dict) else None
        return entries if isinstance(entries, dict) else {}

    def _store(self, target: str, answer: list[Any], day: date) -> None:
        """Keep ``answer`` (a good one) for ``target``, each item cut down to the paper's
        id and title (a day's full answer, abstracts and all, is a hundred kilobytes); a
        cache that cannot be written only costs requests next time."""
        if self.cache_path is None:
            return
        from digestlint.files import file_lock

        # The workers of a run (--jobs) keep lists in one file: one at a time.
        with file_lock(self.cache_path.with_name(self.cache_path.name + ".lock")):
            self._write_merged(target, answer, day)

    def _write_merged(self, target: str, answer: list[Any], day: date) -> None:
        assert self.cache_path is not None
        now = time.time()
        horizon = max(self.config.cache_max_age, self.config.cache_today_max_age)
        entries = {
            key: entry
            for key, entry in self._read().items()
            if isinstance(entry, dict) and _age(entry, now) < horizon
        }
        kept = [_compact(item) for item in answer]
        body = json.dumps(kept, ensure_ascii=False, separators=(",", ":"))
        entries[target] = {"checked": now, "day": day.isoformat(), "body": body}
        try:
            self.cache_path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.cache_path.parent, suffix=".tmp")
        except OSError:
            return
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump({"version": 1, "entries": entries}, out, ensure_ascii=False)
            os.replace(temporary, self.cache_path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _age(entry: dict[str, Any], now: float) -> float:
    """Seconds since ``entry`` was fetched; infinite for an entry without a usable time."""
    try:
        return now - float(entry["checked"])
    except (KeyError, TypeError, ValueError):
        return float("inf")


def _compact(item: Any) -> dict[str, Any]:
    """An item of the API's answer with only what the check reads: ``paper.id`` and
    ``paper.title`` (or the item's ``title``). One item stays one item, so that a cached
    page is as full as the answer was."""
    paper = item.get("paper") if isinstance(item, dict) else None
    if not isinstance(paper, dict):
        return {}
    title = paper.get("title") or (item.get("title") if isinstance(item, dict) else None)
    return {"paper": {"id": paper.get("id"), "title": title}}
