"""The content cache: a hit gives what a miss gives, anything a finding depends on
invalidates an entry, and a damaged or unwritable cache never costs a finding.

Runs go through the real command line, in this process (CliRunner, so that the lint
function can be watched: a hit is proved by a run in which linting would fail) or in
subprocesses (two runs sharing one cache directory at once). Each test has its own
cache directory (``DIGESTLINT_CACHE_DIR``, set by conftest) unless it says otherwise.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from digestlint import cache, runner
from digestlint.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "hf-daily-papers-2026-02-20.md"
NEWSLETTER = ROOT / "tests" / "data" / "real-shaped" / "zh-newsletter-label-drift.md"
PROFILE = ROOT / "tests" / "data" / "real-shaped" / "newsletter.profile.toml"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two reports under the default profile, one under a profile file."""
    (tmp_path / ".digestlint.toml").write_text("# defaults\n", encoding="utf-8")
    (tmp_path / "a.md").write_bytes(SEED.read_bytes())
    (tmp_path / "b.md").write_bytes(SEED.read_bytes().replace(b"2026-02-20", b"2026-02-21"))
    news = tmp_path / "news"
    news.mkdir()
    shutil.copy(NEWSLETTER, news / "report.md")
    shutil.copy(PROFILE, news / "newsletter.profile.toml")
    (news / ".digestlint.toml").write_text(
        'profile = "newsletter.profile.toml"\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    return tmp_path


class LintWatch:
    """Counts the lint passes each file gets (``runner.findings_of``) and the files
    fixed (``runner.fix_text``); with ``forbid``, a lint pass is an internal error
    instead."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.linted: list[str] = []
        self.fixed: list[str] = []
        self.forbid = False
        real = runner.findings_of
        real_fix = runner.fix_text

        def fixing(text, settings, path, **options):  # type: ignore[no-untyped-def]
            self.fixed.append(path)
            return real_fix(text, settings, path, **options)

        monkeypatch.setattr(runner, "fix_text", fixing)

        def watched(lint_pass):  # type: ignore[no-untyped-def]
            self.linted.append(lint_pass.path)
            if self.forbid:
                raise AssertionError("linted although cached")
            return real(lint_pass)

        monkeypatch.setattr(runner, "findings_of", watched)


@pytest.fixture
def watch(monkeypatch: pytest.MonkeyPatch) -> LintWatch:
    return LintWatch(monkeypatch)


def run(*args: str, paths: tuple[str, ...] = (".",)) -> Result:
    return CliRunner().invoke(main, ["--format", "json", *args, *paths])


def outcome(result: Result) -> tuple[int, str, str]:
    return result.exit_code, result.stdout, result.stderr


def uncached(*args: str, paths: tuple[str, ...] = (".",)) -> tuple[int, str, str]:
    return outcome(run("--no-cache", *args, paths=paths))


def entries(directory: Path) -> list[Path]:
    return sorted(
        p
        for p in directory.rglob("*")
        if p.is_file() and p.name not in (".gitignore", cache.PRUNED_MARKER)
    )


def test_a_hit_gives_what_a_miss_gives(project: Path, watch: LintWatch) -> None:
    first = run()
    assert sorted(watch.linted) == ["a.md", "b.md", "news/report.md"]
    assert json.loads(first.stdout)  # findings, and the archive records came back too
    watch.linted.clear()
    watch.forbid = True
    second = run()
    assert watch.linted == []
    assert outcome(second) == outcome(first)
    watch.forbid = False
    assert outcome(second) == uncached()


def test_fix_skips_what_has_nothing_to_fix_and_fixes_the_rest(
    project: Path, watch: LintWatch
) -> None:
    (project / "clean.md").write_text("# Notes\n\nNothing to see.\n", encoding="utf-8")
    run()  # every file linted and kept
    before = {p.name: p.read_bytes() for p in project.rglob("*.md")}
    watch.linted.clear()
    fixed = run("--fix")
    assert "clean.md" not in watch.fixed + watch.linted  # cached, nothing to fix: skipped
    assert "a.md" in watch.fixed  # cached, but fixable: fixed
    assert (project / "a.md").read_bytes() != before["a.md"]
    assert (project / "clean.md").read_bytes() == before["clean.md"]
    # The same run without the cache, on the same files as they were, says the same.
    for path in project.rglob("*.md"):
        path.write_bytes(before[path.name])
    assert outcome(fixed) == uncached("--fix")


def test_a_fix_run_keeps_the_files_it_left_alone(project: Path, watch: LintWatch) -> None:
    (project / "clean.md").write_text("# Notes\n\nNothing to see.\n", encoding="utf-8")
    run("--fix")
    watch.linted.clear()
    watch.fixed.clear()
    watch.forbid = True
    result = run("--fix", paths=("clean.md",))  # kept by the fix run: a hit
    assert watch.fixed == []
    lint = run(paths=("clean.md",))
    watch.forbid = False
    assert outcome(result) == uncached("--fix", paths=("clean.md",))
    assert outcome(lint) == uncached(paths=("clean.md",))


def test_editing_the_file_invalidates_its_entry(project: Path, watch: LintWatch) -> None:
    run()
    text = (project / "a.md").read_text(encoding="utf-8")
    (project / "a.md").write_text(text.replace("**Date**", "Date", 1), encoding="utf-8")
    watch.linted.clear()
    result = run()
    assert watch.linted == ["a.md"]
    assert outcome(result) == uncached()


def test_editing_the_config_invalidates_the_entries(project: Path, watch: LintWatch) -> None:
    run()
    (project / ".digestlint.toml").write_text('ignore = ["DL813"]\n', encoding="utf-8")
    watch.linted.clear()
    result = run()
    assert sorted(watch.linted) == ["a.md", "b.md"]  # news/ has its own config
    assert '"DL813"' not in result.stdout
    assert outcome(result) == uncached()


def test_a_rule_option_on_the_command_line_invalidates_the_entries(
    project: Path, watch: LintWatch
) -> None:
    run()
    watch.linted.clear()
    result = run("--select", "DL4")
    assert sorted(watch.linted) == ["a.md", "b.md", "news/report.md"]
    assert outcome(result) == uncached("--select", "DL4")


def test_editing_the_profile_invalidates_the_entries(project: Path, watch: LintWatch) -> None:
    run()
    profile = project / "news" / "newsletter.profile.toml"
    profile.write_text(
        profile.read_text(encoding="utf-8") + "\n# a comment changes no setting\n",
        encoding="utf-8",
    )
    watch.linted.clear()
    watch.forbid = True
    run()  # the profile's data is unchanged: still a hit
    watch.forbid = False
    text = profile.read_text(encoding="utf-8")
    assert '{ name = "实验结果" }' in text
    profile.write_text(
        text.replace('{ name = "实验结果" }', '{ name = "实验结果", aliases = ["结果"] }'),
        encoding="utf-8",
    )
    watch.linted.clear()
    result = run()
    assert watch.linted == ["news/report.md"]
    assert outcome(result) == uncached()


def test_editing_the_schema_invalidates_the_entries(project: Path, watch: LintWatch) -> None:
    schema = project / "extra.schema.json"
    schema.write_text(json.dumps({"type": "object"}), encoding="utf-8")
    (project / ".digestlint.toml").write_text('schema = "extra.schema.json"\n', encoding="utf-8")
    first = run()
    strict = {"type": "object", "properties": {"papers": {"maxItems": 1}}}
    schema.write_text(json.dumps(strict), encoding="utf-8")
    watch.linted.clear()
    result = run()
    assert sorted(watch.linted) == ["a.md", "b.md"]
    assert result.stdout != first.stdout  # the stricter schema finds more
    assert outcome(result) == uncached()


def test_editing_a_file_the_schema_references_invalidates_the_entries(
    project: Path, watch: LintWatch
) -> None:
    defs = project / "defs.json"
    defs.write_text(json.dumps({"type": "array"}), encoding="utf-8")
    schema = {"type": "object", "properties": {"papers": {"$ref": "defs.json"}}}
    (project / "extra.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    (project / ".digestlint.toml").write_text('schema = "extra.schema.json"\n', encoding="utf-8")
    first = run()
    defs.write_text(json.dumps({"type": "array", "maxItems": 1}), encoding="utf-8")
    watch.linted.clear()
    result = run()
    assert sorted(watch.linted) == ["a.md", "b.md"]
    assert result.stdout != first.stdout  # the stricter referenced file finds more
    assert outcome(result) == uncached()


def test_per_file_ignores_apply_to_a_file_named_from_another_directory(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two files with the same name and content, linted from their own directories: a
    per-file ignore that covers one of them must not reach the other through the cache
    (the name as typed, `a.md`, is the same)."""
    (project / ".digestlint.toml").write_text(
        '[per-file-ignores]\n"x/*.md" = ["DL"]\n', encoding="utf-8"
    )
    for directory in ("x", "y"):
        (project / directory).mkdir()
        (project / directory / "a.md").write_bytes(SEED.read_bytes())
    monkeypatch.chdir(project / "x")
    ignored = run(paths=("a.md",))
    assert json.loads(ignored.stdout) == []
    monkeypatch.chdir(project / "y")
    result = run(paths=("a.md",))
    assert json.loads(result.stdout)  # the seed's findings, not x's empty list
    assert outcome(result) == uncached(paths=("a.md",))


def _linted_again_with_one_warning(watch: LintWatch, first: Result) -> Result:
    """A run after the entries were damaged: every file linted again, the findings of
    the first run, and one cache warning."""
    watch.linted.clear()
    result = run()
    assert len(watch.linted) == 3
    assert result.stdout == first.stdout
    assert result.exit_code == first.exit_code
    assert result.stderr.count("warning: cache:") == 1
    return result


def test_a_damaged_entry_is_one_warning_and_a_lint(project: Path, watch: LintWatch) -> None:
    first = run()
    kept = entries(Path(os.environ["DIGESTLINT_CACHE_DIR"]))
    assert len(kept) == 3
    kept[0].write_bytes(b"\x80 not json")
    kept[1].write_text(json.dumps({"key": "another file's", "findings": []}))
    kept[2].write_text(json.dumps({"key": kept[2].name, "findings": [{"line": "x"}]}))
    result = _linted_again_with_one_warning(watch, first)
    assert result.stderr.replace(result.stderr.splitlines()[0] + "\n", "", 1) == first.stderr
    # The damaged entries were replaced: the next run hits and says nothing.
    watch.forbid = True
    assert outcome(run()) == outcome(first)


def test_an_entry_damaged_past_its_json_is_one_warning_and_a_lint(
    project: Path, watch: LintWatch
) -> None:
    """Entries that parse as JSON and hold the right key, damaged further in: the
    archive record, a fix of a finding, the whole entry a list. Each one is a miss,
    and the run says so once, whichever way the entry is read."""
    first = run()
    kept = entries(Path(os.environ["DIGESTLINT_CACHE_DIR"]))
    assert len(kept) == 3
    data = {path: json.loads(path.read_bytes()) for path in kept}
    # The entries' order is their keys'; the seed's copies have fixes to damage.
    with_fix, other, last = sorted(
        kept, key=lambda path: not any(f.get("fix") for f in data[path]["findings"])
    )
    fixed = next(f for f in data[with_fix]["findings"] if f.get("fix"))
    fixed["fix"]["edits"] = [{"start": "here", "end": 1, "content": ""}]
    data[other]["record"]["papers"] = [["2602.00001"]]
    data[last] = [data[last]]
    for path, entry in data.items():
        path.write_text(json.dumps(entry), encoding="utf-8")
    result = _linted_again_with_one_warning(watch, first)
    assert "a damaged entry" in result.stderr
    watch.forbid = True
    assert outcome(run()) == outcome(first)


def test_an_unwritable_cache_is_one_warning_and_correct_findings(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache directory is a regular file: nothing can be made in it, for root too
    (a read-only directory would not stop root; that case follows, for other users)."""
    blocked = project / "blocked"
    blocked.write_text("a file, not a directory\n", encoding="utf-8")
    monkeypatch.setenv("DIGESTLINT_CACHE_DIR", str(blocked))
    result = run()
    expected = uncached()
    assert result.stdout == expected[1] and result.exit_code == expected[0]
    assert result.stderr.count("warning: cache:") == 1
    assert "cannot write" in result.stderr
    # The pool's workers each meet the problem; the run still says it once.
    many = [project / f"copy-{n}.md" for n in range(runner.PARALLEL_MIN_FILES)]
    for path in many:
        path.write_bytes(SEED.read_bytes())
    pooled = run("--jobs", "2")
    assert pooled.stderr.count("warning: cache:") == 1
    assert pooled.stdout == uncached("--jobs", "1")[1]


def test_a_read_only_cache_directory_is_one_warning(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A directory that exists and takes no new entries. Root writes into a directory
    of mode 0555, so as root the directory is ``/proc``, where the kernel refuses to
    make anything, for root too."""
    as_root = not hasattr(os, "geteuid") or os.geteuid() == 0
    if as_root and not Path("/proc/self").is_dir():
        pytest.skip("running as root with no /proc: no directory refuses root's writes")
    read_only = Path("/proc") if as_root else project / "read-only"
    if not as_root:
        read_only.mkdir()
        read_only.chmod(0o555)
    monkeypatch.setenv("DIGESTLINT_CACHE_DIR", str(read_only))
    try:
        result = run()
    finally:
        if not as_root:
            read_only.chmod(0o755)
    assert result.stdout == uncached()[1]
    assert result.stderr.count("warning: cache:") == 1


def test_no_cache_is_accepted_by_both_spellings(project: Path) -> None:
    directory = Path(os.environ["DIGESTLINT_CACHE_DIR"])
    for args in (["--no-cache", "."], ["check", "--no-cache", "."]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1, result.stderr
    assert not directory.exists() or entries(directory) == []
    CliRunner().invoke(main, ["check", "."])
    assert len(entries(directory)) == 3


def test_the_cache_lives_next_to_the_root_config(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DIGESTLINT_CACHE_DIR")
    run()
    directory = project / ".digestlint_cache"
    assert (directory / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    assert len(entries(directory)) == 3
    # --cache-dir moves it.
    moved = project / "elsewhere"
    run("--cache-dir", str(moved))
    assert len(entries(moved)) == 3
    assert cache.default_directory(None) == Path.cwd() / ".digestlint_cache"


def test_two_processes_sharing_a_cache_do_not_corrupt_it(project: Path, watch: LintWatch) -> None:
    for n in range(12):
        text = SEED.read_text(encoding="utf-8").replace("2026-02-20", f"2026-03-{n + 1:02d}")
        (project / f"day-{n:02d}.md").write_text(text, encoding="utf-8")
    command = [sys.executable, "-m", "digestlint", "--format", "json", "--jobs", "2", "."]
    runs = [
        subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    results = [process.communicate(timeout=600) for process in runs]
    expected = uncached()
    for (stdout, stderr), process in zip(results, runs, strict=True):
        assert process.returncode == expected[0]
        assert stdout.decode("utf-8") == expected[1]
        assert b"warning: cache" not in stderr
    directory = Path(os.environ["DIGESTLINT_CACHE_DIR"])
    kept = entries(directory)
    assert len(kept) == 15
    for entry in kept:
        assert json.loads(entry.read_text(encoding="utf-8"))["key"] == entry.name
    watch.forbid = True
    assert outcome(run()) == expected  # a third run: every file a hit


def test_online_checks_do_not_use_the_cache(project: Path, watch: LintWatch) -> None:
    run()
    watch.linted.clear()
    run("--check-source", "--select", "DL1")  # offline here: the fetch fails, the lint runs
    assert sorted(watch.linted) == ["a.md", "b.md", "news/report.md"]


def test_the_code_identity_is_a_hash_of_the_package_files(tmp_path: Path) -> None:
    package = tmp_path / "digestlint"
    shutil.copytree(cache.PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    first = cache.code_identity(package)
    assert first == cache.code_identity(package)
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "api.cpython-311.pyc").write_bytes(b"compiled")
    assert cache.code_identity(package) == first  # bytecode is not the code
    rule_file = package / "rules" / "headings.py"
    rule_file.write_text(rule_file.read_text(encoding="utf-8") + "\n# changed\n")
    changed = cache.code_identity(package)
    assert changed != first
    template = next((package / "output" / "templates").iterdir())
    template.write_bytes(template.read_bytes() + b" ")
    assert cache.code_identity(package) not in (first, changed)  # data files count too


def test_standard_input_is_not_kept(project: Path) -> None:
    directory = Path(os.environ["DIGESTLINT_CACHE_DIR"])
    result = CliRunner().invoke(main, ["--stdin-filename", "a.md"], input=SEED.read_bytes())
    assert result.exit_code == 1
    assert not directory.exists() or entries(directory) == []


def test_every_field_of_an_archive_record_survives_the_cache(tmp_path: Path) -> None:
    """A field added to ReportRecord and not to the cache's JSON would be lost on a hit
    (and the cross-report findings with it): each field, set away from its default,
    comes back."""
    import dataclasses
    from datetime import date

    from digestlint.archive import Mention, ReportRecord, Span
    from digestlint.findings import Severity

    span = Span(1, 2, 3, 4)
    record = ReportRecord(
        path="reports/a.md",
        day=date(2026, 2, 20),
        day_span=span,
        papers=(Mention("2602.17363", span), Mention("2602.17270", Span(5, 1, 5, 9))),
        enabled=frozenset({"DL621", "DL623"}),
        severities=(("DL621", Severity.WARNING), ("DL623", Severity.ERROR)),
        suppressed=((7, frozenset({"DL621"})),),
        allow_repeats_after_days=30,
        context=True,
        links_to=frozenset({"reports/b.md"}),
        in_day_directory=True,
    )
    for field in dataclasses.fields(ReportRecord):
        default = (
            field.default_factory()  # type: ignore[misc]
            if field.default_factory is not dataclasses.MISSING
            else field.default
        )
        assert getattr(record, field.name) != default, f"set {field.name} in this test"
    assert cache._record_from(json.loads(json.dumps(cache._record_to(record)))) == record


def _age(path: Path, days: float) -> None:
    """Set ``path``'s modification time ``days`` days back."""
    when = __import__("time").time() - days * 24 * 3600
    os.utime(path, (when, when))


def test_entries_unused_for_thirty_days_are_pruned_once_a_day(project: Path) -> None:
    """A cache restored run after run keeps only what is used: an entry's modification
    time is its last use (a hit refreshes it), and once a day a run removes the entries
    unused for 30 days, those of another digestlint too, and the directories left
    empty; nothing else in the directory is touched."""
    directory = Path(os.environ["DIGESTLINT_CACHE_DIR"])
    run()
    kept = entries(directory)
    assert len(kept) == 3
    other_code = directory / "v1-0123456789abcdef0123" / "ab"
    other_code.mkdir(parents=True)
    old_other = other_code / ("ab" + "0" * 62)
    old_other.write_text("{}", encoding="utf-8")
    recent_other = other_code / ("ab" + "1" * 62)
    recent_other.write_text("{}", encoding="utf-8")
    left_by_a_killed_writer = kept[0].parent / ".tmpx1.tmp"
    left_by_a_killed_writer.write_text("{", encoding="utf-8")
    stranger = directory / "notes.txt"
    stranger.write_text("mine", encoding="utf-8")
    for path in (*kept, old_other, stranger):
        _age(path, 40)
    _age(recent_other, 10)
    _age(left_by_a_killed_writer, 2)
    (project / "b.md").unlink()  # its entry is no longer used
    marker = directory / cache.PRUNED_MARKER
    _age(marker, 0.5)
    run()  # pruned less than a day ago: nothing goes, but the hits are marked used
    assert old_other.exists() and all(p.exists() for p in kept)
    _age(marker, 2)
    run()
    remaining = set(entries(directory))
    assert old_other not in remaining and not left_by_a_killed_writer.exists()
    assert recent_other in remaining and stranger in remaining
    b_entry = {p for p in kept if p not in remaining}
    assert len(b_entry) == 1  # b.md's: unused for 40 days; a.md's and news' were hits
    assert all(p in remaining for p in kept if p not in b_entry)
    _age(recent_other, 40)
    recent_other.with_name("x").write_text("", encoding="utf-8")  # not a cache file
    _age(marker, 2)
    run()
    assert not recent_other.exists() and other_code.exists()  # "x" keeps its bucket
    (other_code / "x").unlink()
    _age(marker, 2)
    run()
    assert not other_code.parent.exists()


def test_pruning_a_read_only_cache_says_nothing_more(project: Path) -> None:
    directory = Path(os.environ["DIGESTLINT_CACHE_DIR"])
    run()
    for path in entries(directory):
        _age(path, 40)
    for path in directory.rglob("*"):
        if path.is_dir():
            path.chmod(0o555)
    directory.chmod(0o555)
    try:
        result = run()
    finally:
        for path in [directory, *directory.rglob("*")]:
            if path.is_dir():
                path.chmod(0o755)
    assert outcome(result)[:2] == uncached()[:2]
    assert "Traceback" not in result.stderr
