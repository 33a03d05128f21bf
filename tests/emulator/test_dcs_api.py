"""Every DCS endpoint of the emulator, its fields, business errors, paging and filters."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from conftest import (
    DEMO_BACKUP,
    DEMO_INSTANCE,
    DEMO_PROJECT,
    backup_record,
    restore_record,
    wait_backup,
    wait_restore,
    wait_until,
)

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
REQUEST_ID = re.compile(r"^[0-9a-f]{16,}$")


def assert_dcs_response(resp):
    assert REQUEST_ID.match(resp.header("X-Request-Id") or ""), resp.headers
    assert resp.header("Content-Type").startswith("application/json"), resp.headers


def assert_error(resp, status, code, msg=None):
    assert resp.status == status, resp
    assert_dcs_response(resp)
    body = resp.json()
    assert body["error_code"] == code, body
    assert isinstance(body["error_msg"], str) and body["error_msg"]
    if msg is not None:
        assert body["error_msg"] == msg
    return body


def test_show_instance(client):
    resp = client.dcs("GET", DEMO_INSTANCE)
    assert resp.status == 200, resp
    assert_dcs_response(resp)
    inst = resp.json()
    assert inst["instance_id"] == DEMO_INSTANCE
    assert inst["name"] == "demo-redis"
    assert inst["cache_mode"] == "ha"
    assert inst["status"] == "RUNNING"
    assert inst["engine"] == "Redis"
    assert isinstance(inst["port"], int)


def test_request_ids_are_distinct(client):
    ids = {client.dcs("GET", DEMO_INSTANCE).header("X-Request-Id") for _ in range(5)}
    assert len(ids) == 5


def test_list_backups_of_demo(client):
    resp = client.dcs("GET", f"{DEMO_INSTANCE}/backups")
    assert resp.status == 200, resp
    assert_dcs_response(resp)
    body = resp.json()
    assert body["total_num"] == 1
    (b,) = body["backup_record_response"]
    assert b["backup_id"] == DEMO_BACKUP
    assert b["instance_id"] == DEMO_INSTANCE
    assert b["status"] == "succeed"
    assert b["is_support_restore"] == "TRUE"
    assert b["backup_format"] == "rdb"
    assert b["progress"] == "100.00"
    assert isinstance(b["size"], int) and b["size"] > 0
    assert TIMESTAMP.match(b["created_at"]) and TIMESTAMP.match(b["updated_at"])
    assert re.match(r"^backup_\d{14}$", b["backup_name"])


def test_restore_lifecycle(client):
    assert client.dcs("GET", f"{DEMO_INSTANCE}/restores").status == 204
    resp = client.dcs(
        "POST",
        f"{DEMO_INSTANCE}/restores",
        body={"backup_id": DEMO_BACKUP, "remark": "nightly"},
    )
    assert resp.status == 200, resp
    assert_dcs_response(resp)
    restore_id = resp.json()["restore_id"]
    assert re.match(r"^[0-9a-f-]{36}$", restore_id)

    seen = set()

    def done():
        r = restore_record(client, restore_id)
        seen.add((r["status"], client.dcs("GET", DEMO_INSTANCE).json()["status"]))
        if r["status"] == "restoring":
            assert 0 < float(r["progress"]) < 100
        return r["status"] == "succeed" and r

    r = wait_until("restore succeed", done)
    assert ("restoring", "RESTORING") in seen, seen
    assert r["progress"] == "100.00"
    assert r["restore_remark"] == "nightly"
    assert r["backup_id"] == DEMO_BACKUP
    assert r["backup_name"].startswith("backup_")
    assert r["error_code"] in (None, "")
    created = datetime.strptime(r["created_at"], "%Y-%m-%dT%H:%M:%S.%fZ")
    assert r["restore_name"] == "restore_" + created.strftime("%Y%m%d%H%M%S")
    assert TIMESTAMP.match(r["updated_at"])
    assert client.dcs("GET", DEMO_INSTANCE).json()["status"] == "RUNNING"
    stats = client.admin_json("GET", "stats")
    assert stats["restores_started"] == 1
    inst = client.admin_json("GET", f"instances/{DEMO_INSTANCE}")
    assert inst["restores_started"] == 1


def test_failed_restore(client):
    client.admin_json("PUT", "timings", {"fail_restores": "dcs.08.0007"})
    restore_id = client.dcs(
        "POST", f"{DEMO_INSTANCE}/restores", body={"backup_id": DEMO_BACKUP}
    ).json()["restore_id"]
    r = wait_restore(client, restore_id, "failed")
    assert r["error_code"] == "dcs.08.0007"
    assert client.dcs("GET", DEMO_INSTANCE).json()["status"] == "RUNNING"
    data = client.admin_json("GET", f"instances/{DEMO_INSTANCE}/data")
    assert data.get("scratch") == "written-after-backup", (
        "a failed restore must leave data unchanged"
    )


def test_copy_instance_backup_lifecycle(client):
    resp = client.dcs(
        "POST",
        f"{DEMO_INSTANCE}/backups",
        body={"remark": "manual", "backup_format": "rdb"},
    )
    assert resp.status == 200, resp
    backup_id = resp.json()["backup_id"]
    first = backup_record(client, backup_id)
    assert first["status"] in ("waiting", "backuping")
    b = wait_backup(client, backup_id)
    assert (
        b["size"] > 0
        and b["is_support_restore"] == "TRUE"
        and b["backup_format"] == "rdb"
    )
    assert (
        b["remark"] == "manual"
        and b["backup_type"] == "manual"
        and b["progress"] == "100.00"
    )
    listing = client.dcs("GET", f"{DEMO_INSTANCE}/backups").json()
    assert listing["total_num"] == 2
    assert listing["backup_record_response"][0]["backup_id"] == backup_id, (
        "newest first"
    )
    assert client.admin_json("GET", "stats")["backups_started"] == 1


def test_delete_backup(client):
    resp = client.dcs("DELETE", f"{DEMO_INSTANCE}/backups/{DEMO_BACKUP}")
    assert resp.status == 204, resp
    assert resp.body == b""
    assert resp.header("X-Request-Id")
    listing = client.dcs("GET", f"{DEMO_INSTANCE}/backups")
    assert listing.status == 204 and listing.body == b""
    assert_error(
        client.dcs("DELETE", f"{DEMO_INSTANCE}/backups/{DEMO_BACKUP}"), 400, "DCS.4031"
    )


def test_restore_busy_errors(client):
    client.admin_json(
        "PUT",
        "timings",
        {
            "restore_waiting_ms": 300,
            "restore_running_ms": 300,
            "backup_waiting_ms": 300,
            "backup_running_ms": 300,
        },
    )
    first = client.dcs(
        "POST", f"{DEMO_INSTANCE}/restores", body={"backup_id": DEMO_BACKUP}
    )
    assert first.status == 200
    assert_error(
        client.dcs(
            "POST", f"{DEMO_INSTANCE}/restores", body={"backup_id": DEMO_BACKUP}
        ),
        400,
        "DCS.4097",
    )
    assert_error(
        client.dcs("POST", f"{DEMO_INSTANCE}/backups", body={}), 400, "DCS.4097"
    )
    wait_restore(client, first.json()["restore_id"])
    backup = client.dcs("POST", f"{DEMO_INSTANCE}/backups", body={})
    assert backup.status == 200
    assert_error(
        client.dcs(
            "POST", f"{DEMO_INSTANCE}/restores", body={"backup_id": DEMO_BACKUP}
        ),
        400,
        "DCS.4096",
    )
    assert_error(
        client.dcs("POST", f"{DEMO_INSTANCE}/backups", body={}), 400, "DCS.4096"
    )
    wait_backup(client, backup.json()["backup_id"])
    assert client.admin_json("GET", "stats")["restores_started"] == 1


def test_restore_not_running(client):
    client.admin_json("PATCH", f"instances/{DEMO_INSTANCE}", {"status": "FROZEN"})
    assert_error(
        client.dcs(
            "POST", f"{DEMO_INSTANCE}/restores", body={"backup_id": DEMO_BACKUP}
        ),
        400,
        "DCS.4049",
    )
    assert_error(
        client.dcs("POST", f"{DEMO_INSTANCE}/backups", body={}), 400, "DCS.4049"
    )


def test_single_node_refused(client):
    inst = client.admin_json(
        "POST", "instances", {"instance_id": "single-1", "cache_mode": "single"}
    )
    assert inst["cache_mode"] == "single"
    b = client.admin_json("POST", "instances/single-1/backups", {})
    assert_error(
        client.dcs("POST", "single-1/restores", body={"backup_id": b["backup_id"]}),
        400,
        "DCS.4086",
    )
    assert_error(client.dcs("POST", "single-1/backups", body={}), 400, "DCS.4086")


def test_backup_not_succeed(client):
    for status, restorable in (
        ("failed", "TRUE"),
        ("backuping", "TRUE"),
        ("succeed", "FALSE"),
    ):
        b = client.admin_json(
            "POST",
            f"instances/{DEMO_INSTANCE}/backups",
            {"status": status, "is_support_restore": restorable},
        )
        assert_error(
            client.dcs(
                "POST", f"{DEMO_INSTANCE}/restores", body={"backup_id": b["backup_id"]}
            ),
            400,
            "DCS.4087",
        )


def test_backup_of_another_instance(client):
    client.admin_json("POST", "instances", {"instance_id": "other-1"})
    other = client.admin_json("POST", "instances/other-1/backups", {})
    body = assert_error(
        client.dcs(
            "POST", f"{DEMO_INSTANCE}/restores", body={"backup_id": other["backup_id"]}
        ),
        400,
        "DCS.4063",
        "Invalid backup_id parameter in the request.",
    )
    assert body["error_ext_msg"] is None
    assert_error(
        client.dcs("DELETE", f"{DEMO_INSTANCE}/backups/{other['backup_id']}"),
        400,
        "DCS.4031",
    )


@pytest.mark.parametrize(
    "body,code",
    [
        ("", "DCS.4004"),
        ("{not json", "DCS.4005"),
        ('"a string"', "DCS.4005"),
        ("{}", "DCS.4062"),
        ('{"backup_id": ""}', "DCS.4062"),
        ('{"backup_id": 42}', "DCS.4062"),
        (json.dumps({"backup_id": DEMO_BACKUP, "remark": "x" * 129}), "DCS.4098"),
        (
            json.dumps(
                {"backup_id": DEMO_BACKUP, "remark": "\u00e9" * 65}, ensure_ascii=False
            ),
            "DCS.4098",
        ),
    ],
)
def test_restore_body_errors(client, body, code):
    assert_error(client.dcs("POST", f"{DEMO_INSTANCE}/restores", body=body), 400, code)
    assert client.admin_json("GET", "stats")["restores_started"] == 0


def test_remark_of_exactly_128_bytes_is_accepted(client):
    resp = client.dcs(
        "POST",
        f"{DEMO_INSTANCE}/restores",
        body={"backup_id": DEMO_BACKUP, "remark": "r" * 128},
    )
    assert resp.status == 200, resp


@pytest.mark.parametrize(
    "body,code",
    [
        ("", "DCS.4004"),
        ("[]", "DCS.4005"),
        (json.dumps({"remark": "x" * 129}), "DCS.4098"),
        ('{"backup_format": "zip"}', "DCS.4062"),
    ],
)
def test_copy_instance_body_errors(client, body, code):
    assert_error(client.dcs("POST", f"{DEMO_INSTANCE}/backups", body=body), 400, code)


def test_unknown_instance(client):
    for method, path in (
        ("GET", "a1b2c3d4-0000-0000-0000-000000000000"),
        ("GET", "a1b2c3d4-0000-0000-0000-000000000000/restores"),
        ("POST", "a1b2c3d4-0000-0000-0000-000000000000/restores"),
        ("GET", "a1b2c3d4-0000-0000-0000-000000000000/backups"),
        ("DELETE", f"a1b2c3d4-0000-0000-0000-000000000000/backups/{DEMO_BACKUP}"),
    ):
        body = {"backup_id": DEMO_BACKUP} if method == "POST" else None
        assert_error(
            client.dcs(method, path, body=body),
            404,
            "DCS.3022",
            "This DCS instance does not exist.",
        )


@pytest.mark.parametrize("bad_id", ["has%20space", "x" * 65, "semi%3Bcolon", "dot.ted"])
def test_malformed_instance_id(client, bad_id):
    assert_error(client.dcs("GET", bad_id), 400, "DCS.4061")


@pytest.mark.parametrize(
    "query",
    [
        [("limit", "0")],
        [("limit", "1001")],
        [("limit", "ten")],
        [("offset", "-1")],
        [("offset", "x")],
        [("begin_time", "2024-01-01")],
        [("end_time", "20241340000000")],
    ],
)
@pytest.mark.parametrize("what", ["restores", "backups"])
def test_bad_paging(client, what, query):
    assert_error(client.dcs("GET", f"{DEMO_INSTANCE}/{what}", query), 400, "DCS.4062")


def make_restores(client, n):
    client.admin_json(
        "PUT", "timings", {"restore_waiting_ms": 0, "restore_running_ms": 0}
    )
    ids = []
    for _ in range(n):
        resp = client.dcs(
            "POST", f"{DEMO_INSTANCE}/restores", body={"backup_id": DEMO_BACKUP}
        )
        assert resp.status == 200, resp
        ids.append(resp.json()["restore_id"])
        wait_restore(client, ids[-1])
    return ids


def test_restore_paging(client):
    ids = make_restores(client, 12)
    default = client.dcs("GET", f"{DEMO_INSTANCE}/restores").json()
    assert default["total_num"] == 12
    assert [r["restore_id"] for r in default["restore_record_response"]] == ids[::-1][
        :10
    ], "newest first, limit 10"
    page = client.dcs(
        "GET", f"{DEMO_INSTANCE}/restores", [("offset", "10"), ("limit", "5")]
    ).json()
    assert [r["restore_id"] for r in page["restore_record_response"]] == ids[1::-1]
    assert page["total_num"] == 12
    one = client.dcs(
        "GET", f"{DEMO_INSTANCE}/restores", [("limit", "1"), ("offset", "3")]
    ).json()
    assert [r["restore_id"] for r in one["restore_record_response"]] == [ids[-4]]
    past = client.dcs("GET", f"{DEMO_INSTANCE}/restores", [("offset", "50")])
    assert (
        past.status == 200
        and past.json()["restore_record_response"] == []
        and past.json()["total_num"] == 12
    )
    big = client.dcs("GET", f"{DEMO_INSTANCE}/restores", [("limit", "1000")]).json()
    assert len(big["restore_record_response"]) == 12


def test_time_filters(client):
    now = datetime.now(UTC)
    fmt = "%Y%m%d%H%M%S"
    # The demo backup is dated an hour before start-up.
    backups = client.dcs(
        "GET",
        f"{DEMO_INSTANCE}/backups",
        [("begin_time", (now - timedelta(hours=3)).strftime(fmt))],
    )
    assert backups.status == 200 and backups.json()["total_num"] == 1
    future = client.dcs(
        "GET",
        f"{DEMO_INSTANCE}/backups",
        [("begin_time", (now + timedelta(hours=1)).strftime(fmt))],
    )
    assert future.status == 204 and future.body == b""
    old = client.dcs(
        "GET",
        f"{DEMO_INSTANCE}/backups",
        [("end_time", (now - timedelta(hours=5)).strftime(fmt))],
    )
    assert old.status == 204

    ids = make_restores(client, 2)
    created = [
        datetime.strptime(
            restore_record(client, i)["created_at"], "%Y-%m-%dT%H:%M:%S.%fZ"
        )
        for i in ids
    ]
    window = [
        ("begin_time", created[0].strftime(fmt)),
        ("end_time", created[1].strftime(fmt)),
    ]
    got = client.dcs("GET", f"{DEMO_INSTANCE}/restores", window).json()
    assert {r["restore_id"] for r in got["restore_record_response"]} == set(ids), (
        "bounds are inclusive"
    )
    before = client.dcs(
        "GET",
        f"{DEMO_INSTANCE}/restores",
        [("end_time", (created[0] - timedelta(seconds=1)).strftime(fmt))],
    )
    assert before.status == 204


def test_unknown_api_path(client):
    assert_error(client.dcs("GET", f"/v2/{DEMO_PROJECT}/flavors"), 404, "APIGW.0101")
    assert_error(
        client.dcs("PUT", f"{DEMO_INSTANCE}/restores", body={}), 404, "APIGW.0101"
    )
