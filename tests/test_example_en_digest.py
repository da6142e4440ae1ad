"""examples/en-digest: a digest format of its own (English, `## Paper: <title>`, three
unnumbered sections, `---` separators, extra JSON Schema constraints), end to end:
lint, fix and export through the command line, configured only by files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator
from langdetect import DetectorFactory, detect_langs

from digestlint import lint_text
from digestlint.api import meaningful_characters
from digestlint.cli import main
from digestlint.config import load_settings
from digestlint.parse import parse
from digestlint.registry import all_rules
from digestlint.report import report_schema

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "en-digest"
SAMPLE = EXAMPLE / "sample.md"
DATA = Path(__file__).parent / "data" / "en_digest"
CONFIG_FILES = (".digestlint.toml", "profile.toml", "constraints.schema.json")
# The rule families that check a digest's structure; other families (links,
# typography, language) may add findings of their own and are not counted here.
STRUCTURE_FAMILIES = {"header", "papers", "sections", "headings", "separators", "schema"}


def structure_codes() -> str:
    return ",".join(r.code for r in all_rules() if r.family in STRUCTURE_FAMILIES)


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """The example's config, profile and constraints, copied: reports put here use them."""
    for name in CONFIG_FILES:
        shutil.copy(EXAMPLE / name, tmp_path / name)
    return tmp_path


def findings_of(result) -> list[tuple[str, int]]:
    return [(f["code"], f["line"]) for f in json.loads(result.stdout)]


def check_json(path: Path, *extra: str) -> tuple[int, list[tuple[str, int]]]:
    result = invoke("check", str(path), "--format", "json", "--select", structure_codes(), *extra)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, findings_of(result)


def test_sample_is_clean_under_every_rule() -> None:
    settings = load_settings(EXAMPLE / ".digestlint.toml")
    assert settings.profile.name == "en-digest"
    assert settings.extra_schema is not None
    assert lint_text(SAMPLE.read_text(encoding="utf-8"), settings, str(SAMPLE)) == []
    result = invoke("check", str(SAMPLE))
    assert result.exit_code == 0, result.output


def test_sample_prose_is_english() -> None:
    """The profile says `language = "en"`; the language rule holds the prose to it."""
    settings = load_settings(EXAMPLE / ".digestlint.toml")
    assert settings.profile.language == "en"
    DetectorFactory.seed = 0
    document = parse(SAMPLE.read_text(encoding="utf-8"), settings.profile)
    for paper in document.papers:
        for section in paper.sections:
            best = detect_langs(section.prose)[0]
            assert best.lang == "en", (paper.title, section.name, best)


def test_export_gives_the_papers_and_sections() -> None:
    result = invoke("export", str(SAMPLE))
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["profile"] == "en-digest"
    assert data["header"] == {
        "title": {"value": "Weekly ML Reading Digest", "line": 1},
        "date": {"value": "2026-03-02", "line": 3},
        "curator": {"value": "The Tuesday reading group", "line": 5},
    }
    papers = data["papers"]
    assert [(p["title"], p["line"], p["arxiv_id"], p["read_source"]) for p in papers] == [
        ("Attention Is All You Need", 9, "1706.03762", "full text"),
        ("Deep Residual Learning for Image Recognition", 26, "1512.03385", "full text"),
        ("Denoising Diffusion Probabilistic Models", 44, "2006.11239", "abstract"),
    ]
    lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    for paper in papers:
        assert lines[paper["line"] - 1] == f"## Paper: {paper['title']}"
        assert [s["name"] for s in paper["sections"]] == ["TL;DR", "Method", "Results"]
        for section in paper["sections"]:
            assert section["number"] is None
            assert lines[section["line"] - 1] == f"### {section['name']}"
            body = "\n".join(lines[section["line"] : section["end_line"]])
            assert body == section["body"]
    settings = load_settings(EXAMPLE / ".digestlint.toml")
    for schema in (report_schema(settings.profile), settings.extra_schema):
        assert list(Draft202012Validator(schema).iter_errors(data)) == []


DEFECTS = [
    ("DL103", 2),  # Date 2026-02-30 is no date
    ("DL105", 3),  # header fields in one paragraph
    ("DL402", 7),  # paper heading at level 3
    ("DL203", 10),  # `Read: Full Text` is not an allowed value
    ("DL401", 12),  # stray H1 inside a paper
    ("DL403", 17),  # `**Method**:` instead of `### Method`
    ("DL402", 20),  # section heading at level 4 (under the alias `Findings`)
    ("DL501", 25),  # `---` right under text: a setext heading
    ("DL303", 35),  # TL;DR after Method
    ("DL601", 39),  # Results body shorter than constraints.schema.json allows
    ("DL202", 41),  # no arXiv link
    ("DL301", 41),  # Method missing
    ("DL301", 41),  # Results missing
    ("DL502", 41),  # no separator above the third paper
    ("DL302", 48),  # `### Limitations` is not a section of this profile
]
UNFIXABLE_AFTER_FIX = [
    ("DL103", 2),
    ("DL203", 11),
    ("DL303", 38),
    ("DL601", 42),
    ("DL202", 46),
    ("DL301", 46),
    ("DL301", 46),
    ("DL302", 53),
]


def test_defective_copy_gets_the_right_findings(workspace: Path) -> None:
    report = workspace / "defective.md"
    shutil.copy(DATA / "defective.md", report)
    exit_code, findings = check_json(report)
    assert exit_code == 1
    assert findings == DEFECTS


def test_fix_repairs_the_fixable_ones(workspace: Path) -> None:
    report = workspace / "defective.md"
    shutil.copy(DATA / "defective.md", report)
    before = report.read_text(encoding="utf-8")
    result = invoke("check", str(report), "--fix", "--select", structure_codes())
    assert result.exit_code == 1, result.output
    assert "(7 fixed, " in result.output
    after = report.read_text(encoding="utf-8")
    assert after == (DATA / "defective.fixed.md").read_text(encoding="utf-8")
    assert meaningful_characters(after) == meaningful_characters(before)
    _, findings = check_json(report)
    assert findings == UNFIXABLE_AFTER_FIX
    # A second run has nothing left to fix.
    invoke("check", str(report), "--fix", "--select", structure_codes())
    assert report.read_text(encoding="utf-8") == after


def test_export_refuses_the_defective_report_naming_json_paths(workspace: Path) -> None:
    report = workspace / "defective.md"
    shutil.copy(DATA / "defective.fixed.md", report)
    result = invoke("export", str(report))
    assert result.exit_code == 2
    assert result.stdout == ""
    for expected in (
        f"{report}:2: /header/date/value: `Date`: '2026-02-30' is not a valid date",
        f"{report}:11: /papers/0/read_source: `Read`: 'Full Text' is not allowed",
        f"{report}:46: /papers/2: `arXiv` is missing",
        f"{report}:42: /papers/1/sections/2/body: 'Better on ImageNet.' is too short "
        "(does not conform to constraints.schema.json)",
    ):
        assert expected in result.stderr


def test_too_many_papers_point_at_the_first_extra_one(workspace: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    first_paper = text[text.index("## Paper: Attention") : text.index("## Paper: Deep")]
    report = workspace / "long.md"
    report.write_text(text.rstrip("\n") + "\n\n---\n\n" + first_paper * 3, encoding="utf-8")
    lines = report.read_text(encoding="utf-8").split("\n")
    paper_lines = [n for n, line in enumerate(lines, 1) if line.startswith("## Paper:")]
    assert len(paper_lines) == 6
    _, findings = check_json(report)
    assert findings == [("DL601", paper_lines[5])]
    result = invoke("export", str(report))
    assert result.exit_code == 2
    assert f"{report}:{paper_lines[5]}: /papers: " in result.stderr
