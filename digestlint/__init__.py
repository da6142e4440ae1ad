"""digestlint: a linter and fixer for daily papers digest reports."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from digestlint.api import FixError, FixResult, fix_text, lint_text
    from digestlint.config import ConfigError, Settings, load_settings

__all__ = [
    "ConfigError",
    "FixError",
    "FixResult",
    "Settings",
    "__version__",
    "fix_text",
    "lint_text",
    "load_settings",
]

# The API is imported on first use (``digestlint.lint_text``, ``from digestlint import
# lint_text``), not with the package: the command line imports ``digestlint.cli``, and
# ``--version`` or ``--help`` need none of it.
_LAZY = {
    "FixError": "digestlint.api",
    "FixResult": "digestlint.api",
    "fix_text": "digestlint.api",
    "lint_text": "digestlint.api",
    "ConfigError": "digestlint.config",
    "Settings": "digestlint.config",
    "load_settings": "digestlint.config",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
