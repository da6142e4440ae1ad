"""The GitHub job summary a `--format github` run appends to GITHUB_STEP_SUMMARY, read
as GitHub reads it: rendered as GFM (markdown-it-py with tables) and taken from the HTML.
And annotations without [*]."""

from __future__ import annotations

import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "hf-daily-papers-2026-02-20.md"
CLEAN = (ROOT / "examples" / "clean-report.md").read_text(encoding="utf-8")
# DL105 (error, fixable) on line 3, DL710 (error) on line 35, DL901 (warning) on line 39.
DEFECTIVE = (
    CLEAN.replace("**Date**: 2026-02-20\n\n", "**Date**: 2026-02-20\n", 1)
    .replace(
        "https://huggingface.co/papers/2602.17270", "https://huggingface.co/papers/2602.17363"
    )
    .replace(
        "图像生成与视频生成中的潜空间表示学习。",
        "Latent representation learning for image and video generation, trained jointly.",
    )
)
# A stray H1 (DL401 quotes its text) whose text is markup: HTML, a link, a table's pipe.
HOSTILE_HEADING = (
    "# &lt;script&gt;alert(1)&lt;/script&gt; \\*b\\* \\[x\\](javascript:alert(1)) | `c`"
)
HOSTILE = CLEAN.replace("### 1. 应用领域\n", HOSTILE_HEADING + "\n\n### 1. 应用领域\n", 1)
GITHUB = {
    "GITHUB_ACTIONS": "true",
    "GITHUB_SERVER_URL": "https://github.example",
    "GITHUB_REPOSITORY": "octo/reports",
    "GITHUB_SHA": "0123456789abcdef0123456789abcdef01234567",
}


class Tables(HTMLParser):
    """Each table of an HTML page as rows of (cell text, cell link) pairs."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[tuple[str, str | None]]]] = []
        self.tags: list[str] = []
        self._cell: list[str] | None = None
        self._link: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell, self._link = [], None
        elif tag == "a":
            self._link = dict(attrs).get("href")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append(("".join(self._cell), self._link))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def rendered(markdown: str) -> tuple[str, Tables]:
    html = MarkdownIt("commonmark").enable("table").render(markdown)
    tables = Tables()
    tables.feed(html)
    return html, tables


def texts(table: list[list[tuple[str, str | None]]]) -> list[list[str]]:
    return [[text for text, _ in row] for row in table]


def digestlint(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    return subprocess.run(
        [sys.executable, "-m", "digestlint", *args],
        cwd=cwd,
        env={**base, **env},
        capture_output=True,
        text=True,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    # Copies of one day's report: not what the archive checks (DL62) are about.
    (tmp_path / ".digestlint.toml").write_text('ignore = ["DL62"]\n', encoding="utf-8")
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "a.md").write_text(DEFECTIVE, encoding="utf-8")
    (tmp_path / "reports" / "clean.md").write_text(CLEAN, encoding="utf-8")
    return tmp_path


def test_the_summary_counts_per_rule_and_file_and_links_the_findings(project: Path) -> None:
    summary = project / "step-summary.md"
    summary.write_text("Earlier step's summary.\n", encoding="utf-8")
    result = digestlint(
        project, "--fail-level", "error", "reports", GITHUB_STEP_SUMMARY=str(summary), **GITHUB
    )
    assert result.returncode == 1
    assert result.stdout.startswith("::error file=reports/a.md,line=3,")
    assert "[*]" not in result.stdout
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("Earlier step's summary.\n## digestlint\n")  # appended
    html, tables = rendered(text)
    assert "❌ <strong>2 findings at or above <code>error</code></strong> fail this run." in html
    assert (
        "3 findings in 1 of 2 files: 2 errors, 1 warning; 1 fixable with <code>digestlint --fix</code>."
        in html
    )
    per_rule, per_file, first = tables.tables
    assert texts(per_rule) == [
        ["Rule", "Findings", "Fixable"],
        ["DL105 header-fields-merged", "1", "1"],
        ["DL710 paper-duplicate", "1", "0"],
        ["DL901 section-language", "1", "0"],
    ]
    assert texts(per_file) == [
        ["File", "Findings", "Errors", "Warnings", "Info", "Fixable"],
        ["reports/a.md", "3", "2", "1", "0", "1"],
    ]
    blob = "https://github.example/octo/reports/blob/0123456789abcdef0123456789abcdef01234567"
    assert [row[0] for row in first[1:]] == [
        ("reports/a.md:3:1", f"{blob}/reports/a.md#L3"),
        ("reports/a.md:35:41", f"{blob}/reports/a.md#L35"),
        ("reports/a.md:39:1", f"{blob}/reports/a.md#L39"),
    ]
    assert texts(first)[1][1:] == [
        "error",
        "DL105 header-fields-merged",
        "header field `Source URL` renders on the same line as the one above it",
    ]
    assert texts(first)[3][1] == "warning"


def test_a_passing_run_says_so(project: Path) -> None:
    summary = project / "summary.md"
    (project / "reports" / "a.md").write_text(
        CLEAN.replace(
            "图像生成与视频生成中的潜空间表示学习。",
            "Latent representation learning for image and video generation, trained jointly.",
        ),
        encoding="utf-8",
    )
    result = digestlint(
        project, "--fail-level", "error", "reports", GITHUB_STEP_SUMMARY=str(summary), **GITHUB
    )
    assert result.returncode == 0
    html, tables = rendered(summary.read_text(encoding="utf-8"))
    assert "✅ No finding at or above <code>error</code>." in html
    assert texts(tables.tables[0])[1] == ["DL901 section-language", "1", "0"]
    clean = digestlint(project, "reports/clean.md", GITHUB_STEP_SUMMARY=str(summary), **GITHUB)
    assert clean.returncode == 0
    assert summary.read_text(encoding="utf-8").endswith(
        "## digestlint\n\n✅ No finding at or above `info`.\n\nNo findings in 1 file.\n"
    )


def test_report_text_in_the_summary_is_shown_not_rendered(project: Path) -> None:
    (project / "reports" / "a.md").write_text(HOSTILE, encoding="utf-8")
    summary = project / "summary.md"
    digestlint(project, "reports/a.md", GITHUB_STEP_SUMMARY=str(summary), **GITHUB)
    html, tables = rendered(summary.read_text(encoding="utf-8"))
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert set(tables.tags) <= {
        "h2",
        "h3",
        "p",
        "strong",
        "code",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "a",
    }
    [row] = [row for row in texts(tables.tables[2]) if row[2] == "DL401 stray-h1"]
    assert row[3] == (
        "stray H1 `<script>alert(1)</script> *b* [x](javascript:alert(1)) | c` inside a "
        "paper; the report's title is its only H1"
    )
    assert "javascript:" not in "".join(
        link or "" for t in tables.tables for r in t for _, link in r
    )


def test_many_findings_list_the_first_ones(tmp_path: Path) -> None:
    (tmp_path / ".digestlint.toml").write_text("", encoding="utf-8")
    (tmp_path / "seed.md").write_bytes(SEED.read_bytes())
    summary = tmp_path / "summary.md"
    digestlint(tmp_path, "seed.md", GITHUB_STEP_SUMMARY=str(summary), **GITHUB)
    text = summary.read_text(encoding="utf-8")
    _, tables = rendered(text)
    first = tables.tables[2]
    assert len(first) == 1 + 30
    assert {row[1][0] for row in first[1:]} == {"error"}  # errors first
    assert "\n… and 48 more: see the annotations and the step's log.\n" in text
    assert "### First findings" in text


def test_no_summary_without_the_variable_or_in_other_formats(project: Path) -> None:
    summary = project / "summary.md"
    plain = {k: v for k, v in GITHUB.items() if k != "GITHUB_ACTIONS"}
    digestlint(project, "reports", GITHUB_STEP_SUMMARY=str(summary), **plain)  # text
    digestlint(
        project,
        "--format",
        "sarif",
        "--output-file",
        "x.sarif",
        "reports",
        GITHUB_STEP_SUMMARY=str(summary),
        **GITHUB,
    )
    assert not summary.exists()
    result = digestlint(project, "reports", GITHUB_STEP_SUMMARY="", **GITHUB)
    assert result.returncode == 1 and result.stderr == ""


def test_silent_still_writes_it_and_a_summary_that_cannot_be_written_is_a_warning(
    project: Path,
) -> None:
    summary = project / "summary.md"
    silent = digestlint(project, "-s", "reports", GITHUB_STEP_SUMMARY=str(summary), **GITHUB)
    assert (silent.returncode, silent.stdout, silent.stderr) == (1, "", "")
    assert summary.read_text(encoding="utf-8").startswith("## digestlint\n")
    broken = digestlint(
        project, "reports", GITHUB_STEP_SUMMARY=str(project / "no" / "dir.md"), **GITHUB
    )
    assert broken.returncode == 1  # the findings decide, as without a summary
    assert broken.stderr.startswith(
        f"warning: GITHUB_STEP_SUMMARY: {project / 'no' / 'dir.md'}: cannot write: "
    )
