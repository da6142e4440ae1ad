"""Han ideographs are one set everywhere (digestlint/han.py): Extension A, the unified
block, the compatibility ideographs and the ideographic planes (Extension B on), and
not the Yijing hexagram symbols (U+4DC0-4DFF) that sit between Extension A and the
unified block. Characters are written as escapes: most fonts show none of them."""

from __future__ import annotations

import pytest

from digestlint import Settings, lint_text
from digestlint.api import FixError, check_meaning_kept
from digestlint.config import Config
from digestlint.findings import Edit
from digestlint.language import count_scripts, strip_glosses
from digestlint.model import Section
from digestlint.rules.headings import heading_text

EXTENSION_B = "\U00020bb7"  # 𠮷, in Japanese and Chinese names
EXTENSION_G = "\U00030000"
COMPATIBILITY = "\uf900\uf901"
HEXAGRAM = "\u4dc0"


def test_the_meaning_guard_refuses_dropping_an_extension_b_character() -> None:
    with pytest.raises(FixError):
        check_meaning_kept(f"{EXTENSION_B}野家\n", [Edit(start=0, end=1, content="")])


@pytest.mark.parametrize(
    ("name", "colon"),
    [(EXTENSION_B, "："), (COMPATIBILITY, "："), (HEXAGRAM, ":"), ("Method", ":")],
)
def test_a_restyled_section_name_of_han_gets_a_full_width_colon(name: str, colon: str) -> None:
    section = Section.model_construct(written_name=name, number=1)
    assert heading_text(section, "bold-colon", 3) == f"**{name}**{colon}"


def test_cjk_spacing_sees_an_extension_b_character_as_han() -> None:
    settings = Settings(
        Config.model_validate({"select": ["DL813"], "rules": {"DL813": {"mode": "always"}}})
    )
    findings = lint_text(f"他用{EXTENSION_B}LLM训练。\n", settings)
    assert [(f.line, f.column, f.end_column, f.message) for f in findings] == [
        (1, 3, 7, f"no space between `{EXTENSION_B}` and `LLM`; mode `always`"),
        (1, 4, 8, "no space between `LLM` and `训`; mode `always`"),
    ]


def test_the_language_detector_counts_every_ideographic_plane_as_han() -> None:
    counts = count_scripts(EXTENSION_G * 3 + " \U0002f800")
    assert (counts.han, counts.family()) == (4, "zh")


def test_an_aside_holding_any_han_character_is_not_a_gloss() -> None:
    """Asides free of CJK are English glosses and are dropped before identification;
    one that holds Han text, of whatever block, is prose and stays."""
    for han in (EXTENSION_B, COMPATIBILITY, "注意"):
        assert strip_glosses(f"用（{han}）方法") == f"用（{han}）方法"
    assert strip_glosses("内积（Inner Product）方法") == "内积 方法"
