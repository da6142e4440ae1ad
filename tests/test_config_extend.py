"""`extend` (a config inherits another's settings, as in ruff) and
`digestlint check --show-settings FILE`; an inherited config is no way around the rule
that only the run's root config opens the network."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_network_trust import CountingServer, server  # noqa: F401 (a fixture)

from digestlint.cli import main

ROOT = Path(__file__).resolve().parent.parent
CLEAN = (ROOT / "examples" / "clean-report.md").read_text(encoding="utf-8")
# DL105 (line 3), DL710 (line 35) and DL901 (line 39): three rules to select and ignore.
DEFECTIVE = (
    CLEAN.replace("**Date**: 2026-02-20\n\n", "**Date**: 2026-02-20\n", 1)
    .replace(
        "https://huggingface.co/papers/2602.17270", "https://huggingface.co/papers/2602.17363"
    )
    .replace(
        "图像生成与视频生成中的潜空间表示学习。",
        "Latent representation learning for image and video generation, trained jointly.",
    )
)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def codes(*args: str) -> list[tuple[str, str]]:
    result = run("--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    return [(f["path"], f["code"]) for f in json.loads(result.stdout)]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """pyproject.toml at the root ignores DL901; reports/ has its own config."""
    write(tmp_path / "pyproject.toml", '[tool.digestlint]\nignore = ["DL901"]\n')
    write(tmp_path / "reports" / "today.md", DEFECTIVE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_without_extend_a_nested_config_starts_from_the_defaults(project: Path) -> None:
    write(project / "reports" / ".digestlint.toml", 'ignore = ["DL105"]\n')
    assert codes("reports") == [
        ("reports/today.md", "DL710"),
        ("reports/today.md", "DL901"),
    ]


def test_extend_inherits_and_own_keys_replace(project: Path) -> None:
    write(project / "reports" / ".digestlint.toml", 'extend = "../pyproject.toml"\n')
    assert codes("reports") == [("reports/today.md", "DL105"), ("reports/today.md", "DL710")]
    # Its own `ignore` replaces the inherited one (ruff's `extend` does the same).
    write(
        project / "reports" / ".digestlint.toml",
        'extend = "../pyproject.toml"\nignore = ["DL105"]\n',
    )
    assert codes("reports") == [("reports/today.md", "DL710"), ("reports/today.md", "DL901")]
    # extend_select spelled either way is one key.
    write(
        project / "pyproject.toml",
        '[tool.digestlint]\nselect = ["DL105"]\nextend_select = ["DL710"]\n',
    )
    write(
        project / "reports" / ".digestlint.toml",
        'extend = "../pyproject.toml"\nextend-select = ["DL901"]\n',
    )
    assert codes("reports") == [("reports/today.md", "DL105"), ("reports/today.md", "DL901")]


def test_rules_and_links_tables_merge_key_by_key(project: Path) -> None:
    write(
        project / "pyproject.toml",
        '[tool.digestlint.rules.paper-duplicate]\nseverity = "warning"\n'
        '[tool.digestlint.rules.header-fields-merged]\nseverity = "info"\n'
        "[tool.digestlint.links]\ntimeout = 5\nretries = 0\n",
    )
    write(
        project / "reports" / ".digestlint.toml",
        'extend = "../pyproject.toml"\n[rules.header-fields-merged]\nseverity = "error"\n'
        "[links]\nretries = 1\n",
    )
    result = run("--format", "json", "reports")
    severities = {f["code"]: f["severity"] for f in json.loads(result.stdout)}
    assert severities == {"DL105": "error", "DL710": "warning", "DL901": "warning"}
    shown = json.loads(run("--show-settings", "--format", "json", "reports/today.md").stdout)
    assert (shown["links"]["timeout"], shown["links"]["retries"]) == (5.0, 1)


def test_inherited_paths_keep_their_meaning(project: Path) -> None:
    """The inherited profile file, exclude glob and per-file-ignores glob are relative to
    the file that wrote them, not to the one that inherits them."""
    shutil.copy(ROOT / "examples" / "en-digest" / "profile.toml", project / "en-profile.toml")
    write(
        project / "pyproject.toml",
        '[tool.digestlint]\nexclude = ["reports/archive"]\n'
        '[tool.digestlint.per-file-ignores]\n"reports/drafts/*.md" = ["DL710"]\n',
    )
    write(project / "reports" / "archive" / "old.md", DEFECTIVE)
    write(project / "reports" / "drafts" / "draft.md", DEFECTIVE)
    write(project / "reports" / ".digestlint.toml", 'extend = "../pyproject.toml"\n')
    found = codes("reports")
    assert ("reports/drafts/draft.md", "DL105") in found
    assert ("reports/drafts/draft.md", "DL710") not in found
    assert ("reports/today.md", "DL710") in found
    assert not any(path.startswith("reports/archive") for path, _ in found)
    # A profile file named by the inherited config.
    write(project / "pyproject.toml", '[tool.digestlint]\nprofile = "en-profile.toml"\n')
    shown = run("--show-settings", "reports/today.md").stdout
    assert f"Profile: en-digest ({project / 'en-profile.toml'})\n" in shown


def test_a_chain_of_extends(project: Path) -> None:
    write(project / "base.toml", 'ignore = ["DL710"]\n')
    write(project / "pyproject.toml", '[tool.digestlint]\nextend = "base.toml"\n')
    write(project / "reports" / ".digestlint.toml", 'extend = "../pyproject.toml"\n')
    assert codes("reports") == [("reports/today.md", "DL105"), ("reports/today.md", "DL901")]
    shown = run("--show-settings", "reports/today.md").stdout
    assert (
        f"Config file: {project / 'reports' / '.digestlint.toml'}\n"
        f"  extends: {project / 'pyproject.toml'}\n"
        f"  extends: {project / 'base.toml'}\n"
    ) in shown


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {"reports/.digestlint.toml": 'extend = "../missing.toml"\n'},
            "reports/.digestlint.toml: extend: {root}/missing.toml is not a file",
        ),
        (
            {
                "reports/.digestlint.toml": 'extend = "../a.toml"\n',
                "a.toml": 'extend = "reports/.digestlint.toml"\n',
            },
            "a.toml: extend: a cycle: {root}/reports/.digestlint.toml -> {root}/a.toml -> "
            "{root}/reports/.digestlint.toml",
        ),
        (
            {
                "reports/.digestlint.toml": 'extend = "../other/pyproject.toml"\n',
                "other/pyproject.toml": "[project]\nname = 'x'\n",
            },
            "other/pyproject.toml: has no [tool.digestlint] table",
        ),
        (
            {
                "reports/.digestlint.toml": 'extend = "../base.toml"\n',
                "base.toml": 'ignroe = ["DL105"]\n',
            },
            "base.toml: ignroe: unknown key; did you mean `ignore`?",
        ),
        (
            {
                "reports/.digestlint.toml": 'extend = "../x.toml"\nextend_select = []\n'
                'extend-select = ["DL1"]\n',
                "x.toml": "",
            },
            "reports/.digestlint.toml: extend-select: given twice (with `-` and with `_`)",
        ),
    ],
)
def test_a_broken_extend_is_a_config_error(
    project: Path, files: dict[str, str], message: str
) -> None:
    for name, text in files.items():
        write(project / name, text)
    result = run("reports/today.md")
    assert result.exit_code == 2
    assert message.format(root=project) in result.stderr


# --- --show-settings --------------------------------------------------------------------------


def test_show_settings_names_the_files_the_profile_and_the_rules(project: Path) -> None:
    write(
        project / "pyproject.toml",
        '[tool.digestlint]\nfail-level = "error"\nignore = ["DL901"]\n'
        '[tool.digestlint.rules.section-heading-style]\nstyle = "atx"\n',
    )
    write(
        project / "reports" / ".digestlint.toml",
        'extend = "../pyproject.toml"\n[per-file-ignores]\n"today.md" = ["DL710"]\n',
    )
    result = run("--show-settings", "reports/today.md")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:8] == [
        "File: reports/today.md",
        f"Config file: {project / 'reports' / '.digestlint.toml'}",
        f"  extends: {project / 'pyproject.toml'}",
        f"Root config: {project / 'pyproject.toml'} "
        "(it sets the fail level and the network permissions)",
        "Profile: hf-daily-papers-zh (built-in)",
        "Schema: (none)",
        "Fail level: error",
        "Include: *.md, *.markdown",
    ]
    assert "Per-file ignores: today.md: DL710" in lines
    rules = lines[lines.index(next(line for line in lines if line.startswith("Rules ("))) :]
    assert "  DL403  section-heading-style  error" in rules
    assert rules[rules.index("  DL403  section-heading-style  error") + 1] == (
        '      style = "atx"'
    )
    # Ignored in the config, or for this file: not listed as enabled.
    assert not any(line.startswith(("  DL901 ", "  DL710 ")) for line in rules)
    assert "  DL711  link-dead  error  (with --check-links or links.online)" in rules
    # Nothing was linted.
    assert "Found" not in result.stdout and "DL105 [" not in result.stdout


def test_show_settings_applies_the_command_line(project: Path) -> None:
    result = run(
        "--show-settings", "--select", "DL105", "--fail-level", "warning", "--format", "json",
        "reports/today.md",
    )  # fmt: skip
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [rule["code"] for rule in data["rules"]] == ["DL105"]
    assert data["fail-level"] == "warning"
    assert data["config-file"] == str(project / "pyproject.toml")


def test_show_settings_for_stdin_and_without_a_config(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("--show-settings", "--stdin-filename", "x/today.md")
    assert result.exit_code == 0
    assert result.stdout.startswith("File: x/today.md\nConfig file: ")
    # The tests' temporary directories end config discovery with an empty config.
    assert ".digestlint.toml" in result.stdout.splitlines()[1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["a.md", "b.md"], "--show-settings takes one file (or - with --stdin-filename)"),
        ([], "--show-settings takes one file (or - with --stdin-filename)"),
        (["--format", "sarif", "a.md"], "--show-settings has no sarif form"),
    ],
)
def test_show_settings_usage(project: Path, args: list[str], message: str) -> None:
    result = run("--show-settings", *args)
    assert result.exit_code == 2
    assert message in result.output


# --- extend and the network ------------------------------------------------------------------

GRANTING = '[links]\nonline = true\nallow-hosts = ["127.0.0.1"]\ncache = false\n'


def test_a_nested_config_extending_a_granting_file_is_not_widened(
    server: CountingServer,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The root config grants nothing; the pull request adds a config beside the reports
    that extends a file granting the local network: no request is made."""
    write(tmp_path / ".digestlint.toml", 'profile = "generic"\n')
    write(tmp_path / "shared" / "granting.toml", 'profile = "generic"\n' + GRANTING)
    write(tmp_path / "reports" / ".digestlint.toml", 'extend = "../shared/granting.toml"\n')
    write(tmp_path / "reports" / "report.md", f"本地 http://127.0.0.1:{server.port}/ok\n")
    monkeypatch.chdir(tmp_path)
    online = run("--check-links", "--no-progress", "--format", "json", "reports/report.md")
    assert [f["code"] for f in json.loads(online.stdout)] == ["DL712"]  # refused
    nested = tmp_path / "reports" / ".digestlint.toml"
    assert f"{nested}: links.allow-hosts: ['127.0.0.1'] not allowed by the root config" in (
        online.stderr
    )
    # Its online = true does not turn the check on.
    assert json.loads(run("--format", "json", "reports/report.md").stdout) == []
    assert server.total() == 0


def test_the_root_config_may_extend_a_granting_file(
    server: CountingServer,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The root config is the run's own choice: what it extends is part of it (the
    control for the test above: the same file, this time granting)."""
    write(tmp_path / ".digestlint.toml", 'extend = "shared/granting.toml"\n')
    write(tmp_path / "shared" / "granting.toml", 'profile = "generic"\n' + GRANTING)
    write(tmp_path / "reports" / "report.md", f"本地 http://127.0.0.1:{server.port}/ok\n")
    monkeypatch.chdir(tmp_path)
    result = run("--no-progress", "--format", "json", "reports/report.md")
    assert json.loads(result.stdout) == [], result.output
    assert server.counts["/ok"] == 1
    # A nested config extending the root itself gets the root's permissions, no more.
    write(tmp_path / "reports" / ".digestlint.toml", 'extend = "../.digestlint.toml"\n')
    again = run("--no-progress", "--format", "json", "reports/report.md")
    assert json.loads(again.stdout) == [], again.output
    assert server.counts["/ok"] == 2
    assert "not allowed by the root config" not in again.stderr
