"""Link rules: every link of a report (offline), the paper links, and dead links (online).

The offline rules read ``document.links`` (inline links, autolinks, bare URLs and
reference links, as the shared parse found them). The online rules check every
``http(s)`` link of a document in one batch through :mod:`digestlint.linkcheck`.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from markdown_it.common.utils import unescapeAll
from pydantic import BaseModel, ConfigDict, Field

from digestlint.findings import Applicability, Edit, Finding, Severity
from digestlint.model import FieldEntry, Link, Paper
from digestlint.patterns import user_regex
from digestlint.registry import RuleContext, rule
from digestlint.rules._prose import cached_views

if TYPE_CHECKING:
    from digestlint.linkcheck import LinkResult
    from digestlint.lintpass import LintPass

# CJK ideographs, kana, hangul, bopomofo, CJK punctuation and full-width forms: characters
# GFM's autolinker does not stop at, so a bare URL swallows them when no space follows it.
_CJK = re.compile(
    "[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3130-\u318f\u31a0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
    "\U00020000-\U0003ffff]"
)
_CJK_PUNCTUATION = re.compile(
    "[\u3000-\u303f\ufe30-\ufe4f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]"
)
# A CJK run right after one of these is more likely a path segment or a query value of
# the URL (``/wiki/中文``, ``?q=中文``) than prose glued to it.
_URL_DELIMITERS = frozenset("/=?#&_-~+:%@.")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_MISSING_COLON = re.compile(r"^https?//", re.IGNORECASE)
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_HOST_LABEL = re.compile(r"^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$")
UNSAFE_SCHEMES = frozenset({"javascript", "vbscript", "data", "file"})
WEB_SCHEMES = frozenset({"http", "https"})
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
_ARXIV_ID = re.compile(r"^(?P<yy>\d{2})(?P<mm>\d{2})\.(?P<number>\d+)(?P<version>v\d+)?$")


# -- what a link says ---------------------------------------------------------------


def written_url(text: str, link: Link) -> str:
    """The destination as written in the source ``text`` (percent-escapes kept), or as
    parsed."""
    if link.url_end > link.url_start:
        return text[link.url_start : link.url_end]
    return link.url


def cjk_tail_start(link: Link) -> int | None:
    """Index in ``link.url`` of the CJK text a bare URL swallowed, if any.

    CJK characters that make up a whole label of the host (``https://例子.中国``) belong
    to an internationalised domain name; anywhere else they are text glued to the URL."""
    if link.kind != "bare":
        return None
    url = link.url
    host_start = url.find("://") + 3 if "://" in url else 0
    host_end = next((i for i in range(host_start, len(url)) if url[i] in "/?#"), len(url))
    for found in _CJK.finditer(url):
        at = found.start()
        if host_start <= at < host_end and not _CJK_PUNCTUATION.match(found.group()):
            label_start = max(url.rfind(".", host_start, at) + 1, host_start)
            if all(not char.isascii() for char in url[label_start:at]):
                continue
        return at
    return None


def intended_url(link: Link) -> str:
    """The URL the author meant: a bare URL without the CJK text glued to it."""
    cut = cjk_tail_start(link)
    return link.url if cut is None else link.url[:cut]


def scheme_of(link: Link) -> str | None:
    """The URL's scheme, lower-cased, if written. Bare ``www.`` links are web links."""
    url = intended_url(link)
    found = _SCHEME.match(url)
    if found:
        return found.group(1).lower()
    if link.kind == "bare" and url.lower().startswith("www."):
        return "http"
    return None


def web_url(text: str, link: Link) -> str | None:
    """The ``http(s)`` URL to request for ``link`` of source ``text``, or ``None`` for
    anything else.

    Inline links are requested as written (``%2F`` stays ``%2F``; the parse decodes
    escapes). Bare links count only with a written scheme or ``www.``: GFM also links
    words such as ``model.py``, which are file names far more often than hosts."""
    if scheme_of(link) not in WEB_SCHEMES:
        return None
    if link.kind == "inline" and link.url_end > link.url_start:
        url = unescapeAll(written_url(text, link))
    else:
        url = intended_url(link)
    if any(char.isspace() for char in url) or malformed_reason(url) is not None:
        return None
    return url if _SCHEME.match(url) else "http://" + url


def malformed_reason(url: str) -> str | None:
    """Why an ``http(s)`` URL (or a ``www.`` one) cannot be requested, or ``None``."""
    if _SCHEME.match(url) is None:
        url = "http://" + url
    bad_escape = _BAD_PERCENT.search(url)
    if bad_escape:
        return f"`%` at column {bad_escape.start() + 1} of the URL is not a percent-escape"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError for a port out of range)
    except ValueError as error:
        return str(error)
    if not parts.hostname:
        return "it has no host"
    return host_problem(parts.hostname)


def host_problem(host: str) -> str | None:
    if host.startswith("[") or ":" in host:
        return None  # an IPv6 literal; urlsplit has checked its brackets
    try:
        ipaddress.ip_address(host)
        return None
    except ValueError:
        pass
    name = host[:-1] if host.endswith(".") else host
    if any(not label for label in name.split(".")):
        return f"host `{host}` has an empty label"
    try:
        labels = name.encode("idna").decode("ascii").lower().split(".")
    except UnicodeError:
        return f"host `{host}` is not a valid domain name"
    if any(not _HOST_LABEL.match(label) for label in labels):
        return f"host `{host}` has characters a domain name cannot have"
    if len(labels) > 1 and labels[-1].isdigit():
        return f"host `{host}` is neither a domain name nor an IP address"
    return None


# -- rules for every link ------------------------------------------------------------


@rule("DL701", "link-empty", structural=False)
def link_empty(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that every Markdown link has both text and a destination.

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
            yield _url_finding(
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
            yield _url_finding(context, link, f"URL `{url}` lacks the `:` after its scheme")
            continue
        if scheme_of(link) not in WEB_SCHEMES or any(char.isspace() for char in url):
            continue
        reason = malformed_reason(
            written_url(context.source.text, link) if link.kind != "bare" else url
        )
        if reason is not None:
            yield _url_finding(context, link, f"malformed URL `{url}`: {reason}")


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
        yield _url_finding(context, link, f"URL `{written}` contains whitespace")
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
            yield _url_finding(context, link, f"`{scheme}:` link is not allowed in a report")


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
        yield _url_finding(
            context, link, f"`{scheme}:` link; use one of {', '.join(sorted(allowed))}"
        )


_MARKUP = frozenset("`*_$[]<>~\\")
_AUTOLINK_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{1,31}:")


@rule("DL706", "bare-url-cjk", fixable=True, structural=False)
def bare_url_cjk(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that a bare URL is not followed directly by Chinese (or other CJK) text or
    punctuation.

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
    for link in context.document.links:
        if link.kind != "bare" or latex_link(text, link) is not None:
            continue  # LaTeX braces around the URL are link-latex's (DL713)
        cut = cjk_tail_start(link)
        if cut == 0:
            continue
        if cut is None:
            # markdown-it ends the link before the CJK text; GitHub's autolinker does not.
            if link.end >= len(text) or not _CJK.match(text[link.end]):
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
            ambiguous = text[tail_at - 1] in _URL_DELIMITERS and not _CJK_PUNCTUATION.match(glued)
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
    ``\\url{url}``). Its words are kept, but the link and what readers see change.
    """
    text = context.source.text
    for link in context.document.links:
        found = latex_link(text, link)
        if found is None:
            continue
        start, end, wanted = found
        yield context.finding(
            start,
            end,
            f"`{text[start:end]}` is LaTeX, not Markdown: the braces and what is in them "
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


def _url_finding(context: RuleContext, link: Link, message: str) -> Finding:
    if link.url_end > link.url_start:
        return context.finding(link.url_start, link.url_end, message)
    return context.finding(link.start, link.end, message)


# -- the paper links -----------------------------------------------------------------


@dataclass(frozen=True)
class PaperLink:
    """A paper's link field: the URL, where it is written, and the arXiv id it names."""

    paper: Paper
    url: str
    start: int
    end: int
    id: str | None
    id_start: int
    id_end: int


def paper_links(context: RuleContext) -> list[PaperLink]:
    return context.lint_pass.paper_links


def find_paper_links(lint_pass: LintPass) -> list[PaperLink]:
    """The link field of every paper that has one (see :attr:`LintPass.paper_links`)."""
    return list(_paper_links(lint_pass))


def _paper_links(lint_pass: LintPass) -> Iterator[PaperLink]:
    profile = lint_pass.profile
    spec = profile.paper_field_by_key(profile.link_field)
    if spec is None:
        return
    for paper in lint_pass.document.papers:
        entry = paper.field(spec.label)
        if entry is None or not entry.value.strip():
            continue
        url, start, end = _field_url(lint_pass, entry)
        match = user_regex(profile.link_pattern).fullmatch(url) if profile.link_pattern else None
        arxiv = match.groupdict().get("id") if match else None
        id_start, id_end = (
            (start + match.start("id"), start + match.end("id")) if arxiv else (start, end)
        )
        if arxiv and lint_pass.source.text[start:end] != url:
            id_start, id_end = start, end  # written differently (escapes): point at the URL
        yield PaperLink(paper, url, start, end, arxiv, id_start, id_end)


def _field_url(lint_pass: LintPass, entry: FieldEntry) -> tuple[str, int, int]:
    """The URL a link field holds: its one link (``<url>``, ``[text](url)``) or its text.

    Links are looked for over the whole entry: for ``[text](url)`` the parse gives the
    link text as the field's value."""
    inside = [link for link in lint_pass.document.links if entry.start <= link.start < entry.end]
    if len(inside) == 1 and inside[0].url_end > inside[0].url_start:
        link = inside[0]
        return intended_url(link), link.url_start, link.url_start + len(intended_url(link))
    value = lint_pass.source.text[entry.value_start : entry.value_end]
    stripped = value.strip()
    offset = entry.value_start + value.index(stripped)
    return stripped, offset, offset + len(stripped)


@rule("DL707", "paper-link-pattern")
def paper_link_pattern(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that every paper's link has the profile's form (by default
    ``https://huggingface.co/papers/<arXiv id>``).

    ## Why is this bad?
    Readers and tools expect one kind of page per paper; an arXiv PDF link, a search
    page or a shortened URL breaks tools that read the arXiv id from the link.

    ## Example
    ```markdown
    - **链接**: https://arxiv.org/pdf/2602.15569
    ```

    ## Use instead
    ```markdown
    - **链接**: https://huggingface.co/papers/2602.15569
    ```

    ## Fix safety
    Not fixable: rewriting a URL is not a whitespace or markup change.
    """
    pattern = context.profile.link_pattern
    if not pattern:
        return
    for item in paper_links(context):
        if user_regex(pattern).fullmatch(item.url) is None:
            yield context.finding(
                item.start,
                item.end,
                _pattern_message(item.url, pattern),
            )


def _pattern_message(url: str, pattern: str) -> str:
    readable = readable_pattern(pattern)
    if readable == pattern:
        return f"paper link `{url}` does not match the profile's `link_pattern` `{pattern}`"
    return f"paper link `{url}` does not have the profile's form `{readable}`"


_REGEX_SYNTAX = frozenset("[](){}*+?|^$\\")


def readable_pattern(pattern: str) -> str:
    """A regex of the URL form as a reader would write it: each named group becomes
    ``<name>`` and escaped characters their plain selves
    (``https://huggingface\\.co/papers/(?P<id>...)`` reads
    ``https://huggingface.co/papers/<id>``). A pattern with other regex syntax is shown
    as it is: there is no faithful plain form of it."""
    out: list[str] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith("(?P<", index):
            name_end = pattern.find(">", index)
            group_end = _group_end(pattern, index)
            if name_end < 0 or group_end is None:
                return pattern
            out.append(f"<{pattern[index + 4 : name_end]}>")
            index = group_end
        elif char == "\\" and index + 1 < len(pattern) and not pattern[index + 1].isalnum():
            out.append(pattern[index + 1])
            index += 2
        elif char in _REGEX_SYNTAX or char == ".":
            return pattern
        else:
            out.append(char)
            index += 1
    return "".join(out)


def _group_end(pattern: str, start: int) -> int | None:
    """Index just past the group opened at ``pattern[start]``, or ``None``."""
    depth = 0
    index = start
    in_class = False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if pattern.startswith("]", index + 1) or pattern.startswith("^]", index + 1):
                index += 1 + pattern.startswith("^", index + 1)
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return None


def arxiv_id_problem(arxiv_id: str) -> str | None:
    """Why ``arxiv_id`` is not a well-formed new-style arXiv identifier, or ``None``."""
    match = _ARXIV_ID.match(arxiv_id)
    if match is None:
        return "is not of the form YYMM.NNNNN"
    month = int(match.group("mm"))
    if not 1 <= month <= 12:
        return f"has month {match.group('mm')}; months run 01-12"
    yymm = int(match.group("yy") + match.group("mm"))
    if yymm < 704:
        return "predates April 2007, when arXiv ids took the YYMM.NNNN form"
    digits = 5 if yymm >= 1501 else 4
    number = match.group("number")
    if len(number) != digits:
        era = "from 2015 on" if digits == 5 else "before 2015"
        return f"has a {len(number)}-digit number; ids {era} have {digits} digits"
    if int(number) == 0:
        return "has number 0; numbers start at 1"
    return None


@rule("DL708", "arxiv-id-invalid")
def arxiv_id_invalid(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that the arXiv id in each paper link is well formed: ``YYMM.NNNNN`` from
    2015 on, ``YYMM.NNNN`` from April 2007 to 2014, with a month from 01 to 12 and an
    optional version such as ``v2``.

    ## Why is this bad?
    A mistyped id links to another paper or to nothing.

    ## Example
    ```markdown
    - **链接**: https://huggingface.co/papers/2613.1556
    ```

    ## Use instead
    ```markdown
    - **链接**: https://huggingface.co/papers/2602.15569
    ```

    ## Fix safety
    Not fixable: the right id is not known.
    """
    for item in paper_links(context):
        if item.id is None:
            continue
        problem = arxiv_id_problem(item.id)
        if problem is not None:
            yield context.finding(item.id_start, item.id_end, f"arXiv id `{item.id}` {problem}")


class ArxivDateOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_age_months: int | None = Field(
        default=None,
        ge=0,
        description="Report papers whose id month is more than this many months before "
        "the report's Date; off when unset.",
    )


@rule("DL709", "arxiv-id-date", options=ArxivDateOptions)
def arxiv_id_date(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that no paper's arXiv id (its ``YYMM``) is later than the report's Date,
    and, with ``max_age_months`` set, that none is older than that.

    ## Why is this bad?
    A daily report cannot list a paper submitted after its own date: either the id or
    the Date is wrong. A very old id in a daily digest is usually a copy-paste slip.

    ## Example
    ```markdown
    **Date**: 2026-02-20
    ...
    - **链接**: https://huggingface.co/papers/2603.15569
    ```

    ## Use instead
    ```markdown
    - **链接**: https://huggingface.co/papers/2602.15569
    ```

    ## Fix safety
    Not fixable: which of the two dates is right is not known.
    """
    report_date = _report_date(context)
    if report_date is None:
        return
    report_month = report_date.year * 12 + report_date.month - 1
    limit = context.options.max_age_months
    for item in paper_links(context):
        if item.id is None or arxiv_id_problem(item.id) is not None:
            continue
        year, month = 2000 + int(item.id[:2]), int(item.id[2:4])
        age = report_month - (year * 12 + month - 1)
        if age < 0:
            message = (
                f"arXiv id `{item.id}` is from {year}-{month:02d}, after the report's "
                f"Date {report_date.isoformat()}"
            )
        elif limit is not None and age > limit:
            message = (
                f"arXiv id `{item.id}` is from {year}-{month:02d}, {age} months before the "
                f"report's Date (max_age_months = {limit})"
            )
        else:
            continue
        yield context.finding(item.id_start, item.id_end, message)


def _report_date(context: RuleContext) -> date | None:
    spec = context.profile.header_field_by_key(context.profile.date_field)
    entry = context.document.header.field(spec.label) if spec else None
    if entry is None:
        return None
    try:
        return date.fromisoformat(entry.value.strip())
    except ValueError:
        return None  # header-field-invalid reports it


@rule("DL710", "paper-duplicate")
def paper_duplicate(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that no paper (by arXiv id, ignoring the version) is listed twice in a report.

    ## Why is this bad?
    A paper listed twice wastes the reader's time, and the two summaries usually
    disagree; one of them is often meant to be another paper.

    ## Example
    ```markdown
    ## 📄 Computer-Using World Model
    - **链接**: https://huggingface.co/papers/2602.17365
    ...
    ## 📄 Another Paper
    - **链接**: https://huggingface.co/papers/2602.17365
    ```

    ## Use instead
    Each paper once, each with its own link.

    ## Fix safety
    Not fixable: which entry to keep is not known.
    """
    first_seen: dict[str, PaperLink] = {}
    for item in paper_links(context):
        if item.id is None:
            continue
        key = item.id.split("v")[0].lower()
        if key not in first_seen:
            first_seen[key] = item
            continue
        first = first_seen[key]
        yield context.finding(
            item.id_start,
            item.id_end,
            f"paper `{key}` is already listed at line {first.paper.line} (`{first.paper.title}`)",
        )


# -- online: dead links --------------------------------------------------------------


@dataclass(frozen=True)
class CheckedLinks:
    """The web links of one pass as the caller's link checker found them."""

    results: dict[str, LinkResult]
    """By URL as :func:`web_url` gives it; excluded URLs are left out."""
    offline: bool = False
    """Several links went unchecked and not one host name resolved: this machine seems
    offline (or has no DNS), which says nothing about the links."""


def check_links(lint_pass: LintPass) -> CheckedLinks:
    """Every web link of the document checked in one batch (see
    :attr:`LintPass.checked_links`); nothing in an offline pass."""
    text = lint_pass.source.text
    urls = [url for link in lint_pass.document.links if (url := web_url(text, link)) is not None]
    if not urls or lint_pass.links is None:
        return CheckedLinks({})
    results = lint_pass.links.check(urls)
    return CheckedLinks(results, offline=lint_pass.links.offline)


def _online_findings(context: RuleContext, refused: bool) -> Iterator[Finding]:
    checked = context.lint_pass.checked_links
    results = checked.results
    accepted = context.settings.config.links.accepted_statuses()
    offline = checked.offline and not refused
    if offline:
        yield _no_host_resolved(context, results)
    text = context.source.text
    for link in context.document.links:
        url = web_url(text, link)
        result = results.get(url) if url is not None else None
        if result is None or result.refused != refused or result.ok(accepted):
            continue
        if offline and result.unresolved:
            continue
        if refused:
            message = (
                f"link `{url}` not checked: {result.describe()}; "
                "list the host in `allow-hosts` to check it"
            )
        else:
            message = f"link `{url}` is dead: {result.describe()}"
        yield _url_finding(context, link, message)


def _no_host_resolved(context: RuleContext, results: dict[str, LinkResult]) -> Finding:
    """One finding, at the first link not checked, for all the links no name resolved for."""
    text = context.source.text
    unchecked = [
        link
        for link in context.document.links
        if (url := web_url(text, link)) is not None
        and (result := results.get(url)) is not None
        and result.unresolved
    ]
    hosts = sorted({urlsplit(web_url(text, link) or "").hostname or "?" for link in unchecked})
    named = ", ".join(hosts[:3]) + (f" and {len(hosts) - 3} more" if len(hosts) > 3 else "")
    return _url_finding(
        context,
        unchecked[0],
        f"{len(unchecked)} links not checked: no host name could be resolved ({named}); "
        "is this machine offline?",
    )


@rule("DL711", "link-dead", structural=False, online=True)
def link_dead(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    With ``--check-links`` (or ``online = true`` under ``[tool.digestlint.links]``),
    requests every ``http``/``https`` link and reports those that do not answer with an
    accepted status (``2xx`` by default), after redirects and retries. When several
    links fail because no host name resolves at all (the machine is offline), one
    finding says so instead of one per link.

    ## Why is this bad?
    A dead link in a digest sends every reader to an error page; links rot as
    projects move and papers are renamed.

    ## Example
    ```markdown
    代码见[仓库](https://github.com/org/removed-repo)。
    ```

    ## Use instead
    ```markdown
    代码见[仓库](https://github.com/org/repo)。
    ```

    ## Fix safety
    Not fixable: where the page went is not known.
    """
    yield from _online_findings(context, refused=False)


@rule("DL712", "link-refused", severity=Severity.WARNING, structural=False, online=True)
def link_refused(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    With online checks on, reports links that were not requested because their host is
    (or resolves to, or redirects to) a loopback, private, link-local or otherwise
    non-public address, unless the host is listed in ``allow-hosts``.

    ## Why is this bad?
    A report's readers cannot reach ``localhost`` or an intranet address; and a link
    checker run in CI on an untrusted pull request must not be turned into a probe of
    the CI machine's own network (for instance ``http://169.254.169.254/``, the cloud
    metadata service).

    ## Example
    ```markdown
    演示：http://localhost:7860/
    ```

    ## Use instead
    ```markdown
    演示：https://huggingface.co/spaces/org/demo
    ```

    ## Fix safety
    Not fixable.
    """
    yield from _online_findings(context, refused=True)
