"""How late a restore wait notices the end, and how many requests it costs.

    python3 bench/waiter/run.py --build DIR --emulator PATH --out FILE.json [--quick]
                                [--offset-ms N]

Starts its own dcs-emulator on loopback (--demo --state-only, so that a restore lasts
exactly as long as it is told), and runs restores of 10 s, 60 s and 180 s (--quick: 2, 4
and 6 s) all at once, each on its own instance whose restore durations are set through the
admin API (restore_timings: a waiting phase of 2 s, 0.5 s with --quick, then restoring). Each
length is restored twice, side by side: once waited for by libdcs (dcs_wait_for_restore
with the library's defaults) and once by a fixed 10 s poller, the official Terraform
provider's way (the first look 10 s after the restore call, then every 10 s, each a full
listing). Both go through the C ABI of the libdcs in --build: waiter.c, compiled here
against it. Requests are counted by the emulator (its request log), never by the client.

Restores of exactly 10, 60 and 180 s end on the fixed poller's grid (it looks 10 k seconds
after the restore call), so it sees each end within milliseconds, with the fewest possible
requests: its best case. A real restore ends anywhere between two of its looks (on average
5 s before the next). So, in the same run and at no cost in wall time (they end before the
180 s one), restores of 10.5 s and 60.5 s (--quick: 2.5 s) are followed the same two ways:
just off the grid, the fixed poller's worst case, one more look and almost 10 s late. Their
rows carry "off_grid": true and are not targets. --offset-ms N lengthens every restore
(nominal and off-grid) by N ms.

The JSON written to --out:

    {
      "restores": [                      # one per (duration, mode)
        {"duration_s": 10,               # the nominal length (without --offset-ms):
                                         # 10, 60, 180, or off the grid 10.5, 60.5
         "off_grid": false,              # true for the 10.5 and 60.5 s restores
         "duration_ms": 10000,           # created_at -> succeed as set in the emulator
         "mode": "libdcs" | "fixed10",
         "delay_ms": 412,                # returned_at - updated_at
         "requests": 2,                  # ListRestoreRecords + ShowInstance the emulator
                                         # received for the instance after the restore call
         "updated_at": 1764270000123,    # the record's updated_at (its succeed time), epoch
                                         # ms by the emulator's clock (this machine's)
         "returned_at": 1764270000535,   # when the wait returned, epoch ms, same clock
         "restore_id": "...", "instance_id": "...", "client_polls": 2},
        ...
      ],
      "targets": {
        "delay": "delay_ms <= max(1000, 5% of the duration)",
        "requests": "libdcs requests <= the fixed 10 s poller's for the same duration",
        "per_duration": [
          {"duration_s": 10, "duration_ms": 10000, "delay_target_ms": 1000, "libdcs_delay_ms": 412,
           "fixed10_delay_ms": 9987, "libdcs_requests": 2, "fixed10_requests": 2,
           "delay_met": true, "requests_met": true}, ...
        ],
        "met": true                      # every delay_met and requests_met
      },                                 # (the nominal durations only)
      "off_grid": [                      # the same comparison off the grid, not judged
        {"duration_s": 10.5, "duration_ms": 10500, "libdcs_delay_ms": 700,
         "fixed10_delay_ms": 9500, "libdcs_requests": 2, "fixed10_requests": 2}, ...
      ],
      "meta": {"quick": false, "waiting_ms": 2000, "offset_ms": 0,
               "off_grid_durations_s": [10.5, 60.5], "emulator": "...",
               "build": "...",
               "load_before": [1.2, 0.9, 0.7], "load_after": [...], "started_at": "..."}
    }

The run takes as long as the longest restore plus up to 10 s (about 3 minutes in full).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
FULL_DURATIONS_S = (10, 60, 180)
QUICK_DURATIONS_S = (2, 4, 6)
# Just past a look of the fixed poller (its worst case), measured beside the nominal
# lengths: each ends before the longest of those, so the run takes no longer.
FULL_OFF_GRID_S = (10.5, 60.5)
QUICK_OFF_GRID_S = (2.5,)
MODES = ("libdcs", "fixed10")
# The emulator's demo credentials (emulator/internal/state/seed.go).
DEMO_AK = "DEMOACCESSKEY0000001"
DEMO_SK = "demo-secret-key-0123456789abcdefghijklmnop"
DEMO_PROJECT = "0123456789abcdef0123456789abcdef"
COUNTED_OPERATIONS = ("ListRestoreRecords", "ShowInstance")


@dataclass
class Restore:
    duration_s: float
    off_grid: bool
    duration_ms: int
    mode: str
    instance_id: str
    backup_id: str


def build_waiter(build: Path, workdir: Path) -> Path:
    """Compiles waiter.c against the libdcs.so of the build tree."""
    libs = sorted(glob.glob(str(build / "**" / "libdcs.so"), recursive=True))
    if not libs:
        sys.exit(f"run.py: no libdcs.so under {build}: build the dcs target first")
    libdir = Path(libs[0]).parent
    compiler = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if compiler is None:
        sys.exit("run.py: no C compiler (cc, gcc or clang) on PATH")
    exe = workdir / "waiter"
    subprocess.run(
        [
            compiler,
            "-std=c11",
            "-O2",
            "-Wall",
            "-Wextra",
            "-Werror",
            f"-I{REPO / 'capi' / 'include'}",
            str(Path(__file__).with_name("waiter.c")),
            "-o",
            str(exe),
            f"-L{libdir}",
            "-ldcs",
            f"-Wl,-rpath,{libdir}",
        ],
        check=True,
    )
    return exe


class Emulator:
    """A dcs-emulator of our own on a loopback port, stopped on exit."""

    def __init__(self, path: Path, log_path: Path) -> None:
        # Open for the emulator's whole life: closed in stop().
        self._log = open(log_path, "w+", encoding="utf-8")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [str(path), "--listen", "127.0.0.1:0", "--demo", "--state-only"],
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.url = self._wait_for_url(log_path)

    def _wait_for_url(self, log_path: Path) -> str:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            found = re.search(
                r"listening on (http://127\.0\.0\.1:\d+)", log_path.read_text()
            )
            if found:
                return found.group(1)
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        sys.exit(
            f"run.py: the emulator did not start; its log:\n{log_path.read_text()}"
        )

    def admin(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.url + "/_emulator/" + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as reply:
            return json.loads(reply.read() or b"null")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


def arrange(
    emulator: Emulator,
    durations: list[tuple[float, bool]],
    waiting_ms: int,
    offset_ms: int,
) -> list[Restore]:
    """One instance with a restorable backup per (duration, mode), timed as asked;
    durations are (seconds, off the grid)."""
    restores = []
    for duration, off_grid in durations:
        length_ms = round(duration * 1000) + offset_ms
        for mode in MODES:
            instance = emulator.admin("POST", "instances", {})["instance_id"]
            backup = emulator.admin("POST", f"instances/{instance}/backups", {})[
                "backup_id"
            ]
            emulator.admin(
                "PUT",
                f"instances/{instance}/restore_timings",
                {
                    "restore_waiting_ms": waiting_ms,
                    "restore_running_ms": length_ms - waiting_ms,
                },
            )
            restores.append(
                Restore(duration, off_grid, length_ms, mode, instance, backup)
            )
    return restores


def run_one(waiter: Path, env: dict[str, str], restore: Restore) -> dict[str, Any]:
    done = subprocess.run(
        [str(waiter), restore.mode, restore.instance_id, restore.backup_id],
        env=env,
        capture_output=True,
        text=True,
        timeout=restore.duration_ms / 1000 + 120,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"{restore.mode} {restore.duration_s} s: {done.stderr.strip()}"
        )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def count_requests(log: list[dict[str, Any]], instance_id: str) -> int:
    """Polls as the emulator saw them: listings and instance reads of that instance."""
    return sum(
        1
        for entry in log
        if entry.get("operation") in COUNTED_OPERATIONS
        and instance_id in entry.get("path", "")
    )


def delay_target_ms(duration_ms: int) -> int:
    return max(1000, duration_ms // 20)


def by_mode(
    rows: list[dict[str, Any]], duration: float, off_grid: bool
) -> dict[str, dict[str, Any]]:
    return {
        row["mode"]: row
        for row in rows
        if row["duration_s"] == duration and row["off_grid"] == off_grid
    }


def verdicts(rows: list[dict[str, Any]], durations: tuple[int, ...]) -> dict[str, Any]:
    """The targets, judged on the nominal durations only."""
    per_duration = []
    for duration in durations:
        modes = by_mode(rows, duration, off_grid=False)
        ours, fixed = modes["libdcs"], modes["fixed10"]
        target = delay_target_ms(ours["duration_ms"])
        per_duration.append(
            {
                "duration_s": duration,
                "duration_ms": ours["duration_ms"],
                "delay_target_ms": target,
                "libdcs_delay_ms": ours["delay_ms"],
                "fixed10_delay_ms": fixed["delay_ms"],
                "libdcs_requests": ours["requests"],
                "fixed10_requests": fixed["requests"],
                "delay_met": 0 <= ours["delay_ms"] <= target,
                "requests_met": ours["requests"] <= fixed["requests"],
            }
        )
    return {
        "delay": "delay_ms <= max(1000, 5% of the duration)",
        "requests": "libdcs requests <= the fixed 10 s poller's for the same duration",
        "per_duration": per_duration,
        "met": all(d["delay_met"] and d["requests_met"] for d in per_duration),
    }


def off_grid_summary(
    rows: list[dict[str, Any]], durations: tuple[float, ...]
) -> list[dict[str, Any]]:
    """The off-grid restores side by side, measured but not judged."""
    out = []
    for duration in durations:
        modes = by_mode(rows, duration, off_grid=True)
        ours, fixed = modes["libdcs"], modes["fixed10"]
        out.append(
            {
                "duration_s": duration,
                "duration_ms": ours["duration_ms"],
                "libdcs_delay_ms": ours["delay_ms"],
                "fixed10_delay_ms": fixed["delay_ms"],
                "libdcs_requests": ours["requests"],
                "fixed10_requests": fixed["requests"],
            }
        )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--build", required=True, type=Path, help="the libdcs build tree"
    )
    parser.add_argument(
        "--emulator", required=True, type=Path, help="the dcs-emulator binary"
    )
    parser.add_argument("--out", required=True, type=Path, help="where the JSON goes")
    parser.add_argument(
        "--quick", action="store_true", help="2, 4 and 6 s restores (off-grid: 2.5 s)"
    )
    parser.add_argument(
        "--offset-ms",
        type=int,
        default=0,
        help="lengthen every restore by this (off the grid)",
    )
    args = parser.parse_args()
    if args.offset_ms < 0:
        parser.error("--offset-ms must not be negative")
    durations = QUICK_DURATIONS_S if args.quick else FULL_DURATIONS_S
    off_grid = QUICK_OFF_GRID_S if args.quick else FULL_OFF_GRID_S
    waiting_ms = 500 if args.quick else 2000
    load_before = list(os.getloadavg())
    started_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())

    with tempfile.TemporaryDirectory(prefix="dcs-waiter-bench-") as tmp:
        workdir = Path(tmp)
        waiter = build_waiter(args.build.resolve(), workdir)
        emulator = Emulator(args.emulator.resolve(), workdir / "emulator.log")
        try:
            restores = arrange(
                emulator,
                [(d, False) for d in durations] + [(d, True) for d in off_grid],
                waiting_ms,
                args.offset_ms,
            )
            emulator.admin("DELETE", "requests")
            env = dict(os.environ)
            env.update(
                {
                    "HUAWEICLOUD_SDK_AK": DEMO_AK,
                    "HUAWEICLOUD_SDK_SK": DEMO_SK,
                    "HUAWEICLOUD_SDK_PROJECT_ID": DEMO_PROJECT,
                    "DCS_ENDPOINT": emulator.url,
                }
            )
            print(
                f"run.py: {len(restores)} restores of {', '.join(map(str, durations))} s "
                f"(off the grid: {', '.join(map(str, off_grid))} s) at once, libdcs and "
                "a fixed 10 s poller...",
                file=sys.stderr,
            )
            with concurrent.futures.ThreadPoolExecutor(len(restores)) as pool:
                results = list(pool.map(lambda r: run_one(waiter, env, r), restores))
            log = emulator.admin("GET", "requests")["requests"]
        finally:
            emulator.stop()

    rows = []
    for restore, result in zip(restores, results):
        if result["status"] != "succeed":
            raise RuntimeError(f"{restore}: ended {result['status']}")
        rows.append(
            {
                "duration_s": restore.duration_s,
                "off_grid": restore.off_grid,
                "duration_ms": restore.duration_ms,
                "mode": restore.mode,
                "delay_ms": result["returned_at_ms"] - result["updated_at_ms"],
                "requests": count_requests(log, restore.instance_id),
                "updated_at": result["updated_at_ms"],
                "returned_at": result["returned_at_ms"],
                "restore_id": result["restore_id"],
                "instance_id": restore.instance_id,
                "client_polls": result["polls"],
            }
        )
    report: dict[str, Any] = {
        "restores": rows,
        "targets": verdicts(rows, durations),
        "off_grid": off_grid_summary(rows, off_grid),
        "meta": {
            "quick": args.quick,
            "waiting_ms": waiting_ms,
            "offset_ms": args.offset_ms,
            "off_grid_durations_s": list(off_grid),
            "emulator": str(args.emulator),
            "build": str(args.build),
            "load_before": load_before,
            "load_after": list(os.getloadavg()),
            "started_at": started_at,
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    for row in rows:
        print(
            f"{row['duration_s']:>5} s {row['mode']:<8} delay {row['delay_ms']:>6} ms, "
            f"{row['requests']:>3} requests",
            file=sys.stderr,
        )
    print(
        f"run.py: targets {'met' if report['targets']['met'] else 'MISSED'}; {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
