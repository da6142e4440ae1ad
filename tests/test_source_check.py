"""``--check-source`` against a real HTTP server on 127.0.0.1 serving the Hub API's shape.

The server's list of 2026-02-20 is made from the seed report's 13 papers (read from the
seed with a regular expression here, not with digestlint), with one title changed, one
paper left out, and one paper of the day the report does not have. ``remap`` points
``https://huggingface.co/`` at the server and ``allow-hosts`` lets the guard through, as
the link checker's tests do.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from digestlint import lint_text
from digestlint.cli import main
from digestlint.config import Config, Settings
from digestlint.profile import HF_DAILY_PAPERS_ZH
from digestlint.rules.source import normalised_title, title_similarity
from digestlint.sourcecheck import DayLists

SEED = Path(__file__).parent.parent / "seeds" / "hf-daily-papers-2026-02-20.md"
SEED_TEXT = SEED.read_text(encoding="utf-8")
SEED_PAPERS = re.findall(
    r"^## 📄 (.+)\n\n- \*\*链接\*\*: https://huggingface\.co/papers/(\S+)$",
    SEED_TEXT,
    re.MULTILINE,
)
RENAMED_ID, RENAMED_TITLE = "2602.17365", "World Models for Computer-Using Agents at Scale"
DROPPED_ID = "2602.13579"  # TactAlign, at line 118 of the seed
EXTRA_ID, EXTRA_TITLE = "2602.19999", "A Paper of the Day the Report Leaves Out"


def day_items() -> list[dict]:
    items = []
    for title, arxiv_id in SEED_PAPERS:
        if arxiv_id == DROPPED_ID:
            continue
        shown = RENAMED_TITLE if arxiv_id == RENAMED_ID else title
        # The API's shape: the paper under `paper`, with more fields than are read.
        items.append({"paper": {"id": arxiv_id, "title": shown, "upvotes": 3}, "title": shown})
    items.append({"paper": {"id": EXTRA_ID, "title": EXTRA_TITLE}, "title": EXTRA_TITLE})
    return items


class ApiServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests: Counter[str] = Counter()
        self.lock = threading.Lock()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: ApiServer

    def log_message(self, format: str, *args: object) -> None:
        del format, args

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        day = query.get("date", "")
        with self.server.lock:
            self.server.requests[day] += 1
            seen = self.server.requests[day]
        if url.path != "/api/daily_papers":
            self.answer(404, b"")
        elif day == "2099-01-01":
            self.answer(400, b'{"error":"date in the future"}')
        elif day == "2026-02-21" and seen == 1:
            self.answer(429, b"", {"Retry-After": "1"})
        else:
            limit, page = int(query.get("limit", "50")), int(query.get("p", "0"))
            items = day_items()
            if day == "2026-02-22":  # a busy day: eleven more papers than the report has
                items += [
                    {"paper": {"id": f"2602.2{n:04d}", "title": f"Busy Day Paper {n}"}}
                    for n in range(11)
                ]
            items = items[page * limit : (page + 1) * limit]
            self.answer(200, json.dumps(items).encode(), {"Content-Type": "application/json"})

    def answer(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def server() -> Iterator[ApiServer]:
    server = ApiServer()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def config_table(server: ApiServer, tmp_path: Path, **source: object) -> dict:
    return {
        "select": ["DL61"],
        "links": {
            "remap": [[r"^https://huggingface\.co/", server.base]],
            "allow-hosts": ["127.0.0.1"],
            "timeout": 2.0,
            "retries": 1,
            "backoff": 0.05,
            "cache-dir": str(tmp_path / "cache"),
        },
        "source": source,
    }


def check(text: str, server: ApiServer, tmp_path: Path, **source: object) -> list:
    settings = Settings(Config.model_validate(config_table(server, tmp_path, **source)))
    return lint_text(text, settings, "report.md", day_lists=DayLists(settings))


def located(findings: list) -> list[tuple[int, int, str]]:
    return [(f.line, f.column, f.code) for f in findings]


def test_the_seed_has_the_13_papers_the_server_list_is_made_from() -> None:
    assert len(SEED_PAPERS) == 13
    assert (RENAMED_ID, DROPPED_ID) in {(a, b) for (_, a) in SEED_PAPERS for (_, b) in SEED_PAPERS}
    assert SEED_TEXT.split("\n")[117].endswith(
        "TactAlign: Human-to-Robot Policy Transfer via Tactile Alignment"
    )
    assert SEED_TEXT.split("\n")[392] == "## 📄 Computer-Using World Model"


def test_exactly_the_missing_paper_and_the_changed_title_are_reported(server, tmp_path) -> None:
    findings = check(SEED_TEXT, server, tmp_path)
    assert located(findings) == [(118, 1, "DL611"), (393, 1, "DL612")]
    assert findings[0].message == (
        "paper `2602.13579` is not in the Hugging Face daily papers list of 2026-02-20"
    )
    assert findings[1].message.startswith(
        "title differs from the Hugging Face daily papers title of `2602.17365`: "
        "`Computer-Using World Model` here, "
        "`World Models for Computer-Using Agents at Scale` there (similarity 0."
    )
    assert server.requests["2026-02-20"] == 1  # 13 items fit the first page of 100


def test_coverage_names_the_paper_of_the_day_the_report_lacks(server, tmp_path) -> None:
    findings = check(SEED_TEXT, server, tmp_path, coverage=True)
    assert located(findings) == [(1, 1, "DL613"), (118, 1, "DL611"), (393, 1, "DL612")]
    assert findings[0].message == (
        "1 paper of the Hugging Face daily papers list of 2026-02-20 not in the report: "
        f"`{EXTRA_ID}` ({EXTRA_TITLE})"
    )


def test_a_second_run_makes_no_request(server, tmp_path) -> None:
    first = check(SEED_TEXT, server, tmp_path)
    assert server.requests["2026-02-20"] == 1
    second = check(SEED_TEXT, server, tmp_path)
    assert server.requests["2026-02-20"] == 1
    assert located(second) == located(first)
    # Without the cache, the list is asked for again.
    without = config_table(server, tmp_path)
    without["links"]["cache"] = False
    settings = Settings(Config.model_validate(without))
    lint_text(SEED_TEXT, settings, "report.md", day_lists=DayLists(settings))
    assert server.requests["2026-02-20"] == 2


def test_a_429_with_retry_after_is_retried(server, tmp_path) -> None:
    text = SEED_TEXT.replace("2026-02-20", "2026-02-21")
    findings = check(text, server, tmp_path)
    assert server.requests["2026-02-21"] == 2
    assert located(findings) == [(118, 1, "DL611"), (393, 1, "DL612")]


def test_pages_are_followed_while_they_come_back_full(server, tmp_path) -> None:
    table = config_table(server, tmp_path)
    small = HF_DAILY_PAPERS_ZH.model_dump(by_alias=True, exclude={"name"})
    small["source"]["page-size"] = 5
    table["profile"] = small
    settings = Settings(Config.model_validate(table))
    findings = lint_text(SEED_TEXT, settings, "report.md", day_lists=DayLists(settings))
    assert server.requests["2026-02-20"] == 3  # 13 items: 5, 5, then 3
    assert located(findings) == [(118, 1, "DL611"), (393, 1, "DL612")]


def test_a_future_date_is_reported_on_the_date_line(server, tmp_path) -> None:
    text = SEED_TEXT.replace("2026-02-20", "2099-01-01")
    findings = check(text, server, tmp_path, coverage=True)
    assert [(f.line, f.column, f.end_column, f.code, f.message) for f in findings] == [
        (
            2,
            11,
            21,
            "DL614",
            "Hugging Face daily papers has no list for 2099-01-01 (HTTP 400): a future date?",
        )
    ]


def write_config(tmp_path: Path, table: dict) -> None:
    lines = ['select = ["DL61"]', "[links]"]
    for key, value in table["links"].items():
        lines.append(f"{key} = {json.dumps(value)}")
    lines.append("[source]")
    for key, value in table["source"].items():
        lines.append(f"{key} = {json.dumps(value)}")
    (tmp_path / ".digestlint.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_cli_check_source_on_a_directory(server, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_config(tmp_path, config_table(server, tmp_path))
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "2026-02-20.md").write_text(SEED_TEXT, encoding="utf-8")
    offline = CliRunner().invoke(main, ["reports"])
    assert offline.exit_code == 0, offline.output  # no request without --check-source
    assert sum(server.requests.values()) == 0
    result = CliRunner().invoke(main, ["check", "--check-source", "reports"])
    assert result.exit_code == 1, result.output
    assert "reports/2026-02-20.md:118:1: error DL611 [source-paper-unknown]" in result.stdout
    assert "reports/2026-02-20.md:393:1: error DL612 [source-title-mismatch]" in result.stdout


def test_source_online_is_a_permission_of_the_root_config_only(server, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    table = config_table(server, tmp_path)
    write_config(tmp_path, table)
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / ".digestlint.toml").write_text(
        'select = ["DL61"]\n[source]\nonline = true\n', encoding="utf-8"
    )
    (tmp_path / "reports" / "2026-02-20.md").write_text(SEED_TEXT, encoding="utf-8")
    result = CliRunner().invoke(main, ["reports"])
    assert result.exit_code == 0, result.output
    assert "source.online: not turned on by the root config" in result.stderr
    assert sum(server.requests.values()) == 0
    table["source"] = {"online": True}
    write_config(tmp_path, table)
    result = CliRunner().invoke(main, ["reports"])
    assert result.exit_code == 1, result.output
    assert server.requests["2026-02-20"] == 1


def test_no_network_is_one_error_and_exit_2(server, tmp_path, monkeypatch) -> None:
    """`.invalid` never resolves (RFC 6761): what a machine without network sees."""
    monkeypatch.chdir(tmp_path)
    table = config_table(server, tmp_path)
    table["links"]["remap"] = [[r"^https://huggingface\.co/", "https://hub.invalid/"]]
    table["links"]["retries"] = 0
    write_config(tmp_path, table)
    for day in ("2026-02-20", "2026-02-21"):
        text = SEED_TEXT.replace("2026-02-20", day)
        (tmp_path / f"{day}.md").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["--check-source", "."])
    assert result.exit_code == 2, result.output
    errors = [line for line in result.stderr.splitlines() if "source check" in line]
    assert errors == [
        "error: source check: cannot fetch Hugging Face daily papers (hub.invalid): "
        "cannot connect: cannot resolve hub.invalid: "
        + errors[0].split("cannot resolve hub.invalid: ", 1)[1]
    ]
    assert errors[0].endswith("; is this machine offline?")
    assert "DL61" not in result.stdout


@pytest.mark.parametrize(
    ("ours", "theirs", "same"),
    [
        ("2Mamba2Furious: Linear in Complexity", "2mamba2furious - linear in  complexity", True),
        ("$\\alpha$-Routing for \\textbf{Sparse} MoE", "α-Routing for Sparse MoE", False),
        ("$\\alpha$-Routing for \\textbf{Sparse} MoE", "alpha-Routing for Sparse MoE", True),
        ("Computer-Using World Model", "Computer-Using World Models", True),
        ("Computer-Using World Model", "Agents That Use Computers", False),
    ],
)
def test_title_comparison(ours: str, theirs: str, same: bool) -> None:
    assert (title_similarity(ours, theirs) >= 0.9) is same


def test_normalised_title_sets_markup_aside() -> None:
    assert (
        normalised_title("\\textbf{Deep} $\\mathcal{L}$-Nets: A  Study!") == "deep l nets a study"
    )


def test_a_profile_without_a_source_is_a_warning_not_a_request(server, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    table = config_table(server, tmp_path)
    write_config(tmp_path, table)
    config = (tmp_path / ".digestlint.toml").read_text(encoding="utf-8")
    (tmp_path / ".digestlint.toml").write_text('profile = "generic"\n' + config, encoding="utf-8")
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text(SEED_TEXT, encoding="utf-8")
    result = CliRunner().invoke(main, ["--check-source", "a.md", "b.md"])
    assert result.exit_code == 0, result.output
    assert result.stderr.count("profile `generic` names no source") == 1
    assert sum(server.requests.values()) == 0


def test_todays_list_is_kept_briefly_a_past_days_long(server, tmp_path) -> None:
    today = datetime.now(UTC).date().isoformat()
    brief = {"cache-today-max-age": 0}
    for _ in range(2):
        check(SEED_TEXT.replace("2026-02-20", today), server, tmp_path, **brief)
        check(SEED_TEXT, server, tmp_path, **brief)
    assert server.requests[today] == 2  # today's list may still grow: asked again
    assert server.requests["2026-02-20"] == 1  # a past day's does not change


def test_coverage_names_ten_missing_papers_and_counts_the_rest(server, tmp_path) -> None:
    text = SEED_TEXT.replace("2026-02-20", "2026-02-22")
    [coverage] = [f for f in check(text, server, tmp_path, coverage=True) if f.code == "DL613"]
    assert coverage.message.startswith(
        "12 papers of the Hugging Face daily papers list of 2026-02-22 not in the report: "
        f"`{EXTRA_ID}` ({EXTRA_TITLE}); `2602.20000` (Busy Day Paper 0); "
    )
    assert coverage.message.endswith("`2602.20008` (Busy Day Paper 8); and 2 more")


def test_show_settings_shows_the_source_table_a_nested_config_cannot_turn_on(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".digestlint.toml").write_text("[source]\ncoverage = true\n", encoding="utf-8")
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / ".digestlint.toml").write_text(
        "[source]\nonline = true\ntitle-similarity = 0.8\n", encoding="utf-8"
    )
    (tmp_path / "reports" / "a.md").write_text(SEED_TEXT, encoding="utf-8")
    result = CliRunner().invoke(main, ["--show-settings", "--format", "json", "reports/a.md"])
    shown = json.loads(result.stdout)
    assert shown["source"]["online"] is False
    assert shown["source"]["title-similarity"] == 0.8
    assert "reports/.digestlint.toml: source.online: not turned on by the root config" in (
        result.stderr
    )
