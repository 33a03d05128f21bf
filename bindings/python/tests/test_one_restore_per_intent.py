"""One restore per intent (issue 12): start_restore's `adopted`, the "unresolved" outcome,
find_restore, and the options that tune them, against the emulator's own counters."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import math
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import dcs

from conftest import Emulator, client_args

REMARK = "intent"


def _counters(emulator: Emulator, instance_id: str) -> tuple[int, int]:
    """(restores started, RestoreInstance POSTs received) for the instance, by the emulator."""
    view = emulator.admin("GET", f"instances/{instance_id}")
    return int(view["restores_started"]), int(view["restore_posts"])


def _only_restore_id(client: dcs.Client, instance_id: str) -> str:
    restores = client.list_restores(instance_id)
    assert len(restores) == 1, restores
    return restores[0].restore_id


@pytest.fixture
def timings(emulator: Emulator) -> Iterator[Callable[..., None]]:
    """Sets emulator timings for one test and puts the previous values back after it."""
    previous = emulator.admin("GET", "timings")
    yield emulator.set_timings
    emulator.admin("PUT", "timings", previous)


# -- start_restore ----------------------------------------------------------------------


def test_a_clean_call_is_started_not_adopted(
    client: dcs.Client, emulator: Emulator, instance: str, backup: str
) -> None:
    outcome = client.start_restore(instance, backup, REMARK)

    assert isinstance(outcome, dcs.RestoreOutcome)
    assert outcome.adopted is False
    assert outcome.restore_id == _only_restore_id(client, instance)
    assert _counters(emulator, instance) == (1, 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        outcome.adopted = True  # type: ignore[misc]
    record = client.wait_for_restore(instance, outcome.restore_id, poll_interval=0.05)
    assert record.succeeded


def test_a_lost_answer_is_adopted_never_posted_again(
    client: dcs.Client, emulator: Emulator, instance: str, backup: str
) -> None:
    # The restore is carried out, then the connection is closed without an answer.
    emulator.fault(operation="RestoreInstance", kind="close_after", count=1)

    outcome = client.start_restore(instance, backup, REMARK)

    assert outcome.adopted is True
    assert outcome.restore_id == _only_restore_id(client, instance)
    assert _counters(emulator, instance) == (1, 1)


def test_restore_instance_takes_the_same_path(
    client: dcs.Client, emulator: Emulator, instance: str, backup: str
) -> None:
    emulator.fault(operation="RestoreInstance", kind="close_after", count=1)

    restore_id = client.restore_instance(instance, backup, REMARK)

    assert isinstance(restore_id, str)
    assert restore_id == _only_restore_id(client, instance)
    assert _counters(emulator, instance) == (1, 1)


def test_an_ambiguous_failure_with_nothing_listed_is_unresolved(
    client: dcs.Client, emulator: Emulator, instance: str, backup: str
) -> None:
    # A 500 that did not carry the restore out: nothing will ever be listed.
    emulator.fault(
        operation="RestoreInstance",
        kind="status",
        status=500,
        count=1,
        body='{"error_code":"DCS.5000","error_msg":"injected","error_ext_msg":null}',
    )
    started = time.monotonic()
    with pytest.raises(dcs.DcsError) as caught:
        client.start_restore(instance, backup, REMARK, reconcile_window=0.5)
    elapsed = time.monotonic() - started

    error = caught.value
    assert isinstance(error, dcs.ServerError)
    assert error.request_sent == dcs.RequestSent.MAYBE
    assert str(error).startswith("unresolved"), str(error)
    assert "find_restore" in str(error)
    assert _counters(emulator, instance) == (0, 1)
    assert elapsed < 5, f"a 0.5 s reconcile window took {elapsed:.1f} s"


def test_the_clients_reconcile_window_applies(emulator: Emulator, instance: str) -> None:
    backup = emulator.create_backup(instance)
    emulator.fault(operation="RestoreInstance", kind="html_502", count=1)
    with dcs.Client(**client_args(emulator), reconcile_window=0) as client:
        started = time.monotonic()
        with pytest.raises(dcs.ServerError) as caught:
            client.start_restore(instance, backup)
        elapsed = time.monotonic() - started
    assert caught.value.request_sent == dcs.RequestSent.MAYBE
    assert str(caught.value).startswith("unresolved")
    assert _counters(emulator, instance) == (0, 1)
    # 0 looks once: no polling for 30 s.
    assert elapsed < 5


@pytest.mark.parametrize("where", ["client", "call"])
def test_attempt_timeout_ends_a_hung_request_in_time_to_adopt(
    emulator: Emulator, instance: str, backup: str, where: str
) -> None:
    # Carried out, then never answered: only the attempt's own time limit ends it.
    emulator.fault(operation="RestoreInstance", kind="hang_after_work", count=1)
    per_client: dict[str, Any] = {"attempt_timeout": 0.3} if where == "client" else {}
    per_call: dict[str, Any] = {"attempt_timeout": 0.3} if where == "call" else {}
    with dcs.Client(**client_args(emulator, timeout=20.0), **per_client) as client:
        started = time.monotonic()
        outcome = client.start_restore(instance, backup, REMARK, **per_call)
        elapsed = time.monotonic() - started
    assert outcome.adopted is True
    assert _counters(emulator, instance) == (1, 1)
    # Automatic would be a quarter of the 20 s call timeout: 5 s.
    assert elapsed < 3, f"took {elapsed:.1f} s"


def test_wait_while_busy_waits_out_busy_answers(
    emulator: Emulator, instance: str, backup: str
) -> None:
    busy = {
        "operation": "RestoreInstance",
        "kind": "status",
        "status": 400,
        "body": '{"error_code":"DCS.4096","error_msg":"backing up","error_ext_msg":null}',
    }
    with dcs.Client(**client_args(emulator), max_attempts=1) as client:
        emulator.fault(count=1, **busy)
        with pytest.raises(dcs.BusyError):
            client.start_restore(instance, backup)
        assert _counters(emulator, instance) == (0, 1)

        emulator.fault(count=2, **busy)
        outcome = client.start_restore(instance, backup, wait_while_busy=True, timeout=10)
    assert outcome.adopted is False
    # 1 refused before, then 2 busy answers waited out and the one that started it.
    assert _counters(emulator, instance) == (1, 4)


# -- find_restore -----------------------------------------------------------------------


def test_find_restore_finds_the_restore_started_after_since(
    client: dcs.Client, emulator: Emulator, instance: str, backup: str
) -> None:
    since = dt.datetime.now(dt.timezone.utc)
    since_epoch = time.time()
    restore_id = client.start_restore(instance, backup, REMARK).restore_id

    found = client.find_restore(instance, backup, since, REMARK)
    assert isinstance(found, dcs.Restore)
    assert found.restore_id == restore_id
    assert found.backup_id == backup
    assert found.restore_remark == REMARK
    assert client.find_restore(instance, backup, since_epoch, REMARK).restore_id == restore_id
    # Any time zone: the same instant.
    east = since.astimezone(dt.timezone(dt.timedelta(hours=8)))
    assert client.find_restore(instance, backup, east, REMARK).restore_id == restore_id


def test_find_restore_is_not_found_for_another_time_backup_or_remark(
    client: dcs.Client, emulator: Emulator, instance: str, backup: str
) -> None:
    other_backup = emulator.create_backup(instance)
    since = time.time()
    client.start_restore(instance, backup, REMARK)

    # Well after it, beyond any allowance for the service's clock.
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=5)
    misses: list[tuple[str, Any, str | None]] = [
        (backup, later, REMARK),
        (backup, later.timestamp(), REMARK),
        (other_backup, since, REMARK),
        (backup, since, "another remark"),
        (backup, since, None),
    ]
    for backup_id, when, remark in misses:
        with pytest.raises(dcs.NotFoundError) as caught:
            client.find_restore(instance, backup_id, when, remark)
        assert caught.value.status == dcs.Status.NOT_FOUND


def test_find_restore_answers_an_unresolved_restore(
    client: dcs.Client,
    emulator: Emulator,
    instance: str,
    backup: str,
    timings: Callable[..., None],
) -> None:
    # The restore starts, its answer is lost, and the service lists it only 1.5 s later:
    # longer than this call's reconcile window, so the call cannot tell.
    timings(restore_listing_delay_ms=1500)
    emulator.fault(operation="RestoreInstance", kind="close_after", count=1)
    since = dt.datetime.now(dt.timezone.utc)
    with pytest.raises(dcs.DcsError) as caught:
        client.start_restore(instance, backup, REMARK, reconcile_window=0.2)
    assert caught.value.request_sent == dcs.RequestSent.MAYBE
    assert str(caught.value).startswith("unresolved")
    assert _counters(emulator, instance) == (1, 1)

    deadline = time.monotonic() + 10
    while True:
        try:
            found = client.find_restore(instance, backup, since, REMARK)
            break
        except dcs.NotFoundError:
            assert time.monotonic() < deadline, "the restore was never listed"
            time.sleep(0.2)
    assert found.backup_id == backup
    assert _counters(emulator, instance) == (1, 1)


def test_async_client_has_the_new_calls(emulator: Emulator, instance: str, backup: str) -> None:
    async def main() -> tuple[dcs.RestoreOutcome, dcs.Restore, str]:
        async with dcs.AsyncClient(**client_args(emulator), reconcile_window=5) as aio:
            since = time.time()
            outcome = await aio.start_restore(instance, backup, REMARK, attempt_timeout=2)
            found = await aio.find_restore(instance, backup, since, REMARK)
            await aio.wait_for_restore(instance, outcome.restore_id, poll_interval=0.05)
            other = emulator.create_backup(instance)
            restore_id = await aio.restore_instance(instance, other, wait_while_busy=True)
            return outcome, found, restore_id

    outcome, found, restore_id = asyncio.run(asyncio.wait_for(main(), 30))
    assert outcome.adopted is False
    assert found.restore_id == outcome.restore_id
    assert restore_id and restore_id != outcome.restore_id


# -- invalid arguments ------------------------------------------------------------------

BAD_DURATIONS: list[Any] = [-1, -0.001, math.nan, math.inf, "1", True, [1]]

NAIVE = dt.datetime(2026, 1, 1, 12, 0, 0)


@pytest.mark.parametrize("value", [0, 8 * 24 * 3600, *BAD_DURATIONS])
def test_client_attempt_timeout_is_checked(emulator: Emulator, value: Any) -> None:
    with pytest.raises(dcs.InvalidArgumentError, match="attempt"):
        dcs.Client(**client_args(emulator), attempt_timeout=value)


@pytest.mark.parametrize("value", [3601, *BAD_DURATIONS])
def test_client_reconcile_window_is_checked(emulator: Emulator, value: Any) -> None:
    with pytest.raises(dcs.InvalidArgumentError, match="reconcile"):
        dcs.Client(**client_args(emulator), reconcile_window=value)


def test_client_accepts_the_limits(emulator: Emulator) -> None:
    with dcs.Client(
        **client_args(emulator), attempt_timeout=7 * 24 * 3600, reconcile_window=3600
    ) as c:
        assert not c.closed
    with dcs.Client(**client_args(emulator), attempt_timeout=0.001, reconcile_window=0) as c:
        assert not c.closed


BAD_CALL_OPTIONS: list[tuple[str, Any]] = [
    *[("attempt_timeout", v) for v in [0, 8 * 24 * 3600, *BAD_DURATIONS]],
    *[("reconcile_window", v) for v in [3601, *BAD_DURATIONS]],
    *[("wait_while_busy", v) for v in [1, "yes", None]],
]


@pytest.mark.parametrize(("name", "value"), BAD_CALL_OPTIONS)
@pytest.mark.parametrize("method", ["start_restore", "restore_instance"])
def test_restore_options_are_checked_before_anything_is_sent(
    client: dcs.Client, emulator: Emulator, method: str, name: str, value: Any
) -> None:
    with pytest.raises(dcs.InvalidArgumentError) as caught:
        getattr(client, method)("some-instance", "some-backup", **{name: value})
    assert caught.value.request_sent == dcs.RequestSent.NO
    assert emulator.requests() == []


BAD_SINCE: list[Any] = [NAIVE, -1, -0.5, math.nan, math.inf, "2026-01-01", True, None, 2**80]


@pytest.mark.parametrize("since", BAD_SINCE)
def test_find_restore_since_is_checked(client: dcs.Client, emulator: Emulator, since: Any) -> None:
    with pytest.raises(dcs.InvalidArgumentError, match="since"):
        client.find_restore("some-instance", "some-backup", since)
    assert emulator.requests() == []


@pytest.mark.parametrize(
    ("name", "call"),
    [
        ("instance_id", lambda c: c.find_restore("../x", "b", 0)),
        ("backup_id", lambda c: c.find_restore("i", "b\0", 0)),
        ("remark", lambda c: c.find_restore("i", "b", 0, "r\r\nX: 1")),
        ("attempt_timeout", lambda c: c.find_restore("i", "b", 0, attempt_timeout=-1)),
    ],
)
def test_find_restore_other_arguments_are_checked(
    client: dcs.Client, emulator: Emulator, name: str, call: Callable[[dcs.Client], Any]
) -> None:
    with pytest.raises(dcs.InvalidArgumentError):
        call(client)
    assert emulator.requests() == []
