"""Numbering in front of a label or section name: ``1.``, ``1、``, ``(1)``, ``一、``, ``（二）``, ``第三、``.

Reports number their sections and labels in Arabic digits or in Chinese numerals; both are
numbering, and a fix may have to write one as the other. This module reads a leading
number in either system and writes one; :func:`is_numeral` is what the meaning check
allows a renumbering edit to change, and nothing more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

NumberingSystem = Literal["arabic", "chinese"]

_DIGITS = "〇一二三四五六七八九"
_CHINESE_NUMERAL = "[一二三四五六七八九十]{1,3}"

# A number at the start of a name. A closing ``.`` must not be followed by a digit
# (``1.5 倍`` is a number, not numbering); ``第三`` needs a separator after it, else it is
# a word (``第三方``).
_LEADING = re.compile(
    r"(?P<open>[(（])?"
    r"(?:(?P<arabic>\d{1,3})|(?P<ordinal>第)?(?P<chinese>" + _CHINESE_NUMERAL + "))"
    r"(?P<close>[.．、)）,，]|(?=\s))"
)


@dataclass(frozen=True)
class Numbering:
    """A number written in front of a name."""

    value: int
    system: NumberingSystem
    shape: str
    """The numbering with its numeral replaced by ``#`` and spaces left out, e.g. ``#.``,
    ``#、``, ``（#）``, ``第#、``: how it is written, whatever the number."""
    start: int
    """Offset of the numbering in the text read (after leading spaces)."""
    end: int
    """Offset just past the numbering and the spaces after it."""
    numeral_start: int
    numeral_end: int
    """The numeral itself (digits, or Chinese numerals without ``第``)."""

    def written(self, value: int | None = None) -> str:
        """This numbering's shape with ``value`` (default: its own) in its system."""
        number = self.value if value is None else value
        return write(self.shape, number, self.system)


def leading_numbering(text: str) -> Numbering | None:
    """The numbering ``text`` starts with (after spaces), or ``None``."""
    at = len(text) - len(text.lstrip())
    match = _LEADING.match(text, at)
    if match is None:
        return None
    opening, closing = match.group("open"), match.group("close")
    if opening and closing not in (")", "）"):
        return None
    if not opening and closing in (",", "，") and not match.group("ordinal"):
        return None  # ``1，`` and ``一，`` start a sentence, ``第一，`` numbers one
    if match.group("ordinal") and closing in (")", "）"):
        return None
    if not closing and not match.group("ordinal"):
        return None  # ``1 研究动机`` is a number, not numbering; ``第一 研究动机`` numbers
    end = match.end()
    if closing in (".", "．") and text[end : end + 1].isdigit():
        return None
    if match.group("arabic"):
        value, system = int(match.group("arabic")), "arabic"
        numeral = match.span("arabic")
    else:
        parsed = chinese_value(match.group("chinese"))
        if parsed is None:
            return None
        value, system = parsed, "chinese"
        numeral = match.span("chinese")
    shape = text[match.start() : numeral[0]] + "#" + text[numeral[1] : end]
    rest = text[end:]
    return Numbering(
        value=value,
        system=system,
        shape=shape,
        start=match.start(),
        end=end + len(rest) - len(rest.lstrip()),
        numeral_start=numeral[0],
        numeral_end=numeral[1],
    )


def chinese_value(numeral: str) -> int | None:
    """``"十二"`` -> 12; ``None`` for what is not a Chinese numeral from 1 to 99."""
    if "十" not in numeral:
        return _DIGITS.index(numeral) if len(numeral) == 1 and numeral in _DIGITS[1:] else None
    tens, _, ones = numeral.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones or "〇" in tens + ones:
        return None
    value = (_DIGITS.index(tens) if tens else 1) * 10 + (_DIGITS.index(ones) if ones else 0)
    return value if value < 100 else None


def chinese_numeral(value: int) -> str:
    """12 -> ``"十二"``, for 1 to 99."""
    if not 1 <= value <= 99:
        raise ValueError(f"no Chinese numbering for {value}")
    tens, ones = divmod(value, 10)
    if tens == 0:
        return _DIGITS[ones]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def write(shape: str, value: int, system: NumberingSystem) -> str:
    """``shape`` (``#.``, ``（#）``...) with ``value`` written in ``system``."""
    return shape.replace("#", str(value) if system == "arabic" else chinese_numeral(value), 1)


def default_shape(system: NumberingSystem) -> str:
    """How a number is written when none is there to follow: ``1. `` or ``一、``."""
    return "#. " if system == "arabic" else "#、"


def is_numeral(text: str) -> bool:
    """Whether ``text`` is one number: digits, or a Chinese numeral from 一 to 九十九 with
    an optional ``第``. The only words a renumbering edit may write or remove."""
    if text.isascii() and text.isdigit():
        return True
    return chinese_value(text.removeprefix("第")) is not None
