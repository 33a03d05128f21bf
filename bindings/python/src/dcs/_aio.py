"""AsyncClient: the same calls as coroutines, for asyncio programs.

Each call runs the blocking C call on a worker thread (ctypes releases the GIL, so the
event loop keeps running). Every call gets its own cancel token: when the awaiting task is
cancelled, the token is cancelled too, the C call returns within about 100 ms, and only
then does the task finish with ``asyncio.CancelledError``, so no request outlives it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import functools
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from ._cancel import CancelToken, private_token
from ._client import Client, ClientArguments, ProgressCallback, Since, TimeFilter
from ._errors import invalid_argument
from ._models import Backup, Instance, Restore, RestoreOutcome, RestorePlan
from ._select import LATEST

if TYPE_CHECKING:
    from typing_extensions import Unpack

T = TypeVar("T")

_DEFAULT_WORKERS = 16


class AsyncClient:
    """An asyncio front of :class:`Client`: ``AsyncClient(**client_arguments)`` or ``client.aio``.

    Built from keyword arguments (those of :class:`Client`) it owns a new :class:`Client`
    and closes it in :meth:`aclose`; built from an existing ``Client`` it shares it and
    leaves it open. Calls run on a thread pool of ``max_workers`` threads (default 16),
    which bounds how many calls of this object are in flight at once.

    ``progress`` callbacks of :meth:`wait_for_restore` run on the worker thread; use
    ``loop.call_soon_threadsafe`` in them to touch loop-bound objects.
    """

    def __init__(
        self,
        client: Client | None = None,
        *,
        max_workers: int | None = None,
        **arguments: Unpack[ClientArguments],
    ) -> None:
        if client is not None and arguments:
            raise invalid_argument("give either a Client or the arguments to build one")
        if client is not None and not isinstance(client, Client):
            raise invalid_argument("client must be a dcs.Client")
        workers = _DEFAULT_WORKERS if max_workers is None else max_workers
        if isinstance(workers, bool) or not isinstance(workers, int) or workers <= 0:
            raise invalid_argument("max_workers must be a positive int")
        self._owns_client = client is None
        self._client = Client(**arguments) if client is None else client
        self._executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=workers, thread_name_prefix="dcs-aio"
        )
        self._stopped = False

    @property
    def client(self) -> Client:
        """The blocking :class:`Client` underneath."""
        return self._client

    async def aclose(self) -> None:
        """Stops the worker threads and, if this object created its client, closes it.

        Closing the client cancels the calls still in flight; a shared client is left
        open, and the calls this object is running on it are waited for.
        """
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, self._shutdown)

    def _shutdown(self) -> None:
        if self._owns_client:
            self._client.close()
        self._stop_workers(wait=True)

    def _stop_workers(self, *, wait: bool) -> None:
        self._stopped = True
        self._executor.shutdown(wait=wait)

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"<dcs.AsyncClient {self._client!r}>"

    async def _run(self, cancel: CancelToken | None, fn: Callable[..., T], **kwargs: Any) -> T:
        if cancel is not None and not isinstance(cancel, CancelToken):
            raise invalid_argument("cancel must be a dcs.CancelToken or None")
        if self._stopped:
            raise invalid_argument("the AsyncClient is closed")
        loop = asyncio.get_running_loop()
        with private_token(cancel) as token:
            future = loop.run_in_executor(
                self._executor, functools.partial(fn, cancel=token, **kwargs)
            )
            try:
                return await asyncio.shield(future)
            except asyncio.CancelledError:
                # The task was cancelled: stop the C call and let it come back before the
                # task ends. Its DcsCancelledError is the expected outcome, not news.
                token.cancel()
                with contextlib.suppress(Exception):
                    await future
                raise

    async def start_restore(
        self,
        instance_id: str,
        backup_id: str,
        remark: str | None = None,
        *,
        before: Since | None = None,
        backup_type: str | None = None,
        backup_name: str | None = None,
        preflight: bool = False,
        attempt_timeout: float | None = None,
        reconcile_window: float | None = None,
        wait_while_busy: bool = False,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> RestoreOutcome:
        """See :meth:`Client.start_restore`."""
        return await self._run(
            cancel,
            self._client.start_restore,
            instance_id=instance_id,
            backup_id=backup_id,
            remark=remark,
            before=before,
            backup_type=backup_type,
            backup_name=backup_name,
            preflight=preflight,
            attempt_timeout=attempt_timeout,
            reconcile_window=reconcile_window,
            wait_while_busy=wait_while_busy,
            timeout=timeout,
        )

    async def restore_instance(
        self,
        instance_id: str,
        backup_id: str,
        remark: str | None = None,
        *,
        before: Since | None = None,
        backup_type: str | None = None,
        backup_name: str | None = None,
        preflight: bool = False,
        attempt_timeout: float | None = None,
        reconcile_window: float | None = None,
        wait_while_busy: bool = False,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> str:
        """See :meth:`Client.restore_instance`."""
        return await self._run(
            cancel,
            self._client.restore_instance,
            instance_id=instance_id,
            backup_id=backup_id,
            remark=remark,
            before=before,
            backup_type=backup_type,
            backup_name=backup_name,
            preflight=preflight,
            attempt_timeout=attempt_timeout,
            reconcile_window=reconcile_window,
            wait_while_busy=wait_while_busy,
            timeout=timeout,
        )

    async def wait_for_restore(
        self,
        instance_id: str,
        restore_id: str,
        *,
        progress: ProgressCallback | None = None,
        poll_interval: float | None = None,
        max_poll_interval: float | None = None,
        wait_for_instance: bool = False,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> Restore:
        """See :meth:`Client.wait_for_restore`; ``progress`` runs on a worker thread."""
        return await self._run(
            cancel,
            self._client.wait_for_restore,
            instance_id=instance_id,
            restore_id=restore_id,
            progress=progress,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            wait_for_instance=wait_for_instance,
            timeout=timeout,
        )

    async def list_restores(
        self,
        instance_id: str,
        *,
        begin_time: TimeFilter | None = None,
        end_time: TimeFilter | None = None,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> list[Restore]:
        """See :meth:`Client.list_restores`."""
        return await self._run(
            cancel,
            self._client.list_restores,
            instance_id=instance_id,
            begin_time=begin_time,
            end_time=end_time,
            timeout=timeout,
        )

    async def get_restore(
        self,
        instance_id: str,
        restore_id: str,
        *,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> Restore:
        """See :meth:`Client.get_restore`."""
        return await self._run(
            cancel,
            self._client.get_restore,
            instance_id=instance_id,
            restore_id=restore_id,
            timeout=timeout,
        )

    async def find_restore(
        self,
        instance_id: str,
        backup_id: str,
        since: Since,
        remark: str | None = None,
        *,
        attempt_timeout: float | None = None,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> Restore:
        """See :meth:`Client.find_restore`."""
        return await self._run(
            cancel,
            self._client.find_restore,
            instance_id=instance_id,
            backup_id=backup_id,
            since=since,
            remark=remark,
            attempt_timeout=attempt_timeout,
            timeout=timeout,
        )

    async def list_backups(
        self,
        instance_id: str,
        *,
        begin_time: TimeFilter | None = None,
        end_time: TimeFilter | None = None,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> list[Backup]:
        """See :meth:`Client.list_backups`."""
        return await self._run(
            cancel,
            self._client.list_backups,
            instance_id=instance_id,
            begin_time=begin_time,
            end_time=end_time,
            timeout=timeout,
        )

    async def create_backup(
        self,
        instance_id: str,
        remark: str | None = None,
        backup_format: str | None = None,
        *,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> str:
        """See :meth:`Client.create_backup`."""
        return await self._run(
            cancel,
            self._client.create_backup,
            instance_id=instance_id,
            remark=remark,
            backup_format=backup_format,
            timeout=timeout,
        )

    async def delete_backup(
        self,
        instance_id: str,
        backup_id: str,
        *,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> None:
        """See :meth:`Client.delete_backup`."""
        await self._run(
            cancel,
            self._client.delete_backup,
            instance_id=instance_id,
            backup_id=backup_id,
            timeout=timeout,
        )

    async def select_backup(
        self,
        instance_id: str,
        *,
        before: Since | None = None,
        backup_type: str | None = None,
        backup_name: str | None = None,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> Backup:
        """See :meth:`Client.select_backup`."""
        return await self._run(
            cancel,
            self._client.select_backup,
            instance_id=instance_id,
            before=before,
            backup_type=backup_type,
            backup_name=backup_name,
            timeout=timeout,
        )

    async def plan_restore(
        self,
        instance_id: str,
        backup_id: str = LATEST,
        *,
        before: Since | None = None,
        backup_type: str | None = None,
        backup_name: str | None = None,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> RestorePlan:
        """See :meth:`Client.plan_restore`."""
        return await self._run(
            cancel,
            self._client.plan_restore,
            instance_id=instance_id,
            backup_id=backup_id,
            before=before,
            backup_type=backup_type,
            backup_name=backup_name,
            timeout=timeout,
        )

    async def show_instance(
        self,
        instance_id: str,
        *,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> Instance:
        """See :meth:`Client.show_instance`."""
        return await self._run(
            cancel, self._client.show_instance, instance_id=instance_id, timeout=timeout
        )
