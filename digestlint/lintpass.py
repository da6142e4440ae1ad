"""One lint pass: a text, its settings and parse, and what rules derive from them.

A :class:`LintPass` is made by :func:`digestlint.api.lint_text` for each text it lints
(the fixer makes one per fix pass). Every rule of the pass reads it through its
:class:`~digestlint.registry.RuleContext`. Data that several rules need (prose views,
the report's template lines, the schema validation, the checked links) is a cached
property here: computed on first use, once per pass, by the module that owns it.

A pass does no I/O of its own: the online rules run only when the caller hands it a
link checker (``links``), which makes the requests, keeps its cache and draws its
progress bar, or a fetcher of the source's day lists (``day_lists``, ``--check-source``).
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from digestlint.parse import parse
from digestlint.source import ByStart, SourceText, Spans

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

    from digestlint.config import Settings
    from digestlint.fields import Field
    from digestlint.labels import Line
    from digestlint.linkcheck import LinkChecker
    from digestlint.model import Document, Link
    from digestlint.parse.tokens import TokenIndex
    from digestlint.profile import Profile
    from digestlint.registry import Rule, RuleContext
    from digestlint.report import ExtractedReport
    from digestlint.rules._prose import ProseView
    from digestlint.rules.links_online import CheckedLinks
    from digestlint.rules.paper_links import PaperLink
    from digestlint.sourcecheck import DayList, DayLists


class LintPass:
    """The text being linted under ``settings``, parsed once, and its derived data."""

    def __init__(
        self,
        text: str,
        settings: Settings,
        path: str = "-",
        *,
        links: LinkChecker | None = None,
        day_lists: DayLists | None = None,
    ) -> None:
        self.settings = settings
        self.path = path
        """The path findings name (``-`` for text without one)."""
        self.links = links
        """The caller's link checker; ``None``: links are not requested."""
        self.day_lists = day_lists
        """The caller's fetcher of the source's day lists (``--check-source``); ``None``:
        the report is not checked against its source."""
        self.source = SourceText(text)
        self.document: Document = parse(text, settings.profile, self.source)

    @property
    def profile(self) -> Profile:
        return self.settings.profile

    @property
    def online(self) -> bool:
        """Whether the online rules run in this pass: a link checker or a day-list
        fetcher was given (each online rule reads the one it needs)."""
        return self.links is not None or self.day_lists is not None

    def context_for(self, rule: Rule) -> RuleContext:
        """The context ``rule`` runs in during this pass."""
        from digestlint.registry import RuleContext

        return RuleContext.for_rule(rule, self)

    @cached_property
    def token_index(self) -> TokenIndex:
        """The document's block tokens by the line they start on
        (:class:`digestlint.parse.tokens.TokenIndex`)."""
        from digestlint.parse.tokens import TokenIndex

        return TokenIndex(self.document.tokens)

    @cached_property
    def links_by_start(self) -> ByStart[Link]:
        """The document's links, to take those that start inside a range."""
        return ByStart(self.document.links, lambda link: link.start)

    @cached_property
    def prose_views(self) -> list[ProseView]:
        """The text of every inline block as a reader reads it, mapped to source offsets
        (:mod:`digestlint.rules._prose`)."""
        from digestlint.rules._prose import prose_views

        return prose_views(self.document)

    @cached_property
    def template_lines(self) -> frozenset[int]:
        """The 1-based lines of the report's template (repeated lines, title, header,
        front matter), which majority rules neither count nor report
        (:mod:`digestlint.rules._majority`)."""
        from digestlint.rules._majority import template_lines

        return template_lines(self)

    @cached_property
    def repeated_field_labels(self) -> list[tuple[int, int]]:
        """Source spans of the bold labels that start two or more lines: template too
        (:func:`digestlint.rules._majority.field_labels`)."""
        from digestlint.rules._majority import field_labels

        return field_labels(self.source.text)

    @cached_property
    def repeated_field_label_spans(self) -> Spans:
        """:attr:`repeated_field_labels`, to ask whether one holds an offset."""
        return Spans(self.repeated_field_labels)

    @cached_property
    def text_lines(self) -> list[Line]:
        """The lines of the report's headings and paragraphs with their inline children,
        which the label rules read (:func:`digestlint.labels.text_lines`)."""
        from digestlint.labels import text_lines

        return text_lines(self.document, self.source)

    @cached_property
    def fields(self) -> list[Field]:
        """Every labelled field (a heading or a bold label, and the content under it)
        with the paper block it is in (:mod:`digestlint.fields`)."""
        from digestlint.fields import find_fields

        return find_fields(self)

    @cached_property
    def paper_links(self) -> list[PaperLink]:
        """Each paper's link field: its URL, where it is written and the arXiv id it
        names (:mod:`digestlint.rules.paper_links`)."""
        from digestlint.rules.paper_links import find_paper_links

        return find_paper_links(self)

    @cached_property
    def extracted_report(self) -> ExtractedReport:
        """The report's data as ``digestlint export`` gives it, with source spans."""
        from digestlint.report import extract

        return extract(self.document, self.profile, self.path)

    @cached_property
    def extra_schema_errors(self) -> list[ValidationError]:
        """The extracted report validated once against the config's own ``schema`` file
        (none without one): the profile's constraints are checked on the model by
        their rules."""
        extra = self.settings.extra_schema
        if extra is None:
            return []
        from digestlint.report import validator_for

        return list(validator_for(extra).iter_errors(self.extracted_report.data))

    @cached_property
    def day_list(self) -> DayList | None:
        """The source's list of the report's day (:mod:`digestlint.sourcecheck`), fetched
        once per pass by ``day_lists``; ``None`` offline, or when it could not be had."""
        from digestlint.rules.source import day_list_of

        return day_list_of(self)

    @cached_property
    def checked_links(self) -> CheckedLinks:
        """Every web link of the document checked once, in one batch, by ``links``
        (:mod:`digestlint.rules.links_online`)."""
        from digestlint.rules.links_online import check_links

        return check_links(self)
