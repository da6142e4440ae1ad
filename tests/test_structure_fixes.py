"""Structure fixes on the example report: what review found, reproduced on a real file."""

from __future__ import annotations

from pathlib import Path

from digestlint import fix_text, lint_text

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "clean-report.md"
FIRST_SEPARATOR = "16.2倍。\n\n===="


def example() -> str:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert text.count(FIRST_SEPARATOR) == 1
    assert lint_text(text) == []
    return text


def test_a_separator_glued_under_a_bullet_is_found_and_unglued() -> None:
    clean = example()
    glued = clean.replace(FIRST_SEPARATOR, "16.2倍。\n====")
    line = clean[: clean.index(FIRST_SEPARATOR)].count("\n") + 2
    findings = lint_text(glued)
    assert [(f.code, f.line, f.column) for f in findings] == [("DL501", line, 1)]
    assert fix_text(glued).text == clean
