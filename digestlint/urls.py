"""What a link says: its URL as written and as meant, its scheme, and whether it can be
requested. Plain functions of a parsed :class:`~digestlint.model.Link` and the source
text, shared by the link rules (:mod:`digestlint.rules.links`) and the online check
(:mod:`digestlint.rules.links_online`).
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from markdown_it.common.utils import unescapeAll

from digestlint.model import Link

# CJK ideographs, kana, hangul, bopomofo, CJK punctuation and full-width forms: characters
# GFM's autolinker does not stop at, so a bare URL swallows them when no space follows it.
CJK = re.compile(
    "[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3130-\u318f\u31a0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
    "\U00020000-\U0003ffff]"
)
CJK_PUNCTUATION = re.compile(
    "[\u3000-\u303f\ufe30-\ufe4f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]"
)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_HOST_LABEL = re.compile(r"^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$")
WEB_SCHEMES = frozenset({"http", "https"})


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
    for found in CJK.finditer(url):
        at = found.start()
        if host_start <= at < host_end and not CJK_PUNCTUATION.match(found.group()):
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
    except ValueError as error:  # ``Invalid IPv6 URL``: read as the other reasons
        message = str(error)
        return message[:1].lower() + message[1:]
    # The host as written: ``hostname`` lower-cases it, and the message quotes it.
    host, _, port = _host_and_port(parts.netloc.rpartition("@")[2])
    if port and not port.isdigit():
        return f"port `{port}` is not a number"
    if port and int(port) > 65535:
        return f"port `{port}` is out of range (0-65535)"
    if not host:
        return "it has no host"
    return host_problem(host)


def _host_and_port(authority: str) -> tuple[str, str, str]:
    """``(host, ":", port)`` of an authority without its user info; an IPv6 literal keeps
    its brackets."""
    if authority.startswith("["):
        end = authority.find("]") + 1
        host, rest = authority[:end], authority[end:]
        return host, rest[:1], rest[1:]
    return authority.partition(":")


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
