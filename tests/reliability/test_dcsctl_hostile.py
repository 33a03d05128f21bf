"""The shared hostile-input table (hostile_inputs.json), dcsctl column: every value, in every
id and remark option of every dcsctl command that takes one, ends the run with exit code 2
(an invalid argument) and one `dcsctl:` line on stderr naming the parameter, and the emulator
shows that nothing was sent: its request log is empty and, below anything the log can see, it
accepted no connection and received no byte.

A command line is not a C string array of any length: it cannot hold the embedded NUL (skipped,
as in C), and Linux refuses a single argument of 128 KiB or more (MAX_ARG_STRLEN), so the
1 MB value is passed as the longest argument the kernel takes. Invalid UTF-8 goes in as raw
bytes."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import reliability_support as rs

DCSCTL = Path(os.environ.get("DCSCTL", rs.REPO / "build" / "cli" / "dcsctl"))
# MAX_ARG_STRLEN (32 pages) counts the terminating NUL.
LONGEST_ARGUMENT = 32 * 4096 - 1
RESTORE = "00000000-0000-4000-8000-000000000001"
SINCE = "2020-01-01T00:00:00Z"
USAGE_EXIT = 2

# command words, then the options around the hostile one; HOSTILE marks where it goes.
HOSTILE = object()
Line = list[object]


def _id_lines(instance: str, backup: str) -> dict[str, tuple[str, Line]]:
    """Each (command, option) that takes an id: the parameter its message names, the line."""
    return {
        "restore --instance": (
            "instance_id",
            ["restore", "--instance", HOSTILE, "--backup", backup],
        ),
        "restore --backup": (
            "backup_id",
            ["restore", "--instance", instance, "--backup", HOSTILE],
        ),
        "restore --no-preflight --backup": (
            "backup_id",
            ["restore", "--no-preflight", "--instance", instance, "--backup", HOSTILE],
        ),
        "restores list --instance": (
            "instance_id",
            ["restores", "list", "--instance", HOSTILE],
        ),
        "restores get --instance": (
            "instance_id",
            ["restores", "get", "--instance", HOSTILE, "--restore", RESTORE],
        ),
        "restores get --restore": (
            "restore_id",
            ["restores", "get", "--instance", instance, "--restore", HOSTILE],
        ),
        "restores find --instance": (
            "instance_id",
            [
                "restores",
                "find",
                "--instance",
                HOSTILE,
                "--backup",
                backup,
                "--since",
                SINCE,
            ],
        ),
        "restores find --backup": (
            "backup_id",
            [
                "restores",
                "find",
                "--instance",
                instance,
                "--backup",
                HOSTILE,
                "--since",
                SINCE,
            ],
        ),
        "backups list --instance": (
            "instance_id",
            ["backups", "list", "--instance", HOSTILE],
        ),
        "backups create --instance": (
            "instance_id",
            ["backups", "create", "--instance", HOSTILE],
        ),
        "backups delete --instance": (
            "instance_id",
            ["backups", "delete", "--instance", HOSTILE, "--backup", backup],
        ),
        "backups delete --backup": (
            "backup_id",
            ["backups", "delete", "--instance", instance, "--backup", HOSTILE],
        ),
        "instance show --instance": (
            "instance_id",
            ["instance", "show", "--instance", HOSTILE],
        ),
    }


def _remark_lines(instance: str, backup: str) -> dict[str, tuple[str, Line]]:
    return {
        "restore --remark": (
            "remark",
            [
                "restore",
                "--instance",
                instance,
                "--backup",
                backup,
                "--remark",
                HOSTILE,
            ],
        ),
        "restores find --remark": (
            "remark",
            [
                "restores",
                "find",
                "--instance",
                instance,
                "--backup",
                backup,
                "--remark",
                HOSTILE,
                "--since",
                SINCE,
            ],
        ),
        "backups create --remark": (
            "remark",
            ["backups", "create", "--instance", instance, "--remark", HOSTILE],
        ),
    }


def _argument(value: rs.HostileInput) -> bytes | None:
    """The value as a command-line argument; None when no command line can carry it."""
    if b"\0" in value.raw:
        return None
    return value.raw[:LONGEST_ARGUMENT]


def _env(url: str, home: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),  # holds no ~/.config/dcsctl/config
        "DCS_ENDPOINT": url,
        "HUAWEICLOUD_SDK_AK": rs.DEMO_AK,
        "HUAWEICLOUD_SDK_SK": rs.DEMO_SK,
        "HUAWEICLOUD_SDK_PROJECT_ID": rs.DEMO_PROJECT,
    }


def test_dcsctl_refuses_the_shared_hostile_inputs_sending_nothing(
    tmp_path: Path,
) -> None:
    assert DCSCTL.exists(), f"{DCSCTL} is missing: build dcsctl, or set DCSCTL"
    inputs = rs.hostile_inputs()
    with rs.running_emulator() as url:
        admin = rs.Admin(url)
        instance = admin.create_instance(cache_mode="ha")
        backup = admin.create_backup(instance)
        admin.clear_requests()
        env = _env(url, tmp_path)
        wire = rs.WireWatch(admin)
        wrong: list[str] = []
        refused = 0
        for hostile in inputs:
            argument = _argument(hostile)
            if argument is None:
                print(
                    f"not applicable to a command line: {hostile.label} (an embedded NUL)"
                )
                continue
            lines = {
                **(_id_lines(instance, backup) if hostile.as_id else {}),
                **(_remark_lines(instance, backup) if hostile.as_remark else {}),
            }
            for name, (parameter, line) in lines.items():
                args = [
                    argument if word is HOSTILE else str(word).encode() for word in line
                ]
                run = subprocess.run(
                    [os.fsencode(DCSCTL), *args],
                    env=env,
                    capture_output=True,
                    timeout=30,
                    check=False,
                )
                stderr = run.stderr.decode(errors="replace")
                option = name.rsplit(" ", 1)[1]
                named = parameter in stderr or f"{option} is required" in stderr
                if (
                    run.returncode != USAGE_EXIT
                    or not stderr.startswith("dcsctl: ")
                    or not named
                    or run.stdout
                ):
                    wrong.append(
                        f"{name} with {hostile.label}: exit {run.returncode}, {stderr!r}"
                    )
                else:
                    refused += 1
        arrived = wire.since()
        logged = admin.requests()
    print(f"dcsctl: {refused} hostile command lines refused")
    assert wrong == []
    assert refused >= 100
    assert arrived == rs.WireCounts(connections=0, bytes=0)
    assert logged == []
