"""Network flags: the environment's proxy is followed unless --no-proxy, --proxy and
--no-proxy exclude each other, --ca-dir is checked, and a misspelt --region fails at once
with a suggestion."""

import json
import time

from conftest import closed_port

INSTANCE = "6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b"


def show(dcsctl, env, *extra):
    return dcsctl("instance", "show", "--instance", INSTANCE, "--json", *extra, env=env)


def test_environment_proxy_is_followed_and_no_proxy_bypasses_it(dcsctl, cred_env):
    env = {**cred_env, "HTTP_PROXY": f"http://127.0.0.1:{closed_port()}"}
    through_dead_proxy = show(dcsctl, env, "--timeout", "2s")
    assert through_dead_proxy.returncode != 0
    assert "through the proxy" in through_dead_proxy.stderr
    assert "HTTP_PROXY" in through_dead_proxy.stderr

    direct = show(dcsctl, env, "--no-proxy")
    assert direct.returncode == 0, direct.stderr
    assert json.loads(direct.stdout)["instance_id"] == INSTANCE


def test_proxy_and_no_proxy_exclude_each_other(dcsctl, cred_env):
    result = show(dcsctl, cred_env, "--proxy", "http://127.0.0.1:1", "--no-proxy")
    assert result.returncode != 0
    assert "--proxy and --no-proxy" in result.stderr


def test_ca_dir_must_exist(dcsctl, cred_env, tmp_path):
    missing = tmp_path / "missing"
    result = show(dcsctl, cred_env, "--ca-dir", str(missing))
    assert result.returncode != 0
    assert "does not exist" in result.stderr
    assert show(dcsctl, cred_env, "--ca-dir", str(tmp_path)).returncode == 0


def test_misspelt_region_fails_at_once_naming_the_closest(dcsctl, cred_env):
    env = {k: v for k, v in cred_env.items() if k != "DCS_ENDPOINT"}
    started = time.monotonic()
    result = show(dcsctl, env, "--region", "cn-nort-4")
    assert time.monotonic() - started < 5  # a process start, not four DNS retries
    assert result.returncode != 0
    assert '"cn-nort-4"' in result.stderr
    assert "did you mean cn-north-4?" in result.stderr


def _config(path, mode=0o600, **values):
    path.write_text("".join(f"{key} = {value}\n" for key, value in values.items()))
    path.chmod(mode)
    return path


def test_config_file_proxy_and_ca_dir(dcsctl, cred_env, tmp_path):
    dead = f"http://127.0.0.1:{closed_port()}"
    through = show(
        dcsctl, cred_env, "--config", str(_config(tmp_path / "a", proxy=dead))
    )
    assert through.returncode != 0
    assert "through the proxy" in through.stderr
    # A file's proxy = "" connects directly, whatever the environment says.
    env = {**cred_env, "HTTP_PROXY": dead}
    direct = show(dcsctl, env, "--config", str(_config(tmp_path / "b", proxy='""')))
    assert direct.returncode == 0, direct.stderr
    missing = show(
        dcsctl,
        cred_env,
        "--config",
        str(_config(tmp_path / "c", ca_dir=tmp_path / "nope")),
    )
    assert missing.returncode != 0
    assert "does not exist" in missing.stderr


def test_config_file_with_a_proxy_password_must_be_private(dcsctl, cred_env, tmp_path):
    path = _config(
        tmp_path / "conf", mode=0o644, proxy="http://dave:pw-Secret9@127.0.0.1:1"
    )
    result = show(dcsctl, cred_env, "--config", str(path))
    assert result.returncode == 2
    assert "chmod 600" in result.stderr
    assert "pw-Secret9" not in result.stdout + result.stderr
