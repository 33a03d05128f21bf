"""dcsctl restore: starting, waiting, pre-flight, and every way it can end."""

import json
import os
import re
import signal
import subprocess
import time

import pytest
from conftest import DCSCTL, closed_port

FAST_POLL = ["--poll-interval", "100ms"]


def test_restore_wait_shows_progress_and_restores_the_data(dcsctl, admin, restorable):
    instance_id, backup_id = restorable
    result = dcsctl(
        "restore",
        "--instance",
        instance_id,
        "--backup",
        backup_id,
        "--wait",
        *FAST_POLL,
    )
    assert result.returncode == 0, result.stderr
    # stderr is a pipe here: plain progress lines, ending with the final status.
    lines = [l for l in result.stderr.splitlines() if l.startswith("restore ")]
    assert lines, result.stderr
    assert re.search(r"succeed \[#{20}\] 100\.00%$", lines[-1]), lines
    assert re.search(r"^status\s+succeed$", result.stdout, re.MULTILINE), result.stdout
    assert admin.data(instance_id) == {"city": "paris", "count": "1"}
    assert admin.instance(instance_id)["restores_started"] == 1


def test_restore_json_prints_the_restore_id(dcsctl, admin, restorable):
    instance_id, backup_id = restorable
    result = dcsctl(
        "restore",
        "--instance",
        instance_id,
        "--backup",
        backup_id,
        "--remark",
        "from the cli",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["adopted"] is False
    assert set(out) == {"restore_id", "adopted"}
    listed = json.loads(
        dcsctl("restores", "list", "--instance", instance_id, "--json").stdout
    )
    assert [r["restore_id"] for r in listed] == [out["restore_id"]]
    assert listed[0]["restore_remark"] == "from the cli"
    assert admin.instance(instance_id)["restores_started"] == 1


def test_restore_wait_json_prints_the_final_record(dcsctl, admin, restorable):
    instance_id, backup_id = restorable
    result = dcsctl(
        "restore",
        "--instance",
        instance_id,
        "--backup",
        backup_id,
        "--wait",
        "--json",
        *FAST_POLL,
    )
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["status"] == "succeed"
    assert record["progress"] == "100.00"
    assert record["backup_id"] == backup_id
    assert record["restore_id"]


def test_restore_wait_instance_waits_for_running(dcsctl, admin, restorable):
    instance_id, backup_id = restorable
    result = dcsctl(
        "restore",
        "--instance",
        instance_id,
        "--backup",
        backup_id,
        "--wait-instance",
        "--json",
        *FAST_POLL,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["status"] == "succeed"
    assert admin.instance(instance_id)["status"] == "RUNNING"


def test_progress_bar_on_a_terminal(admin, restorable, cred_env):
    instance_id, backup_id = restorable
    admin.timings(restore_waiting_ms=100, restore_running_ms=1500)
    master, slave = os.openpty()
    try:
        process = subprocess.Popen(
            [
                str(DCSCTL),
                "restore",
                "--instance",
                instance_id,
                "--backup",
                backup_id,
                "--wait",
                *FAST_POLL,
            ],
            env=cred_env,
            stdout=subprocess.PIPE,
            stderr=slave,
        )
        os.close(slave)
        slave = -1
        output = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: the tool closed the terminal
                break
            if not chunk:
                break
            output += chunk
        assert process.wait(timeout=20) == 0
    finally:
        if slave >= 0:
            os.close(slave)
        os.close(master)
    text = output.decode()
    # Redrawn in place: carriage return, erase line, "status [bar] percent".
    assert re.search(r"\r\x1b\[Krestoring \[#*-*\] +\d+\.\d\d%", text), repr(text)
    assert re.search(r"\r\x1b\[Ksucceed \[#{20}\] 100\.00%", text), repr(text)
    assert not re.search(r"^restore \S+: ", text, re.MULTILINE), repr(
        text
    )  # no plain lines


@pytest.mark.parametrize(
    "problem", ["single", "not-running", "other-instance", "failed", "not-restorable"]
)
def test_preflight_refusals_start_nothing(dcsctl, admin, problem):
    instance_id = admin.new_instance()
    backup_id = admin.new_backup(instance_id)
    expected = ""
    if problem == "single":
        admin.call(
            "PATCH", f"/_emulator/instances/{instance_id}", {"cache_mode": "single"}
        )
        expected = "single-node"
    elif problem == "not-running":
        admin.call(
            "PATCH", f"/_emulator/instances/{instance_id}", {"status": "RESTARTING"}
        )
        expected = "RESTARTING, not RUNNING"
    elif problem == "other-instance":
        backup_id = admin.new_backup(admin.new_instance())
        expected = "is not a backup of instance"
    elif problem == "failed":
        backup_id = admin.new_backup(instance_id, status="failed")
        expected = "only a succeeded backup"
    elif problem == "not-restorable":
        backup_id = admin.new_backup(instance_id, is_support_restore="FALSE")
        expected = "does not support restore"
    result = dcsctl("restore", "--instance", instance_id, "--backup", backup_id)
    assert result.returncode == 3, result.stderr
    assert "pre-flight check failed" in result.stderr
    assert expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""
    assert admin.instance(instance_id)["restores_started"] == 0


def test_no_preflight_leaves_the_refusal_to_the_service(dcsctl, admin):
    instance_id = admin.new_instance()
    backup_id = admin.new_backup(instance_id)
    # Single-node: the service refuses at once (a non-RUNNING instance would be "busy" and
    # retried with backoff first).
    admin.call("PATCH", f"/_emulator/instances/{instance_id}", {"cache_mode": "single"})
    admin.call("DELETE", "/_emulator/requests")
    result = dcsctl(
        "restore", "--instance", instance_id, "--backup", backup_id, "--no-preflight"
    )
    assert result.returncode == 3, result.stderr
    assert "pre-flight" not in result.stderr
    # The service's refusal: HTTP status, its error code and the request id.
    assert re.search(r"HTTP 400 (111400086|DCS\.4086)", result.stderr), result.stderr
    assert "request id " in result.stderr
    operations = [
        r["operation"] for r in admin.call("GET", "/_emulator/requests")["requests"]
    ]
    assert "ShowInstance" not in operations and "RestoreInstance" in operations
    assert admin.instance(instance_id)["restores_started"] == 0


def test_failed_restore_exits_5(dcsctl, admin, restorable):
    instance_id, backup_id = restorable
    admin.timings(fail_restores="dcs.08.0007")
    result = dcsctl(
        "restore",
        "--instance",
        instance_id,
        "--backup",
        backup_id,
        "--wait",
        "--json",
        *FAST_POLL,
    )
    assert result.returncode == 5, result.stderr
    assert "dcs.08.0007" in result.stderr
    assert json.loads(result.stdout)["status"] == "failed"


def test_timeout_exits_4_within_the_bound(dcsctl, admin, restorable):
    instance_id, backup_id = restorable
    admin.fault(operation="*", kind="delay", delay_ms=5000)
    started = time.monotonic()
    result = dcsctl(
        "restore",
        "--instance",
        instance_id,
        "--backup",
        backup_id,
        "--timeout",
        "300ms",
    )
    elapsed = time.monotonic() - started
    assert result.returncode == 4, result.stderr
    assert elapsed < 2.0, elapsed
    assert "deadline" in result.stderr


def test_unreachable_endpoint_exits_6(dcsctl, cred_env):
    env = {**cred_env, "DCS_ENDPOINT": f"http://127.0.0.1:{closed_port()}"}
    result = dcsctl(
        "instance",
        "show",
        "--instance",
        "6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b",
        env=env,
    )
    assert result.returncode == 6, result.stderr
    assert "connect" in result.stderr


def test_sigint_during_wait_exits_promptly(admin, restorable, cred_env):
    instance_id, backup_id = restorable
    admin.timings(restore_waiting_ms=10000, restore_running_ms=10000)
    process = subprocess.Popen(
        [
            str(DCSCTL),
            "restore",
            "--instance",
            instance_id,
            "--backup",
            backup_id,
            "--wait",
        ],
        env=cred_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # Wait until the restore has started and the tool is waiting on it.
        first = process.stderr.readline()
        assert "started" in first, first
        time.sleep(0.3)
        sent = time.monotonic()
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=5)
        elapsed = time.monotonic() - sent
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 130, err
    assert elapsed < 1.0, elapsed
    assert "cancelled" in err
