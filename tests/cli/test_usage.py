"""Usage errors (exit 2) and --help for the tool, each group and each command."""

import pytest

COMMANDS = [
    "restore",
    "restores list",
    "restores get",
    "backups list",
    "backups create",
    "backups delete",
    "instance show",
    "version",
]
INSTANCE = "6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b"


@pytest.mark.parametrize(
    "args, message",
    [
        ([], "no command given"),
        (["frobnicate"], "unknown command 'frobnicate'"),
        (["backups"], "needs a subcommand"),
        (["backups", "shred"], "unknown subcommand 'backups shred'"),
        (["restore", "--backup", "b"], "--instance is required"),
        (["restore", "--instance", INSTANCE], "--backup is required"),
        (["restores", "list", "--instance"], "--instance needs a value"),
        (
            ["instance", "show", "--instance", INSTANCE, "--frob"],
            "unknown option '--frob'",
        ),
        (
            ["instance", "show", "--instance", INSTANCE, "--wait"],
            "does not take --wait",
        ),
        (
            ["instance", "show", "--instance", INSTANCE, "--json=yes"],
            "--json takes no value",
        ),
        (
            ["instance", "show", "--instance", INSTANCE, "--instance", INSTANCE],
            "more than once",
        ),
        (
            ["instance", "show", "--instance", INSTANCE, "extra"],
            "unexpected argument 'extra'",
        ),
        (
            ["restore", "--instance", INSTANCE, "--backup", "b", "--timeout", "soon"],
            "not a duration",
        ),
        (
            ["restore", "--instance", INSTANCE, "--backup", "b", "--timeout", "0s"],
            "positive",
        ),
        (
            ["restores", "list", "--instance", INSTANCE, "--begin", "yesterday"],
            "begin_time",
        ),
        (["instance", "show", "--instance", "../etc/passwd"], "instance_id"),
        (["backups", "create", "--instance", INSTANCE, "--format", "zip"], "rdb"),
        (["-x"], "unknown option '-x'"),
    ],
)
def test_usage_errors_exit_2(dcsctl, admin, args, message):
    before = admin.call("GET", "/_emulator/stats")["requests"]
    result = dcsctl(*args)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert message in result.stderr
    assert result.stdout == ""
    # Nothing was sent: usage is checked before any request.
    assert admin.call("GET", "/_emulator/stats")["requests"] == before


def test_missing_credentials_is_a_configuration_error(dcsctl, base_env, emulator_url):
    result = dcsctl(
        "instance",
        "show",
        "--instance",
        INSTANCE,
        env={**base_env, "DCS_ENDPOINT": emulator_url},
    )
    assert result.returncode == 2
    assert "credentials are missing" in result.stderr


def test_main_help(dcsctl, base_env):
    for flag in ("--help", "-h"):
        result = dcsctl(flag, env=base_env)
        assert result.returncode == 0
        for command in COMMANDS:
            assert command in result.stdout
        assert "Exit codes:" in result.stdout
        for code in ("0", "1", "2", "3", "4", "5", "6", "130"):
            assert f"\n  {code} " in result.stdout
        assert (
            "HUAWEICLOUD_SDK_AK" in result.stdout and "--config FILE" in result.stdout
        )


@pytest.mark.parametrize("command", COMMANDS)
def test_command_help(dcsctl, base_env, command):
    result = dcsctl(*command.split(), "--help", env=base_env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Usage: dcsctl {command} ")
    assert "Options:" in result.stdout and "Exit codes:" in result.stdout


def test_restore_help_documents_its_options(dcsctl, base_env):
    text = dcsctl("restore", "--help", env=base_env).stdout
    for option in (
        "--instance ID",
        "--backup ID",
        "--remark TEXT",
        "--wait",
        "--wait-instance",
        "--no-preflight",
        "--timeout DURATION",
        "--json",
    ):
        assert option in text


@pytest.mark.parametrize("group", ["restores", "backups", "instance"])
def test_group_help(dcsctl, base_env, group):
    result = dcsctl(group, "--help", env=base_env)
    assert result.returncode == 0
    assert f"Usage: dcsctl {group} SUBCOMMAND" in result.stdout
