"""`digestlint export`: the parsed report as JSON, checked against the report schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from digestlint import lint_text
from digestlint.cli import main
from digestlint.config import Settings
from digestlint.export import export_text
from digestlint.profile import HF_DAILY_PAPERS_ZH

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "hf-daily-papers-2026-02-20.md"
REPORT_SCHEMA = ROOT / "schemas" / "report.schema.json"
SECTION_NAMES = [spec.name for spec in HF_DAILY_PAPERS_ZH.sections]

MINIMAL = """# Hugging Face Daily Papers Report

**Date**: 2026-02-20

**Source URL**: https://huggingface.co/papers/date/2026-02-20

============================================================

## 📄 A Paper

- **链接**: https://huggingface.co/papers/2602.00001
- **阅读来源**: HTML

### 1. 应用领域
自然语言处理。

### 2. 一句话核心贡献
提出了一种新方法。

### 3. 使用指南
输入文本，输出摘要。

### 4. 主要创新点
更快的训练。

### 5. 实验效果
在基准上效果更好。
"""


def run(*args: str, input: bytes | None = None, cwd: Path | None = None):
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(main, list(args), input=input)
    with runner.isolated_filesystem(temp_dir=cwd):
        return runner.invoke(main, list(args), input=input)


def export_json(*args: str) -> object:
    result = run("export", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path) -> None:
    """An empty config in ``tmp_path``: no config file above it can change the results."""
    (tmp_path / ".digestlint.toml").write_text("", encoding="utf-8")


@pytest.fixture(scope="module")
def seed_export() -> dict:
    data = export_json(str(SEED))
    assert isinstance(data, dict)
    return data


def test_seed_has_13_papers_with_5_sections_each(seed_export: dict) -> None:
    papers = seed_export["papers"]
    assert len(papers) == 13
    for paper in papers:
        assert [s["name"] for s in paper["sections"]] == SECTION_NAMES
        assert [s["number"] for s in paper["sections"]] == [1, 2, 3, 4, 5]
        assert all(s["body"].strip() for s in paper["sections"])


def test_seed_export_conforms_to_the_committed_report_schema(seed_export: dict) -> None:
    schema = json.loads(REPORT_SCHEMA.read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert [e.message for e in validator.iter_errors(seed_export)] == []


def test_seed_header(seed_export: dict) -> None:
    assert seed_export["header"] == {
        "title": {"value": "Hugging Face Daily Papers Report", "line": 1},
        "date": {"value": "2026-02-20", "line": 2},
        "source_url": {"value": "https://huggingface.co/papers/date/2026-02-20", "line": 3},
    }
    assert seed_export["path"] == str(SEED)
    assert seed_export["profile"] == "hf-daily-papers-zh"


def test_seed_first_paper_as_read_in_the_file(seed_export: dict) -> None:
    # Read off the seed by hand: list-style sections (`1. **应用领域**：`) after a stray H1.
    first = seed_export["papers"][0]
    assert first["line"] == 7
    assert first["title"].startswith('"What Are You Doing?": Effects of Intermediate Feedback')
    assert first["link"] == "https://huggingface.co/papers/2602.15569"
    assert first["arxiv_id"] == "2602.15569"
    assert first["read_source"] == "ArXiv Abs"
    assert [(s["line"], s["end_line"]) for s in first["sections"]] == [
        (14, 15),
        (17, 18),
        (20, 24),
        (26, 29),
        (31, 35),
    ]
    assert first["sections"][0]["body"] == (
        "人机交互 (HCI)、车载智能座舱、大语言模型 (LLM) 代理 (Agentic AI)、驾驶安全与用户体验。"
    )


def test_seed_lines_point_at_the_source(seed_export: dict) -> None:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    papers = seed_export["papers"]
    for number, paper in enumerate(papers):
        assert paper["title"] in lines[paper["line"] - 1]
        assert lines[paper["line"] - 1].startswith("## ")
        next_paper = papers[number + 1]["line"] if number + 1 < len(papers) else len(lines) + 1
        assert paper["arxiv_id"] in paper["link"]
        previous_end = paper["line"]
        for section in paper["sections"]:
            assert section["line"] > previous_end
            assert section["name"] in lines[section["line"] - 1]
            assert section["line"] <= section["end_line"] < next_paper
            last_line = lines[section["end_line"] - 1]
            # The body's last line is the source's last non-blank line of the section.
            assert last_line.strip()
            assert section["body"].split("\n")[-1].strip() in last_line
            previous_end = section["end_line"]


def test_several_paths_give_an_array_in_order(tmp_path: Path) -> None:
    other = tmp_path / "minimal.md"
    other.write_text(MINIMAL, encoding="utf-8")
    data = export_json(str(SEED), str(other))
    assert isinstance(data, list)
    assert [d["path"] for d in data] == [str(SEED), str(other)]
    assert [len(d["papers"]) for d in data] == [13, 1]


def test_a_directory_gives_an_array(tmp_path: Path) -> None:
    (tmp_path / "b.md").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "a.md").write_text(MINIMAL.replace("A Paper", "Another Paper"), encoding="utf-8")
    data = export_json(str(tmp_path))
    assert isinstance(data, list)
    assert [d["papers"][0]["title"] for d in data] == ["Another Paper", "A Paper"]


def test_output_file_holds_the_same_json(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    result = run("export", str(SEED), "--output", str(target))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8")) == export_json(str(SEED))


def test_stdin(tmp_path: Path) -> None:
    result = run("export", "-", input=MINIMAL.encode("utf-8"))
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["path"] == "-"
    assert data["papers"][0]["sections"][4]["body"] == "在基准上效果更好。"


def test_nonconforming_report_exits_2_naming_the_json_path(tmp_path: Path) -> None:
    broken = tmp_path / "broken.md"
    broken.write_text(MINIMAL.replace("### 3. 使用指南\n输入文本，输出摘要。\n\n", ""), "utf-8")
    result = run("export", str(broken))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"{broken}:9: /papers/0/sections:" in result.stderr
    assert "report schema" in result.stderr


def test_nonconforming_report_in_an_array_names_its_index(tmp_path: Path) -> None:
    broken = tmp_path / "broken.md"
    broken.write_text(MINIMAL.replace("**阅读来源**: HTML", "**阅读来源**: web"), "utf-8")
    result = run("export", str(SEED), str(broken))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert (
        f"{broken}:12: /1/papers/0/read_source: `阅读来源`: 'web' is not allowed" in result.stderr
    )


def test_no_validate_exports_anyway(tmp_path: Path) -> None:
    broken = tmp_path / "broken.md"
    broken.write_text(MINIMAL.replace("**阅读来源**: HTML", "**阅读来源**: web"), "utf-8")
    data = export_json(str(broken), "--no-validate")
    assert data["papers"][0]["read_source"] == "web"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "no such file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("# Título\n".encode("latin-1"), "not valid UTF-8"),
    ],
    ids=["missing", "binary", "latin-1"],
)
def test_bad_input_is_exit_2_with_one_message(
    tmp_path: Path, content: bytes | None, problem: str
) -> None:
    path = tmp_path / "report.md"
    if content is not None:
        path.write_bytes(content)
    result = run("export", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"error: {path}: ")
    assert problem in result.stderr
    assert "Traceback" not in result.output


def test_bad_config_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / ".digestlint.toml").write_text('profile = "hf-daily-papers-zh"\nbogus = 1\n')
    report = tmp_path / "report.md"
    report.write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "other.md").write_text(MINIMAL, encoding="utf-8")
    result = run("export", str(report), str(tmp_path / "other.md"))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"error: {tmp_path / '.digestlint.toml'}: bogus: unknown key\n"


def test_export_uses_the_config_profile_and_extra_schema(tmp_path: Path) -> None:
    (tmp_path / "max.schema.json").write_text('{"properties": {"papers": {"maxItems": 0}}}')
    (tmp_path / ".digestlint.toml").write_text('schema = "max.schema.json"\n')
    report = tmp_path / "report.md"
    report.write_text(MINIMAL, encoding="utf-8")
    result = run("export", str(report))
    assert result.exit_code == 2
    # maxItems points at the first paper past the limit: the only one, on line 9.
    assert f"{report}:9: /papers: " in result.stderr
    assert "max.schema.json" in result.stderr


DEFECTIVE = """# Hugging Face Daily Papers Report

**Date**: 2026-02-30

## 📄

- **阅读来源**: arxiv html

### 1. 应用领域

### 2. 一句话核心贡献
提出了一种新方法。
"""


def test_export_and_the_structure_rules_report_the_same_defects() -> None:
    """The profile's constraints live twice: in the report schema export checks, and in
    the rules that check the document model. Both must find the same defects."""
    problems = export_text(DEFECTIVE, Settings(), "r.md").problems
    assert sorted(problems) == sorted(
        f"r.md:{line}: {pointer}: {message} (does not conform to report schema)"
        for line, pointer, message in [
            (1, "/header", "`Source URL` is missing"),
            (3, "/header/date/value", "`Date`: '2026-02-30' is not a valid date"),
            (5, "/papers/0", "`链接` is missing"),
            (5, "/papers/0/title", "the paper's title is empty"),
            (5, "/papers/0/sections", "section `使用指南` is missing"),
            (5, "/papers/0/sections", "section `主要创新点` is missing"),
            (5, "/papers/0/sections", "section `实验效果` is missing"),
            (
                7,
                "/papers/0/read_source",
                "`阅读来源`: 'arxiv html' is not allowed; use one of 'ArXiv Abs', 'HTML', 'PDF'",
            ),
            (9, "/papers/0/sections/0/body", "section `应用领域` is empty"),
        ]
    )
    structure = {"DL102", "DL103", "DL202", "DL203", "DL301", "DL305", "DL601"}
    findings = [(f.line, f.code, f.message) for f in lint_text(DEFECTIVE) if f.code in structure]
    assert findings == [
        (1, "DL102", "header field `Source URL` is missing"),
        (3, "DL103", "`Date`: '2026-02-30' is not a valid date"),
        (5, "DL202", "field `链接` is missing"),
        (5, "DL203", "the paper's title is empty"),
        (5, "DL301", "paper ``: section `使用指南` is missing"),
        (5, "DL301", "paper ``: section `主要创新点` is missing"),
        (5, "DL301", "paper ``: section `实验效果` is missing"),
        (
            7,
            "DL203",
            "`阅读来源`: 'arxiv html' is not allowed; use one of 'ArXiv Abs', 'HTML', 'PDF'",
        ),
        (9, "DL305", "section `应用领域` is empty"),
    ]
