"""The admin API: request log (and its redaction), stats, reset, instances, data, timings."""

import json

from conftest import DEMO_AK, DEMO_BACKUP, DEMO_INSTANCE, DEMO_PROJECT, DEMO_SK, Client


def test_request_log_fields_and_redaction(client):
    client.admin_json(
        "POST",
        "credentials",
        {
            "ak": "TEMPAK",
            "sk": "temp-secret-0123",
            "project_id": DEMO_PROJECT,
            "security_token": "SECRET-TOKEN-xyz",
        },
    )
    temp = Client(client.emu, ak="TEMPAK", sk="temp-secret-0123")
    assert (
        temp.dcs(
            "POST",
            f"{DEMO_INSTANCE}/restores",
            body={"backup_id": DEMO_BACKUP, "remark": "log me"},
            headers={"X-Security-Token": "SECRET-TOKEN-xyz"},
        ).status
        == 200
    )
    # A careless client puts secrets into a body and a query: the log must drop them.
    client.dcs("POST", f"{DEMO_INSTANCE}/backups", body={"remark": DEMO_SK})
    client.dcs(
        "GET", f"{DEMO_INSTANCE}/backups", [("limit", "5"), ("x", "SECRET-TOKEN-xyz")]
    )
    client.dcs("GET", DEMO_INSTANCE, sk="wrong-secret")
    raw = client.admin("GET", "requests").body.decode()
    for secret in (
        DEMO_SK,
        "temp-secret-0123",
        "SECRET-TOKEN-xyz",
        "Signature=",
        "wrong-secret",
    ):
        assert secret not in raw, secret
    entries = json.loads(raw)["requests"]
    assert len(entries) == 4
    restore = entries[0]
    assert set(restore) == {
        "time",
        "method",
        "path",
        "query",
        "operation",
        "signed_headers",
        "body",
        "status",
        "access_key",
        "fault",
    }
    assert restore["method"] == "POST"
    assert restore["path"] == f"/v2/{DEMO_PROJECT}/instances/{DEMO_INSTANCE}/restores"
    assert restore["operation"] == "RestoreInstance"
    assert restore["access_key"] == "TEMPAK"
    assert (
        "x-security-token" in restore["signed_headers"]
        and "x-sdk-date" in restore["signed_headers"]
    )
    assert json.loads(restore["body"]) == {"backup_id": DEMO_BACKUP, "remark": "log me"}
    assert restore["status"] == 200 and restore["fault"] == ""
    assert entries[2]["query"].startswith("limit=5&x=")
    assert entries[3]["status"] == 401 and entries[3]["access_key"] == DEMO_AK
    assert client.admin("DELETE", "requests").status == 200
    assert client.admin_json("GET", "requests")["requests"] == []
    temp.close()


def test_stats_and_keep_alive(client):
    before = client.admin_json("GET", "stats")
    for _ in range(5):
        assert client.dcs("GET", DEMO_INSTANCE).status == 200
    after = client.admin_json("GET", "stats")
    assert after["requests"] - before["requests"] == 5, (
        "admin calls are not DCS requests"
    )
    assert after["connections_accepted"] == before["connections_accepted"], (
        "one keep-alive connection"
    )
    fresh = Client(client.emu)
    fresh.dcs("GET", DEMO_INSTANCE)
    fresh.close()
    assert (
        client.admin_json("GET", "stats")["connections_accepted"]
        == after["connections_accepted"] + 1
    )


def test_reset(client):
    client.admin_json("POST", "instances", {"instance_id": "extra-1"})
    client.admin_json(
        "POST", "faults", {"operation": "*", "kind": "html_502", "count": 1}
    )
    client.admin_json("PUT", "timings", {"restore_running_ms": 5})
    client.admin_json("PUT", f"instances/{DEMO_INSTANCE}/data", {"new": "key"})
    client.dcs("DELETE", f"{DEMO_INSTANCE}/backups/{DEMO_BACKUP}")  # eaten by the fault
    client.dcs("DELETE", f"{DEMO_INSTANCE}/backups/{DEMO_BACKUP}")
    client.dcs("POST", f"{DEMO_INSTANCE}/backups", body={})
    client.admin_json("POST", "reset")
    assert [
        i["instance_id"] for i in client.admin_json("GET", "instances")["instances"]
    ] == [DEMO_INSTANCE]
    assert client.admin_json("GET", "faults")["faults"] == []
    assert client.admin_json("GET", "requests")["requests"] == []
    assert client.admin_json("GET", "timings")["restore_running_ms"] == 250
    stats = client.admin_json("GET", "stats")
    assert (
        stats["requests"] == 0
        and stats["restores_started"] == 0
        and stats["backups_started"] == 0
    )
    backups = client.dcs("GET", f"{DEMO_INSTANCE}/backups").json()
    assert [b["backup_id"] for b in backups["backup_record_response"]] == [DEMO_BACKUP]
    assert client.admin_json("GET", f"instances/{DEMO_INSTANCE}/data") == {
        "greeting": "hello",
        "counter": "1",
        "scratch": "written-after-backup",
    }


def test_instances_admin(client):
    created = client.admin("POST", "instances", {"name": "second"})
    assert created.status == 201
    inst = created.json()
    assert (
        inst["cache_mode"] == "ha"
        and inst["status"] == "RUNNING"
        and inst["project_id"] == DEMO_PROJECT
    )
    assert inst["redis_port"] > 0
    assert client.dcs("GET", inst["instance_id"]).json()["name"] == "second"
    listing = client.admin_json("GET", "instances")["instances"]
    assert {i["instance_id"] for i in listing} == {DEMO_INSTANCE, inst["instance_id"]}
    assert all("restores_started" in i and "backups_started" in i for i in listing)
    patched = client.admin_json(
        "PATCH",
        f"instances/{inst['instance_id']}",
        {"status": "RESTARTING", "cache_mode": "cluster"},
    )
    assert patched["status"] == "RESTARTING" and patched["cache_mode"] == "cluster"
    assert client.dcs("GET", inst["instance_id"]).json()["status"] == "RESTARTING"
    assert client.admin("GET", "instances/nope").status == 404
    assert client.admin("POST", "instances", {"instance_id": "bad id"}).status == 400
    assert (
        client.admin("POST", "instances", {"instance_id": DEMO_INSTANCE}).status == 400
    )
    assert (
        client.admin(
            "PATCH", f"instances/{DEMO_INSTANCE}", {"cache_mode": "weird"}
        ).status
        == 400
    )


def test_admin_backup(client):
    resp = client.admin(
        "POST",
        f"instances/{DEMO_INSTANCE}/backups",
        {"backup_id": "b-admin-1", "remark": "r"},
    )
    assert resp.status == 201
    b = resp.json()
    assert (
        b["backup_id"] == "b-admin-1"
        and b["status"] == "succeed"
        and b["is_support_restore"] == "TRUE"
    )
    listing = client.dcs("GET", f"{DEMO_INSTANCE}/backups").json()
    assert listing["total_num"] == 2
    assert client.admin_json("GET", "stats")["backups_started"] == 0
    assert (
        client.admin(
            "POST", f"instances/{DEMO_INSTANCE}/backups", {"status": "weird"}
        ).status
        == 400
    )
    assert client.admin("POST", "instances/nope/backups", {}).status == 404


def test_data_api(client):
    path = f"instances/{DEMO_INSTANCE}/data"
    assert client.admin_json("GET", path) == {
        "greeting": "hello",
        "counter": "1",
        "scratch": "written-after-backup",
    }
    client.admin_json("PUT", path, {"a": "1", "b": "two words"})
    data = client.admin_json("GET", path)
    assert data["a"] == "1" and data["b"] == "two words"
    client.admin_json("DELETE", path)
    assert client.admin_json("GET", path) == {}
    assert client.admin("GET", "instances/nope/data").status == 404


def test_timings(client):
    t = client.admin_json("PUT", "timings", {"restore_running_ms": 10})
    assert t["restore_running_ms"] == 10 and t["restore_waiting_ms"] == 50, (
        "other fields keep their value"
    )
    assert client.admin("PUT", "timings", {"restore_running_ms": -1}).status == 400
    assert client.admin("PUT", "timings", {"no_such_field": 1}).status == 400


def test_restore_counter_per_instance(client):
    client.admin_json("POST", "instances", {"instance_id": "counted"})
    b = client.admin_json("POST", "instances/counted/backups", {})
    assert (
        client.dcs(
            "POST", "counted/restores", body={"backup_id": b["backup_id"]}
        ).status
        == 200
    )
    counted = client.admin_json("GET", "instances/counted")
    demo = client.admin_json("GET", f"instances/{DEMO_INSTANCE}")
    assert counted["restores_started"] == 1 and demo["restores_started"] == 0
    assert client.admin_json("GET", "stats")["restores_started"] == 1


def test_unknown_admin_path(client):
    resp = client.admin("GET", "nothing-here")
    assert resp.status == 404 and "error" in resp.json()
