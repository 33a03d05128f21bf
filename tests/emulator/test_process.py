"""The emulator as a process: stdout contract, TLS, signals, state-only mode, seeds,
command-line checks, and the bash+openssl signer script."""

import json
import os
import re
import shutil
import signal
import ssl
import subprocess
from pathlib import Path

import pytest
from conftest import (
    BINARY,
    DEMO_BACKUP,
    DEMO_INSTANCE,
    DEMO_PROJECT,
    DEMO_SK,
    REPO,
    TIMEOUT,
    Client,
    start_emulator,
    wait_restore,
    wait_until,
)


def children(pid):
    """PIDs whose parent is pid (from /proc)."""
    kids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces, so split after the last ')'.
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid:
            kids.append(int(entry.name))
    return kids


def alive(pid):
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def redis_children(pid):
    out = []
    for kid in children(pid):
        try:
            if "redis-server" in Path(f"/proc/{kid}/cmdline").read_text():
                out.append(kid)
        except OSError:
            pass
    return out


def test_first_line_is_the_url_only(tmp_path):
    emu = start_emulator(tmp_path, "--demo")
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+\n", emu.first_line)
    Client(emu).dcs("GET", DEMO_INSTANCE)
    emu.proc.send_signal(signal.SIGTERM)
    rest = emu.proc.stdout.read()
    emu.stop()
    assert rest == b"", "nothing but the URL goes to stdout"


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signal_stops_cleanly(tmp_path, sig):
    emu = start_emulator(tmp_path, "--demo")
    c = Client(emu)
    c.admin_json("POST", "instances", {"instance_id": "second"})
    redis = redis_children(emu.proc.pid)
    assert len(redis) == 2, "one redis-server per instance"
    data_dirs = re.findall(
        r"--dir (\S+)",
        " ".join(
            Path(f"/proc/{p}/cmdline").read_text().replace("\0", " ") for p in redis
        ),
    )
    c.close()
    assert emu.stop(sig) == 0, emu.stderr()
    wait_until(
        "redis children gone", lambda: not any(alive(p) for p in redis), timeout=TIMEOUT
    )
    for d in data_dirs:
        assert not Path(d).exists(), f"{d} left behind"


def test_sigkill_leaves_no_redis(tmp_path):
    emu = start_emulator(tmp_path, "--demo")
    redis = redis_children(emu.proc.pid)
    assert redis
    emu.stop(signal.SIGKILL)
    wait_until(
        "redis children gone after SIGKILL",
        lambda: not any(alive(p) for p in redis),
        timeout=TIMEOUT,
    )


def test_https(tmp_path):
    if not shutil.which("openssl"):
        pytest.skip("openssl not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    emu = start_emulator(
        tmp_path,
        "--listen",
        "localhost:0",
        "--demo",
        "--tls-cert",
        str(cert),
        "--tls-key",
        str(key),
    )
    try:
        assert re.fullmatch(r"https://localhost:\d+", emu.url)
        ctx = ssl.create_default_context(cafile=str(cert))
        c = Client(emu, ssl_context=ctx)
        assert c.dcs("GET", DEMO_INSTANCE).status == 200
        resp = c.dcs(
            "POST", f"{DEMO_INSTANCE}/restores", body={"backup_id": DEMO_BACKUP}
        )
        assert resp.status == 200
        wait_restore(c, resp.json()["restore_id"])
        stats = c.admin_json("GET", "stats")
        assert stats["connections_accepted"] == 1, (
            "TLS keep-alive reuses the connection"
        )
        c.close()
    finally:
        emu.stop()


def test_state_only(tmp_path):
    emu = start_emulator(tmp_path, "--demo", "--state-only")
    try:
        assert not redis_children(emu.proc.pid)
        c = Client(emu)
        assert c.admin_json("GET", f"instances/{DEMO_INSTANCE}")["redis_port"] == 0
        for method, body in (("GET", None), ("PUT", {"a": "b"}), ("DELETE", None)):
            resp = c.admin(method, f"instances/{DEMO_INSTANCE}/data", body)
            assert resp.status == 409, resp
            assert "state-only" in resp.json()["error"]
        resp = c.dcs(
            "POST", f"{DEMO_INSTANCE}/restores", body={"backup_id": DEMO_BACKUP}
        )
        assert resp.status == 200
        wait_restore(c, resp.json()["restore_id"])
        c.close()
    finally:
        emu.stop()


def test_seed_file_equals_demo(tmp_path):
    emu = start_emulator(
        tmp_path, "--seed", str(REPO / "tests" / "data" / "emulator" / "demo-seed.json")
    )
    try:
        c = Client(emu)
        assert c.dcs("GET", DEMO_INSTANCE).json()["name"] == "demo-redis"
        backups = c.dcs("GET", f"{DEMO_INSTANCE}/backups").json()[
            "backup_record_response"
        ]
        assert [b["backup_id"] for b in backups] == [DEMO_BACKUP]
        assert c.admin_json("GET", f"instances/{DEMO_INSTANCE}/data") == {
            "greeting": "hello",
            "counter": "1",
            "scratch": "written-after-backup",
        }
        c.close()
    finally:
        emu.stop()


def test_custom_seed(tmp_path):
    seed = {
        "credentials": [
            {
                "ak": "SEEDAK",
                "sk": "seed-secret",
                "project_id": "aaaa1111bbbb2222cccc3333dddd4444",
                "security_token": "seed-token",
            }
        ],
        "instances": [
            {
                "instance_id": "seeded-1",
                "name": "s1",
                "cache_mode": "cluster",
                "data": {"k": "v"},
                "backups": [
                    {"backup_id": "sb-old"},
                    {"backup_id": "sb-new", "status": "failed"},
                ],
            }
        ],
        "timings": {"restore_running_ms": 30},
    }
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(seed))
    emu = start_emulator(tmp_path, "--seed", str(path), "--state-only")
    try:
        c = Client(
            emu,
            ak="SEEDAK",
            sk="seed-secret",
            project="aaaa1111bbbb2222cccc3333dddd4444",
        )
        tok = {"X-Security-Token": "seed-token"}
        assert c.dcs("GET", "seeded-1", headers=tok).json()["cache_mode"] == "cluster"
        backups = c.dcs("GET", "seeded-1/backups", headers=tok).json()[
            "backup_record_response"
        ]
        assert [b["backup_id"] for b in backups] == ["sb-new", "sb-old"]
        assert backups[0]["status"] == "failed"
        timings = c.admin_json("GET", "timings")
        assert (
            timings["restore_running_ms"] == 30 and timings["restore_waiting_ms"] == 50
        )
        c.close()
    finally:
        emu.stop()


def run_bad(*args):
    proc = subprocess.run(
        [BINARY, *args], capture_output=True, timeout=TIMEOUT, check=False
    )
    assert proc.returncode != 0
    assert proc.stdout == b""
    return proc.stderr.decode()


def test_rejects_non_loopback():
    assert "loopback" in run_bad("--listen", "0.0.0.0:0")


def test_rejects_bad_seed(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"instancez": []}')
    assert "instancez" in run_bad("--seed", str(bad))


def test_rejects_missing_redis_binary():
    assert "redis-server" in run_bad("--redis-server", "/nonexistent/redis-server")


def test_realistic_timings(tmp_path):
    emu = start_emulator(tmp_path, "--demo", "--state-only", "--timings", "realistic")
    try:
        t = Client(emu).admin_json("GET", "timings")
        assert t["restore_running_ms"] >= 3000 and t["backup_running_ms"] >= 1000
    finally:
        emu.stop()


SIGNED_CURL = REPO / "emulator" / "tools" / "signed-curl.sh"


def signed_curl(emulator, *args, ak="DEMOACCESSKEY0000001", sk=DEMO_SK):
    env = dict(
        os.environ,
        HUAWEICLOUD_SDK_AK=ak,
        HUAWEICLOUD_SDK_SK=sk,
        HUAWEICLOUD_SDK_PROJECT_ID=DEMO_PROJECT,
        SIGNED_CURL_OPTS="-w \\n%{http_code}",
    )
    proc = subprocess.run(
        ["bash", str(SIGNED_CURL), *args],
        capture_output=True,
        env=env,
        timeout=TIMEOUT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    body, _, status = proc.stdout.decode().rpartition("\n")
    return int(status), body


@pytest.mark.skipif(
    not shutil.which("curl") or not shutil.which("openssl"),
    reason="needs curl and openssl",
)
def test_signed_curl_script(client):
    base = f"{client.emu.url}/v2/{DEMO_PROJECT}/instances/{DEMO_INSTANCE}"
    status, body = signed_curl(client.emu, "GET", base)
    assert status == 200 and json.loads(body)["instance_id"] == DEMO_INSTANCE
    status, body = signed_curl(
        client.emu,
        "POST",
        base + "/restores",
        json.dumps({"backup_id": DEMO_BACKUP, "remark": "curl \u00e9\u2713"}),
    )
    assert status == 200, body
    restore_id = json.loads(body)["restore_id"]
    record = wait_restore(client, restore_id)
    assert record["restore_remark"] == "curl \u00e9\u2713"
    # Query in non-canonical order, with characters that must be encoded.
    status, body = signed_curl(
        client.emu, "GET", base + "/restores?offset=0&limit=5&x=a%20b*&y="
    )
    assert status == 200 and json.loads(body)["total_num"] == 1
    status, body = signed_curl(client.emu, "GET", base, sk="wrong")
    assert status == 401
