"""SARIF `fixes`: each fixable finding carries its fix as artifactChanges with
replacements. Checked by applying the replacements to the file as a SARIF consumer would
(lines and columns, here by a small applier of the test's own), and by Microsoft's
SARIF validator."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import sarif_validator
from click.testing import CliRunner

from digestlint.cli import main

ROOT = Path(__file__).resolve().parent.parent
CLEAN = (ROOT / "examples" / "clean-report.md").read_text(encoding="utf-8")
BEFORE = "- **图像生成**：在 ImageNet 上取得更低的 FID。"
# DL105 (safe: a blank line) on line 3; on line 54, DL813 (safe: `用GPU`) and DL804
# (unsafe: 48000 among grouped numbers).
DEFECTIVE = CLEAN.replace("**Date**: 2026-02-20\n\n", "**Date**: 2026-02-20\n", 1).replace(
    BEFORE,
    "- **图像生成**：训练使用了 120,000 张图像、35,000 段视频、12,000 条音频、60,000 份问卷和"
    " 48000 段文本，用GPU 训练。",
)
# Written out by hand: every fix applied.
FIXED = CLEAN.replace(
    BEFORE,
    "- **图像生成**：训练使用了 120,000 张图像、35,000 段视频、12,000 条音频、60,000 份问卷和"
    " 48,000 段文本，用 GPU 训练。",
)


@pytest.fixture(autouse=True)
def _in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # SARIF paths are relative to the working directory (%SRCROOT%).
    monkeypatch.chdir(tmp_path)


def sarif(tmp_path: Path, name: str, data: bytes, *args: str) -> dict:
    (tmp_path / ".digestlint.toml").write_text("", encoding="utf-8")
    (tmp_path / name).write_bytes(data)
    out = tmp_path / f"{name}.sarif"
    result = CliRunner().invoke(
        main,
        [name, "--format", "sarif", "--output-file", str(out), *args],
        catch_exceptions=False,
    )
    assert result.exit_code == 1, result.output
    return json.loads(out.read_text(encoding="utf-8"))


def apply_replacements(text: str, replacements: list[dict]) -> str:
    """Apply SARIF replacements (line/column regions, columns in code points) to
    ``text``, the file as it is, line endings and all."""
    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]

    def offset(line: int, column: int) -> int:
        return starts[line - 1] + column - 1

    spans = []
    for replacement in replacements:
        region = replacement["deletedRegion"]
        start = offset(region["startLine"], region["startColumn"])
        end = offset(region["endLine"], region["endColumn"])
        spans.append((start, end, replacement.get("insertedContent", {}).get("text", "")))
    for start, end, inserted in sorted(spans, reverse=True):
        text = text[:start] + inserted + text[end:]
    return text


def fixes_by_rule(log: dict) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for result in log["runs"][0]["results"]:
        found.setdefault(result["ruleId"], []).extend(result.get("fixes", []))
    return found


def test_a_fixable_finding_carries_its_fix(tmp_path: Path) -> None:
    log = sarif(tmp_path, "report.md", DEFECTIVE.encode())
    fixes = fixes_by_rule(log)
    assert fixes["DL105"] == [
        {
            "description": {"text": "Insert a blank line."},
            "artifactChanges": [
                {
                    "artifactLocation": {"uri": "report.md", "uriBaseId": "%SRCROOT%"},
                    "replacements": [
                        {
                            "deletedRegion": {
                                "startLine": 3,
                                "startColumn": 1,
                                "endLine": 3,
                                "endColumn": 1,
                            },
                            "insertedContent": {"text": "\n"},
                        }
                    ],
                }
            ],
            "properties": {"applicability": "safe"},
        }
    ]
    [unsafe] = fixes["DL804"]
    assert unsafe["properties"] == {"applicability": "unsafe"}
    assert unsafe["description"]["text"].endswith(
        "(an unsafe fix: `--fix` applies it only with `--unsafe-fixes`)."
    )


def test_a_finding_without_a_fix_has_none(tmp_path: Path) -> None:
    text = DEFECTIVE.replace(
        "https://huggingface.co/papers/2602.17270", "https://huggingface.co/papers/2602.17363"
    )
    log = sarif(tmp_path, "report.md", text.encode())
    [duplicate] = [r for r in log["runs"][0]["results"] if r["ruleId"] == "DL710"]
    assert "fixes" not in duplicate
    assert duplicate["properties"] == {"fixable": False}


def test_applying_every_fix_gives_the_fixed_report(tmp_path: Path) -> None:
    log = sarif(tmp_path, "report.md", DEFECTIVE.encode())
    replacements = [
        replacement
        for fixes in fixes_by_rule(log).values()
        for fix in fixes
        for change in fix["artifactChanges"]
        for replacement in change["replacements"]
    ]
    assert len(replacements) == 3
    assert apply_replacements(DEFECTIVE, replacements) == FIXED


def test_inserted_text_has_the_files_line_endings(tmp_path: Path) -> None:
    crlf = DEFECTIVE.replace("\n", "\r\n")
    log = sarif(tmp_path, "crlf.md", crlf.encode())
    [fix] = fixes_by_rule(log)["DL105"]
    [replacement] = fix["artifactChanges"][0]["replacements"]
    assert replacement["insertedContent"] == {"text": "\r\n"}
    replacements = [
        r
        for fixes in fixes_by_rule(log).values()
        for f in fixes
        for c in f["artifactChanges"]
        for r in c["replacements"]
    ]
    assert apply_replacements(crlf, replacements) == FIXED.replace("\n", "\r\n")


@pytest.mark.slow
def test_sarif_with_fixes_passes_the_official_validator(tmp_path: Path) -> None:
    validator = sarif_validator.locate()
    if validator is None:
        pytest.skip("npm is not on PATH: cannot install @microsoft/sarif-multitool")
    sarif(tmp_path, "report.md", DEFECTIVE.encode())
    sarif(tmp_path, "crlf.md", DEFECTIVE.replace("\n", "\r\n").encode())
    for name in ("report.md.sarif", "crlf.md.sarif"):
        log = json.loads((tmp_path / name).read_text(encoding="utf-8"))
        assert sum(len(r.get("fixes", [])) for r in log["runs"][0]["results"]) == 3
        problems = sarif_validator.validate(
            validator, tmp_path / name, tmp_path / "validation.sarif"
        )
        assert problems == [], name


@pytest.mark.slow
def test_the_validator_checks_fixes(tmp_path: Path) -> None:
    """Guards the test above: a replacement without the region it replaces is reported."""
    validator = sarif_validator.locate()
    if validator is None:
        pytest.skip("npm is not on PATH: cannot install @microsoft/sarif-multitool")
    log = sarif(tmp_path, "report.md", DEFECTIVE.encode())
    [result] = [r for r in log["runs"][0]["results"] if r["ruleId"] == "DL105"]
    del result["fixes"][0]["artifactChanges"][0]["replacements"][0]["deletedRegion"]
    broken = tmp_path / "broken.sarif"
    broken.write_text(json.dumps(log), encoding="utf-8")
    problems = sarif_validator.validate(validator, broken, tmp_path / "validation.sarif")
    assert any(p["level"] == "error" for p in problems), problems
