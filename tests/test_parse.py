"""The document model built from markdown-it's tokens: fields, sections and positions."""

from __future__ import annotations

import copy
from pathlib import Path

from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from linkify_it import LinkifyIt
from markdown_it import MarkdownIt

from digestlint.parse import parse
from digestlint.parse.markdown import GfmLinkify, markdown_parser
from digestlint.profile import HF_DAILY_PAPERS_ZH
from digestlint.report import extract

PAPER = """## 📄 Paper One

- **链接**: [2602.15569](https://huggingface.co/papers/2602.15569)
- **阅读来源**: HTML

1. **应用领域**：计算机视觉。

2. **一句话核心贡献**：
   提出了新方法：
   *   **输入**：图像。
"""


def test_a_field_written_as_a_link_has_the_link_target_as_its_value() -> None:
    document = parse(PAPER, HF_DAILY_PAPERS_ZH)
    link = document.papers[0].field("链接")
    assert link is not None
    assert link.value == "https://huggingface.co/papers/2602.15569"
    assert PAPER[link.value_start : link.value_end] == link.value
    assert extract(document, HF_DAILY_PAPERS_ZH).data["papers"][0]["arxiv_id"] == "2602.15569"


def test_list_style_sections_have_their_bodies_dedented() -> None:
    [paper] = parse(PAPER, HF_DAILY_PAPERS_ZH).papers
    first, second = paper.sections
    assert (first.style, first.number, first.name) == ("list-bold-colon", 1, "应用领域")
    assert first.body == "计算机视觉。"
    assert first.body_line == first.heading_line == 6
    assert second.body == "提出了新方法：\n*   **输入**：图像。"
    assert (second.heading_line, second.body_line, second.end_line) == (8, 9, 10)
    assert second.prose == "提出了新方法：\n输入：图像。"


# -- the bare-URL pretest, GFM's (parse/markdown.py) -------------------------------


_REFERENCE = LinkifyIt()
_PIECES = [
    *"abcdefghijklmnopqrstuvwxyz.:/@ _-0123456789KſıİWwLlOoHhSsTtрфРФ３٣。，中>\n\t<()[]!",
    "http://",
    "HTTPS:",
    "www.",
    "localhost",
    ".com",
    ".рф",
    "mailto:",
    "//",
    "ftp:",
    ".1.",
    "xn--",
    "\u3000",
]


def _reference_parser() -> MarkdownIt:
    """digestlint's parser with linkify-it's own pretest in front of the GFM filter."""

    class Reference(GfmLinkify):
        pretest = LinkifyIt.pretest

    parser = copy.copy(markdown_parser())
    parser.linkify = Reference()
    return parser


def _parsed(parser: MarkdownIt, text: str) -> list[tuple]:
    return [
        (t.type, t.content, t.attrs, [(c.type, c.content, c.attrs) for c in t.children or []])
        for t in parser.parse(text)
    ]


def test_the_gfm_pretest_is_used() -> None:
    assert type(markdown_parser().linkify).pretest is GfmLinkify.pretest


@hypothesis_settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=14).map("".join))
def test_the_gfm_pretest_parses_as_linkify_its_own(text: str) -> None:
    # Never turns away a block with a link GFM keeps; the tokens are the same.
    if _REFERENCE.pretest(text) and GfmLinkify().match(text):
        assert markdown_parser().linkify.pretest(text)
    assert _parsed(markdown_parser(), text) == _parsed(_reference_parser(), text)


def test_the_gfm_pretest_on_the_seed_and_test_reports() -> None:
    root = Path(__file__).resolve().parent.parent
    reference = _reference_parser()
    for path in [*root.glob("seeds/*.md"), *root.glob("tests/**/*.md")]:
        text = path.read_text(encoding="utf-8")
        assert _parsed(markdown_parser(), text) == _parsed(reference, text), path


def test_block_tokens_are_the_parse_without_its_inline_content() -> None:
    from digestlint.parse.markdown import _block_tokens

    core = markdown_parser().core.ruler.get_active_rules()
    assert list(core[:2]) == ["normalize", "block"]
    root = Path(__file__).resolve().parent.parent
    texts = ["x\n\n| a |", "x\n\n<b>x</b> y", "x\n\n---\nfoo", "x\n\n$$\na\n$$", "x\n\n> q\n- a"]
    texts += [path.read_text(encoding="utf-8") for path in root.glob("tests/data/**/*.md")]
    for text in texts:
        full = markdown_parser().parse(text)
        blocks = _block_tokens(text)
        assert [(t.type, t.tag, t.map, t.content, t.markup, t.info) for t in blocks] == [
            (t.type, t.tag, t.map, t.content, t.markup, t.info) for t in full
        ]


def test_a_link_around_an_image_or_brackets_starts_at_its_own_bracket() -> None:
    """The link's ``[`` is the one its ``]`` closes, not the last ``[`` before it (the
    image's, or a bracket in its text): its span covers what a reader clicks."""
    text = (
        "见 [![徽章](https://img.shields.io/badge/a-1-blue)](https://example.org/a)，"
        "[方法 [v2] 说明](https://example.org/b) 与 [\\[注\\] 附录](https://example.org/c)。\n"
    )
    links = parse(text, HF_DAILY_PAPERS_ZH).links
    spans = [text[link.start : link.end] for link in links if link.kind == "inline"]
    assert spans == [
        "[![徽章](https://img.shields.io/badge/a-1-blue)](https://example.org/a)",
        "[方法 [v2] 说明](https://example.org/b)",
        "[\\[注\\] 附录](https://example.org/c)",
    ]
