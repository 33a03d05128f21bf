"""CancelToken: cancel calls from another thread (wraps dcs_cancel_token)."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
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

    __slots__ = ("__weakref__", "_children", "_finalizer", "_handle", "_lock")

    def __init__(self) -> None:
        self._handle: int = new_handle(lib.dcs_cancel_token_new)
        # The C token is reference counted, so freeing it while a call still holds it
        # is safe; the finalizer frees it when this object goes away.
        self._finalizer = weakref.finalize(self, lib.dcs_cancel_token_free, self._handle)
        self._lock = threading.Lock()
        self._children: set[CancelToken] = set()

    def cancel(self) -> None:
        """Cancels the calls using this token. Idempotent, thread-safe."""
        with self._lock:
            lib.dcs_cancel_token_cancel(self._handle)
            children = list(self._children)
        for child in children:
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
        with self._lock:
            self._children.add(child)
            cancelled = bool(lib.dcs_cancel_token_is_cancelled(self._handle))
        if cancelled:
            child.cancel()
        try:
            yield
        finally:
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
