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
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


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


def non_negative_milliseconds(name: str, seconds: object) -> int:
    """A duration in seconds that may be 0, as whole milliseconds (a positive one at least 1)."""
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        raise invalid_argument(f"{name} must be a number of seconds")
    if not math.isfinite(seconds) or seconds < 0:
        raise invalid_argument(f"{name} must be a non-negative, finite number of seconds")
    if seconds == 0:
        return 0
    return min(_MAX_MS, max(1, math.ceil(seconds * 1000)))


def optional_non_negative_milliseconds(name: str, seconds: object) -> int | None:
    """Like :func:`non_negative_milliseconds`, with ``None`` meaning "the default"."""
    return None if seconds is None else non_negative_milliseconds(name, seconds)


def epoch_milliseconds(name: str, value: object) -> int:
    """A point in time as milliseconds since the Unix epoch, rounded down.

    ``value`` is a timezone-aware ``datetime`` or a number of seconds since the epoch
    (``time.time()``). A naive ``datetime`` is refused: it would be read in whatever
    zone the machine happens to be in, and an hour off is enough to miss a restore.
    """
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise invalid_argument(
                f"{name} must be a timezone-aware datetime (e.g. datetime.now(timezone.utc))"
            )
        ms = (value - _EPOCH) // _dt.timedelta(milliseconds=1)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise invalid_argument(f"{name} must be a finite number of seconds since the epoch")
        ms = math.floor(value * 1000)
    else:
        raise invalid_argument(
            f"{name} must be a timezone-aware datetime or seconds since the epoch, "
            f"not {type(value).__name__}"
        )
    if ms < 0 or ms > _MAX_MS:
        raise invalid_argument(f"{name} must be a time after the Unix epoch")
    return int(ms)


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
