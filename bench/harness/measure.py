"""Each measurement of the report: it runs the programs, repeats them, and returns plain
dicts (calls per second per repetition, medians, spreads) for report.py."""

from __future__ import annotations

import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from callgrind_profile import Profile, per_call_difference
from cli_requests import record
from servers import Emulator, Nginx

AK = "DEMOACCESSKEY0000001"
SK = "demo-secret-key-0123456789abcdefghijklmnop"
PROJECT = "0123456789abcdef0123456789abcdef"
INSTANCE = "6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b"
BACKUP = "9f8e7d6c-5b4a-4392-8170-6e5d4c3b2a19"


class Paths:
    """Where everything is: libdcs, dcsctl and the emulator come from the bench's own
    build of the library (bench/run.sh builds it under the bench build directory, so that
    it never races another build of the working tree)."""

    def __init__(self, repo: Path, bench_build: Path, libdcs_build: Path) -> None:
        self.repo = repo
        self.build = libdcs_build
        self.bench_build = bench_build
        self.libdcs = self.build / "capi" / "libdcs.so.1"
        self.emulator = Path(
            os.environ.get("DCS_EMULATOR", self.build / "dcs-emulator")
        )
        self.dcsctl = self.build / "cli" / "dcsctl"
        self.python_binding = repo / "bindings" / "python" / "src"
        self.wrk_script = repo / "bench" / "wrk" / "restore.lua"

    def prog(self, name: str) -> str:
        return str(self.bench_build / name)

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["LD_LIBRARY_PATH"] = str(self.libdcs.parent)
        env["DCS_LIBRARY"] = str(self.libdcs)
        env["PYTHONPATH"] = str(self.python_binding)
        for name in (
            "HUAWEICLOUD_SDK_AK",
            "HUAWEICLOUD_SDK_SK",
            "DCS_ENDPOINT",
            "DCS_REGION",
        ):
            env.pop(name, None)
        return env


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def json_lines(cmd: list[str], env: dict[str, str], timeout: float = 300) -> list[dict]:
    proc = subprocess.run(
        cmd, check=False, capture_output=True, text=True, env=env, timeout=timeout
    )
    if proc.returncode != 0:
        raise RuntimeError(
            f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr[-2000:]}"
        )
    return [
        json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")
    ]


def summary(values: list[float]) -> dict:
    """Median and spread of repeated measurements; the spread is (max-min)/median."""
    median = statistics.median(values)
    return {
        "runs": values,
        "median": median,
        "min": min(values),
        "max": max(values),
        "spread_pct": 100.0 * (max(values) - min(values)) / median if median else 0.0,
    }


def rate(run: dict) -> float:
    return run["calls"] / run["seconds"]


def wrk(
    paths: Paths, nginx: Nginx, connections: int, threads: int, seconds: int
) -> dict:
    """One wrk run: requests/s, and CPU per request of wrk and of nginx."""
    before_wrk = resource.getrusage(resource.RUSAGE_CHILDREN)
    before_nginx = nginx.cpu_seconds()
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "-s",
            str(paths.wrk_script),
            nginx.url,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 30,
    ).stdout
    after_wrk = resource.getrusage(resource.RUSAGE_CHILDREN)
    nginx_cpu = nginx.cpu_seconds() - before_nginx
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"wrk saw {errors.group(1)} non-2xx answers")
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    wrk_cpu = (after_wrk.ru_utime + after_wrk.ru_stime) - (
        before_wrk.ru_utime + before_wrk.ru_stime
    )
    return {
        "rate": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "client_cpu_us": 1e6 * wrk_cpu / requests,
        "server_cpu_us": 1e6 * nginx_cpu / requests,
    }


def cpu_us(run: dict) -> float:
    return 1e6 * run["cpu_seconds"] / run["calls"]


def switches_per_call(run: dict) -> float:
    """The process's context switches (all threads, voluntary and not) per call."""
    return run.get("context_switches", 0) / run["calls"]


# --------------------------------------------------------------------------------------------
# 1 + 2: the floor and libdcs through the C ABI, sequential on one kept-alive connection.
# --------------------------------------------------------------------------------------------


def libdcs_headers(paths: Paths, nginx: Nginx) -> tuple[Path, list[str]]:
    """The header lines libdcs sends for a restore, recorded from libdcs_seq, as a file for
    the floor programs' -H: the same request bytes through bare libcurl. Host names nginx
    (libdcs signs the host it sends to; nginx checks no signature, and the recorded
    signature has the same length as any other); Content-Length is libcurl's to add, as for
    libdcs; "Expect:" is the empty header libdcs also passes."""
    recorded, _ = record(
        [paths.prog("libdcs_seq"), "-u", "{url}", "-n", "1", "-w", "0"], paths.env()
    )
    lines = []
    for name, value in recorded[0].headers:
        if name.lower() == "content-length":
            continue
        if name.lower() == "host":
            value = nginx.url.split("//", 1)[1]
        lines.append(f"{name}: {value}")
    lines.append("Expect:")
    path = paths.bench_build / "libdcs-headers.txt"
    path.write_text("".join(line + "\n" for line in lines))
    return path, lines


def sequential_c(paths: Paths, nginx: Nginx, reps: int, calls: int) -> dict:
    """The two floors and libdcs alternate, one fresh process per repetition each, so drift
    in the machine's load hits them alike; wrk -c1 runs between them. The floors: bare
    libcurl sending the minimal POST ("curl"), and sending the very header lines libdcs
    sends ("curl_same", -H): the targets compare libdcs with the second, so that the ratio
    is what libdcs adds to putting the same bytes on the wire, not the cost of the bytes."""
    env = paths.env()
    headers, lines = libdcs_headers(paths, nginx)
    keys = ("curl", "curl_same", "libdcs")
    rates: dict[str, list[float]] = {k: [] for k in keys}
    cpu: dict[str, list[float]] = {k: [] for k in keys}
    wrk1 = []
    for rep in range(reps):
        log(f"sequential C: repetition {rep + 1}/{reps}")
        args = ["-u", nginx.url, "-n", str(calls), "-w", "200"]
        for key, cmd in (
            ("curl", [paths.prog("curl_floor")]),
            ("curl_same", [paths.prog("curl_floor"), "-H", str(headers)]),
            ("libdcs", [paths.prog("libdcs_seq")]),
        ):
            run = json_lines([*cmd, *args], env)[0]
            rates[key].append(rate(run))
            cpu[key].append(cpu_us(run))
        if rep < 3:
            wrk1.append(wrk(paths, nginx, 1, 1, 2)["rate"])
    return {
        "calls": calls,
        "headers": lines,
        **{k: summary(rates[k]) for k in keys},
        "cpu_us_per_call": {k: summary(v) for k, v in cpu.items()},
        "wrk_c1": summary(wrk1),
    }


def callgrind(paths: Paths, nginx: Nginx, small: int, large: int) -> dict:
    """Instructions per call: two runs of N calls each (after the same warm-up), the
    difference divided by the difference in N, so start-up and warm-up cancel out."""
    env = paths.env()
    result = {"n_small": small, "n_large": large}
    headers, _ = libdcs_headers(paths, nginx)
    sides = {
        "curl_floor": [paths.prog("curl_floor")],
        "curl_floor_same": [paths.prog("curl_floor"), "-H", str(headers)],
        "libdcs_seq": [paths.prog("libdcs_seq")],
    }
    with tempfile.TemporaryDirectory(prefix="dcs-bench-cg-") as tmp:
        for prog, cmd in sides.items():
            profiles = {}
            for n in (small, large):
                log(f"callgrind: {prog} with {n} calls")
                out = Path(tmp) / f"{prog}.{n}.out"
                subprocess.run(
                    [
                        "valgrind",
                        "--tool=callgrind",
                        f"--callgrind-out-file={out}",
                        *cmd,
                        "-u",
                        nginx.url,
                        "-n",
                        str(n),
                        "-w",
                        "20",
                    ],
                    env=env,
                    check=True,
                    capture_output=True,
                    timeout=600,
                )
                profiles[n] = Profile(out)
            result[prog] = per_call_difference(
                profiles[small], profiles[large], large - small
            )
    # Whether valgrind's CPU offers the SHA extensions the native CPU has (1/0).
    result["sha_extensions"] = {
        "native": subprocess.run(
            [paths.prog("cpu_sha")], check=False, capture_output=True, text=True
        ).stdout.strip(),
        "valgrind": subprocess.run(
            ["valgrind", "-q", paths.prog("cpu_sha")],
            check=False,
            capture_output=True,
            text=True,
        ).stdout.strip(),
    }
    return result


# --------------------------------------------------------------------------------------------
# 3 + 4: the bindings against the official SDKs.
# --------------------------------------------------------------------------------------------


def python_bindings(
    paths: Paths, nginx: Nginx, reps: int, calls: dict[str, int]
) -> dict:
    env = paths.env()
    script = str(paths.repo / "bench" / "python" / "restore_loop.py")
    rates: dict[str, list[float]] = {"libdcs": [], "official": []}
    cpu: dict[str, list[float]] = {"libdcs": [], "official": []}
    c_cpu: list[float] = []
    for rep in range(reps):
        log(f"python: repetition {rep + 1}/{reps}")
        for client in ("libdcs", "official"):
            run = json_lines(
                [
                    sys.executable,
                    script,
                    client,
                    "--url",
                    nginx.url,
                    "--calls",
                    str(calls[client]),
                ],
                env,
            )[0]
            rates[client].append(rate(run))
            cpu[client].append(1e6 * run["cpu_seconds"] / run["calls"])
        # The C library making the same calls from C, in the same repetition: what the
        # binding's CPU per call is compared with.
        run = json_lines(
            [
                paths.prog("libdcs_seq"),
                "-u",
                nginx.url,
                "-n",
                str(calls["libdcs"]),
                "-w",
                "100",
            ],
            env,
        )[0]
        c_cpu.append(cpu_us(run))
    # Where the Python time goes: one cProfile run per client, outside the timed runs.
    profiles = {
        client: json_lines(
            [
                sys.executable,
                script,
                client,
                "--url",
                nginx.url,
                "--calls",
                "300",
                "--profile",
            ],
            env,
        )[0]["profile"]
        for client in ("libdcs", "official")
    }
    return {
        "calls": calls,
        "profiles": profiles,
        "c_library": {"cpu_us_per_call": summary(c_cpu)},
        **{
            c: {"rate": summary(rates[c]), "cpu_us_per_call": summary(cpu[c])}
            for c in rates
        },
    }


def go_bindings(paths: Paths, nginx: Nginx, reps: int, calls: dict[str, int]) -> dict:
    env = paths.env()
    rates: dict[str, list[float]] = {"libdcs": [], "official": []}
    cpu: dict[str, list[float]] = {"libdcs": [], "official": []}
    for rep in range(reps):
        log(f"go: repetition {rep + 1}/{reps}")
        for client in ("libdcs", "official"):
            run = json_lines(
                [
                    paths.prog("restorebench"),
                    "-client",
                    client,
                    "-url",
                    nginx.url,
                    "-calls",
                    str(calls[client]),
                ],
                env,
            )[0]
            rates[client].append(rate(run))
            cpu[client].append(1e6 * run["cpu_seconds"] / run["calls"])
    return {
        "calls": calls,
        "profile": _go_profile(paths, nginx, env),
        **{
            c: {"rate": summary(rates[c]), "cpu_us_per_call": summary(cpu[c])}
            for c in rates
        },
    }


def _go_profile(paths: Paths, nginx: Nginx, env: dict[str, str]) -> list[dict]:
    """Where the Go binding's CPU goes: pprof's top functions by own time over 3000 calls
    (runtime.cgocall's own time is the C library's work)."""
    with tempfile.TemporaryDirectory() as tmp:
        prof = Path(tmp) / "cpu.prof"
        json_lines(
            [
                paths.prog("restorebench"),
                "-client",
                "libdcs",
                "-url",
                nginx.url,
                "-calls",
                "3000",
                "-cpuprofile",
                str(prof),
            ],
            env,
        )
        text = subprocess.run(
            [
                "go",
                "tool",
                "pprof",
                "-top",
                "-nodecount=8",
                paths.prog("restorebench"),
                str(prof),
            ],
            check=False,
            capture_output=True,
            text=True,
            env=env,
        ).stdout
    rows = []
    for line in text.splitlines():
        m = re.match(
            r"\s*([\d.]+)(m?s)\s+([\d.]+)%\s+[\d.]+%\s+[\d.]+m?s\s+[\d.]+%\s+(\S+)",
            line,
        )
        if m:
            rows.append({"function": m.group(4), "own_pct": float(m.group(3))})
    return rows


# --------------------------------------------------------------------------------------------
# 5: HTTPS against the emulator, keep-alive vs a new TLS connection per call.
# --------------------------------------------------------------------------------------------


def https_emulator(
    paths: Paths, reps: int, calls: dict[str, int], instances: int
) -> dict:
    """Restores spread round robin over many fresh instances whose restores finish in
    about 2 ms, so no restore ever overlaps a running one on the same instance (the
    emulator refuses that with DCS.4097, which would add retries to the timings). The
    emulator runs --state-only: with hundreds of instances, hundreds of redis-servers
    would compete for the two cores; the HTTP path measured is the same."""
    env = paths.env()
    emulator = Emulator(paths.emulator, tls=True, state_only=True)
    try:
        emulator.admin(
            "PUT",
            "/_emulator/timings",
            {"restore_waiting_ms": 1, "restore_running_ms": 1},
        )
        overlap = _overlap_probe(paths, emulator, env)
        targets = emulator.make_targets(instances, emulator.dir / "targets.txt")
        before = emulator.admin("GET", "/_emulator/stats")
        rates: dict[str, list[float]] = {"libdcs": [], "new_conn": []}
        for rep in range(reps):
            log(f"https emulator: repetition {rep + 1}/{reps}")
            common = [
                "-u",
                emulator.url,
                "-c",
                emulator.ca_file,
                "-i",
                str(targets),
                "-w",
                "20",
            ]
            rates["libdcs"].append(
                rate(
                    json_lines(
                        [paths.prog("libdcs_seq"), *common, "-n", str(calls["libdcs"])],
                        env,
                    )[0]
                )
            )
            rates["new_conn"].append(
                rate(
                    json_lines(
                        [
                            paths.prog("new_conn_per_call"),
                            *common,
                            "-n",
                            str(calls["new_conn"]),
                        ],
                        env,
                    )[0]
                )
            )
        after = emulator.admin("GET", "/_emulator/stats")
    finally:
        emulator.stop()
    sent = reps * (calls["libdcs"] + calls["new_conn"] + 40)
    requests = after["requests"] - before["requests"]
    started = after["restores_started"] - before["restores_started"]
    if requests != sent or started != sent:
        raise RuntimeError(
            f"emulator saw {requests} requests and {started} restores, not {sent}: "
            "some calls were retried (overlap?)"
        )
    return {
        "calls": calls,
        "instances": instances,
        "requests_checked": sent,
        "overlap": overlap,
        "connections_accepted": after["connections_accepted"]
        - before["connections_accepted"],
        "libdcs": summary(rates["libdcs"]),
        "new_conn": summary(rates["new_conn"]),
    }


def _overlap_probe(paths: Paths, emulator: Emulator, env: dict[str, str]) -> dict:
    """What overlapping restores do: three back-to-back restores of the demo instance
    (a restore runs for ~2 ms here, longer than the gap between calls)."""
    emulator.admin("DELETE", "/_emulator/requests")
    before = emulator.admin("GET", "/_emulator/stats")
    json_lines(
        [
            paths.prog("libdcs_seq"),
            "-u",
            emulator.url,
            "-c",
            emulator.ca_file,
            "-n",
            "3",
        ],
        env,
    )
    after = emulator.admin("GET", "/_emulator/stats")
    log_entries = emulator.admin("GET", "/_emulator/requests")["requests"]
    return {
        "calls": 3,
        "restores_started": after["restores_started"] - before["restores_started"],
        "requests": [
            f"{e['method']} {e['operation']} → {e['status']}" for e in log_entries
        ],
    }


# --------------------------------------------------------------------------------------------
# 6: concurrency through one client.
# --------------------------------------------------------------------------------------------


def concurrency(
    paths: Paths, nginx: Nginx, levels: list[int], reps: int, calls: int, with_go: bool
) -> dict:
    """Calls/s at each number in flight; at the highest, the C client, the Go binding and
    `wrk -c64` alternate repetition by repetition, one fresh process each, so that each
    repetition gives one ratio to wrk."""
    env = paths.env()
    result: dict = {
        "calls": calls,
        "levels": levels,
        "libdcs_c": {},
        "go_libdcs": {},
        "go_official": {},
    }
    cpu: dict = {}
    top = max(levels)

    def c_runs(k: int, repetitions: int) -> tuple[list[dict], float]:
        before_nginx = nginx.cpu_seconds()
        runs = json_lines(
            [
                paths.prog("libdcs_concurrent"),
                "-u",
                nginx.url,
                "-n",
                str(calls),
                "-t",
                str(k),
                "-R",
                str(repetitions),
            ],
            env,
        )
        # nginx's CPU covers the warm-up round too: one more round of `calls`.
        server = nginx.cpu_seconds() - before_nginx
        return runs, 1e6 * server / (calls * (repetitions + 1))

    def go_runs(client: str, k: int, repetitions: int) -> list[dict]:
        return json_lines(
            [
                paths.prog("restorebench"),
                "-client",
                client,
                "-url",
                nginx.url,
                "-calls",
                str(calls),
                "-inflight",
                str(k),
                "-reps",
                str(repetitions),
            ],
            env,
        )

    for k in levels:
        if k == top:
            continue
        log(f"concurrency: {k} in flight")
        runs, server_cpu = c_runs(k, reps)
        result["libdcs_c"][k] = summary([rate(r) for r in runs])
        cpu[k] = {
            "client_cpu_us": statistics.median(cpu_us(r) for r in runs),
            "server_cpu_us": server_cpu,
        }
        if with_go:
            for client, key in (("libdcs", "go_libdcs"), ("official", "go_official")):
                result[key][k] = summary([rate(r) for r in go_runs(client, k, reps)])

    # The libcurl floor at the top level: one thread, one multi handle, `top` easy handles
    # sending libdcs's header lines (the same request bytes): what any client built on
    # libcurl reaches on this machine, between libdcs and wrk.
    headers, _ = libdcs_headers(paths, nginx)
    multi_cmd = [
        paths.prog("curl_multi_floor"),
        "-u",
        nginx.url,
        "-n",
        str(calls),
        "-t",
        str(top),
        "-R",
        "1",
        "-H",
        str(headers),
    ]
    paired: dict[str, list] = {
        "c": [],
        "go": [],
        "go_official": [],
        "wrk": [],
        "curl_multi": [],
    }
    server_cpus: list[float] = []
    for rep in range(reps):
        log(f"concurrency: {top} in flight vs wrk -c{top}, repetition {rep + 1}/{reps}")
        runs, server_cpu = c_runs(top, 1)
        paired["c"] += runs
        server_cpus.append(server_cpu)
        paired["curl_multi"] += json_lines(multi_cmd, env)
        if with_go:
            paired["go"] += go_runs("libdcs", top, 1)
            paired["go_official"] += go_runs("official", top, 1)
        paired["wrk"].append(wrk(paths, nginx, top, 2, 2))
    result["libdcs_c"][top] = summary([rate(r) for r in paired["c"]])
    result["curl_multi"] = summary([rate(r) for r in paired["curl_multi"]])
    if with_go:
        result["go_libdcs"][top] = summary([rate(r) for r in paired["go"]])
        result["go_official"][top] = summary([rate(r) for r in paired["go_official"]])
    cpu[top] = {
        "client_cpu_us": statistics.median(cpu_us(r) for r in paired["c"]),
        "server_cpu_us": statistics.median(server_cpus),
        "context_switches": statistics.median(
            switches_per_call(r) for r in paired["c"]
        ),
    }
    wrk_top = paired["wrk"]
    result["wrk_c64"] = summary([w["rate"] for w in wrk_top])
    result["cpu_per_call"] = {
        "libdcs_c": cpu,
        "go_libdcs": {
            top: {
                "client_cpu_us": statistics.median(cpu_us(r) for r in paired["go"]),
                "context_switches": statistics.median(
                    switches_per_call(r) for r in paired["go"]
                ),
            }
        }
        if with_go
        else {},
        "curl_multi": {
            "client_cpu_us": statistics.median(cpu_us(r) for r in paired["curl_multi"]),
            "context_switches": statistics.median(
                switches_per_call(r) for r in paired["curl_multi"]
            ),
        },
        "wrk_c64": {
            "client_cpu_us": statistics.median(w["client_cpu_us"] for w in wrk_top),
            "server_cpu_us": statistics.median(w["server_cpu_us"] for w in wrk_top),
        },
    }
    return result


# --------------------------------------------------------------------------------------------
# 7: signing, memory, size (dcsctl's start-up: measure_cli.py).
# --------------------------------------------------------------------------------------------


def signing(paths: Paths, reps: int, calls: int) -> dict:
    runs = json_lines([paths.prog("sign_micro"), str(calls), str(reps)], paths.env())
    return {
        "calls": calls,
        "ns_per_sign": summary([1e9 * r["seconds"] / r["calls"] for r in runs]),
    }


def memory(paths: Paths, nginx: Nginx, calls: int, every: int) -> dict:
    lines = json_lines(
        [paths.prog("libdcs_seq"), "-u", nginx.url, "-n", str(calls), "-m", str(every)],
        paths.env(),
    )
    samples = [
        (line["rss_after"], line["rss_kib"]) for line in lines if "rss_after" in line
    ]
    return {"samples": samples, "growth_kib": samples[-1][1] - samples[0][1]}


def library_size(paths: Paths) -> dict:
    real = paths.libdcs.resolve()
    with tempfile.TemporaryDirectory() as tmp:
        stripped = Path(tmp) / "libdcs.so.1"
        subprocess.run(
            ["strip", "--strip-unneeded", "-o", str(stripped), str(real)], check=True
        )
        return {
            "file": real.name,
            "unstripped": real.stat().st_size,
            "stripped": stripped.stat().st_size,
        }
