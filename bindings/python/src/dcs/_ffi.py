"""The calling convention of the C ABI: status codes, error objects, owned strings."""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from typing import Any

from ._errors import DcsError, RequestSent, Status, error_class
from ._native import lib


def text(raw: bytes | None) -> str:
    """A borrowed ``const char *`` from a getter as ``str`` (getters never return NULL)."""
    return "" if raw is None else raw.decode("utf-8", "replace")


def status_name(status: int) -> str:
    """The library's static name of a status, e.g. "not found"."""
    return text(lib.dcs_status_str(status))


def error_from(status: int, err: ctypes.c_void_p) -> DcsError:
    """The exception for a failed call; frees the C error object."""
    code = Status(status)
    handle = err.value
    if handle is None:
        # Only when the library could not even allocate the error.
        return error_class(code)(status_name(status), status=code)
    try:
        sent = int(lib.dcs_error_request_sent(handle))
        return error_class(code)(
            text(lib.dcs_error_message(handle)),
            status=code,
            http_status=int(lib.dcs_error_http_status(handle)),
            error_code=text(lib.dcs_error_service_code(handle)),
            error_msg=text(lib.dcs_error_service_message(handle)),
            error_ext_msg=text(lib.dcs_error_service_ext_message(handle)),
            request_id=text(lib.dcs_error_request_id(handle)),
            request_sent=RequestSent(sent) if sent in (0, 1, 2) else RequestSent.MAYBE,
        )
    finally:
        lib.dcs_error_free(handle)


def call(fn: Callable[..., Any], *args: Any) -> None:
    """Calls a fallible C function, appending its ``out_err``; raises on failure."""
    err = ctypes.c_void_p()
    status = int(fn(*args, ctypes.byref(err)))
    if status != 0:
        raise error_from(status, err)


def new_handle(fn: Callable[..., Any]) -> int:
    """Calls a ``*_new(&out, &err)`` constructor and returns the handle."""
    out = ctypes.c_void_p()
    call(fn, ctypes.byref(out))
    assert out.value is not None
    return out.value


def take_string(ptr: ctypes.c_void_p) -> str:
    """Reads a string the library allocated for the caller, then frees it."""
    if ptr.value is None:
        return ""
    try:
        return text(ctypes.string_at(ptr.value))
    finally:
        lib.dcs_string_free(ptr.value)
