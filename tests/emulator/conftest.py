"""Fixtures for the black-box tests of build/dcs-emulator.

The emulator is started once per session (`--demo --timings fast`) and reset through the
admin API before every test, so tests are independent but fast. Tests that need their own
process (TLS, signals, state-only) use `start_emulator` directly.
"""

import http.client
import json
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from signing import sign

# The emulator launcher every pytest suite shares.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from dcs_testing import (
    DEMO_AK,
    DEMO_BACKUP,
    DEMO_INSTANCE,
    DEMO_PROJECT,
    DEMO_SK,
    REPO,
    EmulatorError,
    EmulatorProcess,
    emulator_binary,
)

__all__ = [
    "BINARY",
    "DEMO_AK",
    "DEMO_BACKUP",
    "DEMO_INSTANCE",
    "DEMO_PROJECT",
    "DEMO_SK",
    "REPO",
    "TIMEOUT",
]

BINARY = str(emulator_binary())
TIMEOUT = 15  # seconds, for every socket operation and process wait


class Emulator(EmulatorProcess):
    """A running dcs-emulator process; a failed start fails the test."""

    def __init__(self, args, stderr_path):
        try:
            super().__init__(args, stderr=Path(stderr_path), start_timeout=TIMEOUT)
        except EmulatorError as exc:
            pytest.fail(str(exc))


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body)

    def header(self, name):
        return self.headers.get(name.lower())

    def __repr__(self):
        return f"<{self.status} {self.body[:300]!r}>"


class Client:
    """Signed DCS calls and admin calls over one keep-alive connection."""

    def __init__(
        self, emulator, ak=DEMO_AK, sk=DEMO_SK, project=DEMO_PROJECT, ssl_context=None
    ):
        self.emu, self.ak, self.sk, self.project = emulator, ak, sk, project
        self.ssl_context = ssl_context
        self.conn = None

    def _connection(self):
        if self.conn is None:
            if self.emu.scheme == "https":
                self.conn = http.client.HTTPSConnection(
                    self.emu.netloc, timeout=TIMEOUT, context=self.ssl_context
                )
            else:
                self.conn = http.client.HTTPConnection(self.emu.netloc, timeout=TIMEOUT)
        return self.conn

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def raw(self, method, target, body=None, headers=None):
        conn = self._connection()
        try:
            conn.request(method, target, body=body, headers=headers or {})
            resp = conn.getresponse()
            data = resp.read()
        except Exception:
            self.close()
            raise
        result = Response(
            resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
        )
        if resp.will_close:
            self.close()
        return result

    def dcs(self, method, path, query=(), body=None, headers=None, sk=None, ak=None):
        """A signed request; path is relative to /v2/{project}/instances/ unless it starts with '/'."""
        if not path.startswith("/"):
            path = f"/v2/{self.project}/instances/{path}"
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode()  # http.client would send a str as latin-1
        hdrs = {"Content-Type": "application/json", "X-Project-Id": self.project}
        hdrs.update(headers or {})
        signed, q = sign(
            method,
            self.emu.netloc,
            path,
            list(query),
            hdrs,
            body or "",
            ak or self.ak,
            sk or self.sk,
        )
        return self.raw(
            method, path + ("?" + q if q else ""), body=body, headers=signed
        )

    def admin(self, method, path, body=None):
        data = json.dumps(body) if body is not None else None
        resp = self.raw(
            method,
            "/_emulator/" + path,
            body=data,
            headers={"Content-Type": "application/json"} if data else {},
        )
        return resp

    def admin_json(self, method, path, body=None, expect=(200, 201)):
        resp = self.admin(method, path, body)
        assert resp.status in expect, resp
        return resp.json()


def start_emulator(tmp_path, *args):
    return Emulator(list(args), tmp_path / "emulator-stderr.log")


@pytest.fixture(scope="session")
def emulator(tmp_path_factory):
    emu = Emulator(
        ["--listen", "127.0.0.1:0", "--demo", "--timings", "fast"],
        tmp_path_factory.mktemp("emulator") / "stderr.log",
    )
    yield emu
    emu.stop()


@pytest.fixture
def client(emulator):
    c = Client(emulator)
    assert c.admin("POST", "reset").status == 200
    yield c
    c.close()


def wait_until(what, predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def restore_record(client, restore_id):
    resp = client.dcs("GET", f"{DEMO_INSTANCE}/restores", [("limit", "1000")])
    if resp.status != 200:
        return None
    for r in resp.json()["restore_record_response"]:
        if r["restore_id"] == restore_id:
            return r
    return None


def backup_record(client, backup_id, instance=DEMO_INSTANCE):
    resp = client.dcs("GET", f"{instance}/backups", [("limit", "1000")])
    if resp.status != 200:
        return None
    for b in resp.json()["backup_record_response"]:
        if b["backup_id"] == backup_id:
            return b
    return None


def wait_restore(client, restore_id, status="succeed"):
    return wait_until(
        f"restore {restore_id} {status}",
        lambda: (
            (r := restore_record(client, restore_id)) and r["status"] == status and r
        ),
    )


def wait_backup(client, backup_id, status="succeed"):
    return wait_until(
        f"backup {backup_id} {status}",
        lambda: (b := backup_record(client, backup_id)) and b["status"] == status and b,
    )
