"""Inline suppressions: HTML comments that silence findings, invisible when rendered.

```markdown
<!-- digestlint-disable DL403 -->          from here on (this line included)
<!-- digestlint-enable DL403 -->           ends a ``disable``
<!-- digestlint-disable-next-line DL403 --> the line after the comment
text <!-- digestlint-disable-line DL403 --> the comment's own line
<!-- digestlint-disable-file DL403 -->     the whole file
```

Codes, code prefixes (``DL4``) and rule names are accepted, separated by spaces or
commas; no codes means every rule. A finding is suppressed when its first line is
covered. Comments inside code blocks are examples, not directives: the parser only
lists real HTML comments in ``document.html_comments``.

Suppression is the step of the lint pipeline after the rules
(:func:`apply_suppressions`): the directives are read, a per-line table of the disabled
codes is built (the way markdownlint does it), findings on disabled lines are dropped,
and every directive (or code in it) that suppressed nothing is reported as DL001
``unused-suppression``, a rule this step produces (it has no check function).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from digestlint.config import Settings
from digestlint.findings import Edit, Finding, Severity
from digestlint.lintpass import LintPass
from digestlint.model import Document
from digestlint.registry import Rule, RuleContext, matches, step_rule
from digestlint.source import SourceText

UNUSED_SUPPRESSION = step_rule(
    "DL001",
    "unused-suppression",
    severity=Severity.WARNING,
    fixable=True,
    structural=False,
    family="suppressions",
    doc="""## What it does
    Checks that every inline suppression comment suppresses a finding.

    Suppressions are HTML comments, invisible when the report is rendered:
    `<!-- digestlint-disable CODES -->` and `<!-- digestlint-enable CODES -->` around a
    region, `<!-- digestlint-disable-next-line CODES -->`, `<!-- digestlint-disable-line
    CODES -->` (on the line itself) and `<!-- digestlint-disable-file CODES -->`. CODES
    are codes, code prefixes or rule names; none means every rule.

    ## Why is this bad?
    A suppression that hides nothing is noise, and it would silently hide a new problem
    that appears on that line later. A code that matches no rule is usually a typo.

    ## Example
    ```markdown
    <!-- digestlint-disable-next-line DL403 -->
    ### 1. 应用领域
    ```

    ## Use instead
    ```markdown
    ### 1. 应用领域
    ```

    ## Fix safety
    Safe: the comment (or the unused code inside it) is removed; comments are not
    rendered. A suppression is reported only when every rule it names ran in this pass,
    so a suppression of an online check survives an offline `--fix`, and one of a rule
    left out by `--select` survives a narrowed run. A suppression without codes is
    judged by every rule that can run offline: name the code to keep a suppression of
    an online check. This rule itself cannot be suppressed inline; use `ignore` or
    `per-file-ignores`.
    """,
)
UNUSED_CODE = UNUSED_SUPPRESSION.code

# One HTML comment. The parser has already found the comment (or the HTML block that
# holds it); this only splits a block that holds several comments on one line.
_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
_DIRECTIVE = re.compile(
    r"\A\s*digestlint-(disable-next-line|disable-line|disable-file|disable|enable)"
    r"(?:\s+(.*?))?\s*\Z",
    re.DOTALL,
)
_SELECTOR_SEPARATOR = re.compile(r"[\s,]+")


@dataclass
class Selector:
    """One code, prefix or name as written in a directive, and the codes it covers."""

    text: str
    start: int
    end: int
    codes: frozenset[str]
    used: bool = False


@dataclass
class Directive:
    kind: str
    """``disable``, ``enable``, ``disable-next-line``, ``disable-line`` or ``disable-file``."""
    start: int
    end: int
    """The span of the comment, ``<!--`` to ``-->``."""
    line: int
    end_line: int
    selectors: list[Selector]
    """Empty means every rule."""
    all_codes: frozenset[str]
    used: bool = False

    @property
    def codes(self) -> frozenset[str]:
        if not self.selectors:
            return self.all_codes
        return frozenset().union(*(s.codes for s in self.selectors))

    def mark_used(self, code: str) -> None:
        self.used = True
        for selector in self.selectors:
            if code in selector.codes:
                selector.used = True


@dataclass
class LineTable:
    """For every 1-based line, the codes disabled there and by which directives."""

    lines: list[dict[str, list[Directive]]] = field(default_factory=list)

    def covering(self, line: int, code: str) -> list[Directive]:
        if not 1 <= line < len(self.lines):
            return []
        return self.lines[line].get(code, [])


def parse_directives(document: Document, source: SourceText, rules: list[Rule]) -> list[Directive]:
    """Every suppression directive in the document's HTML comments, in source order."""
    all_codes = frozenset(r.code for r in rules if r.code != UNUSED_CODE)
    directives = []
    for node in document.html_comments:
        for comment in _COMMENT.finditer(source.text, node.start, node.end):
            directive = _directive(comment, source, rules, all_codes)
            if directive is not None:
                directives.append(directive)
    return sorted(directives, key=lambda d: d.start)


def _directive(
    comment: re.Match[str], source: SourceText, rules: list[Rule], all_codes: frozenset[str]
) -> Directive | None:
    body = _DIRECTIVE.match(comment.group(1))
    if body is None:
        return None
    selectors = []
    if body.group(2):
        offset = comment.start(1) + body.start(2)
        for part in _split_selectors(body.group(2)):
            text, at = part
            codes = frozenset(r.code for r in rules if r.code != UNUSED_CODE and matches(r, text))
            selectors.append(Selector(text, offset + at, offset + at + len(text), codes))
    line, _ = source.position(comment.start())
    end_line, _ = source.position(comment.end())
    return Directive(
        kind=body.group(1),
        start=comment.start(),
        end=comment.end(),
        line=line,
        end_line=end_line,
        selectors=selectors,
        all_codes=all_codes,
    )


def _split_selectors(text: str) -> Iterator[tuple[str, int]]:
    position = 0
    for separator in _SELECTOR_SEPARATOR.finditer(text):
        if separator.start() > position:
            yield text[position : separator.start()], position
        position = separator.end()
    if position < len(text):
        yield text[position:], position


def build_table(directives: list[Directive], line_count: int) -> LineTable:
    """The codes disabled on each line.

    ``disable``/``enable`` change the state from their own line on, in source order;
    the other kinds add to single lines or to every line."""
    ranges: dict[int, list[Directive]] = {}
    single: dict[int, list[Directive]] = {}
    whole_file: list[Directive] = []
    for directive in directives:
        if directive.kind in ("disable", "enable"):
            ranges.setdefault(directive.line, []).append(directive)
        elif directive.kind == "disable-file":
            whole_file.append(directive)
        elif directive.kind == "disable-line":
            for line in range(directive.line, directive.end_line + 1):
                single.setdefault(line, []).append(directive)
        else:
            single.setdefault(directive.end_line + 1, []).append(directive)
    table = LineTable([{}])
    state: dict[str, list[Directive]] = {}
    for directive in whole_file:
        _add(state, directive)
    for line in range(1, line_count + 1):
        for directive in ranges.get(line, []):
            if directive.kind == "disable":
                _add(state, directive)
            else:
                _enable(state, directive)
        here = {code: list(cover) for code, cover in state.items()}
        for directive in single.get(line, []):
            _add(here, directive)
        table.lines.append(here)
    return table


def _add(state: dict[str, list[Directive]], directive: Directive) -> None:
    for code in directive.codes:
        state.setdefault(code, []).append(directive)


def _enable(state: dict[str, list[Directive]], directive: Directive) -> None:
    for code in directive.codes:
        # A file-wide disable cannot be re-enabled: it says "this whole file".
        kept = [d for d in state.get(code, []) if d.kind == "disable-file"]
        if kept:
            state[code] = kept
        else:
            state.pop(code, None)


def apply_suppressions(findings: list[Finding], lint_pass: LintPass) -> list[Finding]:
    """The suppression step: ``findings`` (every rule's, in the pass) without those the
    directives suppress, and with a DL001 finding for each unused suppression."""
    settings, source, path = lint_pass.settings, lint_pass.source, lint_pass.path
    directives = parse_directives(lint_pass.document, source, settings.rules)
    if not directives:
        return findings
    table = build_table(directives, source.line_count)
    kept = []
    for finding in findings:
        covering = table.covering(finding.line, finding.code)
        if finding.code == UNUSED_CODE or not covering:
            kept.append(finding)
            continue
        for directive in covering:
            directive.mark_used(finding.code)
    enabled = settings.enabled_for(path)
    if UNUSED_CODE in enabled:
        ran = _rules_that_ran(settings, enabled)
        context = lint_pass.context_for(UNUSED_SUPPRESSION)
        kept.extend(unused_findings(directives, ran, context))
    return kept


def _rules_that_ran(settings: Settings, enabled: set[str]) -> frozenset[str]:
    """The codes lint_text ran. Online rules count as not run: whether they ran is not
    known here, and calling a suppression of a dead link unused would be wrong. So do
    the archive rules, whose findings come after every file's pass."""
    return frozenset(
        r.code
        for r in settings.rules
        if r.code in enabled and settings.can_run(r, online=False) and not r.cross_report
    )


def _offline_rules(settings: Settings) -> frozenset[str]:
    """What a suppression without codes is judged by: every rule that can run offline
    under the profile. (Online rules are left out, or a blanket suppression could never
    be called unused offline; naming the code keeps a suppression of an online check.)"""
    return frozenset(
        r.code
        for r in settings.rules
        if r.code != UNUSED_CODE and settings.can_run(r, online=False) and not r.cross_report
    )


def unused_findings(
    directives: list[Directive], ran: frozenset[str], context: RuleContext
) -> Iterator[Finding]:
    """A DL001 finding per directive, or per code of a directive, that suppressed nothing.

    Only what can be judged is reported: a code whose rule did not run in this pass
    (not selected, skipped by the profile, online) might have had findings to hide."""
    for directive in directives:
        if directive.kind == "enable":
            continue
        if directive.used:
            yield from _unused_selectors(directive, ran, context)
            continue
        if not directive.selectors:
            if _offline_rules(context.settings) <= ran:
                yield _remove_directive(directive, context, f"`{_written(directive, context)}`")
            continue
        unknown = [s for s in directive.selectors if not s.codes]
        if unknown:
            yield from (_unknown_selector(directive, s, context) for s in unknown)
            continue
        if directive.codes <= ran:
            yield _remove_directive(directive, context, f"`{_written(directive, context)}`")


def _unused_selectors(
    directive: Directive, ran: frozenset[str], context: RuleContext
) -> Iterator[Finding]:
    """The codes of a directive that was used for other codes."""
    for selector in directive.selectors:
        if not selector.codes:
            yield _unknown_selector(directive, selector, context)
        elif not selector.used and selector.codes <= ran:
            yield context.finding(
                selector.start,
                selector.end,
                f"`{selector.text}` in `{_written(directive, context)}` suppresses nothing",
                fix=[_without_selector(directive, selector)],
                fix_message=f"remove `{selector.text}` from the comment",
            )


def _unknown_selector(directive: Directive, selector: Selector, context: RuleContext) -> Finding:
    message = f"`{selector.text}` matches no rule; the suppression does nothing for it"
    if len(directive.selectors) == 1:
        return context.finding(
            directive.start,
            directive.end,
            message,
            fix=_removal(directive, context),
            fix_message="remove the comment",
        )
    return context.finding(
        selector.start,
        selector.end,
        message,
        fix=[_without_selector(directive, selector)],
        fix_message=f"remove `{selector.text}` from the comment",
    )


def _remove_directive(directive: Directive, context: RuleContext, shown: str) -> Finding:
    return context.finding(
        directive.start,
        directive.end,
        f"unused suppression {shown}: no finding to suppress",
        fix=_removal(directive, context),
        fix_message="remove the comment",
    )


def _written(directive: Directive, context: RuleContext) -> str:
    """The directive as written, whitespace collapsed, for messages."""
    inner = context.source.text[directive.start + 4 : directive.end - 3]
    return " ".join(inner.split())


def _without_selector(directive: Directive, selector: Selector) -> Edit:
    """The whole comment rewritten without ``selector``: one edit over the comment, so
    the fixer recognises it as a comment edit."""
    others = [s.text for s in directive.selectors if s is not selector]
    comment = f"<!-- digestlint-{directive.kind} {' '.join(others)} -->"
    return Edit(start=directive.start, end=directive.end, content=comment)


def _removal(directive: Directive, context: RuleContext) -> list[Edit] | None:
    """Remove the comment; with its line when the comment stands alone on it, and with
    one of two blank lines it would leave behind.

    ``None`` (no fix) for a comment that opens an HTML block with text after it on its
    line: that text is not read as Markdown, and it would be once the comment is gone."""
    source = context.source
    text = source.text
    first = source.line_start(directive.line)
    last = source.line_end(directive.end_line)
    before, after = text[first : directive.start], text[directive.end : last]
    if after.strip() and _starts_html_block(directive, context):
        return None
    if before.strip() or after.strip():
        return [_inline_removal(directive, text, first, last)]
    above_blank = directive.line == 1 or not source.line_text(directive.line - 1).strip()
    below = directive.end_line + 1
    below_blank = below > source.line_count or not source.line_text(below).strip()
    if not above_blank and not below_blank:
        # The comment's line ends the block above: without it the lines around would
        # join (two paragraphs into one, or text over a `===` line into a heading).
        return [Edit(start=first, end=last, content="")]
    end = last
    if end < len(text):
        end = source.line_start(directive.end_line + 1)
    if above_blank and below <= source.line_count and below_blank:
        end = source.line_start(below + 1) if below < source.line_count else len(text)
    return [Edit(start=first, end=end, content="")]


def _starts_html_block(directive: Directive, context: RuleContext) -> bool:
    """Whether the comment opens an HTML block (it starts a line, or a list item's or
    quote's content)."""
    comment = context.source.text[directive.start : directive.end]
    return any(
        token.type == "html_block"
        and token.map
        and token.map[0] + 1 == directive.line
        and token.content.lstrip().startswith(comment)
        for token in context.document.tokens
    )


def _inline_removal(directive: Directive, text: str, first: int, last: int) -> Edit:
    """Remove a comment that shares its line with text, and the spaces that separated it."""
    start, end = directive.start, directive.end
    while start > first and text[start - 1] in " \t":
        start -= 1
    if start > first and end < last:
        # Text on both sides: keep one space (if there was any) between them.
        if start < directive.start:
            start += 1
        while end < last and text[end] in " \t":
            end += 1
    elif start == first:
        while end < last and text[end] in " \t":
            end += 1
    return Edit(start=start, end=end, content="")
