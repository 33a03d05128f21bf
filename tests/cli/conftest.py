"""Fixtures for the dcsctl tests: the built binary, an emulator, and a way to run one against
the other with a clean environment."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

# The emulator launcher and admin API every pytest suite shares.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from dcs_testing import (
    DEMO_AK,
    DEMO_PROJECT,
    DEMO_SK,
    REPO,
    EmulatorError,
    EmulatorProcess,
)
from dcs_testing import Admin as EmulatorAdmin

DCSCTL = Path(os.environ.get("DCSCTL", REPO / "build" / "cli" / "dcsctl"))

AK = DEMO_AK
SK = DEMO_SK
PROJECT = DEMO_PROJECT

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


class Admin(EmulatorAdmin):
    """The emulator's unsigned admin API, with the names these tests use."""

    def new_instance(self, **fields):
        return self.create_instance(**fields)

    def new_backup(self, instance_id, **fields):
        return self.create_backup(instance_id, **fields)

    def timings(self, **changes):
        """FAST_TIMINGS, with `changes` on top."""
        self.set_timings(**{**FAST_TIMINGS, **changes})


@pytest.fixture(scope="session")
def emulator_url():
    try:
        process = EmulatorProcess()
    except EmulatorError as exc:
        pytest.fail(str(exc))
    with process:
        Admin(process.url).timings()
        yield process.url


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
