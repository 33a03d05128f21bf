"""No secret leaves the Python binding, whatever a call ends with.

The test runs this file as a child process (``python test_reliability_secrets.py``) with
temporary credentials - a secret key and a security token chosen to be distinctive - and
libdcs_alloc_fault.so preloaded (tests/reliability/alloc_fault.cpp). The child drives a real
call to every status dcs.h defines through the emulator: bad input, a wrong key, an unknown
instance, throttling, a busy instance, 5xx, a dropped connection, a deadline, cancellation,
an unreadable answer, a throwing and a failing allocation, a refused and an impossible
restore and a restore that fails, plus a success whose first answer is lost. It logs at
DEBUG to a logging.Logger that also writes to stderr, and reports every log record and every
exception's str, repr and attributes. The parent then searches those and everything the
child wrote to its stdout and stderr, case-insensitively, for the secret key, the token,
"Authorization" and "Signature=", and checks that every status was reached.
"""

from __future__ import annotations

import ctypes
import json
import logging
import os
import re
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import dcs

from conftest import DEMO_PROJECT, REPO, Emulator, client_args

AK = "PYRELIABILITYAK00001"
SK = "py-reliability-secret-Vb6nM2xK8qT4wE1rY7uI"
TOKEN = "py-reliability-token-Lk9jH3gF6dS1aP8oI2uY5tR7eW4qZ0xC"
WRONG_SK = "py-reliability-wrong-secret-Gh4jK7lZ2xC9vB1nM6qW"
FORBIDDEN = (SK, TOKEN, WRONG_SK, "Authorization", "Signature=")
# Lengths of the instance ids whose copy inside libdcs fails (+1 for its NUL); nothing else
# in the run allocates anywhere near this much at once.
NOMEM_ID_LENGTH = 777001
INTERNAL_ID_LENGTH = 777003
ALLOC_FAULT = f"nomem={NOMEM_ID_LENGTH + 1},internal={INTERNAL_ID_LENGTH + 1}"
CHILD_TIMEOUT_S = 180


def statuses_of_the_header() -> dict[int, str]:
    """Every dcs_status of dcs.h, by value, read from the header itself."""
    header = (REPO / "capi" / "include" / "dcs" / "dcs.h").read_text()
    found = re.findall(r"\b(DCS_(?:OK|E_[A-Z_]+))\s*=\s*(\d+)", header)
    return {int(value): name for name, value in found}


def alloc_fault_library() -> Path:
    return Path(
        os.environ.get("DCS_ALLOC_FAULT_LIB", REPO / "build" / "tests" / "libdcs_alloc_fault.so")
    )


def test_every_status_leaks_no_secret_into_logs_errors_or_output(
    emulator: Emulator, tmp_path: Path
) -> None:
    shim = alloc_fault_library()
    if not shim.exists():
        pytest.fail(
            f"no {shim}: build the repo (target dcs_alloc_fault) or set DCS_ALLOC_FAULT_LIB"
        )
    report = tmp_path / "report.json"
    env = dict(os.environ)
    env.update(
        DCS_SECRETS_EMULATOR=emulator.url,
        DCS_SECRETS_REPORT=str(report),
        DCS_ALLOC_FAULT=ALLOC_FAULT,
        LD_PRELOAD=str(shim),
    )
    child = subprocess.run(
        [sys.executable, __file__],
        env=env,
        cwd=Path(__file__).parent,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=CHILD_TIMEOUT_S,
        check=False,
    )
    print(child.stdout[-4000:])
    assert child.returncode == 0, f"the child failed:\n{child.stderr[-8000:]}"
    result = json.loads(report.read_text())

    expected = statuses_of_the_header()
    reached = {int(k): v for k, v in result["reached"].items()}
    assert not result["mismatches"], "calls that ended otherwise (case, got, want): " + str(
        result["mismatches"]
    )
    missing = {name for value, name in expected.items() if value not in reached}
    assert not missing, f"statuses never reached: {sorted(missing)}"
    assert result["alloc_faults_fired"] == 2

    texts: list[str] = result["texts"]
    assert len(texts) > 40, "the run logged too little to prove anything"
    assert len(child.stderr) > 2000, "the child printed too little to prove anything"
    for text in [*texts, child.stdout, child.stderr]:
        low = text.lower()
        for secret in FORBIDDEN:
            assert secret.lower() not in low, f"{secret[:12]}... leaked into: {text[:300]}"
    print(
        f"secrets: Python: {len(reached)} of {len(expected)} statuses reached, {len(texts)} "
        f"texts and {len(child.stdout) + len(child.stderr)} bytes of output searched, 0 leaks"
    )


# --- the child ------------------------------------------------------------------------


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def _texts_of(error: BaseException) -> list[str]:
    return [str(error), repr(error), *(str(v) for v in vars(error).values())]


def _alloc_fault_fired() -> int:
    shim = ctypes.CDLL(str(alloc_fault_library()))
    return int(shim.dcs_alloc_fault_fired())


def child() -> None:
    emulator = Emulator(os.environ["DCS_SECRETS_EMULATOR"])
    emulator.admin(
        "POST",
        "credentials",
        {"ak": AK, "sk": SK, "project_id": DEMO_PROJECT, "security_token": TOKEN},
    )
    instance = emulator.create_instance(cache_mode="ha")
    backup = emulator.create_backup(instance)
    other_backup = emulator.create_backup(emulator.create_instance(cache_mode="ha"))
    single = emulator.create_instance(cache_mode="single")
    single_backup = emulator.create_backup(single)
    restarting = emulator.create_instance(cache_mode="ha")
    restarting_backup = emulator.create_backup(restarting)
    emulator.admin("PATCH", f"instances/{restarting}", {"status": "RESTARTING"})

    logger = logging.getLogger("dcs.test.reliability.secrets")
    logger.setLevel(logging.DEBUG)
    capture = Capture()
    logger.addHandler(capture)
    logger.addHandler(logging.StreamHandler(sys.stderr))
    texts: list[str] = []
    reached: dict[int, str] = {}
    mismatches: list[tuple[str, str, str]] = []

    def case(name: str, want: dcs.Status, action: Callable[[], Any]) -> None:
        emulator.admin("DELETE", "faults")
        got = dcs.Status.OK
        try:
            action()
        except dcs.DcsError as e:
            got = e.status
            texts.extend(_texts_of(e))
        print(f"{name}: {got.name}", flush=True)
        if got == want:
            reached[int(got)] = got.name
        else:
            mismatches.append((name, got.name, want.name))

    args = client_args(emulator, ak=AK, sk=SK, security_token=TOKEN, max_attempts=2, log=logger)
    with dcs.Client(**args) as client, dcs.Client(**{**args, "sk": WRONG_SK}) as impostor:

        def restore_and_wait(remark: str) -> None:
            restore_id = client.restore_instance(instance, backup, remark)
            client.wait_for_restore(instance, restore_id, poll_interval=0.05, timeout=10)

        def lost_answer() -> None:
            emulator.fault(operation="RestoreInstance", kind="close_after", count=1)
            restore_and_wait("secrets")

        def fault_then_show(timeout: float | None = None, **fault: Any) -> None:
            emulator.fault(operation="ShowInstance", **fault)
            client.show_instance(instance, timeout=timeout)

        def cancelled() -> None:
            emulator.fault(operation="ShowInstance", kind="delay", delay_ms=1500, count=1)
            token = dcs.CancelToken()
            threading.Timer(0.2, token.cancel).start()
            client.show_instance(instance, cancel=token)

        def failing_copy(length: int) -> None:
            client.show_instance("a" * length)

        def restore_fails() -> None:
            emulator.set_timings(fail_restores="dcs.08.0007")
            try:
                restore_and_wait("fails")
            finally:
                emulator.set_timings(fail_restores="")

        s = dcs.Status
        case("a restore whose first answer is lost", s.OK, lost_answer)
        case("an id with a path", s.INVALID_ARGUMENT, lambda: client.show_instance("../x"))
        case("a wrong secret key", s.AUTH, lambda: impostor.show_instance(instance))
        case(
            "an unknown instance",
            s.NOT_FOUND,
            lambda: client.show_instance("00000000-0000-4000-8000-000000000000"),
        )
        case(
            "429 twice",
            s.THROTTLED,
            lambda: fault_then_show(kind="throttle", retry_after=1, count=2),
        )
        case(
            "a restarting instance",
            s.BUSY,
            lambda: client.restore_instance(restarting, restarting_backup, "busy"),
        )
        case(
            "500 twice",
            s.SERVER,
            lambda: fault_then_show(
                kind="status",
                status=500,
                count=2,
                body='{"error_code":"DCS.5000","error_msg":"injected"}',
            ),
        )
        case(
            "closed without an answer every time",
            s.TRANSPORT,
            # Every request: libcurl itself sends a GET again on a new connection.
            lambda: fault_then_show(kind="close_before"),
        )
        case(
            "an answer after the deadline",
            s.TIMEOUT,
            lambda: fault_then_show(timeout=0.3, kind="delay", delay_ms=1500, count=1),
        )
        case("cancelled in flight", s.CANCELLED, cancelled)
        case("not JSON twice", s.BAD_RESPONSE, lambda: fault_then_show(kind="non_json", count=2))
        case("a throwing allocation", s.INTERNAL, lambda: failing_copy(INTERNAL_ID_LENGTH))
        case("a failing allocation", s.NOMEM, lambda: failing_copy(NOMEM_ID_LENGTH))
        case(
            "another instance's backup",
            s.REJECTED,
            lambda: client.restore_instance(instance, other_backup, "rejected"),
        )
        case(
            "a single-node instance",
            s.PRECONDITION,
            lambda: client.restore_instance(single, single_backup, "precondition"),
        )
        case("a restore that fails", s.RESTORE_FAILED, restore_fails)

    report = {
        "reached": reached,
        "mismatches": mismatches,
        "texts": capture.lines + texts,
        "alloc_faults_fired": _alloc_fault_fired(),
    }
    Path(os.environ["DCS_SECRETS_REPORT"]).write_text(json.dumps(report))


if __name__ == "__main__":
    child()
