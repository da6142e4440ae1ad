"""Rule families. Importing this package registers every rule."""

from digestlint import suppressions
from digestlint.rules import header, headings, language, papers, schema, sections, separators

__all__ = [
    "header",
    "headings",
    "language",
    "papers",
    "schema",
    "sections",
    "separators",
    "suppressions",
]
