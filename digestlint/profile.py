"""Profiles: the layout of a digest format, as data.

A profile names the header title and fields, how a paper block starts, its field
labels and allowed values, its sections in order and the separator between blocks.
Rules read the profile; none hard-codes the format.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from digestlint.patterns import user_regex

SectionStyle = Literal["atx", "atx-bold", "list-bold-colon", "list-bold", "bold-colon", "bold"]
SECTION_STYLES: tuple[str, ...] = get_args(SectionStyle)
"""How a section heading can be written, e.g. for section 1 named 应用领域:

- ``atx``: ``### 1. 应用领域``
- ``atx-bold``: ``### **1. 应用领域**``
- ``list-bold-colon``: ``1. **应用领域**：`` (body on the same or the next lines)
- ``list-bold``: ``1. **应用领域**``
- ``bold-colon``: ``**应用领域**：`` as a paragraph
- ``bold``: ``**1. 应用领域**`` as a paragraph
"""

# Characters whose repetition on a line of its own is a paragraph or a thematic break;
# others (``~``, `````, ``#``) would open a fence or a heading and swallow what follows.
SeparatorCharacter = Literal["=", "+", "-", "*", "_"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


def valid_regex(value: str | None) -> str | None:
    """``value`` if RE2 can run it (user patterns run with RE2, in linear time: see
    :mod:`digestlint.patterns`); a ``ValueError`` for pydantic to report with its key."""
    if value is not None:
        user_regex(value)  # PatternError is a ValueError
    return value


def _empty_is_none(value: object) -> object:
    """TOML has no null: an empty string stands for "none" in optional keys."""
    return None if value == "" else value


def _numbering_value(value: object) -> object:
    """One clear message for a wrong ``section_numbering`` rather than one per type."""
    if isinstance(value, bool) or value in NUMBERING_SYSTEMS:
        return value
    raise ValueError("expected true, false, 'arabic', 'chinese' or 'any'")


NUMBERING_SYSTEMS = ("arabic", "chinese", "any")
SectionNumbering = Annotated[
    bool | Literal["arabic", "chinese", "any"], BeforeValidator(_numbering_value)
]
"""``true`` (Arabic), ``false``, or the numbering system's name."""

Regex = Annotated[str | None, AfterValidator(valid_regex)]
"""An optional regular expression, checked to compile."""
EmptyIsNone = BeforeValidator(_empty_is_none)
"""For optional keys: ``""`` is read as none."""
OptionalText = Annotated[str | None, EmptyIsNone]


class HeaderField(_Strict):
    key: str = Field(description="Name of the field in the extracted report, e.g. `date`.")
    label: str = Field(description="The bold label as written, e.g. `Date`.")
    required: bool = True
    pattern: Regex = Field(
        default=None, description="Regular expression the whole value must match."
    )
    format: Literal["date"] | None = Field(
        default=None, description="A JSON Schema format the value must have."
    )


class PaperField(_Strict):
    key: str = Field(description="Name of the field in the extracted report, e.g. `link`.")
    label: str = Field(description="The bold label as written, e.g. `链接`.")
    required: bool = True
    allowed: list[str] | None = Field(default=None, description="The only values allowed.")
    pattern: Regex = Field(default=None, description="Regular expression for the value.")


class SectionSpec(_Strict):
    name: str
    aliases: list[str] = Field(default_factory=list)
    required: bool = True


class PaperHeading(_Strict):
    level: int = Field(default=2, ge=1, le=6)
    marker: OptionalText = Field(
        default="📄",
        description="Text every paper heading starts with, e.g. `📄`; empty for none "
        "(then every heading at `level` starts a paper).",
    )
    pattern: Annotated[Regex, EmptyIsNone] = Field(
        default=None,
        description="Regular expression searched in a heading's text (without inline "
        "markup) that makes it a paper heading, at any level; replaces the marker. A "
        "group named `title` captures the paper's title, e.g. `^Paper:\\s*(?P<title>.+)`.",
    )


# Keys the extracted report gives a header or a paper itself: a field under one of these
# keys would overwrite it in the export (``digestlint.report.extract``).
_OWN_HEADER_KEYS = frozenset({"title"})
_OWN_PAPER_KEYS = frozenset({"title", "line", "sections", "arxiv_id"})


def _distinct_keys(own: frozenset[str]) -> AfterValidator:
    """A validator of a field list: each key names one field, and none of ``own``."""

    def check(fields: list[Any]) -> list[Any]:
        seen: set[str] = set()
        for spec in fields:
            if spec.key in own:
                raise ValueError(
                    f"key `{spec.key}` is the extracted report's own; name the field otherwise"
                )
            if spec.key in seen:
                raise ValueError(f"key `{spec.key}` names two fields")
            seen.add(spec.key)
        return fields

    return AfterValidator(check)


DEFAULT_PLACEHOLDERS = (
    "未提供",
    "暂无",
    "未在摘要中明确说明",
    "摘要中未明确说明",
    "未明确说明",
    "未提及",
    "摘要中未提及",
    "N/A",
    "Not specified in the abstract",
    "Not specified",
    "Not mentioned in the abstract",
    "TBD",
    "...",
    "未知",
    "Unknown",
    "暂无摘要",
    "No summary available",
    "No abstract available",
)
"""What a pipeline writes when it has nothing to say: a section or field holding only
one of these is filler (placeholder-only, DL631)."""

DEFAULT_CHATTER = (
    "我是您的…助手",
    "我是你的…助手",
    "作为一个AI…，我",
    "作为AI…，我",
    "作为一个AI…，为您",
    "作为AI…，为您",
    "作为一个人工智能…，我",
    "作为一个语言模型",
    "作为AI语言模型",
    "As an AI language model",
    "As an AI assistant",
    "As an AI, I",
    "Sure! Here is",
    "Sure, here is",
    "Sure! Here's",
    "Sure, here's",
    "Certainly! Here is",
    "Certainly! Here's",
    "I hope this helps",
    "希望对您有所帮助",
    "希望对你有所帮助",
    "好的，以下是",
    "当然，以下是",
    "以下是…的总结",
)
"""An assistant's words to the person who prompted it, left in a report
(assistant-chatter, DL633). ``…`` stands for a few words within one clause."""


class SourceKind(_Strict):
    """Where a report's Source URL points, and how to ask that source for the day's
    papers (``--check-source``, docs/source.md)."""

    name: str = Field(description="What the source is called in messages.")
    url_pattern: Regex = Field(
        description="Regular expression the whole Source URL matches; a group named "
        "`date` captures the day (`YYYY-MM-DD`)."
    )
    api: str = Field(
        description="The URL of the day's list, with `{date}` for the day; the answer is "
        "a JSON array whose items have `paper.id` (the arXiv id) and `paper.title`."
    )
    page_size: int = Field(
        default=100,
        ge=1,
        alias="page-size",
        description="Items asked for per request (`{limit}` in `api`); a full page is "
        "followed by the next (`{page}`, from 0).",
    )


HF_DAILY_PAPERS_SOURCE = SourceKind(
    name="Hugging Face daily papers",
    url_pattern=r"https://huggingface\.co/papers/date/(?P<date>\d{4}-\d{2}-\d{2})/?",
    api="https://huggingface.co/api/daily_papers?date={date}&limit={limit}&p={page}",
)


class Profile(_Strict):
    """The layout of one digest format."""

    name: str = Field(
        default="custom",
        description="The profile's name; defaults to the profile file's name, or `inline`.",
    )
    description: str = ""
    structure: bool = Field(
        default=True,
        description="Whether the report has a fixed layout; `false` runs only the "
        "format-agnostic rules (links, metrics, typography, language, heading basics).",
    )
    title: OptionalText = Field(default=None, description="The H1 title the report starts with.")
    header_fields: Annotated[list[HeaderField], _distinct_keys(_OWN_HEADER_KEYS)] = Field(
        default_factory=list
    )
    date_field: OptionalText = Field(
        default=None, description="Key of the header field holding the report's date."
    )
    source_url_field: OptionalText = Field(
        default=None,
        description="Key of the header field holding a URL that must contain the report's date.",
    )
    paper_heading: PaperHeading = Field(default_factory=PaperHeading)
    paper_fields: Annotated[list[PaperField], _distinct_keys(_OWN_PAPER_KEYS)] = Field(
        default_factory=list
    )
    link_field: OptionalText = Field(
        default=None, description="Key of the paper field holding the paper's URL."
    )
    link_pattern: Annotated[Regex, EmptyIsNone] = Field(
        default=None,
        description="Regular expression the paper link must match; a group named `id` "
        "captures the arXiv identifier.",
    )
    sections: list[SectionSpec] = Field(default_factory=list)
    section_level: int = Field(default=3, ge=1, le=6)
    section_numbering: SectionNumbering = Field(
        default=True,
        description="Whether and how section headings carry their number: `arabic` "
        "(`### 1. 应用领域`; `true` means the same), `chinese` (`**一、研究动机**`, "
        "`（二）`, `第三、`), `any` (either: the report's own), or `false` (no numbers).",
    )
    section_style: SectionStyle = Field(
        default="atx", description="The preferred section heading style, used on ties."
    )
    separator: Annotated[SeparatorCharacter | None, EmptyIsNone] = Field(
        default="=",
        description="The character a separator line between blocks repeats: `=` or `+` "
        "(a paragraph), `-`, `*` or `_` (a thematic break); empty for no separators.",
    )
    separator_min_length: int = Field(default=3, ge=3)
    language: str = Field(default="zh-cn", description="Expected language of section prose.")
    title_language: OptionalText = Field(
        default="en", description="Expected language of paper titles; empty to skip."
    )
    placeholders: list[str] = Field(
        default_factory=lambda: list(DEFAULT_PLACEHOLDERS),
        description="Texts that are filler when they are a section's or field's whole "
        "content (placeholder-only, DL631); `[tool.digestlint.filler]` adds to them.",
    )
    chatter: list[str] = Field(
        default_factory=lambda: list(DEFAULT_CHATTER),
        description="An assistant's phrases that do not belong in a report "
        "(assistant-chatter, DL633), matched ignoring case, spacing and the width of "
        "punctuation; `…` stands for a few words within one clause. "
        "`[tool.digestlint.filler]` adds to them.",
    )
    source: SourceKind | None = Field(
        default=None,
        description="The source the Source URL (`source_url_field`) points to, for "
        "`--check-source`; none: the report is not checked against a source.",
    )

    def section_names(self) -> dict[str, str]:
        """Every accepted spelling (name or alias, case-folded) mapped to the canonical name."""
        names: dict[str, str] = {}
        for spec in self.sections:
            names[spec.name.casefold()] = spec.name
            for alias in spec.aliases:
                names[alias.casefold()] = spec.name
        return names

    @property
    def numbering(self) -> Literal["arabic", "chinese", "any"] | None:
        """How sections are numbered: ``section_numbering`` with ``true`` read as
        ``arabic`` (what it meant before Chinese numerals were numbering) and ``false``
        as ``None``."""
        if self.section_numbering is True:
            return "arabic"
        return self.section_numbering or None

    def accepts_numbering(self, system: str) -> bool:
        """Whether a section number written in ``system`` is this profile's numbering."""
        return self.numbering in ("any", system)

    def section_index(self, name: str) -> int | None:
        for index, spec in enumerate(self.sections):
            if spec.name == name:
                return index
        return None

    def is_separator(self, text: str) -> bool:
        stripped = text.strip()
        separator = self.separator
        # A non-empty line of the one separator character, and nothing else.
        return (
            separator is not None
            and len(stripped) >= self.separator_min_length
            and len(separator) == 1
            and stripped[:1] == separator
            and not stripped.strip(separator)
        )

    def header_field_by_key(self, key: str | None) -> HeaderField | None:
        return next((f for f in self.header_fields if f.key == key), None)

    def paper_field_by_key(self, key: str | None) -> PaperField | None:
        return next((f for f in self.paper_fields if f.key == key), None)


HF_DAILY_PAPERS_ZH = Profile(
    name="hf-daily-papers-zh",
    description="Hugging Face Daily Papers report with Chinese summaries, one block per paper.",
    title="Hugging Face Daily Papers Report",
    header_fields=[
        HeaderField(key="date", label="Date", pattern=r"\d{4}-\d{2}-\d{2}", format="date"),
        HeaderField(
            key="source_url",
            label="Source URL",
            pattern=r"https://huggingface\.co/papers/date/\d{4}-\d{2}-\d{2}",
        ),
    ],
    date_field="date",
    source_url_field="source_url",
    paper_heading=PaperHeading(level=2, marker="📄"),
    paper_fields=[
        PaperField(key="link", label="链接"),
        PaperField(key="read_source", label="阅读来源", allowed=["ArXiv Abs", "HTML", "PDF"]),
    ],
    link_field="link",
    link_pattern=r"https://huggingface\.co/papers/(?P<id>[^/?#\s]+)",
    sections=[
        SectionSpec(name="应用领域"),
        SectionSpec(name="一句话核心贡献", aliases=["核心贡献"]),
        SectionSpec(name="使用指南"),
        SectionSpec(name="主要创新点", aliases=["创新点"]),
        SectionSpec(name="实验效果", aliases=["实验结果"]),
    ],
    section_level=3,
    section_style="atx",
    separator="=",
    language="zh-cn",
    title_language="en",
    source=HF_DAILY_PAPERS_SOURCE,
)

GENERIC = Profile(
    name="generic",
    description="Any Markdown file: only the format-agnostic rules run.",
    structure=False,
    paper_heading=PaperHeading(level=2, marker=None),
    separator=None,
    title_language=None,
)

BUILTIN_PROFILES: dict[str, Profile] = {p.name: p for p in (HF_DAILY_PAPERS_ZH, GENERIC)}
DEFAULT_PROFILE = HF_DAILY_PAPERS_ZH.name
