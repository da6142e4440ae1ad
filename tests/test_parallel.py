"""Files checked by a pool of processes (``--jobs``) give the output of a serial run.

A directory of varied reports (the seed, the real-shaped reports under their own
configs and profiles, a report that is mostly errors, a CRLF report, a binary file, a
file that is not UTF-8, and two copies of one report, which the archive step reports
as one day's duplicates) is checked by the real command line in a subprocess with
``--jobs 1`` (one process) and ``--jobs 2`` (a pool: more files than the serial
threshold); stdout, stderr and the exit code must be the same bytes. ``--fix`` runs on
two copies of the directory, whose files must end up the same bytes too.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from digestlint import runner
from digestlint.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "hf-daily-papers-2026-02-20.md"
REAL_SHAPED = ROOT / "tests" / "data" / "real-shaped"


def make_corpus(root: Path) -> Path:
    root.mkdir(parents=True)
    # A schema whose `$ref` brings in another file: spawned workers must get both.
    (root / "defs.json").write_text('{"type": "array", "maxItems": 12}', encoding="utf-8")
    (root / "extra.schema.json").write_text(
        '{"properties": {"papers": {"$ref": "defs.json"}}}', encoding="utf-8"
    )
    (root / ".digestlint.toml").write_text('schema = "extra.schema.json"\n', encoding="utf-8")
    seed = SEED.read_bytes()
    (root / "seed").mkdir()
    (root / "seed" / SEED.name).write_bytes(seed)
    (root / "seed" / "again").mkdir()
    (root / "seed" / "again" / SEED.name).write_bytes(seed)  # DL623 with the first
    (root / "seed-crlf.md").write_bytes(seed.replace(b"\n", b"\r\n"))
    for report in sorted(REAL_SHAPED.glob("*.md")):
        if report.name.endswith(".fixed.md"):
            continue
        case = root / "real" / report.stem
        case.mkdir(parents=True)
        shutil.copy(report, case / report.name)
        config = tomllib.loads(report.with_suffix(".toml").read_text(encoding="utf-8"))
        profile = config.get("config", {}).get("profile")
        if profile is not None:
            if (REAL_SHAPED / profile).is_file():
                shutil.copy(REAL_SHAPED / profile, case / profile)
            (case / ".digestlint.toml").write_text(f'profile = "{profile}"\n', encoding="utf-8")
    broken = root / "broken"
    broken.mkdir()
    (broken / "binary.md").write_bytes(b"# Report\n\x00\x01\x02\n")
    (broken / "latin1.md").write_bytes("# Résumé\n\ncafé\n".encode("latin-1"))
    (broken / "errors.md").write_text(
        "Intro without a title\n\n## 📄 Paper\n\n- **链接**:\n\n### 9. \n\n# Late H1\n",
        encoding="utf-8",
    )
    return root


def digestlint(
    cwd: Path, *args: str, stdin: bytes = b"", cache: bool = False
) -> tuple[int, bytes, bytes]:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("FORCE_COLOR", None)
    done = subprocess.run(
        [sys.executable, "-m", "digestlint", *([] if cache else ["--no-cache"]), *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        env=env,
        timeout=600,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def test_the_corpus_is_varied_enough_to_go_to_the_pool(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    files = [p for p in corpus.rglob("*.md")]
    assert len(files) >= runner.PARALLEL_MIN_FILES
    assert runner.workers_for(len(files), 2) == 2
    assert runner.workers_for(runner.PARALLEL_MIN_FILES - 1, 2) == 1
    assert runner.workers_for(len(files), 1) == 1


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["."], id="text"),
        pytest.param(["--format", "json", "."], id="json"),
        pytest.param(["--format", "sarif", "."], id="sarif"),
        pytest.param(["--statistics", "."], id="statistics"),
        pytest.param(["--diff", "--show-fixes", "."], id="diff"),
        pytest.param(["--unsafe-fixes", "--diff", "."], id="unsafe-diff"),
        pytest.param(["--check-source", "--select", "DL62", "."], id="source-check-offline"),
    ],
)
def test_a_pool_prints_what_one_process_prints(tmp_path: Path, args: list[str]) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    serial = digestlint(corpus, "--jobs", "1", *args)
    pooled = digestlint(corpus, "--jobs", "2", *args)
    assert pooled == serial
    code, stdout, stderr = serial
    assert code in (1, 2)
    assert b"binary file" in stderr and b"not valid UTF-8" in stderr
    if args[0] == "--format" and args[1] == "json":
        duplicates = {f["path"] for f in json.loads(stdout) if f["code"] == "DL623"}
        assert {f"seed/{SEED.name}", f"seed/again/{SEED.name}"} <= duplicates


def test_cache_hits_and_pooled_misses_merge_in_order(tmp_path: Path) -> None:
    """Cache hits are read in the parent, misses go to the pool: the output is still
    the serial run's, cold, warm, and warm with a few files changed."""
    corpus = make_corpus(tmp_path / "corpus")
    args = ["--format", "json", "."]
    for round_ in range(3):
        if round_ == 2:
            for path in sorted(corpus.rglob("*.md"))[::3]:
                path.write_bytes(path.read_bytes() + b"\nOne more line.\n")
        serial = digestlint(corpus, "--jobs", "1", *args)
        assert serial[0] == 2 and len(json.loads(serial[1])) > 100  # the broken files: 2
        assert digestlint(corpus, "--jobs", "2", *args, cache=True) == serial


def test_stdin_keeps_its_place_among_pooled_files(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    args = ["--format", "json", "real", "-", "seed", "broken"]
    serial = digestlint(corpus, "--jobs", "1", *args, stdin=SEED.read_bytes())
    pooled = digestlint(corpus, "--jobs", "2", *args, stdin=SEED.read_bytes())
    assert pooled == serial
    assert b'"path": "-"' in serial[1]


def test_a_pool_fixes_files_as_one_process_does(tmp_path: Path) -> None:
    one, two = make_corpus(tmp_path / "one"), make_corpus(tmp_path / "two")
    args = ["--fix", "--show-fixes", "."]
    serial = digestlint(one, "--jobs", "1", *args)
    pooled = digestlint(two, "--jobs", "2", *args)
    assert pooled == serial
    assert b"fixed DL" in serial[1]
    fixed_one = {p.relative_to(one): p.read_bytes() for p in sorted(one.rglob("*.md"))}
    fixed_two = {p.relative_to(two): p.read_bytes() for p in sorted(two.rglob("*.md"))}
    assert fixed_one == fixed_two
    assert fixed_one[Path("seed") / SEED.name] != SEED.read_bytes()  # it was fixed


def test_jobs_two_starts_worker_processes(tmp_path: Path, monkeypatch) -> None:
    """The pool is real: files are checked in other processes than this one."""
    corpus = make_corpus(tmp_path / "corpus")
    seen = tmp_path / "pids"
    seen.mkdir()
    started = runner._start_worker

    def spy(*args: object) -> None:
        (seen / str(os.getpid())).touch()
        started(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "_start_worker", spy)
    monkeypatch.chdir(corpus)
    result = CliRunner().invoke(main, ["--no-cache", "--jobs", "2", "--format", "json", "."])
    assert result.exit_code == 2, result.stderr  # the binary file
    pids = {int(p.name) for p in seen.iterdir()}
    assert len(pids) == 2 and os.getpid() not in pids


def _die_in_a_worker(paths: list[Path]) -> list[runner.Outcome]:
    """A worker's batch that kills its process (module level: the pool sends it by
    name, and a forked worker has this module)."""
    assert os.getpid() != PARENT
    os._exit(3)


PARENT = os.getpid()


def test_a_dead_worker_costs_nothing_but_time(tmp_path: Path, monkeypatch) -> None:
    """A batch whose worker dies is checked in this process, and the batches after it
    too (the pool is broken): the same findings, and one warning that says so."""
    corpus = make_corpus(tmp_path / "corpus")
    monkeypatch.chdir(corpus)
    args = ["--no-cache", "--format", "json", "."]
    expected = CliRunner().invoke(main, ["--jobs", "1", *args])

    monkeypatch.setattr(runner, "_check_batch", _die_in_a_worker)
    result = CliRunner().invoke(main, ["--jobs", "2", *args])
    assert (result.exit_code, result.stdout) == (expected.exit_code, expected.stdout)
    extra = result.stderr.replace(expected.stderr, "", 1).splitlines()
    assert len(extra) == 1 and extra[0].startswith("warning: --jobs: a worker process failed")
    assert "terminated abruptly" in extra[0]  # the process really died


def test_a_pool_that_cannot_start_checks_here(tmp_path: Path, monkeypatch) -> None:
    """No worker processes (no /dev/shm, say): the files are checked in this process,
    with one warning, not an internal error."""
    corpus = make_corpus(tmp_path / "corpus")
    monkeypatch.chdir(corpus)
    args = ["--no-cache", "--format", "json", "."]
    expected = CliRunner().invoke(main, ["--jobs", "1", *args])

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(38, "Function not implemented")

    import concurrent.futures

    # The runner imports the pool class when it starts a pool (not at import).
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refuse)
    result = CliRunner().invoke(main, ["--jobs", "2", *args])
    assert (result.exit_code, result.stdout) == (expected.exit_code, expected.stdout)
    extra = result.stderr.replace(expected.stderr, "", 1).splitlines()
    assert extra == [
        "warning: --jobs: no worker processes ([Errno 38] Function not implemented); "
        "the files are checked here"
    ]


def run_on_a_terminal(cwd: Path, *args: str) -> bytes:
    """stderr of a run whose stderr is a terminal (a pseudo-terminal), stdout piped."""
    import pty

    controller, terminal = pty.openpty()
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("FORCE_COLOR", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "digestlint", "--no-cache", *args],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=terminal,
        env=env,
    )
    os.close(terminal)
    seen = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        seen += chunk
    process.wait(timeout=600)
    os.close(controller)
    return seen


def test_progress_line_on_a_terminal_only(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    total = len([p for p in corpus.rglob("*.md") if "broken" not in p.parts])
    shown = run_on_a_terminal(corpus, "--jobs", "2", "seed", "real", "seed-crlf.md")
    assert f"\rlinted {total}/{total} files".encode() in shown
    assert b"\rlinted 0/" not in shown
    # Cleared at the end: the line is blanked before the summary is printed.
    width = len(f"linted {total}/{total} files")
    assert b"\r" + b" " * width + b"\r" in shown
    assert b"linted" not in run_on_a_terminal(corpus, "--no-progress", "seed", "real")
    assert b"linted" not in run_on_a_terminal(corpus, "--quiet", "seed", "real")
    piped = digestlint(corpus, "--jobs", "2", "seed", "real")
    assert b"linted" not in piped[2]


def test_spawned_workers_give_the_same_output(tmp_path: Path, monkeypatch) -> None:
    """Where workers cannot be forked (macOS, or a process with threads), they are
    spawned: the settings and the cache are pickled to them, and the output is the same."""
    import multiprocessing

    corpus = make_corpus(tmp_path / "corpus")
    monkeypatch.chdir(corpus)
    args = ["--format", "json", "."]
    expected = CliRunner().invoke(main, ["--no-cache", "--jobs", "1", *args])
    monkeypatch.setattr(runner, "_pool_context", lambda: multiprocessing.get_context("spawn"))
    for _ in range(2):  # the cache filled by spawned workers, then read by them
        result = CliRunner().invoke(main, ["--jobs", "2", *args])
        assert (result.exit_code, result.stdout, result.stderr) == (
            expected.exit_code,
            expected.stdout,
            expected.stderr,
        )


def _save_link_results(path: str, prefix: str, count: int) -> None:
    from digestlint.linkcheck import LinkCache, LinkResult

    for n in range(count):
        # A cache object per save, as each worker's link checker has its own.
        link_cache = LinkCache(Path(path), 3600, 600, frozenset({200}))
        link_cache.put(LinkResult(url=f"https://{prefix}.example/{n}", status=200), 1e9)
        link_cache.save(1e9 + 1)


def test_workers_saving_the_link_cache_at_once_lose_no_result(tmp_path: Path) -> None:
    """Each save reads the file, merges its results in and replaces it; without the lock
    two workers reading the same old file would each drop the other's new results."""
    import multiprocessing

    path = tmp_path / "links.json"
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_save_link_results, args=(str(path), prefix, 60))
        for prefix in ("one", "two", "three")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
        assert worker.exitcode == 0
    entries = json.loads(path.read_text(encoding="utf-8"))["entries"]
    assert len(entries) == 180


def test_a_file_named_twice_is_checked_once(tmp_path: Path) -> None:
    """`a.md` given twice (and as `./a.md`) among enough files for a pool: fixed once,
    as a serial run fixes it, not by two workers racing on one file."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / ".digestlint.toml").write_text("# the defaults\n", encoding="utf-8")
    names = []
    for n in range(8):
        (corpus / f"f{n}.md").write_bytes(SEED.read_bytes())
        names.append(f"f{n}.md")
    (corpus / "a.md").write_bytes(SEED.read_bytes())
    arguments = ["a.md", *names[:4], "a.md", *names[4:], "./a.md"]
    runs = {}
    for jobs in ("1", "2"):
        copy = tmp_path / f"jobs-{jobs}"
        shutil.copytree(corpus, copy)
        runs[jobs] = digestlint(copy, "--fix", "--jobs", jobs, *arguments)
        assert (copy / "a.md").read_bytes() == (copy / "f0.md").read_bytes()
    assert runs["1"] == runs["2"]
    code, out, err = runs["2"]
    assert code == 1 and b"cannot write" not in err
    assert out.count(b"a.md:") == out.count(b"f0.md:")  # a.md's findings, once


def test_online_checks_run_in_one_process(tmp_path: Path, monkeypatch) -> None:
    """With --check-links the run's network limits hold across all its files, which
    one process keeps: no pool is started, however many files."""
    corpus = make_corpus(tmp_path / "corpus")
    monkeypatch.chdir(corpus)
    for n in range(8):
        (corpus / "broken" / f"copy-{n}.md").write_text("# Report\n", encoding="utf-8")

    def no_pool(*args: object, **kwargs: object) -> None:
        raise OSError("no pool here")

    import concurrent.futures

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_pool)
    arguments = ["--no-cache", "--jobs", "2", "--select", "DL1", "broken"]
    for online in (["--check-links"], ["--check-source"]):
        result = CliRunner().invoke(main, [*online, *arguments])
        assert "--jobs" not in result.stderr, result.stderr
    # The same files offline do ask for the pool (else this test would prove nothing).
    result = CliRunner().invoke(main, arguments)
    assert "no worker processes (no pool here)" in result.stderr
