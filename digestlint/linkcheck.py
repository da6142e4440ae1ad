"""The online link checker: fast, polite and safe.

- Fast: one asyncio event loop per batch of URLs (a whole document), an httpx client
  per host with kept-alive connections, ``HEAD`` requests, and a persistent cache so a
  second run makes no request for a fresh result.
- Polite: a global and a per-server limit on requests in flight (a server is the
  addresses a host resolves to, however the host is spelled), retries with
  exponential backoff, and ``Retry-After`` honoured on 429 and 503 (up to a bound),
  holding back every request to that server meanwhile.
- Safe: a CI job checking links of an untrusted pull request must not become a probe
  of its own network. Every connection goes through :class:`GuardedBackend`, which
  resolves the host itself, refuses loopback, private, link-local, unspecified and
  other non-global addresses, also when carried in IPv6 (6to4, Teredo, NAT64, mapped),
  unless the host is in ``allow-hosts``; link-local and cloud metadata addresses only
  when listed by address. It connects to the address it checked, so a second DNS
  answer cannot slip past. The guard judges a host before the cache is read, and
  cached results record the ``allow-hosts`` entries they needed. Redirects are
  followed by hand, so each hop is a new request through the same guard. Bodies are
  read up to ``max-bytes``. Proxy settings from the environment are ignored: through a
  proxy, the address of the target could not be checked. (Which config may set
  ``allow-hosts``: :class:`digestlint.config.SettingsLookup`, docs/links.md.)
"""

from __future__ import annotations

import asyncio
import contextlib
import fnmatch
import ipaddress
import json
import os
import socket
import ssl
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any

import httpcore
import httpx

from digestlint import __version__
from digestlint.config import LinksConfig, Settings
from digestlint.patterns import user_regex

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({429, 502, 503, 504})
RETRY_AFTER_STATUSES = frozenset({429, 503})
HEAD_REFUSED_STATUSES = frozenset({400, 403, 405, 406, 501})
"""Statuses servers send when they do not implement ``HEAD`` properly: ask again with ``GET``."""
CACHE_FILE = "links-v1.json"


# -- results -------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkResult:
    """What checking one URL found."""

    url: str
    """The URL requested first (after ``remap``)."""
    status: int | None = None
    error: str | None = None
    final_url: str | None = None
    """Where redirects led, if anywhere."""
    refused: bool = False
    """Not requested: the address is not a public one (see ``allow-hosts``)."""
    cached: bool = False
    unresolved: bool = False
    """The host's name could not be resolved (the error says so)."""
    allowed_by: tuple[str, ...] = ()
    """The ``allow-hosts`` entries some hop needed (a non-public address): the policy the
    result was made under, kept with it in the cache."""

    def ok(self, accepted: frozenset[int]) -> bool:
        return self.error is None and self.status in accepted

    def describe(self) -> str:
        """The status or the error, for a message."""
        if self.error is not None:
            what = self.error
        else:
            assert self.status is not None
            try:
                what = f"HTTP {self.status} {HTTPStatus(self.status).phrase}"
            except ValueError:
                what = f"HTTP {self.status}"
        if self.final_url and self.final_url != self.url:
            what += f" (redirected to {self.final_url})"
        return what


class AddressRefused(Exception):
    """A connection to a non-public address, refused before any byte was sent."""

    def __init__(self, host: str, address: str, kind: str) -> None:
        self.host, self.address, self.kind = host, address, kind
        article = "an" if kind[0] in "aeiou" else "a"
        if host == address:
            super().__init__(f"{address} is {article} {kind} address")
        else:
            super().__init__(f"{host} resolves to {address}, {article} {kind} address")


# -- address safety ------------------------------------------------------------------


# Cloud metadata services: they hand out credentials to whoever asks from inside the
# machine. Link-local addresses (169.254.0.0/16, fe80::/10, where most of them live) and
# these are refused even when `allow-hosts` lets a host through by a pattern such as
# "*"; only an entry naming the address itself allows one.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(address)
    for address in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean, Oracle (IMDS)
        "169.254.170.2",  # AWS ECS task metadata
        "fd00:ec2::254",  # AWS IMDS over IPv6
        "100.100.100.200",  # Alibaba Cloud
        "168.63.129.16",  # Azure WireServer
        "192.0.0.192",  # Oracle Cloud (classic)
    )
)
NAT64_WELL_KNOWN = ipaddress.ip_network("64:ff9b::/96")
NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")


def embedded_ipv4(
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address,
) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries and leads to: IPv4-mapped and
    -compatible, 6to4 (2002::/16), Teredo (2001::/32, server and client) and NAT64
    (64:ff9b::/96; 64:ff9b:1::/48 read both as a /96 and as RFC 6052's /48 layout)."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return []
    found: list[ipaddress.IPv4Address] = []
    low32 = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.ipv4_mapped is not None:
        found.append(ip.ipv4_mapped)
    elif int(ip) >> 32 == 0 and int(ip) > 1:
        found.append(low32)  # IPv4-compatible ::a.b.c.d (deprecated, still routed by some)
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip.teredo is not None:
        found.extend(ip.teredo)
    if ip in NAT64_WELL_KNOWN:
        found.append(low32)
    elif ip in NAT64_LOCAL:
        packed = ip.packed
        layouts = [ipaddress.IPv4Address(packed[6:8] + packed[9:11]), low32]
        found += [layout for layout in layouts if int(layout)] or [low32]
    return found


def _kind_of(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    for attribute, kind in (
        ("is_unspecified", "unspecified"),
        ("is_loopback", "loopback"),
        ("is_link_local", "link-local"),
        ("is_private", "private"),
        ("is_multicast", "multicast"),
        ("is_reserved", "reserved"),
    ):
        if getattr(ip, attribute):
            return kind
    if ip in METADATA_ADDRESSES:
        return "cloud metadata"
    return None if ip.is_global else "non-public"


def non_global_kind(address: str) -> str | None:
    """Why ``address`` is not a public internet address (``"loopback"``...), or ``None``.
    An IPv6 address that carries an IPv4 one is judged by both."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    for inner in embedded_ipv4(ip):
        kind = _kind_of(inner)
        if kind is not None:
            return f"{kind} (as {inner})" if ip.ipv4_mapped is None else kind
    return _kind_of(ip)


def never_allowed_by_pattern(address: str) -> bool:
    """Whether ``address`` (or an IPv4 address it carries) is link-local or a cloud
    metadata address: refused unless ``allow-hosts`` names that very address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return any(
        candidate.is_link_local or candidate in METADATA_ADDRESSES
        for candidate in (ip, *embedded_ipv4(ip))
    )


Resolver = Callable[[str], Awaitable[list[str]]]


class ResolutionFailed(httpcore.ConnectError):
    """A host name the resolver could not turn into addresses."""


async def system_resolve(host: str) -> list[str]:
    """The addresses of ``host``, in the order the system prefers them."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise ResolutionFailed(f"cannot resolve {host}: {error.strerror}") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class AddressGuard:
    """Resolves hosts once per run and refuses the ones that lead to non-public addresses."""

    def __init__(self, allow_hosts: Iterable[str], resolve: Resolver = system_resolve) -> None:
        self.allowed = [pattern.lower().strip("[]") for pattern in allow_hosts]
        self.allowed_addresses = {
            ipaddress.ip_address(entry) for entry in self.allowed if _is_ip_literal(entry)
        }
        """Entries that name an address: the only way to allow a link-local or cloud
        metadata address."""
        self._resolve = resolve
        self._lookups: dict[str, asyncio.Task[list[str]]] = {}
        self.resolved: set[str] = set()
        self.unresolved: set[str] = set()
        """Names whose lookups all failed with a resolution error (until one succeeds)."""

    def allowing_pattern(self, host: str) -> str | None:
        """The ``allow-hosts`` entry that lets ``host`` through, if any."""
        host = host.lower().strip("[]").rstrip(".")
        return next((p for p in self.allowed if fnmatch.fnmatchcase(host, p)), None)

    def is_allowed(self, host: str) -> bool:
        return self.allowing_pattern(host) is not None

    async def resolve(self, host: str) -> list[str]:
        """The addresses of ``host`` (once per run; a failed lookup is tried again)."""
        host = host.strip("[]")
        if _is_ip_literal(host):
            return [host]
        lookup = self._lookups.get(host)
        if lookup is None or (lookup.done() and (lookup.cancelled() or lookup.exception())):
            lookup = self._lookups[host] = asyncio.ensure_future(self._resolve(host))
        # Shielded: a request timing out must not cancel the lookup others wait on.
        try:
            addresses = await asyncio.shield(lookup)
        except ResolutionFailed:
            if host not in self.resolved:
                self.unresolved.add(host)
            raise
        self.resolved.add(host)
        self.unresolved.discard(host)
        return addresses

    async def addresses(self, host: str) -> list[str]:
        """The addresses to connect to for ``host``; :class:`AddressRefused` if unsafe."""
        addresses = await self.resolve(host)
        self.judge(host.strip("[]"), addresses)
        return addresses

    def judge(self, host: str, addresses: list[str]) -> str | None:
        """Refuse (:class:`AddressRefused`) ``host`` if one of its ``addresses`` is not
        public and the host is not allowed, or is link-local or cloud metadata and not
        allowed by address. Returns the ``allow-hosts`` entry that was needed, if any."""
        pattern = self.allowing_pattern(host)
        needed: str | None = None
        for address in addresses:
            kind = non_global_kind(address)
            if kind is None:
                continue
            exact = ipaddress.ip_address(address.split("%", 1)[0]) in self.allowed_addresses
            if pattern is None or (never_allowed_by_pattern(address) and not exact):
                raise AddressRefused(host, address, kind)
            needed = pattern
        return needed

    async def check(self, host: str) -> str | None:
        """Resolve and judge ``host`` before a request (or a cached result) is used:
        the ``allow-hosts`` entry it needed, if any."""
        host = host.strip("[]")
        return self.judge(host, await self.resolve(host))


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return True


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Opens TCP connections only to addresses the guard approved, and to exactly those."""

    def __init__(self, guard: AddressGuard) -> None:
        self.guard = guard
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        failure: Exception | None = None
        for address in await self.guard.addresses(host):
            try:
                return await self.inner.connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                failure = error
        raise failure or httpcore.ConnectError(f"no address for {host}")

    async def connect_unix_socket(self, *args: Any, **kwargs: Any) -> Any:
        raise httpcore.ConnectError("unix sockets are not checked")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


_ERROR_TYPES: tuple[tuple[type[Exception], type[httpx.TransportError]], ...] = (
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
)


def _httpx_error(error: Exception, request: httpx.Request) -> Exception:
    """httpcore's exception as httpx's, as httpx's own transport does."""
    message = str(error) or type(error).__name__
    for core_type, httpx_type in _ERROR_TYPES:
        if isinstance(error, core_type):
            return httpx_type(message, request=request)
    return httpx.TransportError(message, request=request)


class _MappedStream(httpx.AsyncByteStream):
    def __init__(self, stream: Any, request: httpx.Request) -> None:
        self.stream, self.request = stream, request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self.stream:
                yield chunk
        except (httpcore.TimeoutException, httpcore.NetworkError, httpcore.ProtocolError) as e:
            raise _httpx_error(e, self.request) from e

    async def aclose(self) -> None:
        await self.stream.aclose()


class GuardedTransport(httpx.AsyncBaseTransport):
    """An httpx transport over an httpcore pool whose connections go through the guard."""

    def __init__(
        self, guard: AddressGuard, max_connections: int, ssl_context: ssl.SSLContext
    ) -> None:
        self.pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=max_connections,
            network_backend=GuardedBackend(guard),
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        try:
            response = await self.pool.handle_async_request(core_request)
        except (
            httpcore.TimeoutException,
            httpcore.NetworkError,
            httpcore.ProtocolError,
            httpcore.UnsupportedProtocol,
        ) as error:
            raise _httpx_error(error, request) from error
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_MappedStream(response.stream, request),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self.pool.aclose()


@dataclass(frozen=True)
class Fetched:
    """What fetching one document found (:meth:`LinkChecker.fetch`)."""

    url: str
    status: int | None = None
    body: bytes | None = None
    error: str | None = None
    refused: bool = False
    unresolved: bool = False
    cached: bool = False


@dataclass
class Body:
    """A response body kept up to ``limit`` bytes; ``truncated`` when it was longer."""

    limit: int
    data: bytearray = field(default_factory=bytearray)
    truncated: bool = False

    async def read(self, response: httpx.Response) -> None:
        self.data.clear()
        self.truncated = False
        async for chunk in response.aiter_bytes():  # decoded (gzip), unlike a link check's
            if len(self.data) + len(chunk) > self.limit:
                self.truncated = True
                break
            self.data.extend(chunk)


# -- politeness ----------------------------------------------------------------------


@dataclass
class HostGate:
    """One server's client, with at most ``limit`` requests in flight, none before
    ``not_before``. A server is the set of addresses its host names resolve to.

    Each server gets its own connection pool of ``limit`` connections: httpcore's pool
    does work quadratic in its connection count on every request, so many small pools
    cost far less CPU than one large pool shared by all hosts."""

    limit: int
    client: httpx.AsyncClient
    not_before: float = 0.0
    semaphore: asyncio.Semaphore = field(init=False)

    def __post_init__(self) -> None:
        self.semaphore = asyncio.Semaphore(self.limit)

    def hold_off(self, seconds: float) -> None:
        self.not_before = max(self.not_before, time.monotonic() + seconds)

    @contextlib.asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        async with self.semaphore:
            while (wait := self.not_before - time.monotonic()) > 0:
                await asyncio.sleep(wait)
            yield


def retry_after_seconds(value: str | None) -> float | None:
    """``Retry-After`` as seconds from now: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


# -- the persistent cache ------------------------------------------------------------


class LinkCache:
    """Results by URL in a JSON file; fresh for ``max_age`` seconds, failures for less.

    Refusals are not kept: they depend on ``allow-hosts`` and cost no request. Each
    entry records the ``allow-hosts`` entries it needed (``allowed_by``), and is used
    only by a run whose ``allow-hosts`` has them all: a result one project got from a
    loopback server it allows is never shown to another that does not. Entries without
    that record (from before it existed) are not used."""

    def __init__(
        self, path: Path, max_age: float, failure_max_age: float, accepted: frozenset[int]
    ) -> None:
        self.path = path
        self.max_age, self.failure_max_age = max_age, failure_max_age
        self.accepted = accepted
        self.entries = self._read()
        self.updated: dict[str, dict[str, Any]] = {}

    def _read(self) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # no cache yet, or a damaged one: start afresh
        entries = data.get("entries") if isinstance(data, dict) else None
        return entries if isinstance(entries, dict) else {}

    def get(self, url: str, now: float, allowed: Iterable[str]) -> LinkResult | None:
        """The fresh result for ``url`` made under a policy ``allowed`` (the run's
        ``allow-hosts``) covers, if any."""
        entry = self.entries.get(url)
        if not isinstance(entry, dict):
            return None
        needed = entry.get("allowed_by")
        if not isinstance(needed, list) or not set(needed) <= set(allowed):
            return None
        result = LinkResult(
            url=url,
            status=entry.get("status"),
            error=entry.get("error"),
            final_url=entry.get("final_url"),
            cached=True,
            allowed_by=tuple(str(item) for item in needed),
        )
        max_age = self.max_age if result.ok(self.accepted) else self.failure_max_age
        return result if 0 <= _age(entry, now) < max_age else None

    def put(self, result: LinkResult, now: float) -> None:
        if result.refused:
            return
        entry = {
            "checked": now,
            "status": result.status,
            "error": result.error,
            "allowed_by": sorted(result.allowed_by),
        }
        if result.final_url:
            entry["final_url"] = result.final_url
        self.entries[result.url] = entry
        self.updated[result.url] = entry

    def save(self, now: float) -> None:
        """Write the new results, merged over what another run may have written meanwhile."""
        if not self.updated:
            return
        from digestlint.files import file_lock

        # The workers of a run (--jobs) save into one file: read, merge and replace it
        # one at a time.
        with file_lock(self.path.with_name(self.path.name + ".lock")):
            if self._write_merged(now):
                self.updated = {}

    def _write_merged(self, now: float) -> bool:
        entries = self._read()
        entries.update(self.updated)
        horizon = max(self.max_age, self.failure_max_age)
        entries = {
            url: entry
            for url, entry in entries.items()
            if isinstance(entry, dict) and _age(entry, now) < horizon
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
        except OSError:
            return False  # a cache that cannot be written only costs requests next time
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump({"version": 1, "entries": entries}, out)
            os.replace(temporary, self.path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            return False
        return True


def _age(entry: dict[str, Any], now: float) -> float:
    """Seconds since ``entry`` was checked; infinite for an entry without a usable time."""
    try:
        return now - float(entry["checked"])
    except (KeyError, TypeError, ValueError):
        return float("inf")


def default_cache_dir() -> Path:
    import platformdirs

    return platformdirs.user_cache_path("digestlint")


# -- the checker ---------------------------------------------------------------------


class LinkChecker:
    """Checks a batch of URLs with one event loop; see the module docstring."""

    def __init__(
        self,
        config: LinksConfig,
        *,
        cache_dir: Path | None = None,
        progress: bool = False,
        resolve: Resolver = system_resolve,
    ) -> None:
        self.config = config
        self.accepted = config.accepted_statuses()
        self.remaps = [(user_regex(pattern), repl) for pattern, repl in config.remap]
        self.excludes = [user_regex(pattern) for pattern in config.exclude]
        self.progress = progress
        self.resolve = resolve
        self.cache = (
            LinkCache(
                (cache_dir or default_cache_dir()) / CACHE_FILE,
                config.cache_max_age,
                config.cache_failure_max_age,
                self.accepted,
            )
            if config.cache
            else None
        )
        self.no_host_resolved = False
        """After :meth:`check`: names were looked up and not one resolved (offline?)."""
        self.offline = False
        """After :meth:`check`: no name resolved and several of the URLs went unchecked
        for it, which says more about this machine (offline, no DNS) than about them."""
        self._guard: AddressGuard | None = None
        self._ssl: ssl.SSLContext | None = None
        self._global: asyncio.Semaphore | None = None
        self._gates: dict[str, HostGate] = {}
        self._gate_of_address: dict[str, HostGate] = {}

    @classmethod
    def from_settings(cls, settings: Settings, *, progress: bool = False) -> LinkChecker:
        config: LinksConfig = settings.config.links
        cache_dir = None
        if config.cache_dir:
            cache_dir = (Path(settings.root) / config.cache_dir).expanduser()
        return cls(config, cache_dir=cache_dir, progress=progress)

    def target(self, url: str) -> str | None:
        """The URL to request for ``url``: ``None`` if excluded, else remapped."""
        if any(pattern.search(url) for pattern in self.excludes):
            return None
        for pattern, replacement in self.remaps:
            if pattern.search(url):
                url = pattern.sub(replacement, url, count=1)
                break
        # The fragment never reaches the server: links to sections of one page are one request.
        return url.split("#", 1)[0]

    def check(self, urls: Iterable[str]) -> dict[str, LinkResult]:
        """Results for ``urls`` (excluded ones left out), keyed by the URL as given."""
        targets = {url: target for url in urls if (target := self.target(url)) is not None}
        unique = list(dict.fromkeys(targets.values()))
        self.no_host_resolved = self.offline = False
        if not unique:
            return {}
        results = _run_coroutine(self._check_all(unique))
        assert self._guard is not None
        self.no_host_resolved = bool(self._guard.unresolved) and not self._guard.resolved
        if self.cache is not None:
            finished = time.time()
            for result in results.values():
                # With no name resolving, the failures say nothing about the links:
                # kept, they would stay "dead" for a while after the network is back.
                if not result.cached and not (self.no_host_resolved and result.unresolved):
                    self.cache.put(result, finished)
            self.cache.save(finished)
        by_url = {url: results[target] for url, target in targets.items()}
        # One URL that does not resolve is a dead link; several, with not one name
        # resolving, are this machine's problem.
        unresolved = sum(result.unresolved for result in by_url.values())
        self.offline = self.no_host_resolved and unresolved > 1
        return by_url

    async def _check_all(self, urls: list[str]) -> dict[str, LinkResult]:
        self._guard = AddressGuard(self.config.allow_hosts, self.resolve)
        self._global = asyncio.Semaphore(self.config.concurrency)
        self._gates = {}
        self._gate_of_address = {}
        now = time.time()
        try:
            with _progress_bar(len(urls), self.progress) as bar:

                async def check_and_count(url: str) -> LinkResult:
                    try:
                        result = await self._cached_or_checked(url, now)
                    except Exception as error:
                        # One URL httpx chokes on (a bad IDNA label, a header it rejects)
                        # must not lose the results of all the others.
                        result = LinkResult(url, error=f"check failed: {error!r}")
                    bar.update(1)
                    return result

                results = await asyncio.gather(*(check_and_count(url) for url in urls))
        finally:
            await asyncio.gather(*(gate.client.aclose() for gate in self._gates.values()))
        return dict(zip(urls, results, strict=True))

    async def _cached_or_checked(self, url: str, now: float) -> LinkResult:
        """The guard first, then the cache, then the network: a cached result is never a
        way around a refusal."""
        if self.cache is None:
            return await self._check_one(url)
        assert self._guard is not None
        allowed = self._guard.allowed
        try:
            await self._guard.check(_host_of(url))
        except AddressRefused as refused:
            return LinkResult(url, error=str(refused), final_url=url, refused=True)
        except (ResolutionFailed, httpx.InvalidURL, UnicodeError):
            # Cannot be judged now (offline?): only a result that needed no allowance.
            allowed = []
        cached = self.cache.get(url, now, allowed)
        return cached if cached is not None else await self._check_one(url)

    def _ssl_context(self) -> ssl.SSLContext:
        # Loading the CA bundle takes tens of milliseconds: once per checker, not per host.
        if self._ssl is None:
            self._ssl = httpx.create_ssl_context()
        return self._ssl

    async def _gate_for(self, url: str) -> HostGate:
        """The gate of the server ``url`` reaches: by the addresses its host resolves to,
        not by how the host is spelled (``localhost``, ``127.0.0.1``, ``127.1`` and a
        name resolving there are one server, held to one ``per-host-concurrency``)."""
        assert self._guard is not None
        host = _host_of(url)
        try:
            addresses = await self._guard.addresses(host)
        except ResolutionFailed:
            addresses = []  # the request fails (and is retried) in the connection
        keys = [_address_key(address) for address in addresses] or [f"name:{host}"]
        gate = next((self._gate_of_address[k] for k in keys if k in self._gate_of_address), None)
        if gate is None:
            limit = self.config.per_host_concurrency
            client = httpx.AsyncClient(
                transport=GuardedTransport(self._guard, limit, self._ssl_context()),
                headers={
                    "User-Agent": self.config.user_agent or f"digestlint/{__version__} link check"
                },
                timeout=httpx.Timeout(self.config.timeout),
                follow_redirects=False,
                trust_env=False,
            )
            gate = HostGate(limit, client)
            self._gates[keys[0]] = gate
        for key in keys:
            self._gate_of_address.setdefault(key, gate)
        return gate

    async def _check_one(self, url: str) -> LinkResult:
        current, method = url, "HEAD"
        allowed_by: set[str] = set()

        def made(**fields: Any) -> LinkResult:
            return LinkResult(url, allowed_by=tuple(sorted(allowed_by)), **fields)

        assert self._guard is not None
        for _hop in range(self.config.max_redirects + 1):
            try:
                host = _host_of(current)
                with contextlib.suppress(ResolutionFailed):
                    await self._guard.check(host)  # refused before any request
                # A failed lookup is tried again with the request's retries.
                response = await self._request_with_retries(current, method)
                needed = await self._guard.check(host)  # resolved by now: the lookup is kept
                if needed is not None:
                    allowed_by.add(needed)
            except AddressRefused as refused:
                return LinkResult(url, error=str(refused), final_url=current, refused=True)
            except (httpx.HTTPError, httpx.InvalidURL, TimeoutError, ResolutionFailed) as error:
                if isinstance(error, ResolutionFailed):
                    error = httpx.ConnectError(str(error))
                return made(
                    error=_describe_error(error, self.config.timeout),
                    final_url=current if current != url else None,
                    unresolved=self._unresolved(current),
                )
            status, location = response
            if status not in REDIRECT_STATUSES or not location:
                return made(status=status, final_url=current if current != url else None)
            try:
                current = str(httpx.URL(current).join(location))
            except httpx.InvalidURL:
                return made(error=f"redirect to an invalid URL `{location}`")
            if httpx.URL(current).scheme not in ("http", "https"):
                return made(error=f"redirect to a non-web URL `{current}`")
            if status == 303:
                method = "GET"
        return made(error=f"more than {self.config.max_redirects} redirects", final_url=current)

    def _unresolved(self, url: str) -> bool:
        assert self._guard is not None
        try:
            host = httpx.URL(url).raw_host.decode("ascii")  # as connections see it (IDNA)
        except (httpx.InvalidURL, UnicodeDecodeError):
            return False
        return host.strip("[]") in self._guard.unresolved

    async def _request_with_retries(
        self, url: str, method: str, body: Body | None = None
    ) -> tuple[int, str | None]:
        """``(status, Location)`` of ``url``, retrying network errors and 429/502/503/504;
        the body of the last answer goes into ``body`` if given."""
        gate = await self._gate_for(url)
        for attempt in range(self.config.retries + 1):
            last_attempt = attempt == self.config.retries
            delay = self.config.backoff * 2**attempt
            try:
                status, headers = await self._request(gate, url, method, body)
            except (httpx.TransportError, TimeoutError):
                if last_attempt:
                    raise
                await asyncio.sleep(delay)
                continue
            if status not in RETRY_STATUSES or last_attempt:
                return status, headers.get("location")
            if status in RETRY_AFTER_STATUSES:
                asked = retry_after_seconds(headers.get("retry-after"))
                if asked is not None and asked > self.config.max_retry_after:
                    return status, None  # waiting that long would stall the whole run
                if asked is not None:
                    delay = asked
                gate.hold_off(delay)  # the whole host waits, not just this request
            await asyncio.sleep(delay)
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _request(
        self, gate: HostGate, url: str, method: str, body: Body | None = None
    ) -> tuple[int, httpx.Headers]:
        """One exchange (``HEAD``, then ``GET`` if the server refuses ``HEAD``) within the
        host's and the global limits and the per-request timeout."""
        assert self._global is not None
        async with gate.turn(), self._global:
            if method == "HEAD":
                status, headers = await self._send(gate.client, "HEAD", url)
                if status not in HEAD_REFUSED_STATUSES:
                    return status, headers
            return await self._send(gate.client, "GET", url, body)

    async def _send(
        self, client: httpx.AsyncClient, method: str, url: str, body: Body | None = None
    ) -> tuple[int, httpx.Headers]:
        async with asyncio.timeout(self.config.timeout):
            async with client.stream(method, url) as response:
                # Even HEAD's empty body is read: a connection whose response was not
                # read to its end is closed instead of serving the next request.
                if body is None:
                    await self._read_capped(response)
                else:
                    await body.read(response)
                return response.status_code, response.headers

    async def _read_capped(self, response: httpx.Response) -> None:
        """Read at most ``max-bytes`` of the body: a small body read to its end lets the
        connection serve the next request; a large one is cut off and its connection closed."""
        read = 0
        async for chunk in response.aiter_raw():
            read += len(chunk)
            if read > self.config.max_bytes:
                break

    # -- fetching documents (the source check) ------------------------------------------

    def fetch(
        self,
        urls: Iterable[str],
        max_bytes: int,
        cached: Callable[[str], bytes | None] | None = None,
    ) -> dict[str, Fetched]:
        """``GET`` each of ``urls`` (remapped; excluded ones left out) through the same
        guard, limits and retries as link checks, keeping bodies of up to ``max_bytes``.
        ``cached(target)`` may answer for a URL instead, once the guard has approved its
        host. Keyed by the URL as given."""
        targets = {url: target for url in urls if (target := self.target(url)) is not None}
        unique = list(dict.fromkeys(targets.values()))
        if not unique:
            return {}
        results = _run_coroutine(self._fetch_all(unique, max_bytes, cached))
        return {url: results[target] for url, target in targets.items()}

    async def _fetch_all(
        self, urls: list[str], max_bytes: int, cached: Callable[[str], bytes | None] | None
    ) -> dict[str, Fetched]:
        self._guard = AddressGuard(self.config.allow_hosts, self.resolve)
        self._global = asyncio.Semaphore(self.config.concurrency)
        self._gates, self._gate_of_address = {}, {}

        async def one(url: str) -> Fetched:
            assert self._guard is not None
            try:
                await self._guard.check(_host_of(url))
            except AddressRefused as refused:
                return Fetched(url, error=str(refused), refused=True)
            except (ResolutionFailed, httpx.InvalidURL, UnicodeError):
                pass  # the request says what is wrong
            else:
                kept = cached(url) if cached is not None else None
                if kept is not None:
                    return Fetched(url, status=200, body=kept, cached=True)
            return await self._fetch_one(url, max_bytes)

        try:
            results = await asyncio.gather(*(one(url) for url in urls))
        finally:
            await asyncio.gather(*(gate.client.aclose() for gate in self._gates.values()))
        return dict(zip(urls, results, strict=True))

    async def _fetch_one(self, url: str, max_bytes: int) -> Fetched:
        assert self._guard is not None
        current = url
        for _hop in range(self.config.max_redirects + 1):
            body = Body(max_bytes)
            try:
                host = _host_of(current)
                with contextlib.suppress(ResolutionFailed):
                    await self._guard.check(host)  # refused before any request
                status, location = await self._request_with_retries(current, "GET", body)
                await self._guard.check(host)
            except AddressRefused as refused:
                return Fetched(url, error=str(refused), refused=True)
            except (httpx.HTTPError, httpx.InvalidURL, TimeoutError, ResolutionFailed) as error:
                if isinstance(error, ResolutionFailed):
                    error = httpx.ConnectError(str(error))
                return Fetched(
                    url,
                    error=_describe_error(error, self.config.timeout),
                    unresolved=self._unresolved(current),
                )
            if status not in REDIRECT_STATUSES or not location:
                if body.truncated:
                    return Fetched(url, status=status, error=f"answer over {max_bytes} bytes")
                return Fetched(url, status=status, body=bytes(body.data))
            try:
                current = str(httpx.URL(current).join(location))
            except httpx.InvalidURL:
                return Fetched(url, error=f"redirect to an invalid URL `{location}`")
        return Fetched(url, error=f"more than {self.config.max_redirects} redirects")


def _host_of(url: str) -> str:
    """The host a connection to ``url`` goes to, as connections see it (IDNA)."""
    return httpx.URL(url).raw_host.decode("ascii").strip("[]")


def _address_key(address: str) -> str:
    """One spelling per address: ``::ffff:127.0.0.1`` is ``127.0.0.1``."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return str(ip)


def _describe_error(error: Exception, timeout: float) -> str:
    if isinstance(error, (TimeoutError, httpx.TimeoutException)):
        return f"timed out after {timeout:g}s"
    if isinstance(error, httpx.InvalidURL):
        return f"invalid URL: {error}"
    if isinstance(error, httpx.ConnectError):
        return f"cannot connect: {error}"
    if isinstance(error, httpx.RemoteProtocolError):
        return f"broken HTTP response: {error}"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _run_coroutine(coroutine: Any) -> Any:
    """Run ``coroutine`` to its end, from plain code or from inside a running event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


class _NoBar:
    def update(self, count: int) -> None:
        del count


@contextlib.contextmanager
def _progress_bar(length: int, wanted: bool) -> Any:
    """A progress bar on stderr when it is a terminal and one is wanted; else nothing."""
    if not (wanted and length and sys.stderr.isatty()):
        yield _NoBar()
        return
    import click

    with click.progressbar(length=length, label="Checking links", file=sys.stderr) as bar:
        yield bar
