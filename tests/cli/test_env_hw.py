"""dcsctl with the Huawei Cloud Terraform provider's environment variables (HW_*): they
configure it alone, HUAWEICLOUD_SDK_* win over them, the keys and the token are never taken
from two sets, and as part of the environment layer they win over the config file. Which
key signed a request is read from the emulator's request log."""

import os

import pytest
from conftest import AK, PROJECT, SK, closed_port

HW_AK = "HWACCESSKEY000000001"
HW_SK = "hw-secret-key-0123456789abcdefghijklmn"


@pytest.fixture
def hw_credential(admin):
    """HW_AK/HW_SK, a second credential of the demo project."""
    admin.call(
        "POST",
        "/_emulator/credentials",
        {"ak": HW_AK, "sk": HW_SK, "project_id": PROJECT},
    )


@pytest.fixture
def hw_env(base_env, emulator_url, hw_credential):
    """The HW_* set alone (the emulator's endpoint aside)."""
    return {
        **base_env,
        "DCS_ENDPOINT": emulator_url,
        "HW_ACCESS_KEY": HW_AK,
        "HW_SECRET_KEY": HW_SK,
        "HW_PROJECT_ID": PROJECT,
    }


def restore(dcsctl, env, instance_id, backup_id):
    return dcsctl(
        "restore", "--instance", instance_id, "--backup", backup_id, "--json", env=env
    )


def restore_keys(admin, instance_id):
    """The access keys of the RestoreInstance requests for the instance, in order."""
    return [
        r["access_key"]
        for r in admin.requests()
        if r["operation"] == "RestoreInstance" and instance_id in r["path"]
    ]


def test_hw_variables_alone_sign_and_route_a_restore(dcsctl, admin, hw_env, restorable):
    instance_id, backup_id = restorable
    result = restore(dcsctl, hw_env, instance_id, backup_id)
    assert result.returncode == 0, result.stderr
    assert restore_keys(admin, instance_id) == [HW_AK]
    assert admin.instance(instance_id)["restores_started"] == 1


def test_huaweicloud_sdk_variables_win(dcsctl, admin, hw_env, restorable):
    instance_id, backup_id = restorable
    env = {
        **hw_env,
        "HUAWEICLOUD_SDK_AK": AK,
        "HUAWEICLOUD_SDK_SK": SK,
        # Used, HW_PROJECT_ID would fail the call: the emulator knows no such project.
        "HW_PROJECT_ID": "ffffffffffffffffffffffffffffffff",
        "HUAWEICLOUD_SDK_PROJECT_ID": PROJECT,
    }
    result = restore(dcsctl, env, instance_id, backup_id)
    assert result.returncode == 0, result.stderr
    assert restore_keys(admin, instance_id) == [AK]


def test_half_an_sdk_pair_is_not_completed_from_hw(dcsctl, admin, hw_env, restorable):
    instance_id, backup_id = restorable
    admin.clear_requests()
    result = restore(
        dcsctl, {**hw_env, "HUAWEICLOUD_SDK_AK": AK}, instance_id, backup_id
    )
    # A configuration error before anything is sent.
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "credentials" in result.stderr
    assert HW_SK not in result.stderr + result.stdout
    assert admin.requests() == []
    assert admin.instance(instance_id)["restore_posts"] == 0


def test_hw_security_token_does_not_join_sdk_keys(dcsctl, admin, hw_env, restorable):
    # The emulator refuses a token sent with a permanent key: success proves none was sent.
    instance_id, backup_id = restorable
    env = {
        **hw_env,
        "HUAWEICLOUD_SDK_AK": AK,
        "HUAWEICLOUD_SDK_SK": SK,
        "HW_SECURITY_TOKEN": "hw-token-of-the-hw-keys-0123456789",
    }
    result = restore(dcsctl, env, instance_id, backup_id)
    assert result.returncode == 0, result.stderr
    assert restore_keys(admin, instance_id) == [AK]


def test_hw_variables_win_over_the_config_file(
    dcsctl, admin, base_env, emulator_url, hw_credential, restorable, tmp_path
):
    # The file's endpoint leads nowhere and its keys are wrong. HW_REGION_NAME (environment
    # layer) chooses the region instead, mapped to the emulator the official SDKs' way.
    path = tmp_path / "conf"
    path.write_text(
        f"endpoint = http://127.0.0.1:{closed_port()}\nproject_id = {PROJECT}\n"
        "ak = WRONGACCESSKEY\nsk = wrong-secret\n"
    )
    os.chmod(path, 0o600)
    env = {
        **base_env,
        "HW_ACCESS_KEY": HW_AK,
        "HW_SECRET_KEY": HW_SK,
        "HW_REGION_NAME": "cn-north-4",
        "HUAWEICLOUD_SDK_REGION_DCS_CN_NORTH_4": emulator_url,
    }
    instance_id, backup_id = restorable
    result = dcsctl(
        "restore",
        "--instance",
        instance_id,
        "--backup",
        backup_id,
        "--json",
        "--config",
        str(path),
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert restore_keys(admin, instance_id) == [HW_AK]
