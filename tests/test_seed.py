"""The reference report: its real defects are found on their lines and fixed safely."""

from __future__ import annotations

import re

from meaning import digits, words

from digestlint import fix_text, lint_text
from digestlint.parse import parse
from digestlint.profile import HF_DAILY_PAPERS_ZH

STRUCTURE = re.compile(r"DL[1-6]\d\d")
STRAY_H1_LINES = [12, 123, 258, 398, 439]
MINORITY_STYLE_PAPERS = [1, 4, 5, 6, 9, 10]


def structure_findings(text: str) -> list:
    return [f for f in lint_text(text) if STRUCTURE.fullmatch(f.code)]


def section_heading_lines(text: str, papers: list[int]) -> list[int]:
    """Heading lines of every section of the given (1-based) papers, from the source itself."""
    lines = text.split("\n")
    starts = [n for n, line in enumerate(lines, 1) if line.startswith("## 📄")]
    ends = [*starts[1:], len(lines) + 1]
    heading = re.compile(
        r"^(### \**\d\. |\d\. \*\*)(应用领域|一句话核心贡献|使用指南|主要创新点|实验效果)"
    )
    found = []
    for number in papers:
        start, end = starts[number - 1], ends[number - 1]
        found += [n for n in range(start, end) if heading.match(lines[n - 1])]
    return found


def test_seed_parses_into_13_papers_of_5_sections(seed_text: str) -> None:
    document = parse(seed_text, HF_DAILY_PAPERS_ZH)
    assert len(document.papers) == 13
    for paper in document.papers:
        assert [s.name for s in paper.sections] == [s.name for s in HF_DAILY_PAPERS_ZH.sections]
        assert [s.number for s in paper.sections] == [1, 2, 3, 4, 5]
        assert all(s.body.strip() for s in paper.sections)


def test_seed_structure_findings_are_exactly_its_defects(seed_text: str) -> None:
    findings = structure_findings(seed_text)
    by_code: dict[str, list[int]] = {}
    for finding in findings:
        by_code.setdefault(finding.code, []).append(finding.line)
    minority = section_heading_lines(seed_text, MINORITY_STYLE_PAPERS)
    assert len(minority) == 30
    assert by_code == {
        "DL105": [3],  # Date and Source URL render as one line
        "DL401": STRAY_H1_LINES,
        "DL403": minority,
    }


def test_no_majority_style_heading_gets_a_style_finding(seed_text: str) -> None:
    majority = section_heading_lines(seed_text, [2, 3, 7, 8, 11, 12, 13])
    style_lines = {f.line for f in lint_text(seed_text) if f.code == "DL403"}
    assert len(majority) == 35
    assert not style_lines & set(majority)


def test_fixing_the_seed(seed_text: str) -> None:
    fixed = fix_text(seed_text).text
    assert fixed != seed_text
    # Nothing in the seed is renumbered: every letter, Han character and digit stays.
    assert words(fixed) == words(seed_text)
    assert digits(fixed) == digits(seed_text)
    assert not [f for f in lint_text(fixed) if f.fixable]
    assert structure_findings(fixed) == []
    styles = {s.style for p in parse(fixed, HF_DAILY_PAPERS_ZH).papers for s in p.sections}
    assert styles == {"atx"}
    assert fix_text(fixed).text == fixed


def test_fixing_the_seed_keeps_every_paper_and_section(seed_text: str) -> None:
    before = parse(seed_text, HF_DAILY_PAPERS_ZH)
    after = parse(fix_text(seed_text).text, HF_DAILY_PAPERS_ZH)
    assert [p.title for p in after.papers] == [p.title for p in before.papers]
    for old, new in zip(before.papers, after.papers, strict=True):
        assert [s.name for s in new.sections] == [s.name for s in old.sections]
        # Each section keeps its own words: nothing moved across a section boundary.
        assert [words(s.prose) + digits(s.prose) for s in new.sections] == [
            words(s.prose) + digits(s.prose) for s in old.sections
        ]
