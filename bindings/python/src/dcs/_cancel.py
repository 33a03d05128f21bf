"""CancelToken: cancel calls from another thread (wraps dcs_cancel_token)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ._ffi import new_handle
from ._native import lib


class CancelToken:
    """Cancels every call that was given this token, now and later.

    ``cancel()`` may be called from any thread (or a signal handler's thread, or an event
    loop); an in-flight request, a retry backoff or a wait then fails with
    :class:`DcsCancelledError` within about 100 ms. Cancelling is idempotent and cannot
    be undone: use a new token for new calls.
    """

    __slots__ = ("__weakref__", "_cancelled", "_children", "_handle", "_lock")

    def __init__(self) -> None:
        self._handle: int = new_handle(lib.dcs_cancel_token_new)
        # Reentrant: a signal handler may cancel a token while the main thread, which it
        # interrupted, holds this lock (in _adopted).
        self._lock = threading.RLock()
        self._children: set[CancelToken] = set()
        # Whether cancel() has been called, under _lock: what _adopt reads instead of
        # asking libdcs (a foreign call per call of the binding). Only cancel() cancels a
        # token that adopts: libdcs itself cancels only a token that watches a signal
        # pipe (_blocking.WatchingToken), which is only ever adopted, never adopts.
        self._cancelled = False

    def __del__(self, _free: Callable[[int], object] = lib.dcs_cancel_token_free) -> None:
        # The C token is reference counted, so freeing it while a call still holds it is
        # safe. __del__ rather than weakref.finalize: the binding makes tokens per call,
        # and a finalizer's registration costs more than the token. ``_free`` is bound at
        # definition so that it still works while the interpreter shuts down.
        handle = getattr(self, "_handle", None)
        if handle is not None:
            _free(handle)

    def cancel(self) -> None:
        """Cancels the calls using this token. Idempotent, thread-safe."""
        with self._lock:
            self._cancelled = True
            lib.dcs_cancel_token_cancel(self._handle)
            # Under the lock, so that once _adopted has let go of a child no cancel of
            # this token can still reach it: the binding reuses a private token after its
            # call when nothing cancelled it (_blocking.py).
            for child in tuple(self._children):
                child.cancel()

    @property
    def cancelled(self) -> bool:
        """Whether :meth:`cancel` has been called."""
        return bool(lib.dcs_cancel_token_is_cancelled(self._handle))

    def __repr__(self) -> str:
        return f"<dcs.CancelToken cancelled={self.cancelled}>"

    @property
    def _c_handle(self) -> int:
        return self._handle

    @contextmanager
    def _linked_child(self) -> Iterator[CancelToken]:
        """A private token that this one cancels too, for the duration of a call.

        The binding uses one when it must be able to cancel a call without cancelling
        the caller's token (an asyncio task cancelled, a progress callback that raised,
        the client closed).
        """
        child = CancelToken()
        with self._adopted(child):
            yield child

    @contextmanager
    def _adopted(self, child: CancelToken) -> Iterator[None]:
        """Makes this token cancel ``child`` too (at once if it already is), while it lasts."""
        self._adopt(child)
        try:
            yield
        finally:
            self._disown(child)

    def _adopt(self, child: CancelToken) -> None:
        """Starts cancelling ``child`` with this token (at once if it already is).

        Only a caller's token, a client's closing token and an AsyncClient call's token
        adopt, and only a call's private tokens are adopted: the locks are always taken
        in that order (parent first), so they cannot deadlock.
        """
        with self._lock:
            self._children.add(child)
            if self._cancelled:
                child.cancel()

    def _disown(self, child: CancelToken) -> None:
        """Undoes :meth:`_adopt`; once it returns, no cancel of this token reaches ``child``."""
        with self._lock:
            self._children.discard(child)


@contextmanager
def private_token(parent: CancelToken | None) -> Iterator[CancelToken]:
    """A token for one call, cancelled also when ``parent`` (the caller's token) is."""
    if parent is None:
        yield CancelToken()
    else:
        with parent._linked_child() as child:
            yield child
