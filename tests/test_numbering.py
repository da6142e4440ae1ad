"""Numbering in Arabic digits and in Chinese numerals, read and written."""

from __future__ import annotations

import pytest

from digestlint.numbering import chinese_numeral, chinese_value, is_numeral, leading_numbering


@pytest.mark.parametrize(
    ("text", "value", "system", "shape", "rest"),
    [
        ("1. 研究动机", 1, "arabic", "#.", "研究动机"),
        ("12、方法", 12, "arabic", "#、", "方法"),
        ("(3) Results", 3, "arabic", "(#)", "Results"),
        ("4) Results", 4, "arabic", "#)", "Results"),
        ("一、研究动机", 1, "chinese", "#、", "研究动机"),
        ("（二）方法概述", 2, "chinese", "（#）", "方法概述"),
        ("第三、实验结果", 3, "chinese", "第#、", "实验结果"),
        ("第四 实验结果", 4, "chinese", "第#", "实验结果"),
        ("十二、附录", 12, "chinese", "#、", "附录"),
        ("二十一．附录", 21, "chinese", "#．", "附录"),
    ],
)
def test_leading_numbering(text: str, value: int, system: str, shape: str, rest: str) -> None:
    numbering = leading_numbering(text)
    assert numbering is not None
    assert (numbering.value, numbering.system, numbering.shape) == (value, system, shape)
    assert text[numbering.end :] == rest


@pytest.mark.parametrize(
    "text",
    [
        "一句话核心贡献",  # a word that starts with a numeral
        "第三方工具",  # 第三 without a separator is a word
        "十大创新",
        "1.5 倍提升",  # a decimal number
        "2025. 回顾",  # a year, not numbering
        "1，首先",  # a sentence
        "一，首先",
        "3 种方法",
        "（一、研究动机",  # an unclosed bracket
        "研究动机",
    ],
)
def test_not_numbering(text: str) -> None:
    assert leading_numbering(text) is None


@pytest.mark.parametrize(
    ("value", "numeral"),
    [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (35, "三十五"), (99, "九十九")],
)
def test_chinese_numerals_both_ways(value: int, numeral: str) -> None:
    assert chinese_numeral(value) == numeral
    assert chinese_value(numeral) == value


@pytest.mark.parametrize("numeral", ["十十", "一二", "百", "〇"])
def test_not_chinese_numerals(numeral: str) -> None:
    assert chinese_value(numeral) is None


def test_numerals_are_the_only_words_a_renumbering_may_touch() -> None:
    assert is_numeral("3") and is_numeral("十二") and is_numeral("第三")
    assert not is_numeral("研究") and not is_numeral("三研") and not is_numeral("3a")
    assert not is_numeral("一二") and not is_numeral("第") and not is_numeral("")
