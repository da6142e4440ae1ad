"""The rule registry: every rule is a small function with a code, a slug name and a docstring.

A rule's docstring is its documentation (ruff's template: *What it does*, *Why is
this bad?*, *Example*, *Use instead*, *Fix safety*). Rules receive a
:class:`RuleContext` and yield findings built with :meth:`RuleContext.finding`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from digestlint.findings import Applicability, Edit, Finding, Fix, Severity

if TYPE_CHECKING:
    from digestlint.config import Settings
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
    check: CheckFunction
    options: type[BaseModel] = NoOptions
    fixable: bool = False
    structural: bool = True
    """Needs a profile with a fixed layout; skipped under the ``generic`` profile."""
    online: bool = False
    """Reaches the network; runs only when online checks are asked for."""
    family: str = ""

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.check.__doc__ or "")

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
) -> Callable[[CheckFunction], CheckFunction]:
    """Register ``check`` as rule ``code``/``name``."""

    def register(check: CheckFunction) -> CheckFunction:
        if code in RULES or any(r.name == name for r in RULES.values()):
            raise ValueError(f"duplicate rule {code} {name}")
        family = check.__module__.rsplit(".", 1)[-1]
        RULES[code] = Rule(
            code, name, severity, check, options, fixable, structural, online, family
        )
        return check

    return register


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


@dataclass
class RuleContext:
    """What a rule sees: the parsed document, the profile, its options, and helpers to report."""

    rule: Rule
    document: Document
    source: SourceText
    profile: Profile
    options: Any
    severity: Severity
    path: str
    shared: dict[str, Any] = field(default_factory=dict)
    """Derived data computed once per lint pass and shared between rules (see :meth:`memo`)."""
    settings: Settings | None = None

    @classmethod
    def for_rule(
        cls,
        rule_: Rule,
        settings: Settings,
        document: Document,
        source: SourceText,
        path: str,
        shared: dict[str, Any] | None = None,
    ) -> RuleContext:
        """The context ``rule_`` runs in under ``settings``: its profile, options and severity."""
        return cls(
            rule=rule_,
            document=document,
            source=source,
            profile=settings.profile,
            options=settings.options[rule_.code],
            severity=settings.severities[rule_.code],
            path=path,
            shared={} if shared is None else shared,
            settings=settings,
        )

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        if key not in self.shared:
            self.shared[key] = compute()
        return self.shared[key]

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
