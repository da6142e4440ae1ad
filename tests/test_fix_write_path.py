"""The ``--fix`` write path: what reaches the disk, and what never does."""

from __future__ import annotations

import difflib
import os
import stat
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from digestlint import files
from digestlint.cli import main
from digestlint.files import decode, write_atomic
from digestlint.findings import Edit
from digestlint.registry import RuleContext


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def seed_copy(tmp_path: Path, seed_text: str, newline: str = "\n") -> Path:
    path = tmp_path / "report.md"
    path.write_bytes(seed_text.replace("\n", newline).encode("utf-8"))
    return path


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_diff_shows_exactly_what_fix_writes(tmp_path: Path, seed_text: str, newline: str) -> None:
    path = seed_copy(tmp_path, seed_text, newline)
    before = path.read_bytes().decode("utf-8").replace("\r\n", "\n")
    shown = run(str(path), "--diff")
    assert path.read_bytes().decode("utf-8").replace("\r\n", "\n") == before
    run(str(path), "--fix")
    after = path.read_bytes().decode("utf-8").replace("\r\n", "\n")
    assert after != before
    expected = "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"a/{path}",
            tofile=f"b/{path}",
        )
    )
    assert shown.output.startswith(expected)


def test_fix_through_a_symlink_keeps_the_link(tmp_path: Path, seed_text: str) -> None:
    target = seed_copy(tmp_path, seed_text)
    target.chmod(0o640)
    link = tmp_path / "today.md"
    link.symlink_to(target.name)
    run(str(link), "--fix")
    assert link.is_symlink()
    assert "**论文阅读报告：车载大模型智能体中间反馈机制研究**" in target.read_text(
        encoding="utf-8"
    )
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md", "today.md"]


def test_mixed_line_endings_are_kept_on_unchanged_lines(tmp_path: Path) -> None:
    path = tmp_path / "mixed.md"
    lines = [
        ("# Hugging Face Daily Papers Report", "\r\n"),
        ("**Date**: 2026-02-20  ", "\n"),
        ("**Source URL**: https://huggingface.co/papers/date/2026-02-20", "\r\n"),
        ("", "\n"),
        ("=" * 60, "\r\n"),
        ("", "\r\n"),
        ("## 📄 Paper", "\n"),
        ("", "\r\n"),
        ("# 论文阅读报告", "\r\n"),  # the stray H1 the fix rewrites
        ("正文。", "\n"),
    ]
    path.write_bytes("".join(line + end for line, end in lines).encode("utf-8"))
    run(str(path), "--fix", "--select", "DL401")
    written = path.read_bytes().decode("utf-8")
    expected = [*lines[:8], ("**论文阅读报告**", "\r\n"), ("", "\r\n"), ("正文。", "\n")]
    assert written == "".join(line + end for line, end in expected)


def test_cr_only_files_keep_cr(tmp_path: Path) -> None:
    decoded = decode(b"a\rb\r", "x.md")
    assert decoded.text == "a\nb\n"
    assert decoded.encode("a\n\nb\n") == b"a\r\rb\r"


def test_a_failed_write_leaves_the_file_and_no_temporary(
    tmp_path: Path, seed_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = seed_copy(tmp_path, seed_text)
    original = path.read_bytes()

    def refuse(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", refuse)
    result = run(str(path), "--fix")
    assert result.exit_code == 2
    assert "cannot write: No space left on device" in result.output
    assert path.read_bytes() == original
    assert list(tmp_path.iterdir()) == [path]


def test_an_interrupted_write_leaves_the_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "report.md"
    path.write_bytes(b"old\n")

    def interrupt(_descriptor: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(path, b"new\n")
    assert path.read_bytes() == b"old\n"
    assert list(tmp_path.iterdir()) == [path]


def rewrite_words(context: RuleContext):
    """Replaces 模型 with 模式: a fix the meaning check refuses."""
    at = context.source.text.find("模型")
    if at >= 0:
        yield context.finding(at, at + 2, "x", fix=[Edit(start=at, end=at + 2, content="模式")])


REFUSED = "这是一个模型。\n"


def test_a_refused_fix_writes_nothing(tmp_path: Path, temporary_rule) -> None:
    temporary_rule("DL990", rewrite_words)
    path = tmp_path / "report.md"
    path.write_bytes(REFUSED.encode("utf-8"))
    mtime = os.stat(path).st_mtime_ns
    result = run(str(path), "--fix", "--select", "DL990")
    assert result.exit_code == 2
    assert f"error: {path}: every fix would change the report's text" in result.stderr
    assert (
        f"error: {path}:1:5: DL990 [test-dl990] fix not applied: it would change the "
        "report's text" in result.stderr
    )
    # The finding is still listed, without [*]: --fix does not fix it.
    assert result.stdout.startswith(f"{path}:1:5: error DL990 [test-dl990] x\n")
    assert path.read_bytes() == REFUSED.encode("utf-8")
    assert os.stat(path).st_mtime_ns == mtime
    assert list(tmp_path.iterdir()) == [path]


def test_a_refused_fix_is_reported_and_the_other_fixes_are_written(
    tmp_path: Path, temporary_rule
) -> None:
    temporary_rule("DL990", rewrite_words)
    path = tmp_path / "report.md"
    # A stray H1 (DL401) before the sentence the refused fix would rewrite.
    path.write_bytes(("## 📄 Paper\n\n# 论文阅读报告\n" + REFUSED).encode("utf-8"))
    result = run(str(path), "--fix", "--select", "DL401,DL990")
    assert result.exit_code == 2
    fixed = "## 📄 Paper\n\n**论文阅读报告**\n\n" + REFUSED
    assert path.read_text(encoding="utf-8") == fixed
    # Named where it is in the written file: line 5.
    assert result.stderr.count("error: ") == 1
    assert (
        f"error: {path}:5:5: DL990 [test-dl990] fix not applied: it would change the "
        "report's text (a bug in digestlint; please report it)" in result.stderr
    )
    assert f"{path}:5:5: error DL990 [test-dl990] x\n" in result.stdout
    assert "(1 fixed, 1 remaining: 1 error)" in result.stdout


def test_diff_shows_the_other_fixes_and_reports_the_refused_one(
    tmp_path: Path, temporary_rule
) -> None:
    temporary_rule("DL990", rewrite_words)
    path = tmp_path / "report.md"
    text = "## 📄 Paper\n\n# 论文阅读报告\n" + REFUSED
    path.write_bytes(text.encode("utf-8"))
    result = run(str(path), "--diff", "--select", "DL401,DL990")
    assert result.exit_code == 2
    assert "+**论文阅读报告**\n" in result.stdout
    assert "模式" not in result.stdout
    # Where it is in the file as it is (nothing was written): line 4.
    assert f"error: {path}:4:5: DL990 [test-dl990] fix not applied" in result.stderr
    assert f"{path}:4:5: error DL990 [test-dl990] x\n" in result.stdout
    assert path.read_text(encoding="utf-8") == text


def test_a_read_only_file_is_not_replaced(
    tmp_path: Path, seed_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The atomic rename would replace a file the user cannot write; it must not.
    (``os.access`` is answered for the test: as root every file is writable.)"""
    path = seed_copy(tmp_path, seed_text)
    path.chmod(0o444)
    original = path.read_bytes()
    real_access = os.access
    monkeypatch.setattr(
        files.os,
        "access",
        lambda p, m: False if (Path(p), m) == (path, os.W_OK) else real_access(p, m),
    )
    result = run(str(path), "--fix")
    assert result.exit_code == 2
    assert "cannot write: Permission denied" in result.output
    assert path.read_bytes() == original
    assert list(tmp_path.iterdir()) == [path]


def test_diff_of_a_last_line_without_newline_applies_with_git(
    tmp_path: Path, seed_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The fix changes the last line, which has no newline: the diff must mark it
    # ("\ No newline at end of file") or `git apply` and `patch` reject it.
    monkeypatch.chdir(tmp_path)
    # The seed without its closing separator, ending in a paragraph of its last paper.
    body = seed_text.rstrip("\n").rsplit("\n", 1)[0].rstrip("\n")
    original = body + "\n\n本文使用GPU训练。"
    Path("report.md").write_text(original, encoding="utf-8")
    shown = run("report.md", "--diff").output
    assert "\\ No newline at end of file\n" in shown
    Path("fix.diff").write_text(shown, encoding="utf-8")
    subprocess.run(["git", "apply", "fix.diff"], check=True, capture_output=True)
    patched = Path("report.md").read_text(encoding="utf-8")
    Path("report.md").write_text(original, encoding="utf-8")
    run("report.md", "--fix")
    assert patched == Path("report.md").read_text(encoding="utf-8") != original
