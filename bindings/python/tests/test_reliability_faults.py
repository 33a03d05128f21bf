"""The cross-layer fault matrix, Python column: every fault of
tests/reliability/fault_matrix.json on every operation, once and always. Each call ends with a
success or a clear DcsError within its deadline plus slack; a restore never starts twice and a
backup call starts at most one backup. Prints the matrix (run with -s to see it).

The matrix has an emulator of its own in state-only mode, so that each cell's fresh instance
needs no redis-server."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
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


@dataclass
class World:
    instance_id: str
    backup_id: str
    restore_id: str = ""


CALLS: dict[str, Callable[[dcs.Client, World, float], Any]] = {
    "restore_instance": lambda c, w, t: c.restore_instance(
        w.instance_id, w.backup_id, "matrix", timeout=t
    ),
    "list_restores": lambda c, w, t: c.list_restores(w.instance_id, timeout=t),
    "get_restore": lambda c, w, t: c.get_restore(w.instance_id, w.restore_id, timeout=t),
    "list_backups": lambda c, w, t: c.list_backups(w.instance_id, timeout=t),
    "show_instance": lambda c, w, t: c.show_instance(w.instance_id, timeout=t),
    "create_backup": lambda c, w, t: c.create_backup(w.instance_id, "matrix", timeout=t),
    "delete_backup": lambda c, w, t: c.delete_backup(w.instance_id, w.backup_id, timeout=t),
}


@pytest.fixture(scope="module")
def admin() -> Iterator[rs.Admin]:
    with rs.running_emulator("--state-only") as url:
        yield rs.Admin(url)


def _judge(
    call: str,
    error: BaseException | None,
    elapsed_ms: float,
    counters: dict[str, int],
    limit_ms: int,
) -> str:
    if elapsed_ms > limit_ms:
        return f"outlived its deadline: {elapsed_ms:.0f} ms"
    if error is not None and (not isinstance(error, CLEAR_ERRORS) or not str(error)):
        return f"unclear error: {error!r}"
    if call == "restore_instance":
        started = counters["restores_started"]
        if started > 1:
            return f"started {started} restores"
        if error is None and started != 1:
            return "succeeded, yet started no restore"
        if (
            isinstance(error, dcs.DcsError)
            and started == 1
            and error.request_sent == dcs.RequestSent.NO
        ):
            return "a restore started, yet the error says nothing was sent"
    if call == "create_backup":
        started = counters["backups_started"]
        if started > 1:
            return f"started {started} backups"
        if error is None and started != 1:
            return "succeeded, yet started no backup"
    return ""


def _label(error: BaseException | None, problem: str) -> str:
    if problem:
        return "FAIL"
    return "ok" if error is None else type(error).__name__


def test_fault_matrix_every_fault_on_every_operation(admin: rs.Admin) -> None:
    matrix = rs.fault_matrix()
    timeout_s = matrix["call_timeout_ms"] / 1000
    limit_ms = matrix["call_timeout_ms"] + matrix["deadline_slack_ms"]
    columns = [(op, call) for op, calls in matrix["operations"].items() for call in calls]
    assert {call for _, call in columns} == set(CALLS)
    problems: list[str] = []
    cells = 0
    with dcs.Client(
        endpoint=admin.url, ak=rs.DEMO_AK, sk=rs.DEMO_SK, project_id=rs.DEMO_PROJECT
    ) as client:
        for mode, count in matrix["modes"].items():
            print(f"\nPython fault matrix, mode {mode!r}")
            print(f"{'fault':22}" + "".join(f" {call:18}" for _, call in columns))
            for fault in matrix["faults"]:
                row = f"{fault['name']:22}"
                spec = {k: v for k, v in fault.items() if k != "name"}
                for operation, call in columns:
                    world = World(admin.create_instance(), "")
                    world.backup_id = admin.create_backup(world.instance_id)
                    if call == "get_restore":
                        world.restore_id = client.restore_instance(
                            world.instance_id, world.backup_id
                        )
                    if count:
                        admin.fault(operation=operation, count=count, **spec)
                    else:
                        admin.fault(operation=operation, **spec)
                    error: BaseException | None = None
                    started = time.monotonic()
                    try:
                        CALLS[call](client, world, timeout_s)
                    except Exception as exc:  # judged below, whatever it is
                        error = exc
                    elapsed_ms = (time.monotonic() - started) * 1000
                    admin.clear_faults()
                    problem = _judge(
                        call, error, elapsed_ms, admin.instance(world.instance_id), limit_ms
                    )
                    cells += 1
                    if problem:
                        problems.append(f"{mode} / {fault['name']} / {call}: {problem}")
                    row += f" {_label(error, problem):18}"
                print(row, flush=True)
    print(
        f"\nPython fault matrix: {len(matrix['faults'])} faults x "
        f"{len(matrix['operations'])} operations ({len(columns)} calls) x "
        f"{len(matrix['modes'])} modes = {cells} cells, {len(problems)} failed"
    )
    assert problems == []
