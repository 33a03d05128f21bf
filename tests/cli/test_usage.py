"""Usage errors (exit 2) and --help for the tool, each group and each command."""

import pytest

COMMANDS = [
    "restore",
    "restores list",
    "restores get",
    "restores find",
    "backups list",
    "backups create",
    "backups delete",
    "instance show",
    "version",
]
INSTANCE = "6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b"
FIND = ["restores", "find", "--instance", INSTANCE, "--backup", "b"]
RESTORE = ["restore", "--instance", INSTANCE, "--backup", "b"]


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
        (
            ["restores", "find", "--instance", INSTANCE, "--backup", "b"],
            "--since is required",
        ),
        (
            ["restores", "find", "--instance", INSTANCE, "--since", "1h"],
            "--backup is required",
        ),
        (
            ["restores", "find", "--backup", "b", "--since", "1h"],
            "--instance is required",
        ),
        (FIND + ["--since", "yesterday"], "is neither an RFC 3339 time"),
        (FIND + ["--since", "2026-11-27T10:00:00"], "with a zone"),
        (FIND + ["--since", "2026-02-30T10:00:00Z"], "is neither an RFC 3339 time"),
        (FIND + ["--since", "2026-11-27 10:00:00Z"], "is neither an RFC 3339 time"),
        (FIND + ["--since", "31d"], "is neither an RFC 3339 time"),
        (FIND + ["--since", "1h", "--wait"], "'restores find' does not take --wait"),
        (FIND + ["--since", "1h", "--backup", "c"], "more than once"),
        (
            ["restores", "list", "--instance", INSTANCE, "--since", "1h"],
            "'restores list' does not take --since",
        ),
        (
            ["instance", "show", "--instance", INSTANCE, "--wait-while-busy"],
            "does not take --wait-while-busy",
        ),
        (
            ["backups", "create", "--instance", INSTANCE, "--reconcile-window", "1s"],
            "does not take --reconcile-window",
        ),
        (RESTORE + ["--reconcile-window", "2h"], "must be at most 1 hour"),
        (RESTORE + ["--reconcile-window", "-1s"], "is not a duration"),
        (RESTORE + ["--attempt-timeout", "0"], "must be positive and at most 7 days"),
        (RESTORE + ["--attempt-timeout", "8d"], "is not a duration"),
        (RESTORE + ["--attempt-timeout"], "--attempt-timeout needs a value"),
        (RESTORE + ["--wait-while-busy=yes"], "--wait-while-busy takes no value"),
        (
            [
                "restores",
                "find",
                "--instance",
                "../x",
                "--backup",
                "b",
                "--since",
                "1h",
            ],
            "instance_id",
        ),
        (FIND + ["--since", "1h", "--remark", "a\nb"], "remark"),
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
        "--attempt-timeout DURATION",
        "--reconcile-window DURATION",
        "--wait-while-busy",
        "--json",
    ):
        assert option in text
    assert "restores find" in text and "unresolved" in text


def test_restores_find_help_documents_its_options(dcsctl, base_env):
    text = dcsctl("restores", "find", "--help", env=base_env).stdout
    for option in ("--instance ID", "--backup ID", "--remark TEXT", "--since TIME"):
        assert option in text
    assert "2026-11-27T10:00:00Z" in text and "10m" in text


@pytest.mark.parametrize("group", ["restores", "backups", "instance"])
def test_group_help(dcsctl, base_env, group):
    result = dcsctl(group, "--help", env=base_env)
    assert result.returncode == 0
    assert f"Usage: dcsctl {group} SUBCOMMAND" in result.stdout
