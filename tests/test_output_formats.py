"""CI output formats: each one parsed back and compared with the findings of a small
report whose positions are written out below (and checked by hand against its text)."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import NamedTuple

import jsonschema
import pytest
import sarif_validator
from click.testing import CliRunner

from digestlint.cli import main
from digestlint.findings import Finding, Severity
from digestlint.output import FORMATTERS, Report
from digestlint.output.github import annotation, format_github
from digestlint.output.sarif import FINGERPRINT_KEY
from digestlint.registry import all_rules

ROOT = Path(__file__).resolve().parent.parent
SEED = "seeds/hf-daily-papers-2026-02-20.md"
CLEAN = "clean-report.md"
FINDINGS_SCHEMA = json.loads((ROOT / "schemas" / "findings.schema.json").read_text())

REPORT_NAME = "report.md"
REPORT = """\
# Hugging Face Daily Papers Report
**Date**: 2026-02-20
**Source URL**: https://huggingface.co/papers/date/2026-02-20

============================================================

## 📄 Paper One: A Study

- **链接**: https://huggingface.co/papers/2602.15569
- **阅读来源**: HTML

# 论文阅读报告：研究

### 1. 应用领域
计算机视觉。

### 2. 一句话核心贡献
提出了新方法,效果好。

### 3. 使用指南
输入图像。

### 4. 主要创新点
<!-- digestlint-disable-next-line
     DL999 -->
新的训练方法。

### 5. 实验效果
提升了 **50% 。

============================================================
"""


class Expected(NamedTuple):
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    name: str
    severity: str
    fixable: bool
    message: str


# Line 3 is the whole Source URL line (61 characters); line 12 the stray H1 (11);
# 18:7 the comma after 方法; 24:1-25:15 the suppression comment over two lines (line 25
# has 14 characters); 29:5 the `**` after 提升了 and a space, 29:9-29:12 `% 。`.
EXPECTED = [
    Expected(3, 1, 3, 62, "DL105", "header-fields-merged", "error", True,
             "header field `Source URL` renders on the same line as the one above it"),
    Expected(12, 1, 12, 12, "DL401", "stray-h1", "error", True,
             "stray H1 `论文阅读报告：研究` inside a paper; the report's title is its only H1"),
    Expected(18, 7, 18, 8, "DL814", "cjk-punctuation-width", "warning", True,
             "half-width `,` in Chinese prose; write `，`"),
    Expected(24, 1, 25, 15, "DL001", "unused-suppression", "warning", True,
             "`DL999` matches no rule; the suppression does nothing for it"),
    Expected(29, 5, 29, 7, "DL812", "emphasis-unclosed", "error", False,
             "`**` does not open or close emphasis: it renders as literal asterisks "
             "(is its partner missing?)"),
    Expected(29, 9, 29, 12, "DL815", "cjk-punctuation-spacing", "warning", True,
             "space before full-width `。`; full-width marks carry their own spacing"),
]  # fmt: skip


@pytest.fixture(autouse=True)
def _in_a_project(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A project of its own (an empty config stops the search for one above it), with
    the report, a clean report and the seed."""
    (tmp_path / ".digestlint.toml").write_text("", encoding="utf-8")
    (tmp_path / REPORT_NAME).write_text(REPORT, encoding="utf-8")
    shutil.copy(ROOT / "examples" / "clean-report.md", tmp_path / CLEAN)
    (tmp_path / "seeds").mkdir()
    shutil.copy(ROOT / SEED, tmp_path / SEED)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.output


def test_the_report_has_the_lines_the_expectations_name() -> None:
    lines = REPORT.split("\n")
    for expected in EXPECTED:
        assert len(lines[expected.end_line - 1]) + 1 >= expected.end_column
    assert lines[2][:61].endswith("2026-02-20") and len(lines[2]) == 61
    assert lines[17][6] == ","
    assert lines[28][4:6] == "**" and lines[28][8:11] == "% 。"
    assert lines[24] == "     DL999 -->"


# --- json ------------------------------------------------------------------------------


def report_json() -> list[dict]:
    code, output = run(REPORT_NAME, "--format", "json")
    assert code == 1
    return json.loads(output)


def test_json_output_states_every_finding_where_it_is() -> None:
    findings = report_json()
    assert [
        Expected(*(f[key] for key in Expected._fields[:-2]), f["fixable"], f["message"])
        for f in findings
    ] == EXPECTED
    assert {f["path"] for f in findings} == {REPORT_NAME}
    jsonschema.Draft202012Validator.check_schema(FINDINGS_SCHEMA)
    jsonschema.validate(findings, FINDINGS_SCHEMA)


def test_json_output_of_the_seed_matches_the_findings_schema() -> None:
    code, output = run(SEED, "--format", "json")
    assert code == 1
    jsonschema.validate(json.loads(output), FINDINGS_SCHEMA)


def test_findings_schema_rejects_malformed_findings() -> None:
    finding = report_json()[0]
    assert finding["fixable"]
    broken = [
        {**finding, "line": 0},
        {**finding, "severity": "fatal"},
        {key: value for key, value in finding.items() if key != "fix"},
        {**finding, "fix": {**finding["fix"], "edits": [{"start": 1}]}},
        {**finding, "extra": True},
    ]
    for item in broken:
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate([item], FINDINGS_SCHEMA)


# --- github ----------------------------------------------------------------------------

COMMAND = re.compile(r"^::(error|warning|notice) (?P<props>[^:]*)::(?P<message>.*)$")


def unescape(text: str) -> str:
    for escaped, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, char)
    return text


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    match = COMMAND.match(line)
    assert match, line
    props = dict(part.split("=", 1) for part in match.group("props").split(","))
    return match.group(1), {k: unescape(v) for k, v in props.items()}, unescape(match["message"])


def test_github_annotations_carry_every_finding_with_its_range() -> None:
    code, output = run(REPORT_NAME, "--format", "github")
    assert code == 1
    lines = output.splitlines()
    assert len(lines) == len(EXPECTED)
    for line, expected in zip(lines, EXPECTED, strict=True):
        command, props, message = parse_command(line)
        assert command == {"error": "error", "warning": "warning"}[expected.severity]
        assert props["file"] == REPORT_NAME
        assert props["line"] == str(expected.line)
        assert props["endLine"] == str(expected.end_line)
        if expected.line == expected.end_line:
            assert props["col"] == str(expected.column)
            assert props["endColumn"] == str(expected.end_column)
        else:  # GitHub takes columns only for a range on one line
            assert "col" not in props and "endColumn" not in props
        assert props["title"] == f"{expected.code} ({expected.name})"
        assert message.startswith(f"{REPORT_NAME}:{expected.line}:{expected.column}:")
        assert expected.message in message


def _finding(**changes) -> Finding:
    base = dict(
        path="reports/a.md",
        line=3,
        column=2,
        end_line=3,
        end_column=9,
        code="DL401",
        name="stray-h1",
        severity=Severity.WARNING,
        message="plain",
    )
    return Finding(**{**base, **changes})


def test_github_columns_only_on_single_line_ranges() -> None:
    command, props, _ = parse_command(annotation(_finding(end_line=5, end_column=1)))
    assert command == "warning"
    assert (props["line"], props["endLine"]) == ("3", "5")
    assert "col" not in props
    assert "endColumn" not in props


def test_github_escapes_properties_and_message() -> None:
    tricky_path = "reports/a,b:c%d.md"
    tricky_message = "100% wrong:\r\nsecond line, with comma"
    line = annotation(_finding(path=tricky_path, message=tricky_message, severity=Severity.INFO))
    assert "\n" not in line and "\r" not in line
    command, props, message = parse_command(line)
    assert command == "notice"
    assert props["file"] == tricky_path
    assert message.endswith(tricky_message)
    assert "file=reports/a%2Cb%3Ac%25d.md," in line
    assert "100%25 wrong:%0D%0Asecond line, with comma" in line


def test_github_format_is_chosen_on_github_actions() -> None:
    code, output = run(SEED, env={"GITHUB_ACTIONS": "true"})
    assert code == 1
    assert output.startswith("::error file=")
    code, output = run(SEED, "--format", "text", env={"GITHUB_ACTIONS": "true"})
    assert output.startswith(SEED + ":")


def test_github_reports_unreadable_files_as_errors() -> None:
    text = format_github(Report(findings=[], errors=["missing.md: no such file"]))
    assert text == "::error::missing.md: no such file\n"


# --- sarif -----------------------------------------------------------------------------


def seed_sarif(tmp_path: Path, source: str = SEED) -> dict:
    out = tmp_path / "out.sarif"
    code, _ = run(source, "--format", "sarif", "--output-file", str(out))
    assert code == 1
    return json.loads(out.read_text(encoding="utf-8"))


def test_sarif_log_structure(tmp_path: Path) -> None:
    log = seed_sarif(tmp_path, REPORT_NAME)
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-2.1.0.json")
    [sarif_run] = log["runs"]
    assert sarif_run["columnKind"] == "unicodeCodePoints"
    driver = sarif_run["tool"]["driver"]
    assert driver["name"] == "digestlint"
    assert driver["version"]
    assert driver["informationUri"].startswith("https://")
    assert [r["id"] for r in driver["rules"]] == [r.code for r in all_rules()]
    for descriptor in driver["rules"]:
        for key in ("name", "shortDescription", "fullDescription", "help"):
            assert descriptor[key], (descriptor["id"], key)
        assert descriptor["defaultConfiguration"]["level"] in ("error", "warning", "note")
    assert len(sarif_run["results"]) == len(EXPECTED)
    for result, expected in zip(sarif_run["results"], EXPECTED, strict=True):
        assert result["ruleId"] == expected.code
        assert driver["rules"][result["ruleIndex"]]["id"] == expected.code
        assert result["level"] == expected.severity  # error and warning keep their names
        assert result["message"]["text"].startswith(expected.message)
        assert result["properties"]["fixable"] is expected.fixable
        [location] = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"] == {"uri": REPORT_NAME, "uriBaseId": "%SRCROOT%"}
        assert physical["region"]["startLine"] == expected.line
        assert physical["region"]["startColumn"] == expected.column
        assert physical["region"]["endLine"] == expected.end_line
        assert physical["region"]["endColumn"] == expected.end_column
    assert sarif_run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.as_uri() + "/"


def test_sarif_region_columns_count_code_points(tmp_path: Path) -> None:
    # The snippet cut from the line by [startColumn, endColumn) is the finding's text:
    # the columns count code points (the seed's lines are full of Han characters).
    log = seed_sarif(tmp_path)
    lines = (ROOT / SEED).read_text(encoding="utf-8").split("\n")
    for result in log["runs"][0]["results"]:
        region = result["locations"][0]["physicalLocation"]["region"]
        line = lines[region["startLine"] - 1]
        expected = line[region["startColumn"] - 1 : region["endColumn"] - 1]
        assert region["snippet"]["text"] == expected
        assert expected.strip()


def _fingerprints(log: dict) -> list[tuple[str, str, int]]:
    return [
        (
            r["ruleId"],
            r["partialFingerprints"][FINGERPRINT_KEY],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in log["runs"][0]["results"]
    ]


def test_sarif_fingerprints_survive_lines_moving(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (ROOT / SEED).read_text(encoding="utf-8")
    first_separator = text.index("=" * 60)
    moved = text[:first_separator] + "<!-- an editor's note -->\n\n" + text[first_separator:]
    monkeypatch.chdir(tmp_path)
    Path("report.md").write_text(text, encoding="utf-8")
    before = _fingerprints(seed_sarif(tmp_path, "report.md"))
    # Insert unrelated lines near the top: the findings below move down, none changes.
    Path("report.md").write_text(moved, encoding="utf-8")
    after = _fingerprints(seed_sarif(tmp_path, "report.md"))
    assert len(after) == len(before)
    inserted_at = text.count("\n", 0, first_separator) + 1
    assert any(line >= inserted_at for _, _, line in before)
    assert [line for _, _, line in after] == [
        line + 2 if line >= inserted_at else line for _, _, line in before
    ]
    assert [(code, f) for code, f, _ in after] == [(code, f) for code, f, _ in before]
    prints = [fingerprint for _, fingerprint, _ in before]
    assert len(set(prints)) == len(prints)


def test_sarif_fingerprints_change_with_the_flagged_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (ROOT / SEED).read_text(encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    Path("report.md").write_text(text, encoding="utf-8")
    before = _fingerprints(seed_sarif(tmp_path, "report.md"))
    edited = text.replace("# 论文阅读报告：FRAPPE", "# 论文阅读报告：FRAPPE 模型", 1)
    Path("report.md").write_text(edited, encoding="utf-8")
    after = _fingerprints(seed_sarif(tmp_path, "report.md"))
    changed = [b for b, a in zip(before, after, strict=True) if b != a]
    assert [code for code, _, _ in changed] == ["DL401"]


@pytest.mark.slow
def test_sarif_passes_the_official_validator(tmp_path: Path) -> None:
    validator = sarif_validator.locate()
    if validator is None:
        pytest.skip("npm is not on PATH: cannot install @microsoft/sarif-multitool")
    sarif_file = tmp_path / "seed.sarif"
    seed_sarif(tmp_path)  # writes out.sarif
    (tmp_path / "out.sarif").rename(sarif_file)
    problems = sarif_validator.validate(validator, sarif_file, tmp_path / "validation.sarif")
    assert [p for p in problems if p["level"] == "error"] == []
    assert problems == []


@pytest.mark.slow
def test_the_validator_does_catch_broken_sarif(tmp_path: Path) -> None:
    # Guards the test above: a validator that reports nothing proves nothing.
    validator = sarif_validator.locate()
    if validator is None:
        pytest.skip("npm is not on PATH: cannot install @microsoft/sarif-multitool")
    log = seed_sarif(tmp_path)
    log["runs"][0]["results"][0]["ruleIndex"] = 10_000
    broken = tmp_path / "broken.sarif"
    broken.write_text(json.dumps(log), encoding="utf-8")
    problems = sarif_validator.validate(validator, broken, tmp_path / "validation.sarif")
    assert any(p["level"] == "error" for p in problems)


# --- gitlab ----------------------------------------------------------------------------


def test_gitlab_code_quality_report() -> None:
    code, output = run(REPORT_NAME, "--format", "gitlab")
    assert code == 1
    issues = json.loads(output)
    assert len(issues) == len(EXPECTED)
    for issue, expected in zip(issues, EXPECTED, strict=True):
        assert issue["description"] == f"{expected.code} {expected.message}"
        assert issue["check_name"] == f"{expected.code} {expected.name}"
        assert issue["severity"] == {"error": "major", "warning": "minor"}[expected.severity]
        assert issue["location"] == {
            "path": REPORT_NAME,
            "lines": {"begin": expected.line, "end": expected.end_line},
        }
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_gitlab_severities_follow_the_rules(tmp_path: Path) -> None:
    config = tmp_path / "digestlint.toml"
    config.write_text('[rules.DL403]\nseverity = "warning"\n', encoding="utf-8")
    code, output = run(SEED, "--format", "gitlab", "--config", str(config))
    assert code == 1
    issues = json.loads(output)
    assert {i["severity"] for i in issues if i["check_name"].startswith("DL403")} == {"minor"}
    assert {i["severity"] for i in issues if i["check_name"].startswith("DL401")} == {"major"}


# --- junit -----------------------------------------------------------------------------


def test_junit_xml() -> None:
    code, output = run(REPORT_NAME, CLEAN, "--format", "junit", "--ignore", "DL62")
    assert code == 1
    root = ET.fromstring(output)
    assert root.tag == "testsuites"
    assert root.get("failures") == str(len(EXPECTED))
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {REPORT_NAME, CLEAN}
    cases = suites[REPORT_NAME].findall("testcase")
    assert len(cases) == len(EXPECTED)
    for case, expected in zip(cases, EXPECTED, strict=True):
        assert case.get("line") == str(expected.line)
        failure = case.find("failure")
        assert failure is not None
        assert failure.get("type") == expected.code
        assert failure.get("message") == expected.message
        assert failure.text == (
            f"{REPORT_NAME}:{expected.line}:{expected.column}: {expected.code} "
            f"[{expected.name}] {expected.message}"
        )
    [clean_case] = suites[CLEAN].findall("testcase")
    assert clean_case.find("failure") is None
    assert suites[CLEAN].get("failures") == "0"


def test_junit_reports_unreadable_files_as_errors() -> None:
    code, output = run("does-not-exist.md", "--format", "junit")
    assert code == 2
    root = ET.fromstring(output[output.index("<?xml") :])
    assert root.get("errors") == "1"
    assert root.find("testsuite/testcase/error") is not None


# --- every format ------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(FORMATTERS))
def test_output_file_holds_what_stdout_would(name: str, tmp_path: Path) -> None:
    out = tmp_path / f"report.{name}"
    _, printed = run(SEED, "--format", name)
    code, output = run(SEED, "--format", name, "--output-file", str(out))
    assert code == 1
    written = out.read_text(encoding="utf-8")
    assert written
    assert written in printed
    assert written not in output
