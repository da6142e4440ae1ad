"""docs/ci.md: its workflows parse, and their shell steps, run as written on a real git
repository with a real merge commit, lint exactly the reports a request adds or changes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CI_DOC = ROOT / "docs" / "ci.md"
CLEAN = (ROOT / "examples" / "clean-report.md").read_text(encoding="utf-8")
# An error (DL710: the second paper repeats the first one's id) and a warning (DL901).
DUPLICATE = CLEAN.replace(
    "https://huggingface.co/papers/2602.17270", "https://huggingface.co/papers/2602.17363"
)
ENGLISH = CLEAN.replace(
    "图像生成与视频生成中的潜空间表示学习。",
    "Latent representation learning for image and video generation, trained jointly.",
)


def yaml_blocks() -> list[dict]:
    """The hand-written workflows; the one that uses the GitHub Action is
    tests/test_github_action.py's, the one that caches is tested below."""
    text = CI_DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    return [
        yaml.safe_load(b)
        for b in blocks
        if "uses: digestlint/digestlint@" not in b and "actions/cache@" not in b
    ]


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout


def commit_files(repo: Path, files: dict[str, str | None], message: str) -> None:
    for name, text in files.items():
        path = repo / name
        if text is None:
            git(repo, "rm", "-q", name)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        git(repo, "add", name)
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """main: three reports; pr: changes one, adds two (one with a space in its name, one
    nested), deletes one and touches a non-report; main then moves on (changes another
    report); HEAD is the merge of pr into main, as actions/checkout makes it."""
    repo = tmp_path / "reports-repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "ci@example.org")
    git(repo, "config", "user.name", "CI")
    commit_files(
        repo,
        {
            # Copies of one day's report: not what the archive checks (DL62) are about.
            ".digestlint.toml": 'ignore = ["DL62"]\n',
            "reports/a.md": CLEAN,
            "reports/old.md": CLEAN,
            "reports/gone.md": CLEAN,
            "notes.md": "",
        },
        "base",
    )
    git(repo, "checkout", "-q", "-b", "pr")
    commit_files(
        repo,
        {
            "reports/a.md": DUPLICATE,
            "reports/with space.md": ENGLISH,
            "reports/2026/02/nested.md": CLEAN,
            "reports/gone.md": None,
            "notes.md": "# not a report\n",
        },
        "pr",
    )
    git(repo, "checkout", "-q", "main")
    commit_files(repo, {"reports/old.md": ENGLISH}, "main moves on")
    git(repo, "checkout", "-q", "--detach", "main")
    git(repo, "merge", "-q", "--no-ff", "pr", "-m", "merge pr")
    return repo


CHANGED = {"reports/a.md", "reports/with space.md", "reports/2026/02/nested.md"}


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "CI_"))}
    # `digestlint` and `python` of this interpreter's environment come first.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return {**env, **extra}


def bash(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "-e", "-c", script], cwd=cwd, env=env, capture_output=True, text=True
    )


def test_every_yaml_block_parses() -> None:
    workflow, gitlab, pre_commit = yaml_blocks()
    assert "digestlint" in workflow["jobs"] and "digestlint" in gitlab
    # One hook: digestlint-fix reports what remains itself (tests/test_pre_commit.py).
    assert [hook["id"] for hook in pre_commit["repos"][0]["hooks"]] == ["digestlint-fix"]


def test_github_steps_lint_only_the_changed_reports(repo: Path, tmp_path: Path) -> None:
    steps = {s.get("name"): s for s in yaml_blocks()[0]["jobs"]["digestlint"]["steps"]}
    output = tmp_path / "github_output"
    output.write_text("", encoding="utf-8")
    env = environment(GITHUB_ACTIONS="true", GITHUB_OUTPUT=str(output))

    listed = bash(steps["List the reports this pull request adds or changes"]["run"], repo, env)
    assert listed.returncode == 0, listed.stderr
    assert set(listed.stdout.splitlines()[1:]) == CHANGED
    assert output.read_text(encoding="utf-8") == "any=true\n"

    sarif = bash(steps["SARIF for code scanning"]["run"], repo, env)
    assert sarif.returncode == 0, sarif.stderr
    assert '"ruleId": "DL710"' in (repo / "digestlint.sarif").read_text(encoding="utf-8")

    # One run annotates every finding and fails the step on the error (DL710).
    gate = steps["Annotate and gate"]["run"]
    annotate = bash(gate, repo, env)
    assert annotate.returncode == 1, annotate.stderr
    annotated = {
        re.search(r"file=([^,]+),", line).group(1) for line in annotate.stdout.splitlines()
    }
    assert annotated == {"reports/a.md", "reports/with space.md"}
    assert "::error file=reports/a.md" in annotate.stdout
    assert "::warning file=reports/with space.md" in annotate.stdout

    # A warning alone is annotated and passes.
    (repo / "changed").write_bytes(b"reports/with space.md\0")
    warned = bash(gate, repo, env)
    assert warned.returncode == 0, warned.stderr
    assert "::warning file=reports/with space.md" in warned.stdout
    assert "::error" not in warned.stdout


@pytest.mark.slow
def test_gitlab_script_gates_on_errors_only(repo: Path) -> None:
    job = yaml_blocks()[1]["digestlint"]
    script = "\n".join(line for line in job["script"] if not line.startswith("pip install"))
    base = git(repo, "merge-base", "main", "pr").strip()
    # A merged results pipeline: HEAD is the merge commit, the source head is given.
    merged = environment(
        CI_MERGE_REQUEST_DIFF_BASE_SHA=base,
        CI_MERGE_REQUEST_SOURCE_BRANCH_SHA=git(repo, "rev-parse", "pr").strip(),
    )
    result = bash(script, repo, merged)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "error DL710 [paper-duplicate]" in result.stdout
    assert "1 at or above the fail level (error)." in result.stdout
    assert "reports/old.md" not in result.stdout  # changed on the target branch only
    for report in ("gl-code-quality-report.json", "digestlint-junit.xml"):
        assert (repo / report).is_file()

    # A merge request pipeline on the source branch, its error fixed: warnings pass.
    git(repo, "checkout", "-q", "pr")
    commit_files(repo, {"reports/a.md": CLEAN}, "fix the duplicate")
    result = bash(script, repo, environment(CI_MERGE_REQUEST_DIFF_BASE_SHA=base))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "None at or above the fail level (error)." in result.stdout
    assert "warning DL901" in result.stdout


def test_gitlab_script_with_no_changed_report_passes(repo: Path) -> None:
    script = "\n".join(
        line for line in yaml_blocks()[1]["digestlint"]["script"] if not line.startswith("pip")
    )
    head = git(repo, "rev-parse", "HEAD").strip()
    result = bash(script, repo, environment(CI_MERGE_REQUEST_DIFF_BASE_SHA=head))
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (repo / "gl-code-quality-report.json").exists()


def test_bash_and_git_are_there() -> None:
    # The tests above need both; say so plainly rather than fail obscurely.
    assert shutil.which("bash") and shutil.which("git")


# --- the workflow that keeps the content cache ---------------------------------------

ARCHIVE_WORKFLOW = ROOT / "examples" / "github" / "archive.yml"


def test_the_cache_workflow_is_the_one_in_docs_ci() -> None:
    docs = CI_DOC.read_text(encoding="utf-8")
    assert f"```yaml\n{ARCHIVE_WORKFLOW.read_text(encoding='utf-8')}```" in docs


def test_the_cache_workflow_caches_the_directory_its_run_writes(tmp_path: Path) -> None:
    """The cached path is where the lint step's run keeps its cache: at the repository's
    root, next to its config. The step runs as written, twice: the second run reads
    every report from the restored directory (no new entry is made)."""
    workflow = yaml.safe_load(ARCHIVE_WORKFLOW.read_text(encoding="utf-8"))
    steps = {s.get("name"): s for s in workflow["jobs"]["archive"]["steps"]}
    cached = steps["Restore the content cache"]
    assert cached["uses"].startswith("actions/cache@")
    repo = tmp_path / "repo"
    (repo / "reports").mkdir(parents=True)
    (repo / ".digestlint.toml").write_text('fail-level = "error"\n', encoding="utf-8")
    (repo / "reports" / "2026-02-20.md").write_text(CLEAN, encoding="utf-8")
    (repo / "reports" / "2026-02-21.md").write_text(ENGLISH, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "DIGESTLINT_CACHE_DIR"}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    script = steps["Lint the whole archive"]["run"]
    first = subprocess.run(["bash", "-e", "-c", script], cwd=repo, env=env, capture_output=True)
    assert first.returncode in (0, 1), first.stderr  # the second repeats the first's papers
    directory = repo / cached["with"]["path"]
    kept = sorted(p for p in directory.rglob("*") if p.is_file())
    names = [p.name for p in kept]
    # Two entries, the directory's .gitignore and the marker of its last prune.
    assert names.count(".gitignore") == names.count(".last-pruned") == 1 and len(kept) == 4
    second = subprocess.run(["bash", "-e", "-c", script], cwd=repo, env=env, capture_output=True)
    assert (second.returncode, second.stdout) == (first.returncode, first.stdout)
    assert sorted(p for p in directory.rglob("*") if p.is_file()) == kept


@pytest.mark.slow
def test_actionlint_passes_the_cache_workflow() -> None:
    from test_github_action import actionlint

    assert actionlint(ARCHIVE_WORKFLOW) == []
