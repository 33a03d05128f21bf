"""Every fault kind, targeting, counting, seeded probability and the order vs. auth."""

import http.client
import json
import time

import pytest
from conftest import DEMO_BACKUP, DEMO_INSTANCE, Client

RESTORE_BODY = {"backup_id": DEMO_BACKUP}


def add_fault(client, **fault):
    resp = client.admin("POST", "faults", fault)
    assert resp.status == 201, resp
    return resp.json()["id"]


def restores_started(client):
    return client.admin_json("GET", "stats")["restores_started"]


def restore_count(client):
    resp = client.dcs("GET", f"{DEMO_INSTANCE}/restores")
    return 0 if resp.status == 204 else resp.json()["total_num"]


def last_logged(client, operation):
    entries = [
        e
        for e in client.admin_json("GET", "requests")["requests"]
        if e["operation"] == operation
    ]
    return entries[-1]


def test_status_fault_not_carried_out(client):
    add_fault(
        client,
        operation="RestoreInstance",
        kind="status",
        count=1,
        status=500,
        body='{"error_code":"DCS.5000","error_msg":"boom"}',
        headers={"X-Extra": "yes"},
    )
    resp = client.dcs("POST", f"{DEMO_INSTANCE}/restores", body=RESTORE_BODY)
    assert resp.status == 500
    assert resp.json() == {"error_code": "DCS.5000", "error_msg": "boom"}
    assert resp.header("X-Extra") == "yes"
    assert resp.header("X-Request-Id")
    assert restores_started(client) == 0 and restore_count(client) == 0
    entry = last_logged(client, "RestoreInstance")
    assert entry["fault"] == "status" and entry["status"] == 500
    # count=1: the next request is normal.
    assert (
        client.dcs("POST", f"{DEMO_INSTANCE}/restores", body=RESTORE_BODY).status == 200
    )
    assert restores_started(client) == 1


def test_fault_targets_only_its_operation(client):
    add_fault(
        client, operation="ListBackupRecords", kind="status", status=503, body="{}"
    )
    assert client.dcs("GET", DEMO_INSTANCE).status == 200
    assert client.dcs("GET", f"{DEMO_INSTANCE}/backups").status == 503
    assert client.dcs("GET", f"{DEMO_INSTANCE}/backups").status == 503, (
        "no count = every request"
    )


def test_wildcard_fault(client):
    add_fault(client, operation="*", kind="status", status=502, body="{}", count=3)
    assert client.dcs("GET", DEMO_INSTANCE).status == 502
    assert client.dcs("GET", f"{DEMO_INSTANCE}/restores").status == 502
    assert client.dcs("DELETE", f"{DEMO_INSTANCE}/backups/{DEMO_BACKUP}").status == 502
    assert client.dcs("GET", DEMO_INSTANCE).status == 200
    faults = client.admin_json("GET", "faults")["faults"]
    assert faults[0]["fired"] == 3 and faults[0]["remaining"] == 0


def test_bad_signature_is_401_despite_fault(client):
    add_fault(client, operation="*", kind="status", status=500, body="{}", count=1)
    assert client.dcs("GET", DEMO_INSTANCE, sk="wrong").status == 401
    assert client.dcs("GET", DEMO_INSTANCE).status == 500, (
        "the 401 must not use up the fault"
    )


def test_delay(client):
    add_fault(client, operation="ShowInstance", kind="delay", delay_ms=400, count=1)
    start = time.monotonic()
    resp = client.dcs("GET", DEMO_INSTANCE)
    assert resp.status == 200 and resp.json()["instance_id"] == DEMO_INSTANCE
    assert time.monotonic() - start >= 0.38
    assert last_logged(client, "ShowInstance")["fault"] == "delay"


def test_close_before(client):
    add_fault(client, operation="RestoreInstance", kind="close_before", count=1)
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        client.dcs("POST", f"{DEMO_INSTANCE}/restores", body=RESTORE_BODY)
    assert restores_started(client) == 0 and restore_count(client) == 0
    entry = last_logged(client, "RestoreInstance")
    assert entry["fault"] == "close_before" and entry["status"] == 0


def test_close_after_really_starts_the_restore(client):
    add_fault(client, operation="RestoreInstance", kind="close_after", count=1)
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        client.dcs("POST", f"{DEMO_INSTANCE}/restores", body=RESTORE_BODY)
    assert restores_started(client) == 1
    assert restore_count(client) == 1
    assert (
        client.admin_json("GET", f"instances/{DEMO_INSTANCE}")["restores_started"] == 1
    )
    entry = last_logged(client, "RestoreInstance")
    assert entry["fault"] == "close_after" and entry["status"] == 0


def test_truncated(client):
    add_fault(client, operation="ListBackupRecords", kind="truncated", count=1)
    with pytest.raises(http.client.IncompleteRead):
        client.dcs("GET", f"{DEMO_INSTANCE}/backups")
    assert client.dcs("GET", f"{DEMO_INSTANCE}/backups").status == 200


def test_truncated_delete_is_carried_out(client):
    add_fault(client, operation="DeleteBackupFile", kind="truncated", count=1)
    with pytest.raises(http.client.IncompleteRead):
        client.dcs("DELETE", f"{DEMO_INSTANCE}/backups/{DEMO_BACKUP}")
    assert client.dcs("GET", f"{DEMO_INSTANCE}/backups").status == 204


def test_non_json(client):
    add_fault(client, operation="RestoreInstance", kind="non_json", count=1)
    resp = client.dcs("POST", f"{DEMO_INSTANCE}/restores", body=RESTORE_BODY)
    assert resp.status == 200
    with pytest.raises(ValueError):
        json.loads(resp.body)
    assert restores_started(client) == 1, "non_json carries the request out"


def test_oversized(client):
    add_fault(client, operation="ShowInstance", kind="oversized", count=1)
    resp = client.dcs("GET", DEMO_INSTANCE)
    assert resp.status == 200
    assert len(resp.body) >= 2 * 1024 * 1024
    json.loads(resp.body)


def test_html_502(client):
    add_fault(client, operation="CopyInstance", kind="html_502", count=1)
    resp = client.dcs("POST", f"{DEMO_INSTANCE}/backups", body={})
    assert resp.status == 502
    assert resp.header("Content-Type").startswith("text/html")
    assert b"<html" in resp.body.lower()
    assert client.admin_json("GET", "stats")["backups_started"] == 0


@pytest.mark.parametrize("retry_after,expected", [(None, "1"), (7, "7")])
def test_throttle(client, retry_after, expected):
    fault = {"operation": "RestoreInstance", "kind": "throttle", "count": 1}
    if retry_after is not None:
        fault["retry_after"] = retry_after
    add_fault(client, **fault)
    resp = client.dcs("POST", f"{DEMO_INSTANCE}/restores", body=RESTORE_BODY)
    assert resp.status == 429
    assert resp.header("Retry-After") == expected
    body = resp.json()
    assert body["error_code"] and body["error_msg"]
    assert restores_started(client) == 0


def probability_pattern(client, n=40):
    client.admin("POST", "reset")
    add_fault(
        client,
        operation="ShowInstance",
        kind="status",
        status=500,
        body="{}",
        probability=0.5,
        seed=1234,
    )
    return [client.dcs("GET", DEMO_INSTANCE).status for _ in range(n)]


def test_seeded_probability_is_reproducible(client):
    first = probability_pattern(client)
    second = probability_pattern(client)
    assert first == second
    assert 500 in first and 200 in first


def test_fault_validation(client):
    for bad in (
        {"operation": "Nope", "kind": "status", "status": 500},
        {"operation": "*", "kind": "explode"},
        {"operation": "*", "kind": "status"},
        {
            "operation": "*",
            "kind": "status",
            "status": 500,
            "count": 1,
            "probability": 0.5,
        },
        {"operation": "*", "kind": "status", "status": 500, "typo_field": 1},
    ):
        assert client.admin("POST", "faults", bad).status == 400, bad


def test_clear_faults(client):
    add_fault(client, operation="*", kind="html_502")
    assert client.admin("DELETE", "faults").status == 200
    assert client.admin_json("GET", "faults")["faults"] == []
    assert client.dcs("GET", DEMO_INSTANCE).status == 200


def test_new_connection_after_close_fault(client):
    """A client that reconnects after a dropped connection is served normally."""
    add_fault(client, operation="ShowInstance", kind="close_before", count=1)
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        client.dcs("GET", DEMO_INSTANCE)
    other = Client(client.emu)
    assert other.dcs("GET", DEMO_INSTANCE).status == 200
    other.close()
