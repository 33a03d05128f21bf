"""The waiter benchmark (bench/waiter/run.py): restores of fixed durations on the emulator,
followed by libdcs's waiter and by a poller asking every 10 s; for each, how long after the
restore ended the waiter noticed (delay) and how many requests it sent. Beside the nominal
durations, on the poller's grid, it measures a few just off it (10.5 s, 60.5 s). It mostly
sleeps through those restores, so it runs in the background beside the other measurements;
its CPU time is recorded to show what it took from them."""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from measure import Paths, log


class Waiter:
    def __init__(self, paths: Paths, out: Path, quick: bool) -> None:
        self.script = paths.repo / "bench" / "waiter" / "run.py"
        self.out = out
        self.proc: subprocess.Popen[bytes] | None = None
        self.started = time.monotonic()
        if not self.script.exists():
            log("bench/waiter/run.py not present: the waiter is not measured")
            return
        cmd = [
            sys.executable,
            str(self.script),
            "--build",
            str(paths.build),
            "--emulator",
            str(paths.emulator),
            "--out",
            str(out),
        ]
        if quick:
            cmd.append("--quick")
        log("waiter benchmark started in the background (" + " ".join(cmd[2:]) + ")")
        self.log_file = out.with_suffix(".log")
        with open(self.log_file, "wb") as log_out:
            self.proc = subprocess.Popen(
                cmd, stdout=log_out, stderr=subprocess.STDOUT, env=paths.env()
            )

    def result(self, timeout: float = 900) -> dict | None:
        """Waits for run.py; its restores grouped by duration and mode."""
        if self.proc is None:
            return None
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        log("waiting for the waiter benchmark to finish")
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise RuntimeError(
                f"bench/waiter/run.py took over {timeout:.0f} s"
            ) from None
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if code != 0:
            tail = self.log_file.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"bench/waiter/run.py failed ({code}): {tail}")
        data = json.loads(self.out.read_text())
        restores = data["restores"]
        return {
            "raw": data,
            # The nominal durations (10, 60, 180 s), on the fixed poller's grid: the
            # targets. The off-grid ones (10.5, 60.5 s) apart, so that they never become
            # targets (report_targets.waiter_rows iterates by_duration).
            "by_duration": group([r for r in restores if not r.get("off_grid")]),
            "off_grid": group([r for r in restores if r.get("off_grid")]),
            # RUSAGE_CHILDREN grows when a child is reaped: across this wait it grows by
            # run.py's CPU time, with that of the children it reaped (its emulator).
            "cpu_s": (after.ru_utime + after.ru_stime)
            - (before.ru_utime + before.ru_stime),
            "wall_s": time.monotonic() - self.started,
        }


def group(restores: list[dict]) -> dict[str, dict[str, dict]]:
    """{duration: {mode: {"delay_ms": [...], "requests": [...]}}} with medians."""
    out: dict[str, dict[str, dict]] = {}
    for r in restores:
        slot = out.setdefault(str(r["duration_s"]), {}).setdefault(
            r["mode"], {"delay_ms": [], "requests": [], "client_polls": []}
        )
        slot["delay_ms"].append(float(r["delay_ms"]))
        slot["requests"].append(int(r["requests"]))
        if "client_polls" in r:  # the waiter's own count: how it spent its requests
            slot["client_polls"].append(int(r["client_polls"]))
    for modes in out.values():
        for slot in modes.values():
            slot["median_delay_ms"] = statistics.median(slot["delay_ms"])
            slot["median_requests"] = statistics.median(slot["requests"])
    return dict(sorted(out.items(), key=lambda kv: float(kv[0])))
