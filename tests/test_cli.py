"""The command line: output, exit codes, config, fixing files without losing anything."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from digestlint.cli import main

STRUCTURE_SELECT = ["--select", "DL1,DL2,DL3,DL4,DL5,DL6"]

BROKEN = """# Hugging Face Daily Papers Report
**Date**: 2026-02-20
**Source URL**: https://huggingface.co/papers/date/2026-02-20

============================================================

## 📄 Paper One

- **链接**: https://huggingface.co/papers/2602.15569
- **阅读来源**: HTML

# 论文阅读报告

### 1. 应用领域
计算机视觉。

### 2. 一句话核心贡献
提出了新方法。

### 3. 使用指南
输入图像。

### 4. 主要创新点
新的结构。

### 5. 实验效果
效果很好。
"""


def run(*args: str, input: str | bytes | None = None, env: dict | None = None):
    return CliRunner().invoke(main, list(args), input=input, env=env, catch_exceptions=False)


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "report.md"
    path.write_text(BROKEN, encoding="utf-8")
    return path


def test_seed_text_output_and_exit_code(seed_path: Path) -> None:
    result = run(str(seed_path), *STRUCTURE_SELECT)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert (
        f"{seed_path}:12:1: error DL401 [stray-h1] stray H1 `论文阅读报告：车载大模型智能体中间反馈机制研究`"
        in lines[1]
    )
    assert (
        lines[-1]
        == "Found 36 findings in 1 of 1 file: 36 errors (36 fixable with `--fix`, marked [*])."
    )


def test_json_output_has_every_field(report: Path) -> None:
    result = run(str(report), "--format", "json")
    findings = json.loads(result.output)
    stray = next(f for f in findings if f["code"] == "DL401")
    assert stray["line"] == 12 and stray["column"] == 1
    assert (stray["end_line"], stray["end_column"]) == (12, 9)
    assert stray["name"] == "stray-h1" and stray["severity"] == "error"
    assert stray["fixable"] is True
    assert stray["fix"]["applicability"] == "safe"
    assert stray["fix"]["edits"][0]["content"] == "**论文阅读报告**"
    assert {f["path"] for f in findings} == {str(report)}
    # ruff's spelling of the option is accepted too.
    assert run(str(report), "--output-format", "json").output == result.output
    assert run("check", str(report), "--output-format", "json").output == result.output


@pytest.mark.parametrize(
    ("selection", "codes"),
    [
        (["--select", "DL401"], {"DL401"}),
        (["--select", "stray-h1"], {"DL401"}),
        (["--select", "DL1", "--ignore", "header-fields-merged"], set()),
        (["--select", "DL1,DL4"], {"DL105", "DL401"}),
    ],
)
def test_select_and_ignore(report: Path, selection: list[str], codes: set[str]) -> None:
    result = run(str(report), "--format", "json", *selection)
    assert {f["code"] for f in json.loads(result.output)} == codes
    assert result.exit_code == (1 if codes else 0)


def test_unknown_selector_is_a_usage_error(report: Path) -> None:
    result = run(str(report), "--select", "DL999")
    assert result.exit_code == 2
    assert "no rule matches 'DL999'" in result.output


def test_exit_zero_and_statistics(report: Path) -> None:
    result = run(str(report), "--exit-zero", "--statistics", *STRUCTURE_SELECT)
    assert result.exit_code == 0
    assert "    1  DL105  [*] header-fields-merged" in result.output
    assert "    1  DL401  [*] stray-h1" in result.output


def test_diff_writes_nothing(report: Path) -> None:
    result = run(str(report), "--diff", *STRUCTURE_SELECT)
    assert result.exit_code == 1
    assert "-# 论文阅读报告\n+**论文阅读报告**" in result.output
    assert report.read_text(encoding="utf-8") == BROKEN


def test_fix_writes_and_converges(report: Path) -> None:
    first = run(str(report), "--fix", *STRUCTURE_SELECT)
    assert first.exit_code == 0, first.output
    assert "Found 2 findings in 1 of 1 file (2 fixed, 0 remaining)." in first.output
    fixed = report.read_text(encoding="utf-8")
    assert "**论文阅读报告**" in fixed
    assert "**Date**: 2026-02-20\n\n**Source URL**" in fixed
    second = run(str(report), "--fix", *STRUCTURE_SELECT)
    assert second.exit_code == 0
    assert report.read_text(encoding="utf-8") == fixed
    assert list(report.parent.iterdir()) == [report]  # no temporary file left behind


def test_fix_keeps_crlf_bom_and_mode(tmp_path: Path) -> None:
    path = tmp_path / "crlf.md"
    path.write_bytes(b"\xef\xbb\xbf" + BROKEN.replace("\n", "\r\n").encode("utf-8"))
    path.chmod(0o640)
    result = run(str(path), "--fix", *STRUCTURE_SELECT)
    assert result.exit_code == 0, result.output
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf# Hugging Face")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert "**论文阅读报告**\r\n".encode() in data
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_stdin_lint_and_fix() -> None:
    result = run("-", "--stdin-filename", "daily/today.md", *STRUCTURE_SELECT, input=BROKEN)
    assert result.exit_code == 1
    assert "daily/today.md:12:1: error DL401" in result.output
    fixed = CliRunner().invoke(main, ["-", "--fix", *STRUCTURE_SELECT], input=BROKEN)
    assert fixed.exit_code == 0
    assert fixed.stdout.startswith("# Hugging Face Daily Papers Report\n**Date**")
    assert "**论文阅读报告**" in fixed.stdout
    assert "Found 2 findings in 1 of 1 file (2 fixed, 0 remaining)." in fixed.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("# 标题\n".encode("gb18030"), "not valid UTF-8"),
    ],
)
def test_unreadable_input_is_exit_2_and_untouched(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.md"
    path.write_bytes(content)
    result = run(str(path), "--fix")
    assert result.exit_code == 2
    assert message in result.output
    assert path.read_bytes() == content


def test_missing_file_is_exit_2(tmp_path: Path) -> None:
    result = run(str(tmp_path / "nope.md"))
    assert result.exit_code == 2
    assert "nope.md: no such file" in result.output


def test_one_bad_file_does_not_hide_the_others(tmp_path: Path, report: Path) -> None:
    result = run(str(tmp_path / "nope.md"), str(report), *STRUCTURE_SELECT)
    assert result.exit_code == 2
    assert f"{report}:12:1: error DL401" in result.output


def test_directory_walk_skips_vcs_and_excluded(tmp_path: Path) -> None:
    (tmp_path / "reports" / "old").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    for name in ("reports/a.md", "reports/old/b.md", ".git/c.md", "reports/notes.txt"):
        (tmp_path / name).write_text(BROKEN, encoding="utf-8")
    (tmp_path / ".digestlint.toml").write_text('exclude = ["reports/old"]\n', encoding="utf-8")
    result = run(str(tmp_path), "--format", "json", "--select", "DL401")
    paths = {Path(f["path"]).relative_to(tmp_path).as_posix() for f in json.loads(result.output)}
    assert paths == {"reports/a.md"}


def test_nearest_config_applies(tmp_path: Path) -> None:
    nested = tmp_path / "daily"
    nested.mkdir()
    (nested / "r.md").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.digestlint]\nignore = ["stray-h1"]\n'
        '[tool.digestlint.rules.DL105]\nseverity = "warning"\n',
        encoding="utf-8",
    )
    result = run(str(nested / "r.md"), "--format", "json", *STRUCTURE_SELECT)
    findings = json.loads(result.output)
    assert [(f["code"], f["severity"]) for f in findings] == [("DL105", "warning")]


def test_per_file_ignores(tmp_path: Path) -> None:
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "r.md").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "r.md").write_text(BROKEN, encoding="utf-8")
    (tmp_path / ".digestlint.toml").write_text(
        '[per-file-ignores]\n"drafts/*.md" = ["DL4"]\n', encoding="utf-8"
    )
    result = run(str(tmp_path), "--format", "json", "--select", "DL401")
    paths = [Path(f["path"]).relative_to(tmp_path).as_posix() for f in json.loads(result.output)]
    assert paths == ["r.md"]


def test_rule_options_from_config(tmp_path: Path) -> None:
    (tmp_path / "r.md").write_text(BROKEN, encoding="utf-8")
    (tmp_path / ".digestlint.toml").write_text(
        '[rules.section-heading-style]\nstyle = "list-bold-colon"\n', encoding="utf-8"
    )
    result = run(str(tmp_path / "r.md"), "--format", "json", "--select", "DL403")
    assert [f["line"] for f in json.loads(result.output)] == [14, 17, 20, 23, 26]


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("selct = []\n", ".digestlint.toml: selct: unknown key"),
        ('[rules.DL403]\nstyle = "fancy"\n', ".digestlint.toml: rules.DL403.style:"),
        ("[rules.DL403]\nwidth = 3\n", ".digestlint.toml: rules.DL403.width: unknown key"),
        ("[rules.DL999]\n", ".digestlint.toml: rules.DL999: no such rule"),
        ("selct = []\n", "selct: unknown key; did you mean `select`?"),
        ("extend_selct = []\n", "unknown key; did you mean `extend-select`?"),
        ("[links]\ntimout = 3\n", "links.timout: unknown key; did you mean `timeout`?"),
        (
            "[rules.DL709]\nmax-age-month = 3\n",
            "rules.DL709.max_age_month: unknown key; did you mean `max_age_months`?",
        ),
        ("[rules.DL709]\nseverty = 'error'\n", "did you mean `severity`?"),
        (
            "[rules.DL709]\nmax-age-months = 3\nmax_age_months = 4\n",
            "rules.DL709: `max_age_months` is given twice",
        ),
        ("select = [\n", ".digestlint.toml: invalid TOML"),
        ('profile = "nope"\n', "profile: 'nope' is neither a built-in profile"),
    ],
)
def test_broken_config_is_exit_2_naming_file_and_key(
    tmp_path: Path, report: Path, config: str, message: str
) -> None:
    (tmp_path / ".digestlint.toml").write_text(config, encoding="utf-8")
    result = run(str(report))
    assert result.exit_code == 2
    assert message in result.output


def test_console_script_and_module_entry_points(report: Path) -> None:
    module = subprocess.run(
        [sys.executable, "-m", "digestlint", str(report), "--select", "DL401"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert module.returncode == 1
    assert f"{report}:12:1: error DL401" in module.stdout


def test_extend_select_adds_to_the_configured_selection(tmp_path: Path) -> None:
    (tmp_path / "r.md").write_text(BROKEN, encoding="utf-8")
    (tmp_path / ".digestlint.toml").write_text(
        'select = ["DL1"]\nextend-select = ["stray-h1"]\n', encoding="utf-8"
    )
    result = run(str(tmp_path / "r.md"), "--format", "json")
    assert [f["code"] for f in json.loads(result.output)] == ["DL105", "DL401"]
    cli_extended = run(str(tmp_path / "r.md"), "--format", "json", "--extend-select", "DL402")
    assert [f["code"] for f in json.loads(cli_extended.output)] == ["DL105", "DL401"]


def test_rule_option_keys_may_be_spelled_with_hyphens(tmp_path: Path) -> None:
    from digestlint.config import load_settings

    for spelling in ("max-age-months", "max_age_months"):
        config = tmp_path / f"{spelling}.toml"
        config.write_text(f"[rules.arxiv-id-date]\n{spelling} = 6\n", encoding="utf-8")
        assert load_settings(config).options["DL709"].max_age_months == 6


def test_explicit_pyproject_without_digestlint_table_is_exit_2(
    tmp_path: Path, report: Path
) -> None:
    pyproject = tmp_path / "other" / "pyproject.toml"
    pyproject.parent.mkdir()
    pyproject.write_text('[tool.ruff]\nline-length = 100\n[project]\nname = "x"\n', "utf-8")
    result = run(str(report), "--config", str(pyproject))
    assert result.exit_code == 2
    assert f"{pyproject}: has no [tool.digestlint] table" in result.output
    # Found by walking up (not named), such a pyproject.toml is passed over, as before.
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', "utf-8")
    assert run(str(report), "--select", "DL401").exit_code in (0, 1)


def test_force_exclude_applies_exclude_to_named_files(tmp_path: Path, report: Path) -> None:
    (tmp_path / ".digestlint.toml").write_text('exclude = ["README.md"]\n', "utf-8")
    readme = tmp_path / "README.md"
    readme.write_text("# My project\n\nNot a report.\n", "utf-8")
    named = run(str(readme), "--select", "DL1")
    assert named.exit_code == 1 and f"{readme}:" in named.output  # named: linted
    forced = run(str(readme), "--select", "DL1", "--force-exclude")
    assert forced.exit_code == 0 and "README.md" not in forced.output
    # Files the config does not exclude are still linted.
    both = run(str(readme), str(report), "--select", "DL401", "--force-exclude")
    assert f"{readme}:" not in both.output and f"{report}:12:1: error DL401" in both.output


def test_an_excluded_directory_named_outright_is_linted(tmp_path: Path) -> None:
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive" / "old.md").write_text(BROKEN, encoding="utf-8")
    (tmp_path / ".digestlint.toml").write_text('exclude = ["archive"]\n', encoding="utf-8")
    named = run(str(tmp_path / "archive"), "--format", "json", "--select", "DL401")
    assert [Path(f["path"]).name for f in json.loads(named.output)] == ["old.md"]
    walked = run(str(tmp_path), "--format", "json", "--select", "DL401")
    assert json.loads(walked.stdout) == []
    assert "no Markdown files to lint" in walked.stderr
    forced = run(str(tmp_path / "archive"), "--force-exclude", "--select", "DL401")
    assert forced.exit_code == 0
    assert "no Markdown files to lint" in forced.output
