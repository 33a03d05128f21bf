"""The secret key and security token never appear in exception text or in log lines."""

from __future__ import annotations

import logging
import time
from typing import Any

import pytest

import dcs

from conftest import DEMO_INSTANCE, DEMO_PROJECT, Emulator

TOKEN_AK = "TOKENACCESSKEY000001"
TOKEN_SK = "temporary-secret-Zq8vN2kLp4Rt6Yw0-abcdefgh"
TOKEN = "SECURITYTOKEN-" + "Xy7Qw3Er9Ty2Ui5Op1As4Df8Gh6Jk0Lz" * 8


def _exception_texts(exc: BaseException) -> list[str]:
    texts = [str(exc), repr(exc)]
    texts += [str(v) for v in vars(exc).values()]
    return texts


def _collect_failures(client: dcs.Client, emulator: Emulator) -> list[BaseException]:
    failures: list[BaseException] = []

    def attempt(fn: Any) -> None:
        try:
            fn()
        except dcs.DcsError as exc:
            failures.append(exc)

    attempt(lambda: client.show_instance("00000000-0000-4000-8000-000000000000"))
    attempt(lambda: client.restore_instance(DEMO_INSTANCE, "no-such-backup"))
    emulator.fault(operation="ShowInstance", kind="status", status=500, count=10)
    attempt(lambda: client.show_instance(DEMO_INSTANCE, timeout=2))
    emulator.fault(operation="ShowInstance", kind="delay", delay_ms=2000, count=1)
    attempt(lambda: client.show_instance(DEMO_INSTANCE, timeout=0.2))
    emulator.fault(operation="ShowInstance", kind="non_json", count=4)
    attempt(lambda: client.show_instance(DEMO_INSTANCE, timeout=2))
    return failures


def _assert_clean(texts: list[str]) -> None:
    for text in texts:
        assert TOKEN_SK not in text
        assert TOKEN not in text
        assert TOKEN[:24] not in text


def test_secrets_stay_out_of_errors_and_logs(emulator: Emulator) -> None:
    emulator.admin(
        "POST",
        "credentials",
        {"ak": TOKEN_AK, "sk": TOKEN_SK, "project_id": DEMO_PROJECT, "security_token": TOKEN},
    )
    lines: list[tuple[int, str]] = []
    with dcs.Client(
        endpoint=emulator.url,
        ak=TOKEN_AK,
        sk=TOKEN_SK,
        security_token=TOKEN,
        project_id=DEMO_PROJECT,
        timeout=5,
        log=lambda level, message: lines.append((level, message)),
    ) as client:
        assert client.show_instance(DEMO_INSTANCE).name == "demo-redis"
        failures = _collect_failures(client, emulator)
        assert TOKEN_SK not in repr(client)
        time.sleep(0.05)

    assert len(failures) == 5
    assert lines, "the log callback received nothing: the test would prove nothing"
    assert {level for level, _ in lines} <= {1, 2, 3, 4}
    _assert_clean([message for _, message in lines])
    for exc in failures:
        _assert_clean(_exception_texts(exc))


def test_wrong_credentials_do_not_leak(emulator: Emulator) -> None:
    wrong_sk = "wrong-secret-Pp0Oo9Ii8Uu7Yy6Tt5Rr4Ee3"
    lines: list[str] = []
    with (
        dcs.Client(
            endpoint=emulator.url,
            ak=TOKEN_AK,
            sk=wrong_sk,
            security_token=TOKEN,
            project_id=DEMO_PROJECT,
            log=lambda _level, message: lines.append(message),
        ) as client,
        pytest.raises(dcs.AuthError) as info,
    ):
        client.show_instance(DEMO_INSTANCE)
    for text in [*_exception_texts(info.value), *lines]:
        assert wrong_sk not in text
        assert TOKEN not in text


def test_logger_receives_lines_at_mapped_levels(
    emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    logger = logging.getLogger("dcs.test")
    caplog.set_level(logging.DEBUG, logger="dcs.test")
    with dcs.Client(
        endpoint=emulator.url,
        ak=TOKEN_AK,
        sk=TOKEN_SK,
        project_id=DEMO_PROJECT,
        security_token=TOKEN,
        log=logger,
    ) as client:
        emulator.admin(
            "POST",
            "credentials",
            {"ak": TOKEN_AK, "sk": TOKEN_SK, "project_id": DEMO_PROJECT, "security_token": TOKEN},
        )
        client.show_instance(DEMO_INSTANCE)
        with pytest.raises(dcs.NotFoundError):
            client.show_instance("00000000-0000-4000-8000-000000000000")
    records = [r for r in caplog.records if r.name == "dcs.test"]
    assert records
    assert {r.levelno for r in records} <= {
        logging.DEBUG,
        logging.INFO,
        logging.WARNING,
        logging.ERROR,
    }
    _assert_clean([r.getMessage() for r in records])


def test_emulator_log_shows_no_secret(emulator: Emulator) -> None:
    emulator.admin(
        "POST",
        "credentials",
        {"ak": TOKEN_AK, "sk": TOKEN_SK, "project_id": DEMO_PROJECT, "security_token": TOKEN},
    )
    with dcs.Client(
        endpoint=emulator.url,
        ak=TOKEN_AK,
        sk=TOKEN_SK,
        security_token=TOKEN,
        project_id=DEMO_PROJECT,
    ) as client:
        client.show_instance(DEMO_INSTANCE)
    logged = emulator.requests()
    assert logged and logged[0]["access_key"] == TOKEN_AK
    assert "x-security-token" in [h.lower() for h in logged[0]["signed_headers"]]
