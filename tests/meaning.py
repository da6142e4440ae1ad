"""What a fix must keep, judged apart from the fix engine's own meaning check
(``digestlint.api.meaningful_characters``): a test that used the engine's regex to judge
the engine would pass with the engine's mistakes."""

from __future__ import annotations

import re

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_WORD_CHARACTER = re.compile(r"[A-Za-z\u3400-\u9fff]")
_DIGIT = re.compile(r"[0-9]")


def words(text: str) -> str:
    """Han characters and ASCII letters outside HTML comments, in order (unused
    suppression comments may be removed; numbers may be renumbered)."""
    return "".join(_WORD_CHARACTER.findall(_COMMENT.sub("", text)))


def digits(text: str) -> str:
    """ASCII digits outside HTML comments, in order: for fixes that renumber nothing."""
    return "".join(_DIGIT.findall(_COMMENT.sub("", text)))
