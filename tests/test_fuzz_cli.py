"""Fuzzing the command line over the seed and reports made from it.

Each case is a file: the seed, the example report or a report recombined from the seed's
paper blocks, then damaged by a few random edits (lines dropped, repeated, swapped or
cut, hostile fragments inserted, random characters, CR, CRLF and lone-CR line endings, a
byte order mark). The CLI lints it in a random output format, fixes it, and fixes it
again. Whatever the input:

- no exception escapes and no "internal error" is reported; the exit code is 0, 1 or 2;
- machine formats parse (JSON, XML);
- the fix is idempotent (a second ``--fix`` changes no byte) and leaves no safe fix;
- the fix keeps the meaning, judged here and not by the fixer's guard: the Han
  characters and ASCII letters outside HTML comments, in order, and the digits outside
  section labels (which section-number may renumber).

CI runs a fixed set of cases (``DIGESTLINT_FUZZ_EXAMPLES``, default 80, under 30 s);
the long run recorded in docs/reliability.md sets it to 10,000 with a random seed.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from digestlint.cli import main
from digestlint.profile import HF_DAILY_PAPERS_ZH

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "seeds" / "hf-daily-papers-2026-02-20.md").read_text(encoding="utf-8")
EXAMPLE = (ROOT / "examples" / "clean-report.md").read_text(encoding="utf-8")
FORMATS = ["text", "json", "github", "gitlab", "junit", "sarif"]

EXAMPLES = int(os.environ.get("DIGESTLINT_FUZZ_EXAMPLES", "80"))
LONG_RUN = "DIGESTLINT_FUZZ_EXAMPLES" in os.environ
LOG = os.environ.get("DIGESTLINT_FUZZ_LOG")
"""A file to which the long run appends one JSON line per case (its outcome)."""

# Errors a run may report on purpose (exit 2): input that is not a report, and a fix the
# meaning guard refuses (nothing is written then; whether the other fixes should still
# be applied is the refused-edit work of another branch).
EXPECTED_ERRORS = re.compile(r"binary file|not valid UTF-8|a fix would change the report.s text")

FRAGMENTS = [
    "",
    "\t",
    "\r",
    "   ",
    "> ",
    ">>>>>>>>>> 引用",
    "- - - - -",
    "* * *",
    "===",
    "---",
    "```",
    "~~~python",
    "$$",
    "$x^2$",
    "<!--",
    "-->",
    "<!-- digestlint-disable -->",
    "<!-- digestlint-disable-next-line DL8 -->",
    "<!-- digestlint-enable -->",
    "<div>",
    "</div>",
    "| a | b |\n|---|---|",
    "## 📄 ",
    "# 论文阅读报告：",
    "### 3. 使用指南",
    "3. **使用指南**：",
    "**一句话核心贡献**：",
    "- **链接**: https://huggingface.co/papers/2602.15569",
    "- **阅读来源**: PDF",
    "https://例子.测试/路径?q=中文#片段",
    "http://[::1]:99999/",
    "[链接](<https://a.example/x y>)",
    "[ref]: https://a.example/ref",
    "![图](https://a.example/i.png)",
    "**粗体*斜体***",
    "中文,English.混排 50 % 提升",
    "１２３ＡＢＣ",
    "\u200b\u200d\ufeff",
    "\u202e\u202d",
    "e\u0301\u0301\u0301",
    "😀👩\u200d👩\u200d👧",
    "a" * 300,
    "中" * 200,
    "\\",
    "&amp;&#x4e2d;&#0;",
    "[^1]",
    "1)",
    "    缩进代码",
]


def paper_blocks(text: str) -> tuple[str, list[str]]:
    """The text before the first paper and each paper's block (heading to next heading)."""
    parts = re.split(r"(?m)^(?=## )", text)
    return parts[0], parts[1:]


SEED_HEAD, SEED_PAPERS = paper_blocks(SEED)


class Case:
    """A damaged report, shown by the recipe that made it (its bytes run to 40 KB)."""

    def __init__(self, base: str, steps: list[str], data: bytes) -> None:
        self.base, self.steps, self.data = base, steps, data

    def __repr__(self) -> str:
        return f"Case({self.base!r}, steps={self.steps!r})"


@st.composite
def damaged(draw: st.DrawFn) -> Case:
    base = draw(st.sampled_from(["seed", "example", "recombined"]))
    if base == "seed":
        text = SEED
    elif base == "example":
        text = EXAMPLE
    else:
        picked = draw(st.lists(st.integers(0, len(SEED_PAPERS) - 1), max_size=4))
        base = f"recombined{picked}"
        text = SEED_HEAD + "".join(SEED_PAPERS[index] for index in picked)
    lines = text.split("\n")
    steps: list[str] = []
    for _ in range(draw(st.integers(0, 6))):
        action = draw(
            st.sampled_from(["drop", "repeat", "swap", "insert", "characters", "cut", "indent"])
        )
        at = draw(st.integers(0, max(len(lines) - 1, 0)))
        if action == "drop" and lines:
            count = draw(st.integers(1, 5))
            del lines[at : at + count]
            steps.append(f"drop {count} at {at}")
        elif action == "repeat" and lines:
            lines.insert(at, lines[at])
            steps.append(f"repeat {at}")
        elif action == "swap" and len(lines) > 1:
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
            steps.append(f"swap {at} {other}")
        elif action == "insert":
            fragment = draw(st.sampled_from(FRAGMENTS))
            lines.insert(at, fragment)
            steps.append(f"insert {fragment[:40]!r} at {at}")
        elif action == "characters" and lines:
            line = lines[at]
            cut = draw(st.integers(0, len(line)))
            noise = draw(st.text(st.characters(exclude_categories=["Cs"]), max_size=8))
            lines[at] = line[:cut] + noise + line[cut:]
            steps.append(f"characters {noise!r} at {at}:{cut}")
        elif action == "cut" and lines:
            line = lines[at]
            cut = draw(st.integers(0, len(line)))
            lines[at] = line[:cut]
            del lines[at + 1 :]
            steps.append(f"cut at {at}:{cut}")
        elif action == "indent" and lines:
            indent = draw(st.sampled_from(["  ", "    ", "\t", "   "]))
            lines[at] = indent + lines[at]
            steps.append(f"indent {at} by {indent!r}")
    text = "\n".join(lines)
    endings = draw(st.sampled_from(["lf", "crlf", "cr", "mixed"]))
    if endings == "crlf":
        text = text.replace("\n", "\r\n")
    elif endings == "cr":
        text = text.replace("\n", "\r")
    elif endings == "mixed":
        pieces = text.split("\n")
        chosen = [draw(st.sampled_from(["\n", "\r\n", "\r"])) for _ in pieces[:-1]]
        text = "".join(p + e for p, e in zip(pieces, chosen, strict=False)) + pieces[-1]
    steps.append(f"{endings} endings")
    data = text.encode("utf-8")
    if draw(st.integers(0, 9)) == 0:
        data = b"\xef\xbb\xbf" + data
        steps.append("BOM")
    return Case(base, steps, data)


# -- meaning, judged independently of the fixer ---------------------------------------


def decoded(data: bytes) -> str:
    text = data.decode("utf-8")
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def words(text: str) -> str:
    """Han characters and ASCII letters, in order, outside HTML comments (unused
    suppression comments may be removed)."""
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    return "".join(re.findall(r"[A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]", text))


def digits(text: str) -> str:
    """ASCII digits, in order, outside HTML comments and section numbers (a number right
    before a section's name, which section-number may write or rewrite)."""
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = SECTION_NUMBER.sub("", text)
    return "".join(re.findall(r"[0-9]", text))


SECTION_NUMBER = re.compile(
    r"[0-9]+(?=[.)、]?[ \t]*(?:\*\*)?[ \t]*(?:"
    + "|".join(re.escape(name) for name in HF_DAILY_PAPERS_ZH.section_names())
    + "))"
)


def assert_same(what: str, old: str, new: str, before: str, after: str) -> None:
    """A short message for a long text: where the meaning first differs, and the lines
    the fix changed."""
    if old == new:
        return
    at = next(
        (i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b),
        min(len(old), len(new)),
    )
    changed = [
        line
        for line in difflib.unified_diff(before.split("\n"), after.split("\n"), lineterm="", n=0)
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    raise AssertionError(
        f"a fix changed the {what}: {old[at : at + 20]!r} became {new[at : at + 20]!r}; "
        "changed lines:\n" + "\n".join(changed[:20])
    )


# -- running the CLI --------------------------------------------------------------------


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def assert_no_crash(code: int, stderr: str) -> None:
    assert code in (0, 1, 2), (code, stderr)
    assert "internal error" not in stderr and "Traceback" not in stderr, stderr
    if code == 2:
        errors = [line for line in stderr.splitlines() if line.startswith("error:")]
        assert errors and all(EXPECTED_ERRORS.search(line) for line in errors), stderr


def assert_parses(output_format: str, stdout: str) -> None:
    if output_format in ("json", "gitlab", "sarif"):
        json.loads(stdout)
    elif output_format == "junit":
        ET.fromstring(stdout.encode("utf-8"))


def check_case(data: bytes, output_format: str) -> dict[str, object]:
    """Run one case; what happened, for the long run's log."""
    with tempfile.TemporaryDirectory() as directory:
        # An empty config of its own: none found above it (in /tmp) applies.
        (Path(directory) / ".digestlint.toml").write_text("", encoding="utf-8")
        path = Path(directory) / "report.md"
        path.write_bytes(data)
        name = str(path)
        code, stdout, stderr = run("check", "--format", output_format, name)
        assert_no_crash(code, stderr)
        assert_parses(output_format, stdout)
        outcome: dict[str, object] = {"lint": code, "findings": stdout.count("DL")}

        code, _, stderr = run("check", "--fix", "--format", "json", name)
        assert_no_crash(code, stderr)
        outcome["fix"] = code
        outcome["refused"] = "a fix would change the report's text" in stderr
        fixed = path.read_bytes()
        outcome["changed"] = fixed != data
        if fixed == data:
            return outcome
        before, after = decoded(data), decoded(fixed)
        assert_same("words", words(before), words(after), before, after)
        assert_same("numbers", digits(before), digits(after), before, after)

        code, _, stderr = run("check", "--fix", "--format", "json", name)
        assert_no_crash(code, stderr)
        assert path.read_bytes() == fixed, "fixing twice changed the file again"

        code, stdout, stderr = run("check", "--format", "json", name)
        assert_no_crash(code, stderr)
        left = [
            (f["code"], f["line"])
            for f in json.loads(stdout)
            if f.get("fix", {}).get("applicability") == "safe"
        ]
        assert left == [], "safe fixes are left after fixing"
        return outcome


@pytest.mark.slow
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not LONG_RUN,
    database=None,
    # The long run reports its first failure as found: shrinking a 40 KB report takes
    # longer than finding it, and the recipe already says how it was made.
    phases=[Phase.explicit, Phase.generate] if LONG_RUN else list(Phase),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(damaged(), st.sampled_from(FORMATS))
def test_the_cli_survives_damaged_reports(case: Case, output_format: str) -> None:
    outcome = check_case(case.data, output_format)
    if LOG:
        with open(LOG, "a", encoding="utf-8") as log:
            log.write(json.dumps({"case": repr(case), "format": output_format, **outcome}) + "\n")
