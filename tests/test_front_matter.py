"""YAML front matter (static-site pipelines open each report with it) is metadata, not prose."""

from __future__ import annotations

from digestlint import lint_text
from digestlint.config import Config, Settings
from digestlint.parse import parse

REPORT = """---
title: "Sparse Routing for Long Context"
tldr: 本文提出XNet框架，在GSM8K上提升5个点
date: 2025-01-02
---

# Sparse Routing for Long Context

本文提出 XNet 框架，在 GSM8K 上提升 5 个点，并在 MATH 上验证了 XNet 的效果，代码见 GitHub 仓库。
"""


def test_front_matter_is_one_block_and_not_a_heading() -> None:
    settings = Settings(Config(profile="generic"))
    document = parse(REPORT, settings.profile)
    (block,) = [b for b in document.code_blocks if b.kind == "front_matter"]
    assert (block.line, block.end_line) == (1, 5)
    assert [(h.line, h.level) for h in document.headings] == [(7, 1)]


def test_front_matter_gets_no_prose_findings() -> None:
    settings = Settings(Config(profile="generic"))
    findings = lint_text(REPORT, settings, "report.md")
    assert [f for f in findings if f.line <= 5] == []
