from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from digestlint.registry import RULES, rule

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "hf-daily-papers-2026-02-20.md"


@pytest.fixture
def seed_path() -> Path:
    return SEED


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def temporary_rule() -> Iterator:
    """Register throwaway fixable rules for one test, so the engine can be driven to its
    limits: ``temporary_rule("DL990", check)``."""
    added: list[str] = []

    def register(code: str, check) -> None:
        rule(code, f"test-{code.lower()}", structural=False, fixable=True)(check)
        added.append(code)

    yield register
    for code in added:
        RULES.pop(code, None)
