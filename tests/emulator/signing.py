"""A small, independent SDK-HMAC-SHA256 signer for the emulator tests.

Written from shared/spec/signing.md, not from the emulator's code, so that the
tests check the emulator against the spec rather than against itself.
"""

import hashlib
import hmac
import urllib.parse
from datetime import UTC, datetime

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def encode(s):
    """Strict RFC 3986 encoding: only A-Z a-z 0-9 - . _ ~ stay as they are."""
    return urllib.parse.quote(s, safe="~")


def canonical_query(pairs):
    return "&".join(f"{encode(k)}={encode(v)}" for k, v in sorted(pairs))


def canonical_uri(path):
    segments = urllib.parse.unquote(path).split("/")
    uri = "/".join(encode(s) for s in segments)
    return uri if uri.endswith("/") else uri + "/"


def sdk_date(when=None):
    when = when or datetime.now(UTC)
    return when.strftime("%Y%m%dT%H%M%SZ")


def sign(method, host, path, query_pairs, headers, body, ak, sk):
    """Return the headers to send (with X-Sdk-Date, Host and Authorization) and the
    query string to put on the URL (the canonical one)."""
    headers = {k: str(v).strip() for k, v in headers.items()}
    if not any(k.lower() == "x-sdk-date" for k in headers):
        headers["X-Sdk-Date"] = sdk_date()
    if not any(k.lower() == "host" for k in headers):
        headers["Host"] = host
    signed = sorted(k.lower() for k in headers if "_" not in k)
    lower = {k.lower(): v for k, v in headers.items()}
    body_bytes = body.encode() if isinstance(body, str) else (body or b"")
    payload_hash = (
        hashlib.sha256(body_bytes).hexdigest() if body_bytes else EMPTY_SHA256
    )
    query = canonical_query(query_pairs)
    canonical = "\n".join(
        [
            method.upper(),
            canonical_uri(path),
            query,
            "".join(f"{h}:{lower[h]}\n" for h in signed),
            ";".join(signed),
            payload_hash,
        ]
    )
    string_to_sign = "\n".join(
        [
            "SDK-HMAC-SHA256",
            lower["x-sdk-date"],
            hashlib.sha256(canonical.encode()).hexdigest(),
        ]
    )
    signature = hmac.new(
        sk.encode(), string_to_sign.encode(), hashlib.sha256
    ).hexdigest()
    headers["Authorization"] = (
        f"SDK-HMAC-SHA256 Access={ak}, SignedHeaders={';'.join(signed)}, Signature={signature}"
    )
    return headers, query


def sign_with(
    method,
    host,
    path,
    query_pairs,
    headers,
    body,
    ak,
    sk,
    *,
    signed_names=None,
    canonical_uri_text=None,
    canonical_query_text=None,
    payload_hash=None,
    signature_case=str.lower,
):
    """Like sign(), but any part of the canonical request can be overridden, to build the
    deviations a strict gateway refuses: `signed_names` is the SignedHeaders list exactly
    as it is to appear (case, order, repeats; the canonical headers follow it),
    `canonical_uri_text`/`canonical_query_text` replace the canonical URI and query,
    `payload_hash` replaces the body hash, `signature_case` maps the hex signature.
    The signature is consistent with the deviating canonical request, so only the
    gateway's strictness can refuse it. Returns (headers, wire query)."""
    headers = {k: str(v).strip() for k, v in headers.items()}
    if not any(k.lower() == "x-sdk-date" for k in headers):
        headers["X-Sdk-Date"] = sdk_date()
    if not any(k.lower() == "host" for k in headers):
        headers["Host"] = host
    lower = {k.lower(): v for k, v in headers.items()}
    names = signed_names or sorted(k.lower() for k in headers if "_" not in k)
    body_bytes = body.encode() if isinstance(body, str) else (body or b"")
    if payload_hash is None:
        payload_hash = (
            hashlib.sha256(body_bytes).hexdigest() if body_bytes else EMPTY_SHA256
        )
    query = (
        canonical_query(query_pairs)
        if canonical_query_text is None
        else canonical_query_text
    )
    canonical = "\n".join(
        [
            method.upper(),
            canonical_uri(path) if canonical_uri_text is None else canonical_uri_text,
            query,
            "".join(f"{h}:{lower.get(h.lower(), '')}\n" for h in names),
            ";".join(names),
            payload_hash,
        ]
    )
    string_to_sign = "\n".join(
        [
            "SDK-HMAC-SHA256",
            lower["x-sdk-date"],
            hashlib.sha256(canonical.encode()).hexdigest(),
        ]
    )
    signature = signature_case(
        hmac.new(sk.encode(), string_to_sign.encode(), hashlib.sha256).hexdigest()
    )
    headers["Authorization"] = (
        f"SDK-HMAC-SHA256 Access={ak}, SignedHeaders={';'.join(names)}, Signature={signature}"
    )
    return headers, query
