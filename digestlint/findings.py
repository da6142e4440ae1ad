"""Findings, edits and fixes: the records every rule produces and every output consumes."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from digestlint.severity import Severity


class Applicability(StrEnum):
    """How safe a fix is: `--fix` applies safe fixes, `--unsafe-fixes` opts into the rest."""

    SAFE = "safe"
    UNSAFE = "unsafe"


class Edit(BaseModel):
    """Replace the characters ``text[start:end]`` (code-point offsets) with ``content``."""

    model_config = ConfigDict(frozen=True)

    start: int
    end: int
    content: str
    renumbers: bool = False
    """The edit writes, corrects or converts a number in front of a name: set by
    section-number (DL304) and label-style (DL404). The meaning check lets such an edit
    change one numeral (see ``api.check_meaning_kept``). Not part of the JSON output: it
    is the fix engine's business, not the consumer's."""
    relinks: bool = False
    """Set only by link-latex (DL713): the edit rewrites a LaTeX link command
    (``\\href{url}{text}``) as a Markdown link (``[text](url)``). The meaning check lets
    it drop the command's name and put the text before the URL, as long as it loses or
    adds no other letter, digit or Han character."""


class Fix(BaseModel):
    model_config = ConfigDict(frozen=True)

    applicability: Applicability = Applicability.SAFE
    edits: tuple[Edit, ...]
    message: str = ""


def apply_edits(text: str, edits: list[Edit], low: int = 0, high: int | None = None) -> str:
    """``text`` with non-overlapping ``edits`` applied; with ``low`` and ``high``, only
    ``text[low:high]`` (the edits inside it) comes back."""
    out: list[str] = []
    cursor = low
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if edit.start < cursor:
            raise ValueError(f"overlapping edits at {edit.start}")
        out.append(text[cursor : edit.start])
        out.append(edit.content)
        cursor = edit.end
    out.append(text[cursor:high])
    return "".join(out)


class Finding(BaseModel):
    """One problem at one place. Lines and columns are 1-based; columns count code points.

    ``end_line``/``end_column`` point just past the last character of the range, the way
    editors and SARIF regions expect.
    """

    model_config = ConfigDict(frozen=True)

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    name: str
    severity: Severity
    message: str
    fix: Fix | None = None

    @property
    def fixable(self) -> bool:
        return self.fix is not None

    def fix_applies(self, unsafe: bool) -> bool:
        """Whether fixing applies this finding's fix: a safe one always, an unsafe one
        only with ``unsafe`` (``--unsafe-fixes``)."""
        return self.fix is not None and (unsafe or self.fix.applicability == Applicability.SAFE)

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)

    def to_json(self) -> dict:
        data: dict = {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "fixable": self.fixable,
        }
        if self.fix is not None:
            data["fix"] = {
                "applicability": self.fix.applicability.value,
                "message": self.fix.message,
                "edits": [
                    {"start": e.start, "end": e.end, "content": e.content} for e in self.fix.edits
                ],
            }
        return data
