"""dcsctl's start-up against the curl tool sending the same requests: process start to
the printed answer, measured by hyperfine in paired rounds (each round runs every command,
the order reversed from one round to the next), so every ratio has one value per round.

- `dcsctl restore --no-preflight` (one POST) vs `curl` sending that POST with the same
  headers: the floor for any libcurl program on this machine.
- `dcsctl restore` (pre-flight on: ShowInstance, ListBackupRecords, then the POST) vs
  one `curl` process making the same three requests (--next, one connection)."""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path

import cli_requests
from callgrind_profile import Profile
from measure import AK, BACKUP, INSTANCE, PROJECT, SK, Paths, log, summary
from servers import Nginx

RESTORE_ID = "a6155972-800c-4170-a479-3231e907d2f6"
COMMANDS = ("dcsctl_no_preflight", "curl_one", "dcsctl_default", "curl_three")


def _dcsctl(paths: Paths, url: str, preflight: bool) -> list[str]:
    cmd = [
        str(paths.dcsctl),
        "restore",
        "--endpoint",
        url,
        "--instance",
        INSTANCE,
        "--backup",
        BACKUP,
    ]
    return cmd if preflight else [*cmd, "--no-preflight"]


def _loaded_objects(binary: str) -> int:
    out = subprocess.run(
        ["ldd", binary], check=False, capture_output=True, text=True
    ).stdout
    return len([line for line in out.splitlines() if "=>" in line])


def _callgrind(cmd: list[str], env: dict[str, str], out: Path) -> Profile:
    subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *cmd],
        check=True,
        capture_output=True,
        env=env,
        timeout=120,
    )
    return Profile(out)


def _hyperfine_round(
    cmds: dict[str, list[str]],
    order: list[str],
    runs: int,
    env: dict[str, str],
    out: Path,
) -> dict[str, dict]:
    subprocess.run(
        [
            "hyperfine",
            "-N",
            "--warmup",
            "3",
            "--runs",
            str(runs),
            "--export-json",
            str(out),
            *(cli_requests.shell_words(cmds[name]) for name in order),
        ],
        check=True,
        capture_output=True,
        env=env,
        timeout=600,
    )
    results = json.loads(out.read_text())["results"]
    return {
        name: {
            "median_ms": 1000 * statistics.median(res["times"]),
            "cpu_ms": 1000 * (res["user"] + res["system"]),
            "times_ms": [1000 * t for t in res["times"]],
        }
        for name, res in zip(order, results, strict=True)
    }


def cli_startup(paths: Paths, nginx: Nginx, rounds: int, runs: int) -> dict | None:
    if not paths.dcsctl.exists():
        return None
    env = paths.env()
    with tempfile.TemporaryDirectory(prefix="dcs-bench-cli-") as tmp:
        # An empty configuration file, so no user's ~/.config/dcsctl/config takes part.
        config = Path(tmp) / "config"
        config.write_text("")
        config.chmod(0o600)
        env.update(
            {
                "HUAWEICLOUD_SDK_AK": AK,
                "HUAWEICLOUD_SDK_SK": SK,
                "HUAWEICLOUD_SDK_PROJECT_ID": PROJECT,
                "DCS_CONFIG": str(config),
            }
        )
        recorded = {}
        for preflight in (False, True):
            requests, stdout = cli_requests.record(
                _dcsctl(paths, "{url}", preflight), env
            )
            if RESTORE_ID not in stdout:
                raise RuntimeError(f"dcsctl did not print the restore id: {stdout}")
            recorded[preflight] = requests
        cmds = {
            "dcsctl_no_preflight": _dcsctl(paths, nginx.url, False),
            "dcsctl_default": _dcsctl(paths, nginx.url, True),
            "curl_one": cli_requests.curl_command(
                paths.repo, recorded[False], nginx.url, AK, SK
            ),
            "curl_three": cli_requests.curl_command(
                paths.repo, recorded[True], nginx.url, AK, SK
            ),
        }
        # Every command must succeed and print the restore id before it is timed.
        for name, cmd in cmds.items():
            check = subprocess.run(
                cmd, check=False, capture_output=True, text=True, env=env, timeout=30
            )
            if check.returncode != 0 or RESTORE_ID not in check.stdout:
                raise RuntimeError(f"{name} failed: {check.stdout}{check.stderr}")
        per_round: list[dict[str, dict]] = []
        for rnd in range(rounds):
            log(f"dcsctl vs curl (hyperfine): round {rnd + 1}/{rounds}")
            order = list(COMMANDS) if rnd % 2 == 0 else list(reversed(COMMANDS))
            per_round.append(
                _hyperfine_round(cmds, order, runs, env, Path(tmp) / f"r{rnd}.json")
            )
        profiles = {
            name: _callgrind(cmds[name], env, Path(tmp) / f"{name}.callgrind")
            for name in ("dcsctl_no_preflight", "curl_one")
        }
    return {
        "rounds": rounds,
        "runs_per_round": runs,
        "commands": {
            name: cli_requests.shell_words(cmd).replace(str(paths.repo) + "/", "")
            for name, cmd in cmds.items()
        },
        "requests": {
            "no_preflight": [f"{r.method} {r.path}" for r in recorded[False]],
            "default": [f"{r.method} {r.path}" for r in recorded[True]],
            "headers": [k for k, _ in recorded[False][0].headers],
        },
        "signatures_reproduced": cli_requests.signatures_reproduced(
            paths.repo, recorded[False] + recorded[True], AK, SK
        ),
        # Per command: the median of each round, and its CPU (user+system, hyperfine).
        "ms": {
            name: summary([r[name]["median_ms"] for r in per_round])
            for name in COMMANDS
        },
        "cpu_ms": {
            name: summary([r[name]["cpu_ms"] for r in per_round]) for name in COMMANDS
        },
        "instructions": {name: p.total for name, p in profiles.items()},
        "instructions_by_object": {
            name: dict(sorted(p.by_object().items(), key=lambda kv: -kv[1])[:10])
            for name, p in profiles.items()
        },
        "shared_libraries": {
            "dcsctl": _loaded_objects(str(paths.dcsctl)),
            "curl": _loaded_objects(shutil.which("curl") or "curl"),
        },
    }
