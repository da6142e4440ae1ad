"""Rule families. Importing this package registers every rule."""

from digestlint import archive, suppressions
from digestlint.rules import (
    filler,
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
    source,
    typography,
)

__all__ = [
    "archive",
    "filler",
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
    "source",
    "suppressions",
    "typography",
]
