"""LaTeX link commands rewritten as Markdown links (DL713): the meaning check lets the
command's name go and the text move before the URL, and nothing else."""

from __future__ import annotations

import pytest

from digestlint import fix_text
from digestlint.api import FixError, check_meaning_kept
from digestlint.config import Config, Settings
from digestlint.findings import Edit
from digestlint.parse import markdown_parser

SOURCE = "代码：\\href{https://github.com/example/ToolKit}{Code}。\n"
SPAN = (3, SOURCE.index("。"))


def test_the_rewrite_renders_the_intended_link() -> None:
    settings = Settings(Config.model_validate({"select": ["DL713"]}))
    fixed = fix_text(SOURCE, settings, unsafe=True).text
    assert fixed == "代码：[Code](https://github.com/example/ToolKit)。\n"
    assert markdown_parser().render(fixed) == (
        '<p>代码：<a href="https://github.com/example/ToolKit">Code</a>。</p>\n'
    )
    assert fix_text(SOURCE, settings).text == SOURCE  # unsafe: not applied by --fix


def test_a_marked_rewrite_may_drop_the_command_and_move_the_text() -> None:
    edit = Edit(
        start=SPAN[0],
        end=SPAN[1],
        content="[Code](https://github.com/example/ToolKit)",
        relinks=True,
    )
    check_meaning_kept(SOURCE, [edit])


@pytest.mark.parametrize(
    ("content", "relinks"),
    [
        ("[Cod](https://github.com/example/ToolKit)", True),  # a letter lost
        ("[Code](https://github.com/example/ToolKit2)", True),  # a digit added
        ("[Code](https://github.com/example/ToolKit)", False),  # not marked
    ],
)
def test_any_other_change_of_words_is_refused(content: str, relinks: bool) -> None:
    edit = Edit(start=SPAN[0], end=SPAN[1], content=content, relinks=relinks)
    with pytest.raises(FixError):
        check_meaning_kept(SOURCE, [edit])
