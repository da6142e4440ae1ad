"""Rule families. Importing this package registers every rule."""

from digestlint.rules import (
    header,
    headings,
    metrics,
    papers,
    schema,
    sections,
    separators,
    typography,
)

__all__ = [
    "header",
    "headings",
    "metrics",
    "papers",
    "schema",
    "sections",
    "separators",
    "typography",
]
