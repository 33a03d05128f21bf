"""dcs: restore Huawei Cloud DCS (managed Redis) instances from their backups.

A Python binding of libdcs over its stable C ABI::

    import dcs

    with dcs.Client(region="eu-west-101") as client:  # credentials from the environment
        started = client.start_restore(instance_id, backup_id, preflight=True)
        record = client.wait_for_restore(instance_id, started.restore_id,
                                         progress=lambda r: print(r.progress))

Set ``DCS_LIBRARY`` to load another libdcs.so.1 than the bundled one (development).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._cancel import CancelToken
from ._client import Client, LogCallback, ProgressCallback, Since
from ._credentials import Credentials, CredentialsProvider
from ._errors import (
    ERROR_CLASSES,
    AuthError,
    BadResponseError,
    BusyError,
    DcsCancelledError,
    DcsError,
    DcsMemoryError,
    DcsTimeoutError,
    InternalError,
    InvalidArgumentError,
    NotFoundError,
    PreconditionError,
    RejectedError,
    RequestSent,
    RestoreFailedError,
    ServerError,
    Status,
    ThrottledError,
    TransportError,
)
from ._ffi import status_name
from ._models import Backup, Instance, Restore, RestoreCheck, RestoreOutcome, RestorePlan
from ._native import LibraryError, lib
from ._select import LATEST

if TYPE_CHECKING:
    from ._aio import AsyncClient

__version__ = "1.2.0"


def __getattr__(name: str) -> Any:
    # AsyncClient is imported on first use: asyncio is the costliest import by far, and
    # most scripts never need it.
    if name == "AsyncClient":
        from ._aio import AsyncClient

        return AsyncClient
    raise AttributeError(f"module 'dcs' has no attribute {name!r}")


def library_version() -> str:
    """The run-time libdcs version, e.g. "1.0.0"."""
    return str(lib.dcs_version_string().decode("ascii", "replace"))


__all__ = [
    "ERROR_CLASSES",
    "LATEST",
    "AsyncClient",
    "AuthError",
    "Backup",
    "BadResponseError",
    "BusyError",
    "CancelToken",
    "Client",
    "Credentials",
    "CredentialsProvider",
    "DcsCancelledError",
    "DcsError",
    "DcsMemoryError",
    "DcsTimeoutError",
    "Instance",
    "InternalError",
    "InvalidArgumentError",
    "LibraryError",
    "LogCallback",
    "NotFoundError",
    "PreconditionError",
    "ProgressCallback",
    "RejectedError",
    "RequestSent",
    "Restore",
    "RestoreCheck",
    "RestoreFailedError",
    "RestoreOutcome",
    "RestorePlan",
    "ServerError",
    "Since",
    "Status",
    "ThrottledError",
    "TransportError",
    "__version__",
    "library_version",
    "status_name",
]
