"""Label lines and labelled values: the parts of a report's format that repeat.

A *label line* is a short line that is only a label: a heading, a paragraph line that is
only bold text, or a list item that is only bold text, with numbering (``1.``, ``一、``)
and a trailing colon allowed: ``**一、研究动机**``, ``1. **研究动机**``, ``### 研究动机``,
``**三、方法概述：**``. A *labelled value* is a line ``**评分**：8/10`` (in a list item
also ``评分：8/10``). Labels whose text repeats are the fields of the report's format;
the label rules compare how each field is written with how the report usually writes it.

Only blocks at the top level are read (and, for values, list items at any depth):
quoted text is someone else's format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.token import Token

from digestlint.model import Document
from digestlint.numbering import Numbering, leading_numbering
from digestlint.source import SourceText

MAX_LABEL_LENGTH = 40
"""A label is a few words: a longer bold line is a sentence set in bold."""
MAX_VALUE_LABEL_LENGTH = 12
"""A plain (not bold) label in front of a value, ``实用性：4/5``, is a word or two."""

_COLONS = (":", "：")
_SENTENCE_END = re.compile(r"[。！？!?]|\.(\s|$)")
_BOLD_LINE = re.compile(
    r"(?P<open>\*\*|__)(?P<inner>[^*_]+?)(?P=open)(?P<colon>[ \t]*[:：])?[ \t]*"
)
_ATX = re.compile(r"(?P<hashes>#{1,6})[ \t]+(?P<rest>.*?)[ \t]*")
_VALUE_END = re.compile(r"[。；;，,]|\s[-–—]\s|\s{2,}")


@dataclass(frozen=True)
class LabelLine:
    """One label line, with the parts of its markup a fix may rewrite."""

    line: int
    start: int
    """Where the label's markup starts on its line: the ``#``, list marker or ``**``."""
    end: int
    """Just past the label: its closing markup and colon."""
    name: str
    """The label as it reads, without numbering, colon or markup."""
    name_start: int
    name_end: int
    markup: str
    """``h3``, ``h3-bold``, ``bold``, ``ordered.`` (``1. **…**``), ``ordered)``,
    ``bullet-`` (``- **…**``), ``bullet*``, ``bullet+``."""
    numbering: Numbering | None
    """The number written in the label (the list marker's, for an ordered list item)."""
    colon: str
    """``""``, ``"："`` or ``":"``."""
    colon_inside: bool
    """Whether the colon is inside the bold markup (``**研究动机：**``)."""
    own_block: bool
    """The label is a block of its own at the top level, with a blank line (or the start or
    end of the file) above and below: its markup can change without changing how the
    lines around it render."""
    neighbours: tuple[str, str] = ("", "")
    """The kinds of the top-level blocks before and after the label's block: a label
    made a list item next to a list would join it."""

    @property
    def key(self) -> str:
        return " ".join(self.name.split()).casefold()

    @property
    def bold(self) -> bool:
        return not self.markup.startswith("h") or self.markup.endswith("-bold")


@dataclass(frozen=True)
class LabelledValue:
    """``**评分**：8/10``: a label, a colon and a short value, on one line."""

    line: int
    label: str
    value: str
    """The value up to the end of its clause (``4.5/5。理由…`` -> ``4.5/5``)."""
    value_start: int
    value_end: int

    @property
    def key(self) -> str:
        return " ".join(self.label.split()).casefold()


@dataclass(frozen=True)
class Line:
    number: int
    children: list[Token]
    """The inline children of this line (without the line break)."""
    container: str
    """``heading``, ``paragraph`` (top level), ``item`` (first line of an item of a
    top-level list), ``nested`` (another line of a list item, or a nested list's item)."""
    block: tuple[int, int] | None
    """For ``heading``/``paragraph``/``item``: the first and last line of the whole
    block (the paragraph, the list), to tell whether the label stands alone."""
    list_marker: tuple[str, str] | None = None
    """``(info, markup)`` of the list item the line starts, e.g. ``("1", ".")``."""
    neighbours: tuple[str, str] = ("", "")
    """The kinds of the top-level blocks before and after the line's block
    (``bullet_list``, ``paragraph``...; ``""`` at either end of the file)."""


def label_lines(
    document: Document, source: SourceText, lines: list[Line] | None = None
) -> list[LabelLine]:
    """Every label line of the report, in document order; ``lines``: its
    :func:`text_lines`, if the caller has them."""
    found = []
    for line in text_lines(document, source) if lines is None else lines:
        if line.container == "nested":
            continue
        label = _label(line, source)
        if label is not None:
            found.append(label)
    return found


def labelled_values(
    document: Document, source: SourceText, lines: list[Line] | None = None
) -> list[LabelledValue]:
    """Every ``label：value`` line of the report, in document order; ``lines``: its
    :func:`text_lines`, if the caller has them."""
    found = []
    for line in text_lines(document, source) if lines is None else lines:
        if line.container == "heading":
            continue
        value = _labelled_value(line, source)
        if value is not None:
            found.append(value)
    return found


def text_lines(document: Document, source: SourceText) -> list[Line]:
    """The lines of the report's headings and paragraphs, with their inline children and
    where they are (the lint pass keeps them: :attr:`LintPass.text_lines`)."""
    tokens = document.tokens
    lines: list[Line] = []
    top = [
        (index, token.type.removesuffix("_open"))
        for index, token in enumerate(tokens)
        if token.level == 0 and token.nesting != -1 and token.map is not None
    ]
    position = {index: at for at, (index, _) in enumerate(top)}

    def neighbours(opener: int) -> tuple[str, str]:
        at = position.get(opener)
        if at is None:
            return "", ""
        before = top[at - 1][1] if at > 0 else ""
        after = top[at + 1][1] if at + 1 < len(top) else ""
        return before, after

    for index, token in enumerate(tokens):
        if token.type != "inline" or token.map is None or index == 0:
            continue
        parent = tokens[index - 1]
        first = token.map[0] + 1
        if parent.type == "heading_open":
            if parent.level == 0 and parent.markup.startswith("#"):
                children = _meaningful(token.children)
                around = neighbours(index - 1)
                lines.append(Line(first, children, "heading", (first, first), None, around))
            continue
        if parent.type != "paragraph_open":
            continue
        item = tokens[index - 2] if index >= 2 else None
        in_item = item is not None and item.type == "list_item_open"
        around = ("", "")
        if parent.level == 0:
            container, block = "paragraph", (first, token.map[1])
            around = neighbours(index - 1)
        elif in_item and parent.level == 2:
            alone = _only_item(tokens, index - 2)
            container, block = "item", (first, token.map[1]) if alone else None
            around = neighbours(index - 3)
        elif _in_list(tokens, index - 1):
            container, block = "nested", None
        else:
            continue  # inside a quote
        for offset, children in enumerate(_split_lines(token.children or [])):
            kind = (
                container
                if offset == 0
                else ("paragraph" if container == "paragraph" else "nested")
            )
            marker = None
            if kind == "item" and item is not None:
                marker = (item.info, item.markup)
            lines.append(
                Line(
                    first + offset,
                    children,
                    kind,
                    block if offset == 0 else None,
                    marker,
                    around,
                )
            )
    return lines


def _meaningful(children: list[Token] | None) -> list[Token]:
    return [c for c in children or [] if not (c.type == "text" and not c.content)]


def _split_lines(children: list[Token]) -> list[list[Token]]:
    lines: list[list[Token]] = [[]]
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            lines.append([])
        elif not (child.type == "text" and not child.content):
            lines[-1].append(child)
    return lines


def _only_item(tokens: list[Token], item_index: int) -> bool:
    """Whether the list item is its list's only item and holds nothing but one
    paragraph: only then can it become another block."""
    expected = ("paragraph_open", "inline", "paragraph_close", "list_item_close")
    following = tuple(t.type for t in tokens[item_index + 1 : item_index + 5])
    list_open = tokens[item_index - 1]
    after = tokens[item_index + 5] if item_index + 5 < len(tokens) else None
    return (
        following == expected
        and list_open.type.endswith("_list_open")
        and after is not None
        and after.type == list_open.type.replace("_open", "_close")
    )


def _in_list(tokens: list[Token], paragraph_index: int) -> bool:
    """Whether the paragraph is inside a list item (and no quote) at any depth."""
    level = tokens[paragraph_index].level
    # Indexes, not a reversed slice: a copy of every token before each paragraph costs
    # time in the square of the report's size. At level 0 no token can hold it.
    for index in range(paragraph_index - 1, -1, -1):
        token = tokens[index]
        if level == 0:
            break
        if token.level >= level or token.nesting != 1:
            continue
        if token.type == "blockquote_open":
            return False
        if token.type == "list_item_open" and token.level == 1:
            return True
        level = token.level
    return False


def _label(line: Line, source: SourceText) -> LabelLine | None:
    children = line.children
    if not children or any(
        c.type not in ("text", "strong_open", "strong_close") for c in children
    ):
        return None
    line_text = source.line_text(line.number).rstrip()
    at = len(line_text) - len(line_text.lstrip())
    marker_numbering: Numbering | None = None
    if line.container == "heading":
        match = _ATX.fullmatch(line_text, at)
        if match is None or match.group("rest").endswith("#"):
            return None  # closing hashes: one more thing a rewrite would have to keep
        if len(match.group("hashes")) == 1:
            return None  # an H1 is a title (stray-h1 reports those inside papers)
        markup = f"h{len(match.group('hashes'))}"
        inner_at = match.start("rest")
        if children[0].type == "text":
            if len(children) > 1:
                return None
            return _assemble(line, source, markup, None, (inner_at, len(line_text)), "")
        markup += "-bold"
    elif line.list_marker is not None:
        info, delimiter = line.list_marker
        marker_end = at + len(info) + len(delimiter)
        inner_at = marker_end + _spaces(line_text, marker_end)
        markup = ("ordered" if info else "bullet") + delimiter
        if info:
            marker_numbering = Numbering(
                value=int(info),
                system="arabic",
                shape="#" + delimiter,
                start=at,
                end=inner_at,
                numeral_start=at,
                numeral_end=at + len(info),
            )
    else:
        markup, inner_at = "bold", at
    bold = _BOLD_LINE.fullmatch(line_text, inner_at)
    if bold is None or [c.type for c in children[:3]] != ["strong_open", "text", "strong_close"]:
        return None
    if len(children) > 4 or (len(children) == 4 and children[3].content.strip() not in _COLONS):
        return None
    if bold.group("inner") != children[1].content:
        return None  # escapes or entities: the source does not read as the text
    colon = (bold.group("colon") or "").strip()
    return _assemble(line, source, markup, marker_numbering, bold.span("inner"), colon)


def _assemble(
    line: Line,
    source: SourceText,
    markup: str,
    marker_numbering: Numbering | None,
    inner: tuple[int, int],
    outside_colon: str,
) -> LabelLine | None:
    """The label line from its inner text (numbering, name, colon) at ``inner`` (offsets
    in the line)."""
    line_text = source.line_text(line.number).rstrip()
    line_start = source.line_start(line.number)
    text = line_text[inner[0] : inner[1]]
    numbering = leading_numbering(text)
    if numbering is not None and marker_numbering is not None:
        return None  # ``1. **一、研究动机**``: two numbers, no telling which is the label's
    name_at = numbering.end if numbering else len(text) - len(text.lstrip())
    rest = text[name_at:].rstrip()
    inside_colon = rest[-1] if rest.endswith(_COLONS) else ""
    if inside_colon and outside_colon:
        return None
    name = rest[:-1].rstrip() if inside_colon else rest
    if not _is_label(name):
        return None
    if numbering is not None:
        numbering = _shifted(numbering, line_start + inner[0])
    elif marker_numbering is not None:
        numbering = _shifted(marker_numbering, line_start)
    name_start = line_start + inner[0] + name_at
    return LabelLine(
        line=line.number,
        start=line_start + len(line_text) - len(line_text.lstrip()),
        end=line_start + len(line_text),
        name=name,
        name_start=name_start,
        name_end=name_start + len(name),
        markup=markup,
        numbering=numbering,
        colon=inside_colon or outside_colon,
        colon_inside=bool(inside_colon),
        own_block=_own_block(line, source),
        neighbours=line.neighbours,
    )


def _shifted(numbering: Numbering, offset: int) -> Numbering:
    return Numbering(
        value=numbering.value,
        system=numbering.system,
        shape=numbering.shape,
        start=numbering.start + offset,
        end=numbering.end + offset,
        numeral_start=numbering.numeral_start + offset,
        numeral_end=numbering.numeral_end + offset,
    )


def _is_label(name: str) -> bool:
    return (
        0 < len(name) <= MAX_LABEL_LENGTH
        and any(character.isalpha() for character in name)
        and _SENTENCE_END.search(name) is None
    )


def _own_block(line: Line, source: SourceText) -> bool:
    if line.block is None:
        return False
    first, last = line.block
    if first != last or first != line.number:
        return False
    above = first == 1 or not source.line_text(first - 1).strip()
    below = last >= source.line_count or not source.line_text(last + 1).strip()
    return above and below


def _spaces(text: str, at: int) -> int:
    rest = text[at:]
    return len(rest) - len(rest.lstrip(" \t"))


def _labelled_value(line: Line, source: SourceText) -> LabelledValue | None:
    children = line.children
    if not children:
        return None
    if [c.type for c in children[:3]] == ["strong_open", "text", "strong_close"]:
        label = children[1].content.strip()
        tail = children[3:]
        if label.endswith(_COLONS):
            label = label[:-1].rstrip()
        elif tail and tail[0].type == "text" and tail[0].content.lstrip().startswith(_COLONS):
            tail = [_without_colon(tail[0]), *tail[1:]]
        else:
            return None
        if not _is_label(label):
            return None
    elif line.container in ("item", "nested") and children[0].type == "text":
        label, colon, rest = _split_plain(children[0].content)
        if not colon or not 0 < len(label) <= MAX_VALUE_LABEL_LENGTH or not _is_label(label):
            return None
        tail = [_text(rest), *children[1:]]
    else:
        return None
    value = _clause(tail)
    if not value:
        return None
    line_text = source.line_text(line.number)
    at = line_text.rfind(value)
    if at < 0:
        return None
    start = source.line_start(line.number) + at
    return LabelledValue(line.number, label, value, start, start + len(value))


def _split_plain(text: str) -> tuple[str, str, str]:
    cut = min((i for i in (text.find(":"), text.find("：")) if i >= 0), default=-1)
    if cut < 0:
        return text, "", ""
    return text[:cut].strip(), text[cut], text[cut + 1 :]


def _without_colon(token: Token) -> Token:
    stripped = token.content.lstrip()
    return _text(stripped[1:])


def _text(content: str) -> Token:
    return Token("text", "", 0, content=content)


def _clause(tail: list[Token]) -> str:
    """The value's text up to the end of its clause; empty when markup other than text
    comes first (a link, code, emphasis: not a plain value)."""
    parts = []
    for child in tail:
        if child.type != "text":
            break
        parts.append(child.content)
    text = "".join(parts)
    if len(parts) < len(tail):
        # Markup follows: only a clause that ends before it is a plain value.
        end = _VALUE_END.search(text)
        if end is None:
            return ""
        text = text[: end.start()]
    else:
        end = _VALUE_END.search(text)
        if end is not None:
            text = text[: end.start()]
    return text.strip()
