"""Online link rules: every ``http(s)`` link of a report requested, dead ones reported.

The links of a pass are checked once, in one batch, by the link checker the caller
gave the pass (:attr:`digestlint.lintpass.LintPass.links`, a
:class:`digestlint.linkcheck.LinkChecker`); without one these rules do not run.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from digestlint.findings import Finding, Severity
from digestlint.registry import RuleContext, rule
from digestlint.rules.links import url_finding
from digestlint.urls import web_url

if TYPE_CHECKING:
    from digestlint.linkcheck import LinkResult
    from digestlint.lintpass import LintPass


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
        yield url_finding(context, link, message)


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
    return url_finding(
        context,
        unchecked[0],
        f"{len(unchecked)} links not checked: no host name could be resolved ({named}); "
        "is this machine offline?",
    )


@rule("DL711", "link-dead", structural=False, online=True, family="links")
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


@rule(
    "DL712",
    "link-refused",
    severity=Severity.WARNING,
    structural=False,
    online=True,
    family="links",
)
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
