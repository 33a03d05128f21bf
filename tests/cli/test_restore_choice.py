"""dcsctl restore --backup latest / --before / --backup-type / --backup-name, and --dry-run:
the backup chosen, what was asked of the service (its request log) and what it never received
(no RestoreInstance: the restore_posts counter)."""

import json
import re
from datetime import UTC, datetime, timedelta

INCIDENT = datetime(2020, 1, 1, 10, 0, 0, tzinfo=UTC)


def at(moment):
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def backup(admin, instance_id, created, status="succeed", support="TRUE", **fields):
    return admin.new_backup(
        instance_id,
        created_at=at(created),
        status=status,
        is_support_restore=support,
        **fields,
    )


def calls(admin, operation):
    return [r for r in admin.requests() if r["operation"] == operation]


def restore_posts(admin, instance_id):
    return admin.instance(instance_id)["restore_posts"]


def test_latest_restores_the_newest_restorable_backup_and_names_it_first(dcsctl, admin):
    instance_id = admin.new_instance()
    now = datetime.now(UTC)
    wanted = backup(admin, instance_id, now - timedelta(minutes=30))
    backup(admin, instance_id, now - timedelta(hours=2))
    backup(
        admin,
        instance_id,
        now - timedelta(minutes=20),
        status="failed",
        support="FALSE",
    )
    backup(admin, instance_id, now - timedelta(minutes=10), support="FALSE")
    admin.clear_requests()

    result = dcsctl(
        "restore", "--instance", instance_id, "--backup", "latest", "--json"
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["backup_id"] == wanted
    assert f"chose backup {wanted} " in result.stderr
    assert "the newest restorable backup of instance" in result.stderr
    posts = calls(admin, "RestoreInstance")
    assert len(posts) == 1 and json.loads(posts[0]["body"])["backup_id"] == wanted
    # The choice came before the restore: every listing precedes the one POST.
    operations = [r["operation"] for r in admin.requests()]
    assert operations[-1] == "RestoreInstance"
    assert "end_time" not in calls(admin, "ListBackupRecords")[0]["query"]


def test_before_takes_the_newest_backup_older_than_the_time_sent_to_the_service(
    dcsctl, admin
):
    instance_id = admin.new_instance()
    early = backup(
        admin, instance_id, INCIDENT - timedelta(hours=2), backup_type="auto"
    )
    wanted = backup(admin, instance_id, INCIDENT - timedelta(seconds=1))
    backup(admin, instance_id, INCIDENT)  # at the time itself: not before it
    backup(admin, instance_id, INCIDENT + timedelta(milliseconds=300))
    admin.clear_requests()

    result = dcsctl(
        "restore",
        "--instance",
        instance_id,
        "--before",
        "2020-01-01T10:00:00Z",
        "--wait",  # the second restore below must not meet this one still running
        "--json",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["backup_id"] == wanted
    assert "created before 2020-01-01T10:00:00Z" in result.stderr
    # The choice's listing asks the service for the window (the pre-flight check that
    # follows lists the instance's backups on its own).
    choice = calls(admin, "ListBackupRecords")[0]
    assert "end_time=20200101100000" in choice["query"], choice

    result = dcsctl(
        "restore",
        "--instance",
        instance_id,
        "--backup",
        "latest",
        "--before",
        "2020-01-01T10:00:00Z",
        "--backup-type",
        "auto",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["backup_id"] == early


def test_no_match_exits_3_naming_the_filter_and_posts_nothing(dcsctl, admin):
    instance_id = admin.new_instance()
    backup(admin, instance_id, INCIDENT + timedelta(hours=1))
    backup(
        admin,
        instance_id,
        INCIDENT - timedelta(hours=1),
        status="failed",
        support="FALSE",
    )
    admin.clear_requests()

    result = dcsctl(
        "restore",
        "--instance",
        instance_id,
        "--before",
        "2020-01-01T10:00:00Z",
        "--wait",
    )
    assert result.returncode == 3, result.stderr
    assert "no restorable backup created before 2020-01-01T10:00:00Z" in result.stderr
    assert instance_id in result.stderr
    assert restore_posts(admin, instance_id) == 0
    assert not [r for r in admin.requests() if r["method"] == "POST"]


def test_dry_run_of_a_restore_that_would_start_exits_0_and_sends_nothing(dcsctl, admin):
    instance_id = admin.new_instance()
    wanted = backup(admin, instance_id, datetime.now(UTC) - timedelta(hours=3))
    admin.clear_requests()

    result = dcsctl(
        "restore",
        "--instance",
        instance_id,
        "--backup",
        "latest",
        "--dry-run",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["would_start"] is True
    assert plan["instance_status"] == "RUNNING" and plan["cache_mode"] == "ha"
    assert plan["backup_id"] == wanted and plan["size"] > 0
    # By the service's clock, learnt from a Date header that is truncated to the second.
    assert 3 * 3600_000 - 2000 <= plan["backup_age_ms"] < 3 * 3600_000 + 60_000
    checks = [
        "instance_mode",
        "instance_running",
        "backup_found",
        "backup_succeeded",
        "backup_restorable",
    ]
    assert all(plan[name] is True for name in checks)
    assert "nothing was sent" in result.stderr
    assert restore_posts(admin, instance_id) == 0
    assert admin.instance(instance_id)["restores_started"] == 0
    assert not [r for r in admin.requests() if r["method"] == "POST"]

    # The table says the same, with each check's finding.
    result = dcsctl(
        "restore", "--instance", instance_id, "--backup", wanted, "--dry-run"
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"^backup_age\s+(2h 59m|3h 0m)$", result.stdout, re.MULTILINE)
    assert f"backup {wanted} supports restore" in result.stdout
    assert restore_posts(admin, instance_id) == 0


def test_dry_run_with_a_failing_check_exits_3_and_sends_nothing(dcsctl, admin):
    instance_id = admin.new_instance()
    failed = backup(
        admin, instance_id, datetime.now(UTC), status="failed", support="FALSE"
    )
    admin.call("PATCH", f"instances/{instance_id}", {"status": "RESTARTING"})
    admin.clear_requests()

    result = dcsctl(
        "restore", "--instance", instance_id, "--backup", failed, "--dry-run", "--json"
    )
    assert result.returncode == 3, result.stderr
    plan = json.loads(result.stdout)
    assert plan["would_start"] is False
    assert plan["instance_running"] is False and plan["backup_succeeded"] is False
    assert plan["instance_mode"] is True and plan["backup_id"] == failed
    assert "RESTARTING, not RUNNING" in result.stderr
    assert 'has status "failed"' in result.stderr

    result = dcsctl(
        "restore", "--instance", instance_id, "--backup", "latest", "--dry-run"
    )
    assert result.returncode == 3, result.stderr
    assert restore_posts(admin, instance_id) == 0
    assert not [r for r in admin.requests() if r["method"] == "POST"]

    # An unknown instance is an API error (3) too.
    result = dcsctl(
        "restore", "--instance", "no-such-instance", "--backup", "latest", "--dry-run"
    )
    assert result.returncode == 3, result.stderr


def test_latest_reads_every_page(dcsctl, admin):
    instance_id = admin.new_instance()
    now = datetime.now(UTC)
    wanted = backup(admin, instance_id, now - timedelta(hours=2))
    # 1,200 newer backups that cannot be restored: more than one page of 1,000.
    admin.call(
        "POST",
        f"instances/{instance_id}/backup_history",
        {
            "count": 1200,
            "status": "failed",
            "is_support_restore": "FALSE",
            "newest_age_ms": 60_000,
            "spacing_ms": 1000,
        },
    )
    admin.clear_requests()

    result = dcsctl(
        "restore",
        "--instance",
        instance_id,
        "--backup",
        "latest",
        "--dry-run",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["backup_id"] == wanted
    offsets = [r["query"] for r in calls(admin, "ListBackupRecords")]
    assert len(offsets) == 2 and "offset=1000" in offsets[1], offsets
    assert restore_posts(admin, instance_id) == 0


def test_a_filter_with_a_backup_id_or_no_backup_at_all_is_a_usage_error(dcsctl, admin):
    instance_id = admin.new_instance()
    for args in (
        ["--backup", "abc", "--before", "1h"],
        ["--backup", "abc", "--backup-name", "x"],
        [],
    ):
        result = dcsctl("restore", "--instance", instance_id, *args)
        assert result.returncode == 2, (args, result.stderr)
    for args in (["--before", "yesterday"], ["--backup-type", "weekly"]):
        result = dcsctl("restore", "--instance", instance_id, *args, "--dry-run")
        assert result.returncode == 2, (args, result.stderr)
    assert admin.instance(instance_id)["restore_posts"] == 0
