"""Which files a directory walk lints: `*.md` and `*.markdown` in any case by default,
the config's `include` instead, `extend-include` as well."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from digestlint.cli import main

ROOT = Path(__file__).resolve().parent.parent
CLEAN = (ROOT / "examples" / "clean-report.md").read_text(encoding="utf-8")
# DL105 on line 3: every file below has one finding, so the listed paths show what was linted.
MERGED = CLEAN.replace("**Date**: 2026-02-20\n\n", "**Date**: 2026-02-20\n", 1)
FILES = [
    "reports/a.md",
    "reports/b.markdown",
    "reports/C.MD",
    "reports/2026/d.Markdown",
    "reports/e.mdx",
    "reports/notes.txt",
    "reports/f.md.bak",
    "reports/node_modules/g.md",
]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".digestlint.toml").write_text("", encoding="utf-8")
    for name in FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(MERGED, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def linted(*args: str) -> list[str]:
    result = CliRunner().invoke(main, ["--select", "DL105", *args], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return [line.split(":")[0] for line in result.stdout.splitlines() if ": error DL105 " in line]


def config(project: Path, text: str, where: str = ".digestlint.toml") -> None:
    (project / where).write_text(text, encoding="utf-8")


def test_markdown_and_any_case_md_by_default(project: Path) -> None:
    assert linted("reports") == [
        "reports/2026/d.Markdown",
        "reports/C.MD",
        "reports/a.md",
        "reports/b.markdown",
    ]


def test_include_replaces_the_default(project: Path) -> None:
    config(project, 'include = ["*.txt", "*.MDX"]\n')
    assert linted("reports") == ["reports/e.mdx", "reports/notes.txt"]


def test_extend_include_adds_to_it(project: Path) -> None:
    config(project, 'extend-include = ["*.mdx"]\n')
    assert linted("reports") == [
        "reports/2026/d.Markdown",
        "reports/C.MD",
        "reports/a.md",
        "reports/b.markdown",
        "reports/e.mdx",
    ]


def test_include_globs_are_relative_to_the_config_file(project: Path) -> None:
    config(project, 'include = ["2026/*"]\n', "reports/.digestlint.toml")
    assert linted("reports") == ["reports/2026/d.Markdown"]
    # From the root's config: `reports/2026/*` is the same directory.
    (project / "reports" / ".digestlint.toml").unlink()
    config(project, 'include = ["reports/2026/*"]\n')
    assert linted(".") == ["reports/2026/d.Markdown"]


def test_exclude_still_applies_and_named_files_are_always_linted(project: Path) -> None:
    config(project, 'extend-include = ["*.mdx"]\nexclude = ["reports/2026", "a.md"]\n')
    assert linted("reports") == ["reports/C.MD", "reports/b.markdown", "reports/e.mdx"]
    assert linted("reports/notes.txt", "reports/a.md") == ["reports/notes.txt", "reports/a.md"]


def test_a_directory_with_nothing_included_warns(project: Path) -> None:
    config(project, 'include = ["*.rst"]\n')
    result = CliRunner().invoke(main, ["reports"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "warning: reports: no Markdown files to lint (none matches `include`" in (result.stderr)


def test_include_must_be_a_list_of_globs(project: Path) -> None:
    config(project, 'include = "*.md"\n')
    result = CliRunner().invoke(main, ["reports"], catch_exceptions=False)
    assert result.exit_code == 2
    assert ".digestlint.toml: include: Input should be a valid list" in result.stderr
