"""The config's extra JSON Schema (``schema = "..."``): loaded, checked, and kept local.

A schema may point elsewhere with ``$ref``. jsonschema would fetch an ``http`` reference
over the network, through any proxy, with no timeout and outside the link checker's
address guard: a plain offline lint must never do that. Here references resolve only
to files in the schema's own directory or below it, read with the same limits as the
schema (a regular file of at most 10 MB). Every reference is resolved when the config
is loaded, so a reference that leaves that directory, or names a file that does not
exist, is a config error naming the ``$ref``, not a surprise in the middle of a lint.
The retrieval function refuses anything else even if a reference slipped past that
check, and the validator only ever sees this registry.

Patterns in the schema run with RE2 (:mod:`digestlint.patterns`), like every pattern
a config supplies.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from jsonschema_specifications import REGISTRY as SPECIFICATIONS
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource, Unresolvable
from referencing.jsonschema import DRAFT202012

from digestlint.files import InputError, read_small_file
from digestlint.patterns import PatternError, check_schema_patterns


class SchemaFileError(ValueError):
    """A schema (or a file it references) that cannot be used; the message says why."""


class LocalSchema(dict[str, Any]):
    """A JSON Schema (as a dict) with the registry its ``$ref`` resolve in: its own file
    and the files it references below its directory, nothing else."""

    registry: Registry[Any]
    base_uri: str
    path: Path
    documents: dict[str, Any]
    """The files its references bring in, by URI (what they hold, for the cache key)."""

    def __reduce__(self) -> tuple[Any, tuple[Path]]:
        # A registry holds closures, which do not pickle: a worker process that starts
        # by unpickling (not by forking) loads the schema again from its file.
        return load_local_schema, (self.path,)


def load_local_schema(path: Path) -> LocalSchema:
    """The schema at ``path`` with its references resolved; :class:`SchemaFileError`."""
    path = path.resolve()
    root = path.parent
    contents = _read_json(path)
    if not isinstance(contents, dict):
        raise SchemaFileError(f"{path}: a JSON Schema must be an object")
    # Relative references resolve against the file itself unless the schema names
    # another base with `$id` (a web address, whose references are then refused); the
    # validator finds the base in `$id`, so the file's own URI is written there.
    contents = {"$id": path.as_uri(), **contents}
    schema = LocalSchema(contents)
    schema.base_uri = contents["$id"]
    schema.path = path
    schema.documents = {}

    def retrieve(uri: str) -> Resource[Any]:
        target = _local_file(uri, root)
        if target is None:
            raise NoSuchResource(ref=uri)
        return Resource.from_contents(_read_json(target), default_specification=DRAFT202012)

    resource = Resource.from_contents(contents, default_specification=DRAFT202012)
    schema.registry = Registry(retrieve=retrieve).with_resource(schema.base_uri, resource)  # type: ignore[call-arg]
    schema.registry = _resolve_all(schema, root)
    try:
        check_schema_patterns(contents)
    except PatternError as error:
        raise SchemaFileError(f"{path}: pattern at {error}") from None
    return schema


def _read_json(path: Path) -> Any:
    try:
        return json.loads(read_small_file(path))
    except InputError as error:
        raise SchemaFileError(str(error)) from None
    except json.JSONDecodeError as error:
        raise SchemaFileError(f"{path}: not a readable JSON Schema: {error}") from None
    except RecursionError:
        raise SchemaFileError(f"{path}: not a readable JSON Schema: nested too deeply") from None


def _local_file(uri: str, root: Path) -> Path | None:
    """The file a ``file:`` URI names, if it lies in ``root`` or below; else ``None``."""
    parts = urlsplit(urldefrag(uri).url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    target = Path(unquote(parts.path)).resolve()
    return target if target.is_relative_to(root) and target.is_file() else None


def _resolve_all(schema: LocalSchema, root: Path) -> Registry[Any]:
    """Resolve every ``$ref`` of the schema and of the files it brings in, now, so that
    a bad one is reported naming it; the registry returned holds every file needed."""
    registry = schema.registry
    pending: list[tuple[str, Any]] = [(schema.base_uri, dict(schema))]
    while pending:
        base, document = pending.pop()
        for reference in _references(document):
            uri = urldefrag(urljoin(base, reference)).url
            if uri and uri not in registry and uri not in SPECIFICATIONS:
                target = _local_file(uri, root)
                if target is None:
                    raise SchemaFileError(
                        f"{_shown(base)}: $ref {reference!r} is refused: references may "
                        f"only name files in {root} or below"
                    )
                contents = _read_json(target)
                schema.documents[uri] = contents
                resource = Resource.from_contents(contents, default_specification=DRAFT202012)
                registry = registry.with_resource(uri, resource)
                pending.append((uri, contents))
            try:
                SPECIFICATIONS.combine(registry).resolver(base_uri=base).lookup(reference)
            except Unresolvable as error:
                raise SchemaFileError(
                    f"{_shown(base)}: $ref {reference!r} is not resolved: {error}"
                ) from None
    return registry


def _shown(uri: str) -> str:
    """A schema document's URI as a reader knows it: a path for a local file."""
    parts = urlsplit(uri)
    return unquote(parts.path) if parts.scheme == "file" else uri


def _references(document: Any) -> list[str]:
    """Every ``$ref`` and ``$dynamicRef`` string in ``document``."""
    found: list[str] = []
    if isinstance(document, dict):
        for key, value in document.items():
            if key in ("$ref", "$dynamicRef") and isinstance(value, str):
                found.append(value)
            else:
                found.extend(_references(value))
    elif isinstance(document, list):
        for item in document:
            found.extend(_references(item))
    return found
