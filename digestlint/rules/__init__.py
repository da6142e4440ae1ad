"""Rule families. Importing this package registers every rule."""

from digestlint import suppressions
from digestlint.rules import (
    header,
    headings,
    io_errors,
    labels,
    language,
    leftovers,
    links,
    links_online,
    metrics,
    paper_links,
    papers,
    schema,
    sections,
    separators,
    typography,
)

__all__ = [
    "header",
    "headings",
    "io_errors",
    "labels",
    "language",
    "leftovers",
    "links",
    "links_online",
    "metrics",
    "paper_links",
    "papers",
    "schema",
    "sections",
    "separators",
    "suppressions",
    "typography",
]
