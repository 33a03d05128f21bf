"""Authentication as the API gateway does it: 401 causes, the project check, tokens."""

from datetime import UTC, datetime, timedelta

import pytest
from conftest import DEMO_INSTANCE, DEMO_PROJECT, DEMO_SK, Client
from signing import sign


def assert_401(resp):
    assert resp.status == 401, resp
    body = resp.json()
    assert body["error_code"] == "APIGW.0301", body
    assert resp.header("X-Request-Id")
    return body["error_msg"]


def test_good_signature(client):
    assert client.dcs("GET", DEMO_INSTANCE).status == 200


def test_bad_signature(client):
    msg = assert_401(client.dcs("GET", DEMO_INSTANCE, sk=DEMO_SK + "x"))
    assert "signature" in msg.lower()


def test_unknown_access_key(client):
    msg = assert_401(client.dcs("GET", DEMO_INSTANCE, ak="NOSUCHACCESSKEY00000"))
    assert "NOSUCHACCESSKEY00000" in msg or "access key" in msg.lower()


def test_missing_authorization(client):
    resp = client.raw(
        "GET",
        f"/v2/{DEMO_PROJECT}/instances/{DEMO_INSTANCE}",
        headers={"X-Sdk-Date": datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")},
    )
    assert "authorization" in assert_401(resp).lower()


def signed_then(client, mutate, path=None, body=None):
    """Sign a ShowInstance request, let mutate() change the headers, send it."""
    path = path or f"/v2/{DEMO_PROJECT}/instances/{DEMO_INSTANCE}"
    headers, _ = sign(
        "GET",
        client.emu.netloc,
        path,
        [],
        {"Content-Type": "application/json"},
        "",
        "DEMOACCESSKEY0000001",
        DEMO_SK,
    )
    mutate(headers)
    return client.raw("GET", path, headers=headers)


def test_missing_date(client):
    msg = assert_401(signed_then(client, lambda h: h.pop("X-Sdk-Date")))
    assert "x-sdk-date" in msg.lower()


def test_malformed_date(client):
    def mutate(h):
        h["X-Sdk-Date"] = "2024-01-02 03:04:05"

    msg = assert_401(signed_then(client, mutate))
    assert "malformed" in msg.lower()


def test_date_not_signed(client):
    def mutate(h):
        h["Authorization"] = h["Authorization"].replace(";x-sdk-date", "")

    assert_401(signed_then(client, mutate))


@pytest.mark.parametrize("minutes", [16, -16, 60 * 24])
def test_skewed_date(client, minutes):
    when = datetime.now(UTC) + timedelta(minutes=minutes)
    resp = client.dcs(
        "GET", DEMO_INSTANCE, headers={"X-Sdk-Date": when.strftime("%Y%m%dT%H%M%SZ")}
    )
    assert "15 minutes" in assert_401(resp)


def test_small_skew_is_fine(client):
    when = datetime.now(UTC) - timedelta(minutes=10)
    assert (
        client.dcs(
            "GET",
            DEMO_INSTANCE,
            headers={"X-Sdk-Date": when.strftime("%Y%m%dT%H%M%SZ")},
        ).status
        == 200
    )


def test_tampered_body(client):
    path = f"/v2/{DEMO_PROJECT}/instances/{DEMO_INSTANCE}/restores"
    headers, _ = sign(
        "POST",
        client.emu.netloc,
        path,
        [],
        {"Content-Type": "application/json"},
        '{"backup_id":"a"}',
        "DEMOACCESSKEY0000001",
        DEMO_SK,
    )
    assert_401(client.raw("POST", path, body=b'{"backup_id":"b"}', headers=headers))
    assert client.admin_json("GET", "stats")["restores_started"] == 0


def test_tampered_query(client):
    path = f"/v2/{DEMO_PROJECT}/instances/{DEMO_INSTANCE}/backups"
    headers, q = sign(
        "GET",
        client.emu.netloc,
        path,
        [("limit", "5")],
        {},
        "",
        "DEMOACCESSKEY0000001",
        DEMO_SK,
    )
    assert_401(client.raw("GET", path + "?limit=6", headers=headers))
    assert client.raw("GET", path + "?" + q, headers=headers).status == 200


def test_query_sent_in_other_order_still_verifies(client):
    """The gateway canonicalizes what it receives; the order on the wire does not matter."""
    path = f"/v2/{DEMO_PROJECT}/instances/{DEMO_INSTANCE}/backups"
    headers, q = sign(
        "GET",
        client.emu.netloc,
        path,
        [("offset", "0"), ("limit", "5")],
        {},
        "",
        "DEMOACCESSKEY0000001",
        DEMO_SK,
    )
    assert q == "limit=5&offset=0"
    assert client.raw("GET", path + "?offset=0&limit=5", headers=headers).status == 200


def test_wrong_host_header(client):
    def mutate(h):
        h["Host"] = "dcs.cn-north-4.myhuaweicloud.com"

    assert_401(signed_then(client, mutate))


def test_wrong_project(client):
    client.admin_json(
        "POST",
        "credentials",
        {
            "ak": "OTHERAK",
            "sk": "other-sk-0123",
            "project_id": "ffff0000ffff0000ffff0000ffff0000",
        },
    )
    other = Client(
        client.emu,
        ak="OTHERAK",
        sk="other-sk-0123",
        project="ffff0000ffff0000ffff0000ffff0000",
    )
    # Signed for the demo project (X-Project-Id as the SDKs send it): not its project.
    resp = other.dcs(
        "GET",
        f"/v2/{DEMO_PROJECT}/instances/{DEMO_INSTANCE}",
        headers={"X-Project-Id": DEMO_PROJECT},
    )
    assert resp.status == 403, resp
    assert resp.json()["error_code"] == "DCS.2007"
    assert resp.json()["error_ext_msg"] is None
    # An X-Project-Id other than the path's project is a signature fault.
    resp = other.dcs("GET", f"/v2/{DEMO_PROJECT}/instances/{DEMO_INSTANCE}")
    assert resp.status == 401, resp
    assert "X-Project-Id" in resp.json()["error_msg"]
    # Its own project has no such instance.
    assert other.dcs("GET", DEMO_INSTANCE).status == 404
    other.close()


def test_security_token(client):
    client.admin_json(
        "POST",
        "credentials",
        {
            "ak": "TEMPAK",
            "sk": "temp-sk-0123",
            "project_id": DEMO_PROJECT,
            "security_token": "TOKEN-abc==",
        },
    )
    temp = Client(client.emu, ak="TEMPAK", sk="temp-sk-0123")
    assert (
        temp.dcs(
            "GET", DEMO_INSTANCE, headers={"X-Security-Token": "TOKEN-abc=="}
        ).status
        == 200
    )
    assert "token" in assert_401(temp.dcs("GET", DEMO_INSTANCE)).lower()
    assert_401(
        temp.dcs("GET", DEMO_INSTANCE, headers={"X-Security-Token": "TOKEN-other"})
    )

    def unsigned_token(h):
        h["X-Security-Token"] = "TOKEN-abc=="

    headers, _ = sign(
        "GET",
        client.emu.netloc,
        f"/v2/{DEMO_PROJECT}/instances/{DEMO_INSTANCE}",
        [],
        {},
        "",
        "TEMPAK",
        "temp-sk-0123",
    )
    unsigned_token(headers)
    assert_401(
        client.raw(
            "GET", f"/v2/{DEMO_PROJECT}/instances/{DEMO_INSTANCE}", headers=headers
        )
    )
    temp.close()


def test_messages_are_distinct(client):
    """Each 401 cause has its own message, so a client author can tell them apart."""
    path = f"/v2/{DEMO_PROJECT}/instances/{DEMO_INSTANCE}"
    skewed = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y%m%dT%H%M%SZ")

    def bad_date(h):
        h["X-Sdk-Date"] = "yesterday"

    def unsigned_date(h):
        h["Authorization"] = h["Authorization"].replace(";x-sdk-date", "")

    msgs = [
        assert_401(client.dcs("GET", DEMO_INSTANCE, sk="wrong")),
        assert_401(client.dcs("GET", DEMO_INSTANCE, ak="NOSUCHAK")),
        assert_401(client.raw("GET", path)),
        assert_401(signed_then(client, lambda h: h.pop("X-Sdk-Date"))),
        assert_401(signed_then(client, bad_date)),
        assert_401(signed_then(client, unsigned_date)),
        assert_401(client.dcs("GET", DEMO_INSTANCE, headers={"X-Sdk-Date": skewed})),
    ]
    assert len(set(msgs)) == len(msgs), msgs
