"""Ctrl-C on the main thread stops a running call within 100 ms and is not lost.

Most main-thread calls run directly, libdcs watching Python's signal wakeup fd for SIGINT;
the others (a progress or log callback, the program's own SIGINT handler, someone else's
wakeup fd) on a helper thread (see dcs/_blocking.py). Each case runs in a child process
(_interrupt_child.py) that sends itself SIGINT during the call.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import dcs
from dcs import _blocking

from conftest import DEMO_INSTANCE, Emulator

CHILD = Path(__file__).with_name("_interrupt_child.py")

# The promise: a cancelled call returns within this much of the signal.
WITHIN_S = 0.1


def _child(emulator: Emulator, scenario: str, instance: str, restore_id: str = "-") -> Any:
    env = dict(os.environ, PYTHONPATH=str(Path(dcs.__file__).resolve().parents[1]))
    result = subprocess.run(
        [sys.executable, str(CHILD), emulator.url, instance, restore_id, scenario],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    # ctypes prints and drops an exception raised in a callback: Ctrl-C lost.
    assert "Exception ignored" not in result.stderr, result.stderr
    return json.loads(result.stdout)


def _hang_show_instance(emulator: Emulator) -> None:
    emulator.fault(operation="ShowInstance", kind="hang_after_work", delay_ms=20_000)


def _long_restore(client: dcs.Client, emulator: Emulator, instance: str, backup: str) -> str:
    emulator.set_timings(restore_running_ms=60_000)
    return client.restore_instance(instance, backup)


# -- the direct way ----------------------------------------------------------------------


def test_ctrl_c_stops_a_hung_request_at_once(emulator: Emulator) -> None:
    _hang_show_instance(emulator)
    report = _child(emulator, "request", DEMO_INSTANCE)
    assert report["outcome"] == "KeyboardInterrupt"
    assert report["after_signal_s"] < WITHIN_S
    # The emulator saw the request end unanswered while the child was alive with the
    # client open: the cancelled call dropped it.
    assert report["hung_requests_ended"] == 1
    assert "dcs-call" not in report["threads"]
    assert report["wakeup_fd_after"] == -1  # put back


def test_ctrl_c_stops_a_long_wait_at_once(
    client: dcs.Client, emulator: Emulator, instance: str, backup: str
) -> None:
    restore_id = _long_restore(client, emulator, instance, backup)
    report = _child(emulator, "wait", instance, restore_id)
    assert report["outcome"] == "KeyboardInterrupt"
    assert report["after_signal_s"] < WITHIN_S
    assert "dcs-call" not in report["threads"]


def test_an_ignored_sigint_does_not_stop_a_call(emulator: Emulator) -> None:
    emulator.fault(operation="ShowInstance", kind="delay", delay_ms=800)
    report = _child(emulator, "ignored", DEMO_INSTANCE)
    assert report["outcome"] == "returned"
    assert "dcs-call" not in report["threads"]


def test_after_a_fork_each_process_takes_only_its_own_ctrl_c(emulator: Emulator) -> None:
    # Were the pipe shared, the child's SIGINT could cancel the parent's call instead.
    emulator.fault(operation="ShowInstance", kind="delay", delay_ms=1500)
    env = dict(os.environ, PYTHONPATH=str(Path(dcs.__file__).resolve().parents[1]))
    result = subprocess.run(
        [sys.executable, str(CHILD), emulator.url, DEMO_INSTANCE, "-", "fork"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    reports = {k: v for line in result.stdout.splitlines() for k, v in json.loads(line).items()}
    assert reports["child"] == "KeyboardInterrupt"
    assert reports["child_after_signal_s"] < WITHIN_S
    assert reports["child_helped"] == 0  # a call on a helper thread of its own
    assert reports["parent"] == "returned"


# -- on a helper thread ------------------------------------------------------------------


def test_ctrl_c_stops_a_wait_with_progress(
    client: dcs.Client, emulator: Emulator, instance: str, backup: str
) -> None:
    restore_id = _long_restore(client, emulator, instance, backup)
    report = _child(emulator, "wait-progress", instance, restore_id)
    assert report["outcome"] == "KeyboardInterrupt"
    assert report["after_signal_s"] < WITHIN_S
    assert "dcs-call" in report["threads"]


def test_ctrl_c_stops_a_call_of_a_client_that_logs(emulator: Emulator) -> None:
    # The log callback runs inside the C call: taken there, the KeyboardInterrupt would be
    # printed and dropped by ctypes (checked in _child).
    _hang_show_instance(emulator)
    report = _child(emulator, "logged", DEMO_INSTANCE)
    assert report["outcome"] == "KeyboardInterrupt"
    assert report["after_signal_s"] < WITHIN_S
    assert report["hung_requests_ended"] == 1
    assert "dcs-call" in report["threads"]


def test_someone_elses_wakeup_fd_is_left_to_them(emulator: Emulator) -> None:
    _hang_show_instance(emulator)
    report = _child(emulator, "foreign-wakeup-fd", DEMO_INSTANCE)
    assert report["outcome"] == "KeyboardInterrupt"
    assert report["after_signal_s"] < WITHIN_S
    assert report["hung_requests_ended"] == 1
    assert "dcs-call" in report["threads"]
    assert report["wakeup_fd_after"] == report["their_fd"]
    assert report["their_bytes"] == [int(signal.SIGINT)]  # their wake-up, not swallowed


def test_a_sigint_handler_that_returns_lets_the_call_finish(emulator: Emulator) -> None:
    emulator.fault(operation="ShowInstance", kind="delay", delay_ms=800)
    report = _child(emulator, "own-handler-returns", DEMO_INSTANCE)
    assert report["handled"] == [int(signal.SIGINT)]
    assert report["outcome"] == "returned"
    assert "dcs-call" in report["threads"]


def test_a_sigint_handler_that_raises_stops_the_call(emulator: Emulator) -> None:
    _hang_show_instance(emulator)
    report = _child(emulator, "own-handler-raises", DEMO_INSTANCE)
    assert report["outcome"] == "OwnHandlerError"
    assert report["after_signal_s"] < WITHIN_S
    assert report["hung_requests_ended"] == 1


# -- in this process: which way a call takes ---------------------------------------------


@pytest.fixture
def helper_jobs(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Every job handed to a helper thread while the test runs (and still run there)."""
    jobs: list[object] = []
    real = _blocking._helpers.run

    def run(job: Callable[[], None]) -> None:
        jobs.append(job)
        real(job)

    monkeypatch.setattr(_blocking._helpers, "run", run)
    yield jobs


def _direct_calls_available() -> None:
    assert threading.current_thread() is threading.main_thread()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    # A libdcs without dcs_cancel_token_watch_fd would quietly take the helper thread.
    assert _blocking._watch_fd is not None, f"libdcs {dcs.library_version()} cannot watch an fd"


def test_main_thread_calls_take_no_helper_thread(
    client: dcs.Client, emulator: Emulator, instance: str, backup: str, helper_jobs: list[object]
) -> None:
    _direct_calls_available()
    before = emulator.stats()["requests"]
    restore_id = client.restore_instance(instance, backup)
    client.get_restore(instance, restore_id)
    client.list_restores(instance)
    client.show_instance(instance)
    client.wait_for_restore(instance, restore_id, poll_interval=0.05, timeout=10)
    client.get_restore(instance, restore_id, cancel=dcs.CancelToken())
    assert emulator.stats()["requests"] - before >= 6  # they really ran
    assert helper_jobs == []
    assert signal.set_wakeup_fd(-1) == -1  # nothing left behind


def test_the_helper_thread_is_still_taken_where_needed(
    emulator: Emulator, instance: str, backup: str, helper_jobs: list[object]
) -> None:
    # The counterpart of the test above: the fixture does see helper threads.
    from conftest import client_args

    lines: list[str] = []
    with dcs.Client(**client_args(emulator, log=lambda level, line: lines.append(line))) as c:
        c.show_instance(instance)
    assert len(helper_jobs) == 1 and lines


def test_a_signal_left_in_the_pipe_does_not_cancel_the_next_call(
    client: dcs.Client, instance: str
) -> None:
    # A SIGINT caught after libdcs stopped reading, before the wakeup fd was put back,
    # leaves its byte behind (and raised KeyboardInterrupt then); it must not cancel the
    # next call.
    _direct_calls_available()
    client.show_instance(instance)
    os.write(_blocking._main_calls._write, bytes([int(signal.SIGINT)]))
    assert client.show_instance(instance).instance_id == instance


def test_a_cancelled_call_does_not_spoil_the_calls_after_it(
    client: dcs.Client, emulator: Emulator, instance: str
) -> None:
    # The direct calls reuse their private token until something cancels it.
    _direct_calls_available()
    emulator.fault(operation="ShowInstance", kind="delay", delay_ms=5000, count=1)
    token = dcs.CancelToken()
    timer = threading.Timer(0.2, token.cancel)
    timer.start()
    started = time.monotonic()
    with pytest.raises(dcs.DcsCancelledError):
        client.show_instance(instance, cancel=token)
    assert time.monotonic() - started < 0.2 + 0.5
    timer.join()
    assert client.show_instance(instance).instance_id == instance
    other = dcs.CancelToken()
    assert client.show_instance(instance, cancel=other).instance_id == instance
    assert not other.cancelled


# -- progress callbacks ------------------------------------------------------------------


def test_a_raising_progress_callback_stops_the_wait_on_the_main_thread(
    client: dcs.Client, emulator: Emulator, instance: str, backup: str
) -> None:
    restore_id = _long_restore(client, emulator, instance, backup)
    ran_on: list[str] = []

    class StopError(Exception):
        pass

    def progress(record: dcs.Restore) -> None:
        ran_on.append(threading.current_thread().name)
        raise StopError

    emulator.clear_requests()
    with pytest.raises(StopError):
        client.wait_for_restore(instance, restore_id, progress=progress, poll_interval=0.05)
    assert ran_on == [threading.main_thread().name]
    # The wait is over from the service's side too: no poll after the first.
    polls = len(emulator.requests())
    time.sleep(0.3)
    assert len(emulator.requests()) == polls == 1


def test_progress_off_the_main_thread_runs_on_the_calling_thread(
    client: dcs.Client, emulator: Emulator, instance: str, backup: str
) -> None:
    restore_id = _long_restore(client, emulator, instance, backup)
    seen: list[str] = []
    outcome: list[BaseException] = []

    class StopError(Exception):
        pass

    def progress(record: dcs.Restore) -> None:
        seen.append(threading.current_thread().name)
        raise StopError

    def waiter() -> None:
        try:
            client.wait_for_restore(instance, restore_id, progress=progress, poll_interval=0.05)
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=waiter, name="the-waiter")
    thread.start()
    thread.join(timeout=10)
    assert seen == ["the-waiter"]
    assert len(outcome) == 1 and isinstance(outcome[0], StopError)
