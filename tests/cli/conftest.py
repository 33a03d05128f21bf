"""Fixtures for the dcsctl tests: the built binary, an emulator, and a way to run one against
the other with a clean environment."""

import json
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DCSCTL = Path(os.environ.get("DCSCTL", REPO / "build" / "cli" / "dcsctl"))
EMULATOR = Path(os.environ.get("DCS_EMULATOR", REPO / "build" / "dcs-emulator"))

AK = "DEMOACCESSKEY0000001"
SK = "demo-secret-key-0123456789abcdefghijklmnop"
PROJECT = "0123456789abcdef0123456789abcdef"

# Known, quick timings, set at start and restored by tests that change them.
FAST_TIMINGS = {
    "restore_waiting_ms": 50,
    "restore_running_ms": 300,
    "backup_waiting_ms": 50,
    "backup_running_ms": 200,
    "fail_restores": "",
    "restore_listing_delay_ms": 0,
}

# Every dcsctl run is bounded: a hung tool fails its test instead of the suite.
RUN_TIMEOUT_S = 20


class Admin:
    """The emulator's unsigned admin API."""

    def __init__(self, url):
        self.url = url

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.url + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read()
        return json.loads(text) if text else None

    def new_instance(self, **fields):
        return self.call("POST", "/_emulator/instances", fields)["instance_id"]

    def new_backup(self, instance_id, **fields):
        return self.call("POST", f"/_emulator/instances/{instance_id}/backups", fields)[
            "backup_id"
        ]

    def instance(self, instance_id):
        return self.call("GET", f"/_emulator/instances/{instance_id}")

    def data(self, instance_id):
        return self.call("GET", f"/_emulator/instances/{instance_id}/data")

    def set_data(self, instance_id, values):
        self.call("PUT", f"/_emulator/instances/{instance_id}/data", values)

    def fault(self, **fault):
        return self.call("POST", "/_emulator/faults", fault)

    def timings(self, **changes):
        self.call("PUT", "/_emulator/timings", {**FAST_TIMINGS, **changes})

    def fired(self, fault_id):
        """How many requests the fault `fault_id` hit so far."""
        faults = self.call("GET", "/_emulator/faults")["faults"]
        return next(f["fired"] for f in faults if f["id"] == fault_id)


@pytest.fixture(scope="session")
def emulator_url():
    if not EMULATOR.exists():
        pytest.fail(f"dcs-emulator not found at {EMULATOR}: build the project first")
    process = subprocess.Popen(
        [str(EMULATOR), "--listen", "127.0.0.1:0", "--demo", "--timings", "fast"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        url = process.stdout.readline().strip()
        if not url.startswith("http"):
            pytest.fail(f"dcs-emulator did not print its URL (got {url!r})")
        Admin(url).timings()
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def admin(emulator_url):
    admin = Admin(emulator_url)
    yield admin
    # Faults and timings are global to the emulator: leave them as found.
    admin.call("DELETE", "/_emulator/faults")
    admin.timings()


@pytest.fixture
def home(tmp_path):
    """An empty HOME, so no user config file leaks into a test."""
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def base_env(home):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home)}
    return env


@pytest.fixture
def cred_env(base_env, emulator_url):
    return {
        **base_env,
        "DCS_ENDPOINT": emulator_url,
        "HUAWEICLOUD_SDK_AK": AK,
        "HUAWEICLOUD_SDK_SK": SK,
        "HUAWEICLOUD_SDK_PROJECT_ID": PROJECT,
    }


@pytest.fixture
def dcsctl(cred_env):
    """Runs dcsctl with the emulator's credentials in the environment (override with env=)."""
    if not DCSCTL.exists():
        pytest.fail(f"dcsctl not found at {DCSCTL}: build with -DDCS_BUILD_CLI=ON")

    def run(*args, env=None, timeout=RUN_TIMEOUT_S):
        return subprocess.run(
            [str(DCSCTL), *args],
            check=False,
            env=cred_env if env is None else env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    return run


@pytest.fixture
def restorable(admin):
    """A fresh instance with data, a restorable backup of that data, then changed data."""
    instance_id = admin.new_instance()
    admin.set_data(instance_id, {"city": "paris", "count": "1"})
    backup_id = admin.new_backup(instance_id, remark="before the change")
    admin.set_data(instance_id, {"city": "lyon", "stray": "written-after-backup"})
    return instance_id, backup_id


def closed_port():
    """A loopback port with nothing listening on it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout_s=5.0):
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return False
