"""The online link checker against a real HTTP server on 127.0.0.1.

The report's links name a fictitious host; ``remap`` points them at the local server
and ``allow-hosts`` lets the checker reach it. The server counts the requests it gets
per path, so the tests see exactly what went over the wire.
"""

from __future__ import annotations

import asyncio
import io
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from digestlint import lint_text
from digestlint.cli import main
from digestlint.config import Config, Settings
from digestlint.linkcheck import AddressGuard, AddressRefused, LinkChecker, _progress_bar

TIMEOUT = 1.0  # short, yet far above what a local request takes on a loaded machine


class CountingServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.counts: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.in_flight = 0
        self.most_in_flight = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def total(self) -> int:
        with self.lock:
            return sum(self.counts.values())


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: CountingServer

    def log_message(self, format: str, *args: object) -> None:
        del format, args  # keep test output clean

    def do_HEAD(self) -> None:
        self.respond(body=False)

    def do_GET(self) -> None:
        self.respond(body=True)

    def respond(self, body: bool) -> None:
        with self.server.lock:
            self.server.counts[self.path] += 1
            seen = self.server.counts[self.path]
        path = self.path
        if path == "/ok":
            self.send(200, body)
        elif path == "/missing":
            self.send(404, body)
        elif path == "/moved":
            self.send(301, body, {"Location": "/ok"})
        elif path == "/moved-dead":
            self.send(301, body, {"Location": "/missing"})
        elif path == "/busy":
            if seen == 1:
                self.send(429, body, {"Retry-After": "1"})
            else:
                self.send(200, body)
        elif path == "/slow":
            time.sleep(TIMEOUT * 3)
            self.send(200, body)
        elif path == "/head-refused":
            self.send(405 if not body else 200, body)
        elif path == "/endless":
            if not body:
                self.send(405, body)
                return
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"x" * 65536
            try:
                while True:  # a body with no end: only a capped reader gets past it
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            except OSError:
                return
        elif path == "/to-private":
            self.send(302, body, {"Location": "http://10.0.0.1/admin"})
        elif path == "/loop":
            self.send(302, body, {"Location": "/loop"})
        elif path == "/rate-limited-for-an-hour":
            self.send(429, body, {"Retry-After": "3600"})
        elif path.startswith("/sleepy/"):
            with self.server.lock:
                self.server.in_flight += 1
                self.server.most_in_flight = max(self.server.most_in_flight, self.server.in_flight)
            time.sleep(0.1)
            with self.server.lock:
                self.server.in_flight -= 1
            self.send(200, body)
        else:
            self.send(404, body)

    def send(self, status: int, body: bool, headers: dict[str, str] | None = None) -> None:
        content = b"<html>page</html>" if status == 200 else b""
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        if body:
            self.wfile.write(content)


@pytest.fixture
def server() -> Iterator[CountingServer]:
    server = CountingServer()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


REPORT = """\
# Links

Live: https://papers.example/ok

Dead: https://papers.example/missing

Moved, alive: [moved](https://papers.example/moved)

Moved, dead: <https://papers.example/moved-dead>

Rate limited, then alive: https://papers.example/busy

Too slow: https://papers.example/slow

HEAD refused, GET fine: https://papers.example/head-refused

Live again, same URL as line 3: https://papers.example/ok
"""


def settings_for(server: CountingServer, tmp_path: Path, **links: object) -> Settings:
    table = {
        "remap": [[r"^https://papers\.example/", server.base + "/"]],
        "allow-hosts": ["127.0.0.1"],
        "timeout": TIMEOUT,
        "retries": 1,
        "backoff": 0.05,
        "cache-dir": str(tmp_path / "cache"),
        **links,
    }
    config = Config.model_validate(
        {"profile": "generic", "select": ["DL711", "DL712"], "links": table}
    )
    return Settings(config, root=tmp_path)


def lint_online(text: str, settings: Settings) -> list:
    """``lint_text`` with a link checker made from ``settings``, as the CLI makes one."""
    return lint_text(text, settings, links=LinkChecker.from_settings(settings))


def located(findings: list) -> list[tuple[int, str, str]]:
    return [(f.line, f.code, f.message) for f in findings]


def test_exactly_the_dead_links_are_reported_on_their_lines(server, tmp_path) -> None:
    findings = lint_online(REPORT, settings_for(server, tmp_path))
    assert [(f.line, f.column, f.code) for f in findings] == [
        (5, 7, "DL711"),
        (9, 15, "DL711"),
        (13, 11, "DL711"),
    ]
    messages = [f.message for f in findings]
    assert "HTTP 404 Not Found" in messages[0]
    assert "HTTP 404 Not Found (redirected to " in messages[1] and "/missing" in messages[1]
    assert f"timed out after {TIMEOUT:g}s" in messages[2]
    assert server.counts["/busy"] == 2  # 429 honoured, then asked again
    assert server.counts["/head-refused"] == 2  # HEAD refused, then GET
    assert server.counts["/ok"] == 2  # once for /ok (two links), once via /moved


def test_a_second_run_sends_no_request_for_cached_urls(server, tmp_path) -> None:
    settings = settings_for(server, tmp_path)
    first = lint_online(REPORT, settings)
    sent = server.total()
    assert sent > 0
    second = lint_online(REPORT, settings)
    assert server.total() == sent
    assert located(second) == located(first)


@pytest.mark.slow
def test_failures_expire_sooner_than_successes(server, tmp_path) -> None:
    settings = settings_for(server, tmp_path, **{"cache-failure-max-age": 0})
    lint_online(REPORT, settings)
    before = server.counts.copy()
    lint_online(REPORT, settings)
    assert server.counts["/missing"] > before["/missing"]
    assert server.counts["/ok"] == before["/ok"]
    assert server.counts["/head-refused"] == before["/head-refused"]


def test_cache_off_asks_again(server, tmp_path) -> None:
    settings = settings_for(server, tmp_path, cache=False)
    text = "https://papers.example/ok\n"
    lint_online(text, settings)
    lint_online(text, settings)
    assert server.counts["/ok"] == 2


def test_without_allow_hosts_internal_addresses_are_refused_unrequested(server, tmp_path) -> None:
    port = server.server_address[1]
    text = (
        f"a http://127.0.0.1:{port}/ok\n\n"
        f"b http://localhost:{port}/ok\n\n"
        "c http://10.0.0.1/admin\n\n"
        "d http://169.254.169.254/latest/meta-data/\n\n"
        f"e [v6](http://[::1]:{port}/ok)\n"
    )
    settings = settings_for(server, tmp_path, **{"allow-hosts": [], "remap": []})
    findings = lint_online(text, settings)
    assert [(f.line, f.code) for f in findings] == [
        (1, "DL712"),
        (3, "DL712"),
        (5, "DL712"),
        (7, "DL712"),
        (9, "DL712"),
    ]
    kinds = [f.message for f in findings]
    assert "127.0.0.1 is a loopback address" in kinds[0]
    assert "localhost resolves to" in kinds[1] and "loopback" in kinds[1]
    assert "10.0.0.1 is a private address" in kinds[2]
    assert "169.254.169.254 is a link-local address" in kinds[3]
    assert "::1 is a loopback address" in kinds[4]
    assert server.total() == 0


def test_a_redirect_to_an_internal_address_is_refused(server, tmp_path) -> None:
    findings = lint_online("https://papers.example/to-private\n", settings_for(server, tmp_path))
    [finding] = findings
    assert finding.code == "DL712"
    assert "10.0.0.1 is a private address (redirected to http://10.0.0.1/admin)" in finding.message
    assert server.counts["/to-private"] == 1


def test_redirect_loops_stop_at_the_limit(server, tmp_path) -> None:
    settings = settings_for(server, tmp_path, **{"max-redirects": 3})
    [finding] = lint_online("https://papers.example/loop\n", settings)
    assert "more than 3 redirects" in finding.message
    assert server.counts["/loop"] == 4


def test_bodies_are_read_only_up_to_max_bytes(server, tmp_path) -> None:
    settings = settings_for(server, tmp_path, **{"max-bytes": 1000, "timeout": 5})
    assert lint_online("https://papers.example/endless\n", settings) == []
    assert server.counts["/endless"] == 2


def test_exclude_and_accept(server, tmp_path) -> None:
    settings = settings_for(server, tmp_path, exclude=[r"/missing$"], accept=["200-299", 404])
    text = "https://papers.example/missing\n\nhttps://papers.example/moved-dead\n"
    assert lint_online(text, settings) == []
    assert server.counts["/missing"] == 1  # only via the redirect: the link itself is excluded


def test_online_rules_stay_off_unless_asked(server, tmp_path) -> None:
    assert lint_text(REPORT, settings_for(server, tmp_path)) == []
    assert server.total() == 0


def test_the_api_goes_online_only_with_a_link_checker(server, tmp_path) -> None:
    """The config's `online` is the caller's to honour (the CLI does, see
    test_cli_check_links_and_config): without a checker, lint_text sends no request."""
    settings = settings_for(server, tmp_path, online=True)
    assert lint_text("https://papers.example/missing\n", settings) == []
    assert server.total() == 0
    findings = lint_online("https://papers.example/missing\n", settings)
    assert [f.code for f in findings] == ["DL711"]


def write_config(server: CountingServer, tmp_path: Path, online: bool) -> None:
    (tmp_path / ".digestlint.toml").write_text(
        f"""
profile = "generic"
select = ["DL7"]

[links]
online = {str(online).lower()}
remap = [['^https://papers\\.example/', '{server.base}/']]
allow-hosts = ["127.0.0.1"]
timeout = {TIMEOUT}
retries = 0
cache-dir = "cache"
""",
        encoding="utf-8",
    )


def test_cli_check_links_and_config(server, tmp_path, monkeypatch) -> None:
    report = tmp_path / "report.md"
    report.write_text("ok https://papers.example/ok\n\nno https://papers.example/missing\n")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    write_config(server, tmp_path, online=False)
    offline = runner.invoke(main, ["report.md"])
    assert offline.exit_code == 0, offline.output
    assert server.total() == 0
    flagged = runner.invoke(main, ["--check-links", "report.md"])
    assert flagged.exit_code == 1
    assert "report.md:3:4: error DL711" in flagged.stdout
    assert "Checking links" not in flagged.stderr  # stderr is no terminal here
    write_config(server, tmp_path, online=True)
    by_config = runner.invoke(main, ["report.md"])
    assert by_config.exit_code == 1 and "DL711" in by_config.stdout
    assert (tmp_path / "cache" / "links-v1.json").is_file()


def test_progress_bar_only_on_a_terminal(monkeypatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for terminal, wanted, shown in [
        (True, True, True),
        (True, False, False),
        (False, True, False),
    ]:
        stream = Terminal() if terminal else io.StringIO()
        monkeypatch.setattr("sys.stderr", stream)
        with _progress_bar(3, wanted) as bar:
            bar.update(3)
        assert ("Checking links" in stream.getvalue()) == shown


def test_guard_refuses_a_name_with_any_internal_address() -> None:
    async def resolve(host: str) -> list[str]:
        return {"mixed.test": ["93.184.215.14", "127.0.0.1"], "public.test": ["93.184.215.14"]}[
            host
        ]

    async def run() -> None:
        guard = AddressGuard([], resolve)
        assert await guard.addresses("public.test") == ["93.184.215.14"]
        with pytest.raises(AddressRefused, match=r"mixed\.test resolves to 127\.0\.0\.1"):
            await guard.addresses("mixed.test")
        allowed = AddressGuard(["*.test"], resolve)
        assert await allowed.addresses("mixed.test") == ["93.184.215.14", "127.0.0.1"]
        mapped = AddressGuard([], resolve)
        with pytest.raises(AddressRefused, match="loopback"):
            await mapped.addresses("::ffff:127.0.0.1")
        with pytest.raises(AddressRefused, match="is an unspecified address"):
            await mapped.addresses("0.0.0.0")

    asyncio.run(run())


def test_nothing_listening_is_a_dead_link(server, tmp_path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings = settings_for(server, tmp_path, remap=[])
    [finding] = lint_online(f"x http://127.0.0.1:{closed_port}/\n", settings)
    assert finding.code == "DL711" and "cannot connect" in finding.message


def test_links_to_sections_of_one_page_are_one_request(server, tmp_path) -> None:
    text = "".join(f"[{n}](https://papers.example/ok#part-{n})\n\n" for n in range(5))
    assert lint_online(text, settings_for(server, tmp_path)) == []
    assert server.counts["/ok"] == 1


def test_an_unresolvable_name_is_a_dead_link(server, tmp_path) -> None:
    settings = settings_for(server, tmp_path, remap=[])
    [finding] = lint_online("x http://no-such-host.invalid/\n", settings)
    assert finding.code == "DL711"
    assert "cannot connect: cannot resolve no-such-host.invalid" in finding.message


def test_requests_in_flight_stay_within_the_per_host_limit(server, tmp_path) -> None:
    settings = settings_for(server, tmp_path, **{"per-host-concurrency": 2})
    text = "".join(f"https://papers.example/sleepy/{n}\n\n" for n in range(8))
    assert lint_online(text, settings) == []
    assert server.most_in_flight == 2


def test_requests_in_flight_stay_within_the_global_limit(server, tmp_path) -> None:
    port = server.server_address[1]
    # Two names for the same server: two hosts, each allowed 4 requests, 3 in all.
    settings = settings_for(
        server,
        tmp_path,
        concurrency=3,
        **{"per-host-concurrency": 4, "allow-hosts": ["127.0.0.1", "localhost"]},
    )
    text = "".join(
        f"http://{host}:{port}/sleepy/{n}\n\n"
        for host in ("127.0.0.1", "localhost")
        for n in range(6)
    )
    assert lint_online(text, settings) == []
    assert server.most_in_flight == 3


def test_a_retry_after_beyond_the_bound_is_not_waited_for(server, tmp_path) -> None:
    settings = settings_for(server, tmp_path, **{"max-retry-after": 1})
    [finding] = lint_online("https://papers.example/rate-limited-for-an-hour\n", settings)
    assert "HTTP 429 Too Many Requests" in finding.message
    assert server.counts["/rate-limited-for-an-hour"] == 1


def test_one_event_loop_per_lint(server, tmp_path, monkeypatch) -> None:
    from digestlint import linkcheck

    runs = []
    real = linkcheck._run_coroutine

    def counting(coroutine):
        runs.append(coroutine)
        return real(coroutine)

    monkeypatch.setattr(linkcheck, "_run_coroutine", counting)
    findings = lint_online(REPORT, settings_for(server, tmp_path))
    assert len(findings) == 3 and len(runs) == 1


def test_lint_from_inside_a_running_event_loop(server, tmp_path) -> None:
    async def lint_in_loop() -> list:
        return lint_online("https://papers.example/missing\n", settings_for(server, tmp_path))

    assert [f.code for f in asyncio.run(lint_in_loop())] == ["DL711"]


def test_links_are_requested_as_written(server, tmp_path) -> None:
    text = "[a](https://papers.example/ok%3Fnot-a-query) [b](https://papers.example/o\\_k)\n"
    findings = lint_online(text, settings_for(server, tmp_path))
    assert [f.code for f in findings] == ["DL711", "DL711"]
    assert server.counts["/ok%3Fnot-a-query"] == 1  # not decoded to `/ok?not-a-query`
    assert server.counts["/o_k"] == 1  # the Markdown escape is not part of the URL


# `.invalid` names never resolve (RFC 6761): a report whose every link names one is what
# a machine with no network (or no DNS) sees for every link.
UNRESOLVABLE = (
    "a https://papers.invalid/1\n\nb https://papers.invalid/2\n\nc https://code.invalid/x\n"
)


def test_no_name_resolving_is_one_finding_not_one_per_link(server, tmp_path) -> None:
    settings = settings_for(server, tmp_path, remap=[])
    [finding] = lint_online(UNRESOLVABLE, settings)
    assert (finding.code, finding.line, finding.column) == ("DL711", 1, 3)
    assert finding.message == (
        "3 links not checked: no host name could be resolved (code.invalid, papers.invalid); "
        "is this machine offline?"
    )
    # Nothing is cached: once the network is back, the links are checked afresh.
    cache = tmp_path / "cache" / "links-v1.json"
    assert not cache.exists() or "invalid" not in cache.read_text("utf-8")


def test_when_some_name_resolves_unresolvable_links_are_dead(server, tmp_path) -> None:
    port = server.server_address[1]
    settings = settings_for(server, tmp_path, remap=[], **{"allow-hosts": ["localhost"]})
    text = f"ok http://localhost:{port}/ok\n\n" + UNRESOLVABLE
    findings = lint_online(text, settings)
    assert [(f.line, f.code) for f in findings] == [(3, "DL711"), (5, "DL711"), (7, "DL711")]
    assert all("is dead: cannot connect: cannot resolve" in f.message for f in findings)


@pytest.mark.slow
def test_cli_no_name_resolving_is_an_error_said_once(server, tmp_path, monkeypatch) -> None:
    for name in ("one.md", "two.md"):
        (tmp_path / name).write_text(UNRESOLVABLE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    write_config(server, tmp_path, online=False)
    result = CliRunner().invoke(main, ["--check-links", "one.md", "two.md"])
    assert result.exit_code == 2
    assert result.stderr.count("no host name could be resolved; is this machine offline?") == 1
    assert result.stdout.count("DL711") == 2  # one per file, not one per link
