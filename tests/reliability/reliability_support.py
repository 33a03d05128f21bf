"""What the Python-driven reliability tests share: emulator processes (plain, state-only or
HTTPS), the admin API over HTTP or HTTPS, the TLS fixtures of make_certs.sh, and the shared
tables hostile_inputs.json and fault_matrix.json.

Imported by tests/reliability/*.py and bindings/python/tests/test_reliability_*.py (which put
this directory on sys.path).
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
EMULATOR = Path(os.environ.get("DCS_EMULATOR", REPO / "build" / "dcs-emulator"))

DEMO_AK = "DEMOACCESSKEY0000001"
DEMO_SK = "demo-secret-key-0123456789abcdefghijklmnop"
DEMO_PROJECT = "0123456789abcdef0123456789abcdef"
DEMO_INSTANCE = "6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b"
DEMO_BACKUP = "9f8e7d6c-5b4a-4392-8170-6e5d4c3b2a19"

_START_TIMEOUT_S = 20.0


class Admin:
    """The emulator's unsigned admin API; `context` reaches an HTTPS emulator."""

    def __init__(self, url: str, context: ssl.SSLContext | None = None) -> None:
        self.url = url
        self.context = context

    def call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.url}/_emulator/{path}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(
                request, timeout=10, context=self.context
            ) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            raise AssertionError(
                f"admin {method} {path}: {exc.code} {exc.read()!r}"
            ) from exc
        return json.loads(raw) if raw.strip() else None

    def stats(self) -> dict[str, int]:
        return dict(self.call("GET", "stats"))

    def requests(self) -> list[dict[str, Any]]:
        return list(self.call("GET", "requests")["requests"])

    def instance(self, instance_id: str) -> dict[str, Any]:
        return dict(self.call("GET", f"instances/{instance_id}"))

    def create_instance(self, **fields: Any) -> str:
        return str(self.call("POST", "instances", fields)["instance_id"])

    def create_backup(self, instance_id: str, **fields: Any) -> str:
        return str(
            self.call("POST", f"instances/{instance_id}/backups", fields)["backup_id"]
        )

    def fault(self, **fault: Any) -> None:
        self.call("POST", "faults", fault)

    def clear_faults(self) -> None:
        self.call("DELETE", "faults")


def _first_line(proc: subprocess.Popen[bytes]) -> str:
    assert proc.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + _START_TIMEOUT_S
    line = b""
    while not line.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or not selector.select(left):
            raise RuntimeError("dcs-emulator printed no URL in time")
        chunk = os.read(proc.stdout.fileno(), 1)
        if not chunk:
            raise RuntimeError(f"dcs-emulator exited with {proc.wait()}")
        line += chunk
    return line.decode().strip()


@contextlib.contextmanager
def running_emulator(*extra_args: str) -> Iterator[str]:
    """A `dcs-emulator --demo --timings fast` on loopback; yields its base URL."""
    if not EMULATOR.exists():
        raise RuntimeError(
            f"no dcs-emulator at {EMULATOR}: build the repo or set DCS_EMULATOR"
        )
    proc = subprocess.Popen(
        [
            str(EMULATOR),
            "--listen",
            "127.0.0.1:0",
            "--demo",
            "--timings",
            "fast",
            *extra_args,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield _first_line(proc)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


def make_certs(directory: Path) -> Path:
    """Runs make_certs.sh into `directory` (ca.pem, good, self_signed, expired, wrong_host)."""
    subprocess.run(
        [str(HERE / "make_certs.sh"), str(directory)], check=True, timeout=60
    )
    return directory


def insecure_context() -> ssl.SSLContext:
    """For admin calls to an emulator whose certificate is bad on purpose."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


@dataclass(frozen=True)
class HostileInput:
    label: str
    raw: bytes  # the value's bytes
    as_id: bool
    as_remark: bool

    @property
    def text(self) -> str:
        """The value as a Python str (invalid UTF-8 as lone surrogates, as os.fsdecode does)."""
        return self.raw.decode("utf-8", "surrogateescape")

    @property
    def is_valid_utf8(self) -> bool:
        try:
            self.raw.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True


def hostile_inputs() -> list[HostileInput]:
    table = json.loads((HERE / "hostile_inputs.json").read_text())
    inputs = []
    for entry in table["inputs"]:
        if "text" in entry:
            raw = entry["text"].encode()
        elif "hex" in entry:
            raw = bytes.fromhex(entry["hex"])
        else:
            raw = (entry["repeat"] * entry["times"]).encode()
        inputs.append(
            HostileInput(
                entry["label"], raw, "id" in entry["as"], "remark" in entry["as"]
            )
        )
    return inputs


def fault_matrix() -> dict[str, Any]:
    return dict(json.loads((HERE / "fault_matrix.json").read_text()))
