"""Han characters, defined once for every module that tells Chinese from the rest."""

from __future__ import annotations

import re

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
"""Han ideographs, as the body of a regex character class: CJK Unified Ideographs
(and Extension A) and the Compatibility Ideographs."""

HAN_CHAR = re.compile(f"[{HAN}]")
