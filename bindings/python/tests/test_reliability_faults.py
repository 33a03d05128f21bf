"""The cross-layer fault matrix, Python column: every fault of
tests/reliability/fault_matrix.json on every operation it applies to (`only`), in every mode it
applies to (`modes`, of `once` and `always`). Each call ends with a success or a clear DcsError
within its deadline (the fault's `call_timeout_ms` or the matrix's) plus slack, and every
injected fault fires. In every RestoreInstance cell the emulator's own counters must show
`restore_expect[fault][mode]`: exactly `restores` restores started and `posts` (or
`posts_min`..`posts_max`) RestoreInstance requests received; the call, made with
start_restore, must end as `outcome` says (started: success, not adopted; adopted: success,
adopted; both with the id of the instance's one restore record; unresolved: an error with
request_sent MAYBE whose message starts with "unresolved"; refused: an error that never claims
nothing was sent after a restore started). A backup call starts at most one backup. Prints the
matrix (run with -s to see it).

Each cell has an instance of its own and its fault is scoped to that instance (the fault's
`instance_id`), so the cells run side by side on a few threads: the matrix spends most of its
time waiting out faults. Faults with `timings` (a restore listed seconds late) change the
whole emulator's behaviour, so their cells run one after the other on a second emulator, at
the same time as the rest, with the timings PUT before each fault's cells and the previous
ones PUT back after. The emulators run in state-only mode, so that each cell's fresh instance
needs no redis-server."""

from __future__ import annotations

import concurrent.futures
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

import dcs

from conftest import REPO

sys.path.insert(0, str(REPO / "tests" / "reliability"))
import reliability_support as rs

# What a fault may honestly end in; INTERNAL, INVALID_ARGUMENT or a non-DcsError is a bug.
CLEAR_ERRORS = (
    dcs.ThrottledError,
    dcs.BusyError,
    dcs.ServerError,
    dcs.TransportError,
    dcs.DcsTimeoutError,
    dcs.BadResponseError,
    dcs.RejectedError,
    dcs.NotFoundError,
)

# The matrix's own keys of a fault; the rest is the emulator's fault spec.
MATRIX_KEYS = {"name", "only", "modes", "call_timeout_ms", "timings"}

# Cells running at once on the main emulator. Each mostly sleeps (delays, hangs, backoff),
# so this only bounds the load on a small machine running the other layers' matrices too.
WORKERS = 6

REMARK = "matrix"


@dataclass
class World:
    instance_id: str
    backup_id: str
    restore_id: str = ""


# The restore column goes through start_restore, so that `adopted` can be judged.
CALLS: dict[str, Callable[[dcs.Client, World, float], Any]] = {
    "restore_instance": lambda c, w, t: c.start_restore(
        w.instance_id, w.backup_id, REMARK, timeout=t
    ),
    "list_restores": lambda c, w, t: c.list_restores(w.instance_id, timeout=t),
    "get_restore": lambda c, w, t: c.get_restore(w.instance_id, w.restore_id, timeout=t),
    "list_backups": lambda c, w, t: c.list_backups(w.instance_id, timeout=t),
    "show_instance": lambda c, w, t: c.show_instance(w.instance_id, timeout=t),
    "create_backup": lambda c, w, t: c.create_backup(w.instance_id, REMARK, timeout=t),
    "delete_backup": lambda c, w, t: c.delete_backup(w.instance_id, w.backup_id, timeout=t),
}


@dataclass(frozen=True)
class Cell:
    mode: str
    count: int  # the fault's count; 0 = every matching request
    fault: dict[str, Any]
    operation: str
    call: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.mode, self.fault["name"], self.call)


@dataclass
class Outcome:
    label: str
    problems: list[str] = field(default_factory=list)


def _client(url: str) -> dcs.Client:
    return dcs.Client(endpoint=url, ak=rs.DEMO_AK, sk=rs.DEMO_SK, project_id=rs.DEMO_PROJECT)


@pytest.fixture(scope="module")
def admin() -> Iterator[rs.Admin]:
    with rs.running_emulator("--state-only") as url:
        yield rs.Admin(url)


@pytest.fixture(scope="module")
def timed_admin() -> Iterator[rs.Admin]:
    """A second emulator for the cells whose faults change its timings."""
    with rs.running_emulator("--state-only") as url:
        yield rs.Admin(url)


def _cells(matrix: dict[str, Any]) -> list[Cell]:
    cells: list[Cell] = []
    for mode, count in matrix["modes"].items():
        for fault in matrix["faults"]:
            if mode not in fault.get("modes", matrix["modes"]):
                continue
            for operation, calls in matrix["operations"].items():
                if operation not in fault.get("only", [operation]):
                    continue
                cells.extend(Cell(mode, count, fault, operation, call) for call in calls)
    return cells


def _judge_restore(
    cell: Cell,
    expect: dict[str, Any],
    result: Any,
    error: BaseException | None,
    counters: dict[str, Any],
    listed: Callable[[], list[str]],
) -> list[str]:
    """Rules (a), (b) and (d) of the matrix for a RestoreInstance cell."""
    problems = []
    started, posts = counters["restores_started"], counters["restore_posts"]
    if started != expect["restores"]:
        problems.append(f"started {started} restores, expected {expect['restores']}")
    if "posts" in expect:
        if posts != expect["posts"]:
            problems.append(f"received {posts} RestoreInstance POSTs, expected {expect['posts']}")
    elif not expect["posts_min"] <= posts <= expect["posts_max"]:
        problems.append(
            f"received {posts} RestoreInstance POSTs, expected "
            f"{expect['posts_min']}..{expect['posts_max']}"
        )
    outcome = expect["outcome"]
    if outcome in ("started", "adopted"):
        if error is not None:
            return [*problems, f"expected {outcome}, got {error!r}"]
        assert isinstance(result, dcs.RestoreOutcome)
        if result.adopted != (outcome == "adopted"):
            problems.append(f"expected {outcome}, got adopted={result.adopted}")
        ids = listed()
        if ids != [result.restore_id]:
            problems.append(f"returned {result.restore_id!r}, the instance's restores are {ids}")
    elif outcome == "unresolved":
        if not isinstance(error, dcs.DcsError):
            return [*problems, f"expected unresolved, got {error or result!r}"]
        if error.request_sent != dcs.RequestSent.MAYBE:
            problems.append(f"unresolved with request_sent {error.request_sent.name}")
        if not str(error).startswith("unresolved"):
            problems.append(f"unresolved, yet the message is {str(error)!r}")
    elif outcome == "refused":
        if not isinstance(error, dcs.DcsError):
            return [*problems, f"expected refused, got {error or result!r}"]
        if started and error.request_sent == dcs.RequestSent.NO:
            problems.append("a restore started, yet the error says nothing was sent")
    else:
        problems.append(f"unknown outcome {outcome!r} in restore_expect")
    return problems


def _run_cell(matrix: dict[str, Any], admin: rs.Admin, client: dcs.Client, cell: Cell) -> Outcome:
    fault = cell.fault
    timeout_ms = fault.get("call_timeout_ms", matrix["call_timeout_ms"])
    limit_ms = timeout_ms + matrix["deadline_slack_ms"]
    expect: dict[str, Any] | None = None
    if cell.operation == "RestoreInstance":
        expect = matrix["restore_expect"].get(fault["name"], {}).get(cell.mode)
        if expect is None:
            return Outcome("FAIL", ["no restore_expect for this fault and mode"])

    world = World(admin.create_instance(), "")
    world.backup_id = admin.create_backup(world.instance_id)
    if cell.call == "get_restore":
        world.restore_id = client.restore_instance(world.instance_id, world.backup_id)
    spec = {k: v for k, v in fault.items() if k not in MATRIX_KEYS}
    spec.update(operation=cell.operation, instance_id=world.instance_id)
    if cell.count:
        spec["count"] = cell.count
    fault_id = admin.call("POST", "faults", spec)["id"]

    result: Any = None
    error: BaseException | None = None
    started = time.monotonic()
    try:
        result = CALLS[cell.call](client, world, timeout_ms / 1000)
    except Exception as exc:  # judged below, whatever it is
        error = exc
    elapsed_ms = (time.monotonic() - started) * 1000

    problems = []
    if elapsed_ms > limit_ms:
        problems.append(f"outlived its deadline: {elapsed_ms:.0f} ms > {limit_ms} ms")
    if error is not None and (not isinstance(error, CLEAR_ERRORS) or not str(error)):
        problems.append(f"unclear error: {error!r}")
    fired = {f["id"]: f["fired"] for f in admin.call("GET", "faults")["faults"]}
    if fired.get(fault_id, 0) < 1:
        problems.append("the fault never fired")
    counters = admin.instance(world.instance_id)
    if expect is not None:

        def listed() -> list[str]:
            # The fault hits RestoreInstance only: listing is healthy.
            return [r.restore_id for r in client.list_restores(world.instance_id)]

        problems += _judge_restore(cell, expect, result, error, counters, listed)
    if cell.call == "create_backup":
        backups = counters["backups_started"]
        if backups > 1:
            problems.append(f"started {backups} backups")
        if error is None and backups != 1:
            problems.append("succeeded, yet started no backup")
    if problems:
        return Outcome("FAIL", problems)
    if error is not None:
        return Outcome(type(error).__name__)
    if isinstance(result, dcs.RestoreOutcome):
        return Outcome("ok adopted" if result.adopted else "ok")
    return Outcome("ok")


def _run_timed(
    matrix: dict[str, Any], admin: rs.Admin, cells: list[Cell]
) -> dict[tuple[str, str, str], Outcome]:
    """Cells whose fault has `timings`, one fault at a time, each with its timings in force."""
    outcomes = {}
    with _client(admin.url) as client:
        for cell in cells:
            previous = admin.call("GET", "timings")
            admin.call("PUT", "timings", cell.fault["timings"])
            try:
                outcomes[cell.key] = _run_cell(matrix, admin, client, cell)
            finally:
                admin.call("PUT", "timings", previous)
    return outcomes


def _print_matrix(
    matrix: dict[str, Any], columns: list[str], outcomes: dict[tuple[str, str, str], Outcome]
) -> None:
    width = max(len(f["name"]) for f in matrix["faults"]) + 1
    cell_width = max(len(c) for c in columns) + 1
    for mode in matrix["modes"]:
        print(f"\nPython fault matrix, mode {mode!r}")
        print(f"{'fault':{width}}" + "".join(f" {c:{cell_width}}" for c in columns))
        for fault in matrix["faults"]:
            if mode not in fault.get("modes", matrix["modes"]):
                continue
            labels = [outcomes.get((mode, fault["name"], c), Outcome("-")).label for c in columns]
            print(f"{fault['name']:{width}}" + "".join(f" {x:{cell_width}}" for x in labels))


def test_fault_matrix_every_fault_on_every_operation(
    admin: rs.Admin, timed_admin: rs.Admin
) -> None:
    matrix = rs.fault_matrix()
    columns = [call for calls in matrix["operations"].values() for call in calls]
    assert set(columns) == set(CALLS)
    cells = _cells(matrix)
    timed = [c for c in cells if c.fault.get("timings")]
    plain = [c for c in cells if not c.fault.get("timings")]

    begun = time.monotonic()
    outcomes: dict[tuple[str, str, str], Outcome] = {}
    with (
        concurrent.futures.ThreadPoolExecutor(1, "matrix-timed") as timed_pool,
        concurrent.futures.ThreadPoolExecutor(WORKERS, "matrix") as pool,
        _client(admin.url) as client,
    ):
        timed_run = timed_pool.submit(_run_timed, matrix, timed_admin, timed)
        runs = {cell.key: pool.submit(_run_cell, matrix, admin, client, cell) for cell in plain}
        for key, run in runs.items():
            outcomes[key] = run.result()
        outcomes.update(timed_run.result())
    elapsed = time.monotonic() - begun

    _print_matrix(matrix, columns, outcomes)
    problems = [
        f"{mode} / {fault} / {call}: {problem}"
        for (mode, fault, call), outcome in outcomes.items()
        for problem in outcome.problems
    ]
    for problem in problems:
        print(f"FAIL {problem}")
    restore_cells = sum(1 for c in cells if c.operation == "RestoreInstance")
    print(
        f"\nPython fault matrix: {len(matrix['faults'])} faults x "
        f"{len(matrix['operations'])} operations ({len(columns)} calls) x "
        f"{len(matrix['modes'])} modes, where they apply = {len(cells)} cells "
        f"({restore_cells} RestoreInstance), {len(problems)} failed, {elapsed:.0f} s"
    )
    assert len(outcomes) == len(cells)
    assert problems == []
