"""dcsctl's credentials chain: the official SDKs' profile file when no layer gives keys
(--profile picks the section), and ECS metadata credentials refreshed through a long
restore --wait (counted on the emulator)."""

import json

from conftest import AK, PROJECT, SK

INSTANCE = "6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b"


def write_profile(home, text):
    path = home / ".huaweicloud" / "credentials"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_profile_file_in_home_gives_keys_and_project(
    dcsctl, base_env, home, emulator_url
):
    write_profile(
        home,
        f"[basic]\nak = {AK}\nsk = {SK}\nproject_id = {PROJECT}\n"
        f"[other]\nak = NOSUCHAK\nsk = nosuchsecret\nproject_id = {PROJECT}\n",
    )
    env = {**base_env, "DCS_ENDPOINT": emulator_url}
    result = dcsctl("instance", "show", "--instance", INSTANCE, "--json", env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["instance_id"] == INSTANCE
    # --profile picks another section: its keys are unknown to the service.
    result = dcsctl(
        "instance", "show", "--instance", INSTANCE, "--profile", "other", env=env
    )
    assert result.returncode == 3 and "authentication" in result.stderr
    result = dcsctl(
        "instance", "show", "--instance", INSTANCE, "--profile", "nope", env=env
    )
    assert result.returncode == 2 and "[nope]" in result.stderr


def test_environment_keys_beat_the_profile(dcsctl, cred_env, home):
    write_profile(home, "[basic]\nak = NOSUCHAK\nsk = nosuchsecret\n")
    result = dcsctl("instance", "show", "--instance", INSTANCE, env=cred_env)
    assert result.returncode == 0, result.stderr


def test_metadata_credentials_refresh_through_a_long_wait(
    dcsctl, base_env, emulator_url, admin, restorable
):
    instance_id, backup_id = restorable
    admin.call("PUT", "metadata", {"project_id": PROJECT, "ttl_ms": 1500})
    try:
        admin.call(
            "PUT",
            f"instances/{instance_id}/restore_timings",
            {"restore_running_ms": 3500},
        )
        before = admin.stats()
        env = {
            **base_env,
            "DCS_ENDPOINT": emulator_url,
            "HUAWEICLOUD_SDK_PROJECT_ID": PROJECT,
        }
        result = dcsctl(
            "restore",
            "--instance",
            instance_id,
            "--backup",
            backup_id,
            "--wait",
            "--poll-interval",
            "100ms",
            "--metadata-endpoint",
            emulator_url,
            env=env,
        )
        assert result.returncode == 0, result.stderr
        after = admin.stats()
        assert after["credentials_issued"] - before["credentials_issued"] >= 3
        # A request stalled past the refresh margin on a loaded machine is retried once.
        assert after["expired_refused"] - before["expired_refused"] <= 1
    finally:
        admin.call("PUT", "metadata", {"project_id": ""})
