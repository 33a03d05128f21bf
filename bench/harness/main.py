"""Runs every measurement in one go and writes docs/bench/REPORT.md, bench.png and
results.json. Started by bench/run.sh after it has installed and built everything.
With --render-only it rewrites the report from an existing results.json instead."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import measure
import measure_cli
import report
from measure_waiter import Waiter
from servers import Nginx

# Sizes: each sized so that one repetition lasts about a second or more (noise small
# next to it) while the whole run stays well under ten minutes on two cores.
FULL = {
    "seq_reps": 7,
    "seq_calls": 10000,
    "cg_small": 200,
    "cg_large": 1200,
    "py_reps": 5,
    "py_calls": {"libdcs": 3000, "official": 600},
    "go_reps": 5,
    "go_calls": {"libdcs": 5000, "official": 5000},
    "tls_reps": 5,
    "tls_calls": {"libdcs": 3000, "new_conn": 500},
    "tls_instances": 500,
    "conc_reps": 7,
    "conc_calls": 1000,
    "conc_levels": [1, 2, 4, 8, 16, 32, 64],
    "sign_reps": 7,
    "sign_calls": 50000,
    "rss_calls": 100000,
    "rss_every": 10000,
    "cli_rounds": 5,
    "cli_runs": 30,
}
QUICK = {
    **FULL,
    "seq_reps": 2,
    "seq_calls": 1000,
    "cg_small": 50,
    "cg_large": 150,
    "py_reps": 1,
    "py_calls": {"libdcs": 300, "official": 100},
    "go_reps": 1,
    "go_calls": {"libdcs": 300, "official": 300},
    "tls_reps": 1,
    "tls_calls": {"libdcs": 300, "new_conn": 50},
    "tls_instances": 100,
    "conc_reps": 1,
    "conc_levels": [1, 8, 64],
    "sign_reps": 2,
    "sign_calls": 5000,
    "rss_calls": 20000,
    "rss_every": 5000,
    "cli_rounds": 2,
    "cli_runs": 5,
}


def sh(cmd: str) -> str:
    try:
        return subprocess.run(
            cmd, shell=True, check=False, capture_output=True, text=True, timeout=30
        ).stdout.strip()
    except subprocess.TimeoutExpired:
        return "?"


def load_average() -> float:
    return os.getloadavg()[0]


def package_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def machine(paths: measure.Paths) -> dict:
    with open("/proc/cpuinfo") as cpuinfo:
        cpu = next(
            (
                line.split(":", 1)[1].strip()
                for line in cpuinfo
                if line.startswith("model name")
            ),
            "?",
        )
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "kernel": platform.release(),
        "libdcs_commit": sh(f"git -C {paths.repo} rev-parse --short HEAD"),
        "libdcs_dirty": bool(
            sh(f"git -C {paths.repo} status --porcelain -- core capi")
        ),
        "versions": {
            "gcc": sh("gcc -dumpfullversion"),
            "libcurl": sh("curl-config --version || pkg-config --modversion libcurl"),
            "curl": sh("curl --version | head -1").split(" (")[0],
            "openssl": sh("openssl version"),
            "nginx": sh("nginx -v 2>&1").split("/")[-1],
            "wrk": sh("wrk -v 2>&1 | head -1").split(" [")[0],
            "valgrind": sh("valgrind --version"),
            "hyperfine": sh("hyperfine --version"),
            "python": platform.python_version(),
            "huaweicloudsdkdcs": package_version("huaweicloudsdkdcs"),
            "huaweicloudsdkcore": package_version("huaweicloudsdkcore"),
            "go": sh("go env GOVERSION"),
            "huaweicloud-sdk-go-v3": sh(
                f"cd {paths.repo}/bench/go && go list -m -f '{{{{.Version}}}}' "
                "github.com/huaweicloud/huaweicloud-sdk-go-v3"
            ),
        },
    }


def measure_all(args: argparse.Namespace, paths: measure.Paths) -> dict:
    size = QUICK if args.quick else FULL
    started = time.monotonic()
    results: dict = {
        "sizes": size,
        "machine": machine(paths),
        "load_before": sh("uptime"),
        "load1_before": load_average(),
    }
    measure.log(f"load: {results['load_before']}")
    args.out.mkdir(parents=True, exist_ok=True)
    # run.py's own JSON and log stay in the build directory; results.json takes its data.
    waiter = (
        Waiter(paths, paths.bench_build / "waiter.json", args.quick)
        if args.waiter
        else None
    )
    nginx = Nginx()
    try:
        results["sequential"] = measure.sequential_c(
            paths, nginx, size["seq_reps"], size["seq_calls"]
        )
        results["callgrind"] = measure.callgrind(
            paths, nginx, size["cg_small"], size["cg_large"]
        )
        if not args.no_python:
            results["python"] = measure.python_bindings(
                paths, nginx, size["py_reps"], size["py_calls"]
            )
        if not args.no_go:
            results["go"] = measure.go_bindings(
                paths, nginx, size["go_reps"], size["go_calls"]
            )
        results["concurrency"] = measure.concurrency(
            paths,
            nginx,
            size["conc_levels"],
            size["conc_reps"],
            size["conc_calls"],
            with_go=not args.no_go,
        )
        results["signing"] = measure.signing(
            paths, size["sign_reps"], size["sign_calls"]
        )
        measure.log("memory: resident set over many calls")
        results["memory"] = measure.memory(
            paths, nginx, size["rss_calls"], size["rss_every"]
        )
        results["size"] = measure.library_size(paths)
        results["cli"] = measure_cli.cli_startup(
            paths, nginx, size["cli_rounds"], size["cli_runs"]
        )
        results["nginx_version"] = nginx.version()
    finally:
        nginx.stop()
    results["https"] = measure.https_emulator(
        paths, size["tls_reps"], size["tls_calls"], size["tls_instances"]
    )
    results["waiter"] = waiter.result() if waiter else None
    results["load_after"] = sh("uptime")
    results["load1_after"] = load_average()
    results["duration_s"] = time.monotonic() - started
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repo", type=Path, required=True)
    parser.add_argument("--bench-build", type=Path, required=True)
    parser.add_argument(
        "--libdcs-build",
        type=Path,
        help="the build of libdcs, dcsctl and the emulator (default BENCH_BUILD/libdcs)",
    )
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--quick", action="store_true", help="tiny sizes, to try the harness"
    )
    parser.add_argument("--no-python", action="store_true")
    parser.add_argument("--no-go", action="store_true")
    parser.add_argument(
        "--no-waiter", dest="waiter", action="store_false", help="skip bench/waiter"
    )
    parser.add_argument(
        "--render-only",
        action="store_true",
        help="rewrite REPORT.md and bench.png from OUT/results.json; measure nothing",
    )
    args = parser.parse_args()
    if args.render_only:
        results = json.loads((args.out / "results.json").read_text())
        quick = bool(results.get("quick", False))
    else:
        paths = measure.Paths(
            args.repo.resolve(),
            args.bench_build.resolve(),
            (args.libdcs_build or args.bench_build / "libdcs").resolve(),
        )
        results = measure_all(args, paths)
        results["quick"] = quick = args.quick
        (args.out / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    report.write(results, args.out, quick=quick)
    print(report.console_table(results))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
