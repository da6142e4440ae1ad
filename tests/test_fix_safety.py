"""Adversarial and property tests of ``--fix`` safety.

Reports are generated from fragments that mix every feature a fix may touch: the six
section heading styles, list bodies with nested lists, code, tables, quotes and math,
lazy continuation lines, tabs, stray H1s, separators glued to text, bare URLs next to
Chinese, Han/ASCII spacing, emphasis next to punctuation, inline code and math, HTML
comments and suppression comments. Every fix result must converge, be idempotent, keep
the text and render with the same block structure, the intended markup changes aside.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from meaning import words

from digestlint import Settings, fix_text, lint_text
from digestlint.config import Config
from digestlint.parse import markdown_parser
from digestlint.profile import HF_DAILY_PAPERS_ZH

SEPARATOR = "=" * 60
SECTION_NAMES = [spec.name for spec in HF_DAILY_PAPERS_ZH.sections]
HEADER = (
    "# Hugging Face Daily Papers Report\n**Date**: 2026-02-20  \n"
    "**Source URL**: https://huggingface.co/papers/date/2026-02-20\n\n" + SEPARATOR + "\n\n"
)

PROSE = [
    "使用GPU训练模型。",
    "见https://example.org/a。继续阅读",
    "**粗体**，后文。",
    "前文**强调：**后文",
    "`x = 1`是代码，",
    "公式$x^2$成立。",
    "提升了 50 % 的精度",
    "中文,英文.混排",
    "文本<!-- 注释 -->文本",
    "Mamba-2 的（Squared Inner Product）机制",
    "链接 [文档](https://example.org/b) 在此",
    "精度提升 3.5%",
]

# Blocks written at column 0; list-style sections indent them under the label.
BLOCKS = [
    "*   **输入**：图像。\n    *   嵌套一\n    *   嵌套二",
    "1.  第一步\n2.  第二步",
    "```python\nx = 1\n  y = 2\n```",
    "    indented = 1\n    code = 2",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "> 引用文本\n> 第二行",
    "$$\nQK^T\n$$",
    "- 列表\n\t- 制表符嵌套",
    "<!-- digestlint-disable-next-line DL815 -->\n说明,文本",
]

STYLES = ["atx", "atx-bold", "list-bold-colon", "list-bold", "bold-colon", "bold"]


def label(style: str, number: int, name: str) -> str:
    return {
        "atx": f"### {number}. {name}",
        "atx-bold": f"### **{number}. {name}**",
        "list-bold-colon": f"{number}. **{name}**：",
        "list-bold": f"{number}. **{name}**",
        "bold-colon": f"**{name}**：",
        "bold": f"**{number}. {name}**",
    }[style]


@st.composite
def section(draw, style: str, number: int, name: str) -> str:
    # (line, may be lazy): only paragraph lines may lose their list indentation.
    lines = [(draw(st.sampled_from(PROSE)), False)]
    for _ in range(draw(st.integers(0, 2))):
        if draw(st.booleans()):
            lines.append((draw(st.sampled_from(PROSE)), True))
        else:
            lines.append(("", False))
            lines += [(line, False) for line in draw(st.sampled_from(BLOCKS)).split("\n")]
    body_lines = [line for line, _ in lines]
    head = label(style, number, name)
    if style.startswith("list"):
        lazy = draw(st.booleans())
        indented = []
        for line, may_be_lazy in lines:
            indented.append(line if not line or (lazy and may_be_lazy) else "   " + line)
        if style == "list-bold-colon" and draw(st.booleans()):
            return head + " " + indented[0].lstrip() + "\n" + "\n".join(indented[1:])
        return head + "\n" + "\n".join(indented)
    if style in ("bold-colon", "bold") and draw(st.booleans()):
        return head + " " + "\n".join(body_lines)
    return head + "\n" + "\n".join(body_lines)


@st.composite
def paper(draw, index: int) -> str:
    style_of_paper = draw(st.sampled_from(STYLES))
    lines = [f"## 📄 Paper {index}: A Study", ""]
    lines += [
        f"- **链接**: https://huggingface.co/papers/2602.1000{index}",
        "- **阅读来源**: HTML",
        "",
    ]
    if draw(st.booleans()):
        lines += [f"# 论文阅读报告：研究{index}", ""]
    sections = []
    numbers = list(range(1, 6))
    if draw(st.booleans()):
        numbers[draw(st.integers(0, 4))] = draw(st.integers(1, 5))
    for number, name in zip(numbers, SECTION_NAMES, strict=True):
        style = style_of_paper if draw(st.integers(0, 4)) else draw(st.sampled_from(STYLES))
        sections.append(draw(section(style, number, name)))
    return "\n".join(lines) + "\n" + "\n\n".join(sections) + "\n"


@st.composite
def report(draw) -> str:
    text = HEADER
    count = draw(st.integers(1, 3))
    for index in range(count):
        text += draw(paper(index))
        ending = draw(st.sampled_from(["blank", "glued", "missing"]))
        if index == count - 1 or ending == "blank":
            text += "\n" + SEPARATOR + "\n\n"
        elif ending == "glued":
            text += "补充说明。\n" + SEPARATOR + "\n\n"
        else:
            text += "\n"
    return text


# -- what must not change -------------------------------------------------------------


def _tokens(text: str):
    return markdown_parser().parse(text)


def literal_blocks(text: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """Code, math and HTML blocks with their content and the containers around them
    (ordered lists and list items left out: section restyles add or remove those)."""
    out = []
    stack: list[str] = []
    for token in _tokens(text):
        content = token.content.strip("\n")
        if token.type == "html_block":
            # Comments inside raw HTML are not shown; suppressions may go.
            content = re.sub(r"[ \t]*<!--.*?-->", "", content, flags=re.S).strip()
        if token.type in ("fence", "code_block", "math_block") or (
            token.type == "html_block" and content
        ):
            around = tuple(s for s in stack if s not in ("ordered_list", "list_item"))
            if token.type == "math_block":
                # The dollarmath plugin keeps a list item's indentation in the content;
                # TeX ignores it.
                content = "\n".join(line.strip() for line in content.strip().split("\n"))
            out.append((token.type, content, around))
        if token.nesting == 1:
            stack.append(token.type.removesuffix("_open"))
        elif token.nesting == -1:
            stack.pop()
    return out


def containers(text: str) -> Counter:
    kinds = ("bullet_list_open", "blockquote_open", "table_open", "tr_open")
    return Counter(t.type for t in _tokens(text) if t.type in kinds)


def inline_literals(text: str) -> Counter:
    """Inline code, inline math and written link targets: fixes never touch them."""
    found: Counter = Counter()
    for token in _tokens(text):
        for child in token.children or []:
            if child.type in ("code_inline", "math_inline", "math_inline_double"):
                found[(child.type, child.content)] += 1
            elif child.type == "link_open" and child.markup != "linkify":
                # Bare URLs are left out: bare-url-cjk ends one that swallows Chinese.
                found[("link", child.attrs.get("href"))] += 1
    return found


def assert_same_code_and_math(fixed: str, text: str) -> None:
    def code_and_math(source: str) -> Counter:
        return Counter({k: n for k, n in inline_literals(source).items() if k[0] != "link"})

    assert code_and_math(fixed) == code_and_math(text)


def other_headings(text: str) -> Counter:
    """Headings other than section headings and H1s (stray titles and glued separators
    are meant to stop being headings), by level: typography fixes may edit their text."""
    found: Counter = Counter()
    tokens = _tokens(text)
    for token, inline in itertools.pairwise(tokens):
        if token.type != "heading_open" or token.tag == "h1":
            continue
        plain = re.sub(r"[*\d.\s]", "", inline.content)
        if plain not in SECTION_NAMES:
            found[token.tag] += 1
    return found


def assert_fix_is_safe(text: str, config: Settings | None = None) -> str:
    """Fix ``text`` and check the result; a refused or runaway fix (``FixError``) fails."""
    config = config or Settings()
    result = fix_text(text, config)
    fixed = result.text
    assert fix_text(fixed, config).text == fixed, "fixing twice changes more"
    left = [(f.code, f.line) for f in lint_text(fixed, config) if f.fix_applies(False)]
    assert left == [], "fixable findings are left after fixing"
    assert words(fixed) == words(text)
    assert literal_blocks(fixed) == literal_blocks(text)
    assert containers(fixed) == containers(text)
    if "DL706" in {f.code for f in result.fixed}:
        # A bare URL that swallowed Chinese may have swallowed a written link too.
        assert_same_code_and_math(fixed, text)
    else:
        assert inline_literals(fixed) == inline_literals(text)
    assert other_headings(fixed) == other_headings(text)
    return fixed


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report())
def test_fixing_generated_reports_is_safe(text: str) -> None:
    assert_fix_is_safe(text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report(), st.sampled_from(STYLES))
def test_restyling_to_any_style_keeps_the_rendering(text: str, style: str) -> None:
    pinned = Settings(Config.model_validate({"rules": {"DL403": {"style": style}}}))
    assert_fix_is_safe(text, pinned)


# -- adversarial cases, one feature at a time ------------------------------------------


def _list_report(body: str) -> str:
    """Two papers in heading style and one whose first section is a list item with ``body``."""
    atx = "\n\n".join(f"### {i}. {n}\n正文。" for i, n in enumerate(SECTION_NAMES, 1))
    rest = "\n\n".join(f"{i}. **{n}**：\n   正文。" for i, n in enumerate(SECTION_NAMES[1:], 2))
    papers = [
        f"## 📄 Paper {i}\n\n- **链接**: https://huggingface.co/papers/2602.1000{i}\n"
        f"- **阅读来源**: HTML\n\n{sections}\n\n{SEPARATOR}\n\n"
        for i, sections in enumerate(
            [atx, atx, f"1. **{SECTION_NAMES[0]}**：{body}\n\n{rest}"], start=1
        )
    ]
    return HEADER + "".join(papers)


@pytest.mark.parametrize(
    "body",
    [
        "\n   说明：\n\t- 一\n\t- 二",  # tab-indented nested list
        "\n   第一行\n         第二行",  # continuation indented 4 more columns
        "\n          整段缩进",  # whole continuation indented 8 columns
        "\n   说明\n\n   ```python\n   x = 1\n   ```\n   后文",
        "\n   说明\n\n       code = 1\n\n   后文",
        "\n   第一行\n懒惰续行。",
        "\n   > 引用\n   > 第二行",
        "\n   | a | b |\n   |---|---|\n   | 1 | 2 |",
    ],
)
def test_list_section_bodies_keep_their_structure_as_headings(body: str) -> None:
    fixed = assert_fix_is_safe(_list_report(body))
    assert f"### 1. {SECTION_NAMES[0]}" in fixed


@pytest.mark.parametrize(
    "rest",
    [
        "\n   $$\n   x^2\n   $$",  # inline $$ in the label's paragraph would become a math block
        " <span>\n   内容",  # inline HTML would become an HTML block
        " - 不是列表",  # text would become a list
        "\n   | a | b |\n   |---|---|\n   | 1 | 2 |\n补充说明。",  # would become a table row
        "\n   ```python\n   x = 1\n不缩进\n```",  # would become code
        " # 不是标题",  # text would become a heading
        "\n   2) 不是列表",  # a continuation would become a list starting at 2
    ],
)
def test_a_restyle_that_would_change_the_body_is_not_offered(rest: str) -> None:
    text = _list_report(rest)
    line = text[: text.index(f"1. **{SECTION_NAMES[0]}**")].count("\n") + 1
    findings = [f for f in lint_text(text) if f.code == "DL403" and f.line == line]
    assert findings and findings[0].fix is None
    assert assert_fix_is_safe(text).count(f"1. **{SECTION_NAMES[0]}**") == 1


@pytest.mark.parametrize(
    "text",
    [
        "<!-- digestlint-disable-line DL999 -->**原样**\n",
        "- 一\n- <!-- digestlint-disable-line DL999 -->**原样**\n",
        "> * <!-- digestlint-disable-line DL999 -->**原样**\n",
    ],
)
def test_no_fix_removes_a_comment_that_starts_an_html_block_line(text: str) -> None:
    """``<!-- ... -->**原样**`` is one HTML block: its text is shown as written, and
    would be read as Markdown once the comment is gone."""
    generic = Settings(Config(profile="generic"))
    [finding] = [f for f in lint_text(text, generic) if f.code == "DL001"]
    assert finding.fix is None
    assert fix_text(text, generic).text == text


@pytest.mark.parametrize("title", ["# - **x**", "# > **引用**", "# 2) **第二**"])
def test_no_demotion_of_a_stray_h1_whose_text_would_start_another_block(title: str) -> None:
    text = f"## 📄 Paper One\n\n{title}\n"
    [finding] = [f for f in lint_text(text) if f.code == "DL401"]
    assert finding.fix is None


def test_a_url_that_swallowed_markup_is_ended_only_as_an_unsafe_fix() -> None:
    """The backtick inside the URL would pair with the one on the next line once the URL
    ends, turning text into code."""
    text = "见https://a.org/x中文`模型\n下一行`结束\n"
    generic = Settings(Config(profile="generic"))
    [finding] = [f for f in lint_text(text, generic) if f.code == "DL706"]
    assert finding.fix is not None and finding.fix.applicability.value == "unsafe"
    assert fix_text(text, generic).text == text
    plain = "见https://a.org/x中文，模型\n"
    [finding] = [f for f in lint_text(plain, generic) if f.code == "DL706"]
    assert finding.fix is not None and finding.fix.applicability.value == "safe"


def test_an_escaped_comment_is_text_and_is_never_removed() -> None:
    """``\\<!-- ... -->`` is visible text. The real comment after it has the same
    characters; removing the unused one must remove the real one."""
    comment = "<!-- digestlint-disable-line DL999 -->"
    text = f"中文\\{comment}后文 {comment} 结束\n"
    generic = Settings(Config(profile="generic"))
    [_, real] = [i for i in range(len(text)) if text.startswith(comment, i)]
    [finding] = [f for f in lint_text(text, generic) if f.code == "DL001"]
    assert finding.column - 1 == real
    assert fix_text(text, generic).text == f"中文\\{comment}后文 结束\n"


def test_repeated_indented_code_at_a_sections_end_stays_code_in_the_list_item() -> None:
    # Found by the generated-reports property: the section's last lines repeat within the
    # report (a template trailer's shape) but are indented code; a restyle into a list
    # item must take them into the item, or they would turn into the item's paragraph.
    paper = (
        "## 📄 Paper {n}: A Study\n\n"
        "- **链接**: https://huggingface.co/papers/2602.1000{n}\n- **阅读来源**: HTML\n\n"
        "1. **应用领域**：\n   使用GPU训练模型。\n\n"
        "2. **一句话核心贡献**：\n   使用GPU训练模型。\n\n"
        "3. **使用指南**：\n   使用GPU训练模型。\n\n"
        "4. **主要创新点**：\n   使用GPU训练模型。\n\n"
        "{last}\n\n"
        "============================================================\n\n"
    )
    code = "    indented = 1\n    code = 2\n\n    indented = 1\n    code = 2"
    text = (
        "# Hugging Face Daily Papers Report\n**Date**: 2026-02-20  \n"
        "**Source URL**: https://huggingface.co/papers/date/2026-02-20\n\n"
        "============================================================\n\n"
        + paper.format(n=0, last="5. **实验效果**：\n   使用GPU训练模型。")
        + paper.format(n=1, last=f"### 5. 实验效果\n见文中。\n\n{code}")
        + paper.format(n=2, last="5. **实验效果**：\n   使用GPU训练模型。")
    )
    fixed = assert_fix_is_safe(text)
    assert "5. **实验效果**：\n   见文中。\n\n       indented = 1" in fixed
