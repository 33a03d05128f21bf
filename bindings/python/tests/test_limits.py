"""The limits of the options live in libdcs, and this binding neither restates nor clamps them.

Every number that fits its C type (int64_t milliseconds, int, size_t) is handed to libdcs as
it is, and libdcs's verdict is the one raised: at each edge the last value in is accepted and
the first value out is an InvalidArgumentError from the C layer. A number that does not fit
the C type (ctypes would wrap it around: 2**40 + 4 attempts would become 4) is refused the
same way without calling libdcs. Nothing is sent either way. The Go binding's
limits_test.go holds the same edges.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import time
from collections.abc import Callable
from typing import Any

import pytest

import dcs

from conftest import DEMO_BACKUP, DEMO_INSTANCE, Emulator, client_args

DAY_S = 24 * 3600
WEEK_S = 7 * DAY_S  # libdcs's longest timeout
HOUR_S = 3600  # libdcs's longest reconcile window
KIB = 1024
GIB = 1024**3

# The binding's words for a number outside the C type; libdcs's messages never say it.
NOT_A_C_VALUE = "does not fit"


def _refused(by_c: bool, action: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """``action(*args, **kwargs)`` raises InvalidArgumentError, from libdcs when ``by_c``."""
    with pytest.raises(dcs.InvalidArgumentError) as info:
        action(*args, **kwargs)
    err = info.value
    assert err.status is dcs.Status.INVALID_ARGUMENT
    assert err.request_sent is dcs.RequestSent.NO
    if by_c:
        assert NOT_A_C_VALUE not in str(err), f"refused by the binding, not libdcs: {err}"
    else:
        assert NOT_A_C_VALUE in str(err), f"not refused by the binding: {err}"


def _nothing_sent(emulator: Emulator) -> None:
    assert emulator.stats()["requests"] == 0


# -- client options ----------------------------------------------------------------------

# option: (values libdcs accepts, values libdcs refuses, values that fit no C type)
CLIENT_LIMITS: dict[str, tuple[list[Any], list[Any], list[Any]]] = {
    "timeout": (
        [0.001, 1, WEEK_S],
        [0, -0.001, -1, WEEK_S + 0.001, 8 * DAY_S, 2**62 / 1000],
        [2**63 / 1000, 1e30, -1e30, 10**40],
    ),
    "connect_timeout": (
        [0.001, WEEK_S],
        [0, -1, WEEK_S + 0.001],
        [1e30],
    ),
    "attempt_timeout": (
        [0.001, WEEK_S],
        [-0.001, WEEK_S + 0.001],
        [1e30],
    ),
    "reconcile_window": (
        [0, 0.001, HOUR_S],
        [-0.001, HOUR_S + 0.001],
        [1e30],
    ),
    "max_attempts": (
        [1, 100],
        [0, -1, 101, 2**31 - 1, -(2**31)],
        [2**31, -(2**31) - 1, 2**40 + 4, 2**64 + 4],
    ),
    "max_response_bytes": (
        [KIB, GIB],
        [0, KIB - 1, GIB + 1, 2**64 - 1],
        [-1, 2**64, 2**64 + KIB],
    ),
}


@pytest.mark.parametrize("option", sorted(CLIENT_LIMITS))
def test_client_option_edges(emulator: Emulator, option: str) -> None:
    accepted, refused, unfit = CLIENT_LIMITS[option]
    for value in accepted:
        with dcs.Client(**client_args(emulator, **{option: value})) as c:
            assert not c.closed, (option, value)
    for value in refused:
        _refused(True, dcs.Client, **client_args(emulator, **{option: value}))
    for value in unfit:
        _refused(False, dcs.Client, **client_args(emulator, **{option: value}))
    _nothing_sent(emulator)


def test_the_accepted_edges_work(emulator: Emulator) -> None:
    edges = {
        "timeout": WEEK_S,
        "connect_timeout": WEEK_S,
        "attempt_timeout": WEEK_S,
        "reconcile_window": HOUR_S,
        "max_attempts": 100,
        "max_response_bytes": GIB,
    }
    with dcs.Client(**client_args(emulator, **edges)) as c:
        assert c.show_instance(DEMO_INSTANCE).instance_id == DEMO_INSTANCE


def test_a_response_cap_at_the_lower_edge_is_applied(emulator: Emulator) -> None:
    # Passed unchanged, not raised to a default: a ShowInstance answer is larger than 1 KiB
    # once padded, and the 1 KiB cap refuses it.
    emulator.fault(
        operation="ShowInstance",
        kind="status",
        status=200,
        body=json.dumps({"instance_id": DEMO_INSTANCE, "name": "x" * 2000}),
    )
    with (
        dcs.Client(**client_args(emulator, max_response_bytes=KIB)) as c,
        pytest.raises(dcs.BadResponseError),
    ):
        c.show_instance(DEMO_INSTANCE)


# -- call options ------------------------------------------------------------------------


def test_call_timeout_edges(client: dcs.Client, emulator: Emulator) -> None:
    def list_with(timeout: Any) -> list[dcs.Restore]:
        return client.list_restores(DEMO_INSTANCE, timeout=timeout)

    # 0 is libdcs's "the client's"; here that is None, so 0 s is refused by the binding.
    with pytest.raises(dcs.InvalidArgumentError, match="None is the default"):
        list_with(0)
    for value in [-0.001, WEEK_S + 0.001]:
        _refused(True, list_with, value)
    for value in [1e30, 2**63 / 1000]:
        _refused(False, list_with, value)
    _nothing_sent(emulator)
    assert list_with(WEEK_S) == []
    assert list_with(1) == []


def test_call_attempt_timeout_edges(client: dcs.Client, emulator: Emulator) -> None:
    def find_with(attempt_timeout: Any) -> Any:
        return client.find_restore(
            DEMO_INSTANCE, DEMO_BACKUP, time.time(), attempt_timeout=attempt_timeout
        )

    for value in [-0.001, WEEK_S + 0.001]:
        _refused(True, find_with, value)
    _refused(False, find_with, 1e30)
    _nothing_sent(emulator)
    with pytest.raises(dcs.NotFoundError):
        find_with(WEEK_S)
    # 1 ms per request is accepted (and may well time out).
    with pytest.raises(dcs.DcsError) as info:
        find_with(0.001)
    assert not isinstance(info.value, dcs.InvalidArgumentError), info.value


def test_call_reconcile_window_edges(client: dcs.Client, emulator: Emulator) -> None:
    start = client.start_restore
    for value in [-0.001, HOUR_S + 0.001]:
        _refused(True, start, DEMO_INSTANCE, DEMO_BACKUP, reconcile_window=value)
    _refused(False, start, DEMO_INSTANCE, DEMO_BACKUP, reconcile_window=1e30)
    _nothing_sent(emulator)


def test_since_is_judged_by_libdcs(client: dcs.Client, emulator: Emulator) -> None:
    before_epoch = dt.datetime(1969, 12, 31, 23, 59, tzinfo=dt.timezone.utc)
    for since in [-1, -0.001, before_epoch]:
        _refused(True, client.find_restore, DEMO_INSTANCE, DEMO_BACKUP, since)
    for since in [1e300, 2**63 / 1000, 10**400]:
        _refused(False, client.find_restore, DEMO_INSTANCE, DEMO_BACKUP, since)
    with pytest.raises(dcs.InvalidArgumentError, match="finite"):
        client.find_restore(DEMO_INSTANCE, DEMO_BACKUP, math.nan)
    _nothing_sent(emulator)


# -- waits -------------------------------------------------------------------------------


@pytest.mark.parametrize("option", ["poll_interval", "max_poll_interval"])
def test_poll_interval_edges(
    client: dcs.Client, emulator: Emulator, instance: str, backup: str, option: str
) -> None:
    restore_id = client.restore_instance(instance, backup)
    client.wait_for_restore(instance, restore_id, poll_interval=0.05, timeout=20)
    requests = emulator.stats()["requests"]

    def wait_with(value: Any) -> dcs.Restore:
        return client.wait_for_restore(instance, restore_id, timeout=20, **{option: value})

    for value in [0, -0.001, WEEK_S + 0.001]:
        _refused(True, wait_with, value)
    for value in [1e30, math.inf]:
        with pytest.raises(dcs.InvalidArgumentError) as info:
            wait_with(value)
        assert info.value.request_sent is dcs.RequestSent.NO
    assert emulator.stats()["requests"] == requests, "a refused wait polled"
    # The restore has succeeded: an accepted wait returns after its first poll, however
    # long its intervals.
    for value in [0.001, WEEK_S]:
        assert wait_with(value).status == "succeed"


def test_poll_intervals_given_alone_or_together_keep_libdcs_order(
    client: dcs.Client, emulator: Emulator, instance: str, backup: str
) -> None:
    # As in Go: the maximum is set first, then the first interval, so a first interval
    # larger than the maximum raises the maximum rather than being lowered to it.
    emulator.set_timings(restore_running_ms=1500)
    restore_id = client.restore_instance(instance, backup)
    started = time.monotonic()
    record = client.wait_for_restore(
        instance, restore_id, poll_interval=0.05, max_poll_interval=0.01, timeout=20
    )
    assert record.status == "succeed"
    polls = sum(1 for r in emulator.requests() if r["operation"] == "ListRestoreRecords")
    elapsed = time.monotonic() - started
    # Intervals of 50 ms (never the 10 ms maximum given) over the restore's ~1.5 s.
    assert polls <= elapsed / 0.05 + 3, (polls, elapsed)
