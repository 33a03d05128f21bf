"""Running a blocking C call so that Ctrl-C and raising callbacks can stop it.

Python runs signal handlers only between bytecodes of the main thread: while the main
thread sits in a foreign call, its SIGINT handler cannot run before the call returns, and
a wait for a restore may take 30 minutes. So on the main thread a call is made in one of
two ways.

Directly (the usual way, libdcs 1.2.0 and later). For the duration of the call the
binding makes a non-blocking self-pipe Python's wakeup fd (``signal.set_wakeup_fd``), into
which Python's C-level signal handler writes the number of every signal it catches, and
gives the call a private token that libdcs cancels when it reads SIGINT's number from that
pipe (``dcs_cancel_token_watch_fd``; libdcs waits on the pipe along with its sockets and
timers). Ctrl-C thus ends the call at once with DCS_E_CANCELLED; at the next bytecode
Python runs its own SIGINT handler, and the KeyboardInterrupt propagates. No thread is
involved: the call costs what the C call costs. The private token is reused from call to
call until something cancels it (Ctrl-C, the caller's token, the client's close), which
spares a C allocation per call; CancelToken.cancel reaches adopted tokens only while they
are adopted, so a cancel meant for one call never lands on the next. Bytes left in the
pipe by a signal caught after the call had stopped reading are drained before the next
call, so that they cannot cancel it.

On a helper thread, where the direct way cannot work. The C call runs on a daemon thread
while the main thread waits on a queue, which signals do interrupt; a KeyboardInterrupt (or
any exception from a signal handler) then cancels the call's private token, the call
returns within about 100 ms, and the exception propagates. Helper threads are kept and
reused: starting a thread per call cost more CPU than the C call itself (bench/). This
way is taken when:

* Python code would run inside the C call: a ``progress`` callback, or the client's
  ``log``. A signal caught during the call would be handled at the first line of that
  callback, where ctypes can only print and drop the KeyboardInterrupt. On the helper
  thread no signal handler runs; progress events travel to the main thread over the
  queue, so ``progress`` still runs on the caller's thread, and if it raises, the call is
  cancelled and its exception propagates.
* SIGINT has a Python handler other than Python's default (the program's own, or
  ``asyncio.run``'s): the program decides what Ctrl-C means. The handler runs at once; if
  it raises, the call is cancelled and the exception propagates, and if it returns, the
  call goes on. (Directly, libdcs would already have cancelled the call.)
* Someone else owns the wakeup fd (an asyncio event loop that handles signals). It is put
  back at once, and any signal caught in between is passed on to it.
* The library predates dcs_cancel_token_watch_fd, or has no pipe to spare.

When SIGINT has no Python handler (``SIG_IGN``, ``SIG_DFL``), there is nothing to
interrupt: the call is made directly and watches nothing. During a direct call only
SIGINT interrupts: the Python handlers of other signals (SIGTERM, say) run when the call
returns. A program that must stop calls on such a signal makes them off the main thread
and cancels their token from the handler.

Off the main thread the C call always runs directly: signal handlers never run there, and
a ``progress`` callback runs on the calling thread from within the C call.
"""

from __future__ import annotations

import contextlib
import os
import queue
import select
import signal
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from ._cancel import CancelToken, private_token
from ._errors import DcsError
from ._ffi import call
from ._native import lib
from ._options import Settings, new_call_options

try:
    # The C function: signal.getsignal wraps it in an enum conversion that costs more
    # than the rest of the checks below together.
    from _signal import getsignal as _getsignal  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - every CPython has _signal
    _getsignal = signal.getsignal

T = TypeVar("T")

Relay = Callable[[Any], None]
"""How the work hands an event to the caller's ``notify``; only ever called on the C side."""

Work = Callable[[CancelToken | None, Relay | None], T]
"""The call itself: given the token to pass to libdcs and the relay for events.

The token is the call's own (private: cancelling it never cancels the caller's), or None,
meaning that the call needs no token beyond the client's.
"""

_DONE = object()

# Idle helpers kept beyond this number end instead: more are only ever needed when a
# progress callback on the main thread makes calls of its own.
_MAX_IDLE_HELPERS = 4

# The distinct settings whose C call options a WatchingToken keeps: a program uses a few;
# one that varies a timeout per call makes the options of the others per call.
_MAX_KEPT_OPTIONS = 8

_SIGINT = int(signal.SIGINT)
_DEFAULT_INT_HANDLER = signal.default_int_handler
_watch_fd: Callable[..., Any] | None = getattr(lib, "dcs_cancel_token_watch_fd", None)
_is_cancelled = lib.dcs_cancel_token_is_cancelled


class WatchingToken(CancelToken):
    """A private token of the main thread's direct calls: SIGINT on the pipe cancels it.

    It also keeps the C call options of its calls, bound to it, one per distinct settings
    (``_options.Settings``; None for the client's), so that a call like an earlier one
    allocates none (``_client._Call``). Only the main thread uses them, one call at a time
    (a call made while another prepares gets a token of its own: ``in_use``), as libdcs
    asks of call options.
    """

    __slots__ = ("_options", "in_use")

    def __init__(self, read_fd: int) -> None:
        super().__init__()
        self.in_use = False
        self._options: dict[Settings | None, int] = {}
        assert _watch_fd is not None
        call(_watch_fd, self._handle, read_fd, _SIGINT)

    def options(self, key: Settings | None) -> int:
        """C call options with this token and the settings ``key``, kept for the next call
        with the same; 0 once a few are kept (the caller then makes its own)."""
        options = self._options.get(key, 0)
        if not options and len(self._options) < _MAX_KEPT_OPTIONS:
            options = self._options[key] = new_call_options(self._handle, key)
        return options

    def __del__(self, _free: Callable[[int], object] = lib.dcs_call_options_free) -> None:
        for options in getattr(self, "_options", {}).values():
            _free(options)
        super().__del__()


class _MainThreadCalls:
    """The main thread's direct calls: the self-pipe and the reusable private token."""

    def __init__(self) -> None:
        self._read = -1
        self._write = -1
        self._poll: select.poll | None = None
        self._token: WatchingToken | None = None
        # threading.main_thread().ident, kept: a property read per call costs more. A
        # fork's child has a new main thread (the one that forked).
        self.main_ident = threading.main_thread().ident
        # Direct calls in progress: more than one only when a signal handler (or a __del__
        # that the garbage collector runs) makes a call while the binding prepares one.
        self._depth = 0
        os.register_at_fork(after_in_child=self._after_fork)

    def begin(self) -> WatchingToken | None:
        """Watches for SIGINT and returns the call's token, or None to take a helper thread.

        A non-None result must be handed back to :meth:`end`.
        """
        if _watch_fd is None or (self._read < 0 and not self._open()):
            return None
        token = self._token
        try:
            if token is None or _is_cancelled(token._handle):
                token = self._token = WatchingToken(self._read)
            elif token.in_use:
                token = WatchingToken(self._read)
        except DcsError:  # libdcs could not watch (out of descriptors for its wake pipe)
            return None
        if not self._depth:
            if self._poll is not None and self._poll.poll(0):
                self._drain()
            try:
                old = signal.set_wakeup_fd(self._write, warn_on_full_buffer=False)
            except ValueError:  # not the main interpreter
                return None
            if old not in (-1, self._write):
                # Not ours to take (an event loop's, say): give it back, with anything
                # caught meanwhile.
                self._give_back(old)
                return None
        token.in_use = True
        self._depth += 1
        return token

    def end(self, token: WatchingToken) -> None:
        token.in_use = False
        self._depth -= 1
        if not self._depth:
            signal.set_wakeup_fd(-1)

    def _open(self) -> bool:
        try:
            self._read, self._write = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError:  # out of descriptors: the helper thread needs none
            return False
        self._poll = select.poll()
        self._poll.register(self._read, select.POLLIN)
        return True

    def _drain(self) -> bytes:
        """Empties the pipe (poll first: a read that finds nothing costs an exception)."""
        assert self._poll is not None
        data = b""
        while self._poll.poll(0):
            try:
                chunk = os.read(self._read, 512)
            except BlockingIOError:
                break
            if not chunk:
                break
            data += chunk
        return data

    def _give_back(self, owner_fd: int) -> None:
        signal.set_wakeup_fd(owner_fd)
        caught = self._drain()
        if caught:
            # A full buffer means that the owner has wake-ups pending anyway.
            with contextlib.suppress(OSError):
                os.write(owner_fd, caught)

    def _after_fork(self) -> None:
        # The child must not share the parent's pipe: a signal caught by one process could
        # cancel the other's call, and the other's own signal would go unseen.
        if self._write >= 0:
            try:
                old = signal.set_wakeup_fd(-1)
                if old not in (-1, self._write):
                    signal.set_wakeup_fd(old)
            except ValueError:  # not the main interpreter's main thread
                pass
            os.close(self._read)
            os.close(self._write)
        self._read = self._write = -1
        self._poll = None
        self._token = None
        self._depth = 0
        self.main_ident = threading.get_ident()


class _Helpers:
    """Daemon threads that run the main thread's C calls, each waiting on its own inbox."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: list[queue.SimpleQueue[Callable[[], None]]] = []
        os.register_at_fork(after_in_child=self._after_fork)

    def _after_fork(self) -> None:
        # A fork's child has none of the threads: a job put in their inboxes would wait
        # for ever.
        self._lock = threading.Lock()
        self._idle = []

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
_main_calls = _MainThreadCalls()


def call_blocking(
    work: Work[T],
    cancel: CancelToken | None,
    notify: Callable[[Any], None] | None = None,
    *,
    calls_back: bool = False,
) -> T:
    """Runs ``work``; ``notify`` receives its events on this thread.

    ``calls_back`` says that the C call may run Python code of its own (a log callback).
    If ``notify`` raises, the call is cancelled and that exception propagates instead of
    the call's own outcome.
    """
    if threading.get_ident() != _main_calls.main_ident:
        if notify is None:
            return _unwatched(work, cancel)
        return _with_events_here(work, cancel, notify)

    if notify is None and not calls_back:
        handler = _getsignal(_SIGINT)
        if handler is _DEFAULT_INT_HANDLER:
            watching = _main_calls.begin()
            if watching is not None:
                try:
                    if cancel is None:
                        return work(watching, None)
                    # _adopt/_disown rather than the _adopted context manager: a generator
                    # costs more than the rest of the way here.
                    cancel._adopt(watching)
                    try:
                        return work(watching, None)
                    finally:
                        cancel._disown(watching)
                finally:
                    _main_calls.end(watching)
        elif not callable(handler):  # SIG_IGN, SIG_DFL, or none from Python
            return _unwatched(work, cancel)
    with private_token(cancel) as token:
        return _on_helper_thread(work, token, notify)


def _unwatched(work: Work[T], cancel: CancelToken | None) -> T:
    """A direct call that only the caller's token and the client's close can stop."""
    if cancel is None:
        return work(None, None)
    with cancel._linked_child() as token:
        return work(token, None)


def _with_events_here(
    work: Work[T], cancel: CancelToken | None, notify: Callable[[Any], None]
) -> T:
    """A direct call off the main thread whose events reach ``notify`` from the C call."""
    with private_token(cancel) as token:
        raised: list[BaseException] = []

        def deliver(event: Any) -> None:
            if raised:
                return
            try:
                notify(event)
            except BaseException as exc:
                raised.append(exc)
                token.cancel()

        try:
            result = work(token, deliver)
        except BaseException:
            if raised:
                raise raised[0] from None
            raise
        if raised:
            raise raised[0]
        return result


def _on_helper_thread(work: Work[T], token: CancelToken, notify: Callable[[Any], None] | None) -> T:
    events: queue.SimpleQueue[Any] = queue.SimpleQueue()
    outcome: dict[str, Any] = {}
    raised: list[BaseException] = []

    def run() -> None:
        try:
            outcome["value"] = work(token, None if notify is None else events.put)
        except BaseException as exc:
            outcome["error"] = exc
        finally:
            events.put(_DONE)

    _helpers.run(run)
    try:
        while (event := events.get()) is not _DONE:
            if raised or notify is None:
                continue
            try:
                notify(event)
            except BaseException as exc:
                raised.append(exc)
                token.cancel()
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
