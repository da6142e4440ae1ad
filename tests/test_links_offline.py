"""Link rules over whole reports: the seed is clean, and fixes never touch a URL."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from digestlint import fix_text, lint_text
from digestlint.config import Config, Settings
from digestlint.findings import Applicability
from digestlint.parse import markdown_parser

SEED = Path(__file__).parent.parent / "seeds" / "hf-daily-papers-2026-02-20.md"


def test_seed_has_no_link_findings() -> None:
    findings = lint_text(SEED.read_text(encoding="utf-8"), Settings(), str(SEED))
    assert findings, "the seed keeps real defects; an empty result means nothing ran"
    assert [f for f in findings if f.code.startswith("DL7")] == []


def test_link_rules_run_on_the_seed_with_a_planted_defect() -> None:
    text = SEED.read_text(encoding="utf-8").replace(
        "https://huggingface.co/papers/2602.17363", "https://huggingface.co/papers/2602.15569"
    )
    codes = {f.code for f in lint_text(text, Settings()) if f.code.startswith("DL7")}
    assert codes == {"DL710"}


def test_cjk_after_a_url_delimiter_is_only_an_unsafe_fix() -> None:
    text = "见https://zh.wikipedia.org/wiki/中文\n"
    settings = Settings(Config(select=["DL706"]))
    [finding] = lint_text(text, settings)
    assert finding.fix is not None and finding.fix.applicability == Applicability.UNSAFE
    assert fix_text(text, settings).text == text


def test_cjk_fix_keeps_every_url_character() -> None:
    text = "代码见https://example.org/a_b-c?x=1&y=2获取，数据见https://example.org/d。\n"
    fixed = fix_text(text, Settings(Config(select=["DL706"]))).text
    assert (
        fixed == "代码见<https://example.org/a_b-c?x=1&y=2>获取，数据见<https://example.org/d>。\n"
    )
    assert lint_text(fixed, Settings(Config(select=["DL7"]))) == []


def test_the_config_examples_in_docs_links_md_are_valid() -> None:
    import re
    import tomllib

    text = (Path(__file__).parent.parent / "docs" / "links.md").read_text(encoding="utf-8")
    tables: dict = {}
    for block in re.findall(r"```toml\n(.*?)```", text, re.S):
        for key, value in tomllib.loads(block)["tool"]["digestlint"].items():
            tables.setdefault(key, {}).update(value)
    settings = Settings(Config.model_validate(tables))
    assert settings.config.links.remap and settings.options["DL709"].max_age_months == 12


URL_PATHS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_~/?=&.", max_size=20)
CJK_TEXT = st.text(alphabet="获取更多代码数据，。：！（）", min_size=1, max_size=6)


@hypothesis_settings(max_examples=60, deadline=None)
@given(path=URL_PATHS, tail=CJK_TEXT)
def test_cjk_fix_ends_the_url_with_an_autolink_that_renders_it_exactly(
    path: str, tail: str
) -> None:
    url = f"https://example.org/x{path}"
    text = f"见{url}{tail}\n"
    settings = Settings(Config(select=["DL706"]))
    result = fix_text(text, settings, unsafe=True)
    # The URL as an autolink, or nothing where GFM already ends the link before the tail.
    assert result.text in (f"见<{url}>{tail}\n", text)
    assert lint_text(result.text, settings) == []
    if result.text == text:
        return
    # The real parser: one link, to the URL and reading as the URL, then the Chinese.
    children = markdown_parser().parseInline(result.text.rstrip("\n"))[0].children
    kinds = [child.type for child in children]
    assert kinds[:4] == ["text", "link_open", "text", "link_close"]
    assert children[0].content == "见"
    assert children[1].attrGet("href") == url
    assert children[2].content == url
    assert "".join(child.content for child in children[4:]) == tail


def test_a_host_only_url_before_a_full_stop_is_ended_too() -> None:
    text = "主页为 https://proj-demo.github.io。\n"
    settings = Settings(Config(select=["DL706"]))
    [finding] = lint_text(text, settings)
    assert "GitHub's autolinker" in finding.message
    fixed = fix_text(text, settings).text
    assert fixed == "主页为 <https://proj-demo.github.io>。\n"
    html = markdown_parser().render(fixed)
    assert html == (
        '<p>主页为 <a href="https://proj-demo.github.io">https://proj-demo.github.io</a>。</p>\n'
    )


def test_readable_pattern_shows_the_form_not_the_regex() -> None:
    from digestlint.rules.paper_links import readable_pattern

    assert (
        readable_pattern(r"https://huggingface\.co/papers/(?P<id>[^/?#\s]+)")
        == "https://huggingface.co/papers/<id>"
    )
    assert readable_pattern(r"https://x\.org/(?P<id>\d{4}\.\d{5}(v\d+)?)/pdf") == (
        "https://x.org/<id>/pdf"
    )
    # No faithful plain form: the pattern is shown as it is.
    assert readable_pattern(r"https?://x\.org/(?P<id>\d+)") == r"https?://x\.org/(?P<id>\d+)"
