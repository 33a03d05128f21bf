"""One client shared by many threads: calls overlap because ctypes releases the GIL."""

from __future__ import annotations

import threading
import time

import pytest

import dcs

from conftest import DEMO_INSTANCE, Emulator

THREADS = 8
DELAY_S = 0.5


def test_threads_share_a_client_and_run_in_parallel(client: dcs.Client, emulator: Emulator) -> None:
    client.show_instance(DEMO_INSTANCE)  # warm up: global init, first connection
    emulator.fault(operation="ShowInstance", kind="delay", delay_ms=int(DELAY_S * 1000))
    results: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(THREADS)

    def worker() -> None:
        barrier.wait()
        try:
            name = client.show_instance(DEMO_INSTANCE).name
        except BaseException as exc:
            with lock:
                errors.append(exc)
            return
        with lock:
            results.append(name)

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    elapsed = time.monotonic() - started

    assert not errors, errors
    assert results == ["demo-redis"] * THREADS
    # Serialised they would take THREADS * DELAY_S = 4 s.
    assert elapsed < 2 * DELAY_S, f"{THREADS} calls took {elapsed:.2f} s"


def test_python_threads_keep_running_during_a_call(client: dcs.Client, emulator: Emulator) -> None:
    emulator.fault(operation="ShowInstance", kind="delay", delay_ms=500)
    ticks = 0
    done = threading.Event()

    def spin() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            time.sleep(0.01)

    spinner = threading.Thread(target=spin)
    spinner.start()
    try:
        client.show_instance(DEMO_INSTANCE)
    finally:
        done.set()
        spinner.join()
    assert ticks >= 20


def _wait_for_delayed_calls(emulator: Emulator, count: int) -> None:
    """Until `count` requests are held by the delay fault (so that calls are in flight)."""
    deadline = time.monotonic() + 10
    while emulator.stats()["faults_fired"] < count:
        assert time.monotonic() < deadline, "the calls never reached the emulator"
        time.sleep(0.02)


def test_close_cancels_calls_in_flight_and_waits_for_them(emulator: Emulator) -> None:
    # As Go's Close: the calls still running end cancelled, promptly, and close() returns
    # only once they have (the handle is never freed under a running call). A caller's own
    # token is not cancelled by it: it may serve calls on other clients.
    from conftest import client_args

    c = dcs.Client(**client_args(emulator))
    emulator.fault(operation="ShowInstance", kind="delay", delay_ms=5000)
    token = dcs.CancelToken()
    outcome: dict[str, object] = {}

    def run(name: str, cancel: dcs.CancelToken | None) -> None:
        try:
            outcome[name] = c.show_instance(DEMO_INSTANCE, cancel=cancel).name
        except BaseException as exc:
            outcome[name] = exc

    threads = [
        threading.Thread(target=run, args=("no token", None)),
        threading.Thread(target=run, args=("own token", token)),
    ]
    for t in threads:
        t.start()
    _wait_for_delayed_calls(emulator, 2)
    started = time.monotonic()
    c.close()
    closed = time.monotonic()
    # No call holds the C handle any more: close() waited for both to come back.
    assert c._in_flight == 0
    for t in threads:
        t.join(timeout=10)

    assert closed - started < 2, f"close() took {closed - started:.2f} s: nothing was cancelled"
    for name in ("no token", "own token"):
        assert isinstance(outcome[name], dcs.DcsCancelledError), (name, outcome[name])
    assert not token.cancelled
    assert c.closed
    with pytest.raises(dcs.InvalidArgumentError, match="closed"):
        c.show_instance(DEMO_INSTANCE)


def test_close_from_another_thread_cancels_a_main_thread_call(emulator: Emulator) -> None:
    # A call on the main thread runs on a helper thread with a private token: close()
    # reaches that one too.
    from conftest import client_args

    c = dcs.Client(**client_args(emulator))
    emulator.fault(operation="ShowInstance", kind="delay", delay_ms=5000)

    def close_soon() -> None:
        _wait_for_delayed_calls(emulator, 1)
        c.close()

    closer = threading.Thread(target=close_soon)
    closer.start()
    started = time.monotonic()
    with pytest.raises(dcs.DcsCancelledError):
        c.show_instance(DEMO_INSTANCE)
    assert time.monotonic() - started < 3
    closer.join(timeout=10)
    assert c.closed
