"""Link rules: every link of a report.

The rules read ``document.links`` (inline links, autolinks, bare URLs and reference
links, as the shared parse found them) through the URL helpers of
:mod:`digestlint.urls`. The rules on each paper's link field are in
:mod:`digestlint.rules.paper_links`; the online rules, which request the links, in
:mod:`digestlint.rules.links_online`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from markdown_it.common.utils import isMdAsciiPunct, isPunctChar
from pydantic import BaseModel, ConfigDict, Field

from digestlint.findings import Applicability, Edit, Finding, Severity
from digestlint.model import Link
from digestlint.parse.markdown import markdown_parser
from digestlint.registry import RuleContext, rule
from digestlint.rules._prose import BARRIER, cached_views
from digestlint.urls import (
    CJK,
    CJK_PUNCTUATION,
    WEB_SCHEMES,
    cjk_tail_start,
    intended_url,
    malformed_reason,
    scheme_of,
    written_url,
)

if TYPE_CHECKING:
    pass

# A CJK run right after one of these is more likely a path segment or a query value of
# the URL (``/wiki/中文``, ``?q=中文``) than prose glued to it.
_URL_DELIMITERS = frozenset("/=?#&_-~+:%@.")
_MISSING_COLON = re.compile(r"^https?//", re.IGNORECASE)
UNSAFE_SCHEMES = frozenset({"javascript", "vbscript", "data", "file"})
# `[text](destination)` read in the prose: markdown-it made no link of it, so it shows as
# typed. The text has no brackets; the destination no parentheses and no line break.
_LITERAL_LINK = re.compile(r"\[(?P<text>[^\[\]\n]*)\]\((?P<dest>[^()\n]*)\)")
_LOOKS_LIKE_URL = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|www\.)|/", re.IGNORECASE)
# A first path segment that reads as a host name: `github.com/x/y`, `arxiv.org/abs/1`.
_HOST_FIRST = re.compile(r"^(?:[a-z0-9-]+\.)+(?P<tld>[a-z]{2,63})(?::\d+)?(?P<rest>[/?#].*)?$")
_FILE_EXTENSIONS = frozenset(
    [
        "md",
        "markdown",
        "html",
        "htm",
        "txt",
        "pdf",
        "png",
        "jpg",
        "jpeg",
        "gif",
        "svg",
        "webp",
        "mp4",
        "py",
        "ipynb",
        "json",
        "yaml",
        "yml",
        "toml",
        "csv",
        "tsv",
        "js",
        "ts",
        "css",
        "zip",
        "gz",
        "tar",
        "xml",
        "rst",
    ]
)
_COMMON_TLDS = frozenset(
    [
        "com",
        "org",
        "net",
        "io",
        "ai",
        "co",
        "dev",
        "app",
        "edu",
        "gov",
        "cn",
        "uk",
        "de",
        "jp",
        "me",
        "info",
    ]
)


# -- rules for every link ------------------------------------------------------------


_BADGE_WITHOUT_LINK = re.compile(r"\[\s*!\[[^\]\n]*\]\([^()\s]*\)\s*\]\(\s*\)")
"""An image wrapped in a link with no destination: the README idiom for a badge
(``[![Total Papers](https://img.shields.io/…)]()``), the image its whole point."""


@rule("DL701", "link-empty", structural=False)
def link_empty(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that every Markdown link has both text and a destination.

    An image wrapped in a link with no destination, the README idiom for a badge
    (``[![Total Papers](https://img.shields.io/badge/…)]()``), is left alone: the image
    is the point, and the empty link is harmless.

    ## Why is this bad?
    ``[]()`` renders as nothing, ``[text]()`` as a link to the page itself, and
    ``[](https://...)`` as a link nobody can see or click.

    ## Example
    ```markdown
    代码见[]()，数据见[项目主页]()。
    ```

    ## Use instead
    ```markdown
    代码见[GitHub](https://github.com/org/repo)，数据见[项目主页](https://org.github.io/repo)。
    ```

    ## Fix safety
    Not fixable: the missing text or destination is not known.
    """
    for link in context.document.links:
        if link.kind not in ("inline", "reference"):
            continue
        no_text = not link.text.strip()
        no_url = not link.url.strip()
        if no_text and no_url:
            message = "link has neither text nor a destination"
        elif no_url:
            if _BADGE_WITHOUT_LINK.fullmatch(context.source.text, link.start, link.end):
                continue  # `[![Total Papers](https://img.shields.io/…)]()`: a badge
            message = f"link `{link.text.strip()}` has no destination"
        elif no_text:
            message = f"link to `{link.url}` has no text"
        else:
            continue
        yield context.finding(link.start, link.end, message)


@rule("DL702", "link-malformed", structural=False)
def link_malformed(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that every ``http``/``https`` link is a well-formed URL: a valid host name
    or IP address, a numeric port in range, ``%`` only in percent-escapes, and ``://``
    after the scheme.

    ## Why is this bad?
    A malformed URL is a dead link that no server will ever answer; it usually comes
    from a typo or a copy that lost part of the address.

    ## Example
    ```markdown
    [代码](https//github.com/org/repo)、[主页](https://org..github.io)
    ```

    ## Use instead
    ```markdown
    [代码](https://github.com/org/repo)、[主页](https://org.github.io)
    ```

    ## Fix safety
    Not fixable: the intended address is not known.
    """
    for link in context.document.links:
        host = _host_without_scheme(link)
        if host is not None:
            written = written_url(context.source.text, link)
            yield url_finding(
                context,
                link,
                f"`{written}` has no `https://`, so it links to a file next to the report, "
                f"not to {host}; write `https://{written}`",
            )
            continue
        url = intended_url(link)
        if link.kind != "bare":
            url = written_url(
                context.source.text, link
            )  # as the report has it: `%zz`, not `%25zz`
        if _MISSING_COLON.match(url) and link.kind != "bare":
            yield url_finding(context, link, f"URL `{url}` lacks the `:` after its scheme")
            continue
        if scheme_of(link) not in WEB_SCHEMES or any(char.isspace() for char in url):
            continue
        reason = malformed_reason(
            written_url(context.source.text, link) if link.kind != "bare" else url
        )
        if reason is not None:
            yield url_finding(context, link, f"malformed URL `{url}`: {reason}")


def _host_without_scheme(link: Link) -> str | None:
    """The host a relative link names as its first segment (``github.com/x/y``), if any.

    File names (``notes.md``, ``fig.png``) are relative links as meant; a lone
    ``name.tld`` counts only with a common top-level domain (``example.com``)."""
    if link.kind not in ("inline", "reference") or scheme_of(link) is not None:
        return None
    found = _HOST_FIRST.match(link.url.strip().lower())
    if found is None or found.group("tld") in _FILE_EXTENSIONS:
        return None
    if not found.group("rest") and found.group("tld") not in _COMMON_TLDS:
        return None
    return link.url.strip().split("/")[0]


@rule("DL703", "link-whitespace", structural=False)
def link_whitespace(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that no link destination contains whitespace.

    ## Why is this bad?
    CommonMark only accepts a space inside ``<...>``; browsers and servers then see
    an address that differs from the one meant, or split it in two.

    A ``[text](destination)`` with a space in its destination is not a link at all:
    CommonMark leaves it as plain text, brackets and all. It is reported too, wherever
    it shows as text in the prose.

    ## Example
    ```markdown
    [论文](<https://arxiv.org/abs/2602. 15569>)、[代码](https://git hub.com/org/repo)
    ```

    ## Use instead
    ```markdown
    [论文](https://arxiv.org/abs/2602.15569)、[代码](https://github.com/org/repo)
    ```

    ## Fix safety
    Not fixable: whether the space is a typo or belongs to the name (``%20``) is not known.
    """
    for link in context.document.links:
        written = written_url(context.source.text, link)
        if link.kind == "reference" or not any(char.isspace() for char in written):
            continue
        yield url_finding(context, link, f"URL `{written}` contains whitespace")
    yield from _literal_links(context)


def _literal_links(context: RuleContext) -> Iterator[Finding]:
    """``[text](url with a space)`` left as text: found in the prose views, where only
    what a reader sees as text is (a link markdown-it made is never there)."""
    text = context.source.text
    for view in cached_views(context):
        for match in _LITERAL_LINK.finditer(view.text):
            start, end = match.span()
            if view.offsets[start] < 0 or view.offsets[end - 1] < 0:
                continue  # the brackets are not both written as text
            source_start, source_end = view.offsets[start], view.offsets[end - 1] + 1
            written = text[source_start:source_end]
            open_paren = written.find("](") + 2
            destination = written[open_paren:-1].strip()
            if not destination or not any(c.isspace() for c in destination):
                continue
            if not _LOOKS_LIKE_URL.search(destination):
                continue  # `[1](见 第 2 节)`: prose in brackets, not a broken link
            yield context.finding(
                source_start,
                source_end,
                f"`{written}` is not a link: its destination `{destination}` contains a "
                "space, so it shows as plain text; remove the space (or write `%20`)",
            )


# `[text] (https://…)` read in the prose: brackets, then a bare URL in parentheses after a
# space. The view writes the bare URL as one BARRIER character.
_SPLIT_LINK = re.compile(r"\[(?P<text>[^\[\]\n]+)\][ \t]+\(" + BARRIER + r"\)")
_MARKUP_AND_SPACE = re.compile(r"(?P<markup>[*_]*)[ \t]+")
_IMAGE_FILE = re.compile(r"\.(?:png|jpe?g|gif|svg|webp|avif|bmp)$", re.IGNORECASE)


@rule(
    "DL715",
    "link-split",
    severity=Severity.WARNING,
    fixable=True,
    structural=False,
    family="links",
)
def link_split(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks for a link written with a space between its text and its address:
    ``[Title] (https://…)``, or ``**[Title]** (https://…)`` with the bold markup
    closed in between. CommonMark makes no link of it. The same for an image,
    ``![Figure] (https://…/fig.png)``.

    ## Why is this bad?
    Readers see the brackets around the title and, after it, the bare address in
    parentheses; the title, which should be the link, is plain text.

    ## Example
    ```markdown
    ### **[Sparse Routers Learn Faster]** (https://arxiv.org/abs/2603.01234)
    ```

    ## Use instead
    ```markdown
    ### **[Sparse Routers Learn Faster](https://arxiv.org/abs/2603.01234)**
    ```

    ## Fix safety
    Safe: the space goes, and emphasis markup closed between the text and the address
    moves after the address, so the link is inside the bold text; no character of the
    title or the address changes. When that markup could not close after the address
    (a letter or Han follows it: ``**[Title]** (https://…)提出``), there is no fix: the
    bold would stop rendering. Nor is there one for an image whose address is no image
    file (``![Paper] (https://arxiv.org/abs/…)``): a link with a stray ``!``, or a wrong
    address, is for the editor to decide.
    """
    text = context.source.text
    for view in cached_views(context):
        for match in _SPLIT_LINK.finditer(view.text):
            if match["text"] in (" ", "x", "X"):
                continue  # `- [ ] (https://…)`: a task list's checkbox on GitHub, not a title
            start, end = match.span()
            offsets = view.offsets
            closing = match.start("text") + len(match["text"])
            opening = end - 3  # `(`, the URL, `)`
            if min(offsets[start], offsets[closing], offsets[opening], offsets[end - 1]) < 0:
                continue  # a bracket or a parenthesis is markup, not text
            source_start, source_end = offsets[start], offsets[end - 1] + 1
            between = text[offsets[closing] + 1 : offsets[opening]]
            gap = _MARKUP_AND_SPACE.fullmatch(between)
            if gap is None:
                continue  # something else stands between them
            inside = context.lint_pass.links_by_start.between(offsets[opening] + 1, source_end)
            link = next((link for link in inside if link.kind == "bare"), None)
            if link is None:
                continue
            address = text[offsets[opening] : source_end]
            image = start > 0 and view.text[start - 1] == "!" and offsets[start - 1] >= 0
            if image:
                source_start -= 1
            written, kind = ("!", "an image") if image else ("", "a link")
            message = (
                f"`{written}[{match['text']}]` is not {kind}: a space parts it from its "
                f"address `{link.url}`, so the brackets and the bare address show as written"
            )
            if image and not _IMAGE_FILE.search(urlsplit(link.url).path):
                # `![Paper] (https://arxiv.org/abs/…)`: joined, an image of a page. A link
                # with a stray `!`, or an image whose address is wrong: the editor's call.
                yield context.finding(
                    source_start,
                    source_end,
                    f"{message}; its address is not an image file, so there is no fix",
                )
                continue
            if gap["markup"] and not _closes_before(text, source_end):
                # `**[T]** (https://…)提出`: moved after `)`, the `**` could not close
                # before `提` and the bold would stop rendering.
                yield context.finding(
                    source_start,
                    source_end,
                    f"{message}; joined, the closing `{gap['markup']}` could not close "
                    "where it would stand, so there is no fix",
                )
                continue
            yield context.finding(
                source_start,
                source_end,
                message,
                fix=[
                    Edit(
                        start=offsets[closing] + 1, end=source_end, content=address + gap["markup"]
                    )
                ],
                fix_message="join the text and its address",
            )


def _closes_before(text: str, index: int) -> bool:
    """Whether emphasis markup placed at ``text[index]``, right after a ``)``, can close
    there: CommonMark wants whitespace, punctuation or the end of the text after it
    (not a letter or Han, and not more ``*`` or ``_``, which would join its run)."""
    if index >= len(text):
        return True
    after = text[index]
    if after in "*_":
        return False
    return after.isspace() or isMdAsciiPunct(ord(after)) or isPunctChar(after)


@rule("DL704", "link-unsafe-scheme", structural=False)
def link_unsafe_scheme(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that no link uses a ``javascript:``, ``vbscript:``, ``data:`` or ``file:`` URL.

    ## Why is this bad?
    Such links run code in the reader's browser, embed content that cannot be
    reviewed, or point at files on the writer's own machine. Renderers that strip
    them leave the reader with a dead link.

    ## Example
    ```markdown
    [演示](javascript:alert(1))、[数据](file:///home/me/data.csv)
    ```

    ## Use instead
    ```markdown
    [演示](https://org.github.io/demo)、[数据](https://huggingface.co/datasets/org/data)
    ```

    ## Fix safety
    Not fixable.
    """
    for link in context.document.links:
        scheme = scheme_of(link)
        if scheme in UNSAFE_SCHEMES:
            yield url_finding(context, link, f"`{scheme}:` link is not allowed in a report")


class LinkSchemeOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    allowed_schemes: list[str] = Field(
        default_factory=lambda: ["http", "https"],
        description="Schemes links may use (`javascript`, `vbscript`, `data` and `file` "
        "are reported by link-unsafe-scheme whatever this says).",
    )


@rule(
    "DL705", "link-scheme", severity=Severity.WARNING, options=LinkSchemeOptions, structural=False
)
def link_scheme(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that links use ``http`` or ``https`` (configurable with ``allowed_schemes``).
    Relative links and bare words GFM turns into links (``model.py``) have no scheme
    and are not checked.

    ## Why is this bad?
    Readers of a digest open it in a browser or a feed reader: ``ftp:``, ``ssh:`` or
    app-specific links open nothing there or something unexpected.

    ## Example
    ```markdown
    数据：<ftp://example.org/data.tar>
    ```

    ## Use instead
    ```markdown
    数据：<https://example.org/data.tar>
    ```

    ## Fix safety
    Not fixable: whether the host serves ``https`` is not known.
    """
    allowed = {scheme.lower() for scheme in context.options.allowed_schemes}
    for link in context.document.links:
        scheme = scheme_of(link)
        if scheme is None or scheme in allowed or scheme in UNSAFE_SCHEMES:
            continue
        yield url_finding(
            context, link, f"`{scheme}:` link; use one of {', '.join(sorted(allowed))}"
        )


_MARKUP = frozenset("`*_$[]<>~\\")
_AUTOLINK_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{1,31}:")


@rule("DL706", "bare-url-cjk", fixable=True, structural=False)
def bare_url_cjk(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that a bare URL is not followed directly by Chinese (or other CJK) text or
    punctuation. A bare URL is what GitHub links without markup: an ``http://``,
    ``https://`` or ``ftp://`` address, a ``www.`` one or an e-mail address; a bare
    domain (``example.org/x``, an arXiv category such as ``cs.AI``) stays text there and
    is not one.

    ## Why is this bad?
    GFM links a bare URL up to the next space, so ``见https://example.org/x获取`` links
    to ``https://example.org/x获取``, a page that does not exist, and
    ``https://proj-demo.github.io。`` takes the ``。`` into the link on GitHub.

    ## Example
    ```markdown
    代码见https://github.com/org/repo获取，主页为 https://proj-demo.github.io。
    ```

    ## Use instead
    ```markdown
    代码见<https://github.com/org/repo>获取，主页为 <https://proj-demo.github.io>。
    ```

    ## Fix safety
    Safe: the URL is written as an autolink, ``<https://…>``, which ends exactly where
    the URL does and renders the same link; no character is added to the prose (a URL
    without a scheme, ``www.example.org``, gets a space after it instead). Unsafe when
    the CJK text follows ``/``, ``=``, ``?`` or another URL delimiter, where it may
    belong to the URL (``https://zh.wikipedia.org/wiki/中文``), and when the text the
    URL swallowed holds Markdown markup (`` ` ``, ``*``, ``_``, ``$``, ``[``, ``<``,
    ``~``, ``\\``): once outside the URL it may pair with markup further on and render
    differently.
    """
    text = context.source.text
    for link in _bare_urls(context):
        if latex_link(text, link) is not None:
            continue  # LaTeX braces around the URL are link-latex's (DL713)
        cut = cjk_tail_start(link)
        if cut == 0:
            continue
        if cut is None:
            # markdown-it ends the link before the CJK text; GitHub's autolinker does not.
            if link.end >= len(text) or not CJK.match(text[link.end]):
                continue
            url, tail_at = link.url, link.end
            message = (
                f"bare URL `{url}` runs into the text `{_glued_text(text, tail_at)}`, which "
                "GitHub's autolinker takes into the link"
            )
            safe = True
        else:
            url, tail_at = link.url[:cut], link.start + cut
            message = (
                f"bare URL `{url}` runs into the text `{link.url[cut:]}`, which becomes part "
                "of the link"
            )
            glued = text[tail_at]
            ambiguous = text[tail_at - 1] in _URL_DELIMITERS and not CJK_PUNCTUATION.match(glued)
            # Markup the URL swallowed (a backtick, `*`, `$`...) comes back to life once the
            # URL ends: it may pair with markup further on and change what renders.
            revives_markup = any(c in _MARKUP for c in text[tail_at : link.end])
            safe = not (ambiguous or revives_markup)
        if _AUTOLINK_SCHEME.match(url):
            edits = [Edit(start=link.start, end=link.start, content="<")]
            edits.append(Edit(start=tail_at, end=tail_at, content=">"))
            fix_message = f"write the URL as an autolink: `<{url}>`"
        else:
            edits = [Edit(start=tail_at, end=tail_at, content=" ")]
            fix_message = "insert a space after the URL"
        yield context.finding(
            link.start,
            max(link.end, tail_at + 1),
            message,
            fix=edits,
            applicability=Applicability.SAFE if safe else Applicability.UNSAFE,
            fix_message=fix_message,
        )


def _bare_urls(context: RuleContext) -> Iterator[Link]:
    """Every bare URL, including one swallowed by the URL before it: in
    ``https://a.org/x。代码见：https://b.org/y。`` the link runs to the space and takes the
    second URL in, which needs its own finding (and its own ``<…>``)."""
    for link in context.document.links:
        if link.kind != "bare":
            continue
        yield link
        cut = cjk_tail_start(link)
        if cut is None:
            continue
        tail_start = link.start + cut
        for found in (
            markdown_parser().linkify.match(context.source.text[tail_start : link.end]) or []
        ):
            start, end = tail_start + found.index, tail_start + found.last_index
            written = context.source.text[start:end]
            yield link.model_copy(
                update={
                    "start": start,
                    "end": end,
                    "url": written,
                    "text": written,
                    "url_start": start,
                    "url_end": end,
                }
            )


def _glued_text(text: str, start: int) -> str:
    """The text glued to a URL at ``start``, up to the next space (at most 12 characters)."""
    end = start
    while end < len(text) and end - start < 12 and not text[end].isspace():
        end += 1
    return text[start:end]


# `\href{URL}{text}` or `\url{URL}` (with the command), or what a conversion left of
# them after a bare URL: `URL}{text}`, `URL{text}`, `URL}`.
_LATEX_COMMAND_BEFORE = re.compile(r"\\(?P<command>href|url)\{$")
_LATEX_URL = re.compile(
    r"(?P<url>[^\s{}<>\\]+?)(?:\}\{(?P<text>[^{}\n]*)\}|\{(?P<braced>[^{}\n]*)\}|(?P<close>\}))"
    r"(?![A-Za-z0-9/?#&=%~_-]|\.[A-Za-z0-9])"
)


@rule("DL713", "link-latex", structural=False)
def link_latex(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks for LaTeX link commands left in a report, ``\\href{url}{text}`` and
    ``\\url{url}``, and for what a conversion left of them after a bare URL
    (``https://github.com/x/y{token-pruning}``, ``https://github.com/x/y}{Code}``).

    ## Why is this bad?
    Markdown does not know LaTeX: ``\\href{https://github.com/example/ToolKit}{Code}``
    shows ``\\href{`` as text, and GitHub links the URL with the braces and the text
    glued to it (``…ToolKit%7D%7BCode%7D``), a page that does not exist.

    ## Example
    ```markdown
    代码：\\href{https://github.com/example/ToolKit}{Code}，另见 https://github.com/example/TokenPrune{token-pruning}
    ```

    ## Use instead
    ```markdown
    代码：[Code](https://github.com/example/ToolKit)，另见 [token-pruning](https://github.com/example/TokenPrune)
    ```

    ## Fix safety
    Unsafe: the LaTeX is rewritten as a Markdown link, ``[text](url)`` (``<url>`` for
    ``\\url{url}``). Its words are kept, but the link and what readers see change. No
    fix when the text of ``\\href`` runs past its line or holds braces
    (``\\href{url}{\\textcolor{red}{…}}``): the rewrite would leave part of it behind.
    """
    text = context.source.text
    for link in context.document.links:
        found = latex_link(text, link)
        if found is None:
            continue
        start, end, wanted = found
        written = text[start:end]
        if written.startswith("\\href{") and wanted.startswith("<") and text.startswith("{", end):
            # `\href{url}{Project` + a line break + `Page}`, `\href{url}{\textcolor{…}{…}}`:
            # its text runs past the line or holds braces; `<url>` would leave it behind.
            yield context.finding(
                start,
                end,
                f"`{written}` is LaTeX, not Markdown: the braces and what is in them become "
                "part of the link; write it as a Markdown link, `[text](url)`",
            )
            continue
        yield context.finding(
            start,
            end,
            f"`{written}` is LaTeX, not Markdown: the braces and what is in them "
            f"become part of the link; write `{wanted}`",
            fix=[Edit(start=start, end=end, content=wanted, relinks=True)],
            applicability=Applicability.UNSAFE,
            fix_message=f"write `{wanted}`",
        )


def latex_link(text: str, link: Link) -> tuple[int, int, str] | None:
    """``(start, end, markdown)`` of the LaTeX link command (or its leftovers) around a
    bare URL, and the Markdown link it stands for; ``None`` if there is none."""
    if link.kind != "bare" or scheme_of(link) is None:
        return None
    found = _LATEX_URL.match(text, link.start)
    if found is None:
        return None
    command = _LATEX_COMMAND_BEFORE.search(text, max(0, link.start - 6), link.start)
    label = found.group("text") if found.group("text") is not None else found.group("braced")
    if command is None and label is None:
        return None  # a lone `}` after a URL is not LaTeX enough
    url = found.group("url")
    wanted = f"<{url}>" if label is None else f"[{_escaped_label(label)}]({url})"
    return (command.start() if command else link.start), found.end(), wanted


def _escaped_label(label: str) -> str:
    return label.strip().replace("[", "\\[").replace("]", "\\]")


def url_finding(context: RuleContext, link: Link, message: str) -> Finding:
    if link.url_end > link.url_start:
        return context.finding(link.url_start, link.url_end, message)
    return context.finding(link.start, link.end, message)
