"""Choosing the backup by time, type and name (select_backup, restore_instance("latest")),
and a restore's dry run (plan_restore), against the emulator: the choice is compared with
backups the test dated itself, and what reached the service is read from its request log
and counters."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest

import dcs

from conftest import Emulator, client_args

INCIDENT = dt.datetime(2020, 1, 1, 10, 0, 0, tzinfo=dt.timezone.utc)


def dated(emulator: Emulator, instance: str, created: dt.datetime, **fields: Any) -> str:
    at = created.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return emulator.create_backup(instance, created_at=at, **fields)


def listings(emulator: Emulator) -> list[dict[str, Any]]:
    return [r for r in emulator.requests() if r["operation"] == "ListBackupRecords"]


def nothing_posted(emulator: Emulator, instance: str) -> bool:
    posts = [r for r in emulator.requests() if r["method"] == "POST"]
    return not posts and emulator.instance(instance)["restore_posts"] == 0


def test_latest_is_the_newest_restorable_not_a_newer_failed_one(
    client: dcs.Client, emulator: Emulator, instance: str
) -> None:
    now = dt.datetime.now(dt.timezone.utc)
    wanted = dated(emulator, instance, now - dt.timedelta(minutes=30))
    dated(emulator, instance, now - dt.timedelta(hours=1))
    dated(
        emulator,
        instance,
        now - dt.timedelta(minutes=5),
        status="failed",
        is_support_restore="FALSE",
    )
    dated(emulator, instance, now - dt.timedelta(minutes=1), is_support_restore="FALSE")
    emulator.clear_requests()

    chosen = client.select_backup(instance)
    assert isinstance(chosen, dcs.Backup)
    assert chosen.backup_id == wanted and chosen.is_support_restore
    assert "end_time" not in listings(emulator)[0]["query"]
    assert nothing_posted(emulator, instance)


def test_before_excludes_later_backups_and_is_sent_as_end_time(
    client: dcs.Client, emulator: Emulator, instance: str
) -> None:
    early = dated(emulator, instance, INCIDENT - dt.timedelta(hours=2), backup_type="auto")
    wanted = dated(emulator, instance, INCIDENT - dt.timedelta(milliseconds=1))
    dated(emulator, instance, INCIDENT)
    dated(emulator, instance, INCIDENT + dt.timedelta(milliseconds=500))
    emulator.clear_requests()

    assert client.select_backup(instance, before=INCIDENT).backup_id == wanted
    assert "end_time=20200101100000" in listings(emulator)[0]["query"]
    # Seconds since the epoch work too; type and name narrow further.
    assert client.select_backup(instance, before=INCIDENT.timestamp()).backup_id == wanted
    assert client.select_backup(instance, backup_type="auto").backup_id == early
    assert client.select_backup(instance, backup_name="backup_20200101080000").backup_id == early

    with pytest.raises(dcs.NotFoundError) as caught:
        client.select_backup(instance, before=INCIDENT - dt.timedelta(hours=3))
    assert "no restorable backup created before 2020-01-01T07:00:00Z" in str(caught.value)
    assert isinstance(caught.value, LookupError)


def test_restore_latest_before_restores_the_chosen_backup_once(
    client: dcs.Client, emulator: Emulator, instance: str
) -> None:
    wanted = dated(emulator, instance, INCIDENT - dt.timedelta(minutes=10))
    dated(emulator, instance, INCIDENT + dt.timedelta(minutes=10))
    emulator.clear_requests()

    started = client.start_restore(instance, dcs.LATEST, before=INCIDENT, preflight=True)
    record = client.wait_for_restore(instance, started.restore_id, poll_interval=0.05)
    assert record.backup_id == wanted
    assert emulator.instance(instance)["restore_posts"] == 1

    # No match: NotFoundError, and nothing reaches RestoreInstance.
    with pytest.raises(dcs.NotFoundError):
        client.restore_instance(instance, "latest", before=INCIDENT - dt.timedelta(days=1))
    assert emulator.instance(instance)["restore_posts"] == 1
    # A filter beside a real backup id is refused before anything is sent.
    emulator.clear_requests()
    with pytest.raises(dcs.InvalidArgumentError):
        client.restore_instance(instance, wanted, before=INCIDENT)
    assert emulator.requests() == []


def test_every_page_is_read(client: dcs.Client, emulator: Emulator, instance: str) -> None:
    wanted = dated(emulator, instance, dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=2))
    emulator.call(
        "POST",
        f"instances/{instance}/backup_history",
        {
            "count": 1100,
            "status": "failed",
            "is_support_restore": "FALSE",
            "newest_age_ms": 60_000,
            "spacing_ms": 1000,
        },
    )
    emulator.clear_requests()
    assert client.select_backup(instance).backup_id == wanted
    queries = [r["query"] for r in listings(emulator)]
    assert len(queries) == 2 and "offset=1000" in queries[1]


def test_plan_of_a_restore_that_would_start_posts_nothing(
    client: dcs.Client, emulator: Emulator, instance: str
) -> None:
    wanted = dated(emulator, instance, dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1))
    emulator.clear_requests()

    plan = client.plan_restore(instance)
    assert isinstance(plan, dcs.RestorePlan)
    assert plan.would_start and plan.failed_checks == ()
    assert plan.instance.status == "RUNNING" and plan.instance.cache_mode == "ha"
    assert plan.backup is not None and plan.backup.backup_id == wanted
    assert plan.backup_age is not None
    assert dt.timedelta(minutes=59) < plan.backup_age < dt.timedelta(minutes=61)
    assert [c.name for c in plan.checks] == [
        "instance_mode",
        "instance_running",
        "backup_found",
        "backup_succeeded",
        "backup_restorable",
    ]
    assert nothing_posted(emulator, instance)
    assert emulator.instance(instance)["restores_started"] == 0


def test_plan_reports_failing_checks_and_posts_nothing(
    client: dcs.Client, emulator: Emulator, instance: str
) -> None:
    failed = dated(
        emulator,
        instance,
        dt.datetime.now(dt.timezone.utc),
        status="failed",
        is_support_restore="FALSE",
    )
    emulator.call("PATCH", f"instances/{instance}", {"cache_mode": "single"})
    emulator.clear_requests()

    plan = client.plan_restore(instance, failed)
    assert not plan.would_start
    assert {c.name for c in plan.failed_checks} == {
        "instance_mode",
        "backup_succeeded",
        "backup_restorable",
    }
    assert "single-node" in plan.failed_checks[0].detail
    none = client.plan_restore(instance, before=INCIDENT)
    assert none.backup is None and none.backup_age is None
    assert [c.name for c in none.failed_checks] == ["instance_mode", "backup_found"]
    with pytest.raises(dcs.NotFoundError):
        client.plan_restore("no-such-instance")
    assert nothing_posted(emulator, instance)


def test_bad_filters_are_refused_before_anything_is_sent(
    client: dcs.Client, emulator: Emulator, instance: str
) -> None:
    emulator.clear_requests()
    for kwargs in (
        {"before": dt.datetime(2020, 1, 1)},  # naive: which zone?
        {"before": "yesterday"},
        {"backup_type": "weekly"},
        {"backup_name": "a\nb"},
        {"before": dt.datetime(1969, 1, 1, tzinfo=dt.timezone.utc)},
    ):
        with pytest.raises(dcs.InvalidArgumentError):
            client.select_backup(instance, **kwargs)
    with pytest.raises(dcs.InvalidArgumentError):
        client.plan_restore(instance, "../x")
    assert emulator.requests() == []


def test_async_client_chooses_and_plans(emulator: Emulator, instance: str) -> None:
    wanted = dated(emulator, instance, INCIDENT)

    async def main() -> tuple[dcs.Backup, dcs.RestorePlan]:
        async with dcs.AsyncClient(**client_args(emulator)) as aio:
            return await aio.select_backup(instance), await aio.plan_restore(instance)

    chosen, plan = asyncio.run(main())
    assert chosen.backup_id == wanted
    assert plan.backup is not None and plan.backup.backup_id == wanted
