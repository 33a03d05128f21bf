"""The API gateway in front of DCS: its error bodies (error_code, error_msg, request_id),
404 for an unknown API whether signed or not, the 401 variants with their codes, 403,
413 and 429."""

from datetime import UTC, datetime, timedelta

import pytest
from conftest import DEMO_INSTANCE, DEMO_PROJECT, Client

SHOW = f"/v2/{DEMO_PROJECT}/instances/{DEMO_INSTANCE}"


def gateway_error(resp, status, code):
    assert resp.status == status, resp
    assert resp.header("Content-Type").startswith("application/json")
    body = resp.json()
    assert set(body) == {"error_code", "error_msg", "request_id"}, body
    assert body["error_code"] == code, body
    assert body["error_msg"]
    assert body["request_id"] and body["request_id"] == resp.header("X-Request-Id")
    return body


@pytest.mark.parametrize(
    "method,path",
    [
        ("GET", f"/v2/{DEMO_PROJECT}/flavors"),
        ("GET", "/"),
        ("PUT", f"{SHOW}/restores"),  # a known path with a method it does not have
        ("GET", f"{SHOW}/restores/extra/segments"),
        ("GET", "/v1.0/whatever"),
    ],
)
def test_unknown_api_is_404_signed_or_not(client, method, path):
    unsigned = client.raw(method, path)
    gateway_error(unsigned, 404, "APIGW.0101")
    signed = client.dcs(method, path)
    gateway_error(signed, 404, "APIGW.0101")
    # A bad signature does not turn it into a 401 either.
    gateway_error(client.dcs(method, path, sk="wrong"), 404, "APIGW.0101")


def test_401_variants_each_with_code_and_request_id(client):
    skewed = (datetime.now(UTC) - timedelta(minutes=16)).strftime("%Y%m%dT%H%M%SZ")
    cases = {
        "bad signature": client.dcs("GET", DEMO_INSTANCE, sk="wrong"),
        "unknown AK": client.dcs("GET", DEMO_INSTANCE, ak="NOSUCHAK0000"),
        "skew": client.dcs("GET", DEMO_INSTANCE, headers={"X-Sdk-Date": skewed}),
        "unsigned": client.raw("GET", SHOW),
    }
    messages = {}
    for what, resp in cases.items():
        messages[what] = gateway_error(resp, 401, "APIGW.0301")["error_msg"]
    assert "verify aksk signature fail" in messages["bad signature"]
    assert "Get secretKey failed" in messages["unknown AK"]
    assert "15 minutes" in messages["skew"]
    assert len(set(messages.values())) == len(messages)


def add_temporary(client, ak, token, expires_at):
    body = {"ak": ak, "sk": "temp-sk-0123", "project_id": DEMO_PROJECT}
    body["security_token"] = token
    if expires_at:
        body["expires_at"] = expires_at
    client.admin_json("POST", "credentials", body)
    return Client(client.emu, ak=ak, sk="temp-sk-0123")


def test_temporary_credentials_missing_wrong_and_expired(client):
    future = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    temp = add_temporary(client, "TEMPAK1", "TOKEN-1==", future)
    ok = temp.dcs("GET", DEMO_INSTANCE, headers={"X-Security-Token": "TOKEN-1=="})
    assert ok.status == 200, ok
    missing = gateway_error(temp.dcs("GET", DEMO_INSTANCE), 401, "APIGW.0301")
    wrong = gateway_error(
        temp.dcs("GET", DEMO_INSTANCE, headers={"X-Security-Token": "TOKEN-2=="}),
        401,
        "APIGW.0301",
    )
    assert missing["error_msg"] != wrong["error_msg"]
    temp.close()

    past = (datetime.now(UTC) - timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    expired = add_temporary(client, "TEMPAK2", "TOKEN-3==", past)
    body = gateway_error(
        expired.dcs("GET", DEMO_INSTANCE, headers={"X-Security-Token": "TOKEN-3=="}),
        401,
        "APIGW.0307",
    )
    assert "token must be updated" in body["error_msg"]
    expired.close()


def test_expires_at_is_validated(client):
    resp = client.admin(
        "POST",
        "credentials",
        {"ak": "A", "sk": "S", "project_id": DEMO_PROJECT, "expires_at": "tomorrow"},
    )
    assert resp.status == 400, resp
    resp = client.admin(
        "POST",
        "credentials",
        {
            "ak": "A",
            "sk": "S",
            "project_id": DEMO_PROJECT,
            "expires_at": "2030-01-01T00:00:00Z",
        },
    )
    assert resp.status == 400, resp  # expiry without a token: not temporary credentials


def test_403_for_a_project_the_credentials_do_not_own(client):
    other_project = "ffff0000ffff0000ffff0000ffff0000"
    client.admin_json(
        "POST",
        "credentials",
        {"ak": "OTHER1", "sk": "other-sk", "project_id": other_project},
    )
    other = Client(client.emu, ak="OTHER1", sk="other-sk", project=DEMO_PROJECT)
    resp = other.dcs("GET", DEMO_INSTANCE)
    assert resp.status == 403, resp
    assert resp.json()["error_code"] == "DCS.2007"
    assert resp.header("X-Request-Id")
    other.close()


def test_429_carries_the_gateway_body(client):
    client.admin_json(
        "POST",
        "faults",
        {"operation": "ShowInstance", "kind": "throttle", "count": 1, "retry_after": 2},
    )
    resp = client.dcs("GET", DEMO_INSTANCE)
    body = gateway_error(resp, 429, "APIGW.0308")
    assert "throttling threshold" in body["error_msg"]
    assert resp.header("Retry-After") == "2"
    assert client.dcs("GET", DEMO_INSTANCE).status == 200


def test_413_for_a_body_over_one_mib(client):
    big = '{"remark":"' + "x" * (1 << 20) + '"}'
    resp = client.dcs("POST", f"{DEMO_INSTANCE}/backups", body=big)
    gateway_error(resp, 413, "APIGW.0201")
