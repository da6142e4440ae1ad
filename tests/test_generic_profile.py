"""The ``generic`` profile: any Markdown, no structure findings, format-agnostic rules only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from digestlint import lint_text
from digestlint.config import Config, Settings
from digestlint.findings import Finding
from digestlint.parse import parse
from digestlint.registry import RULES, RuleContext, all_rules, rule
from digestlint.report import extract, schema_errors

MARKDOWN = sorted((Path(__file__).parent / "data" / "generic").glob("*.md"))
GENERIC = Config.model_validate({"profile": "generic"})


def structural_codes() -> set[str]:
    return {r.code for r in all_rules() if r.structural}


@pytest.fixture
def throwaway_rules() -> Iterator[None]:
    """Two rules that report every link: one format-agnostic, one structural."""

    def every_link(context: RuleContext) -> Iterator[Finding]:
        for link in context.document.links:
            yield context.finding(link.start, link.end, f"link to {link.url}")

    rule("DL990", "test-any-link", structural=False)(every_link)
    rule("DL991", "test-structural-link", structural=True)(every_link)
    try:
        yield
    finally:
        RULES.pop("DL990")
        RULES.pop("DL991")


def test_there_are_varied_files() -> None:
    assert len(MARKDOWN) >= 3


@pytest.mark.parametrize("path", MARKDOWN, ids=lambda p: p.name)
def test_no_structure_findings_on_arbitrary_markdown(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    findings = lint_text(text, Settings(GENERIC), str(path))
    assert {f.code for f in findings} & structural_codes() == set()
    # Every rule that does run is a format-agnostic one.
    codes = {r.code: r for r in all_rules()}
    assert all(not codes[f.code].structural for f in findings)


@pytest.mark.parametrize("path", MARKDOWN, ids=lambda p: p.name)
def test_the_same_files_break_the_default_profile(path: Path) -> None:
    """The files are not trivially clean: under the default profile they do get
    structure findings, so the generic test above could fail."""
    text = path.read_text(encoding="utf-8")
    findings = lint_text(text, Settings(), str(path))
    assert {f.code for f in findings} & structural_codes()


@pytest.mark.parametrize("path", MARKDOWN, ids=lambda p: p.name)
def test_generic_documents_have_no_papers_or_separators(path: Path) -> None:
    settings = Settings(GENERIC)
    document = parse(path.read_text(encoding="utf-8"), settings.profile)
    assert document.papers == []
    assert document.separators == []
    assert document.headings  # the shared model is still built: rules can use it
    data = extract(document, settings.profile).data
    assert data["papers"] == []
    assert schema_errors(data, settings.profile) == ([], [])


def test_format_agnostic_rules_run_and_structural_ones_do_not(throwaway_rules: None) -> None:
    text = (MARKDOWN[0].parent / "readme.md").read_text(encoding="utf-8")
    generic = lint_text(text, Settings(GENERIC))
    assert {f.code for f in generic} >= {"DL990"}
    assert "DL991" not in {f.code for f in generic}
    urls = [f.message for f in generic if f.code == "DL990"]
    assert "link to https://opensource.org/licenses/MIT" in urls
    # Under a profile with structure both run: the profile, not the rule, decides.
    default = {f.code for f in lint_text(text, Settings())}
    assert {"DL990", "DL991"} <= default
