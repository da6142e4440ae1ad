"""markdown-it-py as digestlint configures it: CommonMark and what digest reports use."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from linkify_it import LinkifyIt
from linkify_it.main import Match
from markdown_it import MarkdownIt
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar
from markdown_it.rules_core import StateCore, block, normalize
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
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
    parser.linkify = GfmLinkify()
    # markdown-it drops links to `javascript:`, `file:` and `data:` URLs, guarding HTML it
    # renders. digestlint renders nothing: it keeps every link so the link rules can flag them.
    parser.validateLink = lambda url: True
    return parser


class GfmLinkify(LinkifyIt):
    """Bare URLs as GitHub links them: ``http://``, ``https://`` and ``ftp://``
    addresses, ``www.`` ones and e-mail addresses. linkify-it's other "fuzzy" links, a
    bare domain (``example.org/x``, or ``cs.AI`` where ``.ai`` is a country's domain:
    ``分类：cs.LG（另见cs.CL）``), stay text on GitHub, so they are text here."""

    def pretest(self, text: str) -> bool:
        """Whether an inline block may hold such a link: it has an ``@`` (an e-mail) or
        one of the schemes or ``www.`` that every link :meth:`match` keeps starts with.
        Run on every inline block, it is a few substring searches where linkify-it's own
        tries its long host pattern at every character; a block it turns away is one
        whose every match :meth:`match` would drop, so the parse is the same (the text
        tokens linkify reads are pieces of the block's text)."""
        return "@" in text or _GFM_LINK_START.search(text) is not None

    def match(self, text: str) -> list[Match] | None:
        return [m for m in super().match(text) or () if _gfm_autolink(m)] or None


_GFM_SCHEMAS = frozenset({"http:", "https:", "ftp:", "mailto:"})
_GFM_LINK_START = re.compile(r"https?:|ftp:|mailto:|www\.", re.IGNORECASE)


def _gfm_autolink(match: Match) -> bool:
    return match.schema.lower() in _GFM_SCHEMAS or match.raw[:4].lower() == "www."


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


@dataclass(frozen=True)
class DelimiterRun:
    """A run of one emphasis character (``*``, ``_``, ``~``) as markdown-it reads it."""

    char: str
    length: int
    left_flanking: bool
    """Can open emphasis (for ``*``): CommonMark's left-flanking test."""
    right_flanking: bool
    """Can close emphasis (for ``*``): CommonMark's right-flanking test."""
    punctuation_before: bool
    punctuation_after: bool


def delimiter_run(text: str, position: int) -> DelimiterRun:
    """The delimiter run through ``text[position]``, with the flanking markdown-it's own
    inline parser gives it (``StateInline.scanDelims``), so rules that move spaces next
    to ``**`` judge them exactly as the parse that reads the report does."""
    char = text[position]
    start = position
    while start > 0 and text[start - 1] == char:
        start -= 1
    state = StateInline(text, markdown_parser(), {}, [])
    # ``canSplitWord=True`` gives the bare flanking tests; ``_``'s extra word rule is
    # applied by the caller's comparison of before and after, which sees both sides.
    scanned = state.scanDelims(start, True)
    end = start + scanned.length
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return DelimiterRun(
        char=char,
        length=scanned.length,
        left_flanking=scanned.can_open,
        right_flanking=scanned.can_close,
        punctuation_before=is_punctuation(before),
        punctuation_after=is_punctuation(after),
    )


def is_punctuation(char: str) -> bool:
    """CommonMark's punctuation, as markdown-it tests it next to a delimiter run."""
    return isMdAsciiPunct(ord(char)) or isPunctChar(char)


def starts_block(text: str) -> bool:
    """Whether ``text``, as a block of its own (after a blank line), reads as something
    other than a paragraph: a heading, list, quote, fence, rule, math, HTML or table.

    Asked of the parser rather than guessed from the first characters, so ``<b>x</b> y``
    or a lone ``| a |`` line (a paragraph) is not mistaken for HTML or a table."""
    tokens = _block_tokens("x\n\n" + text)
    return len(tokens) > 3 and tokens[3].type != "paragraph_open"


def _block_tokens(text: str) -> list[Token]:
    """The block tokens ``markdown_parser().parse(text)`` gives, their inline content not
    parsed: the core rules after ``block`` only fill in the children of ``inline``
    tokens (a test holds the two to the same block tokens)."""
    state = StateCore(text, markdown_parser(), {})
    normalize(state)
    block(state)
    return state.tokens
