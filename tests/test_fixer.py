"""The fix engine: non-overlapping edits, a fixpoint, and refusal to change meaning."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from meaning import digits, words

from digestlint import FixError, Settings, fix_text, lint_text
from digestlint.api import apply_edits, check_meaning_kept, choose_fixes, meaningful_characters
from digestlint.config import Config
from digestlint.findings import Applicability, Edit, Finding, Fix, Severity
from digestlint.linkcheck import LinkChecker
from digestlint.registry import RuleContext


def only(code: str) -> Settings:
    return Settings(Config(select=[code], profile="generic"))


def rewrite_words(context: RuleContext):
    """Replaces 模型 with 模式: a change of meaning the engine must refuse."""
    at = context.source.text.find("模型")
    if at >= 0:
        yield context.finding(at, at + 2, "x", fix=[Edit(start=at, end=at + 2, content="模式")])


def squeeze_blank_lines(context: RuleContext):
    """Two blank lines become one: a fix that keeps the meaning."""
    at = context.source.text.find("\n\n\n")
    if at >= 0:
        yield context.finding(at, at + 3, "y", fix=[Edit(start=at, end=at + 3, content="\n\n")])


def space_before_full_stop(context: RuleContext):
    """A space before ``模型。``'s full stop: its edit overlaps the refused one's."""
    at = context.source.text.find("模型。")
    if at >= 0:
        yield context.finding(at, at + 3, "z", fix=[Edit(start=at, end=at + 3, content="模型 。")])


def test_a_fix_that_changes_words_is_refused(temporary_rule) -> None:
    temporary_rule("DL990", rewrite_words)
    with pytest.raises(FixError, match=r"^report\.md: every fix would change the report's text"):
        fix_text("这是一个模型。\n", only("DL990"), "report.md")


def test_the_refused_findings_come_with_the_error(temporary_rule) -> None:
    temporary_rule("DL990", rewrite_words)
    with pytest.raises(FixError) as error:
        fix_text("第一行。\n\n这是一个模型。\n", only("DL990"), "report.md")
    [refused] = error.value.refused
    assert (refused.path, refused.line, refused.column, refused.code) == (
        "report.md",
        3,
        5,
        "DL990",
    )


def test_a_refused_fix_does_not_block_the_others(temporary_rule) -> None:
    temporary_rule("DL990", rewrite_words)
    temporary_rule("DL995", squeeze_blank_lines)
    both = Settings(Config(select=["DL990", "DL995"], profile="generic"))
    text = "第一行。\n\n\n这是一个模型。\n"
    result = fix_text(text, both, "report.md")
    assert result.text == "第一行。\n\n这是一个模型。\n"
    assert [f.code for f in result.fixed] == ["DL995"]
    # The refused finding, where it is in the fixed text (line 3, not 4).
    [refused] = result.refused
    assert (refused.line, refused.column, refused.code) == (3, 5, "DL990")
    assert refused.fix is not None and refused.fix.edits[0].content == "模式"
    # It remains, without the fix that was not applied.
    assert [(f.code, f.line, f.fix) for f in result.remaining] == [("DL990", 3, None)]
    [original] = [f for f in lint_text(text, both) if f.code == "DL990"]
    assert result.was_refused(original, text)


def test_a_fix_that_waited_for_a_refused_one_is_applied(temporary_rule) -> None:
    temporary_rule("DL990", rewrite_words)
    temporary_rule("DL996", space_before_full_stop)
    both = Settings(Config(select=["DL990", "DL996"], profile="generic"))
    result = fix_text("这是一个模型。\n", both)
    assert result.text == "这是一个模型 。\n"
    assert [f.code for f in result.fixed] == ["DL996"]
    assert [f.code for f in result.refused] == ["DL990"]


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
    # These reports are numbered right and restyled only between numbered styles.
    assert words(fixed) == words(text)
    assert digits(fixed) == digits(text)
    assert not [f for f in lint_text(fixed, structure) if f.fixable]
    assert fix_text(fixed, structure).text == fixed
    assert [f.code for f in lint_text(fixed, structure)] == []


def _replace_first(needle: str, content: str):
    """A throwaway rule whose fix replaces the first ``needle`` with ``content``."""

    def check(context: RuleContext):
        """Test only."""
        at = context.source.text.find(needle)
        if at >= 0:
            end = at + len(needle)
            yield context.finding(at, end, "x", fix=[Edit(start=at, end=end, content=content)])

    return check


@pytest.mark.parametrize(
    ("needle", "content", "expected"),
    [
        ("<!-- a -->", "", "前文后文。\n"),
        ("<!-- a -->", "<!-- b -->", "前文<!-- b -->后文。\n"),
    ],
    ids=["removed", "rewritten"],
)
def test_a_fix_may_remove_or_rewrite_one_comment(
    temporary_rule, needle: str, content: str, expected: str
) -> None:
    temporary_rule("DL993", _replace_first(needle, content))
    assert fix_text("前文<!-- a -->后文。\n", only("DL993")).text == expected


@pytest.mark.parametrize(
    ("text", "needle", "content"),
    [
        # A comment rewritten as visible text.
        ("前文<!-- a -->后文。\n", "<!-- a -->", "正文"),
        # Two comments are not one: the text between them is shown.
        ("前文<!-- a -->正文<!-- b -->后文。\n", "<!-- a -->正文<!-- b -->", ""),
        ("前文<!-- a -->正文<!-- b -->后文。\n", "<!-- a -->正文<!-- b -->", "<!-- c -->"),
    ],
    ids=["comment-to-text", "two-comments-removed", "two-comments-to-one"],
)
def test_a_comment_edit_that_changes_the_text_is_refused(
    temporary_rule, text: str, needle: str, content: str
) -> None:
    temporary_rule("DL994", _replace_first(needle, content))
    with pytest.raises(FixError, match="change the report's text"):
        fix_text(text, only("DL994"))


# -- lines a mutation run found unchecked (docs/testing.md) -----------------------------


def _finding(*spans: tuple[int, int], line: int = 1) -> Finding:
    """A finding whose fix replaces each ``(start, end)`` span with ``x``."""
    return Finding(
        path="-",
        line=line,
        column=1,
        end_line=line,
        end_column=2,
        code="DL990",
        name="test",
        severity=Severity.WARNING,
        message="m",
        fix=Fix(edits=tuple(Edit(start=s, end=e, content="x") for s, e in spans)),
    )


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ((3, 5), (5, 7)),  # one ends where the other starts
        ((3, 5), (5, 5)),  # an insertion at the end of a replacement
        ((3, 5), (3, 3)),  # an insertion at the start of a replacement
        ((3, 3), (5, 5)),  # insertions at two places
    ],
)
def test_fixes_that_touch_without_overlapping_go_in_one_pass(first, second) -> None:
    chosen, edits = choose_fixes([_finding(first), _finding(second, line=2)], unsafe=False)
    assert len(chosen) == 2
    assert [(e.start, e.end) for e in edits] == sorted([first, second])


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ((3, 6), (5, 7)),  # overlapping replacements
        ((3, 7), (5, 5)),  # an insertion inside a replacement
        ((5, 5), (5, 5)),  # two insertions at one place: their order would be arbitrary
    ],
)
def test_fixes_that_overlap_wait_for_the_next_pass(first, second) -> None:
    chosen, _ = choose_fixes([_finding(first), _finding(second, line=2)], unsafe=False)
    assert chosen == [_finding(first)]


def test_fixes_are_chosen_by_where_their_edits_start_not_where_they_are_reported() -> None:
    late_edit = _finding((10, 12), line=1)
    early_edit = _finding((0, 11), line=2)
    chosen, _ = choose_fixes([late_edit, early_edit], unsafe=False)
    assert chosen == [early_edit]


def test_overlapping_edits_are_rejected_with_where() -> None:
    with pytest.raises(ValueError, match=r"^overlapping edits at 2$"):
        apply_edits("abcdef", [Edit(start=1, end=3, content=""), Edit(start=2, end=4, content="")])


def test_the_meaning_check_names_what_it_refuses() -> None:
    assert meaningful_characters("模型，A 1!") == "模型A1"
    with pytest.raises(FixError, match=r"^a fix would change the report's text$"):
        check_meaning_kept("模型", [Edit(start=0, end=2, content="模式")])


def test_fixes_that_keep_the_text_alone_but_not_together_are_refused(temporary_rule) -> None:
    """Each moves one letter within the dashes (the text stays ``ab``); together they
    swap them (``ba``). The engine checks the pass as a whole too."""

    def move_a(context: RuleContext):
        """a---b: a moves right."""
        if context.source.text == "a---b\n":
            edits = [Edit(start=0, end=1, content=""), Edit(start=2, end=2, content="a")]
            yield context.finding(0, 1, "a", fix=edits)

    def move_b(context: RuleContext):
        """a---b: b moves left."""
        if context.source.text == "a---b\n":
            edits = [Edit(start=1, end=1, content="b"), Edit(start=4, end=5, content="")]
            yield context.finding(4, 5, "b", fix=edits)

    temporary_rule("DL997", move_a)
    temporary_rule("DL998", move_b)
    both = Settings(Config(select=["DL997", "DL998"], profile="generic"))
    with pytest.raises(FixError, match=r"^-: a fix would change the report's text; nothing"):
        fix_text("a---b\n", both)


def test_a_cycle_that_does_not_come_back_to_the_input_is_caught(temporary_rule) -> None:
    def cycle(context: RuleContext):
        """文本 -> 文本· -> 文本·· -> 文本· -> ...: a cycle of two states after the first."""
        text = context.source.text
        end = len(text)
        if text.endswith("··"):
            yield context.finding(
                end - 1, end, "x", fix=[Edit(start=end - 1, end=end, content="")]
            )
        else:
            yield context.finding(end, end, "x", fix=[Edit(start=end, end=end, content="·")])

    temporary_rule("DL992", cycle)
    with pytest.raises(FixError, match=r"^-: fixes oscillate; nothing was changed$"):
        fix_text("文本", only("DL992"))


def test_fix_messages_name_the_path_and_what_happened(temporary_rule) -> None:
    def always_more(context: RuleContext):
        """Always one more space."""
        yield context.finding(0, 0, "x", fix=[Edit(start=0, end=0, content=" ")])

    temporary_rule("DL991", always_more)
    with pytest.raises(
        FixError, match=r"^-: fixes did not converge after 10 passes; nothing was changed$"
    ):
        fix_text("文本\n", only("DL991"))
    assert [f.path for f in lint_text("文本\n", only("DL991"))] == ["-"]


def test_fixing_never_runs_online_rules_even_when_the_config_turns_them_on() -> None:
    from digestlint.registry import RULES, rule

    calls: list[str] = []

    @rule("DL989", "test-online-fixable", online=True, structural=False, fixable=True)
    def online_check(context: RuleContext):
        """Test only."""
        calls.append(context.source.text)
        return iter(())

    try:
        online = Settings(Config.model_validate({"select": ["DL989"], "links": {"online": True}}))
        assert lint_text("文本\n", online, links=LinkChecker.from_settings(online)) == []
        assert calls == ["文本\n"]  # a link checker does turn it on for linting
        fix_text("文本\n", online)
        assert calls == ["文本\n"]
    finally:
        RULES.pop("DL989")


def test_a_safe_fix_always_applies_an_unsafe_one_only_when_asked() -> None:
    def finding(applicability: Applicability | None) -> Finding:
        fix = None
        if applicability is not None:
            edit = Edit(start=0, end=0, content=" ")
            fix = Fix(applicability=applicability, edits=(edit,))
        return Finding(
            path="-",
            line=1,
            column=1,
            end_line=1,
            end_column=1,
            code="DL999",
            name="test",
            severity=Severity.ERROR,
            message="m",
            fix=fix,
        )

    safe, unsafe, none = (finding(a) for a in (Applicability.SAFE, Applicability.UNSAFE, None))
    assert [f.fix_applies(False) for f in (safe, unsafe, none)] == [True, False, False]
    assert [f.fix_applies(True) for f in (safe, unsafe, none)] == [True, True, False]
