"""Archive checks: the reports of one run compared with each other (DL621-DL623).

The reports are hand-written, several days of a small archive in the default
profile's shape (and one under the generic profile). Each test runs the real command
line on a directory, or on files with ``--archive``, and reads the JSON findings.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path

from click.testing import CliRunner

from digestlint import lint_text
from digestlint.archive import archive_findings, record_of
from digestlint.cli import main
from digestlint.config import Settings
from digestlint.lintpass import LintPass

ARCHIVE = ["--select", "DL62", "--format", "json"]


def report(day: str, *ids: str, extra: str = "") -> str:
    """A report of ``day`` listing a paper per id (headings named after the ids)."""
    blocks = [
        f"## 📄 Paper {arxiv_id}\n\n"
        f"- **链接**: https://huggingface.co/papers/{arxiv_id}\n"
        "- **阅读来源**: HTML\n\n"
        "### 1. 应用领域\n自然语言处理。\n"
        for arxiv_id in ids
    ]
    return (
        "# Hugging Face Daily Papers Report\n"
        f"**Date**: {day}\n\n"
        f"**Source URL**: https://huggingface.co/papers/date/{day}\n\n" + extra + "\n".join(blocks)
    )


# Line of the n-th paper's link (1-based n) in `report`: four header lines and a blank,
# then 8 lines per paper (heading, blank, two fields, blank, section heading and body,
# blank).
def link_line(n: int) -> int:
    return 8 + (n - 1) * 8


def run(tmp_path: Path, files: dict[str, str], *args: str) -> tuple[int, list[dict], str]:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, [*ARCHIVE, *args], catch_exceptions=False)
    findings = json.loads(result.stdout) if result.stdout.strip() else []
    return result.exit_code, findings, result.stderr


def brief(findings: list[dict]) -> list[tuple[str, int, int, str, str]]:
    return [(f["path"], f["line"], f["column"], f["code"], f["message"]) for f in findings]


def test_a_repeated_paper_is_reported_in_the_later_report_also_as_v2(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, findings, _ = run(
        tmp_path,
        {
            "reports/2026-03-01.md": report("2026-03-01", "2603.00011", "2603.00012"),
            "reports/2026-03-02.md": report("2026-03-02", "2603.00021", "2603.00012v2"),
        },
        "reports",
    )
    assert code == 1
    # The v2 link of day 2 names day 1's file and the line of its link there.
    assert brief(findings) == [
        (
            "reports/2026-03-02.md",
            16,
            41,
            "DL621",
            "paper `2603.00012` is already in `reports/2026-03-01.md` line 16 (2026-03-01)",
        )
    ]
    assert findings[0]["end_column"] == 53  # the whole id with its version


def test_a_rerun_day_is_one_finding_on_its_date_not_one_per_paper(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, findings, _ = run(
        tmp_path,
        {
            "2026-03-01.md": report("2026-03-01", "2603.00011", "2603.00012", "2603.00013"),
            "2026-03-02.md": report("2026-03-02", "2603.00013", "2603.00011"),
        },
        ".",
    )
    assert code == 1
    assert brief(findings) == [
        (
            "2026-03-02.md",
            2,
            11,
            "DL622",
            "all 2 papers of this report are in `2026-03-01.md` (2026-03-01): "
            "a re-run of an earlier day?",
        )
    ]


def test_a_paper_cross_listed_within_one_day_is_no_repeat(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, findings, _ = run(
        tmp_path,
        {
            "2026-03-01.md": report("2026-03-01", "2603.00011", "2603.00012", "2603.00011v2"),
            "2026-03-02.md": report("2026-03-02", "2603.00021"),
        },
        ".",
    )
    assert (code, findings) == (0, [])


def test_two_reports_of_one_day_each_name_the_other(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, findings, _ = run(
        tmp_path,
        {
            "a/2026-03-01.md": report("2026-03-01", "2603.00011"),
            "b/2026-03-01-rerun.md": report("2026-03-01", "2603.00031"),
        },
        "a",
        "b",
    )
    assert code == 1
    assert brief(findings) == [
        (
            "a/2026-03-01.md",
            2,
            11,
            "DL623",
            "2026-03-01 is also the day of `b/2026-03-01-rerun.md`",
        ),
        (
            "b/2026-03-01-rerun.md",
            2,
            11,
            "DL623",
            "2026-03-01 is also the day of `a/2026-03-01.md`",
        ),
    ]


def test_allow_repeats_after_days(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".digestlint.toml").write_text(
        "[archive]\nallow-repeats-after-days = 7\n", encoding="utf-8"
    )
    files = {
        "2026-03-01.md": report("2026-03-01", "2603.00011", "2603.00012"),
        "2026-03-08.md": report("2026-03-08", "2603.00081", "2603.00011"),
        "2026-03-10.md": report("2026-03-10", "2603.00101", "2603.00012"),
    }
    _, findings, _ = run(tmp_path, files, ".")
    # 7 days later is within the window; 9 days later is allowed.
    assert [(f["path"], f["line"], f["code"]) for f in findings] == [
        ("2026-03-08.md", link_line(2), "DL621")
    ]


def test_archive_files_are_context_only(tmp_path: Path, monkeypatch) -> None:
    """pre-commit passes the new report; the rest of the archive is given with
    --archive: compared with, neither linted nor reported (its own DL623 twin too)."""
    monkeypatch.chdir(tmp_path)
    files = {
        "new/2026-03-02.md": report("2026-03-02", "2603.00021", "2603.00011"),
        "old/2026-03-01.md": report("2026-03-01", "2603.00011", "2603.00012"),
        "old/2026-03-01-copy.md": report("2026-03-01", "2603.00011", "2603.00012"),
    }
    code, findings, _ = run(
        tmp_path, files, "--extend-select", "DL1", "new/2026-03-02.md", "--archive", "old"
    )
    assert code == 1
    assert [(f["path"], f["line"], f["code"]) for f in findings] == [
        ("new/2026-03-02.md", link_line(2), "DL621")
    ]
    assert "old/" in findings[0]["message"]


def test_one_file_alone_compares_nothing(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    files = {"2026-03-01.md": report("2026-03-01", "2603.00011", "2603.00011")}
    assert run(tmp_path, files, "2026-03-01.md")[:2] == (0, [])


def test_inline_suppression_and_ignore_apply_to_archive_findings(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    suppressed = report("2026-03-02", "2603.00021", "2603.00012").replace(
        "- **链接**: https://huggingface.co/papers/2603.00012",
        "<!-- digestlint-disable-next-line DL621 -->\n"
        "- **链接**: https://huggingface.co/papers/2603.00012",
    )
    files = {
        "2026-03-01.md": report("2026-03-01", "2603.00011", "2603.00012"),
        "2026-03-02.md": suppressed,
    }
    # Suppressed inline, and the suppression is not called unused (DL001).
    assert run(tmp_path, files, "--extend-select", "DL001", ".")[:2] == (0, [])
    files["2026-03-02.md"] = report("2026-03-02", "2603.00021", "2603.00012")
    _, findings, _ = run(tmp_path, files, ".")
    assert [f["code"] for f in findings] == ["DL621"]
    assert run(tmp_path, files, "--ignore", "DL621", ".")[:2] == (0, [])


def test_generic_reports_take_their_day_from_the_file_name(tmp_path: Path, monkeypatch) -> None:
    """Under the generic profile every arXiv and Hugging Face paper link names a paper,
    wherever the format puts its papers (here under topic headings)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".digestlint.toml").write_text('profile = "generic"\n', encoding="utf-8")

    def digest(*ids: str) -> str:
        return "# Papers\n\n## Agents\n\n" + "\n".join(
            f"### Paper {i}\n\n[arXiv](https://arxiv.org/abs/{i}) · "
            f"[HF](https://huggingface.co/papers/{i})\n"
            for i in ids
        )

    files = {
        "20260301-digest.md": digest("2603.00011", "2603.00012"),
        "20260302-digest.md": digest("2603.00021", "2603.00012v3"),
    }
    code, findings, _ = run(tmp_path, files, ".")
    assert code == 1
    assert [(f["path"], f["line"], f["column"], f["code"]) for f in findings] == [
        ("20260302-digest.md", 11, 1, "DL621")
    ]
    assert "`20260301-digest.md` line 11 (2026-03-01)" in findings[0]["message"]


def test_records_are_plain_picklable_data_and_the_step_is_pure() -> None:
    settings = Settings()
    first = record_of(LintPass(report("2026-03-01", "2603.00011"), settings, "one.md"))
    second = record_of(LintPass(report("2026-03-02", "2603.00011v2"), settings, "two.md"))
    copies = pickle.loads(pickle.dumps([first, second]))
    assert copies == [first, second]
    found = archive_findings(copies)
    assert list(found) == ["two.md"]
    assert [f.code for f in found["two.md"]] == ["DL621"]
    # A lint pass on its own never reports across reports.
    assert not [
        f
        for f in lint_text(report("2026-03-02", "2603.00011"), settings)
        if f.code.startswith("DL62")
    ]


def test_a_day_split_into_linked_parts_is_one_report(tmp_path: Path, monkeypatch) -> None:
    """A pipeline that stores a day as an index page linking to a file per category
    (each linking back): the files share the day and are not duplicates of it. A third
    file of that day that nothing links to still is."""
    monkeypatch.chdir(tmp_path)
    index = (
        "# 每日论文目录 2026-03-01\n\n"
        "- [大模型安全](./01-safety/2026-03-01-part-01.md)\n"
        "- [其他研究](./02-other/2026-03-01-part-01.md)\n"
    )
    back = "[返回目录](../2026-03-01-index.md)\n\n"
    files = {
        "2026-03-01-index.md": index,
        "01-safety/2026-03-01-part-01.md": report("2026-03-01", "2603.00011", extra=back),
        "02-other/2026-03-01-part-01.md": report("2026-03-01", "2603.00012", extra=back),
        "2026-03-01-rerun.md": report("2026-03-01", "2603.00011"),
    }
    code, findings, _ = run(tmp_path, files, ".")
    assert code == 1
    assert [(f["path"], f["code"], f["message"]) for f in findings] == [
        (part, "DL623", "2026-03-01 is also the day of `2026-03-01-rerun.md`")
        for part in ("01-safety/2026-03-01-part-01.md", "02-other/2026-03-01-part-01.md")
    ] + [
        (
            "2026-03-01-rerun.md",
            "DL623",
            "2026-03-01 is also the day of `01-safety/2026-03-01-part-01.md`, "
            "`02-other/2026-03-01-part-01.md`",
        )
    ]


def test_generic_reports_take_their_day_from_a_chinese_title_or_their_directory(
    tmp_path: Path, monkeypatch
) -> None:
    """A report named only `part-01.md` takes its day from a title written the Chinese
    way, or else from the directory it is in; the parts of a directory named after a day
    are one report of that day, while a second report of that day elsewhere is not."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".digestlint.toml").write_text('profile = "generic"\n', encoding="utf-8")

    def digest(title: str, *ids: str) -> str:
        return f"# {title}\n\n" + "\n".join(
            f"## Paper {i}\n\n[arXiv](https://arxiv.org/abs/{i})\n" for i in ids
        )

    files = {
        "papers/2026-03-01/part-01.md": digest("AI 论文速递", "2603.00011", "2603.00012"),
        "papers/2026-03-01/part-02.md": digest("AI 论文速递（二）", "2603.00013"),
        "papers/2026-03-02/part-01.md": digest("AI 论文速递", "2603.00021", "2603.00012v2"),
        "digests/latest.md": digest("AI 论文速递 2026年3月2日", "2603.00022"),
    }
    code, findings, _ = run(tmp_path, files, ".")
    assert code == 1
    assert [(f["path"], f["line"], f["code"]) for f in findings] == [
        ("digests/latest.md", 1, "DL623"),
        ("papers/2026-03-02/part-01.md", 1, "DL623"),
        ("papers/2026-03-02/part-01.md", 9, "DL621"),
    ]
    assert "`papers/2026-03-01/part-01.md` line 9 (2026-03-01)" in findings[2]["message"]


def test_archive_reports_come_from_the_content_cache(tmp_path: Path, monkeypatch) -> None:
    """A hook compares its file with the whole archive on every commit: an archive
    report unchanged since the last run is read from the content cache (its record kept
    with its findings), not parsed again."""
    monkeypatch.chdir(tmp_path)
    files = {
        "new/2026-03-02.md": report("2026-03-02", "2603.00021", "2603.00011"),
        "old/2026-03-01.md": report("2026-03-01", "2603.00011", "2603.00012"),
        "old/2026-02-28.md": report("2026-02-28", "2603.00021"),
    }
    args = ("new/2026-03-02.md", "--archive", "old")
    first = run(tmp_path, files, *args)
    assert [(f["path"], f["code"]) for f in first[1]] == [("new/2026-03-02.md", "DL621")] * 2

    def no_parse(*_args, **_kwargs):
        raise AssertionError("a report was parsed again")

    monkeypatch.setattr("digestlint.lintpass.parse", no_parse)
    assert run(tmp_path, {}, *args) == first
    # A changed archive report is linted again (and only that one).
    monkeypatch.undo()
    monkeypatch.chdir(tmp_path)
    changed = run(tmp_path, {"old/2026-02-28.md": report("2026-02-28", "2603.00099")}, *args)
    assert [(f["path"], f["code"]) for f in changed[1]] == [("new/2026-03-02.md", "DL621")]


def test_archive_reports_read_in_parallel_give_the_same_findings(
    tmp_path: Path, monkeypatch
) -> None:
    """Enough archive reports for a process pool: the same findings as one process,
    with the cache or without it, and an unreadable archive report is one error."""
    monkeypatch.chdir(tmp_path)
    files = {"new/2026-03-20.md": report("2026-03-20", "2603.00011", "2603.00101")}
    for day in range(1, 13):
        files[f"old/2026-03-{day:02d}.md"] = report(f"2026-03-{day:02d}", f"2603.001{day:02d}")
    files["old/2026-03-13.md"] = report("2026-03-13", "2603.00011")
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "2026-03-14.md").write_bytes(b"\xff\xfe\x00 not utf-8 \xc3")
    args = ("new/2026-03-20.md", "--archive", "old")
    serial = run(tmp_path, files, *args, "--jobs", "1", "--no-cache")
    assert serial[0] == 2
    assert [(f["line"], f["code"]) for f in serial[1]] == [
        (link_line(1), "DL621"),
        (link_line(2), "DL621"),
    ]
    assert serial[2].count("--archive: ") == 1 and "2026-03-14.md" in serial[2]
    for extra in (("--no-cache",), (), ()):  # no cache; cold cache; warm cache
        assert run(tmp_path, {}, *args, "--jobs", "2", *extra) == serial


def test_archive_reports_are_never_checked_online(tmp_path: Path, monkeypatch) -> None:
    """A config that checks links online checks the files of the run; the archive's
    reports are context."""
    monkeypatch.chdir(tmp_path)
    checked: list[str] = []

    class Recorder:
        offline = False

        @classmethod
        def from_settings(cls, settings, progress=False):
            return cls()

        def __init__(self) -> None:
            checked.append("made")

    import digestlint.linkcheck

    monkeypatch.setattr(digestlint.linkcheck, "LinkChecker", Recorder)
    files = {
        ".digestlint.toml": "[links]\nonline = true\n",
        "new/2026-03-02.md": report("2026-03-02", "2603.00021"),
        "old/2026-03-01.md": report("2026-03-01", "2603.00011"),
        "old/2026-02-28.md": report("2026-02-28", "2603.00012"),
    }
    run(tmp_path, files, "new/2026-03-02.md", "--archive", "old", "--no-cache")
    assert checked == ["made"]
