"""Turning Python arguments into what the C ABI takes, rejecting what it must not see.

ctypes converts ``bytes`` to ``char *`` by pointing at the buffer, so a string with an
embedded NUL would silently arrive cut short: ``"inst\\0../x"`` would name ``inst``. Every
string is therefore checked here, and anything that is not a ``str`` (``bytes``, ``int``,
...) is refused rather than guessed at. Messages name the parameter, never its value: the
value may be a secret key, or a megabyte of garbage.
"""

from __future__ import annotations

import datetime as _dt
import math

from ._errors import invalid_argument

_MAX_MS = 2**62  # far beyond any sane deadline, well inside int64


def c_string(name: str, value: object) -> bytes:
    """``value`` as NUL-terminated-safe UTF-8, or :class:`InvalidArgumentError`."""
    if not isinstance(value, str):
        raise invalid_argument(f"{name} must be a str, not {type(value).__name__}")
    if "\0" in value:
        raise invalid_argument(f"{name} must not contain a NUL character")
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError:
        raise invalid_argument(
            f"{name} is not valid Unicode text (it contains a lone surrogate)"
        ) from None


def optional_c_string(name: str, value: object) -> bytes | None:
    """Like :func:`c_string`, with ``None`` passed on as a NULL pointer."""
    return None if value is None else c_string(name, value)


def milliseconds(name: str, seconds: object) -> int:
    """A positive duration in seconds (int or float) as whole milliseconds, at least 1."""
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        raise invalid_argument(f"{name} must be a number of seconds")
    if not math.isfinite(seconds) or seconds <= 0:
        raise invalid_argument(f"{name} must be a positive, finite number of seconds")
    return min(_MAX_MS, max(1, math.ceil(seconds * 1000)))


def optional_milliseconds(name: str, seconds: object) -> int | None:
    """Like :func:`milliseconds`, with ``None`` meaning "the default"."""
    return None if seconds is None else milliseconds(name, seconds)


def positive_int(name: str, value: object) -> int:
    """A positive ``int`` (not a ``bool``)."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise invalid_argument(f"{name} must be a positive int")
    return value


def filter_time(name: str, value: object) -> bytes | None:
    """A list filter time: a ``datetime`` or a ``yyyyMMddHHmmss`` string, in UTC.

    An aware ``datetime`` is converted to UTC; a naive one is taken to be UTC already,
    as the service's filters are.
    """
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(_dt.timezone.utc)
        return value.strftime("%Y%m%d%H%M%S").encode("ascii")
    # A string goes to the library as it is; libdcs checks its shape.
    return c_string(name, value)
