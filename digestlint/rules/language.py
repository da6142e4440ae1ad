"""Language rules: section prose in the report's language, paper titles in theirs."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field

from digestlint.findings import Finding, Severity
from digestlint.language import LANGUAGE_NAMES, default_identifier, normalize_language
from digestlint.registry import RuleContext, rule


class LanguageOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_probability: float = Field(
        default=0.9,
        ge=0.0,
        le=1.0,
        description="How sure langdetect must be before a text the writing system does not "
        "settle is reported as another language.",
    )


def _expected_label(code: str) -> str:
    code = normalize_language(code)
    name = LANGUAGE_NAMES.get(code)
    return f"{name} ({code})" if name else f"`{code}`"


def _line_span(context: RuleContext, start: int, end: int) -> tuple[int, int]:
    """From the first non-blank character at or after ``start`` to the end of its line."""
    text = context.source.text
    segment = text[start:end]
    first = start + len(segment) - len(segment.lstrip())
    line, _ = context.source.position(first)
    return first, max(first, context.source.line_end(line))


@rule(
    "DL901",
    "section-language",
    severity=Severity.WARNING,
    options=LanguageOptions,
    structural=False,
)
def section_language(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that every section's prose is in the profile's language (by default
    Simplified Chinese, `zh-cn`): sections in English, Japanese or Traditional Chinese
    are reported. Code, math, URLs and markup are left out first; English terms inside
    Chinese prose are normal and pass. Sections too short to judge are skipped.

    ## Why is this bad?
    Generation pipelines sometimes answer a section in English or drift into
    Traditional Chinese halfway through a Simplified report; readers notice at once.

    ## Example
    ```markdown
    ### 2. 一句话核心贡献
    We propose a linear attention that matches softmax attention in accuracy.
    ```

    ## Use instead
    ```markdown
    ### 2. 一句话核心贡献
    提出了一种线性注意力机制，在精度上与 Softmax Attention 相当。
    ```

    ## Fix safety
    Not fixable: translating is rewriting prose.
    """
    expected = context.profile.language
    identifier = default_identifier()
    for paper in context.document.papers:
        for section in paper.sections:
            verdict = identifier.identify(section.prose, expected, context.options.min_probability)
            if verdict is None or verdict.matches(expected):
                continue
            start, end = _line_span(context, section.body_start, section.body_end)
            yield context.finding(
                start,
                end,
                f"section `{section.name}` is in "
                f"{verdict.describe(context.options.min_probability)}; "
                f"expected {_expected_label(expected)}",
            )


@rule(
    "DL902",
    "title-language",
    severity=Severity.WARNING,
    options=LanguageOptions,
    structural=False,
)
def title_language(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Checks that every paper title is in the profile's title language (by default
    English, `en`, the language papers are published in). Profiles with no title
    language skip the check.

    ## Why is this bad?
    Readers search for and cite papers by their published title; a translated title
    matches nothing.

    ## Example
    ```markdown
    ## 📄 计算机使用世界模型
    ```

    ## Use instead
    ```markdown
    ## 📄 Computer-Using World Model
    ```

    ## Fix safety
    Not fixable: the published title is not known.
    """
    expected = context.profile.title_language
    if not expected:
        return
    identifier = default_identifier()
    for paper in context.document.papers:
        verdict = identifier.identify(paper.title, expected, context.options.min_probability)
        if verdict is None or verdict.matches(expected):
            continue
        heading = paper.heading
        line_end = context.source.line_end(heading.line)
        # Point at the title itself, after the marker, where it is written as it reads.
        title_at = context.source.text.find(paper.title, heading.text_start, line_end)
        start, end = _line_span(context, max(title_at, heading.text_start), line_end)
        yield context.finding(
            start,
            end,
            f"paper title is in {verdict.describe(context.options.min_probability)}; "
            f"expected {_expected_label(expected)}",
        )
