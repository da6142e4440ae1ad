"""The document model ``parse`` builds: header, papers, sections, headings and their
ranges, on the seed and on edge cases.

The seed's line numbers below were read off the file itself (``grep -n``), not taken
from a parse: paper headings, separators, section headings and the stray titles.
"""

from __future__ import annotations

import pytest
from conftest import SEED
from hypothesis import given
from hypothesis import strategies as st

from digestlint.model import Document
from digestlint.parse import parse
from digestlint.parse.markdown import delimiter_run, markdown_parser, starts_block
from digestlint.profile import HF_DAILY_PAPERS_ZH

SEPARATOR = "=" * 60

SEPARATOR_LINES = [5, 38, 75, 116, 154, 188, 217, 251, 286, 318, 349, 391, 432, 476]
# (heading line, style of its sections, section heading lines, stray H1 lines)
SEED_PAPERS = [
    (7, "list-bold-colon", [14, 17, 20, 26, 31], [12]),
    (40, "atx", [45, 48, 51, 62, 69], []),
    (77, "atx", [82, 86, 89, 99, 109], []),
    (118, "list-bold", [125, 128, 131, 143, 148], [123]),
    (156, "list-bold-colon", [161, 163, 165, 175, 180], []),
    (190, "list-bold-colon", [195, 197, 199, 205, 210], []),
    (219, "atx", [224, 227, 230, 239, 244], []),
    (253, "atx", [260, 263, 266, 272, 277], [258]),
    (288, "atx-bold", [293, 296, 299, 307, 312], []),
    (320, "list-bold-colon", [325, 328, 331, 338, 343], []),
    (351, "atx", [356, 359, 362, 374, 382], []),
    (393, "atx", [400, 403, 406, 414, 422], [398]),
    (434, "atx", [441, 445, 448, 462, 467], [439]),
]
SECTION_NAMES = ["应用领域", "一句话核心贡献", "使用指南", "主要创新点", "实验效果"]


SEED_TEXT = SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed() -> Document:
    return parse(SEED_TEXT, HF_DAILY_PAPERS_ZH)


def test_seed_header(seed: Document) -> None:
    header = seed.header
    assert header.title is not None
    assert (header.title.line, header.title.plain) == (1, "Hugging Face Daily Papers Report")
    assert [(f.label, f.line, f.value) for f in header.fields] == [
        ("Date", 2, "2026-02-20"),
        ("Source URL", 3, "https://huggingface.co/papers/date/2026-02-20"),
    ]
    for entry in header.fields:
        assert SEED_TEXT[entry.value_start : entry.value_end] == entry.value
    assert (header.line, header.end_line) == (1, 3)


def test_seed_separators(seed: Document) -> None:
    assert [s.line for s in seed.separators] == SEPARATOR_LINES
    for separator in seed.separators:
        assert SEED_TEXT[separator.start : separator.end] == SEPARATOR
        assert separator.setext_of is None and separator.continues is None


def test_seed_papers_run_from_their_heading_to_the_line_before_the_separator(
    seed: Document,
) -> None:
    assert [p.heading.line for p in seed.papers] == [paper[0] for paper in SEED_PAPERS]
    assert [(p.line, p.end_line) for p in seed.papers] == [
        (paper[0], separator - 1)
        for paper, separator in zip(SEED_PAPERS, SEPARATOR_LINES[1:], strict=True)
    ]
    assert all(p.has_marker for p in seed.papers)
    for paper in seed.papers:
        assert SEED_TEXT[paper.heading.start : paper.heading.end].startswith("## 📄 ")
    assert seed.papers[1].title == "2Mamba2Furious: Linear in Complexity, Competitive in Accuracy"
    assert seed.papers[11].title == "Computer-Using World Model"


def test_seed_paper_fields(seed: Document) -> None:
    first = seed.papers[0]
    assert [(f.label, f.line, f.value) for f in first.fields] == [
        ("链接", 9, "https://huggingface.co/papers/2602.15569"),
        ("阅读来源", 10, "ArXiv Abs"),
    ]
    last = seed.papers[-1]
    assert [(f.label, f.line, f.value) for f in last.fields] == [
        ("链接", 436, "https://huggingface.co/papers/2602.17259"),
        ("阅读来源", 437, "HTML"),
    ]
    for entry in first.fields + last.fields:
        assert SEED_TEXT[entry.value_start : entry.value_end] == entry.value


def test_seed_sections(seed: Document) -> None:
    for paper, (_, style, heading_lines, _) in zip(seed.papers, SEED_PAPERS, strict=True):
        assert [s.heading_line for s in paper.sections] == heading_lines
        assert {s.style for s in paper.sections} == {style}
        assert [s.name for s in paper.sections] == SECTION_NAMES
        assert [s.number for s in paper.sections] == [1, 2, 3, 4, 5]
        assert all(s.known for s in paper.sections)


def test_seed_section_ranges(seed: Document) -> None:
    # Paper 1 (lines 14-35): list items, each body on the lines under its label.
    first = seed.papers[0]
    assert [(s.heading_line, s.body_line, s.end_line) for s in first.sections] == [
        (14, 15, 15),
        (17, 18, 18),
        (20, 21, 24),
        (26, 27, 29),
        (31, 32, 35),
    ]
    applications = first.sections[0]
    label = SEED_TEXT[applications.heading_start : applications.heading_end]
    assert label == "1. **应用领域**："
    assert applications.body.startswith("人机交互 (HCI)、车载智能座舱")
    assert "   " not in applications.body[:3]  # the list indentation is removed
    # Paper 5 (line 156): the first two bodies share the label's line.
    frontier = seed.papers[4]
    assert [(s.heading_line, s.body_line, s.end_line) for s in frontier.sections] == [
        (161, 161, 161),
        (163, 163, 163),
        (165, 166, 173),
        (175, 176, 178),
        (180, 181, 185),
    ]
    assert frontier.sections[0].body.startswith("NLP-大模型安全评估与风险管理")
    # Paper 3 (line 77): an ATX heading, a body of two lines.
    discovering = seed.papers[2].sections[0]
    assert (discovering.heading_line, discovering.body_line, discovering.end_line) == (82, 83, 84)
    heading = SEED_TEXT[discovering.heading_start : discovering.heading_end]
    assert heading == "### 1. 应用领域"
    assert SEED_TEXT[discovering.number_span[0] : discovering.number_span[1]] == "1"


def test_seed_headings_inside_papers(seed: Document) -> None:
    for paper, (_, style, heading_lines, strays) in zip(seed.papers, SEED_PAPERS, strict=True):
        section_headings = heading_lines if style.startswith("atx") else []
        assert [h.line for h in paper.headings] == sorted(strays + section_headings)
        assert [h.line for h in paper.headings if h.level == 1] == strays
        assert not any(h.in_container or h.setext for h in paper.headings)
    assert len(seed.headings) == 1 + 13 + 5 + 8 * 5  # title, papers, strays, ATX sections


# -- edge cases --------------------------------------------------------------------------

HEADER = "# Hugging Face Daily Papers Report\n**Date**: 2026-02-20\n"


def model(text: str) -> Document:
    return parse(text, HF_DAILY_PAPERS_ZH)


def test_a_report_without_papers() -> None:
    document = model(HEADER + "\n正文，没有论文。\n")
    assert document.papers == []
    assert [(f.label, f.line) for f in document.header.fields] == [("Date", 2)]


@pytest.mark.parametrize("text", ["", "\n\n", "正文。"])
def test_an_empty_or_headless_text(text: str) -> None:
    document = model(text)
    assert document.papers == []
    assert document.header.title is None
    assert document.header.fields == []


def test_a_paper_without_sections() -> None:
    text = (
        "## 📄 Paper One\n\n"
        "- **链接**: https://huggingface.co/papers/2602.15569\n"
        "- **阅读来源**: HTML\n\n"
        "只有正文。\n"
    )
    [paper] = model(text).papers
    assert paper.sections == []
    assert (paper.title, paper.line) == ("Paper One", 1)
    assert [(f.label, f.line) for f in paper.fields] == [("链接", 3), ("阅读来源", 4)]
    assert paper.end == len(text)  # the last paper runs to the end of the text


def test_headings_in_quotes_and_lists_are_in_a_container_and_start_nothing() -> None:
    text = (
        "## 📄 Paper One\n\n"  # 1
        "> # 引用标题\n"  # 3
        "> ## 📄 Quoted\n\n"  # 4
        "- # 列表标题\n\n"  # 6
        "### 1. 应用领域\n"  # 8
        "正文。\n"
    )
    document = model(text)
    [paper] = document.papers  # the quoted paper heading starts no paper
    assert [(h.line, h.level, h.in_container) for h in paper.headings] == [
        (3, 1, True),
        (4, 2, True),
        (6, 1, True),
        (8, 3, False),
    ]
    assert [(s.name, s.heading_line, s.body_line) for s in paper.sections] == [("应用领域", 8, 9)]


def test_setext_headings_span_two_lines_and_are_never_paper_or_section_headings() -> None:
    text = (
        "## 📄 Paper One\n\n"  # 1
        "应用领域\n"  # 3
        "--------\n"  # 4
        "正文。\n\n"  # 5
        "### 2. 一句话核心贡献\n"  # 7
        "提出。\n\n"  # 8
        "📄 Setext Paper\n"  # 10
        "--------------\n"  # 11
    )
    document = model(text)
    [paper] = document.papers
    assert [(h.line, h.end_line, h.level, h.setext) for h in paper.headings] == [
        (3, 4, 2, True),
        (7, 7, 3, False),
        (10, 11, 2, True),
    ]
    assert [s.heading_line for s in paper.sections] == [7]


def test_a_separator_under_text_is_known_as_the_underline_of_that_text() -> None:
    text = "## 📄 Paper One\n\n### 5. 实验效果\n效果很好。\n" + SEPARATOR + "\n\n## 📄 Two\n"
    document = model(text)
    [separator] = document.separators
    assert (separator.line, separator.setext_of) == (5, 4)
    first, second = document.papers
    assert (first.line, first.end_line, second.line) == (1, 4, 7)  # up to the separator


def _lines(document: Document) -> list:
    """Every line number of the model, in order."""
    found = [(document.header.line, document.header.end_line)]
    found += [(h.line, h.end_line, h.level) for h in document.headings]
    found += [s.line for s in document.separators]
    for paper in document.papers:
        found.append((paper.line, paper.end_line, paper.title))
        found += [(f.label, f.line, f.value) for f in paper.fields]
        found += [
            (s.name, s.style, s.heading_line, s.body_line, s.end_line, s.number)
            for s in paper.sections
        ]
    return found


def test_crlf_gives_the_same_model() -> None:
    crlf = SEED_TEXT.replace("\n", "\r\n")
    lf_model, crlf_model = model(SEED_TEXT), model(crlf)
    assert _lines(crlf_model) == _lines(lf_model)
    for old, new in zip(lf_model.papers, crlf_model.papers, strict=True):
        assert [s.body.replace("\r", "") for s in new.sections] == [s.body for s in old.sections]
        assert [s.prose for s in new.sections] == [s.prose for s in old.sections]
        for section in new.sections:
            label = crlf[section.heading_start : section.heading_end]
            assert "\r" not in label and label.rstrip()
            assert not crlf[section.body_end - 1].isspace()


def test_a_byte_order_mark_is_not_part_of_the_title() -> None:
    with_bom = "\ufeff" + SEED_TEXT
    plain, marked = model(SEED_TEXT), model(with_bom)
    assert marked.header.title is not None
    assert marked.header.title.plain == "Hugging Face Daily Papers Report"
    assert _lines(marked) == _lines(plain)
    # Every other offset moves by the one character.
    for old, new in zip(plain.papers, marked.papers, strict=True):
        assert (new.heading.start, new.end) == (old.heading.start + 1, old.end + 1)
        assert (
            with_bom[new.heading.start : new.heading.end]
            == SEED_TEXT[old.heading.start : old.heading.end]
        )


def test_inline_children_know_where_their_text_is() -> None:
    # Columns counted by hand: `前文` at 0, `**` at 2, `粗体` at 4, `**` at 6, `，` at 8,
    # `\*` at 9-10, `&amp;` at 11-15, ` ` at 16, `` `x` `` at 17-19, `后` at 20.
    text = "前文**粗体**，\\*&amp; `x`后\n"
    [block] = parse(text, HF_DAILY_PAPERS_ZH).inlines
    located = [(c.type, c.content, c.start, c.offsets) for c in block.children]
    assert located == [
        ("text", "前文", 0, (0, 1)),
        ("strong_open", "", None, ()),
        ("text", "粗体", 4, (4, 5)),
        ("strong_close", "", None, ()),
        # The escaped `*` and the entity are not written as themselves: -1.
        ("text", "，*& ", 8, (8, -1, -1, 16)),
        ("code_inline", "x", None, ()),
        ("text", "后", 20, (20,)),
    ]


def test_each_table_cell_finds_its_own_text() -> None:
    # The cells of a row share the row's span; the second `a` is the second cell's.
    text = "| h | h |\n|---|---|\n| a | a |\n"
    cells = [block for block in parse(text, HF_DAILY_PAPERS_ZH).inlines if block.line == 3]
    assert [[c.offsets for c in cell.children] for cell in cells] == [[(22,)], [(26,)]]


def test_each_table_cell_finds_its_own_link_and_code() -> None:
    # Both cells hold the same link and code; each cell's are its own (offsets by hand:
    # the first cell's link at 22-42 (its URL 26-41), code at 42-45; the second's link at
    # 48-68 (URL 52-67), code at 68-71).
    text = "| h | h |\n|---|---|\n| [a](https://e.org/x)`x` | [a](https://e.org/x)`x` |\n"
    document = parse(text, HF_DAILY_PAPERS_ZH)
    assert [(link.start, link.end) for link in document.links] == [(22, 42), (48, 68)]
    cells = [block for block in document.inlines if block.line == 3]
    assert [cell.protected for cell in cells] == [((26, 41), (42, 45)), ((52, 67), (68, 71))]


def test_code_and_math_in_a_link_text_are_protected() -> None:
    text = "见[`api`和$x$](https://e.org/doc)。\n"
    [block] = parse(text, HF_DAILY_PAPERS_ZH).inlines
    assert sorted(text[start:end] for start, end in block.protected) == [
        "$x$",
        "`api`",
        "https://e.org/doc",
    ]


def test_a_bare_url_is_found_where_markdown_it_links_it() -> None:
    # `khttps://...` is no link (no word boundary before it); the second URL is.
    text = "见khttps://e.org/a 与 https://e.org/a\n"
    [link] = parse(text, HF_DAILY_PAPERS_ZH).links
    assert (link.start, link.end) == (20, 35)


def test_a_comment_after_an_escaped_backslash_in_a_table_cell_is_a_comment() -> None:
    # `\\` is an escaped backslash: the comment after it is one.
    text = "| a | b |\n|---|---|\n| 50%\\\\<!-- c --> | x |\n"
    document = parse(text, HF_DAILY_PAPERS_ZH)
    assert [text[c.start : c.end] for c in document.html_comments] == ["<!-- c -->"]


@pytest.mark.parametrize(
    ("text", "opens"),
    [
        ("# 标题", True),
        ("1. 条目", True),
        ("- 条目", True),
        ("> 引用", True),
        ("---", True),
        ("```\ncode\n```", True),
        ("<div>\n块\n</div>", True),
        ("| a | b |\n|---|---|\n| 1 | 2 |", True),
        ("$$\nx^2\n$$", True),
        ("标题\n---", True),  # a setext heading
        ("普通文字", False),
        ("<b>粗体</b> 之后的文字", False),  # inline HTML starts a paragraph
        ("| a | b |", False),  # no delimiter row: a paragraph, not a table
        ("===", False),  # an underline with nothing above is text
        ("2024. 年度总结", True),
        ("2024年度总结", False),
    ],
)
def test_starts_block_asks_the_parser(text: str, opens: bool) -> None:
    assert starts_block(text) is opens


_SIDES = st.sampled_from([" ", "", "a", "中", "。", "（", "）", "(", ")", "%", "€", "\t"])


@given(before=_SIDES, inner_start=_SIDES, inner_end=_SIDES, after=_SIDES)
def test_delimiter_run_flanking_is_what_the_parse_does(
    before: str, inner_start: str, inner_end: str, after: str
) -> None:
    # One `**` pair around a word: markdown-it makes it bold exactly when the opener
    # can open and the closer can close (two runs of two: the rule of three never
    # applies).
    text = f"x{before}**{inner_start}词{inner_end}**{after}y"
    opener = text.index("**")
    closer = text.rindex("**")
    tokens = markdown_parser().parseInline(text)[0].children or []
    bold = any(token.type == "strong_open" for token in tokens)
    assert bold == (
        delimiter_run(text, opener).left_flanking and delimiter_run(text, closer).right_flanking
    )
