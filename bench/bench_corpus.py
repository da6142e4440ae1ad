"""Whole runs of the CLI, side by side with markdownlint-cli2 and a bare markdown-it-py parse,
and the goals of issue 12 as ratios measured in this one run.

Every figure is the median wall-clock time of a whole process (interpreter start,
imports, reading, linting, printing to /dev/null) over ``--repeat`` runs, on files this
script writes into a scratch directory. The commands a goal compares (digestlint cold,
warm and markdownlint-cli2 on the copies; digestlint and markdownlint-cli2 on the seed)
run in turns, at least 5 times each, so that a machine that changes speed during the
bench moves both sides of a ratio alike. The files:

- 200 copies of the seed (``copy-NNN/hf-daily-papers-2026-02-20.md``);
- the seed alone;
- one report of about 1 MB and one of about 5 MB: the seed's header, then its papers
  repeated, then its closing separator.

digestlint's modules are byte-compiled first (``compileall``, into the package's own
``__pycache__``), as an installed copy is: an editable checkout under
``PYTHONDONTWRITEBYTECODE`` would otherwise compile them again in every process.

markdownlint-cli2 is installed from npm into the cache directory
``scripts/install-node-tools.sh`` uses (the tests use the same one); without node and
npm its rows say so and its goals are not judged. Options of digestlint that a checkout
may not have yet (``--no-cache``, ``--jobs``) are looked for in ``digestlint check
--help`` and used when there.

Run: ``python bench/bench_corpus.py`` (a few minutes); ``--quick`` runs each
measurement once on 10 copies and reports of about 200 KB and 1 MB, to check that the
script works, not to judge the goals. The output is Markdown, for docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "hf-daily-papers-2026-02-20.md"
INSTALL_NODE_TOOLS = ROOT / "scripts" / "install-node-tools.sh"
DIGESTLINT = [sys.executable, "-m", "digestlint"]

BARE_PARSE = """\
import sys
from pathlib import Path
from markdown_it import MarkdownIt
parser = MarkdownIt("commonmark")
for name in sys.argv[1:]:
    paths = [Path(name)] if Path(name).is_file() else sorted(Path(name).rglob("*.md"))
    for path in paths:
        parser.parse(path.read_text(encoding="utf-8"))
"""


@dataclass
class Timing:
    label: str
    seconds: float | None
    """Median wall-clock seconds; ``None``: not measured (``note`` says why)."""
    note: str = ""


def median_run(
    command: list[str],
    repeat: int,
    cwd: Path,
    env: dict[str, str],
    before: Callable[[], object] | None = None,
) -> float:
    """Median seconds of ``command``; ``before`` runs ahead of each run, untimed."""
    samples = []
    for _ in range(repeat):
        if before is not None:
            before()
        start = time.perf_counter()
        result = subprocess.run(
            command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        samples.append(time.perf_counter() - start)
        if result.returncode not in (0, 1):  # 1: findings
            raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr.decode()}")
    return statistics.median(samples)


def interleaved_runs(
    commands: dict[str, list[str] | None],
    repeat: int,
    cwd: Path,
    env: dict[str, str],
) -> dict[str, float | None]:
    """Median seconds of each command (``None``: not run), the commands run in turns
    (A B C, then C B A, ...) rather than each ``repeat`` times in a row: a machine that
    slows down or speeds up during the bench moves every command's figure alike, so
    the ratios between them stay fair."""
    names = [name for name, command in commands.items() if command is not None]
    samples: dict[str, list[float]] = {name: [] for name in names}
    for turn in range(repeat):
        for name in names if turn % 2 == 0 else reversed(names):
            command = commands[name]
            assert command is not None
            samples[name].append(median_run(command, 1, cwd, env))
    return {
        name: statistics.median(samples[name]) if name in samples else None for name in commands
    }


def big_report(seed: str, size: int) -> str:
    """The seed's header, its papers repeated to ``size`` bytes, its closing separator."""
    lines = seed.splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if line.startswith("## "))
    head, body = "".join(lines[:first]), "".join(lines[first:])
    closing = body.rstrip().rfind("\n=")
    papers, trailer = body[: closing + 1], body[closing + 1 :]
    parts, written = [head], len(head.encode())
    while written < size:
        parts.append(papers)
        written += len(papers.encode())
    parts.append(trailer)
    return "".join(parts)


def write_inputs(work: Path, copies: int, sizes: tuple[int, int]) -> dict[str, Path]:
    seed = SEED.read_text(encoding="utf-8")
    corpus = work / "copies"
    for index in range(copies):
        folder = corpus / f"copy-{index:03d}"
        folder.mkdir(parents=True)
        shutil.copy(SEED, folder / SEED.name)
    alone = work / "seed"
    alone.mkdir()
    shutil.copy(SEED, alone / SEED.name)
    inputs = {"copies": corpus, "seed": alone / SEED.name}
    for name, size in zip(("big1", "big5"), sizes, strict=True):
        path = work / "big" / f"report-{name}.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(big_report(seed, size), encoding="utf-8")
        inputs[name] = path
    return inputs


def markdownlint_cli2() -> tuple[list[str] | None, str]:
    """The command that runs markdownlint-cli2, installing it if needed, and its version;
    ``None`` and the reason when it cannot be had."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        return None, "node and npm not found"
    completed = subprocess.run(
        ["sh", str(INSTALL_NODE_TOOLS)], capture_output=True, text=True, timeout=600
    )
    if completed.returncode != 0:
        return None, f"install-node-tools.sh failed: {completed.stderr.strip()[-200:]}"
    package = (
        Path(completed.stdout.strip().splitlines()[-1]) / "node_modules" / "markdownlint-cli2"
    )
    version = re.search(r'"version":\s*"([^"]+)"', (package / "package.json").read_text())
    return ["node", str(package / "markdownlint-cli2-bin.mjs")], version.group(
        1
    ) if version else ""


def check_options() -> set[str]:
    """The long options ``digestlint check --help`` lists."""
    result = subprocess.run([*DIGESTLINT, "check", "--help"], capture_output=True, text=True)
    return set(re.findall(r"(--[a-z][a-z-]*)", result.stdout))


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown"
    found = re.search(r"^model name\s*:\s*(.+)$", text, re.M)
    return found.group(1).strip() if found else "unknown"


LINT_IMPORTS = "import digestlint.cli, digestlint.runner"
"""What a ``check`` run imports before its first file (the runner brings the settings,
the rules and the parser); ``import digestlint.cli`` alone is what ``--version`` and
``--help`` load."""


def import_time(statement: str = LINT_IMPORTS) -> tuple[float, list[tuple[str, float]]]:
    """``python -X importtime -c STATEMENT``: the total of digestlint's top-level imports,
    in seconds, and the costliest modules by their own time."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", statement],
        capture_output=True,
        text=True,
    )
    rows = []
    for line in result.stderr.splitlines():
        found = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if found:
            top = len(found.group(3)) == 1
            rows.append(
                (found.group(4), int(found.group(1)) / 1e6, int(found.group(2)) / 1e6, top)
            )
    total = sum(
        cumulative
        for name, _, cumulative, top in rows
        if top and name.split(".")[0] == "digestlint"
    )
    own = sorted(((name, self_time) for name, self_time, _, _ in rows), key=lambda r: -r[1])
    return total, own[:8]


def seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f} s" if value >= 0.1 else f"{value * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--copies", type=int, default=200)
    parser.add_argument(
        "--quick", action="store_true", help="one run each, 10 copies, ~200 KB and ~1 MB"
    )
    parser.add_argument("--keep", type=Path, help="write the inputs here and keep them")
    args = parser.parse_args()
    repeat, copies, sizes = args.repeat, args.copies, (1_000_000, 5_000_000)
    if args.quick:
        repeat, copies, sizes = 1, 10, (200_000, 1_000_000)

    work = args.keep or Path(tempfile.mkdtemp(prefix="digestlint-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    for old in ("copies", "seed", "big", "cache", "fixing"):
        shutil.rmtree(work / old, ignore_errors=True)
    try:
        run(work, repeat, copies, sizes, quick=args.quick)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


def byte_compile() -> str:
    """Byte-compile digestlint's modules where Python looks for them, as ``pip install``
    does for a wheel, and say what was done. A checkout installed in editable mode under
    ``PYTHONDONTWRITEBYTECODE`` (or not writable) never gets its ``__pycache__``: each
    run would compile every module again, about 0.1 s that no installed copy pays."""
    import compileall

    import digestlint

    package = Path(digestlint.__file__).resolve().parent
    done = compileall.compile_dir(package, quiet=1)
    return "digestlint's modules byte-compiled before timing, as `pip install` does" + (
        "" if done else f" (failed: {package})"
    )


def run(work: Path, repeat: int, copies: int, sizes: tuple[int, int], *, quick: bool) -> None:
    bytecode = byte_compile()
    inputs = write_inputs(work, copies, sizes)
    options = check_options()
    has_cache, has_jobs = "--no-cache" in options, "--jobs" in options
    env = {**os.environ, "DIGESTLINT_CACHE_DIR": str(work / "cache"), "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    cold = ["--no-cache"] if has_cache else []
    markdownlint, markdownlint_version = markdownlint_cli2()

    def digestlint(*args: str | Path, extra: tuple[str, ...] = ()) -> float:
        return median_run([*DIGESTLINT, *cold, *extra, *map(str, args)], repeat, work, env)

    def digestlint_fix(source: Path) -> float:
        """``--fix`` on a fresh copy each run (``--diff`` would time difflib too)."""
        target = work / "fixing" / source.name
        target.parent.mkdir(exist_ok=True)
        command = [*DIGESTLINT, *cold, "--fix", str(target.relative_to(work))]
        return median_run(command, repeat, work, env, lambda: shutil.copy(source, target))

    def mdl(target: str, name: str) -> Timing:
        if markdownlint is None:
            return Timing(f"markdownlint-cli2, {name}", None, markdownlint_version)
        return Timing(
            f"markdownlint-cli2, {name}", median_run([*markdownlint, target], repeat, work, env)
        )

    def bare(target: Path) -> float:
        return median_run([sys.executable, "-c", BARE_PARSE, str(target)], repeat, work, env)

    relative = {key: str(path.relative_to(work)) for key, path in inputs.items()}
    timings: dict[str, Timing] = {}
    timings["python"] = Timing(
        "python -c pass", median_run([sys.executable, "-c", "pass"], repeat, work, env)
    )
    timings["version"] = Timing(
        "digestlint --version", median_run([*DIGESTLINT, "--version"], repeat, work, env)
    )
    label = f"{copies} seed copies"
    # The goals' pairs run in turns, at least 5 of each (see interleaved_runs).
    paired = max(repeat, 5) if not quick else repeat
    if has_cache:
        shutil.rmtree(work / "cache", ignore_errors=True)
        median_run([*DIGESTLINT, relative["copies"]], 1, work, env)  # fill the cache
    copies_runs = interleaved_runs(
        {
            "cold": [*DIGESTLINT, *cold, relative["copies"]],
            "warm": [*DIGESTLINT, relative["copies"]] if has_cache else None,
            "mdl copies": [*markdownlint, f"{relative['copies']}/**/*.md"]
            if markdownlint
            else None,
        },
        paired,
        work,
        env,
    )
    timings["cold"] = Timing(
        f"digestlint, {label}, cold" + ("" if has_cache else " (no cache in this version)"),
        copies_runs["cold"],
    )
    timings["warm"] = Timing(
        f"digestlint, {label}, warm cache",
        copies_runs["warm"],
        "" if has_cache else "no --no-cache option",
    )
    timings["mdl copies"] = Timing(
        f"markdownlint-cli2, {label}",
        copies_runs["mdl copies"],
        "" if markdownlint else markdownlint_version,
    )
    timings["bare copies"] = Timing(f"markdown-it-py parse, {label}", bare(inputs["copies"]))
    if has_jobs:
        cpus = usable_cpus()
        timings["jobs 1"] = Timing(
            f"digestlint --jobs 1, {label}", digestlint(relative["copies"], extra=("--jobs", "1"))
        )
        timings["jobs n"] = Timing(
            f"digestlint --jobs {cpus}, {label}",
            digestlint(relative["copies"], extra=("--jobs", str(cpus))),
        )
    seed_runs = interleaved_runs(
        {
            "seed": [*DIGESTLINT, *cold, relative["seed"]],
            "mdl seed": [*markdownlint, relative["seed"]] if markdownlint else None,
        },
        paired,
        work,
        env,
    )
    timings["seed"] = Timing("digestlint, the seed", seed_runs["seed"])
    timings["seed fix"] = Timing("digestlint --fix, the seed", digestlint_fix(inputs["seed"]))

    timings["mdl seed"] = Timing(
        "markdownlint-cli2, the seed",
        seed_runs["mdl seed"],
        "" if markdownlint else markdownlint_version,
    )
    timings["bare seed"] = Timing("markdown-it-py parse, the seed", bare(inputs["seed"]))
    for key, size in zip(("big1", "big5"), sizes, strict=True):
        name = f"{size / 1e6:g} MB report"
        timings[key] = Timing(f"digestlint, {name}", digestlint(relative[key]))
        timings[f"{key} fix"] = Timing(f"digestlint --fix, {name}", digestlint_fix(inputs[key]))
        timings[f"mdl {key}"] = mdl(relative[key], name)
        timings[f"bare {key}"] = Timing(f"markdown-it-py parse, {name}", bare(inputs[key]))
    imports, own = import_time()
    version_imports, _ = import_time("import digestlint.cli")
    report(
        timings,
        imports,
        version_imports,
        own,
        repeat,
        markdownlint_version,
        quick=quick,
        sizes=sizes,
        bytecode=bytecode,
    )


def ratio(timings: dict[str, Timing], top: str, bottom: str) -> float | None:
    a, b = timings[top].seconds, timings[bottom].seconds
    return None if a is None or b is None or b == 0 else a / b


def report(
    timings: dict[str, Timing],
    imports: float,
    version_imports: float,
    own: list[tuple[str, float]],
    repeat: int,
    markdownlint_version: str,
    *,
    quick: bool,
    sizes: tuple[int, int],
    bytecode: str,
) -> None:
    from markdown_it import __version__ as markdown_it_version

    from digestlint import __version__

    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    print("## Machine\n")
    print(f"- CPU: {cpu_model()}, {os.cpu_count()} CPUs, {usable_cpus()} usable by this process")
    print(f"- Python {platform.python_version()} ({platform.platform()})")
    print(
        f"- digestlint {__version__} ({commit or 'no git'}), markdown-it-py {markdown_it_version}"
    )
    mdl = markdownlint_version if timings["mdl seed"].seconds is not None else None
    print(
        f"- markdownlint-cli2 {mdl}"
        if mdl
        else f"- markdownlint-cli2: not measured ({markdownlint_version})"
    )
    print(f"- median of {repeat} run(s) each, wall clock, whole processes, output to /dev/null")
    if not quick:
        print(
            f"- the goals' pairs (cold, warm and markdownlint-cli2 on the copies; the seed and "
            f"markdownlint-cli2): median of {max(repeat, 5)} runs each, run in turns"
        )
    print(f"- {bytecode}")
    if quick:
        print(
            "- **--quick**: one run each on small inputs; the goals below are not judged on them"
        )
    print("\n## Timings\n")
    print("| work | time | note |\n|---|---:|---|")
    for timing in timings.values():
        print(f"| {timing.label} | {seconds(timing.seconds)} | {timing.note} |")

    big1, big5 = f"{sizes[0] / 1e6:g} MB", f"{sizes[1] / 1e6:g} MB"
    goals = [
        (
            "200 seed copies, cold: digestlint / markdownlint-cli2",
            ratio(timings, "cold", "mdl copies"),
            0.8,
        ),
        ("200 seed copies, warm / cold", ratio(timings, "warm", "cold"), 0.1),
        ("the seed: digestlint / markdownlint-cli2", ratio(timings, "seed", "mdl seed"), 0.8),
        (f"{big1} report / the seed", ratio(timings, "big1", "seed"), 25.0),
        (f"{big5} report / {big1} report", ratio(timings, "big5", "big1"), 5.0),
    ]
    print("\n## Goals (issue 12)\n")
    print("| goal | ratio | at most | met |\n|---|---:|---:|---|")
    for name, value, limit in goals:
        if value is None:
            verdict = "not measured"
        elif quick:
            verdict = "not judged (--quick)"
        else:
            verdict = "yes" if value <= limit else "**no**"
        shown = "—" if value is None else f"{value:.2f}x"
        print(f"| {name} | {shown} | {limit:g}x | {verdict} |")

    print("\n## Other ratios\n")
    print("| | ratio |\n|---|---:|")
    others = [
        ("the seed: digestlint / markdown-it-py parse", ratio(timings, "seed", "bare seed")),
        ("copies: digestlint cold / markdown-it-py parse", ratio(timings, "cold", "bare copies")),
        (f"{big1}: digestlint / markdown-it-py parse", ratio(timings, "big1", "bare big1")),
        (f"{big5}: digestlint / markdown-it-py parse", ratio(timings, "big5", "bare big5")),
        (f"{big1}: digestlint / markdownlint-cli2", ratio(timings, "big1", "mdl big1")),
        (f"{big5}: digestlint / markdownlint-cli2", ratio(timings, "big5", "mdl big5")),
        (f"--fix: {big1} / the seed", ratio(timings, "big1 fix", "seed fix")),
        (f"--fix: {big5} / {big1}", ratio(timings, "big5 fix", "big1 fix")),
    ]
    if "jobs 1" in timings:
        others.append(("speed-up, --jobs 1 / --jobs N", ratio(timings, "jobs 1", "jobs n")))
    else:
        others.append(("speed-up from --jobs", None))
    for name, value in others:
        print(f"| {name} | {'— (not measured)' if value is None else f'{value:.2f}x'} |")

    print("\n## Startup\n")
    print(f"`python -X importtime -c '{LINT_IMPORTS}'`")
    print(f"(what a lint imports before its first file): {imports * 1000:.0f} ms in all;")
    print(
        f"`import digestlint.cli` alone (`--version`, `--help`): {version_imports * 1000:.0f} ms."
    )
    print("importtime's own bookkeeping makes it slower than a plain import. The lint's")
    print("imports by own time:\n")
    print("| module | own time |\n|---|---:|")
    for name, self_time in own:
        print(f"| {name} | {self_time * 1000:.1f} ms |")


if __name__ == "__main__":
    main()
