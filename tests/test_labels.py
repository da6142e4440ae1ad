"""The label rules beyond single cases: the decisive majority, partial fixes, value shapes."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digestlint import fix_text, lint_text
from digestlint.config import Config, Settings
from digestlint.rules._majority import decisive_majority
from digestlint.rules.labels import value_shape

GENERIC_LABELS = Settings(Config.model_validate({"profile": "generic", "select": ["DL404"]}))


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        (Counter(a=4, b=1), "a"),  # 80% of 5, inclusive
        (Counter(a=3, b=1), None),  # 75%, and fewer than 5
        (Counter(a=4), None),  # unanimous, but fewer than 5
        (Counter(a=28, b=7), "a"),  # 80% of 35: 0.8 * 35 is 28.000000000000004
        (Counter(a=11, b=9), None),  # 55/45
        (Counter(), None),
    ],
)
def test_decisive_majority(counts: Counter, expected: str | None) -> None:
    majority = decisive_majority(counts, 0.8, 5)
    assert (majority.style if majority else None) == expected


def _report(odd: str, body_after_odd: str = "\n\n丙。\n") -> str:
    usual = "**一、研究动机**\n\n文本。\n"
    return "\n".join([usual, usual, odd + body_after_odd, usual, usual, usual])


def test_a_label_glued_to_its_text_keeps_its_markup_but_gets_its_number() -> None:
    # ``### 研究动机`` directly above its text: as a bold line it would join the text's
    # paragraph, so only the number is written.
    text = _report("### 研究动机", "\n丙。\n")
    [finding] = lint_text(text, GENERIC_LABELS)
    assert finding.line == 9
    fixed = fix_text(text, GENERIC_LABELS).text
    assert fixed == text.replace("### 研究动机", "### 一、研究动机")
    [left] = lint_text(fixed, GENERIC_LABELS)
    assert left.line == 9 and left.fix is None
    assert "`### …` where 5 of 6 are `**…**`" in left.message


def test_a_label_beside_a_list_of_its_would_be_kind_is_not_rewritten() -> None:
    usual = "- **研究动机**\n\n文本。\n"
    text = "\n".join([usual] * 4 + ["- 其他\n\n**研究动机**\n\n- 戊\n"])
    [finding] = lint_text(text, GENERIC_LABELS)
    assert finding.fix is None
    assert fix_text(text, GENERIC_LABELS).text == text


def test_labels_in_quotes_are_someone_elses_format() -> None:
    text = _report("> ### 研究动机")
    assert lint_text(text, GENERIC_LABELS) == []


def test_a_list_marker_becomes_a_number_in_chinese_numerals() -> None:
    text = _report("2. **研究动机**")
    # The style is the field's (bold, ``一、``); the number is the label's own: which
    # number is right is not a question of style.
    [finding] = lint_text(text, GENERIC_LABELS)
    assert finding.fix is not None
    assert fix_text(text, GENERIC_LABELS).text == text.replace(
        "2. **研究动机**", "**二、研究动机**"
    )


@pytest.mark.parametrize(
    ("value", "shape"),
    [
        ("8/10", "N/N"),
        ("7.5 / 10", "N/N"),
        ("8分", "N分"),
        ("8/10分", "N/N分"),
        ("★★★★☆", "★"),
        ("4星", "N星"),
        ("85%", "N%"),
        ("-1.2%", "N%"),
        ("1,234", "N"),
        ("3-5", "N-N"),
        ("2024-11-03", "N-N-N"),
        ("2024年11月3日", "N年N月N日"),
    ],
)
def test_value_shapes(value: str, shape: str) -> None:
    assert value_shape(value) == shape


@pytest.mark.parametrize(
    "value",
    ["优秀", "7B", "70亿", "Zhang et al. 2024", "GPT-4", "一个非常长的数值描述里有 8 个字", ""],
)
def test_values_without_a_shape(value: str) -> None:
    assert value_shape(value) is None


def test_h1_lines_are_titles_not_labels() -> None:
    # Five papers that each start with the same H1 (stray-h1's to report) and one bold
    # line: label-style must not push the bold line up to an H1.
    usual = "# 论文阅读报告\n\n文本。\n"
    text = "\n".join([usual] * 5 + ["**论文阅读报告**\n\n文本。\n"])
    assert lint_text(text, GENERIC_LABELS) == []


LABEL_NAMES = ["研究动机", "核心贡献", "方法概述"]
MARKUPS = ["bold", "ordered", "bullet", "h3", "h4-bold"]
NUMBERINGS = ["", "一、", "（一）", "1. "]
COLONS = ["", "：", ":"]


def _written_label(name: str, place: int, markup: str, numbering: str, colon: str) -> str:
    numeral = "一二三"[place]
    number = numbering.replace("一", numeral).replace("1", str(place + 1))
    if markup == "ordered":
        return f"{place + 1}. **{name}**{colon}"
    if markup == "bullet":
        return f"- **{number}{name}{colon}**"
    if markup == "h3":
        return f"### {number}{name}{colon}"
    if markup == "h4-bold":
        return f"#### **{number}{name}**{colon}"
    return f"**{number}{name}**{colon}"


label_choice = st.tuples(
    st.sampled_from(MARKUPS),
    st.sampled_from(NUMBERINGS),
    st.sampled_from(COLONS),
    st.booleans(),  # the body glued under the label, or after a blank line
)


@settings(max_examples=60, deadline=None)
@given(
    usual=label_choice,
    papers=st.lists(
        st.lists(st.one_of(st.none(), label_choice), min_size=3, max_size=3),
        min_size=4,
        max_size=7,
    ),
)
def test_label_fixes_converge_and_keep_every_word(usual, papers) -> None:
    """Reports whose labels mostly follow one style and drift at random: fixing never
    fails, is idempotent, leaves no safe label fix, and keeps every body line and name."""
    blocks = []
    for paper, choices in enumerate(papers):
        blocks.append(f"## Paper {paper}\n")
        for place, (name, choice) in enumerate(zip(LABEL_NAMES, choices, strict=True)):
            markup, numbering, colon, glued = choice or usual
            label = _written_label(name, place, markup, numbering, colon)
            body = f"第{paper}篇的{name}内容。"
            blocks.append(label + ("\n" if glued else "\n\n") + body + "\n")
    text = "\n".join(blocks)
    result = fix_text(text, GENERIC_LABELS)
    fixed = result.text
    assert fix_text(fixed, GENERIC_LABELS).text == fixed
    left = [f for f in lint_text(fixed, GENERIC_LABELS) if f.fix is not None]
    assert left == []
    for paper in range(len(papers)):
        for name in LABEL_NAMES:
            assert f"第{paper}篇的{name}内容。" in fixed
    assert sum(fixed.count(name) for name in LABEL_NAMES) == sum(
        text.count(name) for name in LABEL_NAMES
    )
