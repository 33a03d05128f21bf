"""The records the calls return: frozen dataclasses with typed fields.

What the service's strings mean (timestamps, progress, "is_support_restore") is decided once,
in libdcs, and read here through its getters; the strings themselves are kept beside.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from ._ffi import text
from ._native import lib

_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


def _time(epoch_ms: int) -> _dt.datetime | None:
    """A timestamp libdcs parsed, in ms since the Unix epoch, as an aware UTC datetime.

    ``None`` for libdcs's -1 (absent, or a shape libdcs does not read: a strange timestamp
    does not make a whole listing fail), and for a time beyond ``datetime``'s year 9999.
    """
    if epoch_ms == -1:
        return None
    try:
        return _EPOCH + _dt.timedelta(milliseconds=epoch_ms)
    except OverflowError:
        return None


def _percent(value: float) -> float | None:
    """A progress libdcs parsed; ``None`` for its -1 (none, or not a number)."""
    return None if value < 0 else value


def _optional_count(value: int) -> int | None:
    return None if value < 0 else value


@dataclass(frozen=True, slots=True)
class RestoreOutcome:
    """What :meth:`Client.start_restore` started."""

    restore_id: str
    """The id of the restore, to pass to :meth:`Client.wait_for_restore`."""
    adopted: bool
    """``True`` when the answer to the request was lost or unreadable and the id was found
    in the instance's restore records instead (the restore this call's request started);
    ``False`` when the service answered the request with it."""

    @classmethod
    def _from_handle(cls, h: int) -> RestoreOutcome:
        return cls(
            restore_id=text(lib.dcs_restore_outcome_restore_id(h)),
            adopted=bool(lib.dcs_restore_outcome_adopted(h)),
        )


@dataclass(frozen=True, slots=True)
class Restore:
    """A restore record (one ``RestoreInstance`` run) as the service reports it."""

    restore_id: str
    backup_id: str
    status: str
    """"waiting", "restoring", "succeed" or "failed" (other values are passed on)."""
    progress: float | None
    """Progress in percent, 0-100; ``None`` if the service sent none or an odd value."""
    progress_raw: str
    """Progress exactly as the service sent it, e.g. "42.00"."""
    error_code: str
    """The failure code of a failed restore, e.g. "dcs.08.0002"; "" otherwise."""
    restore_remark: str
    restore_name: str
    backup_name: str
    backup_remark: str
    created_at: _dt.datetime | None
    updated_at: _dt.datetime | None
    created_at_raw: str
    updated_at_raw: str

    @property
    def finished(self) -> bool:
        """Whether the restore has ended, successfully or not."""
        return self.status in ("succeed", "failed")

    @property
    def succeeded(self) -> bool:
        """Whether the restore ended successfully."""
        return self.status == "succeed"

    @classmethod
    def _from_handle(cls, h: int) -> Restore:
        return cls(
            restore_id=text(lib.dcs_restore_record_restore_id(h)),
            backup_id=text(lib.dcs_restore_record_backup_id(h)),
            status=text(lib.dcs_restore_record_status(h)),
            progress=_percent(float(lib.dcs_restore_record_progress_percent(h))),
            progress_raw=text(lib.dcs_restore_record_progress(h)),
            error_code=text(lib.dcs_restore_record_error_code(h)),
            restore_remark=text(lib.dcs_restore_record_restore_remark(h)),
            restore_name=text(lib.dcs_restore_record_restore_name(h)),
            backup_name=text(lib.dcs_restore_record_backup_name(h)),
            backup_remark=text(lib.dcs_restore_record_backup_remark(h)),
            created_at=_time(int(lib.dcs_restore_record_created_at_ms(h))),
            updated_at=_time(int(lib.dcs_restore_record_updated_at_ms(h))),
            created_at_raw=text(lib.dcs_restore_record_created_at(h)),
            updated_at_raw=text(lib.dcs_restore_record_updated_at(h)),
        )


@dataclass(frozen=True, slots=True)
class Backup:
    """A backup record of an instance."""

    backup_id: str
    backup_name: str
    instance_id: str
    size: int | None
    """Size in bytes; ``None`` if the service sent none."""
    backup_type: str
    """"manual" or "auto"."""
    status: str
    """"waiting", "backuping", "succeed", "failed", "expired" or "deleted"."""
    progress_raw: str
    error_code: str
    remark: str
    is_support_restore: bool
    """Whether the backup can be restored from: libdcs's reading of the service's
    ``is_support_restore`` ("TRUE", in any case)."""
    backup_format: str
    """"rdb" or "aof"."""
    period: str
    created_at: _dt.datetime | None
    updated_at: _dt.datetime | None
    execution_at: _dt.datetime | None
    created_at_raw: str
    updated_at_raw: str
    execution_at_raw: str
    progress: float | None = None
    """Progress in percent, 0-100; ``None`` if the service sent none or an odd value (last,
    with a default, so that the fields before it keep their positions)."""

    @classmethod
    def _from_handle(cls, h: int) -> Backup:
        return cls(
            backup_id=text(lib.dcs_backup_record_backup_id(h)),
            backup_name=text(lib.dcs_backup_record_backup_name(h)),
            instance_id=text(lib.dcs_backup_record_instance_id(h)),
            size=_optional_count(int(lib.dcs_backup_record_size(h))),
            backup_type=text(lib.dcs_backup_record_backup_type(h)),
            status=text(lib.dcs_backup_record_status(h)),
            progress_raw=text(lib.dcs_backup_record_progress(h)),
            error_code=text(lib.dcs_backup_record_error_code(h)),
            remark=text(lib.dcs_backup_record_remark(h)),
            is_support_restore=bool(lib.dcs_backup_record_restorable(h)),
            backup_format=text(lib.dcs_backup_record_backup_format(h)),
            period=text(lib.dcs_backup_record_period(h)),
            created_at=_time(int(lib.dcs_backup_record_created_at_ms(h))),
            updated_at=_time(int(lib.dcs_backup_record_updated_at_ms(h))),
            execution_at=_time(int(lib.dcs_backup_record_execution_at_ms(h))),
            created_at_raw=text(lib.dcs_backup_record_created_at(h)),
            updated_at_raw=text(lib.dcs_backup_record_updated_at(h)),
            execution_at_raw=text(lib.dcs_backup_record_execution_at(h)),
            progress=_percent(float(lib.dcs_backup_record_progress_percent(h))),
        )


@dataclass(frozen=True, slots=True)
class Instance:
    """The parts of a DCS instance that matter around a restore."""

    instance_id: str
    name: str
    status: str
    """"RUNNING", "RESTORING", "CREATING", ... (other values are passed on)."""
    sub_status: str
    engine: str
    engine_version: str
    cache_mode: str
    """"single", "ha", "ha_rw_split", "proxy" or "cluster"."""
    product_type: str
    capacity: int | None
    """Capacity in GB; ``None`` if the service sent none."""
    launched_at: _dt.datetime | None
    launched_at_raw: str

    @classmethod
    def _from_handle(cls, h: int) -> Instance:
        return cls(
            instance_id=text(lib.dcs_instance_instance_id(h)),
            name=text(lib.dcs_instance_name(h)),
            status=text(lib.dcs_instance_status(h)),
            sub_status=text(lib.dcs_instance_sub_status(h)),
            engine=text(lib.dcs_instance_engine(h)),
            engine_version=text(lib.dcs_instance_engine_version(h)),
            cache_mode=text(lib.dcs_instance_cache_mode(h)),
            product_type=text(lib.dcs_instance_product_type(h)),
            capacity=_optional_count(int(lib.dcs_instance_capacity(h))),
            launched_at=_time(int(lib.dcs_instance_launched_at_ms(h))),
            launched_at_raw=text(lib.dcs_instance_launched_at(h)),
        )


@dataclass(frozen=True, slots=True)
class RestoreCheck:
    """One pre-flight check of a restore's dry run (:meth:`Client.plan_restore`)."""

    name: str
    """A stable name: "instance_mode", "instance_running", "backup_found",
    "backup_succeeded" or "backup_restorable" (more may come)."""
    passed: bool
    detail: str
    """One line saying what the check found."""


@dataclass(frozen=True, slots=True)
class RestorePlan:
    """What a restore would do, from :meth:`Client.plan_restore`; nothing was started."""

    would_start: bool
    """Whether every check passed: the restore would be posted."""
    instance: Instance
    backup: Backup | None
    """The backup the restore would use; when none that passes the filters is restorable,
    the newest that passes them (its checks say why); ``None`` when none passes them."""
    backup_age: _dt.timedelta | None
    """How old that backup is by the service's clock; ``None`` when unknown."""
    checks: tuple[RestoreCheck, ...]

    @property
    def failed_checks(self) -> tuple[RestoreCheck, ...]:
        """The checks that stand in the way of the restore."""
        return tuple(c for c in self.checks if not c.passed)

    @classmethod
    def _from_handle(cls, h: int) -> RestorePlan:
        backup = lib.dcs_restore_plan_backup(h)
        age_ms = int(lib.dcs_restore_plan_backup_age_ms(h))
        return cls(
            would_start=bool(lib.dcs_restore_plan_would_start(h)),
            instance=Instance._from_handle(lib.dcs_restore_plan_instance(h)),
            backup=None if backup is None else Backup._from_handle(backup),
            backup_age=None if age_ms < 0 else _dt.timedelta(milliseconds=age_ms),
            checks=tuple(
                RestoreCheck(
                    name=text(lib.dcs_restore_plan_check_name(h, i)),
                    passed=bool(lib.dcs_restore_plan_check_passed(h, i)),
                    detail=text(lib.dcs_restore_plan_check_detail(h, i)),
                )
                for i in range(int(lib.dcs_restore_plan_check_count(h)))
            ),
        )
