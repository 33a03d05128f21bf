"""No secret leaves the Python binding: a full run with temporary credentials - a restore
and its wait, then every kind of error (401, 404, 500, timeout, bad response, restore
failed, cancelled) - logs to a logging.Logger at DEBUG, and no log record, nor any
exception's str, repr or attribute, carries the secret key, the security token,
"Authorization" or "Signature="."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import pytest

import dcs

from conftest import DEMO_PROJECT, Emulator, client_args

AK = "PYRELIABILITYAK00001"
SK = "py-reliability-secret-Vb6nM2xK8qT4wE1rY7uI"
TOKEN = "py-reliability-token-Lk9jH3gF6dS1aP8oI2uY5tR7eW4qZ0xC"
WRONG_SK = "py-reliability-wrong-secret-Gh4jK7lZ2xC9vB1nM6qW"
FORBIDDEN = (SK, TOKEN, WRONG_SK, "Authorization", "Signature=")


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def _texts_of(error: BaseException) -> list[str]:
    return [str(error), repr(error), *(str(v) for v in vars(error).values())]


def test_a_full_run_with_every_kind_of_error_leaks_no_secret(emulator: Emulator) -> None:
    emulator.admin(
        "POST",
        "credentials",
        {"ak": AK, "sk": SK, "project_id": DEMO_PROJECT, "security_token": TOKEN},
    )
    instance = emulator.create_instance(cache_mode="ha")
    backup = emulator.create_backup(instance)
    logger = logging.getLogger("dcs.test.reliability.secrets")
    logger.setLevel(logging.DEBUG)
    capture = Capture()
    logger.addHandler(capture)
    errors: list[dcs.DcsError] = []

    def expect(kind: type[dcs.DcsError], action: Callable[[], Any]) -> None:
        with pytest.raises(kind) as caught:
            action()
        errors.append(caught.value)

    args = client_args(emulator, ak=AK, sk=SK, security_token=TOKEN, max_attempts=2, log=logger)
    try:
        with dcs.Client(**args) as client:
            # Success, the restore's first answer lost on the way.
            emulator.fault(operation="RestoreInstance", kind="close_after", count=1)
            restore_id = client.restore_instance(instance, backup, "secrets")
            client.wait_for_restore(instance, restore_id, poll_interval=0.05, timeout=10)

            with dcs.Client(**{**args, "sk": WRONG_SK}) as impostor:
                expect(dcs.AuthError, lambda: impostor.show_instance(instance))
            expect(
                dcs.NotFoundError,
                lambda: client.show_instance("00000000-0000-4000-8000-000000000000"),
            )
            emulator.fault(
                operation="ShowInstance",
                kind="status",
                status=500,
                count=2,
                body='{"error_code":"DCS.5000","error_msg":"injected"}',
            )
            expect(dcs.ServerError, lambda: client.show_instance(instance))
            emulator.fault(operation="ShowInstance", kind="delay", delay_ms=1500, count=1)
            expect(dcs.DcsTimeoutError, lambda: client.show_instance(instance, timeout=0.3))
            emulator.fault(operation="ShowInstance", kind="non_json", count=2)
            expect(dcs.BadResponseError, lambda: client.show_instance(instance))

            emulator.admin("DELETE", "faults")
            emulator.fault(operation="ShowInstance", kind="delay", delay_ms=1500, count=1)
            token = dcs.CancelToken()
            threading.Timer(0.2, token.cancel).start()
            expect(dcs.DcsCancelledError, lambda: client.show_instance(instance, cancel=token))

            emulator.admin("DELETE", "faults")
            emulator.set_timings(fail_restores="dcs.08.0007")
            failing = client.restore_instance(instance, backup)
            expect(
                dcs.RestoreFailedError,
                lambda: client.wait_for_restore(instance, failing, poll_interval=0.05, timeout=10),
            )
    finally:
        logger.removeHandler(capture)

    assert {type(e) for e in errors} == {
        dcs.AuthError,
        dcs.NotFoundError,
        dcs.ServerError,
        dcs.DcsTimeoutError,
        dcs.BadResponseError,
        dcs.DcsCancelledError,
        dcs.RestoreFailedError,
    }
    assert len(capture.lines) > 20, "the run logged too little to prove anything"
    texts = capture.lines + [t for e in errors for t in _texts_of(e)]
    for text in texts:
        for secret in FORBIDDEN:
            assert secret not in text, f"{secret[:12]}... leaked into: {text[:200]}"
