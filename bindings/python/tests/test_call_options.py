"""The C call options of main-thread calls, kept from call to call per distinct settings
(dcs/_options.py, _blocking.WatchingToken): each call gets exactly its own settings, checked
from the emulator's side, and a call like an earlier one makes no new options."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest

import dcs
from dcs import _blocking, _client
from dcs._options import Settings, new_call_options

from conftest import Emulator

Maker = Callable[[int, Settings | None], int]


def _restore_posts(emulator: Emulator) -> int:
    return sum(1 for r in emulator.requests() if r["operation"] == "RestoreInstance")


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every C call options object made while the test runs: "kept" by the main thread's
    token, "own" by a call that frees it. The test starts with a fresh token."""
    assert threading.current_thread() is threading.main_thread()
    assert _blocking._watch_fd is not None, "this libdcs cannot watch an fd"
    log: list[str] = []

    def counting(where: str, real: Maker) -> Maker:
        def make(token: int, key: Settings | None) -> int:
            log.append(where)
            return real(token, key)

        return make

    monkeypatch.setattr(_blocking, "new_call_options", counting("kept", new_call_options))
    monkeypatch.setattr(_client, "new_call_options", counting("own", new_call_options))
    monkeypatch.setattr(_blocking._main_calls, "_token", None)
    yield log


def _operations(emulator: Emulator, instance_id: str) -> list[str]:
    """The operations the emulator received for the instance, in order."""
    return [r["operation"] for r in emulator.requests() if instance_id in str(r["path"])]


def test_kept_preflight_options_apply_to_preflight_calls_only(
    client: dcs.Client, emulator: Emulator
) -> None:
    single = emulator.create_instance(cache_mode="single")
    single_backup = emulator.create_backup(single)
    for _ in range(2):  # the second call takes the options the first one left
        with pytest.raises(dcs.PreconditionError):
            client.restore_instance(single, single_backup, preflight=True)
    assert "RestoreInstance" not in _operations(emulator, single)

    checked, plain, checked_again = (emulator.create_instance(cache_mode="ha") for _ in range(3))
    client.restore_instance(checked, emulator.create_backup(checked), preflight=True)
    client.restore_instance(plain, emulator.create_backup(plain))
    client.restore_instance(checked_again, emulator.create_backup(checked_again), preflight=True)
    # The pre-flight reads the instance before posting; the plain call only posts.
    assert _operations(emulator, plain) == ["RestoreInstance"]
    for instance_id in (checked, checked_again):
        operations = _operations(emulator, instance_id)
        assert operations[-1] == "RestoreInstance" and "ShowInstance" in operations[:-1]
    assert emulator.stats()["restores_started"] == 3


def test_kept_timeout_options_apply_to_their_calls_only(
    client: dcs.Client, emulator: Emulator, instance: str
) -> None:
    for _ in range(2):
        emulator.fault(operation="ShowInstance", kind="delay", delay_ms=3000, count=1)
        started = time.monotonic()
        with pytest.raises(dcs.DcsTimeoutError):
            client.show_instance(instance, timeout=0.3)
        assert time.monotonic() - started < 1.5

    # The client's 10 s, not the 0.3 s kept for the calls above.
    fault = emulator.fault(operation="ShowInstance", kind="delay", delay_ms=1000, count=1)
    started = time.monotonic()
    assert client.show_instance(instance).instance_id == instance
    assert time.monotonic() - started >= 1.0
    assert emulator.fired(fault["id"]) == 1


def test_a_call_like_an_earlier_one_makes_no_options(
    client: dcs.Client, emulator: Emulator, instance: str, backup: str, made: list[str]
) -> None:
    before = emulator.stats()["requests"]
    for _ in range(3):
        client.show_instance(instance)
        client.show_instance(instance, timeout=5)
    restore_id = client.restore_instance(instance, backup, timeout=5)
    assert client.get_restore(instance, restore_id, timeout=5).restore_id == restore_id
    assert emulator.stats()["requests"] - before == 8  # every call really ran
    assert made == ["kept", "kept"]  # the client's settings, and timeout=5


def test_only_a_few_settings_are_kept(
    client: dcs.Client, emulator: Emulator, instance: str, made: list[str]
) -> None:
    kept = _blocking._MAX_KEPT_OPTIONS
    timeouts = [5 + i for i in range(kept + 2)]
    for timeout in timeouts + timeouts:
        assert client.show_instance(instance, timeout=timeout).instance_id == instance
    # The first `kept` settings once each; the two after them at every call.
    assert made == ["kept"] * kept + ["own"] * 2 + ["own"] * 2


def test_a_restore_on_a_token_cancelled_in_advance_posts_nothing(
    client: dcs.Client, emulator: Emulator, instance: str, backup: str
) -> None:
    token = dcs.CancelToken()
    token.cancel()
    with pytest.raises(dcs.DcsCancelledError):
        client.restore_instance(instance, backup, cancel=token)
    assert _restore_posts(emulator) == 0
    # The main thread's token that the cancel reached is not reused.
    assert client.restore_instance(instance, backup)
    assert emulator.stats()["restores_started"] == 1


def test_a_closed_client_refuses_a_restore(emulator: Emulator, instance: str, backup: str) -> None:
    from conftest import client_args

    c = dcs.Client(**client_args(emulator))
    c.close()
    with pytest.raises(dcs.InvalidArgumentError, match="closed"):
        c.restore_instance(instance, backup)
    assert _restore_posts(emulator) == 0
