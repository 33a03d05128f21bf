"""What a record's strings mean is libdcs's reading, passed on as it is.

Timestamps, progress and is_support_restore are parsed once, in libdcs, and read through
its getters (dcs_*_at_ms, *_progress_percent, dcs_backup_record_restorable): this binding
only turns epoch milliseconds into datetimes and -1 into None. The service's strings are
kept in the *_raw fields. The emulator answers with records chosen to sit on the rules'
edges; the Go binding's records_test.go reads the same records to the same values.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import dcs

from conftest import DEMO_INSTANCE, Emulator

UTC = dt.timezone.utc
# 2017-07-18T21:41:35.182Z, as libdcs reads each of the forms below.
MOMENT = dt.datetime(2017, 7, 18, 21, 41, 35, 182000, tzinfo=UTC)

BACKUPS: list[dict[str, Any]] = [
    {
        "backup_id": "b-upper",
        "is_support_restore": "TRUE",
        "progress": "100.00",
        "created_at": "2017-07-18T21:41:35.182Z",
        "updated_at": "2017-07-18T21:41:35.1829Z",
        "execution_at": "2017-07-19T05:41:35.182+08:00",
    },
    {
        "backup_id": "b-lower",
        "is_support_restore": "true",
        "progress": "42.5",
        "created_at": "2017-07-18T16:41:35.182-05:00",
    },
    {"backup_id": "b-mixed", "is_support_restore": "True", "progress": "7"},
    {
        "backup_id": "b-false",
        "is_support_restore": "FALSE",
        "progress": "",
        "created_at": "2017-07-18T21:41:35",
    },
    {
        "backup_id": "b-odd",
        "is_support_restore": "yes",
        "progress": "abc",
        "created_at": "yesterday",
        "updated_at": "2017-02-30T00:00:00Z",
        "execution_at": "2017-07-18 21:41:35Z",
    },
    {"backup_id": "b-none"},
]

# backup_id: (is_support_restore, progress, created_at, updated_at, execution_at)
EXPECTED_BACKUPS: dict[str, tuple[bool, float | None, Any, Any, Any]] = {
    "b-upper": (True, 100.0, MOMENT, MOMENT, MOMENT),
    "b-lower": (True, 42.5, MOMENT, None, None),
    "b-mixed": (True, 7.0, None, None, None),
    "b-false": (False, None, None, None, None),  # a time without a zone is ambiguous
    "b-odd": (False, None, None, None, None),
    "b-none": (False, None, None, None, None),
}


def _answer(emulator: Emulator, operation: str, body: dict[str, Any]) -> None:
    emulator.fault(operation=operation, kind="status", status=200, body=json.dumps(body))


def test_backup_records_carry_libdcs_reading(client: dcs.Client, emulator: Emulator) -> None:
    _answer(
        emulator,
        "ListBackupRecords",
        {"total_num": len(BACKUPS), "backup_record_response": BACKUPS},
    )
    backups = client.list_backups(DEMO_INSTANCE)
    assert [b.backup_id for b in backups] == [b["backup_id"] for b in BACKUPS]
    for sent, backup in zip(BACKUPS, backups, strict=True):
        restorable, progress, created, updated, executed = EXPECTED_BACKUPS[backup.backup_id]
        assert backup.is_support_restore is restorable, sent
        assert backup.progress == progress, sent
        assert (backup.created_at, backup.updated_at, backup.execution_at) == (
            created,
            updated,
            executed,
        ), sent
        assert backup.progress_raw == sent.get("progress", "")
        assert backup.created_at_raw == sent.get("created_at", "")
        assert backup.updated_at_raw == sent.get("updated_at", "")
        assert backup.execution_at_raw == sent.get("execution_at", "")
        for moment in (backup.created_at, backup.updated_at, backup.execution_at):
            assert moment is None or moment.tzinfo is UTC


def test_restore_records_carry_libdcs_reading(client: dcs.Client, emulator: Emulator) -> None:
    restores = [
        {
            "restore_id": "r-1",
            "status": "restoring",
            "progress": "42.00",
            "created_at": "2017-07-18T21:41:35.182Z",
            "updated_at": "2017-07-18T21:41:35.182",
        },
        {"restore_id": "r-2", "status": "waiting", "progress": "-3"},
    ]
    _answer(
        emulator,
        "ListRestoreRecords",
        {"total_num": len(restores), "restore_record_response": restores},
    )
    first, second = client.list_restores(DEMO_INSTANCE)
    assert (first.progress, first.progress_raw) == (42.0, "42.00")
    assert (first.created_at, first.created_at_raw) == (MOMENT, "2017-07-18T21:41:35.182Z")
    assert (first.updated_at, first.updated_at_raw) == (None, "2017-07-18T21:41:35.182")
    assert (second.progress, second.progress_raw) == (None, "-3")
    assert (second.created_at, second.created_at_raw) == (None, "")


def test_instance_launched_at_is_libdcs_reading(client: dcs.Client, emulator: Emulator) -> None:
    for launched, expected in [
        ("2017-07-18T21:41:35.182Z", MOMENT),
        ("2017-07-18T21:41:35.182+00:00", MOMENT),
        ("2017-07-18 21:41:35", None),
        ("", None),
    ]:
        emulator.reset()
        _answer(
            emulator,
            "ShowInstance",
            {"instance_id": DEMO_INSTANCE, "status": "RUNNING", "launched_at": launched},
        )
        instance = client.show_instance(DEMO_INSTANCE)
        assert (instance.launched_at, instance.launched_at_raw) == (expected, launched)


def test_times_beyond_datetime_are_none(client: dcs.Client, emulator: Emulator) -> None:
    # libdcs reads the last minutes of year 9999 in a zone west of UTC as a time in year
    # 10000, which datetime cannot hold: None, with the string kept.
    raw = "9999-12-31T23:59:59.999-05:00"
    _answer(
        emulator,
        "ShowInstance",
        {"instance_id": DEMO_INSTANCE, "status": "RUNNING", "launched_at": raw},
    )
    instance = client.show_instance(DEMO_INSTANCE)
    assert (instance.launched_at, instance.launched_at_raw) == (None, raw)
