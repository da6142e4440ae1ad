"""markdown-it-py as digestlint configures it: CommonMark and what digest reports use."""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.dollarmath.index import math_inline_dollar
from mdit_py_plugins.front_matter import front_matter_plugin


@cache
def markdown_parser() -> MarkdownIt:
    """CommonMark plus what digest reports use: GFM tables, strikethrough, bare URLs, ``$``
    math and YAML front matter (static-site pipelines open each report with it)."""
    parser = (
        MarkdownIt("commonmark", {"linkify": True})
        .enable(["linkify", "table", "strikethrough"])
        .use(dollarmath_plugin, allow_space=False, allow_digits=True, double_inline=True)
        .use(front_matter_plugin)
    )
    parser.inline.ruler.at("math_inline", _pandoc_dollar)
    # markdown-it drops links to `javascript:`, `file:` and `data:` URLs, guarding HTML it
    # renders. digestlint renders nothing: it keeps every link so the link rules can flag them.
    parser.validateLink = lambda url: True
    return parser


_PLUGIN_DOLLAR = math_inline_dollar(allow_space=False, allow_digits=True, allow_double=True)


def _pandoc_dollar(state: StateInline, silent: bool) -> bool:
    """``$`` math by pandoc's rule: an opening ``$`` is not followed by a space, a closing
    one is neither preceded by a space nor followed by a digit. So money (``only ($ 12)
    per run``, ``$20,000 and $30,000``) is not math, and ``2-7$\\times$`` is.

    The plugin's ``allow_space=False`` gives the spaces; its ``allow_digits=False`` would
    also refuse a digit *before* an opening ``$``, which pandoc allows, so the digit
    after the closing ``$`` is checked here."""
    start = state.pos
    if not _PLUGIN_DOLLAR(state, True):
        return False
    after, state.pos = state.pos, start
    single = state.src.startswith("$", start) and not state.src.startswith("$$", start)
    if single and after < state.posMax and state.src[after].isdigit():
        return False
    return _PLUGIN_DOLLAR(state, silent)
