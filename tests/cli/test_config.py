"""Configuration: the config file, its permissions, precedence flags > env > file, and
secrets that never reach the output."""

import json
import os

import pytest
from conftest import AK, PROJECT, SK, closed_port

INSTANCE = "6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b"


def write_config(path, mode=0o600, **values):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "# dcsctl test config\n\n"
        + "".join(f"{key} = {value}\n" for key, value in values.items())
    )
    os.chmod(path, mode)
    return path


def full_config(emulator_url, **overrides):
    values = {"endpoint": emulator_url, "project_id": PROJECT, "ak": AK, "sk": SK}
    values.update(overrides)
    return values


def show(dcsctl, env, *extra):
    return dcsctl("instance", "show", "--instance", INSTANCE, "--json", *extra, env=env)


def test_config_file_alone_is_enough(dcsctl, base_env, emulator_url, tmp_path):
    path = write_config(tmp_path / "conf", **full_config(emulator_url))
    result = show(dcsctl, base_env, "--config", str(path))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["instance_id"] == INSTANCE


def test_default_config_path_and_dcs_config(
    dcsctl, base_env, home, emulator_url, tmp_path
):
    write_config(home / ".config" / "dcsctl" / "config", **full_config(emulator_url))
    assert show(dcsctl, base_env).returncode == 0
    # $DCS_CONFIG replaces the default path.
    other = write_config(tmp_path / "other", **full_config(emulator_url, ak="WRONGAK"))
    result = show(dcsctl, {**base_env, "DCS_CONFIG": str(other)})
    assert result.returncode == 3 and "authentication" in result.stderr


def test_quoted_values_and_insecure_key(dcsctl, base_env, emulator_url, tmp_path):
    values = full_config(emulator_url, sk=f'"{SK}"', insecure="true")
    path = write_config(tmp_path / "conf", **values)
    assert show(dcsctl, base_env, "--config", str(path)).returncode == 0


def test_environment_beats_file(dcsctl, base_env, emulator_url, tmp_path):
    # The file's endpoint leads nowhere and its key is wrong; the environment's are right.
    path = write_config(
        tmp_path / "conf",
        **full_config(f"http://127.0.0.1:{closed_port()}", ak="WRONGAK"),
    )
    env = {**base_env, "DCS_ENDPOINT": emulator_url, "HUAWEICLOUD_SDK_AK": AK}
    result = show(dcsctl, env, "--config", str(path))
    assert result.returncode == 0, result.stderr


def test_flags_beat_environment(dcsctl, cred_env):
    unreachable = f"http://127.0.0.1:{closed_port()}"
    result = show(dcsctl, cred_env, "--endpoint", unreachable)
    assert result.returncode == 6, result.stderr
    result = show(dcsctl, cred_env, "--ak", "FLAGAK")
    assert result.returncode == 3 and "authentication" in result.stderr
    result = show(dcsctl, cred_env, "--project-id", "ffffffffffffffffffffffffffffffff")
    assert result.returncode == 3


def test_flag_region_is_not_overridden_by_file_endpoint(
    dcsctl, base_env, emulator_url, tmp_path
):
    # The region flag wins over the file's endpoint, so the request goes to the region's
    # endpoint (made unreachable here), not to the emulator.
    path = write_config(tmp_path / "conf", **full_config(emulator_url))
    env = {
        **base_env,
        "HUAWEICLOUD_SDK_REGION_DCS_XX_TEST_1": f"http://127.0.0.1:{closed_port()}",
    }
    result = show(dcsctl, env, "--config", str(path), "--region", "xx-test-1")
    assert result.returncode == 6, result.stderr


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_readable_config_with_secret_is_refused(
    dcsctl, base_env, emulator_url, tmp_path, mode
):
    path = write_config(tmp_path / "conf", mode=mode, **full_config(emulator_url))
    result = show(dcsctl, base_env, "--config", str(path))
    assert result.returncode == 2
    assert "group or others" in result.stderr and f"chmod 600 {path}" in result.stderr
    assert SK not in result.stdout + result.stderr


def test_readable_config_without_secret_is_fine(
    dcsctl, cred_env, emulator_url, tmp_path
):
    path = write_config(tmp_path / "conf", mode=0o644, endpoint=emulator_url)
    env = {k: v for k, v in cred_env.items() if k != "DCS_ENDPOINT"}
    assert show(dcsctl, env, "--config", str(path)).returncode == 0


@pytest.mark.parametrize(
    "content, message",
    [
        ("endpoint http://x\n", "expected 'key = value'"),
        ("colour = blue\n", "unknown key 'colour'"),
        ("ak = A\nak = B\n", "'ak' is set twice"),
        ("insecure = maybe\n", "must be true or false"),
    ],
)
def test_malformed_config_is_refused(dcsctl, cred_env, tmp_path, content, message):
    path = tmp_path / "conf"
    path.write_text(content)
    os.chmod(path, 0o600)
    result = show(dcsctl, cred_env, "--config", str(path))
    assert result.returncode == 2
    assert message in result.stderr


def test_named_config_must_exist(dcsctl, cred_env, tmp_path):
    result = show(dcsctl, cred_env, "--config", str(tmp_path / "absent"))
    assert result.returncode == 2 and "cannot read config file" in result.stderr


def test_sk_flag_warns(dcsctl, cred_env):
    env = {k: v for k, v in cred_env.items() if k != "HUAWEICLOUD_SDK_SK"}
    result = show(dcsctl, env, "--sk", SK)
    assert result.returncode == 0, result.stderr
    assert "--sk is visible to other users" in result.stderr
    assert SK not in result.stdout + result.stderr


def test_secrets_never_printed(dcsctl, admin, cred_env, restorable, tmp_path):
    token = "SECURITYTOKEN-" + "t" * 40
    admin.call(
        "POST",
        "/_emulator/credentials",
        {
            "ak": "TOKENACCESSKEY000001",
            "sk": SK + "-tok",
            "project_id": PROJECT,
            "security_token": token,
        },
    )
    instance_id, backup_id = restorable
    token_env = {
        **cred_env,
        "HUAWEICLOUD_SDK_AK": "TOKENACCESSKEY000001",
        "HUAWEICLOUD_SDK_SK": SK + "-tok",
        "HUAWEICLOUD_SDK_SECURITY_TOKEN": token,
    }
    runs = [
        dcsctl(
            "restore",
            "--instance",
            instance_id,
            "--backup",
            backup_id,
            "--wait",
            "--verbose",
            "--poll-interval",
            "100ms",
            env=token_env,
        ),
        dcsctl(
            "backups",
            "list",
            "--instance",
            instance_id,
            "--verbose",
            "--json",
            env=token_env,
        ),
        dcsctl(
            "instance", "show", "--instance", instance_id, "--verbose", "--sk", SK + "x"
        ),
        dcsctl(
            "instance",
            "show",
            "--instance",
            instance_id,
            "--verbose",
            "--sk",
            "SHORTSECRETVALUE",
        ),
        dcsctl(
            "instance",
            "show",
            "--instance",
            instance_id,
            "--verbose",
            "--security-token",
            token,
        ),
    ]
    assert runs[0].returncode == 0, runs[0].stderr
    assert "[debug]" in runs[0].stderr  # --verbose really logged
    assert runs[2].returncode == 3  # wrong secret: an auth error, reported without it
    for run in runs:
        output = run.stdout + run.stderr
        assert SK not in output
        assert token not in output
        assert "SHORTSECRETVALUE" not in output
