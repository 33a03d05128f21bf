"""One client shared by many threads: calls overlap because ctypes releases the GIL."""

from __future__ import annotations

import threading
import time

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


def test_close_waits_for_calls_in_flight(emulator: Emulator) -> None:
    from conftest import client_args

    c = dcs.Client(**client_args(emulator))
    emulator.fault(operation="ShowInstance", kind="delay", delay_ms=400)
    outcome: list[object] = []
    t = threading.Thread(target=lambda: outcome.append(c.show_instance(DEMO_INSTANCE).name))
    t.start()
    time.sleep(0.1)
    c.close()  # must not free the handle under the running call
    t.join(timeout=10)
    assert outcome == ["demo-redis"]
    assert c.closed
