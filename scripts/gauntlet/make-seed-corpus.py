#!/usr/bin/env python3
"""Writes the committed seed corpora of the fuzz targets into fuzz/corpus/<target>/.

fuzz_responses: response bodies in the shapes of the DCS API reference (dcs-api.md),
  including its {} where strings are declared, every error body shape the SDKs accept, and
  hostile variants (control characters in codes, deep nesting, huge numbers, HTML).
fuzz_signer: every vector of tests/data/signing-vectors.json, as structured fields.
fuzz_capi: hostile IDs, remarks and option values next to valid ones.

The structured targets read fields with FuzzedDataProvider::ConsumeRandomLengthString
(see fuzz/fields.hpp): a backslash is doubled and each field ends in a backslash + newline.
Run from anywhere; the output replaces the corpus directories.
"""

import hashlib
import json
import pathlib
import shutil
import urllib.parse

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = ROOT / "fuzz" / "corpus"

INSTANCE = "6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b"
BACKUP = "9f8e7d6c-5b4a-4392-8170-6e5d4c3b2a19"


def fields(*values):
    """One input of a structured target: each field escaped and terminated."""
    out = b""
    for value in values:
        raw = value.encode("utf-8") if isinstance(value, str) else value
        out += raw.replace(b"\\", b"\\\\") + b"\\\n"
    return out


def write(target, seeds):
    directory = CORPUS / target
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    for name, data in seeds.items():
        raw = data.encode("utf-8") if isinstance(data, str) else data
        digest = hashlib.sha1(raw).hexdigest()[:8]
        (directory / f"{name}-{digest}").write_bytes(raw)


def restore_record(**overrides):
    record = {
        "restore_id": "a6155972-800c-4170-a479-3231e907d2f6",
        "backup_id": BACKUP,
        "restore_remark": "restore instance",
        "backup_name": "backup_20170718000002",
        "created_at": "2017-07-18T21:41:20.110Z",
        "updated_at": "2017-07-18T21:41:35.182Z",
        "progress": "100.00",
        "status": "succeed",
        "restore_name": "restore_20170718214120",
        "error_code": {},
        "backup_remark": {},
    }
    record.update(overrides)
    return record


def backup_record(**overrides):
    record = {
        "backup_id": BACKUP,
        "period": {},
        "backup_name": "backup_20170718000002",
        "instance_id": INSTANCE,
        "size": 60,
        "backup_type": "manual",
        "created_at": "2017-07-18T21:41:20.110Z",
        "updated_at": "2017-07-18T21:41:35.182Z",
        "progress": "100.00",
        "error_code": {},
        "remark": "backup instance",
        "status": "succeed",
        "is_support_restore": "TRUE",
        "backup_format": "rdb",
        "execution_at": "2017-07-18T21:41:25+08:00",
    }
    record.update(overrides)
    return record


def responses():
    instance = {
        "instance_id": INSTANCE,
        "name": "dcs-demo",
        "status": "RUNNING",
        "sub_status": "normal",
        "engine": "Redis",
        "engine_version": "6.0",
        "cache_mode": "ha",
        "product_type": "generic",
        "launched_at": "2024-01-02T03:04:05Z",
        "capacity": 2,
    }
    seeds = {
        "empty-204": "",
        "restore-page": json.dumps(
            {"restore_record_response": [restore_record()], "total_num": 1}
        ),
        "restore-page-failed": json.dumps(
            {
                "restore_record_response": [
                    restore_record(
                        status="failed", progress="42.50", error_code="dcs.08.0002"
                    )
                ],
                "total_num": "1",
            }
        ),
        "restore-page-nulls": '{"restore_record_response":[{"restore_id":null,"progress":{}}],'
        '"total_num":null}',
        "backup-page": json.dumps(
            {
                "backup_record_response": [
                    backup_record(),
                    backup_record(size="60", backup_format="aof"),
                ],
                "total_num": 2,
            }
        ),
        "instance": json.dumps(instance),
        "instance-string-capacity": json.dumps(
            dict(instance, capacity="2", launched_at="2024-02-29T23:59:59.999-05:30")
        ),
        "restore-id": '{"restore_id":"a6155972-800c-4170-a479-3231e907d2f6"}',
        "backup-id": '{"backup_id":"' + BACKUP + '"}',
        "restore-id-empty": '{"restore_id":""}',
        "error-dcs": '{"error_code":"DCS.4097","error_msg":"The instance is being restored.",'
        '"error_ext_msg":null}',
        "error-numeric": '{"error_code":"111400087","error_msg":"single-node"}',
        "error-camel": '{"errorCode":"APIGW.0301","errorMsg":"Incorrect IAM authentication"}',
        "error-code-message": '{"code":"DCS.4096","message":"busy","ext_message":"x"}',
        "error-nested": '{"error":{"code":"DCS.4049","message":"Operation not allowed"}}',
        "error-control-chars": '{"error_code":"DCS.4097\\r\\nX-Injected: 1",'
        '"error_msg":"line\\nbreak\\u0000nul"}',
        "error-long-code": '{"error_code":"'
        + "D" * 200
        + '","error_msg":"'
        + "m" * 2000
        + '"}',
        "html-proxy-page": "<html><body><h1>502 Bad Gateway</h1>\r\n</body></html>",
        "deep-nesting": "[" * 4000 + "]" * 4000,
        "big-numbers": '{"total_num":99999999999999999999999,"backup_record_response":'
        '[{"size":-1e309,"progress":"1e400"}]}',
        "progress": "42.50",
        "progress-hostile": "  00000000000000000000000000000000000000099.999999999999999  ",
        "timestamp": "2017-07-18T21:41:35.182Z",
        "timestamp-offset": "1970-01-01T00:00:00.000000000+14:00",
        "utf8-invalid": b'{"restore_id":"\xff\xfe\xc0\xaf"}',
    }
    write("fuzz_responses", seeds)


def signer():
    vectors = json.loads((ROOT / "tests/data/signing-vectors.json").read_text())[
        "vectors"
    ]
    seeds = {}
    for v in vectors:
        query = "&".join(
            urllib.parse.quote(k, safe="") + "=" + urllib.parse.quote(val, safe="")
            for k, val in v["query"]
        )
        headers = "\n".join(f"{name}: {value}" for name, value in v["headers"].items())
        headers += f"\nHost: {v['host']}"
        seeds["vector-" + v["name"]] = fields(
            v["method"], v["path"], query, headers, v["body"] or "", v["ak"], v["sk"]
        )
    seeds["hostile-path"] = fields(
        "get",
        "/v2/../%2e%2E/%2F%zz%/a//b?c#d%00",
        "a%26b=c%3Dd&&=&x",
        "X-Sdk-Date: 20240102T030405Z\nHost:  h \nX_Unsigned: 1\n"
        "AUTHORIZATION: forged\nx-sdk-date: dup",
        "body",
        "AK",
        "SK",
    )
    write("fuzz_signer", seeds)


def capi():
    ok = (INSTANCE, BACKUP)
    seeds = {
        "valid": fields(
            *ok, "restore instance", "rdb", "20240101000000", "20241231235959"
        ),
        "valid-null-remark": fields(*ok, "NULL", "NULL", "", ""),
        "traversal": fields("../../v1/admin", "..%2F..%2Fetc", "r", "aof"),
        "query-fragment": fields("abc?x=1", "abc#frag", "", "RDB"),
        "crlf": fields("abc\r\nHost: evil", BACKUP, "line\nbreak", "rdb"),
        "nul-inside": fields("abc\x00def", "\x00", "a\x00b", "rdb\x00x"),
        "too-long": fields("a" * 65, "b" * 64, "r" * 129, "rdb"),
        "max-length": fields("a" * 64, "_-" * 32, "r" * 128, "aof"),
        "unicode": fields("инстанс", BACKUP, "恢复实例" * 10, "rdb"),
        "bad-utf8-remark": fields(*ok, b"\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80", "rdb"),
        "bad-times": fields(*ok, "", "rdb", "20241301000000", "2024-01-01T00:00"),
        "setters": fields(
            *ok,
            "",
            "rdb",
            "",
            "",
            "cn-north-4",
            "https://dcs.example.com:8443/",
            "http://proxy:3128",
            "terraform-provider-dcs/1.0",
            "0123456789abcdef0123456789abcdef",
            "token",
            "AK",
        )
        + b"\x00" * 8,
        "hostile-setters": fields(
            *ok,
            "",
            "rdb",
            "",
            "",
            "cn north\r\n",
            "http://user@host/p?q#f",
            "http://\x7fproxy",
            "ua\r\nX-Injected: 1",
            "../p",
            "t\r\n",
            "",
        )
        + b"\xff" * 40,
    }
    write("fuzz_capi", seeds)


if __name__ == "__main__":
    responses()
    signer()
    capi()
