"""Han characters, defined once for every module that tells Chinese from the rest."""

from __future__ import annotations

import re

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
"""Han ideographs, as the body of a regex character class: CJK Unified Ideographs (and
Extension A), the Compatibility Ideographs, and the Supplementary and Tertiary
Ideographic Planes (Extension B on, ``𠮷``), which hold nothing else. Not the Yijing
hexagram symbols between Extension A and the unified block (U+4DC0-4DFF), nor
radicals and strokes."""

HAN_CHAR = re.compile(f"[{HAN}]")
