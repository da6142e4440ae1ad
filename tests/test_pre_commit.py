"""The real pre-commit, driving this repository's hooks and its own config.

Building a hook environment pip-installs digestlint and its dependencies from the
package index, so these tests need the network to reach PyPI. To build as few
environments as possible, everything shares one ``PRE_COMMIT_HOME`` per session
(``try-repo`` alone always builds in a throwaway store: it is used once).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from digestlint import fix_text

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "hf-daily-papers-2026-02-20.md"
CLEAN = ROOT / "examples" / "clean-report.md"
GIT_IDENTITY = ["-c", "user.name=digestlint tests", "-c", "user.email=tests@digestlint.invalid"]


def git(cwd: Path, *args: str) -> str:
    completed = subprocess.run(
        ["git", *GIT_IDENTITY, *args], cwd=cwd, capture_output=True, text=True, check=True
    )
    return completed.stdout


def snapshot_repository(target: Path) -> str:
    """Copy the working tree (tracked and new files, not ignored ones) into a fresh git
    repository at ``target`` and commit it, so pre-commit sees exactly the current
    state, uncommitted changes included. Returns the commit."""
    listed = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    target.mkdir(parents=True)
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if not source.is_file():
            continue  # deleted in the working tree
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(source.read_bytes())
        destination.chmod(source.stat().st_mode)
    git(target, "init", "-q")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "snapshot")
    return git(target, "rev-parse", "HEAD").strip()


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture(scope="session")
def hooks_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    path = tmp_path_factory.mktemp("hooks") / "digestlint"
    return path, snapshot_repository(path)


@pytest.fixture
def consumer(tmp_path: Path) -> Path:
    """A repository with a defective report (the seed) and a clean one, committed."""
    repo = tmp_path / "consumer"
    (repo / "reports").mkdir(parents=True)
    (repo / "reports" / "defective.md").write_text(SEED.read_text(encoding="utf-8"), "utf-8")
    (repo / "reports" / "clean.md").write_text(CLEAN.read_text(encoding="utf-8"), "utf-8")
    # Reports of one day: the archive checks (DL62) are not what these tests are about.
    (repo / ".digestlint.toml").write_text('ignore = ["DL62"]\n', "utf-8")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "reports")
    return repo


def pre_commit(cwd: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def run_hook(
    consumer: Path, home: Path, hooks_repo: tuple[Path, str], hook: str, *files: str
) -> subprocess.CompletedProcess[str]:
    """``pre-commit run HOOK --files ...`` with the config ``try-repo`` would write, in the
    session's pre-commit home, so the hook environment is built once."""
    path, rev = hooks_repo
    config = {"repos": [{"repo": str(path), "rev": rev, "hooks": [{"id": hook}]}]}
    config_file = consumer.parent / "pre-commit-config.yaml"
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    return pre_commit(consumer, home, "run", hook, "--config", str(config_file), "--files", *files)


@pytest.mark.slow
def test_try_repo_digestlint_fails_on_a_defective_report_and_shows_lines(
    consumer: Path, hooks_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    path, _ = hooks_repo
    files = ["--files", "reports/defective.md"]
    result = pre_commit(consumer, pre_commit_home, "try-repo", str(path), "digestlint", *files)
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(r"^digestlint\.+Failed$", result.stdout, re.MULTILINE), result.stdout
    assert "reports/defective.md:123:1: error DL401 [stray-h1]" in result.stdout
    assert re.search(r"reports/defective\.md:\d+:\d+: error DL403 ", result.stdout)


@pytest.mark.slow
def test_digestlint_hook_passes_a_clean_report(
    consumer: Path, hooks_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    result = run_hook(consumer, pre_commit_home, hooks_repo, "digestlint", "reports/clean.md")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^digestlint\.+Passed$", result.stdout, re.MULTILINE), result.stdout


@pytest.mark.slow
def test_digestlint_hook_only_sees_markdown(
    consumer: Path, hooks_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    (consumer / "notes.txt").write_text("# not a report\n", encoding="utf-8")
    git(consumer, "add", "notes.txt")
    result = run_hook(consumer, pre_commit_home, hooks_repo, "digestlint", "notes.txt")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "(no files to check)Skipped" in result.stdout


@pytest.mark.slow
def test_hooks_skip_what_the_consumers_config_excludes(
    consumer: Path, hooks_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    # pre-commit names README.md (types: [markdown]); the consumer's `exclude` keeps it
    # out, as it would when digestlint walks the repository.
    (consumer / "README.md").write_text("# My reports\n\nNot a report.\n", "utf-8")
    (consumer / ".digestlint.toml").write_text('exclude = ["README.md"]\n', "utf-8")
    git(consumer, "add", "-A")
    for hook in ("digestlint", "digestlint-fix"):
        result = run_hook(
            consumer, pre_commit_home, hooks_repo, hook, "README.md", "reports/clean.md"
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "README.md" not in result.stdout
    assert (consumer / "README.md").read_text("utf-8") == "# My reports\n\nNot a report.\n"


@pytest.mark.slow
def test_digestlint_fix_rewrites_the_report_and_fails(
    consumer: Path, hooks_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    report = consumer / "reports" / "defective.md"
    before = report.read_text(encoding="utf-8")
    result = run_hook(
        consumer, pre_commit_home, hooks_repo, "digestlint-fix", "reports/defective.md"
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(r"^digestlint \(fix\)\.+Failed$", result.stdout, re.MULTILINE)
    assert "files were modified by this hook" in result.stdout
    after = report.read_text(encoding="utf-8")
    assert after != before
    assert after == fix_text(before, path="reports/defective.md").text
    # The second run finds nothing left to fix and passes.
    again = run_hook(
        consumer, pre_commit_home, hooks_repo, "digestlint-fix", "reports/defective.md"
    )
    assert again.returncode == 0, again.stdout + again.stderr
    assert report.read_text(encoding="utf-8") == after


@pytest.mark.slow
def test_digestlint_fix_leaves_a_clean_report_alone(
    consumer: Path, hooks_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    report = consumer / "reports" / "clean.md"
    before = report.read_text(encoding="utf-8")
    result = run_hook(consumer, pre_commit_home, hooks_repo, "digestlint-fix", "reports/clean.md")
    assert result.returncode == 0, result.stdout + result.stderr
    assert report.read_text(encoding="utf-8") == before


@pytest.mark.slow
def test_this_repositorys_own_config_passes(tmp_path: Path, pre_commit_home: Path) -> None:
    # ruff (lint and format), digestlint on the example report, and the meta hooks, on a
    # snapshot of the working tree; the seed is excluded.
    repo = tmp_path / "digestlint"
    snapshot_repository(repo)
    result = pre_commit(repo, pre_commit_home, "run", "--all-files")
    assert result.returncode == 0, result.stdout + result.stderr
    for hook in ("ruff check", "ruff format", "digestlint (example reports)"):
        assert re.search(rf"^{re.escape(hook)}\.+Passed$", result.stdout, re.MULTILINE), (
            hook,
            result.stdout,
        )


@pytest.mark.slow
def test_this_repositorys_config_catches_a_defective_example(
    tmp_path: Path, pre_commit_home: Path
) -> None:
    repo = tmp_path / "digestlint"
    snapshot_repository(repo)
    (repo / "examples" / "broken.md").write_text(SEED.read_text(encoding="utf-8"), "utf-8")
    git(repo, "add", "-A")
    result = pre_commit(repo, pre_commit_home, "run", "digestlint", "--all-files")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "examples/broken.md:123:1: error DL401" in result.stdout
    assert "seeds/" not in result.stdout


def docs_pre_commit_config() -> dict:
    """The recommended `.pre-commit-config.yaml` of docs/ci.md."""
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", text, re.S)]
    [config] = [b for b in blocks if isinstance(b, dict) and "repos" in b]
    return config


FINDING = re.compile(r"^reports/[\w.]+:\d+:\d+: (?:error|warning|info) DL\d{3} .*$", re.M)
# What --fix leaves: DL710 (a paper listed twice, an error) and DL901 (a section in
# English, a warning), with DL105 (fixed) above them.
UNFIXABLE = (
    CLEAN.read_text(encoding="utf-8")
    .replace("**Date**: 2026-02-20\n\n", "**Date**: 2026-02-20\n", 1)
    .replace(
        "https://huggingface.co/papers/2602.17270", "https://huggingface.co/papers/2602.17363"
    )
    .replace(
        "图像生成与视频生成中的潜空间表示学习。",
        "Latent representation learning for image and video generation, trained jointly.",
    )
)


@pytest.mark.slow
def test_the_recommended_setup_prints_each_finding_once(
    consumer: Path, hooks_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    """docs/ci.md's config, pointed at this working tree: the fixes it applied are listed,
    and each finding that remains is printed once, as the summary counts them."""
    config = docs_pre_commit_config()
    [repo] = config["repos"]
    assert repo["repo"] == "https://github.com/digestlint/digestlint"
    repo["repo"], repo["rev"] = str(hooks_repo[0]), hooks_repo[1]
    config_file = consumer.parent / "recommended.yaml"
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    report = consumer / "reports" / "defective.md"
    (consumer / "reports" / "unfixable.md").write_text(UNFIXABLE, encoding="utf-8")
    git(consumer, "add", "-A")
    result = pre_commit(
        consumer, pre_commit_home, "run", "--all-files", "--config", str(config_file)
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "files were modified by this hook" in result.stdout
    fixed = re.findall(r"^reports/[\w.]+:\d+:\d+: fixed DL\d{3} .*$", result.stdout, re.M)
    assert len(fixed) == len(set(fixed)) > 0
    assert "reports/defective.md:12:1: fixed DL401 [stray-h1] demote to a bold paragraph" in fixed
    assert "reports/unfixable.md:3:1: fixed DL105 [header-fields-merged] insert a blank line" in (
        fixed
    )
    remaining = FINDING.findall(result.stdout)
    assert [line.split(" ")[:3] for line in remaining] == [
        ["reports/unfixable.md:36:41:", "error", "DL710"],
        ["reports/unfixable.md:40:1:", "warning", "DL901"],
    ]
    # pre-commit may split the files over processes: each prints its own summary line.
    counted = re.findall(r"\((\d+) fixed, (\d+) remaining", result.stdout)
    assert [sum(int(c[i]) for c in counted) for i in (0, 1)] == [len(fixed), len(remaining)]
    assert (
        report.read_text(encoding="utf-8")
        == fix_text(SEED.read_text(encoding="utf-8"), path="reports/defective.md").text
    )
    # The control: the two hooks one after the other print what remains twice.
    report.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (consumer / "reports" / "unfixable.md").write_text(UNFIXABLE, encoding="utf-8")
    repo["hooks"] = [
        {"id": "digestlint-fix", "files": "^reports/"},
        {"id": "digestlint", "files": "^reports/"},
    ]
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    both = pre_commit(
        consumer, pre_commit_home, "run", "--all-files", "--config", str(config_file)
    )
    twice = FINDING.findall(both.stdout)
    assert sorted(twice) == sorted(remaining * 2)


def test_the_documented_rev_exists_and_has_the_hook() -> None:
    """docs/ci.md's `rev:` is a tag or commit of this repository, and the
    `.pre-commit-hooks.yaml` at that revision offers the hook the example uses."""
    [repo] = docs_pre_commit_config()["repos"]
    rev = str(repo["rev"])
    assert re.fullmatch(r"[0-9a-f]{40}|v\d+\.\d+\.\d+", rev), rev
    git(ROOT, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    hooks = yaml.safe_load(git(ROOT, "show", f"{rev}:.pre-commit-hooks.yaml"))
    assert {hook["id"] for hook in repo["hooks"]} <= {hook["id"] for hook in hooks}


def test_hooks_manifest() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"digestlint", "digestlint-fix"}
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["types"] == ["markdown"]
        assert "require_serial" in hook
        assert "minimum_pre_commit_version" in hook
    assert "--exit-non-zero-on-fix" in hooks["digestlint-fix"]["entry"].split()
    assert "--show-fixes" in hooks["digestlint-fix"]["entry"].split()
    for hook in hooks.values():
        assert "--force-exclude" in hook["entry"].split()


def test_own_config_uses_only_local_and_meta_repos_with_pyproject_dependencies() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    assert {repo["repo"] for repo in config["repos"]} == {"local", "meta"}
    assert "seeds" in config["exclude"]
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert hooks["digestlint"]["additional_dependencies"] == pyproject["project"]["dependencies"]
    for ruff_hook in ("ruff-check", "ruff-format"):
        [pin] = hooks[ruff_hook]["additional_dependencies"]
        assert re.fullmatch(r"ruff==[\d.]+", pin)
