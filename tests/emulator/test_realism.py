"""The service's realism: Redis is unavailable while a restore is `restoring`; a
redis-server that cannot load the backup ends the restore failed (old data kept); backups
can be made to fail; ShowInstance's whole field set; {} in string fields; trickling and
stalling answers."""

import http.client
import socket
import time

import pytest
from conftest import (
    DEMO_BACKUP,
    DEMO_INSTANCE,
    TIMEOUT,
    wait_backup,
    wait_restore,
    wait_until,
)

try:
    from huaweicloudsdkdcs.v2 import ShowInstanceResponse
except ImportError:  # pragma: no cover - depends on the machine
    ShowInstanceResponse = None


def redis_port(client, instance=DEMO_INSTANCE):
    port = client.admin_json("GET", f"instances/{instance}")["redis_port"]
    if port == 0:
        pytest.skip("state-only emulator: no redis-server")
    return port


def redis_ping(port):
    """PING over RESP; raises ConnectionRefusedError when nothing listens."""
    with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
        s.sendall(b"*1\r\n$4\r\nPING\r\n")
        return s.recv(64)


def instance_status(client):
    return client.dcs("GET", DEMO_INSTANCE).json()["status"]


def test_redis_refuses_while_restoring(client):
    port = redis_port(client)
    assert redis_ping(port) == b"+PONG\r\n"
    client.admin_json(
        "PUT", "timings", {"restore_waiting_ms": 0, "restore_running_ms": 1500}
    )
    resp = client.dcs(
        "POST", f"{DEMO_INSTANCE}/restores", body={"backup_id": DEMO_BACKUP}
    )
    assert resp.status == 200, resp
    restore_id = resp.json()["restore_id"]
    wait_until("RESTORING", lambda: instance_status(client) == "RESTORING")
    with pytest.raises(ConnectionRefusedError):
        redis_ping(port)
    data = client.admin("GET", f"instances/{DEMO_INSTANCE}/data")
    assert data.status == 409, data
    assert "restore" in data.json()["error"]
    wait_restore(client, restore_id)
    # Served again, on the same port, with the backup's data.
    assert redis_ping(port) == b"+PONG\r\n"
    assert client.admin_json("GET", f"instances/{DEMO_INSTANCE}/data") == {
        "greeting": "hello",
        "counter": "1",
    }
    assert instance_status(client) == "RUNNING"


def test_a_redis_server_that_does_not_come_back_fails_the_restore(client):
    port = redis_port(client)
    corrupt = client.admin_json(
        "POST", f"instances/{DEMO_INSTANCE}/backups", {"corrupt": True}
    )
    before = client.admin_json("GET", f"instances/{DEMO_INSTANCE}/data")
    resp = client.dcs(
        "POST", f"{DEMO_INSTANCE}/restores", body={"backup_id": corrupt["backup_id"]}
    )
    assert resp.status == 200, resp
    record = wait_restore(client, resp.json()["restore_id"], "failed")
    assert record["error_code"].startswith("dcs.08.000"), record
    # Never a RUNNING instance without data: the old data was put back.
    assert instance_status(client) == "RUNNING"
    assert redis_ping(port) == b"+PONG\r\n"
    assert client.admin_json("GET", f"instances/{DEMO_INSTANCE}/data") == before


def test_fail_restores_keeps_data_and_redis(client):
    port = redis_port(client)
    before = client.admin_json("GET", f"instances/{DEMO_INSTANCE}/data")
    client.admin_json("PUT", "timings", {"fail_restores": "dcs.08.0002"})
    resp = client.dcs(
        "POST", f"{DEMO_INSTANCE}/restores", body={"backup_id": DEMO_BACKUP}
    )
    record = wait_restore(client, resp.json()["restore_id"], "failed")
    assert record["error_code"] == "dcs.08.0002"
    assert redis_ping(port) == b"+PONG\r\n"
    assert client.admin_json("GET", f"instances/{DEMO_INSTANCE}/data") == before


def test_backups_can_be_made_to_fail(client):
    assert (
        client.admin_json("PUT", "timings", {"fail_backups": "dcs.08.0006"})[
            "fail_backups"
        ]
        == "dcs.08.0006"
    )
    resp = client.dcs("POST", f"{DEMO_INSTANCE}/backups", body={})
    assert resp.status == 200, resp
    record = wait_backup(client, resp.json()["backup_id"], "failed")
    assert record["error_code"] == "dcs.08.0006"
    assert record["is_support_restore"] == "FALSE"
    # A failed backup cannot be restored from: DCS.4087.
    resp = client.dcs(
        "POST", f"{DEMO_INSTANCE}/restores", body={"backup_id": record["backup_id"]}
    )
    assert resp.status == 400 and resp.json()["error_code"] == "DCS.4087", resp
    client.admin_json("PUT", "timings", {"fail_backups": ""})
    resp = client.dcs("POST", f"{DEMO_INSTANCE}/backups", body={})
    wait_backup(client, resp.json()["backup_id"])


def test_show_instance_has_the_whole_documented_field_set(client):
    body = client.dcs("GET", DEMO_INSTANCE).json()
    if ShowInstanceResponse is not None:
        assert set(ShowInstanceResponse.openapi_types) <= set(body)
    assert len(body) >= 62
    assert body["domain_name"] and body["az_codes"] and body["available_zones"]
    port = client.admin_json("GET", f"instances/{DEMO_INSTANCE}")["redis_port"]
    assert body["port"] == (port or 6379)
    assert body["ip"] == "127.0.0.1"
    assert isinstance(body["features"]["support_ssl"], bool)
    assert isinstance(body["bandwidth_info"]["bandwidth"], int)
    assert body["tags"] and {"key", "value"} <= set(body["tags"][0])
    assert body["instance_backup_policy"]["policy"]["backup_type"] == "manual"


def test_empty_object_strings_switch(client):
    listing = client.dcs("GET", f"{DEMO_INSTANCE}/backups").json()
    assert listing["backup_record_response"][0]["period"] == ""
    assert listing["backup_record_response"][0]["error_code"] is None
    client.admin_json("PUT", "timings", {"empty_object_strings": True})
    rec = client.dcs("GET", f"{DEMO_INSTANCE}/backups").json()[
        "backup_record_response"
    ][0]
    assert rec["period"] == {} and rec["error_code"] == {}
    plain = client.admin_json("POST", f"instances/{DEMO_INSTANCE}/backups", {})
    resp = client.dcs(
        "POST", f"{DEMO_INSTANCE}/restores", body={"backup_id": plain["backup_id"]}
    )
    restore = wait_restore(client, resp.json()["restore_id"])
    assert restore["error_code"] == {} and restore["backup_remark"] == {}
    # A set string stays a string.
    assert restore["restore_id"] == resp.json()["restore_id"]


def raw_get(client, path):
    """A signed GET on a fresh connection, returning the response object unread."""
    from signing import sign

    headers, _ = sign("GET", client.emu.netloc, path, [], {}, "", client.ak, client.sk)
    conn = http.client.HTTPConnection(client.emu.netloc, timeout=TIMEOUT)
    conn.request("GET", path, headers=headers)
    return conn, conn.getresponse()


def test_trickle_delivers_the_body_slowly(client):
    path = f"/v2/{client.project}/instances/{DEMO_INSTANCE}/restores"
    client.admin_json(
        "POST", f"instances/{DEMO_INSTANCE}/backups", {}
    )  # something to list
    client.dcs("POST", f"{DEMO_INSTANCE}/restores", body={"backup_id": DEMO_BACKUP})
    client.admin_json(
        "POST",
        "faults",
        {
            "operation": "ListRestoreRecords",
            "kind": "trickle",
            "delay_ms": 2,
            "count": 1,
        },
    )
    began = time.monotonic()
    conn, resp = raw_get(client, path)
    headers_after = time.monotonic() - began
    body = resp.read()
    took = time.monotonic() - began
    conn.close()
    assert resp.status == 200
    assert int(resp.getheader("Content-Length")) == len(body)
    assert headers_after < 0.5
    assert took >= len(body) * 0.002 * 0.8, (took, len(body))
    assert b"restore_record_response" in body


def test_stall_after_the_headers(client):
    client.admin_json(
        "POST",
        "faults",
        {
            "operation": "ShowInstance",
            "kind": "stall",
            "delay_ms": 300,
            "count": 1,
            "instance_id": DEMO_INSTANCE,
        },
    )
    began = time.monotonic()
    conn, resp = raw_get(client, f"/v2/{client.project}/instances/{DEMO_INSTANCE}")
    assert resp.status == 200 and int(resp.getheader("Content-Length")) > 0
    assert time.monotonic() - began < 0.3
    with pytest.raises(http.client.IncompleteRead):
        resp.read()
    assert time.monotonic() - began >= 0.25
    conn.close()
    assert client.admin_json("GET", "stats")["faults_fired"] == 1
    assert client.dcs("GET", DEMO_INSTANCE).status == 200
