"""``--format html``: one self-contained review page for a run's reports.

The page renders each report with the linter's own parser (:func:`markdown_parser`),
pins each finding beside the lines it is on, lists the findings by rule, filters them by
rule and severity, and shows the before and after of each fix. It loads nothing: the
style and the script are inline and allowed by hash in the page's Content Security
Policy, raw HTML from a report is shown as text, images as their address, and links
only keep ``http``, ``https`` and ``mailto`` targets.

Imported only when ``--format html`` is chosen (it needs jinja2).
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import jinja2
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from markupsafe import Markup

from digestlint import __version__
from digestlint.docs import short_description
from digestlint.findings import Finding, Severity
from digestlint.output.fingerprints import source_of
from digestlint.parse import markdown_parser
from digestlint.registry import find_rule

if TYPE_CHECKING:
    from digestlint.output import Report

SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)
CONTEXT = 40
"""Code points of the line shown on each side of a finding's range."""
MAX_DIFFED = 4000
"""Longer edits are shown as removed and written whole, not diffed character by character."""
SAFE_SCHEMES = ("http:", "https:", "mailto:")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
# Whitespace a fix adds or removes, made visible inside its marks.
_VISIBLE = str.maketrans({" ": "·", "\t": "→", "\u3000": "□", "\n": "↵\n"})


@dataclass(frozen=True)
class Segment:
    """A piece of a quoted line: ``mark`` is "" (plain), "hit" (the finding's range),
    "del" or "ins" (what its fix removes or writes)."""

    text: str
    mark: str = ""


@dataclass
class PinnedFinding:
    finding: Finding
    anchor: str
    excerpt: list[Segment]
    fix_state: str
    """"applies" (``--fix`` in this run's mode applies it), "unsafe" or "" (no fix)."""
    before: list[Segment] = field(default_factory=list)
    after: list[Segment] = field(default_factory=list)
    fix_line: int = 0
    """The first line of ``before``."""


@dataclass
class Row:
    """Lines ``first``..``last`` of a report: rendered Markdown, or (for findings on
    lines no block covers, such as blank ones) the source lines themselves."""

    anchor: str
    first: int
    last: int
    html: Markup | None
    source: list[str]
    findings: list[PinnedFinding] = field(default_factory=list)


@dataclass
class FileView:
    anchor: str
    name: str
    rows: list[Row]
    findings: list[PinnedFinding]

    def count(self, severity: Severity) -> int:
        return sum(1 for p in self.findings if p.finding.severity == severity)


@dataclass
class RuleGroup:
    code: str
    name: str
    description: Markup
    """The first paragraph of the rule's documentation, rendered (it is Markdown)."""
    entries: list[tuple[FileView, PinnedFinding]]


def format_html(report: Report) -> str:
    files = [
        _file_view(f"file-{index}", name, source_of(name, report.sources), report)
        for index, name in enumerate(
            dict.fromkeys([*report.files, *(f.path for f in report.findings)]), start=1
        )
    ]
    environment = _environment()
    style = environment.get_template("review.css").render()
    script = environment.get_template("review.js").render()
    return environment.get_template("review.html.j2").render(
        files=files,
        rules=_rule_groups(files),
        severities=[s.value for s in SEVERITIES],
        total=sum(len(f.findings) for f in files),
        errors=report.errors,
        version=__version__,
        style=Markup(style),
        script=Markup(script),
        csp=f"default-src 'none'; style-src '{_sha256(style)}'; "
        f"script-src '{_sha256(script)}'; img-src data:; base-uri 'none'; form-action 'none'",
    )


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("digestlint", "output/templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def _file_view(anchor: str, name: str, text: str, report: Report) -> FileView:
    lines = text.split("\n")
    findings = [f for f in report.findings if f.path == name]
    pinned = [_pin(f, f"{anchor}-f{n}", text, lines, report) for n, f in enumerate(findings, 1)]
    rows = [
        Row(f"{anchor}-L{first}", first, last, html, [])
        for first, last, html in rendered_blocks(text)
    ]
    for item in pinned:
        line = item.finding.line
        row = next((r for r in rows if r.first <= line <= r.last), None)
        if row is None:
            source = [lines[line - 1].rstrip("\r")] if line <= len(lines) else [""]
            row = Row(f"{anchor}-L{line}", line, line, None, source)
            rows.append(row)
        row.findings.append(item)
    rows.sort(key=lambda r: r.first)
    return FileView(anchor, name, rows, pinned)


def _pin(
    finding: Finding, anchor: str, text: str, lines: list[str], report: Report
) -> PinnedFinding:
    line = lines[finding.line - 1].rstrip("\r") if finding.line <= len(lines) else ""
    start = finding.column - 1
    end = finding.end_column - 1 if finding.end_line == finding.line else len(line)
    pinned = PinnedFinding(
        finding,
        anchor,
        _excerpt(line, start, max(start, end)),
        "applies"
        if finding.fix_applies(report.unsafe_fixes)
        else ("unsafe" if finding.fixable else ""),
    )
    if finding.fix is not None:
        pinned.before, pinned.after, pinned.fix_line = _before_after(text, finding)
    return pinned


def _excerpt(line: str, start: int, end: int) -> list[Segment]:
    """The line around ``line[start:end]``, at most :data:`CONTEXT` code points each side."""
    left = max(0, start - CONTEXT)
    right = min(len(line), end + CONTEXT)
    return [
        Segment(("…" if left else "") + line[left:start]),
        Segment(line[start:end], "hit"),
        Segment(line[end:right] + ("…" if right < len(line) else "")),
    ]


def _before_after(text: str, finding: Finding) -> tuple[list[Segment], list[Segment], int]:
    """The whole lines the finding's own edits touch, before and after those edits alone,
    with what they remove and write marked."""
    assert finding.fix is not None
    edits = sorted(finding.fix.edits, key=lambda e: (e.start, e.end))
    begin = text.rfind("\n", 0, edits[0].start) + 1
    stop = text.find("\n", max(e.end for e in edits))
    stop = len(text) if stop < 0 else stop
    before: list[Segment] = []
    after: list[Segment] = []
    cursor = begin
    for edit in edits:
        before.append(Segment(text[cursor : edit.start]))
        after.append(Segment(text[cursor : edit.start]))
        removed, written = _changes(text[edit.start : edit.end], edit.content)
        before.extend(removed)
        after.extend(written)
        cursor = edit.end
    before.append(Segment(text[cursor:stop]))
    after.append(Segment(text[cursor:stop]))
    return before, after, text.count("\n", 0, begin) + 1


def _changes(old: str, new: str) -> tuple[list[Segment], list[Segment]]:
    """``old`` and ``new`` with only what differs marked (a rule may rewrite a whole line
    to change two characters of it)."""
    if len(old) + len(new) > MAX_DIFFED:
        return [Segment(old.translate(_VISIBLE), "del")], [Segment(new.translate(_VISIBLE), "ins")]
    removed: list[Segment] = []
    written: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            removed.append(Segment(old[old_start:old_end]))
            written.append(Segment(new[new_start:new_end]))
            continue
        if old_end > old_start:
            removed.append(Segment(old[old_start:old_end].translate(_VISIBLE), "del"))
        if new_end > new_start:
            written.append(Segment(new[new_start:new_end].translate(_VISIBLE), "ins"))
    return removed, written


def _rule_groups(files: list[FileView]) -> list[RuleGroup]:
    entries: dict[str, list[tuple[FileView, PinnedFinding]]] = {}
    names: dict[str, str] = {}
    for view in files:
        for item in view.findings:
            entries.setdefault(item.finding.code, []).append((view, item))
            names[item.finding.code] = item.finding.name
    renderer = page_renderer()
    groups = []
    for code in sorted(entries):
        rule = find_rule(code)
        description = short_description(rule) if rule is not None else ""
        groups.append(
            RuleGroup(code, names[code], Markup(renderer.renderInline(description)), entries[code])
        )
    return groups


# Rendering Markdown ---------------------------------------------------------------


def rendered_blocks(text: str) -> list[tuple[int, int, Markup]]:
    """``(first line, last line, HTML)`` for each top-level block of ``text``, and for
    each item of a top-level list (so that findings sit near their lines)."""
    renderer = page_renderer()
    tokens = renderer.parse(text)
    blocks = []
    index = 0
    while index < len(tokens):
        end = _closing(tokens, index) + 1
        group, head = tokens[index:end], tokens[index]
        if head.type in ("bullet_list_open", "ordered_list_open"):
            blocks.extend(_list_items(renderer, group))
        elif head.map is not None:
            html = renderer.renderer.render(group, renderer.options, {})
            blocks.append((head.map[0] + 1, max(head.map[1], head.map[0] + 1), Markup(html)))
        index = end
    return blocks


def _closing(tokens: Sequence[Token], index: int) -> int:
    """The index of the token that closes the one at ``index`` (itself if it opens none)."""
    depth = 0
    for position in range(index, len(tokens)):
        depth += tokens[position].nesting
        if depth <= 0:
            return position
    return len(tokens) - 1


def _list_items(renderer: MarkdownIt, group: list[Token]) -> list[tuple[int, int, Markup]]:
    """Each item of a list as a list of its own, numbered as it was."""
    opening, closing = group[0], group[-1]
    items = []
    index = 1
    while index < len(group) - 1:
        end = _closing(group, index) + 1
        item = group[index]
        own_opening = opening.copy(attrs=dict(opening.attrs))
        if opening.type == "ordered_list_open" and item.info.isdigit():
            own_opening.attrs["start"] = int(item.info)
        html = renderer.renderer.render(
            [own_opening, *group[index:end], closing], renderer.options, {}
        )
        assert item.map is not None
        items.append((item.map[0] + 1, max(item.map[1], item.map[0] + 1), Markup(html)))
        index = end
    return items


def page_renderer() -> MarkdownIt:
    """The linter's parser, with render rules that run and load nothing from a report."""
    parser = markdown_parser()
    parser.add_render_rule("html_block", _raw_html_block)
    parser.add_render_rule("html_inline", _raw_html_inline)
    parser.add_render_rule("front_matter", _front_matter)
    parser.add_render_rule("math_inline", _math_inline)
    parser.add_render_rule("math_inline_double", _math_inline)
    parser.add_render_rule("math_block", _math_block)
    parser.add_render_rule("math_block_label", _math_block)
    parser.add_render_rule("image", _image)
    parser.add_render_rule("link_open", _link_open)
    return parser


def safe_href(url: str) -> bool:
    """Whether a link may keep its target: http(s), mailto, or no scheme at all."""
    return not _SCHEME.match(url) or url.lower().startswith(SAFE_SCHEMES)


def _raw_html_block(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return f'<pre class="raw-html">{escapeHtml(tokens[idx].content)}</pre>\n'


def _raw_html_inline(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return f'<code class="raw-html">{escapeHtml(tokens[idx].content)}</code>'


def _front_matter(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    source = "---\n" + tokens[idx].content + "\n---"
    return f'<pre class="front-matter">{escapeHtml(source)}</pre>\n'


def _math_inline(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    return f'<code class="math">{escapeHtml(token.markup + token.content + token.markup)}</code>'


def _math_block(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    label = f" ({token.info})" if token.info else ""
    source = f"$$\n{token.content.strip(chr(10))}\n$$" + label
    return f'<pre class="math">{escapeHtml(source)}</pre>\n'


def _image(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env)
    src = str(token.attrGet("src") or "")
    target = f'<a href="{escapeHtml(src)}">' if safe_href(src) else "<span>"
    closing = "</a>" if safe_href(src) else "</span>"
    return (
        f'<span class="image">[image: {escapeHtml(alt)}] {target}{escapeHtml(src)}{closing}</span>'
    )


def _link_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    href = str(token.attrGet("href") or "")
    if not safe_href(href):
        token.attrs.pop("href", None)
        token.attrSet("class", "unsafe-link")
        token.attrSet("title", f"not followed: {href}")
    else:
        token.attrSet("rel", "noopener noreferrer")
    return self.renderToken(tokens, idx, options, env)
