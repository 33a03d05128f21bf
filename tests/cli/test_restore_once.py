"""One restore per intent (issue 12): `restore` adopts the restore of an attempt whose answer
was lost and says so; when it cannot find out, it ends "unresolved" and prints the
`restores find` command that tells later - never a plain "try again"; `restores find` itself;
the --attempt-timeout, --reconcile-window and --wait-while-busy flags and their config keys.

Every fault is aimed at the test's own instance (the fault's instance_id), and the emulator's
per-instance counters (restores_started, restore_posts) say what really happened."""

import calendar
import json
import re
import shlex
import subprocess
import threading
import time

import pytest
from conftest import DCSCTL, RUN_TIMEOUT_S
from test_config import full_config, write_config

INJECTED_500 = '{"error_code":"DCS.5000","error_msg":"injected","error_ext_msg":null}'
BUSY_4096 = (
    '{"error_code":"DCS.4096","error_msg":"instance is busy.","error_ext_msg":null}'
)
FIND_LINE = re.compile(r"^  (dcsctl restores find .*)$", re.MULTILINE)
RFC3339_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def restore(dcsctl, instance_id, backup_id, *extra, **run):
    return dcsctl(
        "restore", "--instance", instance_id, "--backup", backup_id, *extra, **run
    )


def counters(admin, instance_id):
    view = admin.instance(instance_id)
    return view["restores_started"], view["restore_posts"]


def listed(dcsctl, instance_id):
    result = dcsctl("restores", "list", "--instance", instance_id, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def find_command(stderr):
    """The `restores find` command an unresolved restore printed, as argv."""
    found = FIND_LINE.findall(stderr)
    assert len(found) == 1, stderr
    argv = shlex.split(found[0])
    assert argv[:3] == ["dcsctl", "restores", "find"], argv
    return argv


def run_printed(argv, env):
    return subprocess.run(
        [str(DCSCTL), *argv[1:]],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
    )


def epoch_of(rfc3339):
    return calendar.timegm(time.strptime(rfc3339, "%Y-%m-%dT%H:%M:%SZ"))


# --- adopted ----------------------------------------------------------------------------


def test_lost_answer_is_adopted_and_json_says_so(dcsctl, admin, restorable):
    instance_id, backup_id = restorable
    fault = admin.fault(
        operation="RestoreInstance",
        kind="close_after",
        count=1,
        instance_id=instance_id,
    )
    result = restore(dcsctl, instance_id, backup_id, "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["adopted"] is True
    assert set(out) == {"restore_id", "adopted"}
    assert admin.fired(fault["id"]) == 1
    # The service started exactly one restore, from exactly one POST, and that is the id.
    assert counters(admin, instance_id) == (1, 1)
    assert [r["restore_id"] for r in listed(dcsctl, instance_id)] == [out["restore_id"]]
    assert (
        f"restore {out['restore_id']} adopted: an attempt's answer was lost, "
        "the service had started it" in result.stderr
    )


def test_adopted_in_human_output(dcsctl, admin, restorable):
    instance_id, backup_id = restorable
    admin.fault(
        operation="RestoreInstance", kind="non_json", count=1, instance_id=instance_id
    )
    result = restore(dcsctl, instance_id, backup_id)
    assert result.returncode == 0, result.stderr
    assert re.search(r"^adopted\s+true$", result.stdout, re.MULTILINE), result.stdout
    assert re.search(r"^restore_id\s+\S+$", result.stdout, re.MULTILINE), result.stdout
    assert "adopted: an attempt's answer was lost" in result.stderr
    assert counters(admin, instance_id) == (1, 1)


def test_answered_restore_is_not_adopted(dcsctl, admin, restorable):
    instance_id, backup_id = restorable
    result = restore(dcsctl, instance_id, backup_id)
    assert result.returncode == 0, result.stderr
    assert re.search(r"^adopted\s+false$", result.stdout, re.MULTILINE), result.stdout
    assert "adopted:" not in result.stderr
    assert counters(admin, instance_id) == (1, 1)


def test_wait_json_carries_adopted(dcsctl, admin, restorable):
    instance_id, backup_id = restorable
    admin.fault(
        operation="RestoreInstance",
        kind="close_after",
        count=1,
        instance_id=instance_id,
    )
    result = restore(
        dcsctl, instance_id, backup_id, "--wait", "--json", "--poll-interval", "100ms"
    )
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["status"] == "succeed" and record["adopted"] is True
    assert "adopted: an attempt's answer was lost" in result.stderr
    assert counters(admin, instance_id) == (1, 1)


# --- unresolved -------------------------------------------------------------------------


def test_unresolved_restore_prints_the_find_command(
    dcsctl, admin, restorable, cred_env
):
    instance_id, backup_id = restorable
    admin.fault(
        operation="RestoreInstance",
        kind="status",
        status=500,
        body=INJECTED_500,
        instance_id=instance_id,
    )
    before = time.time()
    started = time.monotonic()
    result = restore(
        dcsctl,
        instance_id,
        backup_id,
        "--remark",
        "nightly copy",
        "--reconcile-window",
        "1s",
        "--json",
    )
    elapsed = time.monotonic() - started
    after = time.time()
    # A 5xx: the API-error exit code, as before; nothing on stdout, even with --json.
    assert result.returncode == 3, result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith("dcsctl: unresolved: the restore may have started")
    assert "HTTP 500" in result.stderr and "not posted again" in result.stderr
    # The window bounds the look, not the 2-minute default timeout.
    assert elapsed < 4.0, elapsed
    # One POST, nothing started: never posted again.
    assert counters(admin, instance_id) == (0, 1)

    argv = find_command(result.stderr)
    since = argv[argv.index("--since") + 1]
    assert RFC3339_UTC.match(since), since
    assert int(before) <= epoch_of(since) <= after
    assert argv == [
        "dcsctl",
        "restores",
        "find",
        "--instance",
        instance_id,
        "--backup",
        backup_id,
        "--remark",
        "nightly copy",
        "--since",
        since,
    ]
    # Never a blind "run it again".
    assert "dcsctl restore " not in result.stderr
    assert "do not simply run it again" in result.stderr

    # The printed command runs as printed: none started, so "not found" (exit 3).
    admin.call("DELETE", "/_emulator/faults")
    check = run_printed(argv, cred_env)
    assert check.returncode == 3, check.stderr
    assert "no restore of backup " + backup_id in check.stderr
    assert "with remark 'nightly copy'" in check.stderr
    assert counters(admin, instance_id) == (0, 1)


def test_find_command_quotes_the_remark_and_keeps_connection_flags(
    dcsctl, admin, restorable, cred_env, emulator_url
):
    instance_id, backup_id = restorable
    admin.fault(
        operation="RestoreInstance",
        kind="status",
        status=502,
        body=INJECTED_500,
        instance_id=instance_id,
    )
    remark = "it's $HOME; `x`"
    env = {k: v for k, v in cred_env.items() if k != "DCS_ENDPOINT"}
    result = dcsctl(
        "restore",
        "--instance",
        instance_id,
        "--backup",
        backup_id,
        "--remark",
        remark,
        "--reconcile-window",
        "0",
        "--endpoint",
        emulator_url,
        env=env,
    )
    assert result.returncode == 3, result.stderr
    argv = find_command(result.stderr)
    assert argv[argv.index("--remark") + 1] == remark
    assert argv[argv.index("--endpoint") + 1] == emulator_url
    # Secrets are never repeated (the credentials came from the environment anyway).
    assert "--sk" not in argv and "--ak" not in argv
    admin.call("DELETE", "/_emulator/faults")
    check = run_printed(argv, env)
    assert check.returncode == 3, check.stderr
    assert counters(admin, instance_id) == (0, 1)


def test_unresolved_restore_is_found_later_with_the_printed_command(
    dcsctl, admin, restorable, cred_env
):
    instance_id, backup_id = restorable
    # The POST is carried out but its answer lost, and the listing shows the new record
    # only 3 s later: longer than the 1 s window, so the restore is unresolved.
    admin.timings(restore_listing_delay_ms=3000)
    admin.fault(
        operation="RestoreInstance",
        kind="close_after",
        count=1,
        instance_id=instance_id,
    )
    started = time.monotonic()
    result = restore(dcsctl, instance_id, backup_id, "--reconcile-window", "1s")
    # A closed connection: the transport exit code.
    assert result.returncode == 6, result.stderr
    assert result.stderr.startswith("dcsctl: unresolved: the restore may have started")
    assert counters(admin, instance_id) == (1, 1)
    argv = find_command(result.stderr)
    assert "--remark" not in argv

    # Still hidden: not found yet.
    early = run_printed(argv, cred_env)
    if time.monotonic() - started < 2.5:
        assert early.returncode == 3, early.stderr
        assert "without a remark" in early.stderr
    time.sleep(max(0.0, started + 3.5 - time.monotonic()))
    late = run_printed([*argv, "--json"], cred_env)
    assert late.returncode == 0, late.stderr
    found = json.loads(late.stdout)
    assert found["backup_id"] == backup_id and found["restore_remark"] == ""
    assert [r["restore_id"] for r in listed(dcsctl, instance_id)] == [
        found["restore_id"]
    ]
    # Looking never starts anything.
    assert counters(admin, instance_id) == (1, 1)


def test_reconcile_window_from_the_config_file(
    dcsctl, admin, restorable, base_env, emulator_url, tmp_path
):
    instance_id, backup_id = restorable
    admin.fault(
        operation="RestoreInstance",
        kind="status",
        status=500,
        body=INJECTED_500,
        instance_id=instance_id,
    )
    path = write_config(
        tmp_path / "conf",
        **full_config(emulator_url, reconcile_window="500ms", attempt_timeout="5s"),
    )
    started = time.monotonic()
    result = restore(
        dcsctl, instance_id, backup_id, "--config", str(path), env=base_env
    )
    assert result.returncode == 3, result.stderr
    assert "within 500 ms" in result.stderr
    assert time.monotonic() - started < 3.0
    # The flag wins over the file.
    result = restore(
        dcsctl,
        instance_id,
        backup_id,
        "--config",
        str(path),
        "--reconcile-window",
        "1200ms",
        env=base_env,
    )
    assert result.returncode == 3, result.stderr
    assert "within 1200 ms" in result.stderr
    assert counters(admin, instance_id) == (0, 2)


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("reconcile_window", "2h", "reconcile_window must be at most 1 hour"),
        ("reconcile_window", "soon", "reconcile_window: 'soon' is not a duration"),
        ("attempt_timeout", "0", "attempt_timeout must be positive"),
    ],
)
def test_bad_duration_in_the_config_file(
    dcsctl, admin, base_env, emulator_url, tmp_path, key, value, message
):
    before = admin.call("GET", "/_emulator/stats")["requests"]
    path = write_config(tmp_path / "conf", **full_config(emulator_url, **{key: value}))
    result = dcsctl(
        "instance", "show", "--instance", "x", "--config", str(path), env=base_env
    )
    assert result.returncode == 2, result.stderr
    assert f"{path}: {message}" in result.stderr
    assert admin.call("GET", "/_emulator/stats")["requests"] == before


def test_attempt_timeout_turns_a_hang_into_an_adopted_restore(
    dcsctl, admin, restorable
):
    instance_id, backup_id = restorable
    admin.fault(
        operation="RestoreInstance",
        kind="hang_after_work",
        count=1,
        instance_id=instance_id,
    )
    started = time.monotonic()
    result = restore(
        dcsctl, instance_id, backup_id, "--attempt-timeout", "300ms", "--json"
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["adopted"] is True
    # Well before the automatic attempt timeout (30 s for the default 2-minute timeout).
    assert time.monotonic() - started < 5.0
    assert counters(admin, instance_id) == (1, 1)


def test_wait_while_busy_outlasts_the_attempt_budget(dcsctl, admin, restorable):
    instance_id, backup_id = restorable
    # Four busy answers use up the four attempts of a call; --wait-while-busy keeps going.
    fault = admin.fault(
        operation="RestoreInstance",
        kind="status",
        status=400,
        body=BUSY_4096,
        count=4,
        instance_id=instance_id,
    )
    result = restore(
        dcsctl,
        instance_id,
        backup_id,
        "--wait-while-busy",
        "--timeout",
        "40s",
        "--json",
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["adopted"] is False
    assert admin.fired(fault["id"]) == 4
    assert counters(admin, instance_id) == (1, 5)


def test_wait_while_busy_waits_out_a_restoring_instance(dcsctl, admin, restorable):
    instance_id, backup_id = restorable
    patch = f"/_emulator/instances/{instance_id}"
    admin.call("PATCH", patch, {"status": "RESTORING"})
    # Without the flag, the pre-flight check refuses a busy instance at once.
    result = restore(dcsctl, instance_id, backup_id)
    assert result.returncode == 3, result.stderr
    assert "RESTORING, not RUNNING" in result.stderr
    # With it, dcsctl waits (here until the instance is RUNNING again, 1 s later).
    timer = threading.Timer(1.0, admin.call, ("PATCH", patch, {"status": "RUNNING"}))
    timer.start()
    try:
        result = restore(
            dcsctl,
            instance_id,
            backup_id,
            "--wait-while-busy",
            "--poll-interval",
            "100ms",
            "--json",
        )
    finally:
        timer.join()
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["adopted"] is False
    assert counters(admin, instance_id) == (1, 1)


def test_wait_while_busy_gives_up_at_the_timeout(dcsctl, admin, restorable):
    instance_id, backup_id = restorable
    admin.call("PATCH", f"/_emulator/instances/{instance_id}", {"status": "RESTARTING"})
    started = time.monotonic()
    result = restore(
        dcsctl,
        instance_id,
        backup_id,
        "--wait-while-busy",
        "--timeout",
        "700ms",
        "--poll-interval",
        "100ms",
    )
    assert result.returncode == 4, result.stderr
    assert (
        "still RESTARTING" in result.stderr
        and "no restore was started" in result.stderr
    )
    assert time.monotonic() - started < 2.0
    assert counters(admin, instance_id) == (0, 0)


# --- restores find ----------------------------------------------------------------------


def test_find_shows_the_restore_table_and_json(dcsctl, admin, restorable):
    instance_id, backup_id = restorable
    since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 5))
    first = restore(dcsctl, instance_id, backup_id, "--remark", "first", "--json")
    assert first.returncode == 0, first.stderr
    restore_id = json.loads(first.stdout)["restore_id"]

    args = ("--instance", instance_id, "--backup", backup_id, "--remark", "first")
    result = dcsctl("restores", "find", *args, "--since", since)
    assert result.returncode == 0, result.stderr
    assert re.search(rf"^restore_id\s+{restore_id}$", result.stdout, re.MULTILINE)
    assert re.search(r"^restore_remark\s+first$", result.stdout, re.MULTILINE)

    result = dcsctl("restores", "find", *args, "--since", "10m", "--json")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["restore_id"] == restore_id and found["backup_id"] == backup_id
    assert "adopted" not in found


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--remark", "other"], "with remark 'other'"),
        ([], "without a remark"),
        (["--remark", "first", "--since", "2099-01-01T00:00:00Z"], "since 2099-01-01"),
    ],
)
def test_find_not_found_exits_3(dcsctl, admin, restorable, extra, message):
    instance_id, backup_id = restorable
    first = restore(dcsctl, instance_id, backup_id, "--remark", "first")
    assert first.returncode == 0, first.stderr
    if "--since" not in extra:
        extra = [*extra, "--since", "1h"]
    result = dcsctl(
        "restores", "find", "--instance", instance_id, "--backup", backup_id, *extra
    )
    assert result.returncode == 3, result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith(f"dcsctl: no restore of backup {backup_id} ")
    assert message in result.stderr
    assert f"is listed for instance {instance_id}" in result.stderr


def test_find_on_an_unknown_instance_is_the_services_not_found(dcsctl, admin):
    result = dcsctl(
        "restores",
        "find",
        "--instance",
        "00000000-0000-4000-8000-000000000000",
        "--backup",
        "b",
        "--since",
        "1h",
    )
    assert result.returncode == 3, result.stderr
    assert "HTTP 404" in result.stderr


def test_find_accepts_a_zone_offset(dcsctl, admin, restorable):
    instance_id, backup_id = restorable
    first = restore(dcsctl, instance_id, backup_id, "--json")
    restore_id = json.loads(first.stdout)["restore_id"]
    # Ten seconds ago, written in UTC+08:00 with a fraction.
    local = time.gmtime(time.time() - 10 + 8 * 3600)
    since = time.strftime("%Y-%m-%dT%H:%M:%S", local) + ".250+08:00"
    result = dcsctl(
        "restores",
        "find",
        "--instance",
        instance_id,
        "--backup",
        backup_id,
        "--since",
        since,
        "--json",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["restore_id"] == restore_id
    # The same instant an hour later (in UTC): after the restore, so none.
    later = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 3600))
    result = dcsctl(
        "restores",
        "find",
        "--instance",
        instance_id,
        "--backup",
        backup_id,
        "--since",
        later,
    )
    assert result.returncode == 3, result.stderr
