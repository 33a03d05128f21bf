"""Network settings through the Python binding: a proxy from the environment (read when the
client is created), ``proxy=""`` to connect directly, the CA directory's checks, and a
misspelt region refused at once. What went through the proxy is counted by the proxy."""

from __future__ import annotations

import http.client
import socket
import socketserver
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import dcs

from conftest import DEMO_AK, DEMO_PROJECT, DEMO_SK, Emulator, client_args

PROXY_VARIABLES = (
    "http_proxy",
    "HTTP_PROXY",
    "https_proxy",
    "HTTPS_PROXY",
    "all_proxy",
    "ALL_PROXY",
    "no_proxy",
    "NO_PROXY",
    "REQUEST_METHOD",
)


class _Relay(BaseHTTPRequestHandler):
    """Relays one absolute-form request to its origin and counts it."""

    seen: list[str]

    def _relay(self) -> None:
        self.seen.append(f"{self.command} {self.path}")
        target = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {
            k: v
            for k, v in self.headers.items()
            if k.lower() not in ("connection", "proxy-connection", "proxy-authorization")
        }
        origin = http.client.HTTPConnection(target.hostname or "", target.port, timeout=10)
        path = target.path + (f"?{target.query}" if target.query else "")
        origin.request(self.command, path, body=body, headers=headers)
        answer = origin.getresponse()
        data = answer.read()
        self.send_response(answer.status)
        for name, value in answer.getheaders():
            if name.lower() not in ("connection", "transfer-encoding", "content-length"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)
        origin.close()

    def do_GET(self) -> None:
        self._relay()

    def do_POST(self) -> None:
        self._relay()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: pytest output is for failures."""


@pytest.fixture
def proxy() -> Iterator[tuple[str, list[str]]]:
    """A loopback forward proxy: its URL and the request lines it relayed."""
    seen: list[str] = []
    handler = type("Relay", (_Relay,), {"seen": seen})
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def _dead_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_http_proxy_from_the_environment_carries_the_requests(
    emulator: Emulator, instance: str, proxy: tuple[str, list[str]], clean_env: pytest.MonkeyPatch
) -> None:
    url, seen = proxy
    clean_env.setenv("HTTP_PROXY", url)
    client = dcs.Client(**client_args(emulator))
    # Read once by the client: the admin API below must not go through the proxy.
    clean_env.delenv("HTTP_PROXY")
    with client:
        assert client.show_instance(instance).instance_id == instance
    assert len(seen) == 1
    assert seen[0].startswith(f"GET {emulator.url}/v2/")


def test_no_proxy_and_an_explicit_empty_proxy_bypass_it(
    emulator: Emulator, instance: str, proxy: tuple[str, list[str]], clean_env: pytest.MonkeyPatch
) -> None:
    url, seen = proxy
    clean_env.setenv("http_proxy", url)
    clean_env.setenv("no_proxy", "127.0.0.1")
    bypassed = dcs.Client(**client_args(emulator))
    clean_env.setenv("http_proxy", _dead_url())
    clean_env.delenv("no_proxy")
    direct = dcs.Client(**client_args(emulator, proxy=""))
    explicit = dcs.Client(**client_args(emulator, proxy=url))
    clean_env.delenv("http_proxy")
    for client in (bypassed, direct):
        with client:
            assert client.show_instance(instance).instance_id == instance
    assert seen == []
    with explicit:
        explicit.show_instance(instance)
    assert len(seen) == 1


def test_ca_dir_must_be_an_existing_directory(emulator: Emulator, tmp_path: Path) -> None:
    with dcs.Client(**client_args(emulator, ca_dir=str(tmp_path))):
        pass
    missing = tmp_path / "missing"
    with pytest.raises(dcs.InvalidArgumentError, match="does not exist"):
        dcs.Client(**client_args(emulator, ca_dir=str(missing)))
    a_file = tmp_path / "bundle.pem"
    a_file.write_text("not a directory\n")
    with pytest.raises(dcs.InvalidArgumentError, match="not a directory"):
        dcs.Client(**client_args(emulator, ca_dir=str(a_file)))


def test_misspelt_region_fails_at_once_with_a_suggestion(
    clean_env: pytest.MonkeyPatch,
) -> None:
    clean_env.delenv("HUAWEICLOUD_SDK_REGION_DCS_CN_NORT_4", raising=False)
    started = time.monotonic()
    with pytest.raises(dcs.InvalidArgumentError) as caught:
        dcs.Client(region="cn-nort-4", ak=DEMO_AK, sk=DEMO_SK, project_id=DEMO_PROJECT)
    assert time.monotonic() - started < 0.5
    assert '"cn-nort-4"' in str(caught.value)
    assert "did you mean cn-north-4?" in str(caught.value)


def test_proxy_credentials_never_reach_a_log_line(
    emulator: Emulator, instance: str, proxy: tuple[str, list[str]], clean_env: pytest.MonkeyPatch
) -> None:
    url, seen = proxy
    password = "py-pr0xy-Pa55w0rd"
    with_user = url.replace("http://", f"http://carol:{password}@")
    lines: list[str] = []
    clean_env.setenv("http_proxy", with_user)
    client = dcs.Client(**client_args(emulator, log=lambda _level, line: lines.append(line)))
    clean_env.delenv("http_proxy")
    with client:
        client.show_instance(instance)
    assert len(seen) == 1
    assert any("http://***@127.0.0.1" in line for line in lines)
    assert not any(password in line or "carol" in line for line in lines)
