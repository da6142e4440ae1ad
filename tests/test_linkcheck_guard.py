"""The address guard of the link checker, through a made-up name.

Every other link test reaches the local server by a literal address or by ``localhost``;
here a resolver map turns ``papers.example`` into 127.0.0.1 with no ``remap``. That is
the only way to see which address a connection goes to: the system resolver knows no
``papers.example``, so a connection that asked it (instead of using the address the
guard checked, the DNS-rebinding protection) would fail.
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from digestlint.config import Config, LinksConfig
from digestlint.linkcheck import AddressGuard, AddressRefused, LinkChecker, non_global_kind


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.paths: Counter[str] = Counter()
        self.hosts: list[str] = []


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        del format, args

    def do_HEAD(self) -> None:
        self.server.paths[self.path] += 1
        self.server.hosts.append(self.headers.get("Host", ""))
        self.send_response(200 if self.path == "/ok" else 404)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def server() -> Iterator[_Server]:
    server = _Server()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def resolver(names: dict[str, list[str]]):
    async def resolve(host: str) -> list[str]:
        return names[host]

    return resolve


def links_config(tmp_path: Path, **links: object) -> LinksConfig:
    table = {"timeout": 2.0, "retries": 0, "cache-dir": str(tmp_path / "cache"), **links}
    return Config.model_validate({"links": table}).links


def test_a_made_up_name_is_connected_to_at_the_address_the_guard_checked(
    server: _Server, tmp_path: Path
) -> None:
    port = server.server_address[1]
    checker = LinkChecker(
        links_config(tmp_path, **{"allow-hosts": ["papers.example"]}),
        cache_dir=tmp_path / "cache",
        resolve=resolver({"papers.example": ["127.0.0.1"]}),
    )
    url = f"http://papers.example:{port}/ok"
    result = checker.check([url])[url]
    assert (result.status, result.error) == (200, None)
    assert server.paths["/ok"] == 1
    # The request still names the host it is for.
    assert server.hosts == [f"papers.example:{port}"]


def test_a_made_up_name_that_resolves_to_loopback_is_refused_unrequested(
    server: _Server, tmp_path: Path
) -> None:
    port = server.server_address[1]
    checker = LinkChecker(
        links_config(tmp_path),
        cache_dir=tmp_path / "cache",
        resolve=resolver({"papers.example": ["127.0.0.1"]}),
    )
    url = f"http://papers.example:{port}/ok"
    result = checker.check([url])[url]
    assert result.refused
    assert result.error == "papers.example resolves to 127.0.0.1, a loopback address"
    assert sum(server.paths.values()) == 0


@pytest.mark.parametrize(
    "address",
    [
        "100.64.0.1",  # carrier-grade NAT (RFC 6598): neither private nor global
        "100.127.255.254",
        "::ffff:100.64.0.1",
    ],
)
def test_shared_address_space_is_not_public(address: str) -> None:
    assert non_global_kind(address) == "non-public"


def test_the_guard_refuses_a_name_in_shared_address_space() -> None:
    async def run() -> None:
        guard = AddressGuard([], resolver({"cgnat.example": ["100.64.0.1"]}))
        with pytest.raises(AddressRefused) as refused:
            await guard.addresses("cgnat.example")
        assert str(refused.value) == "cgnat.example resolves to 100.64.0.1, a non-public address"

    asyncio.run(run())


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("93.184.215.14", None),
        ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", None),
        ("0.0.0.0", "unspecified"),
        ("127.0.0.2", "loopback"),
        ("169.254.169.254", "link-local"),
        ("fe80::1%eth0", "link-local"),
        ("10.1.2.3", "private"),
        ("fd00::1", "private"),
        ("224.0.0.1", "multicast"),
        ("240.0.0.1", "private"),  # Python counts 240.0.0.0/4 as private
        ("4000::1", "reserved"),
    ],
)
def test_each_kind_of_address_is_named(address: str, kind: str | None) -> None:
    assert non_global_kind(address) == kind


# -- lines a mutation run found unchecked (docs/testing.md) -----------------------------


def test_each_checked_address_is_tried_in_turn(server: _Server, tmp_path: Path) -> None:
    """Nothing listens on 127.0.0.2 (the server is bound to 127.0.0.1 only): the
    connection falls through to the next address the guard checked."""
    port = server.server_address[1]
    checker = LinkChecker(
        links_config(tmp_path, **{"allow-hosts": ["papers.example"]}),
        cache_dir=tmp_path / "cache",
        resolve=resolver({"papers.example": ["127.0.0.2", "127.0.0.1"]}),
    )
    url = f"http://papers.example:{port}/ok"
    assert checker.check([url])[url].status == 200


def test_when_no_address_answers_the_last_error_is_reported(
    server: _Server, tmp_path: Path
) -> None:
    port = server.server_address[1]
    checker = LinkChecker(
        links_config(tmp_path, **{"allow-hosts": ["papers.example", "nowhere.example"]}),
        cache_dir=tmp_path / "cache",
        resolve=resolver({"papers.example": ["127.0.0.2"], "nowhere.example": []}),
    )
    refused = f"http://papers.example:{port}/ok"
    nowhere = f"http://nowhere.example:{port}/ok"
    results = checker.check([refused, nowhere])
    # The connection's own error (its wording is the network library's), not "no address".
    error = results[refused].error
    assert error is not None and error.startswith("cannot connect: ")
    assert "no address" not in error
    assert results[nowhere].error == "cannot connect: no address for nowhere.example"


def test_a_name_is_looked_up_once_per_run_and_again_after_a_failure() -> None:
    from digestlint.linkcheck import ResolutionFailed

    calls: list[str] = []

    async def flaky(host: str) -> list[str]:
        calls.append(host)
        if len(calls) == 1:
            raise ResolutionFailed(f"cannot resolve {host}")
        return ["93.184.215.14"]

    async def run() -> None:
        guard = AddressGuard([], flaky)
        with pytest.raises(ResolutionFailed):
            await guard.addresses("papers.example")
        assert guard.unresolved == {"papers.example"}
        assert await guard.addresses("papers.example") == ["93.184.215.14"]
        assert await guard.addresses("papers.example") == ["93.184.215.14"]
        assert calls == ["papers.example", "papers.example"]
        assert (guard.resolved, guard.unresolved) == ({"papers.example"}, set())

    asyncio.run(run())


def test_allow_hosts_match_brackets_case_and_a_final_dot() -> None:
    guard = AddressGuard(["[::1]", "Papers.Example"], resolver({}))
    assert guard.is_allowed("::1")
    assert guard.is_allowed("[::1]")
    assert guard.is_allowed("papers.example.")
    assert guard.is_allowed("PAPERS.EXAMPLE")
    assert not guard.is_allowed("other.example")

    async def run() -> None:
        assert await guard.addresses("[::1]") == ["::1"]
        with pytest.raises(AddressRefused, match=r"^::1 is a loopback address$"):
            await AddressGuard([], resolver({})).addresses("[::1]")

    asyncio.run(run())
