"""digestlint: a linter and fixer for daily papers digest reports."""

__version__ = "0.1.0"

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
