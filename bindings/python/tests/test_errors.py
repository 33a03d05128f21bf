"""Every error class is reachable, with the details the service sent."""

from __future__ import annotations

import socket
import time

import pytest

import dcs

from conftest import DEMO_AK, DEMO_INSTANCE, Emulator, client_args

UNKNOWN_INSTANCE = "00000000-0000-4000-8000-000000000000"


def test_not_found_for_an_unknown_instance(client: dcs.Client) -> None:
    with pytest.raises(dcs.NotFoundError) as info:
        client.show_instance(UNKNOWN_INSTANCE)
    err = info.value
    assert isinstance(err, LookupError)
    assert err.status is dcs.Status.NOT_FOUND
    assert err.http_status == 404
    assert err.error_code == "DCS.3022"
    assert err.error_msg == "This DCS instance does not exist."
    assert err.request_id
    assert err.request_sent is dcs.RequestSent.YES
    assert str(err)  # the C message


def test_get_restore_of_an_unknown_record(client: dcs.Client, instance: str) -> None:
    with pytest.raises(dcs.NotFoundError):
        client.get_restore(instance, "no-such-restore")


def test_rejected_for_a_business_error(client: dcs.Client, instance: str) -> None:
    with pytest.raises(dcs.RejectedError) as info:
        client.restore_instance(instance, "no-such-backup")
    assert info.value.http_status == 400
    assert info.value.error_code
    assert info.value.status is dcs.Status.REJECTED


def test_auth_error_for_a_wrong_secret_key(emulator: Emulator) -> None:
    with (
        dcs.Client(**client_args(emulator, sk="not-the-right-secret-key")) as c,
        pytest.raises(dcs.AuthError) as info,
    ):
        c.show_instance(DEMO_INSTANCE)
    assert isinstance(info.value, PermissionError)
    assert info.value.http_status == 401


def test_busy_instance(client: dcs.Client, emulator: Emulator, instance: str, backup: str) -> None:
    emulator.admin("PATCH", f"instances/{instance}", {"status": "RESTORING"})
    with pytest.raises(dcs.BusyError) as info:
        client.restore_instance(instance, backup, timeout=3)
    assert info.value.http_status == 400
    assert info.value.error_code.startswith(("DCS.", "1114"))
    assert emulator.stats()["restores_started"] == 0


def test_server_error(emulator: Emulator) -> None:
    emulator.fault(
        operation="ShowInstance",
        kind="status",
        status=500,
        body='{"error_code":"DCS.5000","error_msg":"boom"}',
    )
    with (
        dcs.Client(**client_args(emulator, max_attempts=1)) as c,
        pytest.raises(dcs.ServerError) as info,
    ):
        c.show_instance(DEMO_INSTANCE)
    assert info.value.http_status == 500
    assert info.value.error_code == "DCS.5000"
    assert info.value.error_msg == "boom"


def test_throttled(emulator: Emulator) -> None:
    emulator.fault(operation="ShowInstance", kind="throttle")
    with (
        dcs.Client(**client_args(emulator, max_attempts=1)) as c,
        pytest.raises(dcs.ThrottledError) as info,
    ):
        c.show_instance(DEMO_INSTANCE)
    assert info.value.http_status == 429


def test_timeout_from_a_delayed_answer(client: dcs.Client, emulator: Emulator) -> None:
    emulator.fault(operation="ShowInstance", kind="delay", delay_ms=3000)
    started = time.monotonic()
    with pytest.raises(dcs.DcsTimeoutError) as info:
        client.show_instance(DEMO_INSTANCE, timeout=0.3)
    assert time.monotonic() - started < 1.5
    assert isinstance(info.value, TimeoutError)
    assert info.value.request_sent in (dcs.RequestSent.MAYBE, dcs.RequestSent.YES)


def test_transport_error_on_a_closed_port() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # Nothing listens there any more.
    with (
        dcs.Client(
            endpoint=f"http://127.0.0.1:{port}",
            ak=DEMO_AK,
            sk="some-secret",
            project_id="p" * 32,
            max_attempts=1,
            timeout=5,
        ) as c,
        pytest.raises(dcs.TransportError) as info,
    ):
        c.show_instance(DEMO_INSTANCE)
    assert isinstance(info.value, ConnectionError)
    assert info.value.request_sent is dcs.RequestSent.NO
    assert info.value.http_status == 0


def test_bad_response_for_non_json(emulator: Emulator) -> None:
    emulator.fault(operation="ShowInstance", kind="non_json")
    with (
        dcs.Client(**client_args(emulator, max_attempts=1)) as c,
        pytest.raises(dcs.BadResponseError),
    ):
        c.show_instance(DEMO_INSTANCE)


def test_restore_failed(client: dcs.Client, emulator: Emulator, instance: str, backup: str) -> None:
    emulator.set_timings(fail_restores="dcs.08.0007")
    restore_id = client.restore_instance(instance, backup)
    with pytest.raises(dcs.RestoreFailedError) as info:
        client.wait_for_restore(instance, restore_id, poll_interval=0.05, timeout=20)
    assert info.value.error_code == "dcs.08.0007"
    assert client.get_restore(instance, restore_id).status == "failed"


def test_precondition_from_preflight_on_a_single_node_instance(
    client: dcs.Client, emulator: Emulator
) -> None:
    single = emulator.create_instance(cache_mode="single")
    backup = emulator.create_backup(single)
    with pytest.raises(dcs.PreconditionError) as info:
        client.restore_instance(single, backup, preflight=True)
    assert info.value.request_sent is dcs.RequestSent.NO
    assert emulator.stats()["restores_started"] == 0
    assert not [r for r in emulator.requests() if r["operation"] == "RestoreInstance"]


def test_cancelled_by_a_token_cancelled_in_advance(client: dcs.Client) -> None:
    token = dcs.CancelToken()
    token.cancel()
    assert token.cancelled
    with pytest.raises(dcs.DcsCancelledError) as info:
        client.show_instance(DEMO_INSTANCE, cancel=token)
    assert info.value.status is dcs.Status.CANCELLED


def test_errors_survive_pickling(client: dcs.Client) -> None:
    import pickle

    with pytest.raises(dcs.NotFoundError) as info:
        client.show_instance(UNKNOWN_INSTANCE)
    copy = pickle.loads(pickle.dumps(info.value))
    assert type(copy) is dcs.NotFoundError
    assert (copy.status, copy.http_status, copy.error_code, str(copy)) == (
        info.value.status,
        404,
        info.value.error_code,
        str(info.value),
    )
