"""Credentials a caller provides, and the C trampoline that hands them to libdcs.

libdcs calls the provider when a client first needs credentials and again before the last
ones expire (less than a quarter of their lifetime, at most 5 minutes, left), so a long wait
with temporary credentials never signs a poll with expired ones.
"""

from __future__ import annotations

import ctypes
import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass

from ._native import CREDENTIALS_FN, lib


@dataclass(frozen=True)
class Credentials:
    """What a credentials provider returns.

    ``expires_at`` is when temporary credentials stop working: a timezone-aware
    ``datetime`` or seconds since the epoch; ``None`` means never.
    """

    ak: str
    sk: str
    security_token: str | None = None
    expires_at: _dt.datetime | float | None = None

    def __repr__(self) -> str:  # never show the secret or the token
        return f"Credentials(ak={self.ak!r}, expires_at={self.expires_at!r})"


CredentialsProvider = Callable[[], Credentials]
"""``provider()`` returning :class:`Credentials`; an exception fails the call that needed
them with :class:`AuthError` carrying its message, nothing sent."""


def _expiry_seconds(expires_at: _dt.datetime | float | None) -> int:
    if expires_at is None:
        return 0
    if isinstance(expires_at, _dt.datetime):
        if expires_at.tzinfo is None:
            raise ValueError("expires_at must be a timezone-aware datetime")
        return int(expires_at.timestamp())
    if isinstance(expires_at, bool) or not isinstance(expires_at, (int, float)):
        raise TypeError("expires_at must be a datetime, seconds since the epoch, or None")
    return int(expires_at)


def _encode(name: str, value: str) -> bytes:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str")
    return value.encode("utf-8")


def trampoline(provider: CredentialsProvider) -> object:
    """The C callback for ``provider``; keep it alive as long as the client."""
    if not callable(provider):
        raise TypeError("credentials_provider must be a callable returning dcs.Credentials")

    def provide(_user_data: int | None, creds: int | None) -> int:
        # No exception may leave: ctypes would print it and return 0, which libdcs would
        # take for "no credentials set" without the reason.
        try:
            got = provider()
            if not isinstance(got, Credentials):
                raise TypeError("the credentials provider must return dcs.Credentials")
            token = (
                None
                if got.security_token is None
                else _encode("security_token", got.security_token)
            )
            status = lib.dcs_credentials_set(
                creds,
                _encode("ak", got.ak),
                _encode("sk", got.sk),
                token,
                _expiry_seconds(got.expires_at),
                None,
            )
            return 0 if status == 0 else 1
        # Even KeyboardInterrupt: it cannot cross the C frames; the call fails with it instead.
        except BaseException as e:
            message = f"{type(e).__name__}: {e}".encode("utf-8", "replace")
            lib.dcs_credentials_set_failure(creds, ctypes.c_char_p(message))
            return 1

    return CREDENTIALS_FN(provide)
