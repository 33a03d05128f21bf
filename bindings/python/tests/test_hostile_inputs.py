"""Hostile inputs are refused with InvalidArgumentError and nothing reaches the network."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import dcs

from conftest import DEMO_AK, DEMO_BACKUP, DEMO_INSTANCE, DEMO_PROJECT, DEMO_SK, Emulator

HOSTILE_IDS: list[Any] = [
    "../",
    "../../v2/other-project/instances",
    "a%2Fb",
    "%2e%2e",
    "abc?limit=1",
    "abc#frag",
    "abc\r\nX-Injected: 1",
    "abc\n",
    "abc\x00def",
    "\x00",
    "a" * 1_000_000,
    "\ud800",
    "abc\udcff",
    "",
    " ",
    "inst ance",
    "ünïcode",
    b"6b7a1f0e",
    42,
    None,
    ["6b7a1f0e"],
]

HOSTILE_REMARKS: list[Any] = [
    "line\r\nX-Injected: 1",
    "nul\x00byte",
    "r" * 1_000_000,
    "\ud800",
    b"bytes",
    7,
]

# Each operation with the hostile value put in one of its string arguments.
ID_CALLS: dict[str, Callable[[dcs.Client, Any], Any]] = {
    "restore_instance.instance_id": lambda c, v: c.restore_instance(v, DEMO_BACKUP),
    "restore_instance.backup_id": lambda c, v: c.restore_instance(DEMO_INSTANCE, v),
    "start_restore.instance_id": lambda c, v: c.start_restore(v, DEMO_BACKUP),
    "start_restore.backup_id": lambda c, v: c.start_restore(DEMO_INSTANCE, v),
    "find_restore.instance_id": lambda c, v: c.find_restore(v, DEMO_BACKUP, 0),
    "find_restore.backup_id": lambda c, v: c.find_restore(DEMO_INSTANCE, v, 0),
    "wait_for_restore.instance_id": lambda c, v: c.wait_for_restore(v, "r1", timeout=2),
    "wait_for_restore.restore_id": lambda c, v: c.wait_for_restore(DEMO_INSTANCE, v, timeout=2),
    "list_restores.instance_id": lambda c, v: c.list_restores(v),
    "get_restore.instance_id": lambda c, v: c.get_restore(v, "r1"),
    "get_restore.restore_id": lambda c, v: c.get_restore(DEMO_INSTANCE, v),
    "list_backups.instance_id": lambda c, v: c.list_backups(v),
    "create_backup.instance_id": lambda c, v: c.create_backup(v),
    "delete_backup.instance_id": lambda c, v: c.delete_backup(v, DEMO_BACKUP),
    "delete_backup.backup_id": lambda c, v: c.delete_backup(DEMO_INSTANCE, v),
    "show_instance.instance_id": lambda c, v: c.show_instance(v),
}

OTHER_CALLS: dict[str, Callable[[dcs.Client, Any], Any]] = {
    "restore_instance.remark": lambda c, v: c.restore_instance(DEMO_INSTANCE, DEMO_BACKUP, v),
    "start_restore.remark": lambda c, v: c.start_restore(DEMO_INSTANCE, DEMO_BACKUP, v),
    "find_restore.remark": lambda c, v: c.find_restore(DEMO_INSTANCE, DEMO_BACKUP, 0, v),
    "create_backup.remark": lambda c, v: c.create_backup(DEMO_INSTANCE, v),
}


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 40 else text[:37] + "..."


def _assert_nothing_sent(emulator: Emulator) -> None:
    assert emulator.requests() == []
    assert emulator.stats()["requests"] == 0


@pytest.mark.parametrize("call", list(ID_CALLS), ids=list(ID_CALLS))
def test_hostile_ids_are_refused_before_sending(
    client: dcs.Client, emulator: Emulator, call: str
) -> None:
    for value in HOSTILE_IDS:
        with pytest.raises(dcs.InvalidArgumentError) as info:
            ID_CALLS[call](client, value)
        err = info.value
        assert isinstance(err, ValueError)
        assert err.status is dcs.Status.INVALID_ARGUMENT, _short(value)
        assert err.request_sent is dcs.RequestSent.NO
        assert err.http_status == 0
        assert len(str(err)) < 300, "the message must not echo a huge value"
    _assert_nothing_sent(emulator)


@pytest.mark.parametrize("call", list(OTHER_CALLS), ids=list(OTHER_CALLS))
def test_hostile_remarks_are_refused_before_sending(
    client: dcs.Client, emulator: Emulator, call: str
) -> None:
    for value in HOSTILE_REMARKS:
        with pytest.raises(dcs.InvalidArgumentError):
            OTHER_CALLS[call](client, value)
    _assert_nothing_sent(emulator)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"begin_time": "2024-01-01"},
        {"begin_time": "20240101000000\x00"},
        {"end_time": "../../x"},
        {"end_time": "2024010100000\n"},
        {"begin_time": 20240101000000},
        {"timeout": 0},
        {"timeout": -1},
        {"timeout": float("nan")},
        {"timeout": float("inf")},
        {"timeout": "5"},
        {"cancel": "not a token"},
    ],
    ids=_short,
)
def test_hostile_options_are_refused(
    client: dcs.Client, emulator: Emulator, kwargs: dict[str, Any]
) -> None:
    with pytest.raises(dcs.InvalidArgumentError):
        client.list_restores(DEMO_INSTANCE, **kwargs)
    _assert_nothing_sent(emulator)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"poll_interval": 0},
        {"max_poll_interval": -5},
        {"progress": "print"},
        {"wait_for_instance": "yes"},
    ],
    ids=_short,
)
def test_hostile_wait_options_are_refused(
    client: dcs.Client, emulator: Emulator, kwargs: dict[str, Any]
) -> None:
    with pytest.raises(dcs.InvalidArgumentError):
        client.wait_for_restore(DEMO_INSTANCE, "r1", timeout=2, **kwargs)
    _assert_nothing_sent(emulator)


def test_hostile_backup_format_and_preflight(client: dcs.Client, emulator: Emulator) -> None:
    for fmt in ["zip", "rdb\x00", "rdb\r\n", ""]:
        with pytest.raises(dcs.InvalidArgumentError):
            client.create_backup(DEMO_INSTANCE, None, fmt)
    with pytest.raises(dcs.InvalidArgumentError):
        client.restore_instance(DEMO_INSTANCE, DEMO_BACKUP, preflight="yes")  # type: ignore[arg-type]
    _assert_nothing_sent(emulator)


@pytest.mark.parametrize(
    "overrides",
    [
        {"endpoint": "http://127.0.0.1:1/path?q=1"},
        {"endpoint": "http://user:pw@127.0.0.1:1"},
        {"endpoint": "ftp://127.0.0.1:1"},
        {"endpoint": "http://127.0.0.1:1\x00.evil"},
        {"region": "../../evil"},
        {"region": "eu\r\nwest"},
        {"sk": "MARKER-sk\r\nX-Injected: 1"},
        {"sk": "MARKER-sk\x00hidden"},
        {"sk": "\ud800"},
        {"ak": "AK\nK"},
        {"project_id": "../other"},
        {"project_id": ""},
        {"security_token": "tok\r\nen"},
        {"timeout": 0},
        {"max_attempts": 0},
        {"max_attempts": True},
        {"verify": "no"},
        {"log": "stderr"},
    ],
    ids=_short,
)
def test_hostile_client_options_are_refused(emulator: Emulator, overrides: dict[str, Any]) -> None:
    args: dict[str, Any] = {
        "endpoint": emulator.url,
        "ak": DEMO_AK,
        "sk": DEMO_SK,
        "project_id": DEMO_PROJECT,
    }
    args.update(overrides)
    if "region" in overrides:
        del args["endpoint"]  # an explicit endpoint wins and the region goes unused
    with pytest.raises(dcs.InvalidArgumentError) as info:
        dcs.Client(**args)
    for text in (str(info.value), repr(info.value)):
        assert "MARKER" not in text
        assert "X-Injected" not in text
    _assert_nothing_sent(emulator)


def test_ak_without_sk_is_refused(emulator: Emulator) -> None:
    with pytest.raises(dcs.InvalidArgumentError, match="together"):
        dcs.Client(endpoint=emulator.url, ak=DEMO_AK, project_id=DEMO_PROJECT)
