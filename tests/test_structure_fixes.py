"""Structure fixes on the example report: what review found, reproduced on a real file."""

from __future__ import annotations

from pathlib import Path

import pytest

from digestlint import fix_text, lint_text
from digestlint.api import FixError, check_meaning_kept
from digestlint.config import Config, Settings
from digestlint.findings import Edit

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


def first_paper_in_bold_colon(text: str) -> str:
    second = text.index("## 📄", text.index("## 📄") + 1)
    first, rest = text[:second], text[second:]
    for number, name in enumerate(
        ["应用领域", "一句话核心贡献", "使用指南", "主要创新点", "实验效果"], 1
    ):
        first = first.replace(f"### {number}. {name}\n", f"**{name}**：\n")
    return first + rest


def test_restyling_unnumbered_sections_numbers_them() -> None:
    clean = example()
    unnumbered = first_paper_in_bold_colon(clean)
    assert unnumbered.count("**：\n") == 5
    findings = lint_text(unnumbered)
    assert {f.code for f in findings} == {"DL403"}  # bold-colon has no number to miss
    result = fix_text(unnumbered)
    # The headings the fix writes are set off by a blank line (markdownlint's MD022).
    second = clean.index("## 📄", clean.index("## 📄") + 1)
    spaced = clean[:second]
    for number, name in enumerate(
        ["应用领域", "一句话核心贡献", "使用指南", "主要创新点", "实验效果"], 1
    ):
        spaced = spaced.replace(f"### {number}. {name}\n", f"### {number}. {name}\n\n")
    assert result.text == spaced + clean[second:]
    assert {f.code for f in result.fixed} == {"DL403", "DL304"}


HEADING = "### 3. 使用指南\n输入 2 张图。\n"


@pytest.mark.parametrize(
    "edit",
    [
        Edit(start=4, end=5, content="2", renumbers=True),
        Edit(start=4, end=4, content="1", renumbers=True),
        Edit(start=4, end=6, content="", renumbers=True),
    ],
)
def test_a_marked_renumbering_may_change_digits(edit: Edit) -> None:
    check_meaning_kept(HEADING, [edit])


@pytest.mark.parametrize(
    "edit",
    [
        # Digit for digit, but not marked: any rule could do it to a metric.
        Edit(start=4, end=5, content="2"),
        Edit(start=HEADING.index("2 张"), end=HEADING.index("2 张") + 1, content="3"),
        # Marked, but the edit touches a word.
        Edit(start=4, end=8, content="4. 使", renumbers=True),
        Edit(start=4, end=5, content="4a", renumbers=True),
    ],
)
def test_other_digit_changes_are_refused(edit: Edit) -> None:
    with pytest.raises(FixError):
        check_meaning_kept(HEADING, [edit])


CHINESE_HEADING = "**一、研究动机**\n本文考虑 3 种情形。\n"


@pytest.mark.parametrize(
    "edit",
    [
        # Chinese numerals for Chinese numerals, Arabic for Chinese and back.
        Edit(start=2, end=3, content="二", renumbers=True),
        Edit(start=2, end=4, content="1. ", renumbers=True),
        Edit(start=2, end=4, content="第三、", renumbers=True),
        Edit(start=0, end=4, content="1. **", renumbers=True),
        Edit(start=2, end=4, content="", renumbers=True),
    ],
)
def test_a_marked_renumbering_may_write_chinese_numerals(edit: Edit) -> None:
    check_meaning_kept(CHINESE_HEADING, [edit])


@pytest.mark.parametrize(
    "edit",
    [
        # Not marked: a numeral is a word like any other.
        Edit(start=2, end=3, content="二"),
        # Marked, but a Han character that is no numeral, or two numerals.
        Edit(start=2, end=5, content="二、研", renumbers=True),
        Edit(start=2, end=4, content="二、三、", renumbers=True),
        Edit(start=4, end=5, content="", renumbers=True),
        # Marked, numeral characters, but no number (一二 is not twelve).
        Edit(start=2, end=3, content="一二", renumbers=True),
    ],
)
def test_other_changes_of_chinese_numerals_are_refused(edit: Edit) -> None:
    with pytest.raises(FixError):
        check_meaning_kept(CHINESE_HEADING, [edit])


def test_restyles_that_would_lose_or_invent_a_number_are_not_offered() -> None:
    numbered = "## 📄 P\n\n### 1. 应用领域\n计算机视觉。\n"
    unnumbered = "## 📄 P\n\n### 应用领域\n计算机视觉。\n"
    for text, style in ((numbered, "bold-colon"), (unnumbered, "list-bold")):
        settings = Settings(
            Config.model_validate({"select": ["DL403"], "rules": {"DL403": {"style": style}}})
        )
        [finding] = lint_text(text, settings)
        assert finding.fix is None
        assert fix_text(text, settings).text == text


def test_the_marker_is_not_in_the_json_output() -> None:
    findings = lint_text("## 📄 P\n\n### 应用领域\n计算机视觉。\n")
    [finding] = [f for f in findings if f.code == "DL304"]
    assert (finding.line, finding.column) == (3, 1)
    assert finding.to_json()["fix"]["edits"] == [{"start": 12, "end": 12, "content": "1. "}]
