"""What ``digestlint export`` prints: the parsed report as JSON, for site generators and
databases (the command itself is in :mod:`digestlint.cli`).

The data is :func:`digestlint.report.extract`'s, the same the schema-backed rules
check, so what export prints and what the linter reports about always agree. One file
named on the command line gives one JSON object; several files (or a directory) give
an array of objects in the order the files were named, each with its ``path``.

Export checks its own output against the profile's report schema (for the default
profile, ``schemas/report.schema.json``) and the config's extra ``schema`` file, and
prints nothing and exits 2 if it does not conform: a consumer never receives a report
that breaks the schema it was promised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from digestlint.config import ConfigError, Settings, SettingsLookup
from digestlint.files import InputError, input_name, read_input, settings_path
from digestlint.parse import parse
from digestlint.profile import Profile
from digestlint.report import (
    ExtractedReport,
    describe_error,
    extract,
    focus_pointer,
    pointer_of,
    schema_errors,
)
from digestlint.source import SourceText

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError


@dataclass
class Exported:
    data: dict[str, Any]
    problems: list[str] = field(default_factory=list)
    """Schema violations as ``file:line: /pointer: message``; empty when it conforms."""


def export_text(text: str, settings: Settings, path: str, pointer_prefix: str = "") -> Exported:
    """The report data of ``text`` and every way it breaks the report or extra schema.

    ``pointer_prefix`` is where this report sits in the output (``/3`` in an array),
    so that problems name the JSON path a consumer sees."""
    report = extract(parse(text, settings.profile), settings.profile, path)
    source = SourceText(text)
    from_profile, from_extra = schema_errors(report.data, settings.profile, settings.extra_schema)
    problems = [
        _problem(path, source, report, error, pointer_prefix, "report schema", settings.profile)
        for error in from_profile
    ] + [
        _problem(
            path,
            source,
            report,
            error,
            pointer_prefix,
            str(settings.config.schema_),
            settings.profile,
        )
        for error in from_extra
    ]
    return Exported(report.data, problems)


def _problem(
    path: str,
    source: SourceText,
    report: ExtractedReport,
    error: ValidationError,
    prefix: str,
    schema_name: str,
    profile: Profile,
) -> str:
    start, _ = report.span_of(focus_pointer(error))
    line, _ = source.position(start)
    pointer = prefix + pointer_of(error) or "/"
    message = describe_error(error, profile, report.data)
    return f"{path}:{line}: {pointer}: {message} (does not conform to {schema_name})"


def export_paths(
    paths: tuple[Path, ...],
    *,
    config: Path | None = None,
    validate: bool = True,
    stdin_filename: str | None = None,
) -> tuple[Any, list[str]]:
    """The JSON value to print (an object for one named file, else an array) and the
    problems found (input, config or schema); the value is meaningless if there are any."""
    lookup = SettingsLookup(config)
    try:
        inputs = list(lookup.inputs(paths))
    except ConfigError as error:
        return None, [str(error)]
    single = len(paths) == 1 and len(inputs) == 1 and (inputs[0] is None or not paths[0].is_dir())
    reports: list[dict[str, Any]] = []
    problems: list[str] = []
    for index, path in enumerate(inputs):
        name = input_name(path, stdin_filename)
        try:
            settings = lookup.for_path(settings_path(path, stdin_filename))
            decoded = read_input(path, name)
        except (InputError, ConfigError) as error:
            problems.append(str(error))
            continue
        exported = export_text(decoded.text, settings, name, "" if single else f"/{index}")
        reports.append(exported.data)
        if validate:
            problems.extend(exported.problems)
    # A broken config shared by several files is one problem, not one per file.
    unique = list(dict.fromkeys(problems))
    return (reports[0] if single and reports else reports), unique
