"""Ctrl-C on the main thread stops a running call promptly and is not lost."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

import dcs

from conftest import DEMO_AK, DEMO_INSTANCE, DEMO_PROJECT, DEMO_SK, Emulator

SCRIPT = textwrap.dedent(
    """
    import os, signal, sys, threading, time
    import dcs

    client = dcs.Client(endpoint=sys.argv[1], ak=sys.argv[2], sk=sys.argv[3],
                        project_id=sys.argv[4], timeout=30)
    what = sys.argv[5]
    threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT)).start()
    started = time.monotonic()
    try:
        if what == "wait":
            restore_id = sys.argv[7]
            client.wait_for_restore(sys.argv[6], restore_id, poll_interval=5, timeout=30)
        elif what == "wait-progress":
            client.wait_for_restore(sys.argv[6], sys.argv[7], poll_interval=0.05,
                                    progress=lambda r: None, timeout=30)
        else:
            client.show_instance(sys.argv[6])
    except KeyboardInterrupt:
        print(f"interrupted after {time.monotonic() - started:.3f}")
    client.close()
    """
)


def _run(emulator: Emulator, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(Path(dcs.__file__).resolve().parents[1]))
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, emulator.url, DEMO_AK, DEMO_SK, DEMO_PROJECT, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _interrupted_after(result: subprocess.CompletedProcess[str]) -> float:
    assert "Exception ignored" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("interrupted after "), result.stdout + result.stderr
    return float(result.stdout.split()[-1])


def test_ctrl_c_stops_a_request(emulator: Emulator) -> None:
    emulator.fault(operation="ShowInstance", kind="delay", delay_ms=10_000)
    assert _interrupted_after(_run(emulator, "show", DEMO_INSTANCE)) < 0.3 + 0.5


@pytest.mark.parametrize("what", ["wait", "wait-progress"])
def test_ctrl_c_stops_a_wait(
    client: dcs.Client, emulator: Emulator, instance: str, backup: str, what: str
) -> None:
    emulator.set_timings(restore_running_ms=60_000)
    restore_id = client.restore_instance(instance, backup)
    assert _interrupted_after(_run(emulator, what, instance, restore_id)) < 0.3 + 0.5


def test_progress_off_the_main_thread_runs_on_the_calling_thread(
    client: dcs.Client, emulator: Emulator, instance: str, backup: str
) -> None:
    emulator.set_timings(restore_running_ms=60_000)
    restore_id = client.restore_instance(instance, backup)
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
