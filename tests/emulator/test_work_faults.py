"""Faults that carry a request out and then lose or delay its answer, faults aimed at one
instance, the restore listing delay, and the service-side counters that let a client
test prove a restore was started exactly once."""

import json
import socket
import time

from conftest import (
    DEMO_AK,
    DEMO_BACKUP,
    DEMO_INSTANCE,
    DEMO_PROJECT,
    DEMO_SK,
    TIMEOUT,
    restore_record,
    wait_until,
)
from signing import sign

RESTORE_BODY = {"backup_id": DEMO_BACKUP}
RESTORES = f"/v2/{DEMO_PROJECT}/instances/{DEMO_INSTANCE}/restores"


def add_fault(client, **fault):
    resp = client.admin("POST", "faults", fault)
    assert resp.status == 201, resp
    return resp.json()["id"]


def stats(client):
    return client.admin_json("GET", "stats")


def instance(client, instance_id=DEMO_INSTANCE):
    return client.admin_json("GET", f"instances/{instance_id}")


def logged(client, kind):
    """The log entry of the request a fault of this kind hit, once the exchange ended."""
    for e in client.admin_json("GET", "requests")["requests"]:
        if e["fault"] == kind:
            return e
    return None


def raw_request(emulator, method, path, body=b""):
    """The bytes of a signed HTTP/1.1 request, for a hand-driven socket."""
    if isinstance(body, dict):
        body = json.dumps(body).encode()
    headers, _ = sign(
        method,
        emulator.netloc,
        path,
        [],
        {"Content-Type": "application/json"},
        body,
        DEMO_AK,
        DEMO_SK,
    )
    headers["Content-Length"] = str(len(body))
    head = f"{method} {path} HTTP/1.1\r\n" + "".join(
        f"{k}: {v}\r\n" for k, v in headers.items()
    )
    return head.encode() + b"\r\n" + body


def open_socket(emulator):
    host, port = emulator.netloc.rsplit(":", 1)
    sock = socket.create_connection((host, int(port)), timeout=TIMEOUT)
    return sock


def read_to_eof(sock, timeout):
    """Everything the server sends until it closes; raises on a reset or a timeout."""
    sock.settimeout(timeout)
    data = b""
    while chunk := sock.recv(4096):
        data += chunk
    return data


def read_one_response(sock):
    """Read one response with a Content-Length body; return (status, body)."""
    sock.settimeout(TIMEOUT)
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(4096)
        assert chunk, "closed before a response"
        buf += chunk
    head, rest = buf.split(b"\r\n\r\n", 1)
    lines = head.decode().split("\r\n")
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    while len(rest) < length:
        chunk = sock.recv(4096)
        assert chunk, "closed inside a body"
        rest += chunk
    assert len(rest) == length, "bytes after the response"
    return int(lines[0].split()[1]), rest


def wait_started(client, n=1):
    wait_until(
        f"{n} restore(s) started", lambda: stats(client)["restores_started"] == n
    )


def test_hang_after_work_holds_until_the_client_closes(client):
    add_fault(client, operation="RestoreInstance", kind="hang_after_work", count=1)
    sock = open_socket(client.emu)
    try:
        sock.sendall(raw_request(client.emu, "POST", RESTORES, RESTORE_BODY))
        wait_started(client)
        sock.settimeout(0.4)
        try:
            data = sock.recv(1)
        except TimeoutError:
            data = None
        assert data is None, f"a hung request was answered: {data!r}"
        assert logged(client, "hang_after_work") is None, "ended while client waited"
    finally:
        sock.close()
    entry = wait_until(
        "the held request to end", lambda: logged(client, "hang_after_work")
    )
    assert entry["status"] == 0 and entry["operation"] == "RestoreInstance"
    s = stats(client)
    assert s["restores_started"] == 1 and s["restore_posts"] == 1
    assert s["faults_fired"] == 1
    assert client.admin_json("GET", "faults")["faults"][0]["fired"] == 1
    assert instance(client)["restore_posts"] == 1


def test_hang_after_work_with_delay_closes_without_answer(client):
    add_fault(client, operation="RestoreInstance", kind="hang_after_work", delay_ms=500)
    sock = open_socket(client.emu)
    began = time.monotonic()
    try:
        sock.sendall(raw_request(client.emu, "POST", RESTORES, RESTORE_BODY))
        assert read_to_eof(sock, 5) == b"", "not a byte of answer"
    finally:
        sock.close()
    assert time.monotonic() - began >= 0.48
    assert stats(client)["restores_started"] == 1
    # The restore really runs.
    wait_until(
        "the restore to be listed",
        lambda: client.dcs("GET", f"{DEMO_INSTANCE}/restores").status == 200,
    )


def test_hang_is_let_go_by_reset(client):
    add_fault(client, operation="RestoreInstance", kind="hang_after_work")
    sock = open_socket(client.emu)
    try:
        sock.sendall(raw_request(client.emu, "POST", RESTORES, RESTORE_BODY))
        wait_started(client)
        began = time.monotonic()
        assert client.admin("POST", "reset").status == 200
        assert read_to_eof(sock, 5) == b""
        assert time.monotonic() - began < 3
    finally:
        sock.close()


def test_late_after_work_answers_late(client):
    add_fault(
        client,
        operation="RestoreInstance",
        kind="late_after_work",
        delay_ms=600,
        count=1,
    )
    began = time.monotonic()
    resp = client.dcs("POST", f"{DEMO_INSTANCE}/restores", body=RESTORE_BODY)
    assert time.monotonic() - began >= 0.58
    assert resp.status == 200, resp
    restore_id = resp.json()["restore_id"]
    assert restore_record(client, restore_id) is not None
    s = stats(client)
    assert s["restores_started"] == 1 and s["restore_posts"] == 1
    assert s["faults_fired"] == 1
    assert logged(client, "late_after_work")["status"] == 200


def test_late_after_work_answers_though_the_client_left(client):
    add_fault(client, operation="RestoreInstance", kind="late_after_work", delay_ms=500)
    sock = open_socket(client.emu)
    began = time.monotonic()
    sock.sendall(raw_request(client.emu, "POST", RESTORES, RESTORE_BODY))
    wait_started(client)
    sock.close()
    entry = wait_until("the late answer", lambda: logged(client, "late_after_work"))
    assert time.monotonic() - began >= 0.48
    assert entry["status"] == 200


def test_late_after_work_needs_delay(client):
    for bad in (
        {"operation": "RestoreInstance", "kind": "late_after_work"},
        {"operation": "RestoreInstance", "kind": "late_after_work", "delay_ms": 0},
        {"operation": "RestoreInstance", "kind": "hang_after_work", "delay_ms": -1},
    ):
        assert client.admin("POST", "faults", bad).status == 400, bad


def test_close_after_on_a_kept_alive_connection_sends_no_byte(client):
    """What libcurl resends silently: a reused connection closed with no answer."""
    add_fault(client, operation="RestoreInstance", kind="close_after", count=1)
    before = stats(client)["connections_accepted"]
    sock = open_socket(client.emu)
    try:
        sock.sendall(raw_request(client.emu, "GET", RESTORES))
        status, body = read_one_response(sock)
        assert status == 204 and body == b""
        sock.sendall(raw_request(client.emu, "POST", RESTORES, RESTORE_BODY))
        assert read_to_eof(sock, 5) == b"", "not even a partial status line"
    finally:
        sock.close()
    s = stats(client)
    assert s["connections_accepted"] == before + 1, "both requests on one connection"
    assert s["restores_started"] == 1 and s["restore_posts"] == 1


def test_fault_aimed_at_one_instance(client):
    other = client.admin_json("POST", "instances", {"instance_id": "aimed-at"})
    fault_id = add_fault(
        client,
        operation="*",
        instance_id=other["instance_id"],
        kind="status",
        status=503,
        body="{}",
        count=2,
    )
    assert client.dcs("GET", DEMO_INSTANCE).status == 200
    assert client.dcs("GET", f"{DEMO_INSTANCE}/restores").status == 204
    assert client.dcs("GET", "aimed-at").status == 503
    assert client.dcs("GET", "aimed-at/backups").status == 503
    assert client.dcs("GET", "aimed-at").status == 200, "count 2 used up"
    listed = client.admin_json("GET", "faults")["faults"]
    assert listed[0]["id"] == fault_id
    assert listed[0]["instance_id"] == "aimed-at" and listed[0]["fired"] == 2
    assert stats(client)["faults_fired"] == 2


def test_restore_listing_delay(client):
    timings = client.admin_json("PUT", "timings", {"restore_listing_delay_ms": 1000})
    assert timings["restore_listing_delay_ms"] == 1000
    posted = time.monotonic()
    resp = client.dcs("POST", f"{DEMO_INSTANCE}/restores", body=RESTORE_BODY)
    assert resp.status == 200
    restore_id = resp.json()["restore_id"]
    hidden = client.dcs("GET", f"{DEMO_INSTANCE}/restores")
    assert hidden.status == 204 and hidden.body == b"", "hidden, total_num 0"
    # Running meanwhile: a second restore is refused as busy.
    busy = client.dcs("POST", f"{DEMO_INSTANCE}/restores", body=RESTORE_BODY)
    assert busy.status == 400 and busy.json()["error_code"] == "DCS.4097"
    assert instance(client)["restores"] == 1
    listed = wait_until(
        "the restore to be listed",
        lambda: (
            (r := client.dcs("GET", f"{DEMO_INSTANCE}/restores")).status == 200
            and r.json()
        ),
    )
    assert time.monotonic() - posted >= 0.95
    assert listed["total_num"] == 1
    record = listed["restore_record_response"][0]
    assert record["restore_id"] == restore_id
    assert record["status"] == "succeed", "fast timings finish while hidden"
    # A later, longer delay does not hide the record already created.
    client.admin_json("PUT", "timings", {"restore_listing_delay_ms": 60000})
    assert client.dcs("GET", f"{DEMO_INSTANCE}/restores").json()["total_num"] == 1
    second = client.dcs("POST", f"{DEMO_INSTANCE}/restores", body=RESTORE_BODY)
    assert second.status == 200
    again = client.dcs("GET", f"{DEMO_INSTANCE}/restores").json()
    assert again["total_num"] == 1 and len(again["restore_record_response"]) == 1
    assert (
        client.admin("PUT", "timings", {"restore_listing_delay_ms": -1}).status == 400
    )
    client.admin_json("POST", "reset")
    assert client.admin_json("GET", "timings")["restore_listing_delay_ms"] == 0


def test_post_counters(client):
    client.admin_json("PUT", "timings", {"restore_waiting_ms": 3000})
    add_fault(client, operation="RestoreInstance", kind="throttle", count=1)
    path = f"{DEMO_INSTANCE}/restores"
    assert client.dcs("POST", path, body=RESTORE_BODY).status == 429
    assert client.dcs("POST", path, body="").status == 400
    assert client.dcs("POST", path, body={"backup_id": "nope"}).status == 400
    assert client.dcs("POST", path, body=RESTORE_BODY).status == 200
    busy = client.dcs("POST", path, body=RESTORE_BODY)
    assert busy.json()["error_code"] == "DCS.4097"
    assert client.dcs("POST", path, body=RESTORE_BODY, sk="wrong").status == 401
    assert client.dcs("POST", "missing/restores", body=RESTORE_BODY).status == 404
    assert client.dcs("POST", f"{DEMO_INSTANCE}/backups", body={}).status == 400
    inst = instance(client)
    assert inst["restore_posts"] == 5 and inst["restores_started"] == 1
    assert inst["backup_posts"] == 1 and inst["backups_started"] == 0
    listing = client.admin_json("GET", "instances")["instances"]
    assert all("restore_posts" in i and "backup_posts" in i for i in listing)
    s = stats(client)
    assert s["restore_posts"] == 6, "the unknown instance counts globally"
    assert s["backup_posts"] == 1 and s["faults_fired"] == 1
    client.admin_json("POST", "reset")
    s = stats(client)
    assert s["restore_posts"] == s["backup_posts"] == s["faults_fired"] == 0
    assert instance(client)["restore_posts"] == 0
