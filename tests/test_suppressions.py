"""Inline suppressions: every scope, codes/prefixes/names, unused ones, and the fixer."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from digestlint import fix_text, lint_text
from digestlint.config import Config, Settings
from digestlint.linkcheck import LinkChecker
from digestlint.registry import find_rule

ROOT = Path(__file__).resolve().parent.parent
CLEAN = (ROOT / "examples" / "clean-report.md").read_text(encoding="utf-8")
SEED = (ROOT / "seeds" / "hf-daily-papers-2026-02-20.md").read_text(encoding="utf-8")

FIRST_SECTION = "### 1. 应用领域\n自然语言处理"
SECOND_SECTION = "### 1. 应用领域\n图像生成"
STRAY = "# 论文阅读报告\n\n"


def report(before_first: str = "", before_second: str = "", end: str = "") -> str:
    """The clean example with text inserted in front of each paper's first section."""
    text = CLEAN.replace(FIRST_SECTION, before_first + FIRST_SECTION, 1)
    text = text.replace(SECOND_SECTION, before_second + SECOND_SECTION, 1)
    return text + end


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    at = -1
    for _ in range(occurrence):
        at = text.index(needle, at + 1)
    return text.count("\n", 0, at) + 1


def found(text: str, settings: Settings | None = None) -> list[tuple[str, int]]:
    return [(f.code, f.line) for f in lint_text(text, settings)]


def test_the_defect_is_found_without_suppressions() -> None:
    text = report(before_first=STRAY, before_second=STRAY)
    assert found(text) == [
        ("DL401", line_of(text, STRAY)),
        ("DL401", line_of(text, STRAY, 2)),
    ]


@pytest.mark.parametrize("selector", ["DL401", "DL4", "stray-h1", "DL401,stray-h1", ""])
def test_disable_next_line_accepts_codes_prefixes_names_and_nothing(selector: str) -> None:
    comment = f"<!-- digestlint-disable-next-line {selector} -->\n"
    text = report(before_first=comment + STRAY, before_second=STRAY)
    # Only the second stray heading is left; the comment was used, so no DL001.
    assert found(text) == [("DL401", line_of(text, STRAY, 2))]


def test_disable_next_line_covers_only_the_next_line() -> None:
    comment = "<!-- digestlint-disable-next-line DL401 -->\n\n"
    text = report(before_first=comment + STRAY)
    codes = [code for code, _ in found(text)]
    assert codes == ["DL001", "DL401"]


def test_disable_line_on_the_same_line() -> None:
    stray = "# 论文阅读报告 <!-- digestlint-disable-line DL401 -->\n\n"
    text = report(before_first=stray, before_second=STRAY)
    assert found(text) == [("DL401", line_of(text, STRAY, 1))]


def test_disable_line_does_not_reach_other_lines() -> None:
    text = report(before_first="<!-- digestlint-disable-line DL401 -->\n" + STRAY)
    assert [code for code, _ in found(text)] == ["DL001", "DL401"]


def test_disable_enable_region() -> None:
    text = report(
        before_first="<!-- digestlint-disable DL401 -->\n\n" + STRAY,
        before_second="<!-- digestlint-enable DL401 -->\n\n" + STRAY,
    )
    assert found(text) == [("DL401", line_of(text, STRAY, 2))]


def test_enable_without_codes_ends_every_disable() -> None:
    text = report(
        before_first="<!-- digestlint-disable stray-h1 -->\n\n" + STRAY,
        before_second="<!-- digestlint-enable -->\n\n" + STRAY,
    )
    assert found(text) == [("DL401", line_of(text, STRAY, 2))]


def test_disable_without_enable_lasts_to_the_end() -> None:
    text = report(before_first="<!-- digestlint-disable -->\n\n" + STRAY, before_second=STRAY)
    assert found(text) == []


def test_disable_file_anywhere_covers_the_whole_file() -> None:
    text = report(
        before_first=STRAY,
        before_second=STRAY,
        end="\n<!-- digestlint-disable-file DL401 -->\n",
    )
    assert found(text) == []


def test_disable_file_is_not_ended_by_enable() -> None:
    text = report(
        before_first="<!-- digestlint-disable-file DL401 -->\n\n" + STRAY,
        before_second="<!-- digestlint-enable DL401 -->\n\n" + STRAY,
    )
    assert found(text) == []


def test_other_rules_are_not_suppressed() -> None:
    comment = "<!-- digestlint-disable-next-line DL403 -->\n"
    text = report(before_first=comment + STRAY)
    assert found(text) == [
        ("DL001", line_of(text, comment)),
        ("DL401", line_of(text, STRAY)),
    ]


def test_comments_in_code_are_not_directives() -> None:
    fenced = "```markdown\n<!-- digestlint-disable-file -->\n```\n\n"
    text = report(before_first=fenced + STRAY)
    assert found(text) == [("DL401", line_of(text, STRAY))]


def test_unused_suppression_is_reported_on_the_comment_and_removed_by_the_fix() -> None:
    comment = "<!-- digestlint-disable-next-line DL401 -->\n"
    text = report(before_first=comment)
    findings = lint_text(text)
    assert [(f.code, f.name, f.line, f.column) for f in findings] == [
        ("DL001", "unused-suppression", line_of(text, comment), 1)
    ]
    assert findings[0].end_column == len(comment.rstrip("\n")) + 1
    assert "unused suppression" in findings[0].message
    assert fix_text(text).text == CLEAN


def test_unused_suppression_between_blank_lines_leaves_one_blank_line() -> None:
    text = CLEAN.replace("\n\n### 2.", "\n\n<!-- digestlint-disable DL304 -->\n\n### 2.", 1)
    assert [f.code for f in lint_text(text)] == ["DL001"]
    assert fix_text(text).text == CLEAN


def test_unused_inline_suppression_is_removed_with_its_space() -> None:
    line = "自然语言处理中的大语言模型基础架构，面向长文本理解与生成任务。"
    text = CLEAN.replace(line, line + " <!-- digestlint-disable-line -->", 1)
    assert [f.code for f in lint_text(text)] == ["DL001"]
    assert fix_text(text).text == CLEAN


def test_unused_code_in_a_used_suppression_is_reported_at_the_code() -> None:
    comment = "<!-- digestlint-disable-next-line DL401, DL403 -->\n"
    text = report(before_first=comment + STRAY)
    findings = lint_text(text)
    assert [(f.code, f.line, f.column) for f in findings] == [
        ("DL001", line_of(text, comment), comment.index("DL403") + 1)
    ]
    assert findings[0].fix is not None
    assert findings[0].fix.message == "remove `DL403` from the comment"
    fixed = fix_text(text).text
    assert "<!-- digestlint-disable-next-line DL401 -->\n# 论文阅读报告" in fixed
    assert found(fixed) == []


def test_selector_matching_no_rule_is_reported() -> None:
    comment = "<!-- digestlint-disable-next-line DL999 -->\n"
    text = report(before_first=comment)
    findings = lint_text(text)
    assert [f.code for f in findings] == ["DL001"]
    assert "`DL999` matches no rule" in findings[0].message
    assert fix_text(text).text == CLEAN


def test_suppression_of_a_rule_that_did_not_run_is_not_called_unused() -> None:
    # With only DL1 rules and DL001 selected, DL401 never ran: its suppression may be needed.
    settings = Settings(Config(select=["DL1", "DL001"]))
    text = report(before_first="<!-- digestlint-disable-next-line DL401 -->\n")
    assert found(text, settings) == []


def test_unused_suppressions_are_not_reported_when_dl001_is_ignored() -> None:
    settings = Settings(Config(ignore=["unused-suppression"]))
    text = report(before_first="<!-- digestlint-disable-next-line DL401 -->\n")
    assert found(text, settings) == []


def test_fix_skips_suppressed_findings_and_converges() -> None:
    # The seed's mixed section styles are all fixable (DL403); suppress them for the file.
    text = "<!-- digestlint-disable-file section-heading-style -->\n\n" + SEED
    result = fix_text(text)
    assert not any(f.code == "DL403" for f in result.fixed)
    assert result.remaining == []
    assert fix_text(result.text).text == result.text
    # The list-style sections the rule would have rewritten are still there.
    assert "1. **应用领域**：" in result.text


def test_fix_removes_an_unused_suppression_along_with_other_fixes() -> None:
    text = "<!-- digestlint-disable-file DL101 -->\n\n" + SEED
    result = fix_text(text)
    assert "digestlint-disable" not in result.text
    assert result.remaining == []
    assert "DL001" in {f.code for f in result.fixed}


def test_blanket_suppression_is_judged_only_when_every_offline_rule_ran() -> None:
    text = report(before_first="<!-- digestlint-disable-next-line -->\n")
    assert [code for code, _ in found(text)] == ["DL001"]
    narrowed = Settings(Config(select=["DL4", "DL001"]))
    assert found(text, narrowed) == []


@pytest.fixture
def online_rule():
    """A throwaway online rule that flags the first heading, registered for one test."""
    from digestlint.registry import RULES, rule

    @rule("DL990", "test-online-check", online=True, structural=False)
    def check(context):
        """## What it does\nTest only."""
        heading = context.document.headings[0]
        yield context.finding(heading.start, heading.end, "online finding")

    try:
        yield "DL990"
    finally:
        RULES.pop("DL990")


def test_suppression_of_an_online_rule_survives_offline_runs(online_rule: str) -> None:
    text = f"<!-- digestlint-disable-next-line {online_rule} -->\n" + CLEAN
    # The real link checks stay out: CLEAN links to huggingface.co, which tests never call.
    settings = Settings(Config(ignore=["link-dead", "link-refused"]))
    assert found(text, settings) == []
    assert fix_text(text, settings).text == text
    # Online, the rule runs and its finding is suppressed: the comment is used.
    links = LinkChecker.from_settings(settings)
    assert [(f.code) for f in lint_text(text, settings, links=links)] == []
    bare = lint_text(CLEAN, settings, links=links)
    assert [f.code for f in bare] == [online_rule]


DIRECTIVES = st.sampled_from(
    [
        "<!-- digestlint-disable-next-line {codes} -->",
        "<!-- digestlint-disable-line {codes} -->",
        "<!-- digestlint-disable {codes} -->",
        "<!-- digestlint-enable {codes} -->",
        "<!-- digestlint-disable-file {codes} -->",
    ]
)
CODES = st.sampled_from(["", "DL401", "DL403", "DL4", "stray-h1", "DL401, DL501", "DL999"])


@hypothesis_settings(max_examples=25, deadline=None)
@given(
    insertions=st.lists(
        st.tuples(st.integers(min_value=0, max_value=500), DIRECTIVES, CODES, st.booleans()),
        max_size=6,
    )
)
@pytest.mark.slow
def test_fix_converges_with_suppressions_anywhere(insertions) -> None:
    """Suppressions on their own lines or at the end of lines, anywhere in the seed: the
    fixer reaches a fixpoint without refusing, and what it leaves is stable."""
    lines = SEED.split("\n")
    for line_index, template, codes, own_line in sorted(insertions, reverse=True):
        at = line_index % len(lines)
        comment = template.format(codes=codes).replace("  ", " ")
        if own_line:
            lines[at:at] = ["", comment, ""]
        else:
            lines[at] = f"{lines[at]} {comment}".lstrip()
    text = "\n".join(lines)
    result = fix_text(text)
    assert fix_text(result.text).text == result.text
    assert not any(f.fix_applies(False) for f in result.remaining)


def test_a_used_suppression_keeps_its_online_code_offline() -> None:
    """DL401 is used; DL711 (link-dead) did not run offline, so it cannot be called
    unused, and an offline --fix must not take it out of the comment."""
    stray = "# 论文阅读报告 <!-- digestlint-disable-line DL401 DL711 -->\n\n"
    text = report(before_first=stray)
    assert found(text) == []
    assert fix_text(text).text == text


def test_a_next_line_directive_over_two_lines_covers_the_line_after_it() -> None:
    comment = "<!-- digestlint-disable-next-line\n     DL401 -->\n"
    text = report(before_first=comment + STRAY, before_second=STRAY)
    assert found(text) == [("DL401", line_of(text, STRAY, 2))]


def test_a_same_line_directive_over_two_lines_covers_both_lines() -> None:
    """The half-width comma is on the comment's second line."""
    paragraph = "说明文本 <!-- digestlint-disable-line\nDL814 --> 说明,文本\n\n"
    text = report(before_first=paragraph)
    assert found(text) == []
    without = report(before_first="说明文本\n说明,文本\n\n")
    assert found(without) == [("DL814", line_of(without, "说明,文本"))]


# -- lines a mutation run found unchecked (docs/testing.md) -----------------------------


def test_an_unknown_code_next_to_used_ones_is_reported_at_the_code_and_removed() -> None:
    comment = "<!-- digestlint-disable-next-line DL401 stray-h1 DL999 -->\n"
    text = report(before_first=comment + STRAY)
    [finding] = lint_text(text)
    assert (finding.code, finding.line, finding.column, finding.end_column) == (
        "DL001",
        line_of(text, comment),
        comment.index("DL999") + 1,
        comment.index("DL999") + 6,
    )
    assert finding.message == "`DL999` matches no rule; the suppression does nothing for it"
    assert finding.fix is not None and finding.fix.message == "remove `DL999` from the comment"
    fixed = fix_text(text).text
    assert fixed == report(
        before_first="<!-- digestlint-disable-next-line DL401 stray-h1 -->\n" + STRAY
    )


def test_every_unused_directive_is_reported_once_in_order() -> None:
    """An ``enable``, a used directive, a blanket one, one naming only unknown codes and
    a plain unused one: each after the others, each judged on its own."""
    directives = [
        "<!-- digestlint-enable DL401 -->",
        "<!-- digestlint-disable-next-line DL401 -->\n" + STRAY.strip(),
        "<!-- digestlint-disable-next-line -->",
        "<!-- digestlint-disable-next-line DL998 -->",
        "<!-- digestlint-disable-next-line DL403 -->",
    ]
    text = report(before_first="\n\n".join(directives) + "\n\n")
    findings = lint_text(text)
    assert [(f.code, f.line, f.message) for f in findings] == [
        (
            "DL001",
            line_of(text, "<!-- digestlint-disable-next-line -->"),
            "unused suppression `digestlint-disable-next-line`: no finding to suppress",
        ),
        (
            "DL001",
            line_of(text, "DL998"),
            "`DL998` matches no rule; the suppression does nothing for it",
        ),
        (
            "DL001",
            line_of(text, "DL403 -->"),
            "unused suppression `digestlint-disable-next-line DL403`: no finding to suppress",
        ),
    ]
    assert [f.fix.message for f in findings if f.fix] == ["remove the comment"] * 3


def test_a_directive_written_without_spaces_is_quoted_as_written() -> None:
    text = report(before_first="<!--digestlint-disable-next-line DL401-->\n")
    [finding] = lint_text(text)
    assert finding.message == (
        "unused suppression `digestlint-disable-next-line DL401`: no finding to suppress"
    )


def test_per_file_ignores_of_dl001_follow_the_path() -> None:
    settings = Settings(Config.model_validate({"per-file-ignores": {"drafts/*.md": ["DL001"]}}))
    text = report(before_first="<!-- digestlint-disable-next-line DL401 -->\n")
    assert [f.code for f in lint_text(text, settings, "drafts/a.md")] == []
    assert [f.code for f in lint_text(text, settings, "reports/a.md")] == ["DL001"]


def test_disable_line_does_not_reach_earlier_lines() -> None:
    stray = "# 论文阅读报告 <!-- digestlint-disable-line DL401 -->\n\n"
    text = report(before_first=STRAY, before_second=stray)
    assert found(text) == [("DL401", line_of(text, STRAY))]


def test_a_finding_on_the_first_line_can_be_suppressed() -> None:
    settings = Settings(Config(select=["DL101", "DL001"]))
    text = "# Another Title <!-- digestlint-disable-line DL101 -->\n"
    assert found(text, settings) == []
    assert found("# Another Title\n", settings) == [("DL101", 1)]


GENERIC = Settings(Config(profile="generic"))
UNUSED = "<!-- digestlint-disable-line DL999 -->"


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        # The last line, without a line break after it.
        ("正文。\n\n" + UNUSED, "正文。\n\n"),
        # Between a paragraph and a last line without a line break: still two paragraphs.
        ("第一段。\n" + UNUSED + "\n第二段。", "第一段。\n\n第二段。"),
        # Glued to the text on both sides: nothing but the comment goes.
        ("前文" + UNUSED + "后文。\n", "前文后文。\n"),
        # At the start of a heading's text.
        ("# " + UNUSED + " 标题\n", "# 标题\n"),
    ],
    ids=["last-line", "before-last-line", "glued", "heading-start"],
)
def test_an_unused_comment_is_removed_and_nothing_else(text: str, fixed: str) -> None:
    [finding] = [f for f in lint_text(text, GENERIC) if f.code == "DL001"]
    assert finding.fix is not None
    assert fix_text(text, GENERIC).text == fixed


def test_no_fix_for_an_indented_comment_that_starts_an_html_block() -> None:
    text = "  " + UNUSED + "**原样**\n"
    [finding] = [f for f in lint_text(text, GENERIC) if f.code == "DL001"]
    assert finding.fix is None


@pytest.mark.parametrize("codes", [",DL401", "DL401,", "DL401 , stray-h1"])
def test_commas_around_codes_make_no_empty_code(codes: str) -> None:
    """An empty code would be a prefix of every code and suppress everything."""
    line = "# 论文阅读报告,结论\n\n"  # a stray H1 (DL401) with a half-width comma (DL814)
    text = report(before_first=f"<!-- digestlint-disable-next-line {codes} -->\n" + line)
    assert found(text) == [("DL814", line_of(text, line))]


def test_unused_suppression_is_made_by_the_suppression_step_not_by_a_check() -> None:
    """DL001 has no check function, yet it is selected, ignored and documented like any
    rule: the suppression step of the pipeline makes its findings."""
    unused = find_rule("unused-suppression")
    assert unused is not None and unused.code == "DL001" and unused.check is None
    assert unused.family == "suppressions"
    assert unused.doc.startswith("## What it does\nChecks that every inline suppression")
    text = report(before_first="<!-- digestlint-disable-next-line DL401 -->\n")
    line = line_of(text, "digestlint-disable")
    assert found(text, Settings(Config(select=["DL001", "DL401"]))) == [("DL001", line)]
    assert found(text, Settings(Config(select=["DL401"]))) == []
    assert found(text, Settings(Config(ignore=["unused-suppression"]))) == []
