"""Turning Python arguments into what the C ABI takes, rejecting what it must not see.

ctypes converts ``bytes`` to ``char *`` by pointing at the buffer, so a string with an
embedded NUL would silently arrive cut short: ``"inst\\0../x"`` would name ``inst``. Every
string is therefore checked here, and anything that is not a ``str`` (``bytes``, ``int``,
...) is refused rather than guessed at. Messages name the parameter, never its value: the
value may be a secret key, or a megabyte of garbage.
"""

from __future__ import annotations

import ctypes
import datetime as _dt
import math

from ._errors import invalid_argument

_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


def _signed_range(ctype: type[ctypes._SimpleCData[int]]) -> range:
    bits = 8 * ctypes.sizeof(ctype)
    return range(-(2 ** (bits - 1)), 2 ** (bits - 1))


# The C types' ranges: a number outside them cannot be handed to libdcs unchanged (ctypes
# would wrap it around), so it is refused here; every number inside goes to libdcs as it is,
# and libdcs alone decides whether it is within its limits.
_INT64 = _signed_range(ctypes.c_int64)
_INT = _signed_range(ctypes.c_int)
_SIZE = range(2 ** (8 * ctypes.sizeof(ctypes.c_size_t)))


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


def _fits(name: str, value: int, c_range: range, c_type: str) -> int:
    if value not in c_range:
        raise invalid_argument(f"{name} is out of range: it does not fit in a C {c_type}")
    return value


def milliseconds(name: str, seconds: object) -> int:
    """A duration in seconds (int or float) as whole milliseconds, for an ``int64_t`` ms.

    Rounded away from zero, so that a sub-millisecond duration does not become 0 (which
    libdcs reads as "the default") and a negative one stays negative. Whether the duration
    is within libdcs's limits (positive, at most 7 days, ...) is for libdcs to say.
    """
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        raise invalid_argument(f"{name} must be a number of seconds")
    if isinstance(seconds, int):
        ms = seconds * 1000
    else:
        scaled = seconds * 1000
        if not math.isfinite(scaled):
            raise invalid_argument(f"{name} must be a finite number of seconds")
        ms = math.ceil(scaled) if scaled >= 0 else math.floor(scaled)
    return _fits(name, ms, _INT64, "int64_t of milliseconds")


def optional_milliseconds(name: str, seconds: object) -> int | None:
    """Like :func:`milliseconds`, with ``None`` meaning "the default"."""
    return None if seconds is None else milliseconds(name, seconds)


def optional_nonzero_milliseconds(name: str, seconds: object) -> int | None:
    """Like :func:`optional_milliseconds`, for a setter that reads 0 ms as "the default".

    ``None`` is this binding's "the default", so 0 s is refused rather than silently given
    that meaning (``timeout=0`` is not "no time at all", and must not become two minutes).
    """
    ms = optional_milliseconds(name, seconds)
    if ms == 0:
        raise invalid_argument(f"{name} must not be 0 seconds (None is the default)")
    return ms


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
    elif isinstance(value, int) and not isinstance(value, bool):
        ms = value * 1000
    elif isinstance(value, float):
        if not math.isfinite(value * 1000):
            raise invalid_argument(f"{name} must be a finite number of seconds since the epoch")
        ms = math.floor(value * 1000)
    else:
        raise invalid_argument(
            f"{name} must be a timezone-aware datetime or seconds since the epoch, "
            f"not {type(value).__name__}"
        )
    return _fits(name, int(ms), _INT64, "int64_t of milliseconds")


def c_int(name: str, value: object) -> int:
    """An ``int`` (not a ``bool``) for a C ``int``; libdcs checks its limits."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid_argument(f"{name} must be an int")
    return _fits(name, value, _INT, "int")


def c_size(name: str, value: object) -> int:
    """An ``int`` (not a ``bool``) for a C ``size_t``; libdcs checks its limits."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid_argument(f"{name} must be an int")
    return _fits(name, value, _SIZE, "size_t")


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
