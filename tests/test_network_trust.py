"""Who may open the network, and what is never contacted (docs/links.md).

Refusals are proved through the guard with an injected resolver (made-up names mapped to
addresses): a refused address is never connected to, so these tests send traffic only
to a server of their own on 127.0.0.1, which counts what it receives.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from digestlint.cli import main
from digestlint.config import LinksConfig
from digestlint.linkcheck import AddressGuard, AddressRefused, LinkCache, LinkChecker, LinkResult

LOOPBACK_NAMES = {f"{name}.test": ["127.0.0.1"] for name in "abcdef"}
RESOLVER_MAP = {
    **LOOPBACK_NAMES,
    "papers.test": ["127.0.0.1"],
    "metadata.test": ["169.254.169.254"],
    "imds6.test": ["fd00:ec2::254"],
    "aliyun.test": ["100.100.100.200"],
    "wire.test": ["168.63.129.16"],
    "linklocal6.test": ["fe80::1"],
    "mapped-metadata.test": ["::ffff:169.254.169.254"],
}


async def fake_resolve(host: str) -> list[str]:
    return RESOLVER_MAP[host]


class CountingServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.counts: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.in_flight = 0
        self.most_in_flight = 0

    @property
    def port(self) -> int:
        return self.server_address[1]

    def total(self) -> int:
        with self.lock:
            return sum(self.counts.values())


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: CountingServer

    def log_message(self, format: str, *args: object) -> None:
        del format, args

    def do_HEAD(self) -> None:
        with self.server.lock:
            self.server.counts[self.path] += 1
            self.server.in_flight += 1
            self.server.most_in_flight = max(self.server.most_in_flight, self.server.in_flight)
        if self.path.startswith("/slow/"):
            time.sleep(0.2)
        with self.server.lock:
            self.server.in_flight -= 1
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def server() -> Iterator[CountingServer]:
    server = CountingServer()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def judge(allow: list[str], host: str) -> str | None:
    """``None`` if the guard lets ``host`` through, else the refusal's message."""

    async def run() -> str | None:
        try:
            await AddressGuard(allow, fake_resolve).addresses(host)
        except AddressRefused as refused:
            return str(refused)
        return None

    return asyncio.run(run())


# -- item 4: IPv4 addresses carried in IPv6 ----------------------------------------------


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("2002:7f00:1::", "loopback (as 127.0.0.1)"),  # 6to4
        ("2002:a00:1::", "private (as 10.0.0.1)"),
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", "loopback (as 127.0.0.1)"),  # Teredo
        ("64:ff9b::7f00:1", "loopback (as 127.0.0.1)"),  # NAT64
        ("64:ff9b::c0a8:101", "private (as 192.168.1.1)"),
        ("64:ff9b:1::7f00:1", "loopback (as 127.0.0.1)"),  # local NAT64, /96 layout
        ("64:ff9b:1:7f00:0:100::", "loopback (as 127.0.0.1)"),  # RFC 6052 /48 layout
        ("::127.0.0.1", "loopback (as 127.0.0.1)"),  # IPv4-compatible
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
        ("::ffff:169.254.169.254", "link-local"),
    ],
)
def test_ipv4_carried_in_ipv6_is_judged_as_the_ipv4_address(address: str, kind: str) -> None:
    article = "an" if kind[0] in "aeiou" else "a"
    assert judge([], address) == f"{address} is {article} {kind} address"


def test_6to4_carrying_a_public_ipv4_address_is_let_through() -> None:
    assert judge([], "2002:808:808::") is None


# -- item 3: link-local and metadata addresses, even under "*" --------------------------


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("metadata.test", "169.254.169.254"),
        ("imds6.test", "fd00:ec2::254"),
        ("aliyun.test", "100.100.100.200"),
        ("wire.test", "168.63.129.16"),
        ("linklocal6.test", "fe80::1"),
        ("mapped-metadata.test", "::ffff:169.254.169.254"),
        ("169.254.170.2", "169.254.170.2"),
        ("2002:a9fe:a9fe::", "2002:a9fe:a9fe::"),  # 6to4 of 169.254.169.254
    ],
)
def test_metadata_and_link_local_addresses_are_refused_even_under_a_star(
    host: str, address: str
) -> None:
    refusal = judge(["*"], host)
    assert refusal is not None and address in refusal
    assert judge(["*", address], host) is None  # listed by address: allowed


def test_a_star_still_allows_loopback_and_private_names() -> None:
    assert judge(["*"], "papers.test") is None
    assert judge(["*"], "10.1.2.3") is None


# -- item 3: a nested config cannot widen the root's network permissions ---------------


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_a_nested_config_cannot_widen_allow_hosts(
    server: CountingServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pull request adds ``reports/.digestlint.toml`` allowing every host; CI runs
    ``--check-links`` from the repository root, whose config allows none."""
    write(tmp_path / ".digestlint.toml", 'profile = "generic"\n')
    write(
        tmp_path / "reports" / ".digestlint.toml",
        'profile = "generic"\n[links]\nallow-hosts = ["*", "169.254.169.254"]\nonline = true\n'
        f'remap = [["^http://192\\\\.0\\\\.2\\\\.1/", "http://127.0.0.1:{server.port}/"]]\n',
    )
    write(
        tmp_path / "reports" / "report.md",
        f"本地 http://127.0.0.1:{server.port}/ok\n\n"
        "元数据 http://169.254.169.254/latest/meta-data/\n\n"
        "镜像 http://192.0.2.1/ok\n",
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        main, ["--check-links", "--format", "json", "--no-progress", "reports/report.md"]
    )
    found = [(f["line"], f["code"]) for f in json.loads(result.stdout)]
    assert found == [(1, "DL712"), (3, "DL712"), (5, "DL712")], result.stdout
    assert server.total() == 0
    assert "links.allow-hosts: ['*', '169.254.169.254'] not allowed by the root config" in (
        result.stderr
    )
    assert "links.remap: only the root config's remaps apply" in result.stderr
    # online = true in the nested config does not turn the check on either
    offline = CliRunner().invoke(main, ["--format", "json", "reports/report.md"])
    assert json.loads(offline.stdout) == []
    assert server.total() == 0


def test_a_nested_config_may_narrow_allow_hosts(
    server: CountingServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path / ".digestlint.toml",
        'profile = "generic"\n[links]\nallow-hosts = ["127.0.0.1"]\n',
    )
    report = f"本地 http://127.0.0.1:{server.port}/ok\n"
    write(tmp_path / "open" / "report.md", report)
    write(
        tmp_path / "closed" / ".digestlint.toml",
        'profile = "generic"\n[links]\nallow-hosts = []\n',
    )
    write(tmp_path / "closed" / "report.md", report)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        main,
        ["--check-links", "--format", "json", "--no-progress", "open", "closed"],
        env={"XDG_CACHE_HOME": str(tmp_path / "cache")},
    )
    found = [(f["path"], f["code"]) for f in json.loads(result.stdout)]
    assert found == [("closed/report.md", "DL712")], result.output
    assert server.counts["/ok"] == 1


def test_with_config_the_named_file_is_the_root(
    server: CountingServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path / "ci.toml",
        'profile = "generic"\n[links]\nallow-hosts = ["127.0.0.1"]\ncache = false\n',
    )
    write(tmp_path / "reports" / ".digestlint.toml", '[links]\nallow-hosts = ["*"]\n')
    write(tmp_path / "reports" / "report.md", f"本地 http://127.0.0.1:{server.port}/ok\n")
    monkeypatch.chdir(tmp_path / "reports")
    result = CliRunner().invoke(
        main, ["--config", str(tmp_path / "ci.toml"), "--check-links", "report.md"]
    )
    assert result.exit_code == 0, result.output
    assert server.counts["/ok"] == 1


# -- item 2: the guard runs before the cache; entries keep their policy ----------------


def checker(tmp_path: Path, **links: object) -> LinkChecker:
    config = LinksConfig.model_validate({"timeout": 2, "retries": 0, **links})
    return LinkChecker(config, cache_dir=tmp_path / "shared-cache", resolve=fake_resolve)


def test_a_cached_result_is_no_way_around_a_refusal(
    server: CountingServer, tmp_path: Path
) -> None:
    """Project A allows the loopback server and checks it; project B, sharing the user
    cache, allows nothing: it gets a refusal, not A's result."""
    urls = [f"http://127.0.0.1:{server.port}/ok", f"http://papers.test:{server.port}/named"]
    project_a = checker(tmp_path, **{"allow-hosts": ["127.0.0.1", "papers.test"]})
    assert [r.status for r in project_a.check(urls).values()] == [200, 200]
    assert server.total() == 2
    project_b = checker(tmp_path)
    results = project_b.check(urls)
    assert [r.refused for r in results.values()] == [True, True]
    assert [r.cached for r in results.values()] == [False, False]
    assert server.total() == 2
    again = checker(tmp_path, **{"allow-hosts": ["127.0.0.1", "papers.test"]}).check(urls)
    assert [(r.status, r.cached) for r in again.values()] == [(200, True), (200, True)]
    assert server.total() == 2


def test_cache_entries_record_and_require_their_policy(tmp_path: Path) -> None:
    cache = LinkCache(tmp_path / "links.json", 3600, 60, frozenset({200}))
    now = time.time()
    cache.put(LinkResult("http://a.example/", status=200, allowed_by=("*.example",)), now)
    cache.put(LinkResult("http://b.example/", status=200), now)
    cache.save(now)
    data = json.loads((tmp_path / "links.json").read_text(encoding="utf-8"))
    assert data["entries"]["http://a.example/"]["allowed_by"] == ["*.example"]
    assert data["entries"]["http://b.example/"]["allowed_by"] == []
    reread = LinkCache(tmp_path / "links.json", 3600, 60, frozenset({200}))
    assert reread.get("http://a.example/", now, []) is None
    assert reread.get("http://a.example/", now, ["*.example"]) is not None
    assert reread.get("http://b.example/", now, []) is not None
    # An entry written before policies were recorded is not used.
    data["entries"]["http://c.example/"] = {"checked": now, "status": 200, "error": None}
    (tmp_path / "links.json").write_text(json.dumps(data), encoding="utf-8")
    old = LinkCache(tmp_path / "links.json", 3600, 60, frozenset({200}))
    assert old.get("http://c.example/", now, ["*"]) is None


# -- item 6: per-host concurrency by the server, not the spelling ----------------------


def test_one_server_under_seven_spellings_gets_at_most_the_per_host_limit(
    server: CountingServer, tmp_path: Path
) -> None:
    spellings = ["127.0.0.1", *LOOPBACK_NAMES]
    assert len(spellings) == 7
    urls = [f"http://{host}:{server.port}/slow/{n}" for host in spellings for n in range(6)]
    results = checker(
        tmp_path,
        cache=False,
        concurrency=32,
        **{"per-host-concurrency": 8, "allow-hosts": ["127.0.0.1", "*.test"], "timeout": 20},
    ).check(urls)
    assert all(result.status == 200 for result in results.values())
    assert server.total() == 42
    assert server.most_in_flight == 8


def test_a_broken_root_config_grants_nothing_and_spoils_no_other_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "here" / ".digestlint.toml", "profile = [\n")
    write(tmp_path / "there" / ".digestlint.toml", 'profile = "generic"\n')
    write(tmp_path / "there" / "report.md", "中文,英文\n")
    monkeypatch.chdir(tmp_path / "here")
    result = CliRunner().invoke(main, ["--format", "json", "../there/report.md"])
    assert result.exit_code == 1, result.output
    assert [f["code"] for f in json.loads(result.stdout)] == ["DL814"]
