"""The C call options of one call (``dcs_call_options``), built from the call's settings.

A call's settings are gathered into a hashable :data:`Settings` tuple (``None`` when all
are the client's), so that the main thread's reusable token can keep one C options object
per distinct settings (_blocking.WatchingToken) instead of making, filling and freeing one
per call: five or more foreign calls spared on every call after the first.
"""

from __future__ import annotations

from ._ffi import call, new_handle
from ._native import lib

Settings = tuple[int | None, bool, int | None, int | None, bool]
"""(timeout_ms, preflight, attempt_timeout_ms, reconcile_window_ms, wait_while_busy) of a
call; None for a timeout or a limit is the client's, False for a flag is off."""


def settings(
    timeout_ms: int | None,
    preflight: bool = False,
    attempt_timeout_ms: int | None = None,
    reconcile_window_ms: int | None = None,
    wait_while_busy: bool = False,
) -> Settings | None:
    """The key of a call's settings; None when every one is the client's."""
    if (
        timeout_ms is None
        and not preflight
        and attempt_timeout_ms is None
        and reconcile_window_ms is None
        and not wait_while_busy
    ):
        return None
    return (timeout_ms, preflight, attempt_timeout_ms, reconcile_window_ms, wait_while_busy)


def new_call_options(token: int, key: Settings | None) -> int:
    """New C call options with the C cancel token ``token`` and the settings ``key``.

    The caller frees them (dcs_call_options_free). libdcs judges each value: one out of
    its range raises here, before the call.
    """
    handle = new_handle(lib.dcs_call_options_new)
    try:
        call(lib.dcs_call_options_set_cancel_token, handle, token)
        if key is not None:
            timeout_ms, preflight, attempt_timeout_ms, reconcile_window_ms, busy = key
            if timeout_ms is not None:
                call(lib.dcs_call_options_set_timeout_ms, handle, timeout_ms)
            if preflight:
                call(lib.dcs_call_options_set_preflight, handle, 1)
            if attempt_timeout_ms is not None:
                call(lib.dcs_call_options_set_attempt_timeout_ms, handle, attempt_timeout_ms)
            if reconcile_window_ms is not None:
                call(lib.dcs_call_options_set_reconcile_window_ms, handle, reconcile_window_ms)
            if busy:
                call(lib.dcs_call_options_set_wait_while_busy, handle, 1)
    except BaseException:
        lib.dcs_call_options_free(handle)
        raise
    return handle
