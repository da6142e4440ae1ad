"""Rule families. Importing this package registers every rule."""

from digestlint.rules import header, headings, links, papers, schema, sections, separators

__all__ = ["header", "headings", "links", "papers", "schema", "sections", "separators"]
