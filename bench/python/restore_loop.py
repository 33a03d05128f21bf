"""Sequential restores from Python through one client, kept alive: either the libdcs
binding (`import dcs`) or the official huaweicloudsdkdcs DcsClient.restore_instance.
Prints one JSON line per repetition: wall seconds and CPU seconds (time.process_time,
which counts every thread of the process, so work libdcs does off the GIL counts too)."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

AK = "DEMOACCESSKEY0000001"
SK = "demo-secret-key-0123456789abcdefghijklmnop"
PROJECT = "0123456789abcdef0123456789abcdef"
INSTANCE = "6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b"
BACKUP = "9f8e7d6c-5b4a-4392-8170-6e5d4c3b2a19"
EXPECTED = "a6155972-800c-4170-a479-3231e907d2f6"


def libdcs_caller(url: str):
    import dcs

    client = dcs.Client(endpoint=url, ak=AK, sk=SK, project_id=PROJECT)

    def restore() -> str:
        return client.restore_instance(INSTANCE, BACKUP)

    return restore


def official_caller(url: str):
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkdcs.v2 import (
        DcsClient,
        RestoreInstanceBody,
        RestoreInstanceRequest,
    )

    client = (
        DcsClient.new_builder()
        .with_credentials(BasicCredentials(AK, SK, PROJECT))
        .with_endpoints([url])
        .build()
    )

    def restore() -> str:
        request = RestoreInstanceRequest(
            instance_id=INSTANCE, body=RestoreInstanceBody(backup_id=BACKUP)
        )
        return client.restore_instance(request).restore_id

    return restore


def profile(restore, calls: int) -> None:
    """cProfile over `calls` restores: the functions with the most own time, per restore.
    Profiling slows Python code down, so only the split and the call counts matter."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(calls):
        restore()
    profiler.disable()
    stats = pstats.Stats(profiler).stats
    rows = sorted(stats.items(), key=lambda kv: -kv[1][2])[:10]
    top = [
        {
            "function": f"{Path(file).name}:{line}({name})" if file != "~" else name,
            "calls_per_restore": primitive / calls,
            "own_us_per_restore": 1e6 * own / calls,
        }
        for (file, line, name), (primitive, _, own, _, _) in rows
    ]
    print(json.dumps({"profile": top}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("client", choices=["libdcs", "official"])
    parser.add_argument("--url", required=True)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--reps", type=int, default=1)
    parser.add_argument(
        "--profile", action="store_true", help="cProfile instead of timing"
    )
    args = parser.parse_args()
    restore = (libdcs_caller if args.client == "libdcs" else official_caller)(args.url)
    for _ in range(args.warmup):
        if restore() != EXPECTED:
            raise SystemExit("unexpected restore id")
    if args.profile:
        profile(restore, args.calls)
        return
    for rep in range(args.reps):
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(args.calls):
            restore()
        cpu = time.process_time() - cpu
        wall = time.perf_counter() - wall
        print(
            json.dumps(
                {"rep": rep, "calls": args.calls, "seconds": wall, "cpu_seconds": cpu}
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
