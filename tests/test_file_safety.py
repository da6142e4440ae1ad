"""What ``--fix`` reads and writes: line endings, NUL bytes, file names, file identity.

Each test runs the real CLI on real files in a directory of its own, with an empty
``.digestlint.toml`` so that no configuration above it (in /tmp) applies.
"""

from __future__ import annotations

import json
import os
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from digestlint.cli import main


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / ".digestlint.toml").write_text("", encoding="utf-8")
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def codes(path: Path, *options: str) -> list[str]:
    _, stdout, _ = run("check", "--format", "json", *options, str(path))
    return [finding["code"] for finding in json.loads(stdout)]


def test_a_lone_cr_before_a_fixed_line_does_not_turn_into_crlf(workdir: Path) -> None:
    """Separator-setext inserts an empty line after ``abc\\r``: written with the file's
    usual LF, it would read back as ``abc\\r\\n`` (one break) and need fixing again."""
    report = workdir / "report.md"
    report.write_bytes(b"x\n\ntext\nabc\r===\n")
    assert "DL501" in codes(report)
    _, stdout, _ = run("check", "--fix", str(report))
    assert "(1 fixed, 3 remaining: 3 errors)" in stdout
    assert report.read_bytes() == b"x\n\ntext\nabc\r\r===\n"
    assert "DL501" not in codes(report)
    run("check", "--fix", str(report))
    assert report.read_bytes() == b"x\n\ntext\nabc\r\r===\n"


def test_mixed_endings_keep_each_unchanged_lines_own(workdir: Path) -> None:
    report = workdir / "report.md"
    report.write_bytes(b"a\r\nb\nabc\r\n===\r\nz\r")
    run("check", "--fix", str(report))
    assert report.read_bytes() == b"a\r\nb\nabc\r\n\r\n===\r\nz\r"


def test_a_nul_byte_anywhere_makes_the_file_binary(workdir: Path) -> None:
    report = workdir / "report.md"
    text = "中文,英文\n\n" + "正文。\n" * 4000
    data = text.encode("utf-8")
    assert len(data) > 20_000
    report.write_bytes(data[:20_000] + b"\x00" + data[20_000:])
    before = report.read_bytes()
    code, _, stderr = run("check", "--fix", str(report))
    assert code == 2
    assert f"error: {report}: binary file (contains NUL bytes)" in stderr
    assert report.read_bytes() == before


NOT_UTF8 = os.fsdecode(b"a\xff.md")
SHOWN = "a\ufffd.md"


@pytest.mark.parametrize("output_format", ["text", "json", "github", "gitlab", "junit", "sarif"])
def test_a_file_name_that_is_not_utf8_is_shown_with_a_replacement_character(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, output_format: str
) -> None:
    monkeypatch.chdir(workdir)
    (workdir / NOT_UTF8).write_text("# 标题\n\n中文,英文\n", encoding="utf-8")
    code, stdout, _ = run("check", "--format", output_format, NOT_UTF8)
    assert code == 1
    shown = quote(SHOWN) if output_format == "sarif" else SHOWN
    assert shown in stdout
    assert "\udcff" not in stdout
    if output_format in ("json", "gitlab", "sarif"):
        json.loads(stdout)


def test_export_shows_a_file_name_that_is_not_utf8_with_a_replacement_character(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(workdir)
    (workdir / NOT_UTF8).write_text("# 标题\n", encoding="utf-8")
    code, stdout, _ = run("export", "--no-validate", NOT_UTF8, NOT_UTF8)
    assert code == 0
    assert [item["path"] for item in json.loads(stdout)] == [SHOWN, SHOWN]


def test_an_error_about_a_file_name_that_is_not_utf8_is_printable(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(workdir)
    (workdir / NOT_UTF8).write_bytes(b"\xff\xfe")
    code, stdout, stderr = run("check", "--format", "sarif", NOT_UTF8)
    assert code == 2
    assert f"error: {SHOWN}: not valid UTF-8" in stderr
    notification = json.loads(stdout)["runs"][0]["invocations"][0]
    assert notification["toolExecutionNotifications"][0]["message"]["text"].startswith(SHOWN)


def test_junit_output_is_xml_when_a_message_quotes_a_control_character(workdir: Path) -> None:
    """Found by the long fuzz run: a finding quoting U+001F made the JUnit report
    unreadable XML (XML 1.0 cannot hold C0 controls, even escaped)."""
    report = workdir / "report.md"
    report.write_text("# 标\x1f题\n\n中文,英文\n", encoding="utf-8")
    code, stdout, _ = run("check", "--format", "junit", str(report))
    assert code == 1
    root = ET.fromstring(stdout.encode("utf-8"))
    messages = [failure.get("message") or "" for failure in root.iter("failure")]
    assert "title is `标\\x1f题`, expected `Hugging Face Daily Papers Report`" in messages


def test_an_in_place_write_that_fails_puts_the_original_back(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hard-linked file is written in place; the disk fills up halfway (the first
    fsync fails after the new bytes went in): the original is written back and kept
    aside until then, and the failure is a DL002 finding."""
    from digestlint import files

    report = workdir / "report.md"
    original = "## 标题\n\n中文,英文.\n" * 50
    report.write_text(original, encoding="utf-8")
    os.link(report, workdir / "other.md")
    real_fsync = os.fsync
    calls: list[int] = []

    def full_disk_once(descriptor: int) -> None:
        calls.append(descriptor)
        if len(calls) == 2:  # 1: the copy of the original; 2: the new bytes
            raise OSError(28, "No space left on device")
        real_fsync(descriptor)

    monkeypatch.setattr(files.os, "fsync", full_disk_once)
    code, stdout, stderr = run("check", "--fix", "--format", "json", str(report))
    assert code == 2
    assert f"error: {report}: cannot write: No space left on device" in stderr
    assert json.loads(stdout)[0]["code"] == "DL002"
    assert report.read_text(encoding="utf-8") == original
    assert (workdir / "other.md").read_text(encoding="utf-8") == original
    assert len(calls) == 3
    assert not list(Path(tempfile.gettempdir()).glob("digestlint-report.md.*.orig"))
