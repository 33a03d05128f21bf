"""No secret leaves dcsctl, whatever a run ends with.

Full --verbose runs with temporary credentials in the environment (a secret key and a security
token chosen to be distinctive) end with every status of dcs.h that a dcsctl run can meet:
a restore with --wait whose first answer is lost, then bad input, a wrong key, an unknown
instance, throttling, a busy instance, 5xx, a dropped connection, a deadline, Ctrl-C, an
unreadable answer, a refused and an impossible restore and a restore that fails. Each run's
exit code and message show that it ended as meant, and neither stdout nor stderr of any run
carries the secret key, the token, "Authorization" or "Signature=", matched
case-insensitively.

DCS_E_INTERNAL and DCS_E_NOMEM are the two statuses left to the C, Python and Go columns:
they are reached there by making libdcs's own copy of an argument fail
(tests/reliability/alloc_fault.cpp), and dcsctl copies its arguments itself before the
library does, so the same fault would hit dcsctl's parser instead of a library call.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import reliability_support as rs

DCSCTL = Path(os.environ.get("DCSCTL", rs.REPO / "build" / "cli" / "dcsctl"))
AK = "CLIRELIABILITYAK0001"
SK = "cli-reliability-secret-Wq3eR6tY9uI2oP5aS8dF"
TOKEN = "cli-reliability-token-Mn7bV4cX1zL8kJ5hG2fD9sA6qW3eR0tY"
WRONG_SK = "cli-reliability-wrong-secret-Pl0oK9iJ8uH7yG6tF5rD"
FORBIDDEN = (SK, TOKEN, WRONG_SK, "Authorization", "Signature=")
RUN_TIMEOUT_S = 30
# Reached only below the CLI (see the module's docstring).
NOT_REACHABLE_FROM_THE_CLI = {"DCS_E_INTERNAL", "DCS_E_NOMEM"}


def statuses_of_the_header() -> set[str]:
    header = (rs.REPO / "capi" / "include" / "dcs" / "dcs.h").read_text()
    return set(re.findall(r"\b(DCS_(?:OK|E_[A-Z_]+))\s*=\s*\d+", header))


@pytest.fixture(scope="module")
def admin() -> Iterator[rs.Admin]:
    if not DCSCTL.exists():
        pytest.fail(f"no dcsctl at {DCSCTL}: build the repo or set DCSCTL")
    with rs.running_emulator("--state-only") as url:
        emulator = rs.Admin(url)
        emulator.call(
            "POST",
            "credentials",
            {
                "ak": AK,
                "sk": SK,
                "project_id": rs.DEMO_PROJECT,
                "security_token": TOKEN,
            },
        )
        yield emulator


class Runs:
    """Every dcsctl run of the test, with what it printed."""

    def __init__(self, admin: rs.Admin, home: Path) -> None:
        self.admin = admin
        self.home = str(home)
        self.outputs: list[str] = []
        self.reached: set[str] = set()
        self.problems: list[str] = []

    def env(self, sk: str = SK) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("HUAWEICLOUD_", "DCS_"))
        }
        env.update(
            HUAWEICLOUD_SDK_AK=AK,
            HUAWEICLOUD_SDK_SK=sk,
            HUAWEICLOUD_SDK_SECURITY_TOKEN=TOKEN,
            HUAWEICLOUD_SDK_PROJECT_ID=rs.DEMO_PROJECT,
            DCS_ENDPOINT=self.admin.url,
            HOME=self.home,  # holds no ~/.config/dcsctl/config
        )
        return env

    def run(
        self, *args: str, sk: str = SK, interrupt_after_s: float = 0
    ) -> tuple[int, str]:
        proc = subprocess.Popen(
            [str(DCSCTL), *args, "--verbose"],
            env=self.env(sk),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
        )
        if interrupt_after_s:
            time.sleep(interrupt_after_s)
            proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=RUN_TIMEOUT_S)
        self.outputs += [stdout, stderr]
        return proc.returncode, stdout + stderr

    def case(
        self,
        status: str,
        want_exit: int,
        needle: str,
        *args: str,
        sk: str = SK,
        interrupt_after_s: float = 0,
    ) -> None:
        """One run that must end with `status`: exit code `want_exit`, `needle` printed.
        The faults set up for it are cleared after it."""
        code, printed = self.run(*args, sk=sk, interrupt_after_s=interrupt_after_s)
        self.admin.clear_faults()
        if code == want_exit and needle.lower() in printed.lower():
            self.reached.add(status)
        else:
            last = printed.strip().splitlines()[-3:]
            self.problems.append(
                f"{status}: exit {code} (want {want_exit}), {needle!r} not printed? {last}"
            )


def test_every_status_a_run_can_end_with_leaks_no_secret(
    admin: rs.Admin, tmp_path: Path
) -> None:
    runs = Runs(admin, tmp_path)
    instance = admin.create_instance()
    backup = admin.create_backup(instance)
    other_backup = admin.create_backup(admin.create_instance())
    single = admin.create_instance(cache_mode="single")
    single_backup = admin.create_backup(single)
    restarting = admin.create_instance()
    restarting_backup = admin.create_backup(restarting)
    admin.call("PATCH", f"instances/{restarting}", {"status": "RESTARTING"})
    show = ("instance", "show", "--instance", instance, "--timeout", "10s")
    restore = ("restore", "--instance", instance, "--backup", backup, "--wait")
    quick = ("--poll-interval", "100ms", "--timeout", "20s")

    admin.fault(operation="RestoreInstance", kind="close_after", count=1)
    runs.case("DCS_OK", 0, "succeed", *restore, *quick)
    runs.case(
        "DCS_E_INVALID_ARGUMENT",
        2,
        "instance_id",
        "instance",
        "show",
        "--instance",
        "../x",
    )
    runs.case("DCS_E_AUTH", 3, "APIGW.0301", *show, sk=WRONG_SK)
    runs.case(
        "DCS_E_NOT_FOUND",
        3,
        "DCS.3022",
        "instance",
        "show",
        "--instance",
        "00000000-0000-4000-8000-000000000000",
    )
    admin.fault(operation="ShowInstance", kind="throttle", retry_after=1)
    runs.case("DCS_E_THROTTLED", 3, "APIGW.0308", *show)
    runs.case(
        "DCS_E_BUSY",
        3,
        "DCS.4049",
        "restore",
        "--instance",
        restarting,
        "--backup",
        restarting_backup,
        "--no-preflight",
        "--timeout",
        "10s",
    )
    admin.fault(
        operation="ShowInstance",
        kind="status",
        status=500,
        body='{"error_code":"DCS.5000","error_msg":"injected"}',
    )
    runs.case("DCS_E_SERVER", 3, "DCS.5000", *show)
    admin.fault(operation="ShowInstance", kind="close_before")
    runs.case("DCS_E_TRANSPORT", 6, "", *show)
    admin.fault(operation="ShowInstance", kind="delay", delay_ms=3000, count=1)
    runs.case(
        "DCS_E_TIMEOUT",
        4,
        "",
        "instance",
        "show",
        "--instance",
        instance,
        "--timeout",
        "300ms",
    )
    admin.fault(operation="ShowInstance", kind="delay", delay_ms=5000, count=1)
    runs.case("DCS_E_CANCELLED", 130, "cancel", *show, interrupt_after_s=0.5)
    admin.fault(operation="ListBackupRecords", kind="non_json")
    runs.case(
        "DCS_E_BAD_RESPONSE",
        1,
        "",
        "backups",
        "list",
        "--instance",
        instance,
        "--timeout",
        "3s",
    )
    runs.case(
        "DCS_E_REJECTED",
        3,
        "DCS.4063",
        "restore",
        "--instance",
        instance,
        "--backup",
        other_backup,
        "--no-preflight",
    )
    runs.case(
        "DCS_E_PRECONDITION",
        3,
        "single-node",
        "restore",
        "--instance",
        single,
        "--backup",
        single_backup,
    )
    admin.call("PUT", "timings", {"fail_restores": "dcs.08.0007"})
    try:
        runs.case("DCS_E_RESTORE_FAILED", 5, "dcs.08.0007", *restore, *quick)
    finally:
        admin.call("PUT", "timings", {"fail_restores": ""})

    assert not runs.problems, "runs that did not end as meant:\n" + "\n".join(
        runs.problems
    )
    missing = statuses_of_the_header() - NOT_REACHABLE_FROM_THE_CLI - runs.reached
    assert not missing, f"statuses no run reached: {sorted(missing)}"
    assert sum(o.count("\n") for o in runs.outputs) > 40, (
        "too little output to prove anything"
    )
    for output in runs.outputs:
        low = output.lower()
        for secret in FORBIDDEN:
            assert secret.lower() not in low, (
                f"{secret[:12]}... leaked into: {output[:300]}"
            )
    print(
        f"secrets: dcsctl: {len(runs.reached)} of {len(statuses_of_the_header())} statuses "
        f"reached, {len(runs.outputs)} texts and {sum(len(o) for o in runs.outputs)} bytes of "
        "output searched, 0 leaks (INTERNAL and NOMEM: below the CLI)"
    )
