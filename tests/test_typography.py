"""The metrics and typography rules (DL8xx) on the seed, on what they must never touch,
and on generated mixed Chinese/ASCII text."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from digestlint import fix_text, lint_text
from digestlint.config import Config, Settings
from digestlint.findings import Applicability, Edit
from digestlint.parse import markdown_parser, parse
from digestlint.rules._prose import keeps_delimiters, prose_views
from digestlint.rules.cjk_spacing import NO_SPACE_UNITS, boundaries

SEED = Path(__file__).parent.parent / "seeds" / "hf-daily-papers-2026-02-20.md"
WIDTH = str.maketrans("，。：；？！％～", ",.:;?!%~")


def dl8(**data) -> Settings:
    return Settings(Config.model_validate({"select": ["DL8"], **data}))


def only_words(text: str) -> str:
    """``text`` without whitespace and with punctuation at one width: what a fix keeps."""
    return re.sub(r"\s+", "", text).translate(WIDTH)


@pytest.fixture(scope="module")
def seed() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_findings(seed: str) -> list:
    return lint_text(seed, dl8(), str(SEED))


# -- the seed --------------------------------------------------------------------------


def test_seed_multiplier_reported_against_majority(seed: str, seed_findings: list) -> None:
    found = [f for f in seed_findings if f.code == "DL802"]
    assert len(found) == 1
    line = seed.splitlines()[found[0].line - 1]
    assert line[found[0].column - 1 : found[0].end_column - 1] == "4.23 倍"
    assert "4 of 5 multipliers" in found[0].message
    assert found[0].fix is not None and found[0].fix.applicability == Applicability.SAFE


def test_seed_number_and_measure_word_has_no_house_style(seed: str) -> None:
    document = parse(seed, Settings().profile)
    measure = [
        boundary
        for view in prose_views(document)
        for boundary in boundaries(view, frozenset(NO_SPACE_UNITS))
        if boundary.kind == "measure"
    ]
    # Counted by hand: 13 spaced (`11 个`, `3 人`, `20 条`, `6 面`, `4000 亿`, ...) and 5
    # unspaced (`基于45名`, `(3/4人)`, `(2/3人)`, `(4/5张牌)`, `(4/5/6面骰子)`): 72%,
    # and still 78% once `基于 45 名` is fixed: no house style.
    assert sorted(boundary.spaced for boundary in measure) == [False] * 5 + [True] * 13


def test_seed_spacing_findings_are_missing_spaces(seed_findings: list) -> None:
    spacing = [f for f in seed_findings if f.code == "DL813"]
    # Against the seed's spaced majorities, only missing spaces are reported.
    assert spacing and all(f.message.startswith("no space") for f in spacing)
    pairs = {f.message.split(";")[0] for f in spacing}
    for expected in ("`在` and `LLM`", "`于` and `45`", "`用` and `Token-ID`", "`GUI` and `智`"):
        assert f"no space between {expected}" in pairs
    assert "no space between `45` and `名`" in pairs  # the other side of 45
    assert not any("`个`" in pair or "`人`" in pair or "`条`" in pair for pair in pairs)
    assert all(f.fix is not None for f in spacing)


def test_fixing_the_seed_keeps_its_measure_words_and_spaces_45(seed: str) -> None:
    fixed = fix_text(seed, dl8(), str(SEED)).text
    for kept in (
        "等 11 个基准测试",
        "在 3 人 Kuhn Poker",
        "仅使用 20 条人类演示",
        "（如 6 面 Liar's Dice）",
        "**Kuhn Poker (3/4人)**",
        "**Liar's Dice (4/5/6面骰子)**",
        "在 4000 亿参数规模下",
    ):
        assert kept in fixed
    assert "基于 45 名参与者" in fixed
    assert "4.23倍" in fixed


def test_the_spacing_majority_is_counted_over_the_report() -> None:
    # Ten boundaries spaced (在 GPU 上, 用 Token 计, 由 Adam 优, 在 CUDA 上, 为 RL 所),
    # two not (及LLM推).
    text = (
        "在 GPU 上训练，用 Token 计费，由 Adam 优化，在 CUDA 上运行，为 RL 所用，以及LLM推理。\n"
    )
    findings = lint_text(text, dl8())
    reason = "10 of 12 Han/Latin boundaries in this report have one"
    assert [(f.line, f.column, f.end_line, f.end_column, f.message) for f in findings] == [
        # Each covers the Han character and the whole word: `及LLM`, `LLM推`.
        (1, 52, 1, 56, f"no space between `及` and `LLM`; {reason}"),
        (1, 53, 1, 57, f"no space between `LLM` and `推`; {reason}"),
    ]
    assert fix_text(text, dl8()).text == text.replace("以及LLM推理", "以及 LLM 推理")


def test_seed_other_findings(seed_findings: list) -> None:
    codes = {f.code for f in seed_findings}
    # The seed's percentages, ranges (2 `~` and 2 `-`: a tie), numbers, math and
    # punctuation are consistent; its one broken bold text is reported.
    assert codes == {"DL802", "DL812", "DL813"}
    broken = [f for f in seed_findings if f.code == "DL812"]
    assert [(f.line, f.column, f.end_line) for f in broken] == [(49, 27, 49)]  # one pair


def test_seed_ranges_are_exactly_the_four_real_ones(seed: str) -> None:
    tilde = lint_text(seed, dl8(rules={"DL803": {"style": "1~2"}}))
    hyphen = lint_text(seed, dl8(rules={"DL803": {"style": "1-2"}}))
    assert [f.message.split(";")[0] for f in tilde if f.code == "DL803"] == [
        "range written `1-5`",
        "range written `10-15`",
    ]
    assert [f.message.split(";")[0] for f in hyphen if f.code == "DL803"] == [
        "range written `17.1~20.2`",
        "range written `3.6~5.3`",
    ]
    assert all(f.fix.applicability == Applicability.UNSAFE for f in tilde if f.code == "DL803")


def test_seed_thousands(seed: str) -> None:
    plain = [f for f in lint_text(seed, dl8(rules={"DL804": {"style": "10000"}}))]
    assert [f.message for f in plain if f.code == "DL804"] == [
        "number written `2,876`; the configured style writes `2876`"
    ]
    grouped = lint_text(seed, dl8(rules={"DL804": {"style": "10,000"}}))
    assert [f for f in grouped if f.code == "DL804"] == []


def test_fixing_the_seed_changes_only_whitespace_and_width(seed: str) -> None:
    result = fix_text(seed, dl8(), str(SEED))
    assert result.changed
    assert only_words(result.text) == only_words(seed)
    assert [f for f in result.remaining if f.code.startswith("DL8")] == []
    assert fix_text(result.text, dl8()).text == result.text


def test_fixing_the_seed_leaves_other_rules_alone(seed: str) -> None:
    fixed = fix_text(seed, dl8()).text

    def others(text: str) -> list[tuple[str, str]]:
        return sorted((f.code, f.message) for f in lint_text(text) if f.code[:3] != "DL8")

    assert others(fixed) == others(seed)


def test_rules_run_under_the_generic_profile(seed: str) -> None:
    findings = lint_text(seed, dl8(profile="generic"))
    assert {"DL802", "DL812", "DL813"} <= {f.code for f in findings}


def test_every_disagreement_with_autocorrect_is_explained(seed: str) -> None:
    script = SEED.parent.parent / "bench" / "typography_vs_autocorrect.py"
    spec = importlib.util.spec_from_file_location("typography_vs_autocorrect", script)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # dataclasses look their module up there
    spec.loader.exec_module(bench)
    theirs = bench.autocorrect_py.format_for(seed, "md")
    found = bench.disagreements(seed, bench.digestlint_fix(seed), theirs)
    assert found
    docs = (SEED.parent.parent / "docs" / "typography.md").read_text(encoding="utf-8")
    headings = set(re.findall(r"^### (\S+)$", docs, flags=re.MULTILINE))
    categories = {item.category for item in found}
    assert "unexplained" not in categories
    assert categories <= headings


# -- what is never touched -------------------------------------------------------------

UNTOUCHABLE = """\
在 GPU 上训练，在 LLM 里推理，用 Rectified Flow 学习，以 Token 计费，约 40 美元。

在LLM里用`在LLM里 , x`和$在LLM里 , 4.23 倍$，见[在LLM里](https://例子.cn/在LLM里,x) 和 <b>在LLM里 ,</b>。

```text
在LLM里 , 4.23 倍 , 78 %
```

$$
在LLM里 , 4.23 倍
$$

    在LLM里 , 4.23 倍 , 78 %
"""


def test_code_math_urls_and_html_are_untouched() -> None:
    result = fix_text(UNTOUCHABLE, dl8(rules={"DL813": {"mode": "always"}}), unsafe=True)
    protected = re.findall(r"`[^`]*`|\$[^$]*\$|\(https[^)]*\)", UNTOUCHABLE)
    protected += [UNTOUCHABLE[UNTOUCHABLE.index("```") :]]
    for piece in protected:
        assert piece in result.text
    # ... while the prose around them was fixed: link text, text inside HTML tags.
    assert "见[在 LLM 里](https" in result.text
    assert "在 LLM 里用`" in result.text
    assert "<b>在 LLM 里 ,</b>" in result.text


def test_view_characters_are_the_source_characters(seed: str) -> None:
    document = parse(seed, Settings().profile)
    fenced = [(b.start, b.end) for b in document.code_blocks]
    for view, block in zip(prose_views(document), document.inlines, strict=True):
        for char, offset in zip(view.chars, view.offsets, strict=True):
            if offset < 0:
                continue
            assert seed[offset] == char
            assert block.start <= offset < block.end
            assert not any(s <= offset < e for s, e in block.protected)
            assert not any(s <= offset < e for s, e in fenced)


# -- fixes that would break markup -----------------------------------------------------


def test_removing_a_space_that_lets_bold_close_is_unsafe() -> None:
    text = "降低了 **78%** 的误差"
    space = text.index("** 的") + 2
    assert not keeps_delimiters(text, Edit(start=space, end=space + 1, content=""))
    text = "在 **10/11** 个游戏中"
    space = text.index("** 个") + 2
    assert keeps_delimiters(text, Edit(start=space, end=space + 1, content=""))


def test_never_mode_offers_an_unsafe_fix_beside_emphasis() -> None:
    """Both spaces around a bold name are unsafe fixes: a safe fix of the closing side
    alone would leave the name lopsided (`使用 **GPU**训练`)."""
    source = "在 LLM 执行，使用 **GPU** 训练。"
    options = dl8(rules={"DL813": {"mode": "never"}})
    safe = fix_text(source, options)
    assert safe.text == "在LLM执行，使用 **GPU** 训练。"
    assert [f.fix.applicability for f in safe.remaining] == [Applicability.UNSAFE] * 2
    assert fix_text(source, options, unsafe=True).text == "在LLM执行，使用**GPU**训练。"


def test_a_backslash_keeps_what_it_escapes() -> None:
    # `\％` renders with its backslash; `\%` would not. `\，` still does.
    source = "成功率 71\\％，模型 \\，好。"
    assert fix_text(source, dl8()).text == source
    # A space between a backslash and a mark is no prose spacing: kept.
    assert fix_text("模型 \\ ，好。", dl8()).text == "模型 \\ ，好。"


def test_range_mark_changes_only_with_unsafe_fixes() -> None:
    source = "提升了 +17.1~20.2 分，+3.6~5.3 分，1~2 倍，3~4 次，可将性能提升 10-15%。"
    assert fix_text(source, dl8()).text == source
    assert fix_text(source, dl8(), unsafe=True).text.endswith("10~15%。")


def test_multiplier_in_another_unit_gets_its_spacing_fixed_only() -> None:
    source = "快 16.2倍，又快 3.1倍，慢 1.5倍，慢 2倍，还快 2.3 ×。"
    result = fix_text(source, dl8())
    assert result.text == "快 16.2倍，又快 3.1倍，慢 1.5倍，慢 2倍，还快 2.3×。"
    assert [f.fix for f in result.remaining] == [None]
    assert "change `×` to `倍` by hand" in result.remaining[0].message


# -- generated text --------------------------------------------------------------------

PIECES = [
    *["模型", "训练", "数据", "在", "的", "个", "年", "倍", "名", "、"],
    *["LLM", "GPU", "Token", "2.3", "16", "4.23", "10,000", "12000", "x", "v1.5", "1"],
    *[",", ".", ":", ";", "?", "!", "，", "。", "：", "；", "（", "）", "%", "％"],
    *["~", "～", "-", "–", "×"],
    *[" ", " ", "  ", "\t", "\n", "\n\n"],
    *["**", "*", "_", "`", "$", "$$", "[", "](http://a.cn/x)", "\\", "- ", "# ", "&amp;"],
    *["https://x.cn/中文", "![图](x.png)", "<b>", "~~", "> ", "| a | b |\n|---|---|\n| "],
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_fixes_change_only_whitespace_and_width(text: str) -> None:
    result = fix_text(text, dl8())
    assert only_words(result.text) == only_words(text)
    assert fix_text(result.text, dl8()).text == result.text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
# Found by this test: the space before `，` ends GitHub's link of `https://x.cn/中文`.
@example("模型\nhttps://x.cn/中文 ，")
# Found by this test: without the space, the literal `**` before `，` could open bold.
@example("、** ，**")
def test_fixes_keep_the_rendered_structure(text: str) -> None:
    """Except DL812 (whose fix makes literal ``**`` bold), a fix never changes the
    rendered HTML beyond whitespace and punctuation width: no markup appears, breaks
    or moves."""
    chosen = dl8(ignore=["DL812"])
    render = markdown_parser().render
    fixed = fix_text(text, chosen).text
    assert only_words(render(fixed)) == only_words(render(text))


def test_the_options_in_docs_typography_md_are_valid_and_the_defaults() -> None:
    import tomllib

    docs = (SEED.parent.parent / "docs" / "typography.md").read_text(encoding="utf-8")
    [block] = re.findall(r"```toml\n(.*?)```", docs, flags=re.S)
    rules = tomllib.loads(block)["tool"]["digestlint"]["rules"]
    settings = Settings(Config.model_validate({"rules": rules}))
    assert settings.options["DL813"] == Settings().options["DL813"]
    assert settings.options["DL802"] == Settings().options["DL802"]
