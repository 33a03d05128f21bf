"""What the Python-driven reliability tests share: emulator processes (plain, state-only or
HTTPS), the admin API over HTTP or HTTPS, the wire counters that prove nothing was sent, the
TLS fixtures of make_certs.sh, and the shared tables hostile_inputs.json and
fault_matrix.json.

Imported by tests/reliability/*.py and bindings/python/tests/test_reliability_*.py (which put
this directory on sys.path). The emulator launcher and the admin API are the ones every pytest
suite shares (tests/support/dcs_testing).
"""

from __future__ import annotations

import contextlib
import json
import ssl
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "support"))
from dcs_testing import (
    DEMO_AK,
    DEMO_ARGS,
    DEMO_BACKUP,
    DEMO_INSTANCE,
    DEMO_PROJECT,
    DEMO_SK,
    REPO,
    Admin,
    EmulatorProcess,
    WireCounts,
    WireWatch,
    emulator_binary,
)

__all__ = [
    "DEMO_AK",
    "DEMO_BACKUP",
    "DEMO_INSTANCE",
    "DEMO_PROJECT",
    "DEMO_SK",
    "EMULATOR",
    "REPO",
    "Admin",
    "HostileInput",
    "WireCounts",
    "WireWatch",
    "fault_matrix",
    "hostile_inputs",
    "insecure_context",
    "make_certs",
    "running_emulator",
]

EMULATOR = emulator_binary()


@contextlib.contextmanager
def running_emulator(*extra_args: str) -> Iterator[str]:
    """A `dcs-emulator --demo --timings fast` on loopback; yields its base URL."""
    with EmulatorProcess([*DEMO_ARGS, *extra_args]) as process:
        yield process.url


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
