"""AsyncClient: coroutines over a thread pool, and task cancellation reaching the C call."""

from __future__ import annotations

import asyncio
import inspect
import time
import typing

import pytest

import dcs

from conftest import DEMO_INSTANCE, Emulator, client_args


def test_async_restore_and_wait(emulator: Emulator, instance: str, backup: str) -> None:
    async def main() -> dcs.Restore:
        async with dcs.AsyncClient(**client_args(emulator)) as aio:
            restore_id = await aio.restore_instance(instance, backup)
            return await aio.wait_for_restore(instance, restore_id, poll_interval=0.05)

    record = asyncio.run(asyncio.wait_for(main(), 30))
    assert record.status == "succeed"
    assert emulator.data(instance) == {"greeting": "hello", "counter": "1"}


def test_async_calls_run_concurrently(client: dcs.Client, emulator: Emulator) -> None:
    emulator.fault(operation="ShowInstance", kind="delay", delay_ms=500)

    async def main() -> list[dcs.Instance]:
        aio = client.aio
        try:
            return await asyncio.gather(*(aio.show_instance(DEMO_INSTANCE) for _ in range(8)))
        finally:
            await aio.aclose()

    started = time.monotonic()
    shown = asyncio.run(asyncio.wait_for(main(), 30))
    assert time.monotonic() - started < 1.0
    assert [i.name for i in shown] == ["demo-redis"] * 8
    assert not client.closed  # client.aio shares the client, never closes it


def test_task_cancellation_cancels_the_c_call(
    client: dcs.Client, emulator: Emulator, instance: str, backup: str
) -> None:
    emulator.set_timings(restore_running_ms=60_000)
    restore_id = client.restore_instance(instance, backup)

    async def main() -> float:
        aio = client.aio
        task = asyncio.create_task(
            aio.wait_for_restore(instance, restore_id, poll_interval=1.0, timeout=60)
        )
        await asyncio.sleep(0.3)
        task.cancel()
        cancelled_at = time.monotonic()
        with pytest.raises(asyncio.CancelledError):
            await task
        ended = time.monotonic() - cancelled_at
        await aio.aclose()  # the worker thread is free again: shutdown does not hang
        return ended

    assert asyncio.run(asyncio.wait_for(main(), 30)) < 0.5


def test_async_errors_and_user_tokens(client: dcs.Client, emulator: Emulator) -> None:
    emulator.fault(operation="ShowInstance", kind="delay", delay_ms=5000)

    async def main() -> None:
        aio = client.aio
        token = dcs.CancelToken()
        asyncio.get_running_loop().call_later(0.2, token.cancel)
        with pytest.raises(dcs.DcsCancelledError):
            await aio.show_instance(DEMO_INSTANCE, cancel=token)
        with pytest.raises(dcs.InvalidArgumentError):
            await aio.show_instance("../etc")
        await aio.aclose()

    asyncio.run(asyncio.wait_for(main(), 30))


def test_wait_for_timeout_on_a_task(client: dcs.Client, emulator: Emulator) -> None:
    emulator.fault(operation="ShowInstance", kind="delay", delay_ms=5000)

    async def main() -> None:
        aio = client.aio
        started = time.monotonic()
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(aio.show_instance(DEMO_INSTANCE), 0.3)
        assert time.monotonic() - started < 1.0
        await aio.aclose()

    asyncio.run(asyncio.wait_for(main(), 30))


def test_client_aio_is_made_once_and_kept(client: dcs.Client) -> None:
    aio = client.aio
    assert client.aio is aio
    assert aio.client is client

    async def close_it() -> None:
        await aio.aclose()

    asyncio.run(close_it())
    assert not client.closed  # it shared the client
    renewed = client.aio
    assert renewed is not aio  # a closed one is not handed out again
    assert client.aio is renewed


def test_closing_the_client_cancels_its_async_calls(emulator: Emulator) -> None:
    client = dcs.Client(**client_args(emulator))
    emulator.fault(operation="ShowInstance", kind="delay", delay_ms=5000)

    async def main() -> float:
        aio = client.aio
        task = asyncio.create_task(aio.show_instance(DEMO_INSTANCE))
        while emulator.stats()["faults_fired"] < 1:
            await asyncio.sleep(0.02)
        started = time.monotonic()
        await asyncio.get_running_loop().run_in_executor(None, client.close)
        with pytest.raises(dcs.DcsCancelledError):
            await task
        with pytest.raises(dcs.InvalidArgumentError, match="closed"):
            await aio.show_instance(DEMO_INSTANCE)
        return time.monotonic() - started

    assert asyncio.run(asyncio.wait_for(main(), 30)) < 2.0


def test_async_client_takes_exactly_the_client_arguments(emulator: Emulator) -> None:
    # AsyncClient(**arguments) is typed by ClientArguments, which must list Client's
    # parameters with Client's annotations (mypy then checks the call against Client).
    from dcs._client import ClientArguments

    parameters = list(inspect.signature(dcs.Client.__init__).parameters)[1:]
    assert list(ClientArguments.__annotations__) == parameters
    client_hints = typing.get_type_hints(dcs.Client.__init__)
    del client_hints["return"]
    assert typing.get_type_hints(ClientArguments) == client_hints

    async def main() -> str:
        async with dcs.AsyncClient(**client_args(emulator), max_attempts=2, verify=True) as aio:
            return (await aio.show_instance(DEMO_INSTANCE)).instance_id

    assert asyncio.run(asyncio.wait_for(main(), 30)) == DEMO_INSTANCE
    with pytest.raises(dcs.InvalidArgumentError):
        dcs.AsyncClient(dcs.Client(**client_args(emulator)), timeout=1.0)
    with pytest.raises(TypeError):
        dcs.AsyncClient(not_an_argument=1)  # type: ignore[call-arg]
