"""dcsctl restore --plan FILE: many instances, N at a time, one summary; a re-run adopts what
an earlier run started instead of posting again.

What the service saw is proved by the emulator's counters: `restore_posts` (global and per
instance) counts every RestoreInstance request, whatever became of it, and the wire watch
counts every connection, so "nothing was sent" means nothing reached the emulator at all."""

import json
import re
import signal
import subprocess
import time
from datetime import datetime
from pathlib import Path

import pytest
from conftest import DCSCTL, RUN_TIMEOUT_S, wait_until
from dcs_testing import DEMO_BACKUP, DEMO_INSTANCE, WireWatch  # on sys.path by conftest

FAST_POLL = ["--poll-interval", "100ms"]
MISSING = "00000000-0000-4000-8000-00000000dead"  # a well-formed id no instance has
SUMMARY_KEYS = {"ok", "dry_run", "total", "failed_count", "failed", "restores"}
ENTRY_KEYS = {
    "instance_id",
    "backup_id",
    "restore_id",
    "adopted",
    "action",
    "status",
    "ok",
    "error",
    "error_code",
}


def make_restorable(admin, city):
    """An instance whose backup holds {"city": city} and whose data has changed since."""
    instance_id = admin.new_instance()
    admin.set_data(instance_id, {"city": city})
    backup_id = admin.new_backup(instance_id)
    admin.set_data(instance_id, {"city": "changed", "stray": "after-backup"})
    return instance_id, backup_id


def write_plan(tmp_path, entries, name="plan.json"):
    path = tmp_path / name
    path.write_text(json.dumps({"restores": entries}, indent=2))
    return path


def posts(admin):
    return int(admin.stats()["restore_posts"])


def plan_run(dcsctl, plan, *extra):
    return dcsctl("restore", "--plan", str(plan), *extra)


def summary(result):
    out = json.loads(result.stdout)
    assert set(out) == SUMMARY_KEYS, out
    for entry in out["restores"]:
        assert set(entry) == ENTRY_KEYS, entry
    return out


def by_instance(out):
    return {entry["instance_id"]: entry for entry in out["restores"]}


@pytest.fixture
def three(admin):
    """Three restorable instances: (instance_id, backup_id, city) each."""
    return [
        (*make_restorable(admin, city), city) for city in ("paris", "lyon", "nantes")
    ]


def test_three_instances_two_at_a_time_are_restored(dcsctl, admin, three, tmp_path):
    # One entry names its backup, one asks for the latest, one chooses by type.
    (a, backup_a, _), (b, backup_b, _), (c, backup_c, _) = three
    plan = write_plan(
        tmp_path,
        [
            {"instance_id": a, "backup": backup_a, "remark": "fleet rollback"},
            {"instance_id": b, "backup": "latest"},
            {"instance_id": c, "backup_type": "manual"},
        ],
    )
    before = posts(admin)
    result = plan_run(dcsctl, plan, "--parallel", "2", "--wait", *FAST_POLL)
    assert result.returncode == 0, result.stderr
    assert posts(admin) - before == 3
    for instance_id, _backup, city in three:
        assert admin.data(instance_id) == {"city": city}
        view = admin.instance(instance_id)
        assert (view["restores_started"], view["restore_posts"]) == (1, 1)
        # Progress lines name their instance; the last one shows the end.
        lines = [l for l in result.stderr.splitlines() if l.startswith(instance_id)]
        assert any(re.search(r"succeed \[#{20}\] 100\.00%$", l) for l in lines), lines
    # stderr is a pipe: never a terminal control code.
    assert "\x1b" not in result.stderr and "\r" not in result.stderr
    assert f"chose backup {backup_b}" in result.stderr
    assert f"chose backup {backup_c}" in result.stderr
    # The table: one row per instance, in plan order.
    rows = [l.split() for l in result.stdout.splitlines()[1:]]
    assert [r[0] for r in rows] == [a, b, c]
    assert all(r[4] == "started" and r[5] == "succeed" for r in rows), rows
    remarks = [
        r["restore_remark"]
        for r in json.loads(
            dcsctl("restores", "list", "--instance", a, "--json").stdout
        )
    ]
    assert remarks == ["fleet rollback"]


def test_rerun_adopts_in_flight_restores_without_posting(
    dcsctl, admin, three, tmp_path
):
    admin.timings(restore_waiting_ms=100, restore_running_ms=4000)
    plan = write_plan(
        tmp_path,
        [{"instance_id": i, "backup": b, "remark": "plan"} for i, b, _ in three],
    )
    first = plan_run(dcsctl, plan, "--json")
    assert first.returncode == 0, first.stderr
    started = by_instance(summary(first))
    assert {e["action"] for e in started.values()} == {"started"}
    assert all(e["adopted"] is False for e in started.values())
    after_first = posts(admin)

    # The same plan again while the restores run: adopted, not one POST more.
    second = plan_run(dcsctl, plan, "--json", "--wait", *FAST_POLL)
    assert second.returncode == 0, second.stderr
    out = summary(second)
    assert out["ok"] is True and out["failed"] == []
    for instance_id, entry in by_instance(out).items():
        assert entry["adopted"] is True, entry
        assert entry["action"] == "adopted", entry
        assert entry["restore_id"] == started[instance_id]["restore_id"]
        assert entry["status"] == "succeed"
    assert posts(admin) == after_first
    assert "adopted, not started again" in second.stderr
    for instance_id, _backup, city in three:
        assert admin.instance(instance_id)["restores_started"] == 1
        assert admin.data(instance_id) == {"city": city}

    # Once they succeeded, the plan again leaves them as they are ...
    admin.set_data(three[0][0], {"city": "written-after-restore"})
    third = plan_run(dcsctl, plan, "--json")
    assert third.returncode == 0, third.stderr
    assert {e["action"] for e in summary(third)["restores"]} == {"already_restored"}
    assert posts(admin) == after_first
    assert admin.data(three[0][0]) == {"city": "written-after-restore"}

    # ... unless --again says to restore them once more.
    admin.timings()
    fourth = plan_run(dcsctl, plan, "--json", "--again", "--wait", *FAST_POLL)
    assert fourth.returncode == 0, fourth.stderr
    assert {e["action"] for e in summary(fourth)["restores"]} == {"started"}
    assert posts(admin) == after_first + 3
    assert admin.data(three[0][0]) == {"city": three[0][2]}


def test_a_failing_instance_is_named_and_the_others_still_restore(
    dcsctl, admin, three, tmp_path
):
    (a, backup_a, city_a), (b, backup_b, city_b), _ = three
    plan = write_plan(
        tmp_path,
        [
            {"instance_id": a, "backup": backup_a},
            {"instance_id": MISSING, "backup": "latest"},
            {"instance_id": b, "backup": backup_b},
        ],
    )
    before = posts(admin)
    result = plan_run(dcsctl, plan, "--json", "--wait", *FAST_POLL)
    # Not found is a refusal by the service: exit 3, as a single restore's.
    assert result.returncode == 3, result.stderr
    out = summary(result)
    assert out["ok"] is False
    assert out["failed"] == [MISSING]
    assert (out["total"], out["failed_count"]) == (3, 1)
    entries = by_instance(out)
    assert entries[MISSING]["ok"] is False and entries[MISSING]["error"]
    assert entries[MISSING]["action"] == "none"
    assert entries[MISSING]["restore_id"] == ""
    assert entries[a]["status"] == entries[b]["status"] == "succeed"
    assert f"1 of 3 instances failed: {MISSING}" in result.stderr
    assert re.search(rf"^dcsctl: {MISSING}: ", result.stderr, re.MULTILINE)
    assert posts(admin) - before == 2
    assert admin.data(a) == {"city": city_a}
    assert admin.data(b) == {"city": city_b}


def test_a_preflight_refusal_fails_only_its_instance(dcsctl, admin, three, tmp_path):
    (a, backup_a, city_a), (b, backup_b, _), _ = three
    admin.call("PATCH", f"/_emulator/instances/{b}", {"cache_mode": "single"})
    plan = write_plan(
        tmp_path,
        [
            {"instance_id": a, "backup": backup_a},
            {"instance_id": b, "backup": backup_b},
        ],
    )
    result = plan_run(dcsctl, plan, "--wait", *FAST_POLL)
    assert result.returncode == 3, result.stderr
    assert "single-node" in result.stderr
    assert f"1 of 2 instances failed: {b}" in result.stderr
    assert admin.instance(b)["restore_posts"] == 0
    assert admin.data(a) == {"city": city_a}


def test_json_summary_shape(dcsctl, admin, three, tmp_path):
    instance_id, backup_id, _ = three[0]
    plan = write_plan(tmp_path, [{"instance_id": instance_id, "backup": backup_id}])
    result = plan_run(dcsctl, plan, "--json")
    assert result.returncode == 0, result.stderr
    out = summary(result)  # nothing but the summary on stdout
    assert out["ok"] is True and out["dry_run"] is False
    assert (out["total"], out["failed_count"], out["failed"]) == (1, 0, [])
    (entry,) = out["restores"]
    assert entry["instance_id"] == instance_id and entry["backup_id"] == backup_id
    assert entry["restore_id"] and entry["adopted"] is False
    assert entry["action"] == "started" and entry["ok"] is True
    assert entry["error"] == "" and entry["error_code"] == ""
    listed = json.loads(
        dcsctl("restores", "list", "--instance", instance_id, "--json").stdout
    )
    assert [r["restore_id"] for r in listed] == [entry["restore_id"]]


def test_dry_run_posts_nothing(dcsctl, admin, three, tmp_path):
    (a, backup_a, _), (b, backup_b, _), _ = three
    admin.call("PATCH", f"/_emulator/instances/{b}", {"status": "RESTARTING"})
    plan = write_plan(
        tmp_path,
        [
            {"instance_id": a, "backup": "latest"},
            {"instance_id": b, "backup": backup_b},
        ],
    )
    before = posts(admin)
    result = plan_run(dcsctl, plan, "--dry-run", "--json")
    assert result.returncode == 3, result.stderr
    out = summary_with_checks(result)
    entries = by_instance(out)
    assert entries[a]["action"] == "would_start" and entries[a]["backup_id"] == backup_a
    assert entries[a]["instance_running"] is True
    assert entries[b]["action"] == "would_not_start"
    assert entries[b]["instance_running"] is False
    assert out["dry_run"] is True and out["failed"] == [b]
    assert posts(admin) == before
    assert admin.instance(a)["restores_started"] == 0


def summary_with_checks(result):
    out = json.loads(result.stdout)
    assert set(out) == SUMMARY_KEYS, out
    for entry in out["restores"]:
        assert ENTRY_KEYS <= set(entry), entry
    return out


MALFORMED = [
    ('{"restores": [\n  {"instance_id": "a",}\n]}', "line 2"),
    ('{"restores": [{"instance_id": "a", "backup": "b", "bakup": "c"}]}', '"bakup"'),
    ('{"restores": [{"instance_id": "a", "backup": "b"}], "extra": 1}', '"extra"'),
    (
        (
            '{"restores": [{"instance_id": "a", "backup": "b"},'
            ' {"instance_id": "a", "backup": "c"}]}'
        ),
        "restores[1] (instance a): the instance is already in restores[0]",
    ),
    ('{"restores": [{"instance_id": "../etc", "backup": "b"}]}', "restores[0]"),
    (
        '{"restores": [{"instance_id": "a", "backup": "b/c"}]}',
        "restores[0] (instance a)",
    ),
    (
        '{"restores": [{"instance_id": "a", "backup": "b", "before": "2h"}]}',
        "not with a backup id",
    ),
    ('{"restores": [{"instance_id": "a"}]}', '"backup" is required'),
    ('{"restores": [{"instance_id": "a", "backup": 7}]}', "must be a string"),
    (
        '{"restores": [{"instance_id": "a", "backup": "b", "backup": "c"}]}',
        "given twice",
    ),
    ('{"restores": [{"instance_id": "a", "backup_type": "daily"}]}', "restores[0]"),
    ('{"restores": [{"instance_id": "a", "before": "yesterday"}]}', "before"),
    ('{"restores": []}', "empty"),
    ("[]", "must be a JSON object"),
    ("", "line 1"),
]


@pytest.mark.parametrize(("text", "message"), MALFORMED)
def test_a_malformed_plan_sends_nothing(dcsctl, admin, tmp_path, text, message):
    plan = tmp_path / "plan.json"
    plan.write_text(text)
    watch = WireWatch(admin)
    result = plan_run(dcsctl, plan)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr, result.stderr
    assert f"plan {plan}" in result.stderr or "cannot read" in result.stderr
    assert result.stdout == ""
    assert watch.since().connections == 0


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--parallel", "0"], "--parallel must be"),
        (["--parallel", "17"], "--parallel must be"),
        (["--instance", "a"], "--instance cannot be given with it"),
        (["--backup", "latest"], "--backup cannot be given with it"),
    ],
)
def test_plan_usage_errors_send_nothing(dcsctl, admin, tmp_path, extra, message):
    plan = write_plan(tmp_path, [{"instance_id": "a", "backup": "b"}])
    watch = WireWatch(admin)
    result = plan_run(dcsctl, plan, *extra)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert watch.since().connections == 0


def test_again_and_parallel_need_a_plan(dcsctl, admin):
    for extra in (["--again"], ["--parallel", "2"]):
        result = dcsctl("restore", "--instance", "a", "--backup", "b", *extra)
        assert result.returncode == 2, result.stderr
        assert "goes with --plan" in result.stderr


def test_missing_plan_file_is_a_usage_error(dcsctl, tmp_path):
    result = dcsctl("restore", "--plan", str(tmp_path / "nope.json"))
    assert result.returncode == 2
    assert "cannot read the plan" in result.stderr


def test_sigint_cancels_every_wait(admin, three, tmp_path, cred_env):
    admin.timings(restore_waiting_ms=10000, restore_running_ms=10000)
    plan = write_plan(tmp_path, [{"instance_id": i, "backup": b} for i, b, _ in three])
    process = subprocess.Popen(
        [str(DCSCTL), "restore", "--plan", str(plan), "--wait", "--json"],
        env=cred_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # Wait until the three restores have started and their waits are under way.
        seen = 0
        deadline = time.monotonic() + RUN_TIMEOUT_S
        while seen < 3 and time.monotonic() < deadline:
            line = process.stderr.readline()
            assert line, "dcsctl ended early"
            seen += " started from backup " in line
        sent = time.monotonic()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=5)
        elapsed = time.monotonic() - sent
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 130, err
    assert elapsed < 1.5, elapsed
    result = json.loads(out)
    assert result["ok"] is False and sorted(result["failed"]) == sorted(
        i for i, _, _ in three
    )
    # Each restore was started once, and goes on in the service.
    assert {e["action"] for e in result["restores"]} == {"started"}
    assert all(admin.instance(i)["restore_posts"] == 1 for i, _, _ in three)


def test_the_example_plan_is_valid(dcsctl, admin):
    """examples/restore-plan.json parses: its first entry is the demo seed's instance and
    backup; the two others name instances the emulator does not have."""
    plan = Path(__file__).resolve().parents[2] / "examples" / "restore-plan.json"
    before = posts(admin)
    result = plan_run(dcsctl, plan, "--dry-run", "--json")
    assert result.returncode == 3, result.stderr
    out = summary_with_checks(result)
    ids = [e["instance_id"] for e in out["restores"]]
    # The demo instance's own verdict depends on what earlier tests left it doing.
    assert out["total"] == 3 and set(ids[1:]) <= set(out["failed"])
    assert out["restores"][0]["backup_id"] == DEMO_BACKUP
    assert ids[0] == DEMO_INSTANCE
    assert posts(admin) == before


def test_parallel_bounds_how_many_instances_are_worked_on_at_once(
    dcsctl, admin, tmp_path
):
    # Four instances, two at a time: from the service's request log, the spans of the
    # instances' requests (first to last) overlap two deep, never three.
    admin.timings(restore_running_ms=600)
    pairs = [make_restorable(admin, f"city{n}") for n in range(4)]
    plan = write_plan(tmp_path, [{"instance_id": i, "backup": b} for i, b in pairs])
    admin.clear_requests()
    result = plan_run(dcsctl, plan, "--parallel", "2", "--wait", *FAST_POLL)
    assert result.returncode == 0, result.stderr
    log = admin.requests()
    spans = []
    for instance_id, _backup in pairs:
        times = [
            datetime.fromisoformat(r["time"])
            for r in log
            if f"/instances/{instance_id}" in r["path"]
        ]
        assert times, instance_id
        spans.append((min(times), max(times)))
    depth = max(sum(1 for s, e in spans if s <= start < e) for start, _ in spans)
    assert depth == 2, spans


def test_an_unresolved_restore_is_settled_by_running_the_plan_again(
    dcsctl, admin, three, tmp_path
):
    (a, backup_a, city_a), (b, backup_b, _), _ = three
    # a's POST is carried out but its answer lost, and the listing shows the record only
    # 2 s later, past the 0.5 s reconcile window: a's restore ends unresolved.
    admin.timings(restore_listing_delay_ms=2000)
    admin.fault(operation="RestoreInstance", kind="close_after", count=1, instance_id=a)
    plan = write_plan(
        tmp_path,
        [
            {"instance_id": a, "backup": backup_a},
            {"instance_id": b, "backup": backup_b},
        ],
    )
    first = plan_run(dcsctl, plan, "--reconcile-window", "500ms", "--json")
    # A closed connection: the transport exit code, for a alone.
    assert first.returncode == 6, first.stderr
    assert summary(first)["failed"] == [a]
    assert "run the same plan again" in first.stderr
    assert admin.instance(a)["restore_posts"] == 1

    def listed(instance_id):
        result = dcsctl("restores", "list", "--instance", instance_id, "--json")
        return result.returncode == 0 and json.loads(result.stdout or "[]") != []

    assert wait_until(lambda: listed(a) and listed(b), timeout_s=10)
    before = posts(admin)
    second = plan_run(dcsctl, plan, "--json", "--wait", *FAST_POLL)
    assert second.returncode == 0, second.stderr
    entries = by_instance(summary(second))
    assert entries[a]["adopted"] is True
    assert entries[a]["action"] in {"adopted", "already_restored"}
    assert entries[a]["status"] == "succeed"
    # Settled from the records: not one POST more, one restore each.
    assert posts(admin) == before
    assert admin.instance(a)["restores_started"] == 1
    assert admin.data(a) == {"city": city_a}


def test_someone_elses_restore_in_flight_is_neither_adopted_nor_raced(
    dcsctl, admin, three, tmp_path
):
    (a, backup_a, _), (b, backup_b, city_b), _ = three
    other_backup = admin.new_backup(a)
    admin.timings(restore_waiting_ms=100, restore_running_ms=3000)
    other = dcsctl("restore", "--instance", a, "--backup", other_backup, "--json")
    assert other.returncode == 0, other.stderr
    other_id = json.loads(other.stdout)["restore_id"]
    plan = write_plan(
        tmp_path,
        [
            {"instance_id": a, "backup": backup_a},
            {"instance_id": b, "backup": backup_b},
        ],
    )
    before = posts(admin)
    result = plan_run(dcsctl, plan, "--json", "--wait", *FAST_POLL)
    assert result.returncode == 3, result.stderr
    entries = by_instance(summary(result))
    assert entries[a]["action"] == "none" and entries[a]["adopted"] is False
    assert f"busy with restore {other_id}" in entries[a]["error"]
    assert entries[b]["status"] == "succeed"
    assert posts(admin) - before == 1  # b's alone
    assert admin.data(b) == {"city": city_b}


def test_the_plan_can_come_from_stdin(admin, three, cred_env):
    instance_id, backup_id, _ = three[0]
    before = posts(admin)
    result = subprocess.run(
        [str(DCSCTL), "restore", "--plan", "-", "--dry-run", "--json"],
        input=json.dumps(
            {"restores": [{"instance_id": instance_id, "backup": backup_id}]}
        ),
        check=False,
        env=cred_env,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
    )
    assert result.returncode == 0, result.stderr
    (entry,) = summary_with_checks(result)["restores"]
    assert entry["action"] == "would_start" and entry["backup_id"] == backup_id
    assert posts(admin) == before
