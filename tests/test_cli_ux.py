"""What a maintainer sees at the command line: help, option errors, --diff, fix markers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from digestlint.cli import main

CLEAN = (Path(__file__).resolve().parent.parent / "examples" / "clean-report.md").read_text(
    encoding="utf-8"
)

# Header fields on consecutive lines (DL105, whose safe fix inserts a line) and the
# second paper listing the first one's id (DL710, no fix), two lines further down.
SHIFTED = CLEAN.replace("**Date**: 2026-02-20\n\n", "**Date**: 2026-02-20\n", 1).replace(
    "https://huggingface.co/papers/2602.17270", "https://huggingface.co/papers/2602.17363"
)

# 48000 against 4 grouped numbers (DL804, an unsafe fix) and `用GPU` against the
# report's spaced Han/Latin boundaries (DL813, safe).
NUMBERS = CLEAN.replace(
    "- **图像生成**：在 ImageNet 上取得更低的 FID。",
    "- **图像生成**：训练使用了 120,000 张图像、35,000 段视频、12,000 条音频、60,000 份问卷和"
    " 48000 段文本，用GPU 训练。",
)


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(
        main, list(args), input=input, catch_exceptions=False, prog_name="digestlint"
    )


def write(tmp_path: Path, text: str, name: str = "report.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_help_lists_the_commands() -> None:
    for flag in ("--help", "-h"):
        result = run(flag)
        assert result.exit_code == 0
        assert result.output.startswith("Usage: digestlint [OPTIONS] COMMAND")
        commands = result.output.split("Commands:")[1].split()
        assert {"check", "export", "rule"} <= set(commands)


def test_help_after_an_option_is_check_help() -> None:
    result = run("--fix", "--help")
    assert result.exit_code == 0
    assert result.output.startswith("Usage: digestlint check [OPTIONS] [PATHS]...")
    assert "--unsafe-fixes" in result.output


def test_bare_paths_still_run_check(tmp_path: Path) -> None:
    result = run(str(write(tmp_path, CLEAN)))
    assert result.exit_code == 0
    assert "All checks passed (1 file)." in result.output


@pytest.mark.parametrize("option", ["--select", "--extend-select", "--ignore"])
def test_unknown_selector_names_the_option_not_a_config_file(tmp_path: Path, option: str) -> None:
    (tmp_path / ".digestlint.toml").write_text("", encoding="utf-8")
    result = run(str(write(tmp_path, CLEAN)), option, "DL401,no-such-rule")
    assert result.exit_code == 2
    assert f"error: {option}: no rule matches 'no-such-rule'" in result.output
    assert ".digestlint.toml" not in result.output


def test_diff_reports_lines_of_the_file_as_it_is(tmp_path: Path) -> None:
    path = write(tmp_path, SHIFTED)
    plain = json.loads(run(str(path), "--format", "json").output)
    duplicate = next(f for f in plain if f["code"] == "DL710")
    result = run(str(path), "--diff")
    assert result.exit_code == 1
    assert "+**Source URL**" not in result.output  # only a blank line is added
    assert "\n+\n" in result.output
    line = f"{path}:{duplicate['line']}:{duplicate['column']}: error DL710 [paper-duplicate]"
    assert line in result.output
    assert "Would fix 1 finding (the diff above); run with `--fix` to apply." in result.output
    assert "All checks passed" not in result.output
    assert path.read_text(encoding="utf-8") == SHIFTED


def test_diff_lists_the_findings_it_leaves_unsafe(tmp_path: Path) -> None:
    path = write(tmp_path, NUMBERS)
    result = run(str(path), "--diff")
    assert result.exit_code == 1
    assert "-" + "- **图像生成**：训练使用了 120,000 张图像" in result.output
    assert "DL804 [thousands-separator]" in result.output
    assert "more with `--fix --unsafe-fixes`" in result.output
    unsafe = run(str(path), "--diff", "--unsafe-fixes")
    assert (
        "+- **图像生成**：训练使用了 120,000 张图像、35,000 段视频、12,000 条音频、60,000 份问卷和"
        " 48,000 段文本，用 GPU 训练。" in unsafe.output
    )
    assert "DL804" not in unsafe.output
    assert "run with `--fix --unsafe-fixes` to apply" in unsafe.output


def test_only_fixes_that_fix_would_apply_are_marked(tmp_path: Path) -> None:
    path = write(tmp_path, NUMBERS)
    lines = run(str(path)).output.splitlines()
    spacing = next(line for line in lines if "DL813" in line)
    separator = next(line for line in lines if "DL804" in line)
    assert spacing.endswith("[*]") and not separator.endswith("[*]")
    assert lines[-1].endswith(
        "(1 fixable with `--fix`, marked [*]; 1 more with `--fix --unsafe-fixes`)."
    )
    with_unsafe = run(str(path), "--unsafe-fixes").output.splitlines()
    assert next(line for line in with_unsafe if "DL804" in line).endswith("[*]")
    assert with_unsafe[-1].endswith("(2 fixable with `--fix --unsafe-fixes`, marked [*]).")


def test_after_fix_the_unsafe_leftover_is_not_offered_to_fix_again(tmp_path: Path) -> None:
    path = write(tmp_path, NUMBERS)
    result = run(str(path), "--fix")
    assert result.exit_code == 1
    assert (
        "(1 fixed, 1 remaining: 1 warning; 1 of them fixable with `--fix --unsafe-fixes`)"
        in result.output
    )
    assert "[*]" not in result.output
    statistics = run(str(path), "--statistics").output
    assert "DL804      thousands-separator" in statistics


def test_directory_without_reports_warns(tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.txt").write_text("not markdown", encoding="utf-8")
    result = run(str(tmp_path / "notes"))
    assert result.exit_code == 0
    assert "warning:" in result.output and "no Markdown files to lint" in result.output


def test_export_names_a_missing_section_instead_of_dumping_the_sections(tmp_path: Path) -> None:
    text = CLEAN.replace("### 3. 使用指南\n", "### 3. 局限性\n", 1)
    result = run("export", str(write(tmp_path, text)))
    assert result.exit_code == 2
    assert "section `使用指南` is missing (does not conform to report schema)" in result.output
    assert "'body'" not in result.output  # no repr of the section list


def test_github_annotations_leave_out_the_fix_marker(tmp_path: Path) -> None:
    """[*] is the terminal's mark; an annotation is read on the pull request's diff (the
    job summary counts what is fixable)."""
    path = write(tmp_path, NUMBERS)
    for extra in ([], ["--unsafe-fixes"]):
        lines = run(str(path), "--format", "github", *extra).output.splitlines()
        spacing = next(line for line in lines if "DL813" in line)
        assert spacing.endswith(
            "DL813 no space between `用` and `GPU`; 5 of 6 Han/Latin boundaries in this report have one"
        )
        assert not any("[*]" in line for line in lines)


def test_export_takes_output_file_like_check(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    result = run("export", str(write(tmp_path, CLEAN)), "--output-file", str(target))
    assert result.exit_code == 0, result.output
    assert json.loads(target.read_text(encoding="utf-8"))["header"]["date"]["value"] == (
        "2026-02-20"
    )


@pytest.mark.parametrize("command", [[], ["export"]])
def test_config_that_is_a_directory_is_named_as_such(tmp_path: Path, command: list[str]) -> None:
    result = run(*command, str(write(tmp_path, CLEAN)), "--config", str(tmp_path))
    assert result.exit_code == 2
    assert "is a directory" in result.output


def test_statistics_in_json(tmp_path: Path) -> None:
    result = run(str(write(tmp_path, NUMBERS)), "--statistics", "--format", "json")
    assert result.exit_code == 1
    rows = {row["code"]: row for row in json.loads(result.output)}
    assert rows["DL813"] == {"code": "DL813", "name": "cjk-spacing", "count": 1, "fixable": True}
    assert rows["DL804"]["fixable"] is False  # unsafe, and --unsafe-fixes not given


def test_diff_with_a_machine_format_needs_an_output_file(tmp_path: Path) -> None:
    path = write(tmp_path, SHIFTED)
    refused = run(str(path), "--diff", "--format", "json")
    assert refused.exit_code == 2
    assert "add --output-file for the json report" in refused.output
    target = tmp_path / "findings.json"
    result = run(str(path), "--diff", "--format", "json", "--output-file", str(target))
    assert result.exit_code == 1
    assert result.output.startswith(f"--- a/{path}\n")
    assert [f["code"] for f in json.loads(target.read_text(encoding="utf-8"))] == ["DL710"]
