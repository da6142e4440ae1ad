"""The fix engine: non-overlapping edits, a fixpoint, and refusal to change meaning."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digestlint import FixError, Settings, fix_text, lint_text
from digestlint.api import apply_edits, choose_fixes, meaningful_characters
from digestlint.config import Config
from digestlint.findings import Edit
from digestlint.registry import RULES, RuleContext, rule


@pytest.fixture
def temporary_rule() -> Iterator:
    """Register throwaway rules for one test, so the engine can be driven to its limits."""
    added: list[str] = []

    def register(code: str, check) -> None:
        rule(code, f"test-{code.lower()}", structural=False, fixable=True)(check)
        added.append(code)

    yield register
    for code in added:
        RULES.pop(code, None)


def only(code: str) -> Settings:
    return Settings(Config(select=[code], profile="generic"))


def test_a_fix_that_changes_words_is_refused(temporary_rule) -> None:
    def rewrite_words(context: RuleContext):
        """Replaces 模型 with 模式: a change of meaning the engine must refuse."""
        at = context.source.text.find("模型")
        if at >= 0:
            yield context.finding(
                at, at + 2, "x", fix=[Edit(start=at, end=at + 2, content="模式")]
            )

    temporary_rule("DL990", rewrite_words)
    with pytest.raises(FixError, match="change the report's text"):
        fix_text("这是一个模型。\n", only("DL990"))


def test_a_fix_that_never_settles_is_refused(temporary_rule) -> None:
    def always_more(context: RuleContext):
        """Always wants one more space: never converges."""
        yield context.finding(0, 0, "x", fix=[Edit(start=0, end=0, content=" ")])

    temporary_rule("DL991", always_more)
    with pytest.raises(FixError, match="did not converge"):
        fix_text("文本\n", only("DL991"))


def test_fixes_that_oscillate_are_refused(temporary_rule) -> None:
    def toggle(context: RuleContext):
        """Adds a trailing space, or removes it: two states forever."""
        text = context.source.text
        if text.endswith(" "):
            yield context.finding(
                len(text) - 1,
                len(text),
                "x",
                fix=[Edit(start=len(text) - 1, end=len(text), content="")],
            )
        else:
            yield context.finding(
                len(text), len(text), "x", fix=[Edit(start=len(text), end=len(text), content=" ")]
            )

    temporary_rule("DL992", toggle)
    with pytest.raises(FixError, match="oscillate"):
        fix_text("文本", only("DL992"))


def test_renumbering_is_the_one_digit_change_allowed() -> None:
    text = "## 📄 P\n\n### 3. 一句话核心贡献\n提出了新方法。\n"
    fixed = fix_text(text, Settings(Config(select=["DL304"]))).text
    assert fixed == text.replace("### 3.", "### 2.")


def test_overlapping_fixes_wait_for_the_next_pass() -> None:
    text = "## 📄 P\n\n3. **一句话核心贡献**：提出了新方法。\n"
    both = Settings(
        Config.model_validate({"select": ["DL304", "DL403"], "rules": {"DL403": {"style": "atx"}}})
    )
    findings = lint_text(text, both)
    assert [f.code for f in findings] == ["DL304", "DL403"]
    chosen, edits = choose_fixes(findings, unsafe=False)
    assert len(chosen) == 1  # the renumbering edit lies inside the restyling edit
    assert len(edits) == 1
    result = fix_text(text, both)
    assert result.text == "## 📄 P\n\n### 2. 一句话核心贡献\n\n提出了新方法。\n"
    assert result.passes == 2


def test_apply_edits_rejects_overlap() -> None:
    edits = [Edit(start=1, end=2, content="X"), Edit(start=4, end=4, content="Y")]
    assert apply_edits("abcdef", edits) == "aXcdYef"
    with pytest.raises(ValueError):
        apply_edits("abcdef", [Edit(start=1, end=3, content=""), Edit(start=2, end=4, content="")])


SECTION_NAMES = ["应用领域", "一句话核心贡献", "使用指南", "主要创新点", "实验效果"]
BODIES = [
    "计算机视觉 (CV) 与机器人。",
    "*   **输入**：图像。\n    *   嵌套 item 2。",
    "1.  **第一**：A。\n2.  **第二**：B。",
]


def render_section(style: str, number: int, name: str, body: str, same_line: bool) -> str:
    if style == "atx":
        return f"### {number}. {name}\n{body}"
    if style == "atx-bold":
        return f"### **{number}. {name}**\n{body}"
    indented = "\n".join("   " + line for line in body.split("\n"))
    label = f"{number}. **{name}**" + ("：" if style == "list-bold-colon" else "")
    if same_line and "\n" not in body and style == "list-bold-colon":
        return f"{label}{body}"
    return f"{label}\n{indented}"


@st.composite
def reports(draw) -> str:
    papers = []
    for index in range(draw(st.integers(1, 4))):
        style = draw(st.sampled_from(["atx", "atx-bold", "list-bold-colon", "list-bold"]))
        sections = [
            render_section(style, n, name, draw(st.sampled_from(BODIES)), draw(st.booleans()))
            for n, name in enumerate(SECTION_NAMES, 1)
        ]
        stray = "# 论文阅读报告\n\n" if draw(st.booleans()) else ""
        papers.append(
            f"## 📄 Paper {index}\n\n- **链接**: https://huggingface.co/papers/2602.1{index:04d}\n"
            f"- **阅读来源**: HTML\n\n{stray}" + "\n\n".join(sections) + "\n"
        )
    header = "# Hugging Face Daily Papers Report\n**Date**: 2026-02-20\n**Source URL**: https://huggingface.co/papers/date/2026-02-20\n\n"
    separator = "\n" + "=" * 60 + "\n\n"
    return header + separator.lstrip("\n") + separator.join(papers)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_fixing_converges_keeps_meaning_and_is_idempotent(text: str) -> None:
    structure = Settings(Config(select=["DL1", "DL2", "DL3", "DL4", "DL5", "DL6"]))
    fixed = fix_text(text, structure).text
    assert meaningful_characters(fixed) == meaningful_characters(text)
    assert not [f for f in lint_text(fixed, structure) if f.fixable]
    assert fix_text(fixed, structure).text == fixed
    assert [f.code for f in lint_text(fixed, structure)] == []
