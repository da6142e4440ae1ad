"""The extracted report: the document model as plain data, its JSON Schema, and validation.

The same data is what ``digestlint export`` prints and what the report schema checks,
so a schema error always points at something a reader of the export can see. Every
JSON pointer of the data maps back to a source range, so each schema error becomes a
finding on the line of the element at fault.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from digestlint.model import Document, Paper, Section
from digestlint.patterns import user_regex
from digestlint.profile import HeaderField, PaperField, Profile

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


@dataclass
class ExtractedReport:
    data: dict[str, Any]
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    """JSON pointer to the source range of the element it names."""

    def span_of(self, pointer: str) -> tuple[int, int]:
        """The range of the element at ``pointer``, or of its nearest ancestor with one."""
        while pointer not in self.spans and pointer:
            pointer = pointer.rsplit("/", 1)[0]
        return self.spans.get(pointer, (0, 0))


def arxiv_id(link: str | None, profile: Profile) -> str | None:
    if not link or not profile.link_pattern:
        return None
    match = user_regex(profile.link_pattern).fullmatch(link)
    if match is None or "id" not in match.groupdict():
        return None
    return match.group("id")


def extract(document: Document, profile: Profile, path: str | None = None) -> ExtractedReport:
    """The report as data; ``path`` (the file as named to the linter) is included if given."""
    report = ExtractedReport(data={})
    header = _extract_header(document, profile, report.spans)
    papers = [
        _extract_paper(paper, f"/papers/{index}", profile, report.spans)
        for index, paper in enumerate(document.papers)
    ]
    if document.papers:
        # Errors about the list as a whole (e.g. too many papers) point at its first paper.
        report.spans["/papers"] = report.spans["/papers/0"]
    report.data = {"profile": profile.name, "header": header, "papers": papers}
    if path is not None:
        report.data = {"path": path, **report.data}
    return report


def _extract_header(
    document: Document, profile: Profile, spans: dict[str, tuple[int, int]]
) -> dict[str, Any]:
    header = document.header
    data: dict[str, Any] = {}
    spans["/header"] = (header.title.start, header.title.end) if header.title else (0, 0)
    if header.title is not None:
        data["title"] = {"value": header.title.plain, "line": header.title.line}
        spans["/header/title"] = (header.title.start, header.title.end)
    for spec in profile.header_fields:
        entry = header.field(spec.label)
        if entry is None:
            continue
        data[spec.key] = {"value": entry.value, "line": entry.line}
        spans[f"/header/{spec.key}"] = (entry.start, entry.end)
        spans[f"/header/{spec.key}/value"] = (entry.value_start, entry.value_end)
    return data


def _extract_paper(
    paper: Paper, pointer: str, profile: Profile, spans: dict[str, tuple[int, int]]
) -> dict[str, Any]:
    spans[pointer] = (paper.heading.start, paper.heading.end)
    item: dict[str, Any] = {"title": paper.title, "line": paper.line}
    for spec in profile.paper_fields:
        entry = paper.field(spec.label)
        if entry is None:
            continue
        item[spec.key] = entry.value
        spans[f"{pointer}/{spec.key}"] = (entry.value_start, entry.value_end)
        if spec.key == profile.link_field:
            item["arxiv_id"] = arxiv_id(entry.value, profile)
    if profile.link_field:
        item.setdefault("arxiv_id", None)
    item["sections"] = [
        _extract_section(section, f"{pointer}/sections/{number}", spans)
        for number, section in enumerate(paper.sections)
    ]
    spans[f"{pointer}/sections"] = spans[pointer]
    return item


def _extract_section(
    section: Section, pointer: str, spans: dict[str, tuple[int, int]]
) -> dict[str, Any]:
    spans[pointer] = (section.heading_start, section.heading_end)
    # An empty body is reported at the heading that should have one.
    spans[f"{pointer}/body"] = (
        (section.body_start, section.body_end)
        if section.body.strip()
        else (section.heading_start, section.heading_end)
    )
    return {
        "number": section.number,
        "name": section.name,
        "line": section.line,
        "end_line": section.end_line,
        "body": section.body.strip(),
    }


def report_schema(profile: Profile) -> dict[str, Any]:
    """The JSON Schema every report of ``profile`` must satisfy, built from the profile."""
    located = {
        "type": "object",
        "required": ["value", "line"],
        "properties": {"value": {"type": "string"}, "line": {"type": "integer", "minimum": 1}},
    }
    header_properties: dict[str, Any] = {"title": {"$ref": "#/$defs/located"}}
    for spec in profile.header_fields:
        value: dict[str, Any] = {"type": "string", "minLength": 1}
        if spec.pattern:
            value["pattern"] = whole_value(spec.pattern)
        if spec.format:
            value["format"] = spec.format
        header_properties[spec.key] = {
            "allOf": [{"$ref": "#/$defs/located"}],
            "properties": {"value": value},
        }
    # The title is left to header-title (DL101), which says what it should read.
    header_required = [s.key for s in profile.header_fields if s.required]
    paper_properties: dict[str, Any] = {
        "title": {"type": "string", "minLength": 1},
        "line": {"type": "integer", "minimum": 1},
        "sections": {
            "type": "array",
            "items": {"$ref": "#/$defs/section"},
            "allOf": [
                {
                    "contains": {
                        "required": ["name"],
                        "properties": {"name": {"const": spec.name}},
                    }
                }
                for spec in profile.sections
                if spec.required
            ],
        },
    }
    if profile.link_field:
        paper_properties["arxiv_id"] = {"type": ["string", "null"]}
    for spec in profile.paper_fields:
        field_schema: dict[str, Any] = {"type": "string", "minLength": 1}
        if spec.allowed is not None:
            field_schema["enum"] = list(spec.allowed)
        if spec.pattern:
            field_schema["pattern"] = whole_value(spec.pattern)
        paper_properties[spec.key] = field_schema
    return {
        "$schema": SCHEMA_DIALECT,
        "title": f"Digest report ({profile.name})",
        "description": "A report as `digestlint export` prints it and the linter checks it.",
        "type": "object",
        "required": ["profile", "header", "papers"],
        "properties": {
            "path": {"type": "string", "description": "The report's file, as named."},
            "profile": {"type": "string"},
            "header": {
                "type": "object",
                "required": header_required,
                "properties": header_properties,
            },
            "papers": {"type": "array", "items": {"$ref": "#/$defs/paper"}},
        },
        "$defs": {
            "located": located,
            "paper": {
                "type": "object",
                "required": [
                    "title",
                    "line",
                    "sections",
                    *[s.key for s in profile.paper_fields if s.required],
                ],
                "properties": paper_properties,
            },
            "section": {
                "type": "object",
                "required": ["number", "name", "line", "end_line", "body"],
                "properties": {
                    "number": {"type": ["integer", "null"]},
                    "name": {"type": "string"},
                    "line": {"type": "integer", "minimum": 1},
                    "end_line": {"type": "integer", "minimum": 1},
                    "body": {"type": "string", "minLength": 1},
                },
            },
        },
    }


def whole_value(pattern: str) -> str:
    """``pattern`` anchored to match a whole value, as the report schema writes it."""
    return f"^(?:{pattern})$"


def matches_whole(pattern: str, value: str) -> bool:
    """Whether ``value`` is all ``pattern``: the schema's ``pattern`` test of a field value."""
    return user_regex(whole_value(pattern)).search(value) is not None


def has_format(value: str, format_name: str) -> bool:
    """Whether ``value`` is a valid ``format_name`` (``date``): the schema's ``format`` test."""
    if format_name == "date":
        # jsonschema's own test (``jsonschema._format.is_date``), written here so that a
        # built-in profile's lint never imports jsonschema (tens of milliseconds).
        try:
            return bool(_DATE.fullmatch(value) and date.fromisoformat(value))
        except ValueError:
            return False
    return bool(_re2_validator_class().FORMAT_CHECKER.conforms(value, format_name))


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


_validators: dict[str, Draft202012Validator] = {}


def validator_for(schema: dict[str, Any]) -> Draft202012Validator:
    """A validator for ``schema``, built once per distinct schema (formats checked).

    Its ``pattern`` keyword runs with RE2 (:mod:`digestlint.patterns`: profiles and
    schema files are written by users, report text by anyone). Its ``$ref`` resolve in
    the schema's own registry (:class:`digestlint.schemafile.LocalSchema`: local files
    only), and in none for the profile's built-in schema: nothing is ever fetched."""
    # Imported here: jsonschema costs tens of milliseconds to import, and only a lint
    # with a structured profile or an export needs it (not `--version`, `rule`, `generic`).
    from referencing import Registry

    # The files its `$ref`s bring in are part of it: one edited between two lints in one
    # process is a new schema.
    key = json.dumps([schema, getattr(schema, "documents", None)], sort_keys=True)
    if key not in _validators:
        registry = getattr(schema, "registry", None) or Registry()
        _validators[key] = _re2_validator_class()(
            schema,
            registry=registry,
            format_checker=_re2_validator_class().FORMAT_CHECKER,
        )
    return _validators[key]


@functools.cache
def _re2_validator_class() -> Any:
    from jsonschema import Draft202012Validator, validators
    from jsonschema.exceptions import ValidationError

    def pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Any:
        if validator.is_type(instance, "string") and not user_regex(pattern).search(instance):
            yield ValidationError(f"{instance!r} does not match {pattern!r}")

    return validators.extend(Draft202012Validator, {"pattern": pattern})


def schema_errors(
    data: dict[str, Any], profile: Profile, extra_schema: dict[str, Any] | None = None
) -> tuple[list[ValidationError], list[ValidationError]]:
    """The violations of the profile's report schema, and of ``extra_schema`` if given."""
    profile_errors = list(validator_for(report_schema(profile)).iter_errors(data))
    extra_errors = (
        list(validator_for(extra_schema).iter_errors(data)) if extra_schema is not None else []
    )
    return profile_errors, extra_errors


def describe_error(
    error: ValidationError, profile: Profile, data: dict[str, Any] | None = None
) -> str:
    """A schema error in the report's words: field labels and section names rather than
    JSON pointers, and never jsonschema's dump of a whole array."""
    path = list(error.absolute_path)
    label = _field_label(profile, path)
    subject = f"`{label}`" if label else _TITLES.get(_shape(path)) or pointer_of(error)
    if error.validator == "required":
        missing = re.search(r"'([^']+)' is a required property", error.message)
        name = missing.group(1) if missing else error.message
        return f"`{_label(profile, path, name) or name}` is missing"
    if error.validator == "contains":
        wanted = error.schema.get("contains", {}).get("properties", {}).get("name", {})
        if "const" in wanted:
            return f"section `{wanted['const']}` is missing"
    if error.validator == "format":
        return f"{subject}: {error.instance!r} is not a valid {error.validator_value}"
    if error.validator == "pattern":
        return f"{subject}: {error.instance!r} does not have the form the profile requires"
    if error.validator == "enum":
        allowed = ", ".join(repr(v) for v in error.validator_value)
        return f"{subject}: {error.instance!r} is not allowed; use one of {allowed}"
    if error.validator == "minLength" and error.validator_value == 1:
        section = _section_at(path, data)
        return f"section `{section}` is empty" if section else f"{subject} is empty"
    return error.message if len(error.message) <= 160 else error.message[:159] + "…"


# The titles in the report's words, by the shape of their path (a paper's index as ``#``).
_TITLES = {
    ("header", "title", "value"): "the title",
    ("papers", "#", "title"): "the paper's title",
}


def _shape(path: list[Any]) -> tuple[str, ...]:
    return tuple("#" if isinstance(part, int) else str(part) for part in path)


def _field_label(profile: Profile, path: list[Any]) -> str | None:
    """The label of the field ``path`` is in (``/header/date/value``, ``/papers/3/link``)."""
    for depth in (1, 2):
        if len(path) > depth and (label := _label(profile, path[:depth], str(path[depth]))):
            return label
    return None


def _label(profile: Profile, path: list[Any], key: str) -> str | None:
    """The label readers see (``Date``, ``阅读来源``) for the field ``key`` of the object at
    ``path``: the header's fields at ``/header``, a paper's at ``/papers/N``."""
    if path == ["header"]:
        spec: HeaderField | PaperField | None = profile.header_field_by_key(key)
    elif len(path) == 2 and path[0] == "papers":
        spec = profile.paper_field_by_key(key)
    else:
        return None
    return spec.label if spec else None


def _section_at(path: list[Any], data: dict[str, Any] | None) -> str | None:
    """The name of the section a ``/papers/N/sections/M/...`` path points into."""
    if data is None or len(path) < 4 or path[0] != "papers" or path[2] != "sections":
        return None
    try:
        return str(data["papers"][path[1]]["sections"][path[3]]["name"])
    except (KeyError, IndexError, TypeError):
        return None


def pointer_of(error: ValidationError) -> str:
    return "".join(f"/{part}" for part in error.absolute_path)


def focus_pointer(error: ValidationError) -> str:
    """The pointer of the element to report: for a list that is too long, its first
    item past the limit rather than the list."""
    pointer = pointer_of(error)
    if error.validator == "maxItems" and isinstance(error.validator_value, int):
        return f"{pointer}/{error.validator_value}"
    return pointer
