"""No secret leaves dcsctl: a full --verbose run with temporary credentials in the
environment - a restore with --wait, then every kind of error (401, 404, 500, timeout, bad
response, restore failed, cancelled by Ctrl-C) - and neither stdout nor stderr of any run
carries the secret key, the security token, "Authorization" or "Signature="."""

from __future__ import annotations

import os
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

    def run(self, *args: str, sk: str = SK) -> int:
        done = subprocess.run(
            [str(DCSCTL), *args, "--verbose"],
            env=self.env(sk),
            check=False,
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT_S,
        )
        self.outputs += [done.stdout, done.stderr]
        return done.returncode

    def interrupt(self, *args: str, after_s: float) -> int:
        proc = subprocess.Popen(
            [str(DCSCTL), *args, "--verbose"],
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(after_s)
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=RUN_TIMEOUT_S)
        self.outputs += [stdout, stderr]
        return proc.returncode


def test_a_full_verbose_run_with_every_kind_of_error_leaks_no_secret(
    admin: rs.Admin, tmp_path: Path
) -> None:
    runs = Runs(admin, tmp_path)
    instance = admin.create_instance()
    backup = admin.create_backup(instance)
    show = ("instance", "show", "--instance", instance)

    admin.fault(operation="RestoreInstance", kind="close_after", count=1)
    restore = ("restore", "--instance", instance, "--backup", backup, "--wait")
    assert runs.run(*restore, "--poll-interval", "100ms", "--timeout", "20s") == 0
    assert "succeed" in runs.outputs[-2]

    assert runs.run(*show, sk=WRONG_SK) == 3  # 401
    assert (
        runs.run(
            "instance", "show", "--instance", "00000000-0000-4000-8000-000000000000"
        )
        == 3
    )
    admin.fault(
        operation="ShowInstance",
        kind="status",
        status=500,
        body='{"error_code":"DCS.5000","error_msg":"injected"}',
    )
    assert runs.run(*show, "--timeout", "3s") != 0
    assert "500" in runs.outputs[-1]
    admin.clear_faults()
    admin.fault(operation="ShowInstance", kind="delay", delay_ms=3000, count=1)
    assert runs.run(*show, "--timeout", "300ms") == 4
    admin.clear_faults()
    admin.fault(operation="ListBackupRecords", kind="non_json")
    assert runs.run("backups", "list", "--instance", instance, "--timeout", "3s") == 1
    admin.clear_faults()
    admin.fault(operation="ShowInstance", kind="delay", delay_ms=5000, count=1)
    assert runs.interrupt(*show, after_s=0.5) == 130
    admin.clear_faults()
    admin.call("PUT", "timings", {"fail_restores": "dcs.08.0007"})
    try:
        assert runs.run(*restore, "--poll-interval", "100ms", "--timeout", "20s") == 5
    finally:
        admin.call("PUT", "timings", {"fail_restores": ""})

    assert sum(o.count("\n") for o in runs.outputs) > 20, (
        "too little output to prove anything"
    )
    for output in runs.outputs:
        for secret in FORBIDDEN:
            assert secret not in output, f"{secret[:12]}... leaked into: {output[:300]}"
