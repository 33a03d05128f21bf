"""The child process of test_interrupt.py: one call on the main thread, Ctrl-C during it.

``python _interrupt_child.py URL INSTANCE RESTORE_ID SCENARIO`` (RESTORE_ID may be "-")
makes one call, sends itself SIGINT ``KILL_AFTER_S`` into it from a timer thread, and
prints one JSON line: how the call ended, how long after the signal, which threads the
process had, and what the scenario needs checked. The test judges it.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import sys
import threading
import time
import urllib.request
from typing import Any

import dcs

KILL_AFTER_S = 0.3

AK = "DEMOACCESSKEY0000001"
SK = "demo-secret-key-0123456789abcdefghijklmnop"
PROJECT = "0123456789abcdef0123456789abcdef"


class OwnHandlerError(Exception):
    """What the program's own SIGINT handler raises in the "own-handler-raises" scenario."""


def hung_requests(url: str, operation: str) -> int:
    """How many of ``operation``'s requests the emulator saw end without an answer."""
    with urllib.request.urlopen(f"{url}/_emulator/requests", timeout=10) as response:
        entries = json.loads(response.read())["requests"]
    return sum(1 for e in entries if e["operation"] == operation and e["status"] == 0)


def forked(url: str, instance: str) -> None:
    """A call in each of two processes, the child's interrupted: only the child's stops."""
    client = dcs.Client(endpoint=url, ak=AK, sk=SK, project_id=PROJECT, timeout=30)
    client.list_restores(instance)  # a direct call: the pipe exists before the fork
    logs = dcs.Client(
        endpoint=url, ak=AK, sk=SK, project_id=PROJECT, timeout=30, log=lambda level, line: None
    )
    logs.list_restores(instance)  # on a helper thread, which the child will not have
    pid = os.fork()
    if pid == 0:
        child = dcs.Client(endpoint=url, ak=AK, sk=SK, project_id=PROJECT, timeout=30)
        killed_at: list[float] = []

        def interrupt() -> None:
            killed_at.append(time.monotonic())
            os.kill(os.getpid(), signal.SIGINT)

        threading.Timer(KILL_AFTER_S, interrupt).start()
        try:
            child.show_instance(instance)
            outcome = "returned"
        except BaseException as exc:
            outcome = type(exc).__name__
        after = time.monotonic() - killed_at[0] if killed_at else None
        # Hangs (and the test times out) if the child thinks it has the parent's helpers.
        helped = len(
            dcs.Client(
                endpoint=url, ak=AK, sk=SK, project_id=PROJECT, log=lambda level, line: None
            ).list_restores(instance)
        )
        report = {"child": outcome, "child_after_signal_s": after, "child_helped": helped}
        print(json.dumps(report), flush=True)
        os._exit(0)
    try:
        client.show_instance(instance)
        outcome = "returned"
    except BaseException as exc:
        outcome = type(exc).__name__
    os.waitpid(pid, 0)
    print(json.dumps({"parent": outcome}), flush=True)


def main() -> None:
    url, instance, restore_id, scenario = sys.argv[1:5]
    if scenario == "fork":
        forked(url, instance)
        return
    report: dict[str, Any] = {}
    log = None
    if scenario == "logged":
        log = logging.getLogger("dcs-test")
        log.setLevel(logging.DEBUG)
        log.addHandler(logging.StreamHandler(sys.stderr))
    client = dcs.Client(endpoint=url, ak=AK, sk=SK, project_id=PROJECT, timeout=30, log=log)

    theirs: socket.socket | None = None
    if scenario == "foreign-wakeup-fd":
        # As an asyncio event loop that handles signals does.
        theirs, their_write = socket.socketpair()
        theirs.setblocking(False)
        their_write.setblocking(False)
        signal.set_wakeup_fd(their_write.fileno())
        report["their_fd"] = their_write.fileno()
    handled: list[int] = []
    if scenario == "own-handler-returns":
        signal.signal(signal.SIGINT, lambda signo, frame: handled.append(signo))
    elif scenario == "own-handler-raises":

        def raising(signo: int, frame: object) -> None:
            raise OwnHandlerError

        signal.signal(signal.SIGINT, raising)
    elif scenario == "ignored":
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    killed_at: list[float] = []

    def interrupt() -> None:
        killed_at.append(time.monotonic())
        os.kill(os.getpid(), signal.SIGINT)

    threading.Timer(KILL_AFTER_S, interrupt).start()
    try:
        if scenario in ("wait", "wait-progress"):
            client.wait_for_restore(
                instance,
                restore_id,
                poll_interval=5,
                progress=(lambda r: None) if scenario == "wait-progress" else None,
                timeout=30,
            )
        else:
            client.show_instance(instance)
        outcome = "returned"
    except BaseException as exc:
        outcome = type(exc).__name__
    ended_at = time.monotonic()
    report["outcome"] = outcome
    report["after_signal_s"] = ended_at - killed_at[0] if killed_at else None
    report["threads"] = sorted(t.name for t in threading.enumerate())
    report["handled"] = handled
    # Still alive and with the client open: a hung request the emulator saw end was
    # abandoned by the cancelled call itself.
    deadline = time.monotonic() + 2
    while hung_requests(url, "ShowInstance") == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    report["hung_requests_ended"] = hung_requests(url, "ShowInstance")
    report["wakeup_fd_after"] = signal.set_wakeup_fd(-1)
    if theirs is not None:
        try:
            report["their_bytes"] = list(theirs.recv(64))
        except BlockingIOError:
            report["their_bytes"] = []
    client.close()
    print(json.dumps(report), flush=True)


if __name__ == "__main__":
    main()
