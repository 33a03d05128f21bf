"""Session fixtures: a dcs-emulator on loopback, its admin API, and clients of it."""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[3]

# Without an installed package, test the source tree against the CMake build's library.
try:
    import dcs
except ImportError:
    sys.path.insert(0, str(REPO / "bindings" / "python" / "src"))
    os.environ.setdefault("DCS_LIBRARY", str(REPO / "build" / "capi" / "libdcs.so.1"))
    import dcs

DEMO_AK = "DEMOACCESSKEY0000001"
DEMO_SK = "demo-secret-key-0123456789abcdefghijklmnop"
DEMO_PROJECT = "0123456789abcdef0123456789abcdef"
DEMO_INSTANCE = "6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b"
DEMO_BACKUP = "9f8e7d6c-5b4a-4392-8170-6e5d4c3b2a19"

_START_TIMEOUT_S = 20.0


class Emulator:
    """A running dcs-emulator and its unsigned admin API."""

    def __init__(self, url: str) -> None:
        self.url = url

    def admin(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.url}/_emulator/{path}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            raise AssertionError(f"admin {method} {path}: {exc.code} {exc.read()!r}") from exc
        return json.loads(raw) if raw.strip() else None

    def reset(self) -> None:
        self.admin("POST", "reset")

    def fault(self, **fault: Any) -> None:
        self.admin("POST", "faults", fault)

    def requests(self) -> list[dict[str, Any]]:
        return list(self.admin("GET", "requests")["requests"])

    def stats(self) -> dict[str, Any]:
        return dict(self.admin("GET", "stats"))

    def create_instance(self, **fields: Any) -> str:
        return str(self.admin("POST", "instances", fields)["instance_id"])

    def create_backup(self, instance_id: str, **fields: Any) -> str:
        return str(self.admin("POST", f"instances/{instance_id}/backups", fields)["backup_id"])

    def data(self, instance_id: str) -> dict[str, str]:
        return dict(self.admin("GET", f"instances/{instance_id}/data"))

    def set_data(self, instance_id: str, values: dict[str, str]) -> None:
        self.admin("PUT", f"instances/{instance_id}/data", values)

    def set_timings(self, **timings: Any) -> None:
        self.admin("PUT", "timings", timings)


def _read_first_line(proc: subprocess.Popen[bytes]) -> str:
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


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    binary = os.environ.get("DCS_EMULATOR", str(REPO / "build" / "dcs-emulator"))
    if not Path(binary).exists():
        pytest.fail(f"no dcs-emulator at {binary}: build the repo or set DCS_EMULATOR")
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [binary, "--listen", "127.0.0.1:0", "--demo", "--timings", "fast"],
            stdout=subprocess.PIPE,
            stderr=log,
        )
        try:
            yield Emulator(_read_first_line(proc))
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()


@pytest.fixture(autouse=True)
def _fresh_emulator(request: pytest.FixtureRequest) -> None:
    """Every test that uses the emulator starts from the seed state: no faults, empty log."""
    if "emulator" in request.fixturenames:
        request.getfixturevalue("emulator").reset()


def client_args(emulator: Emulator, **overrides: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "endpoint": emulator.url,
        "ak": DEMO_AK,
        "sk": DEMO_SK,
        "project_id": DEMO_PROJECT,
        "timeout": 10.0,
    }
    args.update(overrides)
    return args


@pytest.fixture
def client(emulator: Emulator) -> Iterator[dcs.Client]:
    with dcs.Client(**client_args(emulator)) as c:
        yield c


@pytest.fixture
def instance(emulator: Emulator) -> str:
    """A fresh ha instance holding a couple of keys."""
    instance_id = emulator.create_instance(cache_mode="ha")
    emulator.set_data(instance_id, {"greeting": "hello", "counter": "1"})
    return instance_id


@pytest.fixture
def backup(emulator: Emulator, instance: str) -> str:
    """A succeeded, restorable backup of `instance`, taken of its keys as they are now."""
    return emulator.create_backup(instance)


def pytest_report_header() -> str:
    from dcs import _native

    return f"dcs: {dcs.__file__}, libdcs {dcs.library_version()} from {_native.library_path()}"
