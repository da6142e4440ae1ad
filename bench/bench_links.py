"""Speed of the online link check, as a ratio to a baseline measured in the same run.

A local HTTP server (its own process, so it does not share our interpreter, and
single-threaded asyncio, so it is not the bottleneck) answers every path with 200
after a simulated network latency. N unique links are checked:

- ``sequential httpx``: the baseline, one ``httpx.Client`` sending ``HEAD`` to each URL
  in turn over a kept-alive connection (what a simple checker does).
- ``digestlint (median)``: ``lint_text(..., links=LinkChecker(...))`` on a report of N links not
  seen before (fresh paths each run), with the config's default limits unless
  ``--concurrency``/``--per-host`` say otherwise; the median of ``--repeat`` runs.
- ``digestlint, cached``: the first report again; it should send no request at all.

Request counts are the server's own counts. With one host, ``per-host-concurrency``
bounds the speed-up: at most that many requests are in flight.

Run: ``python bench/bench_links.py [--links 1000] [--latency-ms 5] [--per-host 8]``.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from digestlint import lint_text
from digestlint.config import Config, LinksConfig, Settings
from digestlint.linkcheck import LinkChecker


def serve(latency: float) -> None:
    """The server process: prints its port, then answers until killed.

    A single-threaded asyncio server: a threaded ``http.server`` spends its time
    passing the GIL between handler threads and would measure itself, not the client."""
    asyncio.run(_serve(latency))


async def _serve(latency: float) -> None:
    count = 0

    async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal count
        try:
            while head := await reader.readuntil(b"\r\n\r\n"):
                method, path, _ = head.split(b" ", 2)
                if path == b"/__count":
                    content = str(count).encode()
                else:
                    count += 1
                    await asyncio.sleep(latency)
                    content = b"ok"
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s"
                    % (len(content), content if method != b"HEAD" else b"")
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(connection, "127.0.0.1", 0, backlog=1024)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


class Server:
    def __init__(self, latency: float) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(latency)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.base = f"http://127.0.0.1:{int(self.process.stdout.readline())}"

    def count(self) -> int:
        return int(httpx.get(self.base + "/__count").text)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait()


def sequential_baseline(urls: list[str]) -> None:
    with httpx.Client(timeout=10) as client:
        for url in urls:
            client.head(url).raise_for_status()


def main() -> None:
    defaults = LinksConfig()
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--links", type=int, default=1000)
    parser.add_argument("--latency-ms", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=defaults.concurrency)
    parser.add_argument("--per-host", type=int, default=defaults.per_host_concurrency)
    parser.add_argument("--repeat", type=int, default=3, help="uncached runs; the median counts")
    parser.add_argument("--serve", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve is not None:
        serve(args.serve)
        return
    server = Server(args.latency_ms / 1000)
    try:
        run(server, args)
    finally:
        server.stop()


def settings_for(server: Server, args: argparse.Namespace, cache: str) -> Settings:
    config = Config.model_validate(
        {
            "profile": "generic",
            "select": ["DL711", "DL712"],
            "links": {
                "remap": [[r"^https://bench\.example/", server.base + "/"]],
                "allow-hosts": ["127.0.0.1"],
                "concurrency": args.concurrency,
                "per-host-concurrency": args.per_host,
                "cache-dir": cache,
            },
        }
    )
    return Settings(config, root=Path(cache))


def timed_lint(server: Server, report: str, settings: Settings) -> tuple[float, int]:
    """Seconds and requests the server saw for one online lint of ``report``."""
    before = server.count()
    started = time.perf_counter()
    findings = lint_text(report, settings, links=LinkChecker.from_settings(settings))
    seconds = time.perf_counter() - started
    if findings:
        raise SystemExit(f"unexpected findings: {findings[:3]}")
    return seconds, server.count() - before


def run(server: Server, args: argparse.Namespace) -> None:
    n = args.links

    def report(run: int) -> str:
        # Fresh paths per run: no run is helped by an earlier one, on either side.
        return "# Links\n\n" + "".join(f"- https://bench.example/r{run}/{i}\n" for i in range(n))

    before = server.count()
    started = time.perf_counter()
    sequential_baseline([f"{server.base}/baseline/{i}" for i in range(n)])
    baseline = time.perf_counter() - started
    rows = [("sequential httpx", baseline, server.count() - before)]

    uncached = []
    with tempfile.TemporaryDirectory() as cache:
        settings = settings_for(server, args, cache)
        for run_number in range(args.repeat):
            uncached.append(timed_lint(server, report(run_number), settings))
        rows.append(("digestlint (median)", *sorted(uncached)[len(uncached) // 2]))
        rows.append(("digestlint, cached", *timed_lint(server, report(0), settings)))

    print(
        f"{n} unique links; local server, {args.latency_ms:g} ms latency per request; "
        f"concurrency {args.concurrency}, per host {args.per_host}; "
        f"uncached runs: {', '.join(f'{s:.2f}s' for s, _ in uncached)}"
    )
    for name, seconds, sent in rows:
        print(
            f"  {name:20s} {seconds:7.3f} s  {n / seconds:9.0f} links/s  "
            f"{sent:5d} requests  {baseline / seconds:7.2f}x sequential httpx"
        )


if __name__ == "__main__":
    main()
