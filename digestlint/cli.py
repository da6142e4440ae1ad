"""The command line: reads files, calls the API, writes fixes and reports. Nothing else."""

from __future__ import annotations

import difflib
import json
import os
import sys
from pathlib import Path

import click

from digestlint import __version__
from digestlint.api import FixError, fix_text, lint_text
from digestlint.config import ConfigError, SettingsLookup
from digestlint.export import export_paths
from digestlint.files import (
    Decoded,
    InputError,
    input_name,
    read_input,
    settings_path,
    write_atomic,
)
from digestlint.findings import Finding
from digestlint.output import FORMATTERS, Report, format_statistics, summary
from digestlint.registry import all_rules

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class MainGroup(click.Group):
    """``digestlint PATHS`` runs ``check``; ``digestlint rule ...`` and friends are subcommands."""

    default_command = "check"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] != "--version"):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


@click.group(cls=MainGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="digestlint")
def main() -> None:
    """digestlint: lint and fix daily papers digest reports."""


# Options that `check` and `export` share.
config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    help="Config file to use instead of the nearest one.",
)
stdin_filename_option = click.option(
    "--stdin-filename", help="The path to report (and match config against) for `-`."
)


def _split_commas(values: tuple[str, ...]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


@main.command(
    "check",
    epilog="Other commands: `digestlint rule CODE`, `digestlint export PATH`.",
)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--fix", is_flag=True, help="Apply safe fixes in place.")
@click.option(
    "--unsafe-fixes", is_flag=True, help="Apply unsafe fixes too (with --fix or --diff)."
)
@click.option("--diff", is_flag=True, help="Print a unified diff of the fixes; write nothing.")
@click.option(
    "--select", multiple=True, help="Rules to run: codes, prefixes or names (comma-separated)."
)
@click.option(
    "--extend-select", multiple=True, help="Rules to run in addition to the selected ones."
)
@click.option("--ignore", multiple=True, help="Rules to skip: codes, prefixes or names.")
@config_option
@click.option(
    "--format", "output_format", default=None, help="Output format: " + ", ".join(FORMATTERS) + "."
)
@click.option(
    "--output-file", type=click.Path(path_type=Path), help="Write the report to this file."
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings remain.")
@click.option(
    "--exit-non-zero-on-fix",
    is_flag=True,
    help="Exit 1 when --fix changed a file, even if no findings remain (for pre-commit).",
)
@click.option("--statistics", is_flag=True, help="Print a count per rule instead of each finding.")
@stdin_filename_option
@click.option("--check-links", is_flag=True, help="Also check links over the network.")
@click.option("--no-progress", is_flag=True, help="No progress bar for online link checks.")
def check(
    paths: tuple[Path, ...],
    fix: bool,
    unsafe_fixes: bool,
    diff: bool,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    config_path: Path | None,
    output_format: str | None,
    output_file: Path | None,
    exit_zero: bool,
    exit_non_zero_on_fix: bool,
    statistics: bool,
    stdin_filename: str | None,
    check_links: bool,
    no_progress: bool,
) -> None:
    """Lint digest reports: files, directories (their **/*.md) or `-` for stdin."""
    output_format = output_format or default_format()
    if output_format not in FORMATTERS:
        raise click.UsageError(
            f"unknown format {output_format!r}; choose from {', '.join(FORMATTERS)}"
        )
    settings = SettingsLookup(
        config_path,
        select=_split_commas(select),
        extend_select=_split_commas(extend_select),
        ignore=_split_commas(ignore),
    )
    run = _Run(
        settings,
        fix=fix,
        unsafe=unsafe_fixes,
        diff=diff,
        online=check_links,
        progress=not no_progress,
    )
    try:
        targets = list(settings.inputs(paths or (Path("."),)))
    except ConfigError as error:
        _fail(str(error))
    for target in targets:
        run.check_file(target, stdin_filename)
    report = Report(
        findings=run.findings,
        files=run.files,
        fixed=run.fixed,
        errors=run.errors,
        sources=run.sources,
    )
    # With `- --fix` the fixed text owns stdout, so the report goes to stderr (as in ruff).
    _emit(report, output_format, output_file, statistics, to_stderr=run.wrote_stdout)
    if run.errors:
        sys.exit(EXIT_ERROR)
    if run.diffs and not exit_zero:
        sys.exit(EXIT_FINDINGS)
    if exit_non_zero_on_fix and run.fixed:
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_FINDINGS if report.findings and not exit_zero else EXIT_CLEAN)


def default_format() -> str:
    if os.environ.get("GITHUB_ACTIONS") == "true" and "github" in FORMATTERS:
        return "github"
    return "text"


class _Run:
    def __init__(
        self,
        settings: SettingsLookup,
        *,
        fix: bool,
        unsafe: bool,
        diff: bool,
        online: bool,
        progress: bool,
    ) -> None:
        self.settings = settings
        self.fix, self.unsafe, self.diff, self.online = fix, unsafe, diff, online
        self.progress = progress
        self.findings: list[Finding] = []
        self.files: list[str] = []
        self.errors: list[str] = []
        self.diffs: list[str] = []
        self.sources: dict[str, str] = {}
        self.fixed = 0
        self.wrote_stdout = False

    def check_file(self, path: Path | None, stdin_filename: str | None) -> None:
        name = input_name(path, stdin_filename)
        try:
            settings = self.settings.for_path(settings_path(path, stdin_filename))
            decoded = read_input(path, name)
        except (InputError, ConfigError) as error:
            self._error(str(error))
            return
        self.files.append(name)
        self.sources[name] = decoded.text
        online = self.online or settings.config.links.online
        shared = {"progress": self.progress}
        if not (self.fix or self.diff):
            self.findings.extend(
                lint_text(decoded.text, settings, name, online=online, shared=shared)
            )
            return
        try:
            result = fix_text(decoded.text, settings, name, unsafe=self.unsafe)
        except FixError as error:
            self._error(str(error))
            return
        remaining = result.remaining
        self.sources[name] = result.text
        if online:
            remaining = lint_text(result.text, settings, name, online=True, shared=shared)
        if self.diff:
            self._diff(name, decoded.text, result.text)
            self.findings.extend(f for f in remaining if f.fix is None)
            return
        self.findings.extend(remaining)
        self.fixed += len(result.fixed)
        if path is None:
            self.wrote_stdout = True
            sys.stdout.buffer.write(decoded.encode(result.text))
            sys.stdout.flush()
        elif result.changed:
            self._write(path, decoded, result.text)

    def _write(self, path: Path, decoded: Decoded, text: str) -> None:
        try:
            write_atomic(path, decoded.encode(text))
        except OSError as error:
            self._error(f"{path}: cannot write: {error.strerror}")

    def _diff(self, name: str, before: str, after: str) -> None:
        if before == after:
            return
        text = "".join(
            difflib.unified_diff(
                before.splitlines(keepends=True),
                after.splitlines(keepends=True),
                fromfile=f"a/{name}",
                tofile=f"b/{name}",
            )
        )
        self.diffs.append(text)
        click.echo(text, nl=False)

    def _error(self, message: str) -> None:
        self.errors.append(message)
        click.echo(f"error: {message}", err=True)


def _emit(
    report: Report,
    output_format: str,
    output_file: Path | None,
    statistics: bool,
    to_stderr: bool = False,
) -> None:
    text = format_statistics(report) if statistics else FORMATTERS[output_format](report)
    if output_file is not None:
        try:
            output_file.write_text(text, encoding="utf-8")
        except OSError as error:
            _fail(f"{output_file}: cannot write: {error.strerror}")
    elif text:
        click.echo(text, nl=False, err=to_stderr)
    if output_format == "text" or statistics:
        line = summary(report)
        if line:
            click.echo(line, err=to_stderr)


@main.command("export")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--output",
    "-o",
    "output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the JSON to this file instead of stdout.",
)
@config_option
@click.option(
    "--no-validate",
    is_flag=True,
    help="Export even if the data breaks the report schema (not recommended).",
)
@stdin_filename_option
def export(
    paths: tuple[Path, ...],
    output: Path | None,
    config_path: Path | None,
    no_validate: bool,
    stdin_filename: str | None,
) -> None:
    """Print the parsed report as JSON: header (title, date, source URL with their lines)
    and papers (title, line, fields, arXiv id, sections with number, name, lines and
    Markdown body). One file gives an object; several files or a directory give an array.

    Exits 2, printing nothing, if a file cannot be read or its data does not conform
    to the report schema (each problem names the file, line and JSON path)."""
    value, problems = export_paths(
        paths, config=config_path, validate=not no_validate, stdin_filename=stdin_filename
    )
    if problems:
        for problem in problems:
            click.echo(f"error: {problem}", err=True)
        sys.exit(EXIT_ERROR)
    text = json.dumps(value, ensure_ascii=False, indent=2) + "\n"
    if output is None:
        # Bytes, so that a non-UTF-8 terminal locale cannot garble or reject the JSON.
        click.echo(text.encode("utf-8"), nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        _fail(f"{output}: cannot write: {error.strerror}")


@main.command("rule")
@click.argument("selector", required=False)
@click.option("--all", "show_all", is_flag=True, help="Every rule.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
def rule_command(selector: str | None, show_all: bool, output_format: str) -> None:
    """Show a rule's documentation: `digestlint rule DL401` or `digestlint rule stray-h1`."""
    from digestlint.docs import describe_rules, resolve

    if show_all == bool(selector):
        raise click.UsageError("give a rule code or name, or --all")
    rules = all_rules() if show_all else resolve(selector or "")
    if not rules:
        _fail(f"unknown rule {selector!r}; `digestlint rule --all` lists the rules")
    click.echo(describe_rules(rules, output_format, as_list=show_all), nl=False)


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_ERROR)
