"""The requests dcsctl sends, as curl command lines: the floor dcsctl's start-up is
compared with. dcsctl runs once against a small recording server that answers like the
benchmark's nginx; each recorded request (method, path and query, headers, body) becomes a
curl operation with the same headers, signed beforehand for the benchmark's host by the
project's independent test signer (tests/emulator/signing.py) with dcsctl's X-Sdk-Date, so
curl does no work at run time that dcsctl does not. Several requests become one curl
process joined by --next, which reuses the connection as dcsctl does."""

from __future__ import annotations

import http.server
import shlex
import subprocess
import sys
import threading
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from servers import BACKUPS_BODY, INSTANCE_BODY, RESTORE_BODY

# Headers curl computes itself from the URL and the body (the same values dcsctl sends),
# and the signature, which is recomputed for curl's host.
_CURL_COMPUTES = {"host", "content-length"}
# Headers curl's tool adds on its own: removed (`-H 'Name:'`) when dcsctl sends none.
_CURL_DEFAULTS = ("Accept", "User-Agent")


@dataclass
class Recorded:
    method: str
    path: str  # with the query string as sent
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


class _Recorder(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as nginx answers
    recorded: ClassVar[list[Recorded]] = []

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.recorded.append(
            Recorded(self.command, self.path, list(self.headers.items()), body)
        )
        route = urllib.parse.urlsplit(self.path).path.rstrip("/").split("/")
        if self.command == "POST" and route[-1] == "restores":
            answer = RESTORE_BODY
        elif self.command == "GET" and route[-1] == "backups":
            answer = BACKUPS_BODY
        elif self.command == "GET" and len(route) == 5 and route[3] == "instances":
            answer = INSTANCE_BODY
        else:
            self.send_error(404)
            return
        data = answer.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Request-Id", f"bench-{len(self.recorded)}")
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = _answer

    def log_message(self, format: str, *args: object) -> None:
        pass


def record(cmd: list[str], env: dict[str, str]) -> tuple[list[Recorded], str]:
    """Runs `cmd` (a dcsctl command whose --endpoint is the placeholder {url}) against the
    recording server; returns the requests it sent and its standard output."""
    handler = type("Recorder", (_Recorder,), {"recorded": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        proc = subprocess.run(
            [part.replace("{url}", url) for part in cmd],
            check=False,
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
    finally:
        server.shutdown()
        server.server_close()
    if proc.returncode != 0:
        raise RuntimeError(f"dcsctl failed against the recorder: {proc.stderr}")
    return list(handler.recorded), proc.stdout


def _signer(repo: Path):  # the test signer is plain untyped Python
    sys.path.insert(0, str(repo / "tests" / "emulator"))
    try:
        import signing
    finally:
        sys.path.pop(0)
    return signing


def _sign(signing, req: Recorded, host: str, ak: str, sk: str) -> str:
    """The Authorization header of `req` sent to `host`, over the headers dcsctl signed
    (the SignedHeaders list of its own Authorization), with dcsctl's X-Sdk-Date."""
    own = req.header("Authorization") or ""
    names = own.split("SignedHeaders=", 1)[1].split(",", 1)[0].strip().split(";")
    split = urllib.parse.urlsplit(req.path)
    headers = {k: v for k, v in req.headers if k.lower() != "authorization"}
    headers = {k: (host if k.lower() == "host" else v) for k, v in headers.items()}
    signed, _ = signing.sign_with(
        req.method,
        host,
        split.path,
        urllib.parse.parse_qsl(split.query, keep_blank_values=True),
        headers,
        req.body,
        ak,
        sk,
        signed_names=names,
    )
    return str(signed["Authorization"])


def signatures_reproduced(
    repo: Path, requests: list[Recorded], ak: str, sk: str
) -> bool:
    """Whether the test signer, given each recorded request as it was sent, computes the
    very Authorization dcsctl sent: then the curl requests below are signed as dcsctl
    would sign them for curl's host."""
    signing = _signer(repo)
    return all(
        _sign(signing, r, r.header("Host") or "", ak, sk) == r.header("Authorization")
        for r in requests
    )


def curl_command(
    repo: Path, requests: list[Recorded], base_url: str, ak: str, sk: str
) -> list[str]:
    """One curl process sending `requests` to `base_url`, each with dcsctl's headers."""
    signing = _signer(repo)
    host = urllib.parse.urlsplit(base_url).netloc
    cmd = ["curl"]
    for i, req in enumerate(requests):
        if i:
            cmd.append("--next")
        cmd += ["-sS", "--fail"]
        sent = {k.lower() for k, _ in req.headers}
        for name, value in req.headers:
            if name.lower() in _CURL_COMPUTES:
                continue
            if name.lower() == "authorization":
                value = _sign(signing, req, host, ak, sk)
            cmd += ["-H", f"{name}: {value}"]
        cmd += [f"-H{name}:" for name in _CURL_DEFAULTS if name.lower() not in sent]
        if req.method == "POST":
            cmd += ["--data-binary", req.body.decode()]
        elif req.method != "GET":
            cmd += ["-X", req.method]
        cmd.append(base_url + req.path)
    return cmd


def shell_words(cmd: list[str]) -> str:
    """The command as hyperfine -N reads it (shell-like word splitting)."""
    return shlex.join(cmd)
