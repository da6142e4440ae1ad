"""``--format html``: the review page, built by the real CLI and opened in a real browser.

The browser tests load the page from a file:// URL in the system's headless Chromium
(tests/browser.py), read the pinned findings from the DOM, use the filter, and keep a
screenshot in ``tests/artifacts/`` (git-ignored). The page is built from the seed and
from ``tests/data/review-page/hostile.md``, a report with raw HTML, a script, a
``javascript:`` link, an image and math in it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import pty
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser import chromium
from click.testing import CliRunner

from digestlint.cli import main
from digestlint.findings import Finding, Severity
from digestlint.output import Report
from digestlint.output.html import format_html

ROOT = Path(__file__).resolve().parent.parent
SEED = "seeds/hf-daily-papers-2026-02-20.md"
HOSTILE = "tests/data/review-page/hostile.md"
ARTIFACTS = ROOT / "tests" / "artifacts"
# Read off the report by hand: the merged header field, the stray H1 and the
# `javascript:` link.
HOSTILE_FINDINGS = Counter({(3, "DL105"): 1, (12, "DL401"): 1, (23, "DL704"): 1})


@pytest.fixture(autouse=True)
def _in_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "digestlint", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"},
    )


# The seed and the hostile report are of one day: the archive checks (DL62) are not
# what these tests are about.
NOT_ARCHIVE = ("--ignore", "DL62")


def json_findings(*paths: str) -> list[dict]:
    result = cli("--format", "json", *NOT_ARCHIVE, *paths)
    assert result.returncode == 1, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("page") / "review.html"
    result = cli("--format", "html", *NOT_ARCHIVE, "--output-file", str(out), SEED, HOSTILE)
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    return out


# --- the page as a file -----------------------------------------------------------------


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.inline: dict[str, str] = {}
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._open = tag if tag in ("style", "script") else None

    def handle_endtag(self, tag: str) -> None:
        self._open = None

    def handle_data(self, data: str) -> None:
        if self._open:
            self.inline[self._open] = self.inline.get(self._open, "") + data


def test_the_page_loads_nothing_and_allows_only_its_own_style_and_script(page: Path) -> None:
    parsed = _Elements()
    parsed.feed(page.read_text(encoding="utf-8"))
    tags = [tag for tag, _ in parsed.tags]
    assert "link" not in tags and "img" not in tags and "iframe" not in tags
    assert tags.count("script") == 1 and tags.count("style") == 1
    assert not [attrs for _, attrs in parsed.tags if "src" in attrs]
    (policy,) = [
        attrs["content"]
        for tag, attrs in parsed.tags
        if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy"
    ]
    assert policy is not None and policy.startswith("default-src 'none';")
    for kind in ("style", "script"):
        digest = hashlib.sha256(parsed.inline[kind].encode("utf-8")).digest()
        assert f"{kind}-src 'sha256-{base64.b64encode(digest).decode()}'" in policy


def test_raw_html_from_the_report_is_written_escaped(page: Path) -> None:
    html = page.read_text(encoding="utf-8")
    assert "&lt;script&gt;document.title = 'pwned-script';&lt;/script&gt;" in html
    assert "<script>document.title" not in html
    assert "&lt;img src=x onerror=" in html
    assert not re.search(r"href=[\"']?\s*javascript:", html, re.I)
    assert "title=\"not followed: javascript:document.title='pwned-link'\"" in html


def test_the_html_module_and_jinja2_load_only_for_format_html() -> None:
    probe = (
        "import sys\n"
        "from digestlint.cli import main\n"
        "try:\n"
        f"    main(['--format', sys.argv[1], '--output-file', sys.argv[2], {SEED!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in ('jinja2', 'digestlint.output.html') if m in sys.modules))\n"
    )
    loaded = {}
    for output_format in ("text", "sarif", "html"):
        result = subprocess.run(
            [sys.executable, "-c", probe, output_format, os.devnull],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        loaded[output_format] = result.stdout.strip().splitlines()[-1]
    assert loaded == {
        "text": "[]",
        "sarif": "[]",
        "html": "['digestlint.output.html', 'jinja2']",
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--diff", SEED],
            "--diff prints the diff on stdout; add --output-file for the html report",
        ),
        (["--fix", "-"], "the fixed text takes stdout; give --output-file for the html page"),
        (["--statistics", SEED], "--statistics has no html form; use --format text or json"),
    ],
)
def test_the_page_does_not_share_stdout(args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["--format", "html", *args], input="# x\n")
    assert result.exit_code == 2
    assert f"Error: {message}" in result.output


def test_the_page_is_not_written_to_a_terminal() -> None:
    controller, terminal = pty.openpty()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "digestlint", "--format", "html", SEED],
            cwd=ROOT,
            stdout=terminal,
            stderr=subprocess.PIPE,
            text=True,
        )
    finally:
        os.close(terminal)
        os.close(controller)
    assert result.returncode == 2
    assert "--format html writes a page to open in a browser: give --output-file PATH" in (
        result.stderr
    )


def test_a_finding_on_a_line_no_block_covers_gets_a_row_of_its_own() -> None:
    text = "# Title\n\n  \t\ntext\n"
    finding = Finding(
        path="gap.md", line=3, column=1, end_line=3, end_column=4, code="DL001",
        name="unused-suppression", severity=Severity.WARNING, message="on a blank line",
    )  # fmt: skip
    page = format_html(Report(findings=[finding], files=["gap.md"], sources={"gap.md": text}))
    row = re.search(r'<div class="row flagged" id="file-1-L3" data-first="3" data-last="3">'
                    r'.*?</ol>\n</div>', page, re.S)  # fmt: skip
    assert row is not None
    assert '<pre class="source">  \t</pre>' in row.group(0)
    assert 'data-line="3"' in row.group(0)
    assert '<pre class="excerpt"><mark>  \t</mark></pre>' in row.group(0)


# --- the page in Chromium -----------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(page: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as driver:
        driver.get(page.as_uri())
        yield driver


def pins(driver) -> list[dict]:
    """Every pinned finding, with the lines of the row it sits in."""
    return driver.execute_script(
        """return [...document.querySelectorAll('.finding')].map(card => {
            const row = card.closest('.row');
            return {path: card.closest('.file').dataset.path, line: +card.dataset.line,
                    code: card.dataset.code, severity: card.dataset.severity,
                    first: +row.dataset.first, last: +row.dataset.last,
                    shown: card.offsetParent !== null};
        });"""
    )


@pytest.mark.slow
def test_each_finding_is_pinned_beside_its_line(browser) -> None:
    expected = Counter((f["path"], f["line"], f["code"]) for f in json_findings(SEED, HOSTILE))
    found = pins(browser)
    assert Counter((p["path"], p["line"], p["code"]) for p in found) == expected
    assert all(p["first"] <= p["line"] <= p["last"] for p in found)
    # Several findings on one line are each pinned there.
    assert max(Counter((p["path"], p["line"]) for p in found).values()) >= 2
    hostile = Counter((p["line"], p["code"]) for p in found if p["path"] == HOSTILE)
    assert hostile == HOSTILE_FINDINGS
    files = browser.execute_script(
        "return [...document.querySelectorAll('#file-index a')].map(a => "
        "[a.textContent, document.querySelector(a.getAttribute('href')).dataset.path]);"
    )
    assert files == [[SEED, SEED], [HOSTILE, HOSTILE]]


@pytest.mark.slow
def test_a_card_says_code_name_severity_message_and_fix(browser) -> None:
    card = browser.find_element(
        "css selector", f'[data-path="{HOSTILE}"] .finding[data-line="12"]'
    )
    head = card.find_element("css selector", ".head").text
    assert head == "12:1 ERROR DL401 stray-h1 fixable"
    assert card.find_element("css selector", ".message").text == (
        "stray H1 `论文阅读报告：统一潜变量` inside a paper; the report's title is its only H1"
    )
    card.find_element("css selector", ".fix-preview summary").click()
    # What the fix removes or writes is marked, its whitespace made visible (·).
    before = card.find_element("css selector", ".before")
    assert before.text.replace("·", " ") == "# 论文阅读报告：统一潜变量"
    assert [d.text for d in before.find_elements("css selector", "del")] == ["#·"]
    after = card.find_element("css selector", ".after")
    assert after.text == "**论文阅读报告：统一潜变量**"
    assert [i.text for i in after.find_elements("css selector", "ins")] == ["**", "**"]
    link = browser.find_element(
        "css selector", f'[data-path="{HOSTILE}"] .finding[data-line="23"] .head'
    )
    assert link.text.endswith("DL704 link-unsafe-scheme")  # no fix, so no fix badge


@pytest.mark.slow
def test_nothing_from_the_report_runs_or_loads(browser) -> None:
    state = browser.execute_script(
        """return {title: document.title,
                   scripts: document.scripts.length,
                   images: document.images.length,
                   javascriptLinks: document.querySelectorAll('a[href^="javascript:" i]').length,
                   loaded: performance.getEntriesByType('resource').length};"""
    )
    # The title counts what the JSON output of the same run lists (the seed's count
    # moves with the rules; a number written here went stale once).
    count = len(json_findings(SEED, HOSTILE))
    assert state == {
        "title": f"digestlint: {count} findings in 2 files",
        "scripts": 1,
        "images": 0,
        "javascriptLinks": 0,
        "loaded": 0,
    }
    text = browser.find_element("css selector", f'[data-path="{HOSTILE}"]').text
    assert "<script>document.title = 'pwned-script';</script>" in text
    assert "<img src=x onerror=\"document.title='pwned-img'\">" in text
    assert "[image: 图] https://example.org/figure.png" in text
    assert "$\\mathcal{L} = \\|x - \\hat{x}\\|^2$" in text  # math as its source
    assert browser.find_element("css selector", ".unsafe-link").text == "说明"


@pytest.mark.slow
def test_the_filter_hides_and_shows_findings(browser) -> None:
    findings = json_findings(SEED, HOSTILE)
    errors = sum(1 for f in findings if f["severity"] == "error")
    not_cjk = sum(1 for f in findings if f["code"] != "DL813")
    assert 0 < errors < len(findings) and 0 < not_cjk < len(findings)

    def shown() -> tuple[int, str]:
        visible = sum(1 for p in pins(browser) if p["shown"])
        return visible, browser.find_element("id", "shown").text

    assert shown() == (len(findings), str(len(findings)))
    browser.find_element("css selector", 'input[name="severity"][value="warning"]').click()
    assert shown() == (errors, str(errors))
    assert all(p["severity"] == "error" for p in pins(browser) if p["shown"])
    browser.find_element("css selector", 'input[name="severity"][value="warning"]').click()
    browser.find_element("css selector", 'input[name="rule"][value="DL813"]').click()
    assert shown() == (not_cjk, str(not_cjk))
    assert not browser.find_element(
        "css selector", '.rule-group[data-code="DL813"]'
    ).is_displayed()
    browser.find_element("css selector", 'button[data-check="none"]').click()
    assert shown() == (0, "0")
    browser.find_element("css selector", 'button[data-check="all"]').click()
    assert shown() == (len(findings), str(len(findings)))


@pytest.mark.slow
def test_rule_index_links_lead_to_the_findings(browser) -> None:
    targets = browser.execute_script(
        """return [...document.querySelectorAll('.ref')].map(ref => {
            const card = document.querySelector(ref.querySelector('a').getAttribute('href'));
            return [ref.dataset.code, card && card.dataset.code,
                    ref.querySelector('a').textContent.split(':').slice(-2).join(':'),
                    card && card.querySelector('.where').textContent];
        });"""
    )
    assert len(targets) == len(json_findings(SEED, HOSTILE))
    assert all(code == target and where == shown for code, target, where, shown in targets)


@pytest.mark.slow
def test_screenshot_is_kept(browser) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    browser.find_element("css selector", ".fix-preview summary").click()
    shot = ARTIFACTS / "review-page.png"
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes().startswith(b"\x89PNG")
    print(f"screenshot: {shot}")


def test_hostile_report_has_the_shapes_the_page_must_neutralise() -> None:
    text = (ROOT / HOSTILE).read_text(encoding="utf-8")
    for shape in (
        "<img src=x onerror=",
        "<script>",
        "](javascript:",
        "![",
        "$\\mathcal",
        "| --- |",
    ):
        assert shape in text
    assert re.search(r"^# ", text, re.M)
