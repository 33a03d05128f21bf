"""The happy path: a restore started, waited for, and the Redis data really restored."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

import dcs

from conftest import DEMO_AK, DEMO_INSTANCE, DEMO_PROJECT, DEMO_SK, Emulator, client_args


def test_restore_and_wait_restores_the_data(
    client: dcs.Client, emulator: Emulator, instance: str, backup: str
) -> None:
    emulator.set_data(instance, {"scratch": "written-after-backup", "counter": "2"})

    restore_id = client.restore_instance(instance, backup, "nightly drill")
    record = client.wait_for_restore(instance, restore_id, poll_interval=0.05, timeout=20)

    assert isinstance(record, dcs.Restore)
    assert record.restore_id == restore_id
    assert record.backup_id == backup
    assert record.status == "succeed"
    assert record.succeeded and record.finished
    assert record.progress == 100.0
    assert record.restore_remark == "nightly drill"
    assert isinstance(record.created_at, dt.datetime)
    assert record.created_at.tzinfo is not None
    assert emulator.data(instance) == {"greeting": "hello", "counter": "1"}
    assert emulator.stats()["restores_started"] == 1


def test_restore_records_are_listed_and_fetched(
    client: dcs.Client, instance: str, backup: str
) -> None:
    restore_id = client.restore_instance(instance, backup)
    client.wait_for_restore(instance, restore_id, poll_interval=0.05, timeout=20)

    listed = client.list_restores(instance)
    assert [r.restore_id for r in listed] == [restore_id]
    fetched = client.get_restore(instance, restore_id)
    assert fetched.status == "succeed"
    assert fetched == listed[0]
    # Frozen: records are values.
    with pytest.raises(dataclasses.FrozenInstanceError):
        fetched.status = "failed"  # type: ignore[misc]


def test_list_restores_time_filters(client: dcs.Client, instance: str, backup: str) -> None:
    restore_id = client.restore_instance(instance, backup)
    client.wait_for_restore(instance, restore_id, poll_interval=0.05, timeout=20)
    now = dt.datetime.now(dt.timezone.utc)
    hour = dt.timedelta(hours=1)

    around = client.list_restores(instance, begin_time=now - hour, end_time=now + hour)
    assert [r.restore_id for r in around] == [restore_id]
    later = (now + hour).strftime("%Y%m%d%H%M%S")
    assert client.list_restores(instance, begin_time=later) == []


def test_wait_for_instance_after_restore(client: dcs.Client, instance: str, backup: str) -> None:
    restore_id = client.restore_instance(instance, backup)
    record = client.wait_for_restore(
        instance, restore_id, poll_interval=0.05, wait_for_instance=True, timeout=20
    )
    assert record.succeeded
    assert client.show_instance(instance).status == "RUNNING"


def test_backups_typed_fields(client: dcs.Client, emulator: Emulator, instance: str) -> None:
    backup_id = client.create_backup(instance, "before upgrade", "rdb")
    backups = {b.backup_id: b for b in client.list_backups(instance)}
    assert backup_id in backups
    created = backups[backup_id]
    assert isinstance(created, dcs.Backup)
    assert created.instance_id == instance
    assert created.remark == "before upgrade"
    assert created.backup_format == "rdb"
    assert created.backup_type == "manual"
    assert isinstance(created.is_support_restore, bool)
    assert created.size is None or isinstance(created.size, int)

    seeded = emulator.create_backup(instance, remark="seeded")
    seeded_record = next(b for b in client.list_backups(instance) if b.backup_id == seeded)
    assert seeded_record.status == "succeed"
    assert seeded_record.is_support_restore is True
    assert isinstance(seeded_record.size, int) and seeded_record.size >= 0
    assert isinstance(seeded_record.created_at, dt.datetime)

    client.delete_backup(instance, seeded)
    remaining = {b.backup_id: b.status for b in client.list_backups(instance)}
    assert remaining.get(seeded) in (None, "deleted")


def test_show_instance(client: dcs.Client, emulator: Emulator) -> None:
    instance_id = emulator.create_instance(name="shown", cache_mode="ha")
    shown = client.show_instance(instance_id)
    assert isinstance(shown, dcs.Instance)
    assert shown.instance_id == instance_id
    assert shown.name == "shown"
    assert shown.status == "RUNNING"
    assert shown.cache_mode == "ha"
    assert shown.capacity is None or isinstance(shown.capacity, int)


def test_client_from_environment(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", DEMO_AK)
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", DEMO_SK)
    monkeypatch.setenv("HUAWEICLOUD_SDK_PROJECT_ID", DEMO_PROJECT)
    monkeypatch.setenv("DCS_ENDPOINT", emulator.url)
    with dcs.Client() as c:
        assert c.show_instance(DEMO_INSTANCE).name == "demo-redis"


def test_close_is_idempotent_and_final(emulator: Emulator) -> None:
    c = dcs.Client(**client_args(emulator))
    assert not c.closed
    c.close()
    c.close()
    assert c.closed
    with pytest.raises(dcs.InvalidArgumentError, match="closed"):
        c.show_instance("anything")


def test_delete_whose_answer_was_lost_is_a_success(
    client: dcs.Client, emulator: Emulator, instance: str
) -> None:
    # The first DELETE is carried out but its answer never arrives; the retry then hears
    # "no such backup". The caller asked for the backup to be gone, and it is.
    doomed = emulator.create_backup(instance)
    emulator.fault(operation="DeleteBackupFile", kind="close_after", count=1)
    client.delete_backup(instance, doomed)
    assert doomed not in {b.backup_id for b in client.list_backups(instance)}
    deletes = [r for r in emulator.requests() if r["operation"] == "DeleteBackupFile"]
    assert [r["status"] for r in deletes] == [0, 400]


def test_delete_of_a_backup_that_never_existed_is_still_an_error(
    client: dcs.Client, instance: str
) -> None:
    with pytest.raises(dcs.RejectedError) as caught:
        client.delete_backup(instance, "no-such-backup")
    assert caught.value.error_code == "DCS.4031"


def test_delete_resent_by_libcurl_after_a_lost_answer_is_a_success(
    client: dcs.Client, emulator: Emulator, instance: str
) -> None:
    # On a kept-alive connection libcurl itself resends a request whose connection died
    # unanswered; the resend hears "no such backup" for the delete that did happen.
    doomed = emulator.create_backup(instance)
    client.list_backups(instance)  # leaves a kept-alive connection in the client's pool
    emulator.fault(operation="DeleteBackupFile", kind="close_after", count=1)
    client.delete_backup(instance, doomed)
    assert doomed not in {b.backup_id for b in client.list_backups(instance)}
    deletes = [r for r in emulator.requests() if r["operation"] == "DeleteBackupFile"]
    assert [r["status"] for r in deletes] == [0, 400]
