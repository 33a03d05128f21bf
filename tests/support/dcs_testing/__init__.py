"""What the pytest suites share: the dcs-emulator launcher, its admin API, the demo seed and
the wire counters that prove nothing was sent.

One copy for bindings/python/tests, tests/emulator, tests/cli and tests/reliability; each of
them puts tests/support on sys.path (in its conftest.py, or reliability_support.py) and
imports this package.
"""

from .admin import Admin
from .emulator import (
    DEMO_ARGS,
    REPO,
    EmulatorError,
    EmulatorProcess,
    emulator_binary,
    running_emulator,
)
from .seed import DEMO_AK, DEMO_BACKUP, DEMO_INSTANCE, DEMO_PROJECT, DEMO_SK
from .wire import WireCounts, WireWatch

__all__ = [
    "DEMO_AK",
    "DEMO_ARGS",
    "DEMO_BACKUP",
    "DEMO_INSTANCE",
    "DEMO_PROJECT",
    "DEMO_SK",
    "REPO",
    "Admin",
    "EmulatorError",
    "EmulatorProcess",
    "WireCounts",
    "WireWatch",
    "emulator_binary",
    "running_emulator",
]
