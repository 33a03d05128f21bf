"""Waiting: progress callbacks, cancellation from another thread, callbacks that raise."""

from __future__ import annotations

import threading
import time

import pytest

import dcs

from conftest import Emulator


def test_progress_is_reported_and_rises(
    client: dcs.Client, emulator: Emulator, instance: str, backup: str
) -> None:
    emulator.set_timings(restore_waiting_ms=100, restore_running_ms=1500)
    seen: list[dcs.Restore] = []
    restore_id = client.restore_instance(instance, backup)
    final = client.wait_for_restore(
        instance,
        restore_id,
        progress=seen.append,
        poll_interval=0.05,
        max_poll_interval=0.1,
        timeout=20,
    )
    assert final.status == "succeed"
    assert len(seen) >= 3
    assert all(isinstance(r, dcs.Restore) and r.restore_id == restore_id for r in seen)
    percents = [r.progress for r in seen if r.progress is not None]
    assert percents == sorted(percents), percents
    assert len(set(percents)) >= 3, percents  # really moving, not a constant
    assert seen[-1].status == "succeed"
    assert {r.status for r in seen} >= {"restoring", "succeed"}


def test_cancel_token_from_another_thread_ends_a_wait_promptly(
    client: dcs.Client, emulator: Emulator, instance: str, backup: str
) -> None:
    emulator.set_timings(restore_running_ms=60_000)
    restore_id = client.restore_instance(instance, backup)
    token = dcs.CancelToken()
    cancelled_at: list[float] = []

    def cancel_soon() -> None:
        time.sleep(0.3)
        cancelled_at.append(time.monotonic())
        token.cancel()

    canceller = threading.Thread(target=cancel_soon)
    canceller.start()
    with pytest.raises(dcs.DcsCancelledError):
        client.wait_for_restore(instance, restore_id, poll_interval=1.0, cancel=token, timeout=30)
    returned_at = time.monotonic()
    canceller.join()
    assert returned_at - cancelled_at[0] < 0.5


def test_cancel_token_cancels_an_in_flight_request(client: dcs.Client, emulator: Emulator) -> None:
    emulator.fault(operation="ShowInstance", kind="delay", delay_ms=5000)
    token = dcs.CancelToken()
    timer = threading.Timer(0.2, token.cancel)
    timer.start()
    started = time.monotonic()
    with pytest.raises(dcs.DcsCancelledError):
        client.show_instance("6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b", cancel=token)
    timer.join()
    assert time.monotonic() - started < 0.2 + 0.5


def test_wait_timeout(client: dcs.Client, emulator: Emulator, instance: str, backup: str) -> None:
    emulator.set_timings(restore_running_ms=60_000)
    restore_id = client.restore_instance(instance, backup)
    started = time.monotonic()
    with pytest.raises(dcs.DcsTimeoutError):
        client.wait_for_restore(instance, restore_id, poll_interval=0.05, timeout=0.5)
    assert time.monotonic() - started < 1.5


class _StopWaitingError(Exception):
    pass


def test_a_raising_progress_callback_stops_the_wait_and_propagates(
    client: dcs.Client, emulator: Emulator, instance: str, backup: str
) -> None:
    emulator.set_timings(restore_running_ms=60_000)
    restore_id = client.restore_instance(instance, backup)
    calls: list[dcs.Restore] = []

    def progress(record: dcs.Restore) -> None:
        calls.append(record)
        raise _StopWaitingError("enough")

    started = time.monotonic()
    with pytest.raises(_StopWaitingError, match="enough"):
        client.wait_for_restore(
            instance, restore_id, progress=progress, poll_interval=0.05, timeout=30
        )
    assert time.monotonic() - started < 1.0
    assert len(calls) == 1


def test_a_raising_callback_does_not_cancel_the_callers_token(
    client: dcs.Client, emulator: Emulator, instance: str, backup: str
) -> None:
    emulator.set_timings(restore_running_ms=60_000)
    restore_id = client.restore_instance(instance, backup)
    token = dcs.CancelToken()

    def progress(record: dcs.Restore) -> None:
        raise _StopWaitingError

    with pytest.raises(_StopWaitingError):
        client.wait_for_restore(
            instance, restore_id, progress=progress, poll_interval=0.05, cancel=token
        )
    assert not token.cancelled
    assert client.get_restore(instance, restore_id, cancel=token).restore_id == restore_id
