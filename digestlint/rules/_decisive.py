"""A decisive majority: what a report's own style is, when it has one.

Rules that follow "what most of the file does" report only against a decisive
majority: at least ``min_share`` (inclusive) of at least ``min_count`` occurrences. A
55/45 split, or 3 of 4, is no house style, and then nothing is reported.
"""

from __future__ import annotations

from collections import Counter
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")

DEFAULT_SHARE = 0.8
DEFAULT_COUNT = 5


class MajorityOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_share: float = Field(
        default=DEFAULT_SHARE,
        gt=0.5,
        le=1.0,
        description="Share of the occurrences (inclusive) the most common way must have to "
        "be the report's style; below it nothing is reported.",
    )
    min_count: int = Field(
        default=DEFAULT_COUNT,
        ge=2,
        description="Occurrences needed before a majority says anything.",
    )


def decisive_majority(counts: Counter[T], min_share: float, min_count: int) -> T | None:
    """The value holding at least ``min_share`` of at least ``min_count`` occurrences."""
    total = sum(counts.values())
    if total < min_count or not counts:
        return None
    value, count = counts.most_common(1)[0]
    # A share of 0.8 of 35 is 28.000000000000004 in floating point: compare with a margin.
    return value if count >= min_share * total - 1e-9 else None
