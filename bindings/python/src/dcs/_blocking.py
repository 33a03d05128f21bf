"""Running a blocking C call so that Ctrl-C and raising callbacks can stop it.

Python runs signal handlers only between bytecodes of the main thread. While the main
thread sits in a foreign call, a Ctrl-C waits until the call returns (a wait for a restore
may take 30 minutes), and a handler that fires inside a ctypes callback raises at the
callback's first line, where ctypes can only print and drop the KeyboardInterrupt.

So on the main thread the C call runs on a helper thread while the main thread waits on a
queue, which signals do interrupt. Helper threads are kept and reused: starting a thread
per call cost more CPU than the C call itself (bench/).

A KeyboardInterrupt (or any exception from a signal handler) then cancels the call's
private token; the call returns within about 100 ms and the exception propagates. Events
for the caller (wait progress) travel over the same queue, so the caller's callback still
runs on the caller's thread. On other threads the C call runs directly: signals are not
delivered there.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from ._cancel import CancelToken, private_token

T = TypeVar("T")

Relay = Callable[[Any], None]
"""How the work hands an event to the caller's ``notify``; only ever called on the C side."""

Work = Callable[[CancelToken | None, Relay | None], T]
"""The call itself: given the token to pass to libdcs and the relay for events."""

_DONE = object()

# Idle helpers kept beyond this number end instead: more are only ever needed when a
# progress callback on the main thread makes calls of its own.
_MAX_IDLE_HELPERS = 4


class _Helpers:
    """Daemon threads that run the main thread's C calls, each waiting on its own inbox."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: list[queue.SimpleQueue[Callable[[], None]]] = []

    def run(self, job: Callable[[], None]) -> None:
        """Runs ``job`` on an idle helper, or on a new one when none is idle."""
        with self._lock:
            inbox = self._idle.pop() if self._idle else None
        if inbox is None:
            inbox = queue.SimpleQueue()
            threading.Thread(
                target=self._serve, args=(inbox,), name="dcs-call", daemon=True
            ).start()
        inbox.put(job)

    def _serve(self, inbox: queue.SimpleQueue[Callable[[], None]]) -> None:
        while True:
            inbox.get()()
            with self._lock:
                if len(self._idle) >= _MAX_IDLE_HELPERS:
                    return
                self._idle.append(inbox)


_helpers = _Helpers()


def call_blocking(
    work: Work[T], cancel: CancelToken | None, notify: Callable[[Any], None] | None = None
) -> T:
    """Runs ``work``; ``notify`` receives its events on this thread.

    If ``notify`` raises, the call is cancelled and that exception propagates instead of
    the call's own outcome.
    """
    on_main_thread = threading.current_thread() is threading.main_thread()
    if not on_main_thread and notify is None:
        return work(cancel, None)

    with private_token(cancel) as token:
        raised: list[BaseException] = []

        def deliver(event: Any) -> None:
            if raised or notify is None:
                return
            try:
                notify(event)
            except BaseException as exc:
                raised.append(exc)
                token.cancel()

        if not on_main_thread:
            try:
                result = work(token, deliver)
            except BaseException:
                if raised:
                    raise raised[0] from None
                raise
            if raised:
                raise raised[0]
            return result
        return _on_helper_thread(work, token, deliver, raised, notify is not None)


def _on_helper_thread(
    work: Work[T],
    token: CancelToken,
    deliver: Callable[[Any], None],
    raised: list[BaseException],
    has_events: bool,
) -> T:
    events: queue.SimpleQueue[Any] = queue.SimpleQueue()
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = work(token, events.put if has_events else None)
        except BaseException as exc:
            outcome["error"] = exc
        finally:
            events.put(_DONE)

    _helpers.run(run)
    try:
        while (event := events.get()) is not _DONE:
            deliver(event)
    except BaseException:
        # A signal handler raised (Ctrl-C): stop the call and let it come back first, so
        # that nothing is left running on the client behind the caller's back.
        token.cancel()
        _wait_for_done(events)
        raise
    if raised:
        raise raised[0]
    if "error" in outcome:
        raise outcome["error"]
    value: T = outcome["value"]
    return value


def _wait_for_done(events: queue.SimpleQueue[Any]) -> None:
    while True:
        try:
            if events.get() is _DONE:
                return
        except BaseException:  # a second Ctrl-C: the call is already ending, keep waiting
            continue
