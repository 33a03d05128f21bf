"""The exception hierarchy, and the one table that maps every C status to its class."""

from __future__ import annotations

import enum
from typing import Any


class Status(enum.IntEnum):
    """The C library's ``dcs_status`` values (``DCS_E_*`` in dcs.h); append-only there too."""

    OK = 0
    INVALID_ARGUMENT = 1
    AUTH = 2
    NOT_FOUND = 3
    THROTTLED = 4
    BUSY = 5
    SERVER = 6
    TRANSPORT = 7
    TIMEOUT = 8
    CANCELLED = 9
    BAD_RESPONSE = 10
    INTERNAL = 11
    NOMEM = 12
    REJECTED = 13
    PRECONDITION = 14
    RESTORE_FAILED = 15

    @classmethod
    def _missing_(cls, value: object) -> Status | None:
        # A newer libdcs (same major, higher minor) may return a status this binding does
        # not know yet; keep its number rather than fail while reporting the failure.
        if not isinstance(value, int):
            return None
        member = int.__new__(cls, value)
        member._name_ = f"UNKNOWN_{value}"
        member._value_ = value
        return member


class RequestSent(enum.IntEnum):
    """Whether a failed request may have reached the service (``DCS_SENT_*``)."""

    NO = 0
    """Provably not: validation, DNS or connect failure. Safe to retry."""
    YES = 1
    """The service answered."""
    MAYBE = 2
    """Unknown: a timeout after sending, a connection reset, ... Check before retrying."""


class DcsError(Exception):
    """A libdcs call failed.

    ``str(error)`` is the library's one-line message; it never contains a secret key, a
    security token or an Authorization header. The other attributes carry the details:
    ``status`` (a :class:`Status`), ``http_status`` (0 when there was no response),
    ``error_code``/``error_msg``/``error_ext_msg`` (the service's error body, or a failed
    restore record's code), ``request_id`` (for support tickets) and ``request_sent``.
    """

    default_status: Status = Status.INTERNAL

    def __init__(
        self,
        message: str = "",
        *,
        status: Status | None = None,
        http_status: int = 0,
        error_code: str = "",
        error_msg: str = "",
        error_ext_msg: str = "",
        request_id: str = "",
        request_sent: RequestSent = RequestSent.NO,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = self.default_status if status is None else status
        self.http_status = http_status
        self.error_code = error_code
        self.error_msg = error_msg
        self.error_ext_msg = error_ext_msg
        self.request_id = request_id
        self.request_sent = request_sent

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        parts = [repr(self.message), f"status={self.status.name}"]
        if self.http_status:
            parts.append(f"http_status={self.http_status}")
        if self.error_code:
            parts.append(f"error_code={self.error_code!r}")
        if self.request_id:
            parts.append(f"request_id={self.request_id!r}")
        return f"{type(self).__name__}({', '.join(parts)})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only details do not survive BaseException's default pickling.
        return (_rebuild, (type(self), self.message, self.__dict__.copy()))


def _rebuild(cls: type[DcsError], message: str, state: dict[str, Any]) -> DcsError:
    error = cls(message)
    error.__dict__.update(state)
    return error


class InvalidArgumentError(DcsError, ValueError):
    """An argument was rejected before any network I/O: nothing was sent."""

    default_status = Status.INVALID_ARGUMENT


class AuthError(DcsError, PermissionError):
    """401/403: bad credentials, signature, project or permission."""

    default_status = Status.AUTH


class NotFoundError(DcsError, LookupError):
    """404, or the record asked for does not exist."""

    default_status = Status.NOT_FOUND


class ThrottledError(DcsError):
    """429 after the retries the call allowed."""

    default_status = Status.THROTTLED


class BusyError(DcsError):
    """The instance is busy (restoring, backing up, ...) after the retries the call allowed."""

    default_status = Status.BUSY


class ServerError(DcsError):
    """A 5xx answer from the service."""

    default_status = Status.SERVER


class TransportError(DcsError, ConnectionError):
    """DNS, connect, TLS or connection failure."""

    default_status = Status.TRANSPORT


class DcsTimeoutError(DcsError, TimeoutError):
    """The call's deadline passed.

    Named with the ``Dcs`` prefix so that it does not shadow the builtin ``TimeoutError``,
    which it derives from: ``except TimeoutError`` catches it.
    """

    default_status = Status.TIMEOUT


class DcsCancelledError(DcsError):
    """The call's :class:`CancelToken` was cancelled.

    Deliberately *not* called ``CancelledError`` and not derived from
    ``asyncio.CancelledError``: that one is a ``BaseException`` that asyncio treats as "this
    task is being cancelled", and a name clash with it (or with
    ``concurrent.futures.CancelledError``) in a module that imports both is an easy bug.
    A token cancelled on purpose is an ordinary, catchable failure of one call. When an
    :class:`AsyncClient` task is itself cancelled, the task ends with the usual
    ``asyncio.CancelledError`` instead.
    """

    default_status = Status.CANCELLED


class BadResponseError(DcsError):
    """An unparseable, truncated or oversized response."""

    default_status = Status.BAD_RESPONSE


class InternalError(DcsError):
    """A bug in libdcs."""

    default_status = Status.INTERNAL


class DcsMemoryError(DcsError, MemoryError):
    """libdcs ran out of memory. Prefixed so as not to shadow the builtin ``MemoryError``."""

    default_status = Status.NOMEM


class RejectedError(DcsError):
    """Any other 4xx: the service refused the request (see ``error_code``)."""

    default_status = Status.REJECTED


class PreconditionError(DcsError):
    """The instance or backup cannot take a restore (pre-flight check or service answer)."""

    default_status = Status.PRECONDITION


class RestoreFailedError(DcsError):
    """The restore record ended in "failed"; ``error_code`` is its code, e.g. dcs.08.0002."""

    default_status = Status.RESTORE_FAILED


# THE mapping: every error status of the C library to the class raised for it.
ERROR_CLASSES: dict[Status, type[DcsError]] = {
    Status.INVALID_ARGUMENT: InvalidArgumentError,
    Status.AUTH: AuthError,
    Status.NOT_FOUND: NotFoundError,
    Status.THROTTLED: ThrottledError,
    Status.BUSY: BusyError,
    Status.SERVER: ServerError,
    Status.TRANSPORT: TransportError,
    Status.TIMEOUT: DcsTimeoutError,
    Status.CANCELLED: DcsCancelledError,
    Status.BAD_RESPONSE: BadResponseError,
    Status.INTERNAL: InternalError,
    Status.NOMEM: DcsMemoryError,
    Status.REJECTED: RejectedError,
    Status.PRECONDITION: PreconditionError,
    Status.RESTORE_FAILED: RestoreFailedError,
}


def error_class(status: Status) -> type[DcsError]:
    """The class raised for ``status``; plain :class:`DcsError` for one this binding predates."""
    return ERROR_CLASSES.get(status, DcsError)


def invalid_argument(message: str) -> InvalidArgumentError:
    """An :class:`InvalidArgumentError` raised by the binding itself, before any C call."""
    return InvalidArgumentError(message, status=Status.INVALID_ARGUMENT)
