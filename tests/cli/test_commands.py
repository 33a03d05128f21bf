"""Each command's output, as an aligned table and as --json with the API's field names."""

import json
import re
import time

RESTORE_FIELDS = {
    "restore_id",
    "backup_id",
    "status",
    "progress",
    "error_code",
    "restore_remark",
    "restore_name",
    "backup_name",
    "backup_remark",
    "created_at",
    "updated_at",
}
BACKUP_FIELDS = {
    "backup_id",
    "backup_name",
    "instance_id",
    "backup_type",
    "status",
    "progress",
    "error_code",
    "remark",
    "is_support_restore",
    "backup_format",
    "size",
    "period",
    "created_at",
    "updated_at",
    "execution_at",
}


def table(text):
    """Rows of an aligned table as dicts, split on the header's column starts."""
    lines = text.rstrip("\n").splitlines()
    header = lines[0]
    starts = [m.start() for m in re.finditer(r"\S+", header)]
    names = header.split()
    rows = []
    for line in lines[1:]:
        cells = [
            line[a:b].strip() for a, b in zip(starts, starts[1:] + [len(line) + 1])
        ]
        rows.append(dict(zip(names, cells)))
    return rows


def record(text):
    """A "name  value" block as a dict."""
    return dict(line.split(None, 1) for line in text.strip().splitlines())


def start_restore(dcsctl, instance_id, backup_id):
    result = dcsctl(
        "restore",
        "--instance",
        instance_id,
        "--backup",
        backup_id,
        "--json",
        "--remark",
        "two words",
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["restore_id"]


def test_restores_list_table_and_json(dcsctl, restorable):
    instance_id, backup_id = restorable
    restore_id = start_restore(dcsctl, instance_id, backup_id)
    result = dcsctl("restores", "list", "--instance", instance_id)
    assert result.returncode == 0, result.stderr
    rows = table(result.stdout)
    assert [r["restore_id"] for r in rows] == [restore_id]
    assert rows[0]["backup_id"] == backup_id
    assert rows[0]["restore_remark"] == "two words"
    result = dcsctl("restores", "list", "--instance", instance_id, "--json")
    listed = json.loads(result.stdout)
    assert len(listed) == 1 and set(listed[0]) == RESTORE_FIELDS
    assert listed[0]["restore_id"] == restore_id


def test_restores_list_time_filter(dcsctl, restorable):
    instance_id, backup_id = restorable
    start_restore(dcsctl, instance_id, backup_id)
    result = dcsctl(
        "restores",
        "list",
        "--instance",
        instance_id,
        "--json",
        "--begin",
        "20000101000000",
        "--end",
        "20000102000000",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_restores_list_empty_table_has_a_header(dcsctl, admin):
    result = dcsctl("restores", "list", "--instance", admin.new_instance())
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "restore_id",
        "backup_id",
        "status",
        "progress",
        "created_at",
        "updated_at",
        "error_code",
        "restore_remark",
    ]


def test_restores_get_table_and_json(dcsctl, restorable):
    instance_id, backup_id = restorable
    restore_id = start_restore(dcsctl, instance_id, backup_id)
    result = dcsctl(
        "restores", "get", "--instance", instance_id, "--restore", restore_id
    )
    assert result.returncode == 0, result.stderr
    shown = record(result.stdout)
    assert shown["restore_id"] == restore_id and shown["backup_id"] == backup_id
    result = dcsctl(
        "restores", "get", "--instance", instance_id, "--restore", restore_id, "--json"
    )
    got = json.loads(result.stdout)
    assert set(got) == RESTORE_FIELDS and got["restore_id"] == restore_id


def test_restores_get_unknown_is_an_api_error(dcsctl, admin):
    result = dcsctl(
        "restores",
        "get",
        "--instance",
        admin.new_instance(),
        "--restore",
        "00000000-0000-0000-0000-000000000000",
    )
    assert result.returncode == 3
    assert "has no restore record" in result.stderr


def test_backups_list_table_json_and_restorable(dcsctl, admin):
    instance_id = admin.new_instance()
    good = admin.new_backup(instance_id, remark="keep me")
    failed = admin.new_backup(instance_id, status="failed")
    unsupported = admin.new_backup(instance_id, is_support_restore="FALSE")
    result = dcsctl("backups", "list", "--instance", instance_id)
    assert result.returncode == 0, result.stderr
    rows = {r["backup_id"]: r for r in table(result.stdout)}
    assert set(rows) == {good, failed, unsupported}
    assert rows[good]["status"] == "succeed" and rows[good]["remark"] == "keep me"
    assert rows[failed]["status"] == "failed"
    result = dcsctl("backups", "list", "--instance", instance_id, "--json")
    listed = json.loads(result.stdout)
    assert all(set(b) == BACKUP_FIELDS for b in listed)
    assert {b["backup_id"]: b["is_support_restore"] for b in listed}[
        unsupported
    ] == "FALSE"
    assert all(isinstance(b["size"], int) or b["size"] is None for b in listed)
    result = dcsctl(
        "backups", "list", "--instance", instance_id, "--restorable", "--json"
    )
    assert [b["backup_id"] for b in json.loads(result.stdout)] == [good]
    result = dcsctl("backups", "list", "--instance", instance_id, "--restorable")
    assert [r["backup_id"] for r in table(result.stdout)] == [good]


def test_backups_create_and_wait(dcsctl, admin):
    instance_id = admin.new_instance()
    result = dcsctl(
        "backups",
        "create",
        "--instance",
        instance_id,
        "--json",
        "--format",
        "aof",
        "--remark",
        "nightly",
    )
    assert result.returncode == 0, result.stderr
    first = json.loads(result.stdout)["backup_id"]
    # A second CopyInstance while the first backup runs is refused (DCS.4096) and, since
    # libdcs never risks starting two backups, not retried: let the first one finish.
    busy = dcsctl("backups", "create", "--instance", instance_id, "--json")
    assert busy.returncode == 3 and "DCS.4096" in busy.stderr, busy.stderr
    deadline = time.monotonic() + 10
    while admin.instance(instance_id).get("status") != "RUNNING" or any(
        b["status"] != "succeed"
        for b in json.loads(
            dcsctl("backups", "list", "--instance", instance_id, "--json").stdout
        )
    ):
        assert time.monotonic() < deadline, "the first backup never finished"
        time.sleep(0.05)
    result = dcsctl(
        "backups",
        "create",
        "--instance",
        instance_id,
        "--wait",
        "--json",
        "--poll-interval",
        "100ms",
    )
    assert result.returncode == 0, result.stderr
    done = json.loads(result.stdout)
    assert done["status"] == "succeed" and done["backup_id"] != first
    assert re.search(r"succeed \[#{20}\] 100\.00%", result.stderr), result.stderr
    listed = json.loads(
        dcsctl("backups", "list", "--instance", instance_id, "--json").stdout
    )
    by_id = {b["backup_id"]: b for b in listed}
    assert (
        by_id[first]["backup_format"] == "aof" and by_id[first]["remark"] == "nightly"
    )
    assert admin.instance(instance_id)["backups_started"] == 2


def test_backups_create_table(dcsctl, admin):
    result = dcsctl("backups", "create", "--instance", admin.new_instance())
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"backup_id  \S+\n", result.stdout), result.stdout


def test_backups_delete(dcsctl, admin):
    instance_id = admin.new_instance()
    doomed = admin.new_backup(instance_id)
    kept = admin.new_backup(instance_id)
    result = dcsctl("backups", "delete", "--instance", instance_id, "--backup", doomed)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"deleted backup {doomed}\n"
    listed = json.loads(
        dcsctl("backups", "list", "--instance", instance_id, "--json").stdout
    )
    remaining = {b["backup_id"]: b["status"] for b in listed}
    assert kept in remaining
    assert remaining.get(doomed, "deleted") == "deleted"


def test_instance_show_table_and_json(dcsctl, admin):
    instance_id = admin.new_instance(name="shown-instance")
    result = dcsctl("instance", "show", "--instance", instance_id)
    assert result.returncode == 0, result.stderr
    shown = record(result.stdout)
    assert shown["instance_id"] == instance_id
    assert shown["name"] == "shown-instance"
    assert shown["status"] == "RUNNING" and shown["cache_mode"] == "ha"
    got = json.loads(
        dcsctl("instance", "show", "--instance", instance_id, "--json").stdout
    )
    assert got["instance_id"] == instance_id and got["status"] == "RUNNING"
    assert {"name", "cache_mode", "engine", "sub_status", "capacity"} <= set(got)


def test_instance_show_unknown_instance_exits_3(dcsctl):
    result = dcsctl(
        "instance", "show", "--instance", "00000000-0000-0000-0000-000000000000"
    )
    assert result.returncode == 3
    assert "request id" in result.stderr


def test_version(dcsctl, base_env):
    result = dcsctl("version", env=base_env)  # needs no configuration at all
    assert result.returncode == 0
    assert re.match(r"dcsctl \d+\.\d+\.\d+\n", result.stdout)
    got = json.loads(dcsctl("version", "--json", env=base_env).stdout)
    assert re.fullmatch(r"\d+\.\d+\.\d+", got["version"])
