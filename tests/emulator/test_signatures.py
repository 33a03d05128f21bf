"""Exact signatures: the emulator accepts what the official signers produce and refuses,
with 401 APIGW.0301, each deviation from it. Every request here is signed by the tests'
own signer (signing.py, written from the spec), with the deviation built into a
signature that is otherwise consistent, so only the gateway's strictness can refuse it."""

import hashlib

import pytest
from conftest import DEMO_AK, DEMO_INSTANCE, DEMO_PROJECT, DEMO_SK
from signing import canonical_uri, sign_with

SHOW = f"/v2/{DEMO_PROJECT}/instances/{DEMO_INSTANCE}"
BACKUPS = f"{SHOW}/backups"
BASE_HEADERS = {"Content-Type": "application/json", "X-Project-Id": DEMO_PROJECT}


def send(client, method, path, *, query=(), body="", headers=None, after=None, **kw):
    hdrs = dict(BASE_HEADERS if headers is None else headers)
    signed, q = sign_with(
        method, client.emu.netloc, path, list(query), hdrs, body, DEMO_AK, DEMO_SK, **kw
    )
    if after:
        after(signed)
    # The query goes on the wire exactly as it was signed (the canonical text).
    target = path + ("?" + q if q else "")
    return client.raw(method, target, body=body.encode() or None, headers=signed)


def refused(resp):
    assert resp.status == 401, resp
    body = resp.json()
    assert body["error_code"] == "APIGW.0301", body
    assert body["error_msg"].startswith("Incorrect IAM authentication information"), (
        body
    )
    assert body["request_id"] == resp.header("X-Request-Id")
    return body["error_msg"]


def test_the_signer_itself_is_accepted(client):
    """The control: the same signer without a deviation passes, for GET, POST and query."""
    assert send(client, "GET", SHOW).status == 200
    assert (
        send(client, "GET", BACKUPS, query=[("offset", "0"), ("limit", "5")]).status
        == 200
    )
    resp = send(client, "POST", BACKUPS, body='{"remark":"sig"}')
    assert resp.status == 200, resp


def test_signed_headers_not_lower_case(client):
    msg = refused(
        send(
            client,
            "GET",
            SHOW,
            signed_names=["content-type", "Host", "x-project-id", "x-sdk-date"],
        )
    )
    assert "lower-case" in msg


def test_signed_headers_not_sorted(client):
    msg = refused(
        send(
            client,
            "GET",
            SHOW,
            signed_names=["x-sdk-date", "host", "x-project-id", "content-type"],
        )
    )
    assert "sorted" in msg


def test_signed_headers_with_a_duplicate(client):
    msg = refused(
        send(
            client,
            "GET",
            SHOW,
            signed_names=["content-type", "host", "host", "x-project-id", "x-sdk-date"],
        )
    )
    assert "twice" in msg


def test_signed_header_missing_from_the_request(client):
    headers = {**BASE_HEADERS, "X-Extra": "1"}
    msg = refused(
        send(client, "GET", SHOW, headers=headers, after=lambda h: h.pop("X-Extra"))
    )
    assert "x-extra" in msg


def test_upper_case_hex_signature(client):
    msg = refused(send(client, "GET", SHOW, signature_case=str.upper))
    assert "lower-case hex" in msg


def test_canonical_uri_without_trailing_slash(client):
    assert not SHOW.endswith("/")
    refused(send(client, "GET", SHOW, canonical_uri_text=SHOW))
    # The same path with the slash is the official form.
    assert (
        send(client, "GET", SHOW, canonical_uri_text=canonical_uri(SHOW)).status == 200
    )


def test_unsorted_canonical_query(client):
    refused(
        send(
            client,
            "GET",
            BACKUPS,
            query=[("offset", "0"), ("limit", "5")],
            canonical_query_text="offset=0&limit=5",
        )
    )


@pytest.mark.parametrize(
    "canonical",
    [
        "limit=5&remark=a+b%2A",  # '+' for a space, as form encoding does
        "limit=5&remark=a%20b*",  # '*' left unencoded
        "limit=5&remark=a%20b%2a",  # lower-case hex
    ],
)
def test_differently_encoded_canonical_query(client, canonical):
    # Sent on the wire exactly as signed; the gateway decodes and re-encodes strictly.
    refused(
        send(
            client,
            "GET",
            BACKUPS,
            query=[("limit", "5"), ("remark", "a b*")],
            canonical_query_text=canonical,
        )
    )


def test_body_hash_of_other_bytes(client):
    other = hashlib.sha256(b'{"remark":"other"}').hexdigest()
    refused(send(client, "POST", BACKUPS, body='{"remark":"sent"}', payload_hash=other))
    # Also when the hash travels in X-Sdk-Content-Sha256 and is signed with it.
    headers = {**BASE_HEADERS, "X-Sdk-Content-Sha256": other}
    msg = refused(
        send(
            client,
            "POST",
            BACKUPS,
            body='{"remark":"sent"}',
            headers=headers,
            payload_hash=other,
        )
    )
    assert "X-Sdk-Content-Sha256" in msg
    assert client.admin_json("GET", "stats")["backups_started"] == 0
    # UNSIGNED-PAYLOAD, signed, is what the signers send for non-JSON bodies: accepted.
    headers = {**BASE_HEADERS, "X-Sdk-Content-Sha256": "UNSIGNED-PAYLOAD"}
    resp = send(
        client,
        "POST",
        BACKUPS,
        body='{"remark":"sent"}',
        headers=headers,
        payload_hash="UNSIGNED-PAYLOAD",
    )
    assert resp.status == 200, resp


def test_security_token_sent_but_not_signed(client):
    def add_token(h):
        h["X-Security-Token"] = "TOKEN-not-signed"

    msg = refused(send(client, "GET", SHOW, after=add_token))
    assert "X-Security-Token" in msg
    # A permanent key with a signed token is refused too: it has no token.
    headers = {**BASE_HEADERS, "X-Security-Token": "TOKEN-signed"}
    refused(send(client, "GET", SHOW, headers=headers))


def test_project_id_header_differs_from_the_path(client):
    headers = {**BASE_HEADERS, "X-Project-Id": "ffff0000ffff0000ffff0000ffff0000"}
    msg = refused(send(client, "GET", SHOW, headers=headers))
    assert "X-Project-Id" in msg


def test_project_id_header_sent_but_not_signed(client):
    def add_project(h):
        h["X-Project-Id"] = DEMO_PROJECT

    msg = refused(
        send(
            client,
            "GET",
            SHOW,
            headers={"Content-Type": "application/json"},
            after=add_project,
        )
    )
    assert "X-Project-Id" in msg


def test_refusals_do_not_reach_dcs(client):
    path = f"{SHOW}/restores"
    refused(
        send(client, "POST", path, body='{"backup_id":"x"}', signature_case=str.upper)
    )
    stats = client.admin_json("GET", "stats")
    assert stats["restore_posts"] == 0 and stats["restores_started"] == 0
