"""The lookups that keep a lint and a fix linear in the report's size give the answers the
scans they replaced gave: each is checked against that scan, written out here, on random
input and on real markdown-it tokens. (Speed itself is measured by bench/bench_corpus.py,
never asserted.)"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from digestlint import FixError
from digestlint.api import (
    _AppliedPass,
    _overlaps,
    _same_place,
    _TakenRanges,
    apply_edits,
    check_meaning_kept,
    meaningful_characters,
)
from digestlint.findings import Edit
from digestlint.parse import markdown_parser
from digestlint.parse.tokens import TokenIndex
from digestlint.profile import DEFAULT_CHATTER
from digestlint.report import has_format
from digestlint.rules.filler import chatter_pattern
from digestlint.source import ByStart, Spans

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "hf-daily-papers-2026-02-20.md"

spans = st.lists(
    st.tuples(st.integers(0, 60), st.integers(0, 20)).map(lambda p: (p[0], p[0] + p[1])),
    max_size=25,
)


@given(spans, st.integers(-5, 90), st.integers(-5, 90))
def test_by_start_takes_what_a_scan_takes_in_the_given_order(items, low, high) -> None:
    expected = [item for item in items if low <= item[0] < high]
    assert ByStart(items, lambda item: item[0]).between(low, high) == expected


@given(spans, st.integers(-5, 90))
def test_spans_hold_an_offset_when_a_scan_finds_one(items, offset) -> None:
    assert Spans(items).hold(offset) == any(start <= offset < end for start, end in items)


def token_scans(tokens, line):
    """The scans rules/headings.py made before the index, for 1-based ``line``."""
    item = next(
        (
            i
            for i, t in enumerate(tokens)
            if t.type == "list_item_open" and t.map and t.map[0] + 1 == line
        ),
        None,
    )
    inline = next(
        (i for i, t in enumerate(tokens) if t.type == "inline" and t.map and t.map[0] + 1 == line),
        None,
    )
    block = next(
        (t for t in tokens if t.nesting != -1 and t.map and t.map[0] + 1 >= line),
        None,
    )
    return item, inline, block


def index_lookups(index, line):
    return (
        index.first_at("list_item_open", line),
        index.first_at("inline", line),
        index.first_block_from(line),
    )


def test_token_index_finds_what_the_scans_found_on_the_seed() -> None:
    text = SEED.read_text(encoding="utf-8")
    tokens = markdown_parser().parse(text)
    index = TokenIndex(tokens)
    for line in range(0, text.count("\n") + 3):
        assert index_lookups(index, line) == token_scans(tokens, line), line


markdown_lines = st.lists(
    st.sampled_from(
        [
            *("", "text", "- item", "  - nested", "1. one", "> quote", "# title", "```"),
            *("| a |", "|---|", "    code", "**label**：", "---", "<!-- c -->", "  continued"),
        ]
    ),
    max_size=30,
)


@settings(max_examples=150)
@given(markdown_lines)
def test_token_index_finds_what_the_scans_found(lines) -> None:
    tokens = markdown_parser().parse("\n".join(lines))
    index = TokenIndex(tokens)
    for line in range(0, len(lines) + 3):
        assert index_lookups(index, line) == token_scans(tokens, line), line


span_groups = st.lists(
    st.lists(
        st.tuples(st.integers(0, 40), st.integers(0, 6)).map(lambda p: (p[0], p[0] + p[1])),
        min_size=1,
        max_size=3,
    ),
    max_size=20,
)


@given(span_groups)
def test_taken_ranges_refuse_what_a_scan_of_every_range_refuses(groups) -> None:
    """choose_fixes takes a fix if none of its ranges overlaps one already taken."""
    taken, scanned = _TakenRanges(), []
    for group in groups:
        expected = any(_overlaps(span, other) for span in group for other in scanned)
        assert any(taken.overlaps(span) for span in group) == expected
        if not expected:
            taken.extend(group)
            scanned.extend(group)


def offset_before_by_walk(offset: int, before: str, edits: list[Edit]) -> int:
    """The walk over every edit that :class:`_AppliedPass` replaced."""
    shift = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        new_start = edit.start + shift
        if offset < new_start:
            break
        if offset < new_start + len(edit.content):
            inside = offset - new_start
            return edit.start + _same_place(edit.content, inside, before[edit.start : edit.end])
        shift += len(edit.content) - (edit.end - edit.start)
    return offset - shift


@st.composite
def text_and_edits(draw):
    text = draw(st.text(alphabet="ab 模型1。", min_size=0, max_size=40))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8)))
    edits = []
    for start, end in zip(cuts[::2], cuts[1::2], strict=False):
        content = draw(st.text(alphabet="ab 模型1,。", max_size=5))
        edits.append(Edit(start=start, end=end, content=content))
    # Insertions at one point are allowed in one pass only when they are not equal
    # ranges of two fixes; apply_edits accepts them either way.
    return text, edits


@given(text_and_edits())
def test_applied_pass_maps_offsets_back_as_the_walk_did(case) -> None:
    text, edits = case
    after = apply_edits(text, edits)
    applied = _AppliedPass(text, edits)
    for offset in range(len(after) + 1):
        assert applied.offset_before(offset) == offset_before_by_walk(offset, text, edits)


def meaning_kept_over_whole_text(before: str, edits: list[Edit]) -> bool:
    """The whole-text comparison check_meaning_kept made (no exempt edits here)."""
    return meaningful_characters(before) == meaningful_characters(apply_edits(before, edits))


@given(text_and_edits())
def test_meaning_check_on_the_edits_span_agrees_with_the_whole_text(case) -> None:
    text, edits = case
    try:
        check_meaning_kept(text, edits)
    except FixError:
        kept = False
    else:
        kept = True
    assert kept == meaning_kept_over_whole_text(text, edits)


@pytest.mark.parametrize(
    "value",
    [
        "2026-02-20",
        "2026-02-30",
        "2026-13-01",
        "2026-2-20",
        "2026-02-20\n",
        " 2026-02-20",
        "２０２６-02-20",
        "20260220",
        "0000-01-01",
        "2024-02-29",
        "2025-02-29",
        "",
        "date",
    ],
)
def test_date_format_is_jsonschemas(value: str) -> None:
    checker = Draft202012Validator.FORMAT_CHECKER
    assert has_format(value, "date") == checker.conforms(value, "date")


def loaded_modules(*args: str) -> set[str]:
    probe = (
        "import sys\n"
        "from digestlint.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "GITHUB_ACTIONS": ""},
    )
    return set(result.stdout.split("\n")[-2].split())


def test_a_text_run_imports_no_other_output_format_nor_jsonschema() -> None:
    modules = loaded_modules("--format", "text", "--output-file", os.devnull, str(SEED))
    assert "digestlint.output.text" in modules
    for unused in ("github", "gitlab", "junit", "sarif", "html"):
        assert f"digestlint.output.{unused}" not in modules
    assert "jsonschema" not in modules
    assert "xml.etree.ElementTree" not in modules


def test_the_format_chosen_is_imported() -> None:
    modules = loaded_modules("--format", "junit", "--output-file", os.devnull, str(SEED))
    assert "digestlint.output.junit" in modules
    assert "digestlint.output.sarif" not in modules


@pytest.mark.slow
def test_the_corpus_bench_runs_and_says_what_it_could_not_measure(tmp_path: Path) -> None:
    """bench/bench_corpus.py --quick: every row is a time or says why it is not one, and
    the goals are printed but not judged on its small inputs."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_corpus.py"), "--quick", "--copies", "2"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if line.startswith("| digestlint")]
    assert rows and all(" s |" in row or " ms |" in row or "| — |" in row for row in rows)
    goals = result.stdout.split("## Goals")[1].split("##")[0]
    assert goals.count("not judged (--quick)") + goals.count("not measured") == 5
    if shutil.which("node") is None:
        assert "markdownlint-cli2: not measured (node and npm not found)" in result.stdout


def test_lint_and_fix_leave_the_cycle_collector_as_they_found_it() -> None:
    import gc

    from digestlint import fix_text, lint_text

    text = "# 标题\n\n模型,很好\n"
    assert gc.isenabled()
    lint_text(text)
    fix_text(text)
    assert gc.isenabled()
    with pytest.raises(AttributeError):  # not a text: the pass fails, the collector is back
        lint_text(None)  # type: ignore[arg-type]
    assert gc.isenabled()
    gc.disable()
    try:
        lint_text(text)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_collector_is_paused_while_a_pass_runs() -> None:
    import gc

    from digestlint.api import collector_paused

    states = []
    collector_paused(lambda: states.append(gc.isenabled()))()
    assert states == [False]
    assert gc.isenabled()


CHATTER_ALPHABET = (
    "作为一个AI模型，我是您的助手以下是好的当然希望对有所帮Sure! Here isIhopethsaA ,.。ſK\n"
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(DEFAULT_CHATTER), st.text(CHATTER_ALPHABET, max_size=12)),
        max_size=8,
    ).map("".join),
    st.booleans(),
)
def test_chatter_found_where_the_phrase_pattern_finds_it(text: str, wildcard_first: bool) -> None:
    """The chatter pattern, tried only where a phrase can start, finds what the whole
    pattern's own scan finds (a phrase starting with `…` falls back to that scan)."""
    phrases = (*DEFAULT_CHATTER, "…是您的") if wildcard_first else DEFAULT_CHATTER
    chatter = chatter_pattern(phrases)
    assert chatter is not None
    assert (chatter.starts is None) == wildcard_first
    expected = [m.span() for m in chatter.pattern.finditer(text)]
    assert [m.span() for m in chatter.finditer(text)] == expected


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=" \t\n\u3000\xa0\u2028ab中.…\x00", max_size=30))
def test_squeezed_is_the_text_without_whitespace(text: str) -> None:
    """cjk-spacing's copy detection squeezes whitespace out with str.split (which splits
    where str.isspace says): the same as testing each character."""
    from types import SimpleNamespace

    from digestlint.rules.cjk_spacing import _ELLIPSIS, _squeezed

    indices = [i for i, char in enumerate(text) if not char.isspace()]
    squeezed = "".join(text[i] for i in indices)
    cut = _ELLIPSIS.search(squeezed)
    if cut:
        squeezed, indices = squeezed[: cut.start()], indices[: cut.start()]
    assert _squeezed(SimpleNamespace(text=text)) == (squeezed, indices)


def _walked_token(text: str, index: int) -> tuple[int, int]:
    """cjk-spacing's word around ``text[index]`` as it was found before: a walk over the
    characters either side, each tested on its own."""
    import re

    from digestlint.rules.cjk_spacing import LATIN

    latin = re.compile(f"[{LATIN}]")
    joiners = ".,/-:_+\u2010\u2011"

    def part(at: int) -> bool:
        if latin.match(text[at]):
            return True
        return (
            text[at] in joiners
            and 0 < at < len(text) - 1
            and bool(latin.match(text[at - 1]))
            and bool(latin.match(text[at + 1]))
        )

    start = end = index
    while start > 0 and part(start - 1):
        start -= 1
    while end < len(text) and part(end):
        end += 1
    return start, end


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="aZ9é-.,/:_+\u2011‐ 中%", min_size=1, max_size=25), st.data())
def test_latin_word_is_the_walk(text: str, data: st.DataObject) -> None:
    """cjk-spacing finds each Latin word once per block with one pattern: the span it
    gives for any character is the one the character walk gave."""
    from digestlint.rules.cjk_spacing import ascii_token, latin_words

    index = data.draw(st.integers(0, len(text) - 1))
    assert ascii_token(text, index) == _walked_token(text, index)
    assert ascii_token(text, index, latin_words(text)) == _walked_token(text, index)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="aB一二²½_-*`>1.) \n。…([（【N/A", max_size=60), st.integers(0, 12))
def test_placeholder_test_is_the_normalised_comparison(text: str, limit: int) -> None:
    """placeholder-only tells a long field apart by counting its letters, without
    normalising it: never for a text whose normalised form is a placeholder."""
    from digestlint.rules.filler import is_placeholder, normalised

    known = frozenset({"a" * limit, normalised(text)} - {""})
    assert is_placeholder(text, known) == (normalised(text) in known)
    other = frozenset({"x" * limit} - {""})
    assert is_placeholder(text, other) == (normalised(text) in other)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=" \t\n\u3000\xa0ab中.…", max_size=30))
def test_squeezed_text_is_the_squeezed_text(text: str) -> None:
    from types import SimpleNamespace

    from digestlint.rules.cjk_spacing import _squeezed, _squeezed_text

    view = SimpleNamespace(text=text)
    assert _squeezed_text(view) == _squeezed(view)[0]


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="中文a1,.:;?!/ \n\x00", max_size=30))
def test_half_width_marks_are_the_pattern_matches(text: str) -> None:
    """cjk-punctuation-width tries its pattern only after a Han character and a mark:
    the matches its own search finds."""
    from digestlint.rules.typography import _HALF_WIDTH, _half_width_marks

    expected = [m.span() for m in _HALF_WIDTH.finditer(text)]
    assert [m.span() for m in _half_width_marks(text)] == expected
