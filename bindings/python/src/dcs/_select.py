"""Choosing the backup to restore by time, type and name, and a restore's dry run.

:class:`BackupChoice` holds the two calls (over ``dcs_select_backup`` and
``dcs_plan_restore``); :class:`Client` inherits them. Which backups are restorable, how each
filter reads and which checks a restore must pass are libdcs's rules, not this module's.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from . import _args
from ._blocking import Relay, call_blocking
from ._cancel import CancelToken
from ._errors import invalid_argument
from ._ffi import call, new_handle
from ._models import Backup, RestorePlan
from ._native import LibraryError, lib

if TYPE_CHECKING:
    from ._client import Since, _Call

LATEST = "latest"
"""The ``backup_id`` that asks for the newest restorable backup (with the filters given)."""


class Filters:
    """What chooses a backup, checked and converted before any call starts: a backup id, or
    :data:`LATEST` with optional filters (``before``, ``backup_type``, ``backup_name``)."""

    def __init__(
        self,
        backup_id: str,
        before: Since | None = None,
        backup_type: str | None = None,
        backup_name: str | None = None,
    ) -> None:
        bid = _args.c_string("backup_id", backup_id)
        self.before_ms = None if before is None else _args.epoch_milliseconds("before", before)
        self.backup_type = _args.optional_c_string("backup_type", backup_type)
        self.backup_name = _args.optional_c_string("backup_name", backup_name)
        self.backup_id = None if backup_id == LATEST else bid
        filtered = any(f is not None for f in (self.before_ms, self.backup_type, self.backup_name))
        if self.backup_id is not None and filtered:
            # A filter beside an id would otherwise be silently ignored.
            raise invalid_argument(
                "before, backup_type and backup_name choose a backup: pass backup_id='latest' "
                "with them, not a backup id"
            )

    @property
    def chooses(self) -> bool:
        """Whether the backup is to be chosen rather than named."""
        return self.backup_id is None

    @contextmanager
    def selector(self) -> Iterator[int]:
        """A C selector with these filters; libdcs judges each value."""
        if not hasattr(lib, "dcs_plan_restore"):
            raise LibraryError(
                f"{lib._name} is libdcs {lib.dcs_version_string().decode()}: choosing a "
                "backup and planning a restore need libdcs 1.2.0 or later"
            )
        handle = new_handle(lib.dcs_backup_selector_new)
        try:
            if self.backup_id is not None:
                call(lib.dcs_backup_selector_set_backup_id, handle, self.backup_id)
            if self.before_ms is not None:
                call(lib.dcs_backup_selector_set_before_ms, handle, self.before_ms)
            if self.backup_type is not None:
                call(lib.dcs_backup_selector_set_backup_type, handle, self.backup_type)
            if self.backup_name is not None:
                call(lib.dcs_backup_selector_set_backup_name, handle, self.backup_name)
            yield handle
        finally:
            lib.dcs_backup_selector_free(handle)


class BackupChoice:
    """The calls that choose a backup, or plan a restore, without starting anything."""

    if TYPE_CHECKING:
        _calls_back: bool

        def _calling(self, token: CancelToken | None, timeout_ms: int | None) -> _Call: ...

    def select_backup(
        self,
        instance_id: str,
        *,
        before: Since | None = None,
        backup_type: str | None = None,
        backup_name: str | None = None,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> Backup:
        """The newest restorable backup of the instance that passes the filters given.

        Restorable means status "succeed" and ``is_support_restore``. ``before`` (a
        timezone-aware ``datetime`` or seconds since the epoch) keeps only backups created
        strictly before it, and is sent to the service as the listing's ``end_time``;
        ``backup_type`` ("manual" or "auto") and ``backup_name`` narrow further. Every page
        of the listing is read. Raises :class:`NotFoundError`, naming the filters, when no
        backup qualifies.
        """
        iid = _args.c_string("instance_id", instance_id)
        filters = Filters(LATEST, before, backup_type, backup_name)
        timeout_ms = _args.optional_nonzero_milliseconds("timeout", timeout)

        def work(token: CancelToken | None, _relay: Relay | None) -> Backup:
            out = ctypes.c_void_p()
            with filters.selector() as sel, self._calling(token, timeout_ms) as (h, opts):
                call(lib.dcs_select_backup, h, iid, sel, opts, ctypes.byref(out))
            try:
                return Backup._from_handle(out.value)  # type: ignore[arg-type]
            finally:
                lib.dcs_backup_record_free(out.value)

        return call_blocking(work, _token(cancel), calls_back=self._calls_back)

    def plan_restore(
        self,
        instance_id: str,
        backup_id: str = LATEST,
        *,
        before: Since | None = None,
        backup_type: str | None = None,
        backup_name: str | None = None,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> RestorePlan:
        """A dry run of a restore: the instance, the backup it would use, every check.

        ``backup_id`` names the backup, or is ``"latest"`` (the default) to choose it as
        :meth:`select_backup` does, with the same filters. The instance and the backups are
        read and the pre-flight checks run (those of ``preflight=True``); nothing is sent
        that starts work. The plan says whether the restore would start
        (:attr:`RestorePlan.would_start`) and which checks fail; an instance that does not
        exist raises :class:`NotFoundError`.
        """
        iid = _args.c_string("instance_id", instance_id)
        filters = Filters(backup_id, before, backup_type, backup_name)
        timeout_ms = _args.optional_nonzero_milliseconds("timeout", timeout)

        def work(token: CancelToken | None, _relay: Relay | None) -> RestorePlan:
            out = ctypes.c_void_p()
            with filters.selector() as sel, self._calling(token, timeout_ms) as (h, opts):
                call(lib.dcs_plan_restore, h, iid, sel, opts, ctypes.byref(out))
            try:
                return RestorePlan._from_handle(out.value)  # type: ignore[arg-type]
            finally:
                lib.dcs_restore_plan_free(out.value)

        return call_blocking(work, _token(cancel), calls_back=self._calls_back)


def _token(cancel: object) -> CancelToken | None:
    # Imported here: _client imports this module to give Client these methods.
    from ._client import _cancel_token

    return _cancel_token(cancel)
