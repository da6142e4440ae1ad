"""What copying a paper's abstract from arXiv leaves in a report's prose: LaTeX text
commands that Markdown shows as written, and arXiv's placeholder for a lost link.

Both rules read the prose views (:mod:`digestlint.rules._prose`), so code spans, math
and URLs are never searched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from digestlint.findings import Finding, Severity
from digestlint.registry import RuleContext, rule
from digestlint.rules._prose import ProseView, cached_views
from digestlint.rules.links import latex_link

# LaTeX's text-mode commands that take arguments, by what Markdown writes for them
# (``{}`` is the argument). Outside math, Markdown shows any of them as written.
_MARKDOWN_FOR = {
    "textbf": "**{}**",
    "textit": "*{}*",
    "emph": "*{}*",
    "textsl": "*{}*",
    "texttt": "`{}`",
    "textsc": "{}",
    "textrm": "{}",
    "textsf": "{}",
    "textup": "{}",
    "textmd": "{}",
    "textnormal": "{}",
    "underline": "{}",
    "mbox": "{}",
    "text": "{}",
}
_LINK_COMMANDS = {"href": 2, "url": 1}
_REFERENCE_COMMANDS = ("cite", "citep", "citet", "ref", "eqref", "footnote")
_COMMAND = re.compile(r"\\(?P<name>[A-Za-z]+)\{")
_LINE_SPACE = re.compile(r"[ \t]*\n[ \t]*")
_PLACEHOLDER = re.compile(
    r"\b[Tt]his\s+https?\s+URL\b"
    r"|\[(?:此|这个|该)\s*https?\s*URL\]|(?:此|这个|该)\s*https?\s*URL(?![A-Za-z])"
)
"""arXiv's ``this https URL``, also as a translation of the abstract writes it
(``此https URL``, ``[此httpsURL]``)."""


@dataclass(frozen=True)
class _Command:
    """A LaTeX command with its braced arguments, in view positions."""

    name: str
    start: int
    end: int
    arguments: tuple[tuple[int, int], ...]
    """View ranges of the arguments, inside their braces."""


def _commands(view: ProseView) -> Iterator[_Command]:
    """The LaTeX commands of ``view`` that Markdown shows as written: the text-mode
    ones, ``\\href``/``\\url``, references, and a paper's own macro written with empty
    braces (``\\method{}``). Nested commands are part of the outer one."""
    text = view.text
    at = 0
    while (found := _COMMAND.search(text, at)) is not None:
        name = found.group("name")
        count = _LINK_COMMANDS.get(name, 1)
        arguments = _arguments(text, found.end() - 1, count)
        known = name in _MARKDOWN_FOR or name in _LINK_COMMANDS or name in _REFERENCE_COMMANDS
        empty_macro = arguments and arguments[0][0] == arguments[0][1]
        if len(arguments) == count and (known or empty_macro):
            yield _Command(name, found.start(), arguments[-1][1] + 1, tuple(arguments))
            at = arguments[-1][1] + 1
        else:
            at = found.end()


def _arguments(text: str, at: int, count: int) -> list[tuple[int, int]]:
    """Up to ``count`` braced arguments starting at ``text[at] == "{"``, each as the
    range inside its braces; an argument whose brace does not close on its line ends
    the list."""
    found: list[tuple[int, int]] = []
    while len(found) < count and at < len(text) and text[at] == "{":
        depth, position = 0, at
        while position < len(text) and text[position] != "\n":
            depth += {"{": 1, "}": -1}.get(text[position], 0)
            if depth == 0:
                break
            position += 1
        if depth:
            break
        found.append((at + 1, position))
        at = position + 1
    return found


def _source(context: RuleContext, view: ProseView, start: int, end: int) -> tuple[int, int]:
    """Source range of view characters ``[start, end)``: from the first character that
    is in the source to the last (a barrier, such as math, has no offset of its own)."""
    offsets = [offset for offset in view.offsets[start:end] if offset >= 0]
    return offsets[0], offsets[-1] + 1


@rule(
    "DL816", "latex-text-command", severity=Severity.WARNING, structural=False, family="typography"
)
def latex_text_command(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks the prose for LaTeX commands outside math: text formatting
    (``\\textbf{D}ual``, ``\\textit{ToolX}``, ``\\emph{no}``, ``\\textsc{Model}``),
    ``\\href{…}{…}`` and ``\\url{…}``, references (``\\cite{…}``) and a paper's own
    macros (``\\method{}``). Abstracts copied from a paper's LaTeX source carry them.

    Code spans and math (``$\\textbf{x}$``) are left alone. A LaTeX link around a bare
    URL is link-latex's to report, and one around arXiv's ``this https URL``
    url-placeholder's.

    ## Why is this bad?
    Markdown does not know LaTeX: readers see the backslash, the command and the
    braces (``\\textbf{D}ual \\textbf{S}tream``) instead of the emphasis they stood for.

    ## Example
    ```markdown
    我们提出 \\textbf{D}ual \\textbf{S}tream 网络，并用 \\emph{no} 额外数据训练。
    ```

    ## Use instead
    ```markdown
    我们提出 **D**ual **S**tream 网络，并用 *no* 额外数据训练。
    ```

    ## Fix safety
    Not fixable: the command's name is text, and which Markdown (if any) stands for a
    paper's own macro is the author's call.
    """
    text = context.source.text
    for view in cached_views(context):
        if "\\" not in view.text:
            continue
        for command in _commands(view):
            start, end = _source(context, view, command.start, command.end)
            if command.name in _LINK_COMMANDS and _link_reported(context, view, command, start):
                continue
            written = text[start:end]
            yield context.finding(
                start,
                end,
                f"`{_shortened(written)}` is LaTeX, not Markdown: it shows as written"
                f"{_advice(context, view, command)}",
            )


def _link_reported(context: RuleContext, view: ProseView, command: _Command, start: int) -> bool:
    """Whether another rule reports this ``\\href``/``\\url``: url-placeholder when arXiv's
    placeholder is its link, link-latex when a bare URL is."""
    if _PLACEHOLDER.search(view.text[slice(*command.arguments[0])]):
        return True
    return _latex_link_at(context, start)


def _latex_link_at(context: RuleContext, start: int) -> bool:
    """Whether link-latex reports a LaTeX link command starting at ``start``."""
    text = context.source.text
    return any(
        (found := latex_link(text, link)) is not None and found[0] == start
        for link in context.document.links
        if link.start >= start
    )


def _advice(context: RuleContext, view: ProseView, command: _Command) -> str:
    text = context.source.text
    # Each argument's source is between its braces, which are in the view.
    arguments = [
        text[view.offsets[first - 1] + 1 : view.offsets[last]]
        for first, last in command.arguments
        if first < last
    ]
    if any(_COMMAND.search(argument) for argument in arguments):
        return "; write it in Markdown"
    if command.name in _MARKDOWN_FOR and arguments:
        return f"; write `{_MARKDOWN_FOR[command.name].format(arguments[0])}`"
    if command.name == "href" and len(arguments) == 2:
        return f"; write `[{arguments[1]}]({arguments[0]})`"
    if command.name == "url" and arguments:
        return f"; write `<{arguments[0]}>`"
    if command.name in _REFERENCE_COMMANDS:
        return "; write the reference out or leave it out"
    if command.name not in _MARKDOWN_FOR:
        return "; write the name the paper's macro stands for"
    return ""


def _shortened(written: str, limit: int = 60) -> str:
    written = _LINE_SPACE.sub(" ", written)  # not str.split: U+001F would vanish too
    return (
        written
        if len(written) <= limit
        else written[: limit // 2 - 1] + "…" + written[-(limit // 2) :]
    )


@rule("DL714", "url-placeholder", severity=Severity.WARNING, structural=False, family="links")
def url_placeholder(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks the prose for ``this https URL`` (and ``this http URL``): the words arXiv
    puts in an abstract in place of each link when it serves the abstract as text; also
    as a machine translation of the abstract writes them (``此https URL``,
    ``[此httpsURL]``). A
    report that copies such an abstract lost the link (to the code, the data or the
    project page) and kept the placeholder. ``\\href{this https URL}{this https URL}``
    is one finding.

    ## Why is this bad?
    Readers see "The code is available at this https URL." and no link: the one thing
    the sentence offers is gone.

    ## Example
    ```markdown
    The code and data are available at this https URL.
    ```

    ## Use instead
    ```markdown
    The code and data are available at https://github.com/example/project.
    ```

    ## Fix safety
    Not fixable: the lost URL is not in the report (the paper's PDF has it). arXiv also
    puts the placeholder where it mistook text for a host name (two sentences glued at
    a full stop, ``contributions.First``): then the PDF has that text, not a URL.
    """
    text = context.source.text
    for view in cached_views(context):
        if "URL" not in view.text:
            continue
        commands = [c for c in _commands(view) if c.name in _LINK_COMMANDS]
        reported: set[int] = set()
        for found in _PLACEHOLDER.finditer(view.text):
            around = next((c for c in commands if c.start <= found.start() < c.end), None)
            start, end = (around.start, around.end) if around else found.span()
            if start in reported:
                continue
            reported.add(start)
            source_start, source_end = _source(context, view, start, end)
            if _in_link(context, source_start) or (
                around and _latex_link_at(context, source_start)
            ):
                continue  # the link is there (link-latex reports a LaTeX one)
            yield context.finding(
                source_start,
                source_end,
                f"`{_shortened(text[source_start:source_end])}` is arXiv's placeholder for "
                f"a link the abstract lost{'' if found.group()[0] in 'Tt' else ', translated'}: "
                "readers get no link; write the URL the paper's PDF gives there (where arXiv "
                "took two sentences glued at a full stop for a host name, that text)",
            )


def _in_link(context: RuleContext, offset: int) -> bool:
    return any(
        link.start <= offset < link.end and link.url.strip()
        for link in context.document.links
        if link.kind in ("inline", "reference")
    )
