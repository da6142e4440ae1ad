"""The rule registry: every rule is a small function with a code, a slug name and a docstring.

A rule's docstring is its documentation (ruff's template: *What it does*, *Why is
this bad?*, *Example*, *Use instead*, *Fix safety*). Rules receive a
:class:`RuleContext` and yield findings built with :meth:`RuleContext.finding`.

One rule has no check function: unused-suppression (DL001), whose findings the
suppression step of the lint pipeline makes (:func:`step_rule`).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from digestlint.findings import Applicability, Edit, Finding, Fix, Severity

if TYPE_CHECKING:
    from digestlint.config import Settings
    from digestlint.lintpass import LintPass
    from digestlint.model import Document
    from digestlint.profile import Profile
    from digestlint.source import SourceText


class NoOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")


CheckFunction = Callable[["RuleContext"], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    check: CheckFunction | None
    """``None`` for a rule whose findings a step of the lint pipeline makes."""
    options: type[BaseModel] = NoOptions
    fixable: bool = False
    structural: bool = True
    """Needs a profile with a fixed layout; skipped under the ``generic`` profile."""
    online: bool = False
    """Reaches the network; runs only when online checks are asked for."""
    family: str = ""
    docstring: str = ""
    cross_report: bool = False
    """Its findings come from comparing the reports of a run (:mod:`digestlint.archive`),
    after every file's lint pass: a pass cannot tell whether a suppression of it is used."""

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.docstring)

    @property
    def summary(self) -> str:
        return self.doc.split("\n\n", 1)[0].replace("\n", " ")


RULES: dict[str, Rule] = {}


def rule(
    code: str,
    name: str,
    *,
    severity: Severity = Severity.ERROR,
    options: type[BaseModel] = NoOptions,
    fixable: bool = False,
    structural: bool = True,
    online: bool = False,
    family: str | None = None,
) -> Callable[[CheckFunction], CheckFunction]:
    """Register ``check`` as rule ``code``/``name``. Its family is its module's name
    unless ``family`` says otherwise (a family spread over modules)."""

    def register(check: CheckFunction) -> CheckFunction:
        family_ = family or check.__module__.rsplit(".", 1)[-1]
        _add(
            Rule(
                code,
                name,
                severity,
                check,
                options,
                fixable,
                structural,
                online,
                family_,
                check.__doc__ or "",
            )
        )
        return check

    return register


def step_rule(
    code: str,
    name: str,
    *,
    doc: str,
    family: str,
    severity: Severity = Severity.ERROR,
    fixable: bool = False,
    structural: bool = True,
    cross_report: bool = False,
) -> Rule:
    """Register rule ``code``/``name`` whose findings a step of the lint pipeline makes,
    not a check function: it is selected, configured and documented like any other."""
    rule_ = Rule(
        code,
        name,
        severity,
        None,
        NoOptions,
        fixable,
        structural,
        False,
        family,
        doc,
        cross_report,
    )
    _add(rule_)
    return rule_


def _add(rule_: Rule) -> None:
    if rule_.code in RULES or any(r.name == rule_.name for r in RULES.values()):
        raise ValueError(f"duplicate rule {rule_.code} {rule_.name}")
    RULES[rule_.code] = rule_


def all_rules() -> list[Rule]:
    import digestlint.rules  # noqa: F401  (registers every rule family)

    return sorted(RULES.values(), key=lambda r: r.code)


def find_rule(selector: str) -> Rule | None:
    """A rule by exact code or name."""
    for candidate in all_rules():
        if selector in (candidate.code, candidate.name):
            return candidate
    return None


def matches(rule_: Rule, selector: str) -> bool:
    """Whether ``selector`` (a code, a code prefix such as ``DL1``, ``ALL`` or a name) covers ``rule_``."""
    return selector == "ALL" or rule_.code.startswith(selector) or rule_.name == selector


@dataclass(frozen=True)
class RuleContext:
    """What a rule sees: the lint pass (document, source, settings, and the data derived
    from them once per pass), its own options and severity, and helpers to report."""

    rule: Rule
    lint_pass: LintPass
    options: Any
    severity: Severity

    @classmethod
    def for_rule(cls, rule_: Rule, lint_pass: LintPass) -> RuleContext:
        """The context ``rule_`` runs in during ``lint_pass``: its options and severity
        under the pass's settings."""
        settings = lint_pass.settings
        return cls(
            rule=rule_,
            lint_pass=lint_pass,
            options=settings.options[rule_.code],
            severity=settings.severities[rule_.code],
        )

    @property
    def settings(self) -> Settings:
        return self.lint_pass.settings

    @property
    def document(self) -> Document:
        return self.lint_pass.document

    @property
    def source(self) -> SourceText:
        return self.lint_pass.source

    @property
    def profile(self) -> Profile:
        return self.lint_pass.profile

    @property
    def path(self) -> str:
        return self.lint_pass.path

    def finding(
        self,
        start: int,
        end: int,
        message: str,
        *,
        fix: Fix | Iterable[Edit] | None = None,
        applicability: Applicability = Applicability.SAFE,
        fix_message: str = "",
    ) -> Finding:
        """A finding over source offsets ``[start, end)``."""
        if not 0 <= start <= end <= len(self.source.text):
            raise ValueError(f"{self.rule.code}: range {start}..{end} outside the document")
        line, column = self.source.position(start)
        end_line, end_column = self.source.position(end)
        if fix is not None and not isinstance(fix, Fix):
            fix = Fix(applicability=applicability, edits=tuple(fix), message=fix_message)
        return Finding(
            path=self.path,
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
            code=self.rule.code,
            name=self.rule.name,
            severity=self.severity,
            message=message,
            fix=fix,
        )
