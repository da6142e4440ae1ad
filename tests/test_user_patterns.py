"""User-supplied regular expressions run with RE2: linear time, whatever the text.

``(a+)+$`` on a line of a's ending in ``b`` backtracks exponentially in Python's ``re``
(14 s at 28 characters, doubling with each one more). Each place a config can put a
pattern gets it here, with 5,000 such characters in the report, and the CLI runs in a
subprocess with a timeout far above what a linear engine needs: a backtracking engine
would not finish in the lifetime of the machine. Patterns RE2 cannot run are config
errors at load, naming the pattern.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from digestlint.config import Config, LinksConfig, Settings
from digestlint.linkcheck import LinkChecker
from digestlint.patterns import user_regex
from digestlint.profile import BUILTIN_PROFILES, HF_DAILY_PAPERS_ZH

EVIL = "(a+)+$"
ATTACK = "a" * 5000 + "b"
HANG_LIMIT = 120  # seconds; RE2 needs milliseconds, backtracking would need aeons


def report(title: str = "Paper", link: str = "https://huggingface.co/papers/2602.15569") -> str:
    return (
        "# Hugging Face Daily Papers Report\n**Date**: 2026-02-20\n"
        "**Source URL**: https://huggingface.co/papers/date/2026-02-20\n\n"
        f"## 📄 {title}\n\n- **链接**: {link}\n- **阅读来源**: HTML\n"
    )


def profile_with(**changes: object) -> dict[str, object]:
    return {**HF_DAILY_PAPERS_ZH.model_dump(exclude={"name"}), **changes}


def run_cli(tmp_path: Path, config: dict[str, object], text: str, *args: str):
    (tmp_path / ".digestlint.toml").write_text("", encoding="utf-8")
    (tmp_path / "config.json").write_text(json.dumps(config), encoding="utf-8")
    # TOML has no nulls; the test writes its config as a JSON profile plus a TOML file.
    profile = config.get("profile")
    lines = []
    if isinstance(profile, dict):
        (tmp_path / "profile.json").write_text(json.dumps(profile), encoding="utf-8")
        lines.append('profile = "profile.json"')
    if "schema" in config:
        lines.append(f"schema = {json.dumps(config['schema'])}")
    (tmp_path / ".digestlint.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "report.md").write_text(text, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "digestlint", "--format", "json", *args, "report.md"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=HANG_LIMIT,
        check=False,
    )


def header_field_patterns() -> list[dict[str, object]]:
    fields = [field.model_dump() for field in HF_DAILY_PAPERS_ZH.header_fields]
    fields[0]["pattern"] = EVIL
    return fields


def paper_field_patterns() -> list[dict[str, object]]:
    fields = [field.model_dump() for field in HF_DAILY_PAPERS_ZH.paper_fields]
    fields[1]["pattern"] = EVIL
    return fields


@pytest.mark.parametrize(
    ("where", "profile", "text"),
    [
        (
            "paper_heading.pattern",
            profile_with(paper_heading={"level": 2, "marker": None, "pattern": EVIL}),
            report(title=ATTACK),
        ),
        (
            "header_fields[].pattern",
            profile_with(header_fields=header_field_patterns()),
            report().replace("2026-02-20\n**Source", ATTACK + "\n**Source", 1),
        ),
        (
            "paper_fields[].pattern",
            profile_with(paper_fields=paper_field_patterns()),
            report().replace("HTML", ATTACK),
        ),
        (
            "link_pattern",
            profile_with(link_pattern=EVIL),
            report(link="https://example.org/" + ATTACK),
        ),
    ],
)
def test_profile_patterns_run_in_linear_time(
    tmp_path: Path, where: str, profile: dict[str, object], text: str
) -> None:
    result = run_cli(tmp_path, {"profile": profile}, text)
    assert result.returncode in (0, 1), (where, result.stderr)
    json.loads(result.stdout)


def test_a_schema_pattern_runs_in_linear_time(tmp_path: Path) -> None:
    (tmp_path / "extra.json").write_text(
        json.dumps(
            {"properties": {"papers": {"items": {"properties": {"title": {"pattern": EVIL}}}}}}
        ),
        encoding="utf-8",
    )
    result = run_cli(tmp_path, {"schema": "extra.json"}, report(title=ATTACK))
    assert result.returncode == 1, result.stderr
    [finding] = [f for f in json.loads(result.stdout) if f["code"] == "DL601"]
    assert finding["message"].startswith("the paper's title: 'aaaa")
    assert finding["message"].endswith("(/papers/0/title)")
    assert "does not have the form the profile requires" in finding["message"]


def test_link_exclude_and_remap_run_in_linear_time() -> None:
    """``target`` applies ``exclude`` then ``remap``, before any request: run directly,
    in a subprocess with the same time limit."""
    code = f"""
from digestlint.config import LinksConfig
from digestlint.linkcheck import LinkChecker
config = LinksConfig.model_validate({{"exclude": [{EVIL!r}], "remap": [[{EVIL!r}, "x"]]}})
checker = LinkChecker(config, cache_dir=None)
url = "https://example.org/" + "a" * 5000 + "b"
print(checker.target(url) == url)
"""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=HANG_LIMIT
    )
    assert result.stdout.strip() == "True", result.stderr


def test_remap_keeps_pythons_group_references() -> None:
    config = LinksConfig.model_validate(
        {"remap": [[r"^https://papers\.example/(?P<rest>.*)$", r"http://127.0.0.1:9/\g<rest>"]]}
    )
    checker = LinkChecker(config)
    assert checker.target("https://papers.example/a/b#c") == "http://127.0.0.1:9/a/b"


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        (r"^Paper(?=:)", "invalid perl operator: (?="),
        (r"(?<!x)Paper", "invalid perl operator: (?<!"),
        (r"(P)aper\1", "invalid escape sequence: \\1"),
        (r"Paper\Z", "invalid escape sequence: \\Z"),
    ],
)
def test_patterns_re2_cannot_run_are_config_errors_naming_them(
    tmp_path: Path, pattern: str, why: str
) -> None:
    profile = profile_with(paper_heading={"level": 2, "marker": None, "pattern": pattern})
    result = run_cli(tmp_path, {"profile": profile}, report())
    assert result.returncode == 2
    assert json.loads(result.stdout) == []
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: {tmp_path / 'profile.json'}: paper_heading.pattern: ")
    assert f"invalid regular expression {pattern!r}: {why}." in line
    assert "Patterns run with RE2 (linear time)" in line


@pytest.mark.parametrize("key", ["exclude", "remap"])
def test_link_patterns_re2_cannot_run_are_config_errors(key: str) -> None:
    value = [r"(a)\1"] if key == "exclude" else [[r"(a)\1", "x"]]
    with pytest.raises(ValueError, match=r"invalid regular expression '\(a\)\\\\1'"):
        LinksConfig.model_validate({key: value})


def test_a_schema_pattern_re2_cannot_run_is_a_config_error_naming_its_place(
    tmp_path: Path,
) -> None:
    (tmp_path / "extra.json").write_text(
        json.dumps({"properties": {"header": {"pattern": "(?=x)"}}}), encoding="utf-8"
    )
    result = run_cli(tmp_path, {"schema": "extra.json"}, report())
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(
        f"error: {tmp_path / 'extra.json'}: pattern at /properties/header/pattern: "
        "invalid regular expression '(?=x)'"
    )


def test_the_built_in_profiles_patterns_are_re2_patterns() -> None:
    patterns = [
        pattern
        for profile in BUILTIN_PROFILES.values()
        for pattern in (
            profile.paper_heading.pattern,
            profile.link_pattern,
            *(field.pattern for field in profile.header_fields),
            *(field.pattern for field in profile.paper_fields),
        )
        if pattern is not None
    ]
    assert len(patterns) == 3
    for pattern in patterns:
        user_regex(pattern)
    match = user_regex(HF_DAILY_PAPERS_ZH.link_pattern or "").fullmatch(
        "https://huggingface.co/papers/2602.15569"
    )
    assert match is not None and match.span("id") == (30, 40)


def test_the_example_profile_loads() -> None:
    root = Path(__file__).resolve().parent.parent / "examples" / "en-digest"
    settings = Settings(
        Config(profile="profile.toml", schema="constraints.schema.json"), root=root
    )
    assert settings.profile.paper_heading.pattern is not None
