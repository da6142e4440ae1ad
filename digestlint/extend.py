"""``extend``: a config file that inherits the settings of another, as in ruff.

``extend = "../pyproject.toml"`` in a ``.digestlint.toml`` loads that file's
``[tool.digestlint]`` first; every key this file sets replaces the inherited one, except
the tables ``rules`` (merged rule by rule), ``links``, ``source``, ``archive`` and
``filler`` (merged key by key). Paths keep
the meaning they have in the file that wrote them: an inherited ``profile``, ``schema``
or ``links.cache-dir`` is relative to the inherited file, and so are its globs
(``exclude``, ``include``, ``extend-include``, ``per-file-ignores``).

Network permissions are not inherited past the root: a config that is not the run's root
config is narrowed to the root's permissions whatever it extends (see
:func:`digestlint.config.restrict_links`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digestlint.profile import BUILTIN_PROFILES

GLOB_KEYS = ("exclude", "include", "extend-include", "per-file-ignores")
"""Keys whose globs are relative to the directory of the file that sets them."""
MERGED_TABLES = ("rules", "links", "source", "archive", "filler")


@dataclass
class Inherited:
    """A config table with what it extends folded in."""

    table: dict[str, Any]
    bases: dict[str, Path] = field(default_factory=dict)
    """The directory each key of :data:`GLOB_KEYS` is relative to, when not the config's own."""
    files: list[Path] = field(default_factory=list)
    """The files it was made from: the config itself, then each one it extends."""


def spelled(table: dict[str, Any]) -> dict[str, Any]:
    """``table`` with its top-level and ``links`` keys spelled with dashes, so that an
    inherited ``extend_select`` and an own ``extend-select`` are one key. Raises
    :class:`ValueError` for a key given both ways."""
    result = _dashed(table, "")
    for name in ("links", "source", "archive", "filler"):
        if isinstance(result.get(name), dict):
            result[name] = _dashed(result[name], f"{name}.")
    return result


def _dashed(table: dict[str, Any], prefix: str) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in table.items():
        name = key.replace("_", "-")
        if name in result:
            raise ValueError(f"{prefix}{name}: given twice (with `-` and with `_`)")
        result[name] = value
    return result


def rebased(table: dict[str, Any], directory: Path) -> dict[str, Any]:
    """``table`` (of a file in ``directory``) with its relative paths made absolute, so
    that they keep their meaning in the file that inherits them."""
    result = dict(table)
    profile = result.get("profile")
    if isinstance(profile, str) and profile not in BUILTIN_PROFILES:
        result["profile"] = _absolute(profile, directory)
    if isinstance(result.get("schema"), str):
        result["schema"] = _absolute(result["schema"], directory)
    links = result.get("links")
    if isinstance(links, dict) and isinstance(links.get("cache-dir"), str):
        result["links"] = {**links, "cache-dir": _absolute(links["cache-dir"], directory)}
    return result


def _absolute(value: str, directory: Path) -> str:
    return str(directory / Path(value).expanduser())


def inherit(own: dict[str, Any], base: Inherited) -> dict[str, Any]:
    """``own`` (a file's table) over ``base``'s; ``base.bases`` gains
    the directories of the glob keys ``own`` does not set."""
    merged = {**{key: value for key, value in base.table.items() if key != "extend"}, **own}
    for name in MERGED_TABLES:
        inherited, mine = base.table.get(name), own.get(name)
        if isinstance(inherited, dict) and isinstance(mine, dict):
            merged[name] = {**inherited, **mine}
    for key in GLOB_KEYS:
        if key in own:
            base.bases.pop(key, None)
        elif key in base.table:
            base.bases.setdefault(key, base.files[0].parent)
    return merged
