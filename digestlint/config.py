"""Configuration: ``[tool.digestlint]`` in ``pyproject.toml`` or a ``.digestlint.toml``.

The nearest file found upward from a path wins. Every key is validated by pydantic;
unknown keys are rejected with the file and the key named.
"""

from __future__ import annotations

import difflib
import fnmatch
import functools
import ipaddress
import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from digestlint.extend import Inherited, inherit, rebased, spelled
from digestlint.files import InputError, expand_paths, read_small_file
from digestlint.findings import Severity
from digestlint.profile import BUILTIN_PROFILES, DEFAULT_PROFILE, Profile, valid_regex
from digestlint.registry import Rule, all_rules, find_rule, matches

CONFIG_FILES = (".digestlint.toml", "pyproject.toml")
DEFAULT_INCLUDE = ("*.md", "*.markdown")


class ConfigError(Exception):
    """A configuration problem, with the file and key it is about in the message."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class LinksConfig(_Strict):
    """``[tool.digestlint.links]``: the online link checker (off unless asked for).

    Times are in seconds. See :mod:`digestlint.linkcheck`."""

    online: bool = Field(
        default=False, description="Check links over the network (as `--check-links` does)."
    )
    concurrency: int = Field(default=32, ge=1, description="Requests in flight at most.")
    per_host_concurrency: int = Field(
        default=8, ge=1, alias="per-host-concurrency", description="Requests per host at most."
    )
    timeout: float = Field(default=20.0, gt=0, description="Limit for one request, in seconds.")
    max_redirects: int = Field(default=10, ge=0, alias="max-redirects")
    retries: int = Field(
        default=2, ge=0, description="Retries after a network error, 429, 502, 503 or 504."
    )
    backoff: float = Field(
        default=0.5, ge=0, description="First retry delay; each further retry doubles it."
    )
    max_retry_after: float = Field(
        default=30.0,
        ge=0,
        alias="max-retry-after",
        description="Longest `Retry-After` honoured; a longer one ends the retries.",
    )
    accept: list[int | str] = Field(
        default_factory=lambda: ["200-299"],
        description="Status codes of a live link: codes and `first-last` ranges.",
    )
    cache: bool = Field(default=True, description="Keep results between runs.")
    cache_dir: str | None = Field(
        default=None,
        alias="cache-dir",
        description="Where results are kept (relative to the config file); default: the "
        "user cache directory.",
    )
    cache_max_age: float = Field(
        default=86400.0, ge=0, alias="cache-max-age", description="How long a live result holds."
    )
    cache_failure_max_age: float = Field(
        default=600.0,
        ge=0,
        alias="cache-failure-max-age",
        description="How long a dead link or an error holds.",
    )
    remap: list[tuple[str, str]] = Field(
        default_factory=list,
        description="`[regex, replacement]` pairs applied to each URL before it is checked "
        "(the first that matches); e.g. a mirror or a local server.",
    )
    exclude: list[str] = Field(
        default_factory=list, description="Regular expressions of URLs not to check."
    )
    allow_hosts: list[str] = Field(
        default_factory=list,
        alias="allow-hosts",
        description="Hosts (globs) checked even when they resolve to loopback or private "
        "addresses (refused otherwise); link-local and cloud metadata addresses only when "
        "listed by address. Only the root config's entries count (docs/links.md).",
    )
    max_bytes: int = Field(
        default=65536, ge=0, alias="max-bytes", description="Bytes read of a response body."
    )
    user_agent: str | None = Field(
        default=None, alias="user-agent", description="User-Agent header; default digestlint's."
    )

    @field_validator("remap", "exclude")
    @classmethod
    def _patterns_compile(cls, value: Any) -> Any:
        for item in value:
            valid_regex(item[0] if isinstance(item, tuple) else item)
        return value

    @field_validator("accept")
    @classmethod
    def _statuses_parse(cls, value: list[int | str]) -> list[int | str]:
        for item in value:
            if isinstance(item, str) and re.fullmatch(r"\d{3}(-\d{3})?", item.strip()) is None:
                raise ValueError(f"{item!r} is neither a status code nor a range `first-last`")
        return value

    def accepted_statuses(self) -> frozenset[int]:
        statuses: set[int] = set()
        for item in self.accept:
            if isinstance(item, int):
                statuses.add(item)
                continue
            first, _, last = item.strip().partition("-")
            statuses.update(range(int(first), int(last or first) + 1))
        return frozenset(statuses)


class FillerConfig(_Strict):
    """``[tool.digestlint.filler]``: phrases added to the profile's (docs/rules.md,
    DL631 placeholder-only and DL633 assistant-chatter)."""

    placeholders: list[str] = Field(
        default_factory=list,
        description="More texts that are filler as a section's or field's whole content.",
    )
    chatter: list[str] = Field(
        default_factory=list,
        description="More assistant phrases that do not belong in a report (`…` stands "
        "for a few words within one clause).",
    )


class ArchiveConfig(_Strict):
    """``[tool.digestlint.archive]``: checks across the reports of one run (docs/source.md)."""

    allow_repeats_after_days: int | None = Field(
        default=None,
        ge=0,
        alias="allow-repeats-after-days",
        description="A paper may come back in a report more than this many days after "
        "an earlier report listed it; default: every repeat is reported.",
    )


class SourceConfig(_Strict):
    """``[tool.digestlint.source]``: the check of reports against their source
    (``--check-source``, docs/source.md). Requests go through ``[links]``'s settings."""

    online: bool = Field(
        default=False,
        description="Check every report against its source (as `--check-source` does). "
        "Only the root config turns it on.",
    )
    coverage: bool = Field(
        default=False, description="Also report the day's papers missing from the report."
    )
    title_similarity: float = Field(
        default=0.9,
        ge=0,
        le=1,
        alias="title-similarity",
        description="How alike (difflib's ratio of the normalised titles, 0 to 1) a "
        "report's title and the source's must be to count as the same title.",
    )
    cache_max_age: float = Field(
        default=30 * 86400.0,
        ge=0,
        alias="cache-max-age",
        description="How long a past day's list is kept, in seconds (it does not change).",
    )
    cache_today_max_age: float = Field(
        default=600.0,
        ge=0,
        alias="cache-today-max-age",
        description="How long the list of today (UTC) or a later day is kept, in seconds.",
    )


class Config(_Strict):
    """``[tool.digestlint]``."""

    extend: str | None = Field(
        default=None,
        description="A config file (a pyproject.toml with [tool.digestlint], or a "
        ".digestlint.toml) whose settings this one inherits, relative to this file; the "
        "keys set here replace the inherited ones (`rules` and `links` merge key by key).",
    )

    profile: str | dict[str, Any] = Field(
        default=DEFAULT_PROFILE,
        description="A built-in profile name, a path to a profile file (TOML or JSON), "
        "or an inline profile table.",
    )
    schema_: str | None = Field(
        default=None,
        alias="schema",
        description="A JSON Schema file with extra constraints on the extracted report.",
    )
    select: list[str] | None = Field(
        default=None, description="Rules to run (codes, code prefixes or names); default: all."
    )
    extend_select: list[str] = Field(default_factory=list, alias="extend-select")
    ignore: list[str] = Field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = Field(
        default_factory=dict,
        alias="per-file-ignores",
        description="Glob (relative to the config file) to rules ignored in matching files.",
    )
    exclude: list[str] = Field(
        default_factory=list, description="Globs of files skipped when walking directories."
    )
    include: list[str] = Field(
        default_factory=lambda: list(DEFAULT_INCLUDE),
        description="Globs of the files a directory walk lints, relative to the config "
        "file (a glob without `/` matches a file name in any directory), in any case.",
    )
    extend_include: list[str] = Field(
        default_factory=list,
        alias="extend-include",
        description="Globs linted as well as `include`'s (e.g. `*.mdx`).",
    )
    rules: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="Per-rule tables keyed by code or name: `severity` and the rule's options.",
    )
    links: LinksConfig = Field(default_factory=LinksConfig)
    source: SourceConfig = Field(default_factory=SourceConfig)
    archive: ArchiveConfig = Field(default_factory=ArchiveConfig)
    filler: FillerConfig = Field(default_factory=FillerConfig)
    fail_level: Severity = Field(
        default=Severity.INFO,
        alias="fail-level",
        description="The lowest severity that makes a run exit 1 (`--fail-level`): info "
        "(any finding), warning or error. Only the run's root config sets it.",
    )


class Settings:
    """A validated configuration resolved against the rule registry: what a lint run uses."""

    def __init__(
        self,
        config: Config | None = None,
        *,
        root: Path | None = None,
        source: str = "<defaults>",
        bases: dict[str, Path] | None = None,
        extends: list[Path] | None = None,
    ) -> None:
        self.config = config or Config()
        self.root = root or Path.cwd()
        self.source = source
        self.bases = bases or {}
        """The directory the globs of an inherited key are relative to (``extend``)."""
        self.extends = extends or []
        """The config files this one inherits from, nearest first."""
        self.profile = load_profile(self.config.profile, self.root, source)
        self.extra_schema = load_schema_file(self.config.schema_, self.root, source)
        self.rules = all_rules()
        self.options: dict[str, BaseModel] = {}
        self.severities: dict[str, Severity] = {}
        self._resolve_rule_tables()
        self._check_selectors()
        self.enabled = {r.code for r in self.rules if self._is_enabled(r)}

    def _is_enabled(self, rule_: Rule) -> bool:
        """Selected (every rule when ``select`` is not given) or extended, and not ignored."""
        config = self.config
        selected = config.select is None or _any_matches(rule_, config.select)
        extended = _any_matches(rule_, config.extend_select)
        return (selected or extended) and not _any_matches(rule_, config.ignore)

    def _check_selectors(self) -> None:
        groups = {
            "select": self.config.select or [],
            "extend-select": self.config.extend_select,
            "ignore": self.config.ignore,
            **{f"per-file-ignores.{k}": v for k, v in self.config.per_file_ignores.items()},
        }
        for key, selectors in groups.items():
            for selector in selectors:
                if not any(matches(r, selector) for r in self.rules):
                    raise ConfigError(f"{self.source}: {key}: no rule matches {selector!r}")

    def _resolve_rule_tables(self) -> None:
        for r in self.rules:
            self.options[r.code] = r.options()
            self.severities[r.code] = r.severity
        for key, table in self.config.rules.items():
            found = find_rule(key)
            if found is None:
                raise ConfigError(f"{self.source}: rules.{key}: no such rule")
            table = _underscored(table, f"{self.source}: rules.{key}")
            severity = table.pop("severity", None)
            if severity is not None:
                try:
                    self.severities[found.code] = Severity(severity)
                except ValueError:
                    raise ConfigError(
                        f"{self.source}: rules.{key}.severity: {severity!r} is not one of "
                        + ", ".join(s.value for s in Severity)
                    ) from None
            try:
                self.options[found.code] = found.options.model_validate(table)
            except ValidationError as error:
                raise ConfigError(
                    _describe(error, self.source, f"rules.{key}", found.options, ("severity",))
                ) from None

    def with_overrides(
        self,
        select: list[str] | None = None,
        extend_select: list[str] | None = None,
        ignore: list[str] | None = None,
    ) -> Settings:
        """These settings with command-line ``--select``/``--ignore`` applied on top."""
        data = self.config.model_dump(by_alias=True)
        if select:
            data["select"] = select
        if extend_select:
            data["extend-select"] = data["extend-select"] + extend_select
        if ignore:
            data["ignore"] = data["ignore"] + ignore
        return Settings(
            Config.model_validate(data),
            root=self.root,
            source=self.source,
            bases=self.bases,
            extends=self.extends,
        )

    def base(self, key: str) -> Path:
        """The directory the globs of ``key`` (``exclude``, ``include``, ...) are
        relative to: the config file's, or that of the file it inherited them from."""
        return self.bases.get(key, self.root)

    def can_run(self, rule_: Rule, *, online: bool) -> bool:
        """Whether ``rule_`` can run here: structural rules need a profile with a fixed
        layout, online rules need ``online``."""
        return (self.profile.structure or not rule_.structural) and (online or not rule_.online)

    def enabled_for(self, path: str | None) -> set[str]:
        """Codes enabled for ``path``, per-file ignores applied."""
        ignores = self.per_file_ignores_for(path)
        if not ignores:
            return self.enabled
        ignored = {
            r.code
            for selectors in ignores.values()
            for r in self.rules
            if _any_matches(r, selectors)
        }
        return self.enabled - ignored

    def per_file_ignores_for(self, path: str | None) -> dict[str, list[str]]:
        """The ``per-file-ignores`` entries whose glob matches ``path``."""
        if not path or not self.config.per_file_ignores:
            return {}
        relative = _relative(path, self.base("per-file-ignores"))
        return {
            pattern: selectors
            for pattern, selectors in self.config.per_file_ignores.items()
            if _glob_match(relative, pattern)
        }

    def is_excluded(self, path: Path) -> bool:
        if not self.config.exclude:
            return False  # without resolving the path (a walk asks for every file)
        relative = _relative(str(path), self.base("exclude"))
        return any(_glob_match(relative, pattern) for pattern in self.config.exclude)

    def is_included(self, path: Path) -> bool:
        """Whether a directory walk lints ``path``: it matches ``include`` or
        ``extend-include``, in any case (``REPORT.MD`` is a report)."""
        for key, patterns in (
            ("include", self.config.include),
            ("extend-include", self.config.extend_include),
        ):
            if not patterns:
                continue
            # The path resolved once per key, not once per pattern.
            relative = _relative(str(path), self.base(key)).lower()
            if any(_glob_match(relative, pattern.lower()) for pattern in patterns):
                return True
        return False


def restrict_links(
    nested: LinksConfig, root: Settings, source: str
) -> tuple[LinksConfig, list[str]]:
    """``nested``'s link settings with the network permissions of the root settings
    ``root``: ``allow-hosts``, ``remap``, ``online``, the cache and the concurrency
    limits may only be narrowed, ``exclude`` only extended. Also the notes (warnings)
    for what ``nested`` asked for and did not get."""
    top = root.config.links
    asked = nested.model_fields_set
    notes: list[str] = []
    allow = top.allow_hosts
    if "allow_hosts" in asked:
        allow = [entry for entry in nested.allow_hosts if _covered(entry, top.allow_hosts)]
        dropped = [entry for entry in nested.allow_hosts if entry not in allow]
        if dropped:
            notes.append(f"{source}: links.allow-hosts: {dropped} not allowed by the root config")
    remap = top.remap
    if "remap" in asked:
        remap = [pair for pair in nested.remap if pair in top.remap]
        if len(remap) < len(nested.remap):
            notes.append(f"{source}: links.remap: only the root config's remaps apply")
    online = top.online and (nested.online if "online" in asked else True)
    if nested.online and not online:
        notes.append(f"{source}: links.online: not turned on by the root config")
    if "cache_dir" in asked and nested.cache_dir != top.cache_dir:
        notes.append(f"{source}: links.cache-dir: the root config's cache is used")
    cache_dir = str(root.root / Path(top.cache_dir).expanduser()) if top.cache_dir else None
    restricted = nested.model_copy(
        update={
            "allow_hosts": allow,
            "remap": remap,
            "online": online,
            "cache_dir": cache_dir,
            "concurrency": min(nested.concurrency, top.concurrency),
            "per_host_concurrency": min(nested.per_host_concurrency, top.per_host_concurrency),
            "exclude": list(dict.fromkeys([*top.exclude, *nested.exclude])),
        }
    )
    return restricted, notes


def restrict_source(nested: Config, root: Config, source: str) -> tuple[Config, list[str]]:
    """``nested`` with the root's ``source.online``: a network permission, which only
    the root config grants (as ``links.online``). Also the note when it asked for more."""
    online = root.source.online and (
        nested.source.online if "online" in nested.source.model_fields_set else True
    )
    notes = []
    if nested.source.online and not online:
        notes.append(f"{source}: source.online: not turned on by the root config")
    narrowed = nested.source.model_copy(update={"online": online})
    return nested.model_copy(update={"source": narrowed}), notes


def _root_only_notes(nested: Config, root: Config, source: str) -> list[str]:
    """Warnings for the keys only the root config sets that ``nested`` sets otherwise."""
    if "fail_level" in nested.model_fields_set and nested.fail_level != root.fail_level:
        return [
            f"{source}: fail-level: only the root config's applies "
            f"({root.fail_level.value}); use --fail-level to change it for a run"
        ]
    return []


def _covered(entry: str, allowed: list[str]) -> bool:
    """Whether the root's ``allowed`` already lets ``entry`` through: an address by the
    same address (a pattern never allows link-local or metadata addresses), a host
    pattern by a pattern that matches it."""
    entry = entry.lower().strip("[]")
    roots = [item.lower().strip("[]") for item in allowed]
    try:
        address = ipaddress.ip_address(entry)
    except ValueError:
        return any(fnmatch.fnmatchcase(entry, pattern) for pattern in roots)
    if any(_same_address(address, item) for item in roots):
        return True
    by_pattern = any(fnmatch.fnmatchcase(entry, p) for p in roots if not _is_address(p))
    return by_pattern and not _never_by_pattern(address)


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _same_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address, text: str) -> bool:
    return _is_address(text) and ipaddress.ip_address(text) == address


def _never_by_pattern(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    from digestlint.linkcheck import never_allowed_by_pattern

    return never_allowed_by_pattern(str(address))


def _any_matches(rule_: Rule, selectors: list[str]) -> bool:
    return any(matches(rule_, selector) for selector in selectors)


def _relative(path: str, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(_resolved(root)).as_posix()
    except ValueError:
        return Path(path).as_posix()


def _resolved(root: Path) -> Path:
    """``root`` resolved: the few roots of a run are asked for once per file; an
    absolute one resolves the same each time (a relative one depends on the working
    directory)."""
    return _resolved_absolute(root) if root.is_absolute() else root.resolve()


@functools.lru_cache(maxsize=64)
def _resolved_absolute(root: Path) -> Path:
    return root.resolve()


def _glob_match(relative: str, pattern: str) -> bool:
    pure = PurePosixPath(relative)
    if pure.match(pattern) or fnmatch.fnmatch(relative, pattern):
        return True
    # A pattern naming a directory covers everything under it.
    return any(fnmatch.fnmatch(str(parent), pattern.rstrip("/")) for parent in pure.parents)


def _underscored(table: dict[str, Any], where: str) -> dict[str, Any]:
    """A rule's table with ``max-age-months`` spelled ``max_age_months``: option keys
    may be written either way, as the top-level and ``[links]`` keys may."""
    result: dict[str, Any] = {}
    for key, value in table.items():
        name = key.replace("-", "_")
        if name in result:
            raise ConfigError(f"{where}: `{key}` is given twice (with `-` and with `_`)")
        result[name] = value
    return result


def _describe(
    error: ValidationError,
    source: str,
    prefix: str,
    model: type[BaseModel] | None = None,
    extra_keys: tuple[str, ...] = (),
) -> str:
    problems: list[str] = []
    for item in error.errors():
        # Union members show up in the location as type tags such as `literal[...]`.
        parts = [str(p) for p in item["loc"] if "[" not in str(p)]
        location = ".".join(parts)
        key = f"{prefix}.{location}" if prefix and location else prefix or location
        if item["type"] == "extra_forbidden":
            problem = f"{source}: {key}: unknown key"
            known = _known_keys(model, item["loc"][:-1], extra_keys) if model else []
            hint = _closest(str(item["loc"][-1]), known)
            if hint:
                problem += f"; did you mean `{hint}`?"
        else:
            problem = f"{source}: {key}: {item['msg']}"
        if problem not in problems:
            problems.append(problem)
    return "\n".join(problems)


def _known_keys(
    model: type[BaseModel], path: tuple[Any, ...], extra_keys: tuple[str, ...] = ()
) -> list[str]:
    """The keys the table at ``path`` inside ``model`` accepts (each field's alias, as
    the documentation spells it, else its name)."""
    for step in path:
        field = next(
            (f for name, f in model.model_fields.items() if step in (name, f.alias)), None
        )
        annotation = field.annotation if field else None
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return []
        model = annotation
    keys = [field.alias or name for name, field in model.model_fields.items()]
    return keys + list(extra_keys) if not path else keys


def _closest(key: str, known: list[str]) -> str | None:
    """The known key ``key`` most likely stands for, ignoring ``-``/``_`` spelling."""
    by_spelling = {k.replace("-", "_").lower(): k for k in known}
    found = difflib.get_close_matches(key.replace("-", "_").lower(), list(by_spelling), n=1)
    return by_spelling[found[0]] if found else None


def load_profile(value: str | dict[str, Any], root: Path, source: str) -> Profile:
    if isinstance(value, dict):
        try:
            return Profile.model_validate({"name": "inline", **value})
        except ValidationError as error:
            raise ConfigError(_describe(error, source, "profile", Profile)) from None
    if value in BUILTIN_PROFILES:
        return BUILTIN_PROFILES[value]
    path = (root / value).expanduser()
    if not path.exists():
        names = ", ".join(sorted(BUILTIN_PROFILES))
        raise ConfigError(
            f"{source}: profile: {value!r} is neither a built-in profile ({names}) nor a file"
        )
    data = _read_table(path)
    try:
        return Profile.model_validate({"name": path.stem, **data})
    except ValidationError as error:
        raise ConfigError(_describe(error, str(path), "", Profile)) from None
    except RecursionError:
        raise ConfigError(f"{path}: nested too deeply") from None


def load_schema_file(value: str | None, root: Path, source: str) -> dict[str, Any] | None:
    if value is None:
        return None
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    from digestlint.schemafile import SchemaFileError, load_local_schema

    path = (root / value).expanduser()
    if not path.exists():
        raise ConfigError(f"{source}: schema: {path} does not exist")
    try:
        Draft202012Validator.check_schema(json.loads(_read_text(path)))
        schema = load_local_schema(path)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ConfigError(f"{path}: not a readable JSON Schema: {error}") from None
    except RecursionError:
        raise ConfigError(f"{path}: not a readable JSON Schema: nested too deeply") from None
    except SchemaFileError as error:
        raise ConfigError(str(error)) from None
    except SchemaError as error:
        where = "/".join(str(p) for p in error.absolute_path) or "(root)"
        raise ConfigError(f"{path}: invalid JSON Schema at {where}: {error.message}") from None
    return schema


def _read_text(path: Path) -> str:
    try:
        return read_small_file(path)
    except InputError as error:
        raise ConfigError(str(error)) from None


def _read_table(path: Path) -> dict[str, Any]:
    import tomllib

    raw = _read_text(path)
    kind = "JSON" if path.suffix == ".json" else "TOML"
    try:
        data = json.loads(raw) if path.suffix == ".json" else tomllib.loads(raw)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as error:
        raise ConfigError(f"{path}: invalid {kind}: {error}") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid {kind}: nested too deeply") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a table at the top level")
    return data


def find_config_file(start: Path, known: dict[Path, Path | None] | None = None) -> Path | None:
    """The nearest ``.digestlint.toml``, or ``pyproject.toml`` with ``[tool.digestlint]``.

    ``known``: the answers for directories already looked at (each directory's answer
    is its own, whatever directory the search started from), filled in as it goes; a
    run over many directories of one tree looks at each directory once."""
    directory = start if start.is_dir() else start.parent
    directory = directory.resolve()
    known = {} if known is None else known
    passed: list[Path] = []
    found: Path | None = None
    for folder in (directory, *directory.parents):
        if folder in known:
            found = known[folder]
            break
        passed.append(folder)
        found = _config_file_in(folder)
        if found is not None:
            break
    for folder in passed:
        known[folder] = found
    return found


def _config_file_in(folder: Path) -> Path | None:
    for name in CONFIG_FILES:
        candidate = folder / name
        if not candidate.is_file():
            continue
        if name == "pyproject.toml":
            data = _read_table(candidate)
            if "digestlint" not in data.get("tool", {}):
                continue
        return candidate
    return None


def load_settings(path: Path | None) -> Settings:
    """Settings from a config file (``None``: the built-in defaults), with the settings
    of the files it extends (:mod:`digestlint.extend`)."""
    if path is None:
        return Settings()
    inherited = _load_inherited(path, [])
    config = _validated(inherited.table, path)
    return Settings(
        config,
        root=path.parent,
        source=str(path),
        bases=inherited.bases,
        extends=inherited.files[1:],
    )


def _load_inherited(path: Path, chain: list[Path]) -> Inherited:
    """``path``'s table with those it extends folded in; ``chain``: the files that led
    here, each extending the next."""
    if path.resolve() in [link.resolve() for link in chain]:
        cycle = " -> ".join(str(link) for link in [*chain, path])
        raise ConfigError(f"{chain[-1]}: extend: a cycle: {cycle}")
    try:
        own = spelled(_config_table(path))
    except ValueError as error:
        raise ConfigError(f"{path}: {error}") from None
    _validated(own, path)  # its own mistakes are named with its own file
    if own.get("extend") is None:
        return Inherited(own, {}, [path])
    target = Path(os.path.normpath(path.parent / Path(own["extend"]).expanduser()))
    if not target.is_file():
        raise ConfigError(f"{path}: extend: {target} is not a file")
    base = _load_inherited(target, [*chain, path])
    base.table = rebased(base.table, target.parent)
    return Inherited(inherit(own, base), base.bases, [path, *base.files])


def _config_table(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise ConfigError(f"{path}: config file does not exist")
    data = _read_table(path)
    if path.name == "pyproject.toml" or "tool" in data:
        tool = data.get("tool", {})
        if not isinstance(tool, dict) or "digestlint" not in tool:
            # Named on purpose (``--config``): defaults applied in silence would hide a typo.
            raise ConfigError(f"{path}: has no [tool.digestlint] table")
        data = tool["digestlint"]
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: [tool.digestlint] is not a table")
    return data


def _validated(table: dict[str, Any], path: Path) -> Config:
    try:
        return Config.model_validate(table)
    except ValidationError as error:
        prefix = "tool.digestlint" if path.name == "pyproject.toml" else ""
        raise ConfigError(_describe(error, str(path), prefix, Config)) from None
    except RecursionError:
        raise ConfigError(f"{path}: nested too deeply") from None


class SettingsLookup:
    """The settings of each file: those of ``explicit`` (``--config``), or of the nearest
    config file above the file; each config file is loaded once. ``select``,
    ``extend_select`` and ``ignore`` (the command line's) apply on top of every file's.

    Network permissions come from the run's root configuration only (``explicit``, else
    the config found upward from the working directory): a config nearer a file may
    narrow them, never widen them (see :func:`restrict_links` and docs/links.md)."""

    def __init__(
        self,
        explicit: Path | None = None,
        *,
        select: list[str] | None = None,
        extend_select: list[str] | None = None,
        ignore: list[str] | None = None,
        force_exclude: bool = False,
    ) -> None:
        self.explicit = explicit
        self.force_exclude = force_exclude
        self.overrides = (select or None, extend_select or None, ignore or None)
        self.loaded: dict[Path | None, Settings] = {}
        self.notes: list[str] = []
        """Network permissions a nested config asked for and did not get (warnings)."""
        self._root: tuple[Path | None, Settings | ConfigError] | None = None
        self._config_files: dict[Path, Path | None] = {}
        """Each directory's nearest config file, as :func:`find_config_file` found it."""

    def fail_level(self) -> Severity:
        """The root configuration's ``fail-level`` (``info`` without one, or when it is
        broken: its files report the error)."""
        _, root = self.root()
        return root.config.fail_level if isinstance(root, Settings) else Severity.INFO

    def config_file(self, path: Path | None) -> Path | None:
        """The config file whose settings apply to ``path`` (``None``: the defaults)."""
        return self.explicit or find_config_file(path or Path.cwd(), self._config_files)

    def root(self) -> tuple[Path | None, Settings | ConfigError]:
        """The root configuration's path (``None``: none, the defaults) and settings, or
        the error that loading it raised."""
        if self._root is None:
            path = self.explicit or find_config_file(Path.cwd())
            try:
                self._root = (path, load_settings(path))
            except ConfigError as error:
                self._root = (path, error)
        return self._root

    def for_path(self, path: Path | None) -> Settings:
        """The settings for ``path``; ``None`` (stdin without a name) looks from the
        working directory."""
        config = self.config_file(path)
        if config not in self.loaded:
            root_path, root = self.root()
            if isinstance(root, ConfigError):
                if config == root_path:
                    raise root
                # A broken root config grants nothing; its own files report the error.
                root = Settings()
            settings = root if config == root_path else load_settings(config)
            if config != root_path:
                links, notes = restrict_links(settings.config.links, root, str(config))
                settings.config = settings.config.model_copy(update={"links": links})
                self.notes.extend(notes)
                settings.config, notes = restrict_source(settings.config, root.config, str(config))
                self.notes.extend(notes)
                self.notes.extend(_root_only_notes(settings.config, root.config, str(config)))
            if any(self.overrides):
                settings = settings.with_overrides(*self.overrides)
            self.loaded[config] = settings
        return self.loaded[config]

    def inputs(self, paths: Iterable[Path]) -> Iterator[Path | None]:
        """The files named by ``paths``, in order: ``-`` is ``None`` (stdin), a directory
        is walked for reports, skipping what its config excludes. A file named outright
        is linted even if excluded, unless ``force_exclude`` (pre-commit names every
        Markdown file it sees, ``README.md`` included)."""
        for path in paths:
            if str(path) == "-":
                yield None
            elif path.is_dir():
                settings = self.for_path(path)
                if not settings.is_excluded(path):
                    yield from expand_paths([path], settings.is_excluded, settings.is_included)
                elif not self.force_exclude:
                    # An excluded directory named outright is walked as asked (as ruff
                    # does); `exclude` keeps it out of walks that start above it.
                    yield from expand_paths([path], lambda _found: False, settings.is_included)
            elif not (self.force_exclude and self.for_path(path).is_excluded(path)):
                yield path
