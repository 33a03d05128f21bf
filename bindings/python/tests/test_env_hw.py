"""dcs.Client() configured by the Huawei Cloud Terraform provider's environment variables
(HW_*), which libdcs reads after the official SDKs' HUAWEICLOUD_SDK_*. Which key signed a
request, and in which project, is read from the emulator's request log."""

from __future__ import annotations

import pytest

import dcs

from conftest import DEMO_AK, DEMO_PROJECT, DEMO_SK, Emulator

HW_AK = "HWACCESSKEY000000001"
HW_SK = "hw-secret-key-0123456789abcdefghijklmn"
HW_TEMP_AK = "HWTEMPACCESSKEY00001"
HW_TEMP_SK = "hw-temporary-secret-0123456789"
HW_TOKEN = "hw-security-token-for-pytest-0123456789"

# Every variable libdcs reads for a client's configuration.
ENVIRONMENT = (
    "HUAWEICLOUD_SDK_AK",
    "HUAWEICLOUD_SDK_SK",
    "HUAWEICLOUD_SDK_SECURITY_TOKEN",
    "HUAWEICLOUD_SDK_PROJECT_ID",
    "DCS_ENDPOINT",
    "DCS_REGION",
    "HW_ACCESS_KEY",
    "HW_SECRET_KEY",
    "HW_SECURITY_TOKEN",
    "HW_PROJECT_ID",
    "HW_REGION_NAME",
)


@pytest.fixture
def hw_env(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Only the HW_* keys and project, and the emulator's endpoint, in the environment."""
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    emulator.admin(
        "POST", "/_emulator/credentials", {"ak": HW_AK, "sk": HW_SK, "project_id": DEMO_PROJECT}
    )
    monkeypatch.setenv("DCS_ENDPOINT", emulator.url)
    monkeypatch.setenv("HW_ACCESS_KEY", HW_AK)
    monkeypatch.setenv("HW_SECRET_KEY", HW_SK)
    monkeypatch.setenv("HW_PROJECT_ID", DEMO_PROJECT)
    return monkeypatch


def restore_requests(emulator: Emulator, instance_id: str) -> list[dict[str, object]]:
    return [
        r
        for r in emulator.requests()
        if r["operation"] == "RestoreInstance" and instance_id in str(r["path"])
    ]


def test_hw_variables_alone_configure_the_client(
    emulator: Emulator, hw_env: pytest.MonkeyPatch, instance: str, backup: str
) -> None:
    with dcs.Client() as client:
        client.start_restore(instance, backup)
    [posted] = restore_requests(emulator, instance)
    assert posted["access_key"] == HW_AK
    assert str(posted["path"]).startswith(f"/v2/{DEMO_PROJECT}/")
    assert emulator.instance(instance)["restores_started"] == 1


def test_huaweicloud_sdk_variables_win(
    emulator: Emulator, hw_env: pytest.MonkeyPatch, instance: str, backup: str
) -> None:
    hw_env.setenv("HUAWEICLOUD_SDK_AK", DEMO_AK)
    hw_env.setenv("HUAWEICLOUD_SDK_SK", DEMO_SK)
    # Used, this project would fail the call: the emulator does not know it.
    hw_env.setenv("HW_PROJECT_ID", "ffffffffffffffffffffffffffffffff")
    hw_env.setenv("HUAWEICLOUD_SDK_PROJECT_ID", DEMO_PROJECT)
    with dcs.Client() as client:
        client.start_restore(instance, backup)
    [posted] = restore_requests(emulator, instance)
    assert posted["access_key"] == DEMO_AK


def test_explicit_arguments_win(
    emulator: Emulator, hw_env: pytest.MonkeyPatch, instance: str, backup: str
) -> None:
    with dcs.Client(ak=DEMO_AK, sk=DEMO_SK) as client:
        client.start_restore(instance, backup)
    [posted] = restore_requests(emulator, instance)
    assert posted["access_key"] == DEMO_AK


def test_half_an_sdk_pair_is_not_completed_from_hw(
    emulator: Emulator, hw_env: pytest.MonkeyPatch
) -> None:
    hw_env.setenv("HUAWEICLOUD_SDK_AK", DEMO_AK)
    with pytest.raises(dcs.InvalidArgumentError, match="credentials"):
        dcs.Client()
    assert emulator.requests() == []


def test_hw_security_token_goes_with_the_hw_keys_only(
    emulator: Emulator, hw_env: pytest.MonkeyPatch, instance: str, backup: str
) -> None:
    emulator.admin(
        "POST",
        "/_emulator/credentials",
        {
            "ak": HW_TEMP_AK,
            "sk": HW_TEMP_SK,
            "project_id": DEMO_PROJECT,
            "security_token": HW_TOKEN,
        },
    )
    hw_env.setenv("HW_ACCESS_KEY", HW_TEMP_AK)
    hw_env.setenv("HW_SECRET_KEY", HW_TEMP_SK)
    hw_env.setenv("HW_SECURITY_TOKEN", HW_TOKEN)
    # Temporary HW_* credentials: the emulator verifies the token that came with them.
    with dcs.Client() as client:
        client.start_restore(instance, backup)
    # The official SDK's permanent keys do not pick the token up (the emulator refuses a
    # token sent with a permanent key).
    hw_env.setenv("HUAWEICLOUD_SDK_AK", DEMO_AK)
    hw_env.setenv("HUAWEICLOUD_SDK_SK", DEMO_SK)
    with dcs.Client() as client:
        assert client.show_instance(instance).instance_id == instance
    keys = [(r["operation"], r["access_key"], r["status"]) for r in emulator.requests()]
    assert ("RestoreInstance", HW_TEMP_AK, 200) in keys
    assert ("ShowInstance", DEMO_AK, 200) in keys
