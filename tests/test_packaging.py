"""The wheel a user installs: what it ships, and one version everywhere."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest
from click.testing import CliRunner

import digestlint
from digestlint.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(out)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("digestlint-*.whl")
    return zipfile.ZipFile(built)


@pytest.mark.slow
def test_wheel_ships_the_package_its_types_marker_and_licence(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    assert "digestlint/py.typed" in names
    assert "digestlint/rules/typography.py" in names
    for template in ("review.html.j2", "review.css", "review.js"):
        assert f"digestlint/output/templates/{template}" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert not any(n.startswith(("tests/", "seeds/", "bench/", "docs/")) for n in names)


@pytest.mark.slow
def test_wheel_metadata_has_the_package_version_and_licence(wheel: zipfile.ZipFile) -> None:
    (metadata_name,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
    metadata = wheel.read(metadata_name).decode()
    assert f"\nVersion: {digestlint.__version__}\n" in metadata
    assert "\nLicense-Expression: MIT\n" in metadata
    (entry_points,) = [n for n in wheel.namelist() if n.endswith("entry_points.txt")]
    assert "digestlint = digestlint.cli:main" in wheel.read(entry_points).decode()


def test_one_version_in_cli_metadata_and_sarif(tmp_path: Path) -> None:
    installed = version("digestlint")
    assert installed == digestlint.__version__
    runner = CliRunner()
    assert runner.invoke(main, ["--version"]).output.split()[-1] == installed
    report = tmp_path / "r.md"
    report.write_text("# 标题\n", encoding="utf-8")
    sarif = json.loads(runner.invoke(main, ["--format", "sarif", str(report)]).output)
    driver = sarif["runs"][0]["tool"]["driver"]
    assert driver["version"] == driver["semanticVersion"] == installed


def test_changelog_has_an_entry_for_this_version() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## {digestlint.__version__}" in changelog
