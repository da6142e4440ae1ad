"""A schema's ``$ref`` resolves only to local files below the schema: an offline lint
sends nothing anywhere.

A local server on 127.0.0.1 records every request it gets, and is also set as the
HTTP(S) proxy: a reference fetched directly or through a proxy would show up there.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from digestlint import lint_text
from digestlint.cli import main
from digestlint.config import Config, Settings


class RecordingServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Recorder)
        self.requests: list[str] = []

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Recorder(BaseHTTPRequestHandler):
    server: RecordingServer

    def log_message(self, format: str, *args: object) -> None:
        del format, args

    def do_GET(self) -> None:
        self.server.requests.append(self.path)
        body = json.dumps({"type": "object"}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[RecordingServer]:
    server = RecordingServer()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    for variable in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(variable, server.base)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    yield server
    server.shutdown()
    server.server_close()


REPORT = (
    "# Hugging Face Daily Papers Report\n**Date**: 2026-02-20\n"
    "**Source URL**: https://huggingface.co/papers/date/2026-02-20\n"
)


def write_schema(directory: Path, schema: dict[str, object], name: str = "ref.json") -> None:
    (directory / name).write_text(json.dumps(schema), encoding="utf-8")


def lint_with_schema(directory: Path) -> tuple[int, str, str]:
    (directory / ".digestlint.toml").write_text('schema = "ref.json"\n', encoding="utf-8")
    (directory / "report.md").write_text(REPORT, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(directory / "report.md")])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_a_web_ref_is_a_config_error_and_nothing_is_requested(
    server: RecordingServer, tmp_path: Path
) -> None:
    reference = f"{server.base}/ok"
    write_schema(tmp_path, {"properties": {"header": {"$ref": reference}}})
    code, _, stderr = lint_with_schema(tmp_path)
    assert code == 2
    assert stderr.strip() == (
        f"error: {tmp_path / 'ref.json'}: $ref {reference!r} is refused: references may "
        f"only name files in {tmp_path} or below"
    )
    assert server.requests == []


@pytest.mark.parametrize(
    "reference", ["../outside.json", "/etc/hostname", "file:///etc/hostname", "sub/../../x.json"]
)
def test_a_ref_out_of_the_schemas_directory_is_refused(tmp_path: Path, reference: str) -> None:
    inside = tmp_path / "schemas"
    inside.mkdir()
    write_schema(tmp_path, {"type": "object"}, "outside.json")
    write_schema(inside, {"properties": {"header": {"$ref": reference}}})
    (inside / ".digestlint.toml").write_text('schema = "ref.json"\n', encoding="utf-8")
    (inside / "report.md").write_text(REPORT, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(inside / "report.md")])
    assert result.exit_code == 2
    assert f"$ref {reference!r} is refused" in result.stderr


def test_a_ref_to_a_missing_local_file_names_the_ref(tmp_path: Path) -> None:
    write_schema(tmp_path, {"properties": {"header": {"$ref": "missing.json"}}})
    code, _, stderr = lint_with_schema(tmp_path)
    assert code == 2
    assert "$ref 'missing.json' is refused" in stderr


def test_refs_to_local_files_below_the_schema_are_followed(
    server: RecordingServer, tmp_path: Path
) -> None:
    """``defs/header.json`` requires a field the report lacks; its own ``$ref`` to a
    sibling file and to a fragment of itself resolve too."""
    (tmp_path / "defs").mkdir()
    write_schema(
        tmp_path / "defs",
        {
            "$defs": {"title": {"$ref": "title.json"}},
            "required": ["editor"],
            "properties": {"title": {"$ref": "#/$defs/title"}},
        },
        "header.json",
    )
    write_schema(tmp_path / "defs", {"required": ["value"]}, "title.json")
    write_schema(tmp_path, {"properties": {"header": {"$ref": "defs/header.json"}}})
    code, stdout, stderr = lint_with_schema(tmp_path)
    assert code == 1, stderr
    assert "DL601 [report-schema]" in stdout and "editor" in stdout
    assert server.requests == []


def test_an_offline_lint_opens_no_socket(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed_text: str
) -> None:
    """The whole offline pipeline (parse, every rule, the schema with local refs, fix)
    with every way to open a connection recorded and refused."""
    (tmp_path / "defs.json").write_text(json.dumps({"type": "object"}), encoding="utf-8")
    write_schema(tmp_path, {"properties": {"header": {"$ref": "defs.json"}}})
    settings = Settings(Config(schema="ref.json"), root=tmp_path)
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network use in an offline lint")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert lint_text(seed_text, settings)
    assert attempts == []
