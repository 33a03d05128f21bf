"""Session fixtures: a dcs-emulator on loopback, its admin API, and clients of it."""

from __future__ import annotations

import os
import sys
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

# The emulator launcher and admin API every pytest suite shares.
sys.path.insert(0, str(REPO / "tests" / "support"))
from dcs_testing import (  # noqa: E402
    DEMO_AK,
    DEMO_BACKUP,
    DEMO_INSTANCE,
    DEMO_PROJECT,
    DEMO_SK,
    Admin,
    EmulatorError,
    EmulatorProcess,
)

__all__ = [
    "DEMO_AK",
    "DEMO_BACKUP",
    "DEMO_INSTANCE",
    "DEMO_PROJECT",
    "DEMO_SK",
    "REPO",
    "Emulator",
    "client_args",
]


class Emulator(Admin):
    """A running dcs-emulator and its unsigned admin API."""

    def admin(self, method: str, path: str, body: Any = None) -> Any:
        return self.call(method, path, body)


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    try:
        process = EmulatorProcess()
    except EmulatorError as exc:
        pytest.fail(str(exc))
    with process:
        yield Emulator(process.url)


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
