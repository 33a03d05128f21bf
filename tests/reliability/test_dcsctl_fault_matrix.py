"""The cross-layer fault matrix, dcsctl column: every fault of tests/reliability/fault_matrix.json
that applies to RestoreInstance (`only`), in every mode it applies to (`modes`, of `once` and
`always`), through `dcsctl restore --json --timeout <the cell's call timeout>` on a fresh
instance with the fault aimed at that instance (the fault's `instance_id`).

Each run ends with a success or a clear error (exit 1, 3, 4 or 6 with a `dcsctl:` line on
stderr, never a usage error or an internal one) within the call timeout plus the matrix's
slack (plus PROCESS_SLACK_MS for starting the process), and its fault fires. The emulator's own
counters must show `restore_expect[fault][mode]`: (a) exactly `restores` restores started for
the instance and (b) `posts` (or `posts_min`..`posts_max`) RestoreInstance requests received;
(d) the run ends as `outcome` says:
  started    exit 0, {"restore_id": ..., "adopted": false};
  adopted    exit 0, {"restore_id": ..., "adopted": true};
             (both: that id is the instance's one restore record, as `restores list` shows);
  unresolved an error whose line starts "dcsctl: unresolved: the restore may have started",
             followed by the `dcsctl restores find` command for this instance, backup and
             remark (dcsctl prints it exactly when the request was sent MAYBE);
  refused    an error; when a restore did start, dcsctl must not keep quiet about it (the
             `restores find` guidance is printed).
Prints the column (run with -s to see it).

As in the Python column, cells run side by side on a few threads (each has its own instance
and its fault only hits that instance), and the faults with `timings` (a restore listed
seconds late) run one after the other on a second emulator at the same time, with the timings
PUT before each cell and the previous ones PUT back after. The long listing-delay cells run
in full: the 40 s one is what bounds the test (about 35 s)."""

from __future__ import annotations

import concurrent.futures
import json
import os
import re
import shlex
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import reliability_support as rs

DCSCTL = Path(os.environ.get("DCSCTL", rs.REPO / "build" / "cli" / "dcsctl"))

# The matrix's own keys of a fault; the rest is the emulator's fault spec.
MATRIX_KEYS = {"name", "only", "modes", "call_timeout_ms", "timings"}
OPERATION = "RestoreInstance"
REMARK = "matrix"
WORKERS = 6
# A dcsctl run is a process: starting it, reading its configuration and creating its client
# come on top of the call's own deadline (which --timeout starts when the command does).
PROCESS_SLACK_MS = 250
# The exit codes of a clear error: 1 (an unreadable response), 3 (API), 4 (timeout),
# 6 (transport). 2 (usage) or a crash would be a bug.
CLEAR_EXITS = {1, 3, 4, 6}
UNRESOLVED = "dcsctl: unresolved: the restore may have started"
FIND_LINE = re.compile(r"^  (dcsctl restores find .*)$", re.MULTILINE)


@dataclass(frozen=True)
class Cell:
    mode: str
    count: int  # the fault's count; 0 = every matching request
    fault: dict[str, Any]

    @property
    def key(self) -> tuple[str, str]:
        return (self.mode, self.fault["name"])


@dataclass
class Outcome:
    label: str
    elapsed_ms: float = 0
    problems: list[str] = field(default_factory=list)


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    elapsed_ms: float


def _cells(matrix: dict[str, Any]) -> list[Cell]:
    return [
        Cell(mode, count, fault)
        for mode, count in matrix["modes"].items()
        for fault in matrix["faults"]
        if mode in fault.get("modes", matrix["modes"])
        and OPERATION in fault.get("only", [OPERATION])
    ]


def _env(url: str, home: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),  # holds no ~/.config/dcsctl/config
        "DCS_ENDPOINT": url,
        "HUAWEICLOUD_SDK_AK": rs.DEMO_AK,
        "HUAWEICLOUD_SDK_SK": rs.DEMO_SK,
        "HUAWEICLOUD_SDK_PROJECT_ID": rs.DEMO_PROJECT,
    }


def _dcsctl(env: dict[str, str], *args: str, limit_s: float) -> Run:
    started = time.monotonic()
    done = subprocess.run(
        [str(DCSCTL), *args],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=limit_s,
    )
    elapsed_ms = (time.monotonic() - started) * 1000
    return Run(done.returncode, done.stdout, done.stderr, elapsed_ms)


def _listed(env: dict[str, str], instance_id: str) -> list[str]:
    # The fault hits RestoreInstance only: listing is healthy.
    run = _dcsctl(
        env, "restores", "list", "--instance", instance_id, "--json", limit_s=30
    )
    if run.returncode != 0:
        return [f"<restores list failed: {run.stderr.strip()}>"]
    return [r["restore_id"] for r in json.loads(run.stdout)]


def _find_guidance(stderr: str, instance_id: str, backup_id: str) -> str:
    """What is wrong with the `restores find` command dcsctl printed; "" when it is right."""
    found = FIND_LINE.findall(stderr)
    if len(found) != 1:
        return "no 'dcsctl restores find' command printed"
    argv = shlex.split(found[0])
    expected = [
        "dcsctl",
        "restores",
        "find",
        "--instance",
        instance_id,
        "--backup",
        backup_id,
        "--remark",
        REMARK,
        "--since",
    ]
    if argv[:-1] != expected:
        return f"the printed command is {found[0]!r}"
    return ""


def _judge_restore(
    expect: dict[str, Any],
    run: Run,
    counters: dict[str, Any],
    env: dict[str, str],
    instance_id: str,
    backup_id: str,
) -> list[str]:
    """Rules (a), (b) and (d) of the matrix."""
    problems = []
    started, posts = counters["restores_started"], counters["restore_posts"]
    if started != expect["restores"]:
        problems.append(f"started {started} restores, expected {expect['restores']}")
    if "posts" in expect:
        if posts != expect["posts"]:
            problems.append(
                f"received {posts} RestoreInstance POSTs, expected {expect['posts']}"
            )
    elif not expect["posts_min"] <= posts <= expect["posts_max"]:
        problems.append(
            f"received {posts} RestoreInstance POSTs, expected "
            f"{expect['posts_min']}..{expect['posts_max']}"
        )
    outcome = expect["outcome"]
    if outcome in ("started", "adopted"):
        if run.returncode != 0:
            return [*problems, f"expected {outcome}, got exit {run.returncode}"]
        try:
            printed = json.loads(run.stdout)
        except json.JSONDecodeError:
            return [*problems, f"exit 0 but stdout is not JSON: {run.stdout[:200]!r}"]
        if set(printed) != {"restore_id", "adopted"}:
            problems.append(f"printed {sorted(printed)}")
        if printed.get("adopted") is not (outcome == "adopted"):
            problems.append(f"expected {outcome}, got adopted={printed.get('adopted')}")
        ids = _listed(env, instance_id)
        if ids != [printed.get("restore_id")]:
            problems.append(
                f"returned {printed.get('restore_id')!r}, the instance's restores are {ids}"
            )
    elif outcome == "unresolved":
        if run.returncode == 0:
            return [*problems, "expected unresolved, the restore succeeded"]
        if not run.stderr.startswith(UNRESOLVED):
            problems.append(f"unresolved, yet stderr is {run.stderr[:200]!r}")
        if guidance := _find_guidance(run.stderr, instance_id, backup_id):
            problems.append(guidance)
    elif outcome == "refused":
        if run.returncode == 0:
            return [*problems, "expected refused, the restore succeeded"]
        if started and _find_guidance(run.stderr, instance_id, backup_id):
            problems.append("a restore started, yet dcsctl does not say it may have")
    else:
        problems.append(f"unknown outcome {outcome!r} in restore_expect")
    return problems


def _label(run: Run) -> str:
    if run.returncode == 0:
        try:
            return "ok adopted" if json.loads(run.stdout).get("adopted") else "ok"
        except json.JSONDecodeError:
            return "ok?"
    if run.stderr.startswith(UNRESOLVED):
        return f"unresolved {run.returncode}"
    return f"exit {run.returncode}"


def _run_cell(
    matrix: dict[str, Any], admin: rs.Admin, env: dict[str, str], cell: Cell
) -> Outcome:
    fault = cell.fault
    expect = matrix["restore_expect"].get(fault["name"], {}).get(cell.mode)
    if expect is None:
        return Outcome("FAIL", problems=["no restore_expect for this fault and mode"])
    timeout_ms = fault.get("call_timeout_ms", matrix["call_timeout_ms"])
    limit_ms = timeout_ms + matrix["deadline_slack_ms"] + PROCESS_SLACK_MS

    instance_id = admin.create_instance()
    backup_id = admin.create_backup(instance_id)
    spec = {k: v for k, v in fault.items() if k not in MATRIX_KEYS}
    spec.update(operation=OPERATION, instance_id=instance_id)
    if cell.count:
        spec["count"] = cell.count
    fault_id = admin.call("POST", "faults", spec)["id"]

    run = _dcsctl(
        env,
        "restore",
        "--instance",
        instance_id,
        "--backup",
        backup_id,
        "--remark",
        REMARK,
        "--json",
        "--timeout",
        f"{timeout_ms}ms",
        limit_s=timeout_ms / 1000 + 30,
    )

    problems = []
    if run.elapsed_ms > limit_ms:
        problems.append(
            f"outlived its deadline: {run.elapsed_ms:.0f} ms > {limit_ms} ms"
        )
    if run.returncode != 0:
        if run.returncode not in CLEAR_EXITS:
            problems.append(f"unclear exit code {run.returncode}: {run.stderr[:200]!r}")
        if not run.stderr.startswith("dcsctl: ") or "internal error" in run.stderr:
            problems.append(f"unclear error: {run.stderr[:200]!r}")
        if run.stdout:
            problems.append(f"an error with output on stdout: {run.stdout[:200]!r}")
    # (c) the fault fired.
    fired = {f["id"]: f["fired"] for f in admin.call("GET", "faults")["faults"]}
    if fired.get(fault_id, 0) < 1:
        problems.append("the fault never fired")
    counters = admin.instance(instance_id)
    problems += _judge_restore(expect, run, counters, env, instance_id, backup_id)
    if problems:
        problems.append(f"stderr: {run.stderr.strip()[:400]!r}")
        return Outcome("FAIL", run.elapsed_ms, problems)
    return Outcome(_label(run), run.elapsed_ms)


def _run_timed(
    matrix: dict[str, Any], admin: rs.Admin, env: dict[str, str], cells: list[Cell]
) -> dict[tuple[str, str], Outcome]:
    """Cells whose fault has `timings`, one at a time, each with its timings in force."""
    outcomes = {}
    for cell in cells:
        previous = admin.call("GET", "timings")
        admin.call("PUT", "timings", cell.fault["timings"])
        try:
            outcomes[cell.key] = _run_cell(matrix, admin, env, cell)
        finally:
            admin.call("PUT", "timings", previous)
    return outcomes


def _print_column(
    matrix: dict[str, Any], outcomes: dict[tuple[str, str], Outcome]
) -> None:
    width = max(len(f["name"]) for f in matrix["faults"]) + 1
    modes = list(matrix["modes"])
    print("\ndcsctl fault matrix, RestoreInstance column (`dcsctl restore --json`)")
    print(f"{'fault':{width}}" + "".join(f" {m:24}" for m in modes))
    for fault in matrix["faults"]:
        labels = []
        for mode in modes:
            outcome = outcomes.get((mode, fault["name"]))
            labels.append(
                "-"
                if outcome is None
                else f"{outcome.label} ({outcome.elapsed_ms:.0f} ms)"
            )
        print(f"{fault['name']:{width}}" + "".join(f" {x:24}" for x in labels))


@pytest.fixture(scope="module")
def admin() -> Iterator[rs.Admin]:
    if not DCSCTL.exists():
        pytest.fail(f"no dcsctl at {DCSCTL}: build the repo or set DCSCTL")
    with rs.running_emulator("--state-only") as url:
        yield rs.Admin(url)


@pytest.fixture(scope="module")
def timed_admin() -> Iterator[rs.Admin]:
    """A second emulator for the cells whose faults change its timings."""
    with rs.running_emulator("--state-only") as url:
        yield rs.Admin(url)


def test_dcsctl_restore_under_every_fault(
    admin: rs.Admin, timed_admin: rs.Admin, tmp_path: Path
) -> None:
    matrix = rs.fault_matrix()
    cells = _cells(matrix)
    timed = [c for c in cells if c.fault.get("timings")]
    plain = [c for c in cells if not c.fault.get("timings")]
    assert timed, "the matrix has listing-delay cells; they must run"

    begun = time.monotonic()
    outcomes: dict[tuple[str, str], Outcome] = {}
    with (
        concurrent.futures.ThreadPoolExecutor(1, "dcsctl-timed") as timed_pool,
        concurrent.futures.ThreadPoolExecutor(WORKERS, "dcsctl") as pool,
    ):
        timed_run = timed_pool.submit(
            _run_timed, matrix, timed_admin, _env(timed_admin.url, tmp_path), timed
        )
        env = _env(admin.url, tmp_path)
        runs = {c.key: pool.submit(_run_cell, matrix, admin, env, c) for c in plain}
        for key, run in runs.items():
            outcomes[key] = run.result()
        outcomes.update(timed_run.result())
    elapsed = time.monotonic() - begun

    _print_column(matrix, outcomes)
    problems = [
        f"{mode} / {fault}: {problem}"
        for (mode, fault), outcome in outcomes.items()
        for problem in outcome.problems
    ]
    for problem in problems:
        print(f"FAIL {problem}")
    print(
        f"\ndcsctl fault matrix: {len(cells)} RestoreInstance cells "
        f"({len(matrix['faults'])} faults x {len(matrix['modes'])} modes, where they "
        f"apply), {len(problems)} problems, {elapsed:.0f} s"
    )
    assert len(outcomes) == len(cells)
    assert problems == []
