"""``$`` is math only by pandoc's rule: money stays text for the parser, every rule that
reads math (the prose views, DL811) and the sections' prose."""

from __future__ import annotations

import pytest

from digestlint import lint_text
from digestlint.config import Config, Settings
from digestlint.parse import markdown_parser, parse
from digestlint.profile import HF_DAILY_PAPERS_ZH
from digestlint.rules._prose import BARRIER, prose_views


@pytest.mark.parametrize(
    ("source", "math"),
    [
        # pandoc's manual and commonmark-hs's math tests
        ("$20,000 and $30,000 won't parse as math.", []),
        ("This is not math: 2000$. And neither is this $ 4 $.", []),
        ("only ($ 12) per run, and $x^2$ is math", ["x^2"]),
        ("复杂度为 $O(n^2)$，约 US$ 5。", ["O(n^2)"]),
        ("可利用度降至 $10^{-4}$ 以下", ["10^{-4}"]),
        ("$a$1 is not closed before a digit", []),
        ("up to 2-7$\\times$ faster, 5$x$ too", ["\\times", "x"]),  # a digit may come before
    ],
)
def test_dollar_math_follows_pandoc(source: str, math: list[str]) -> None:
    children = markdown_parser().parseInline(source)[0].children
    assert [c.content for c in children if c.type == "math_inline"] == math


def test_math_is_located_after_a_dollar_of_money() -> None:
    text = "Costs US$ 5 per run and $x^2$ here, only ($ 12) per run.\n"
    [block] = parse(text, Settings().profile).inlines
    assert [text[start:end] for start, end in block.protected] == ["$x^2$"]
    [view] = prose_views(parse(text, Settings().profile))
    assert view.text == f"Costs US$ 5 per run and {BARRIER} here, only ($ 12) per run."


def test_math_over_two_lines_of_a_list_item_is_located() -> None:
    text = "- 列表 US$ 3 和 $a +\n  b$ 结束，以及 $c$\n"
    [block] = parse(text, Settings().profile).inlines
    assert [text[start:end] for start, end in block.protected] == ["$a +\n  b$", "$c$"]


def test_money_is_prose_in_a_section() -> None:
    text = (
        "# Hugging Face Daily Papers Report\n**Date**: 2026-02-20\n\n"
        "## 📄 Paper\n\n- **链接**: https://huggingface.co/papers/2602.15569\n"
        "- **阅读来源**: ArXiv Abs\n\n### 1. 应用领域\n"
        "每次运行只需 ($ 12)，另付 $ 3 给评审，复杂度 $O(n)$。\n"
    )
    [paper] = parse(text, HF_DAILY_PAPERS_ZH).papers
    assert paper.sections[0].prose == "每次运行只需 ($ 12)，另付 $ 3 给评审，复杂度 。"


def test_money_gets_no_math_finding_and_an_unclosed_formula_does() -> None:
    settings = Settings(Config.model_validate({"select": ["DL811"]}))
    assert lint_text("It costs only ($ 12) per run, or $ 3 with the judge.", settings) == []
    [finding] = lint_text("可利用度降至 $10^{-4} 以下，仅需 $ 12。", settings)
    assert (finding.column, finding.end_column) == (8, 9)
