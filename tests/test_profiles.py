"""Custom profiles as data: the parser honours every key, and bad files are named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from digestlint import lint_text as lint_all
from digestlint.cli import main
from digestlint.config import Config, ConfigError, Settings, load_settings
from digestlint.parse import parse
from digestlint.profile import Profile
from digestlint.registry import all_rules

# The rule families that check structure; other families (links, typography,
# language) may report on these short texts too and are not what is tested here.
STRUCTURE_FAMILIES = {"header", "papers", "sections", "headings", "separators", "schema"}


def lint_text(text: str, settings: Settings) -> list:
    """Findings of the structure rules only."""
    codes = {r.code for r in all_rules() if r.family in STRUCTURE_FAMILIES}
    return [f for f in lint_all(text, settings) if f.code in codes]


# An English digest: headings matched by a regex, unnumbered sections with aliases,
# no separator, and a heading at the paper level that is not a paper.
ENGLISH = {
    "name": "english",
    "title": "Reading List",
    "header_fields": [{"key": "week", "label": "Week", "pattern": r"\d{4}-W\d{2}"}],
    "paper_heading": {"level": 2, "marker": "", "pattern": r"^Paper:\s*(?P<title>\S.*)$"},
    "paper_fields": [
        {"key": "link", "label": "Link"},
        {"key": "status", "label": "Status", "allowed": ["read", "skimmed"]},
    ],
    "link_field": "link",
    "link_pattern": r"https://arxiv\.org/abs/(?P<id>[\d.]+)",
    "sections": [
        {"name": "TL;DR", "aliases": ["TLDR"]},
        {"name": "Method"},
        {"name": "Results", "aliases": ["Findings"]},
    ],
    "section_numbering": False,
    "separator": "",
    "language": "en",
}

ENGLISH_REPORT = """# Reading List

**Week**: 2026-W10

## Paper: First Paper

- **Link**: https://arxiv.org/abs/2601.00001
- **Status**: read

### TL;DR
A short summary of the first paper.

### Method
How the first paper works.

### Findings
What the first paper found.

## Paper: Second `Paper`

- **Link**: https://arxiv.org/abs/2601.00002
- **Status**: skimmed

### TLDR
A short summary of the second paper.

### Method
How the second paper works.

### Results
What the second paper found.

## Notes

Some closing words that belong to no paper.
"""


def english_settings(**overrides: object) -> Settings:
    return Settings(Config.model_validate({"profile": {**ENGLISH, **overrides}}))


def test_regex_paper_headings_unnumbered_sections_and_aliases() -> None:
    settings = english_settings()
    document = parse(ENGLISH_REPORT, settings.profile)
    assert [p.title for p in document.papers] == ["First Paper", "Second Paper"]
    assert [p.line for p in document.papers] == [5, 19]
    assert document.header.field("Week").value == "2026-W10"
    first, second = document.papers
    assert [(s.name, s.written_name, s.number, s.line) for s in first.sections] == [
        ("TL;DR", "TL;DR", None, 10),
        ("Method", "Method", None, 13),
        ("Results", "Findings", None, 16),
    ]
    assert [s.name for s in second.sections] == ["TL;DR", "Method", "Results"]
    # `## Notes` matches no pattern: it ends the last paper instead of starting one.
    assert second.end_line == 32
    assert second.sections[-1].body == "What the second paper found."
    assert document.separators == []
    assert [f.code for f in lint_text(ENGLISH_REPORT, settings)] == []


def test_unnumbered_profile_does_not_ask_for_numbers_or_separators() -> None:
    text = ENGLISH_REPORT.replace("### Method\nHow the first", "### 7. Method\nHow the first")
    document = parse(text, english_settings().profile)
    assert document.papers[0].sections[1].number == 7
    codes = [f.code for f in lint_text(text, english_settings())]
    assert "DL304" not in codes
    assert "DL502" not in codes


def test_profile_checks_fields_and_sections_by_its_own_names() -> None:
    text = ENGLISH_REPORT.replace("**Status**: read", "**Status**: unread").replace(
        "### Findings\nWhat the first paper found.\n", "### Discussion\nSome discussion.\n"
    )
    found = lint_text(text, english_settings())
    findings = [(f.code, f.line) for f in found]
    assert ("DL203", 8) in findings
    assert ("DL302", 16) in findings
    # `Discussion` is where `Results` goes, the one section missing: one finding, by
    # section-unknown naming the section it stands for, not section-missing as well.
    assert ("DL301", 5) not in findings
    assert "in the place of `Results`" in next(f.message for f in found if f.code == "DL302")
    without = text.replace("### Discussion\nSome discussion.\n", "")
    assert ("DL301", 5) in [(f.code, f.line) for f in lint_text(without, english_settings())]
    renamed = ENGLISH_REPORT.replace("# Reading List", "# Reading Log").replace("W10", "10")
    findings = [(f.code, f.line) for f in lint_text(renamed, english_settings())]
    assert findings == [("DL101", 1), ("DL103", 3)]


def test_pattern_without_title_group_keeps_the_heading_text() -> None:
    settings = english_settings(paper_heading={"level": 2, "pattern": r"^Paper:"})
    assert parse(ENGLISH_REPORT, settings.profile).papers[0].title == "Paper: First Paper"


def test_empty_marker_makes_every_heading_at_the_level_a_paper() -> None:
    settings = english_settings(paper_heading={"level": 2, "marker": ""})
    assert settings.profile.paper_heading.marker is None
    titles = [p.title for p in parse(ENGLISH_REPORT, settings.profile).papers]
    assert titles == ["Paper: First Paper", "Paper: Second Paper", "Notes"]


def test_thematic_break_separator() -> None:
    settings = english_settings(separator="-")
    text = ENGLISH_REPORT.replace("## Paper: Second", "---\n\n## Paper: Second")
    document = parse(text, settings.profile)
    assert [(s.line, s.text) for s in document.separators] == [(19, "---")]
    assert document.papers[0].end_line == 18
    codes = [f.code for f in lint_text(text, settings)]
    assert codes == []
    # Without a separator between the papers, DL502 asks for one.
    assert [f.line for f in lint_text(ENGLISH_REPORT, settings) if f.code == "DL502"] == [19]


def test_setext_underline_separator_is_reported() -> None:
    settings = english_settings(separator="-")
    text = ENGLISH_REPORT.replace(
        "What the first paper found.\n\n", "What the first paper found.\n---\n\n"
    )
    document = parse(text, settings.profile)
    assert [(s.line, s.setext_of) for s in document.separators] == [(18, 17)]
    assert [(f.code, f.line) for f in lint_text(text, settings)] == [("DL501", 18)]


def test_json_profile_file(tmp_path: Path) -> None:
    (tmp_path / "english.json").write_text(json.dumps(ENGLISH), encoding="utf-8")
    (tmp_path / ".digestlint.toml").write_text('profile = "english.json"\n', encoding="utf-8")
    settings = load_settings(tmp_path / ".digestlint.toml")
    assert settings.profile.name == "english"
    assert [p.title for p in parse(ENGLISH_REPORT, settings.profile).papers] == [
        "First Paper",
        "Second Paper",
    ]


def test_profile_file_name_defaults_to_the_file_stem(tmp_path: Path) -> None:
    data = {k: v for k, v in ENGLISH.items() if k != "name"}
    (tmp_path / "weekly.json").write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / ".digestlint.toml").write_text('profile = "weekly.json"\n', encoding="utf-8")
    assert load_settings(tmp_path / ".digestlint.toml").profile.name == "weekly"


def test_inline_profile_table_in_pyproject_through_the_cli(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        """[tool.digestlint.profile]
title = "Reading List"
paper_heading = { level = 2, marker = "", pattern = '^Paper:\\s*(?P<title>\\S.*)$' }
section_numbering = false
separator = ""
language = "en"

[[tool.digestlint.profile.sections]]
name = "TL;DR"
aliases = ["TLDR"]

[[tool.digestlint.profile.sections]]
name = "Method"

[[tool.digestlint.profile.sections]]
name = "Results"
aliases = ["Findings"]
""",
        encoding="utf-8",
    )
    report = tmp_path / "list.md"
    report.write_text(ENGLISH_REPORT, encoding="utf-8")
    result = CliRunner().invoke(main, ["export", str(report)])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["profile"] == "inline"
    assert [p["title"] for p in data["papers"]] == ["First Paper", "Second Paper"]
    assert CliRunner().invoke(main, ["check", str(report)]).exit_code == 0


# -- bad profile and schema files: exit 2 with the file and the problem named ---------------

BAD_FILES = {
    "invalid TOML": (
        {"profile.toml": 'name = "x"\nsections = [\n'},
        'profile = "profile.toml"',
        ["profile.toml: invalid TOML"],
    ),
    "unknown key": (
        {"profile.toml": '[[sections]]\nname = "TL;DR"\nalias = ["TLDR"]\n'},
        'profile = "profile.toml"',
        ["profile.toml: sections.0.alias: unknown key"],
    ),
    "bad regex": (
        {"profile.toml": "[paper_heading]\npattern = '^Paper:(('\n"},
        'profile = "profile.toml"',
        ["profile.toml: paper_heading.pattern:", "invalid regular expression '^Paper:(('"],
    ),
    "bad value": (
        {"profile.toml": "section_level = 9\n"},
        'profile = "profile.toml"',
        ["profile.toml: section_level: Input should be less than or equal to 6"],
    ),
    "fence as separator": (
        {"profile.toml": 'separator = "~"\n'},
        'profile = "profile.toml"',
        ["profile.toml: separator: Input should be '=', '+', '-', '*' or '_'"],
    ),
    "invalid JSON profile": (
        {"profile.json": '{"name": "x",}'},
        'profile = "profile.json"',
        ["profile.json: invalid JSON"],
    ),
    "missing profile file": (
        {},
        'profile = "nowhere.toml"',
        [".digestlint.toml: profile: 'nowhere.toml' is neither a built-in profile"],
    ),
    "bad inline profile": (
        {},
        "[profile]\nsection_numbering = 'maybe'",
        [
            ".digestlint.toml: profile.section_numbering: Value error, expected true, false,"
            " 'arabic', 'chinese' or 'any'"
        ],
    ),
    "invalid JSON Schema": (
        {"extra.schema.json": '{"properties": {"papers": {"maxItems": "five"}}}'},
        'schema = "extra.schema.json"',
        ["extra.schema.json: invalid JSON Schema at properties/papers/maxItems:"],
    ),
    "schema not JSON": (
        {"extra.schema.json": "maxItems: 5\n"},
        'schema = "extra.schema.json"',
        ["extra.schema.json: not a readable JSON Schema"],
    ),
    "missing schema file": (
        {},
        'schema = "extra.schema.json"',
        [".digestlint.toml: schema:", "extra.schema.json does not exist"],
    ),
}


@pytest.mark.parametrize("command", ["check", "export"])
@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_profile_or_schema_file_is_exit_2_naming_file_and_problem(
    tmp_path: Path, case: str, command: str
) -> None:
    files, config, expected = BAD_FILES[case]
    for name, content in files.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    (tmp_path / ".digestlint.toml").write_text(config + "\n", encoding="utf-8")
    report = tmp_path / "report.md"
    report.write_text(ENGLISH_REPORT, encoding="utf-8")
    result = CliRunner().invoke(main, [command, str(report)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: {tmp_path}/")
    for part in expected:
        assert part in result.stderr


def test_bad_regex_in_the_model_is_a_validation_error() -> None:
    with pytest.raises(ValueError, match="invalid regular expression"):
        Profile.model_validate({"link_pattern": "(?P<id"})
    with pytest.raises(ConfigError, match=r"profile\.header_fields\.0\.pattern"):
        Settings(
            Config.model_validate(
                {"profile": {"header_fields": [{"key": "d", "label": "D", "pattern": "["}]}}
            )
        )


@pytest.mark.parametrize(
    ("profile", "where", "problem"),
    [
        # A paper field under `title` would replace the paper's title in the export.
        (
            {"paper_fields": [{"key": "title", "label": "标题"}]},
            "profile.paper_fields",
            "key `title` is the extracted report's own",
        ),
        (
            {"paper_fields": [{"key": "sections", "label": "Sections"}]},
            "profile.paper_fields",
            "key `sections` is the extracted report's own",
        ),
        (
            {"header_fields": [{"key": "title", "label": "Title"}]},
            "profile.header_fields",
            "key `title` is the extracted report's own",
        ),
        (
            {"header_fields": [{"key": "d", "label": "Date"}, {"key": "d", "label": "Day"}]},
            "profile.header_fields",
            "key `d` names two fields",
        ),
        (
            {"paper_fields": [{"key": "l", "label": "Link"}, {"key": "l", "label": "URL"}]},
            "profile.paper_fields",
            "key `l` names two fields",
        ),
    ],
)
def test_a_field_key_names_one_field_of_the_extracted_report(
    profile: dict, where: str, problem: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        Settings(Config.model_validate({"profile": profile}))
    assert f"<defaults>: {where}: " in str(raised.value)
    assert problem in str(raised.value)


# A header field and a paper field may share a key: they sit apart in the extracted
# report, as `header.link` and `papers[].link`.
SHARED_KEY = {
    "title": "Reading List",
    "header_fields": [{"key": "link", "label": "Feed", "pattern": r"https://feed\.example/\S+"}],
    "paper_heading": {"level": 2, "marker": ""},
    "paper_fields": [{"key": "link", "label": "Link", "pattern": r"https://arxiv\.org/\S+"}],
    "separator": "",
}

SHARED_KEY_REPORT = """# Reading List

**Feed**: http://feed.example/rss

## First Paper

- **Link**: https://arxiv.org/abs/2601.00001
"""


def test_a_header_field_is_named_by_its_own_label_when_a_paper_field_shares_its_key() -> None:
    settings = Settings(Config.model_validate({"profile": SHARED_KEY}))
    findings = [(f.line, f.code, f.message) for f in lint_text(SHARED_KEY_REPORT, settings)]
    assert findings == [
        (
            3,
            "DL103",
            "`Feed`: 'http://feed.example/rss' does not have the form the profile requires",
        )
    ]


def test_export_names_a_header_field_by_its_own_label(tmp_path: Path) -> None:
    (tmp_path / ".digestlint.toml").write_text(
        """
[profile]
title = "Reading List"
separator = ""
paper_heading = { level = 2, marker = "" }
header_fields = [{ key = "link", label = "Feed", pattern = 'https://feed\\.example/\\S+' }]
paper_fields = [{ key = "link", label = "Link", pattern = 'https://arxiv\\.org/\\S+' }]
""",
        encoding="utf-8",
    )
    report = tmp_path / "report.md"
    report.write_text(SHARED_KEY_REPORT, encoding="utf-8")
    result = CliRunner().invoke(main, ["export", str(report)])
    assert result.exit_code == 2
    assert (
        f"{report}:3: /header/link/value: `Feed`: 'http://feed.example/rss' does not have "
        "the form the profile requires (does not conform to report schema)"
    ) in result.stderr
