from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from digestlint.registry import RULES, rule

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "hf-daily-papers-2026-02-20.md"


@pytest.fixture(scope="session", autouse=True)
def _no_config_above_temporary_directories(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Config discovery walks up from a report to the file system's root, so a stray
    ``.digestlint.toml`` in ``/tmp`` would change what every ``tmp_path`` test sees. An
    empty config (the defaults) at the root of this run's temporary directories ends the
    walk there, wherever the tests run."""
    (tmp_path_factory.getbasetemp() / ".digestlint.toml").write_text(
        "# defaults: stops config discovery above the tests' temporary directories\n",
        encoding="utf-8",
    )


@pytest.fixture(autouse=True)
def _own_content_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each test its own content cache (digestlint.cache), in a directory of its own: a
    test that swaps a rule's code in this process (the cache's key hashes the package's
    files, not what is in memory) must not be served what another test's run kept.
    Subprocesses inherit it. Tests of the cache's location remove it."""
    monkeypatch.setenv("DIGESTLINT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("DIGESTLINT_NO_CACHE", raising=False)


@pytest.fixture(autouse=True)
def _collectable_after_a_run() -> Iterator[None]:
    """A ``check`` run freezes what is alive after reading the content cache (see
    ``runner.check_files``), for a process that ends with the run; this one goes on, so
    each test's objects go back to the cycle collector when it ends."""
    yield
    gc.unfreeze()


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
