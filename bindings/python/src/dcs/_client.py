"""Client: the blocking API over one libdcs client handle."""

from __future__ import annotations

import ctypes
import datetime as _dt
import logging
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar

from . import _args
from ._blocking import Relay, WatchingToken, call_blocking
from ._cancel import CancelToken
from ._credentials import CredentialsProvider, trampoline
from ._errors import invalid_argument
from ._ffi import call, error_from, new_handle, take_string, text
from ._models import Backup, Instance, Restore, RestoreOutcome
from ._native import LOG_FN, PROGRESS_FN, LibraryError, lib
from ._options import Settings, new_call_options
from ._options import settings as call_settings
from ._select import LATEST, BackupChoice, Filters

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ._aio import AsyncClient

LogCallback = Callable[[int, str], None]
"""``log(level, message)`` with level 1 error, 2 warning, 3 info, 4 debug."""

ProgressCallback = Callable[[Restore], None]
"""``progress(record)``, called with the restore record after every poll of a wait."""

TimeFilter = _dt.datetime | str

Since = _dt.datetime | float
"""A point in time: a timezone-aware ``datetime``, or seconds since the epoch (``time.time()``)."""

# DCS_LOG_* to the logging module's levels.
_LOGGING_LEVELS = {1: logging.ERROR, 2: logging.WARNING, 3: logging.INFO, 4: logging.DEBUG}
_DCS_LOG_DEBUG = 4


def _log_function(log: LogCallback | logging.Logger) -> LogCallback:
    if isinstance(log, logging.Logger):
        logger = log

        def to_logger(level: int, message: str) -> None:
            python_level = _LOGGING_LEVELS.get(level, logging.DEBUG)
            if logger.isEnabledFor(python_level):
                logger.log(python_level, "%s", message)

        return to_logger
    if callable(log):
        return log
    raise invalid_argument("log must be a callable(level, message) or a logging.Logger")


def _profile_arguments(
    profile: object, profile_file: str | None
) -> tuple[bytes | None, bytes | None]:
    """(section, file) for dcs_client_options_use_credentials_profile; section None = off,
    b"" = the default [basic]."""
    file_b = _args.optional_c_string("profile_file", profile_file)
    if profile is False or profile is None:
        if file_b is not None:
            return b"", file_b  # naming a file asks for it
        return None, None
    if profile is True:
        return b"", file_b
    if isinstance(profile, str):
        return _args.c_string("profile", profile), file_b
    raise invalid_argument("profile must be a bool or a section name")


def _metadata_argument(metadata: object) -> bytes | None:
    """The endpoint for dcs_client_options_use_credentials_metadata: None = off, b"" = ECS's."""
    if metadata is False or metadata is None:
        return None
    if metadata is True:
        return b""
    if isinstance(metadata, str):
        return _args.c_string("metadata", metadata)
    raise invalid_argument("metadata must be a bool or a base URL")


def _chain_function(name: str) -> Any:
    fn = getattr(lib, "dcs_client_options_" + name, None)
    if fn is None:
        raise LibraryError("this libdcs has no credentials chain (it needs libdcs 1.3)")
    return fn


def _cancel_token(cancel: object) -> CancelToken | None:
    if cancel is None or isinstance(cancel, CancelToken):
        return cancel
    raise invalid_argument("cancel must be a dcs.CancelToken or None")


def _flag(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise invalid_argument(f"{name} must be a bool")
    return value


def _call_reconcile_window_ms(reconcile_window: object) -> int | None:
    """A per-call reconcile window for dcs_call_options_set_reconcile_window_ms.

    There 0 means "the client's", so "look once" (0 s) is passed as 1 ms: the first
    listing outlasts it, which is the same thing. libdcs judges every other value.
    """
    ms = _args.optional_milliseconds("reconcile_window", reconcile_window)
    return 1 if ms == 0 else ms


T = TypeVar("T")

# The restore's foreign functions, looked up once: every restore goes through them.
_restore_instance_ext = lib.dcs_restore_instance_ext
_restore_outcome_free = lib.dcs_restore_outcome_free
_outcome_restore_id = lib.dcs_restore_outcome_restore_id


def _restore_id(h: int) -> str:
    """The outcome's restore id alone, for restore_instance: one foreign call, no record."""
    raw: bytes | None = _outcome_restore_id(h)
    return "" if raw is None else raw.decode("utf-8", "replace")


class _Settings(TypedDict, total=False):
    """A call's settings beyond its timeout; those left out, None or False are the client's."""

    preflight: bool
    attempt_timeout_ms: int | None
    reconcile_window_ms: int | None
    wait_while_busy: bool


class _Call:
    """``with _Call(...) as (handle, options)``: the C client and call options for one call.

    A class rather than a @contextmanager generator, because every call goes through it.
    While it lasts, :meth:`Client.close` cancels the call (the client's token adopts the
    call's own) and waits for it to end. The main thread's token keeps the options of its
    calls (_blocking.WatchingToken); any other call makes its own and frees them.
    """

    __slots__ = ("_client", "_key", "_owned", "_token")

    def __init__(self, client: Client, token: CancelToken | None, key: Settings | None) -> None:
        self._client = client
        self._token = token
        self._key = key
        self._owned = 0

    def __enter__(self) -> tuple[int, int]:
        client = self._client
        with client._lock:
            handle = client._handle
            if handle is None:
                raise invalid_argument("the client is closed")
            client._in_flight += 1
        token = self._token
        try:
            if token is None:
                token = client._closing
            else:
                client._closing._adopt(token)
            options = token.options(self._key) if type(token) is WatchingToken else 0
            if not options:
                options = self._owned = new_call_options(token._handle, self._key)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return handle, options

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._owned:
            lib.dcs_call_options_free(self._owned)
            self._owned = 0
        client = self._client
        if self._token is not None:
            client._closing._disown(self._token)
        with client._lock:
            client._in_flight -= 1
            if not client._in_flight and client._handle is None:
                client._idle.notify_all()


@contextmanager
def _list_options(begin: bytes | None, end: bytes | None) -> Iterator[int | None]:
    if begin is None and end is None:
        yield None
        return
    handle = new_handle(lib.dcs_list_options_new)
    try:
        if begin is not None:
            call(lib.dcs_list_options_set_begin_time, handle, begin)
        if end is not None:
            call(lib.dcs_list_options_set_end_time, handle, end)
        yield handle
    finally:
        lib.dcs_list_options_free(handle)


class ClientArguments(TypedDict, total=False):
    """The keyword arguments of :class:`Client`, for ``AsyncClient(**arguments)``."""

    region: str | None
    endpoint: str | None
    ak: str | None
    sk: str | None
    project_id: str | None
    security_token: str | None
    timeout: float | None
    ca_file: str | None
    verify: bool
    proxy: str | None
    max_attempts: int | None
    log: LogCallback | logging.Logger | None
    attempt_timeout: float | None
    reconcile_window: float | None
    connect_timeout: float | None
    max_response_bytes: int | None
    credentials_provider: CredentialsProvider | None
    profile: bool | str
    profile_file: str | None
    metadata: bool | str
    ca_dir: str | None


class Client(BackupChoice):
    """A client of the DCS API for one project, safe to share between threads.

    Every argument left as ``None`` falls back to the official SDKs' environment
    variables (``HUAWEICLOUD_SDK_AK``, ``HUAWEICLOUD_SDK_SK``,
    ``HUAWEICLOUD_SDK_PROJECT_ID``, ``HUAWEICLOUD_SDK_SECURITY_TOKEN``) and libdcs's
    ``DCS_REGION`` / ``DCS_ENDPOINT``; when neither SDK key is set, the Huawei Terraform
    provider's ``HW_ACCESS_KEY``, ``HW_SECRET_KEY``, ``HW_SECURITY_TOKEN``,
    ``HW_PROJECT_ID`` and ``HW_REGION_NAME`` (one set or the other, never mixed). An
    explicit ``endpoint`` wins over ``region``.

    ``timeout`` is the default deadline of a call in seconds, retries included (libdcs's
    default is 120 s; :meth:`wait_for_restore` has its own default of 30 minutes).
    ``attempt_timeout`` limits each request of a call, in seconds (default automatic: a
    quarter of the call's timeout, at least 1 s and at most 60 s), so that a request the
    service accepts and never answers ends in time to retry a read or to find out whether
    a restore started. ``reconcile_window`` is how long, in seconds, :meth:`start_restore`
    and :meth:`restore_instance` look for a restore that an ambiguous request may have
    started before they give up "unresolved" (default 30 s, at most 3600 s; 0 looks once):
    set it to the longest delay with which your service lists a new restore record.
    ``connect_timeout`` limits connection set-up, in seconds (default 10 s), and
    ``max_response_bytes`` is the largest response body accepted (default 1 MiB, from
    1 KiB to 1 GiB). ``verify=False`` turns TLS verification off (test endpoints only).
    ``ca_dir`` is a directory of trusted CA certificates in OpenSSL's hashed form, beside
    ``ca_file``; it must exist and be a directory. ``proxy`` left as ``None`` follows the
    environment (``https_proxy``/``HTTPS_PROXY``, ``http_proxy``/``HTTP_PROXY``,
    ``no_proxy``/``NO_PROXY``, read once when the client is created); a URL sends every
    request through that proxy; ``""`` connects directly whatever the environment says.
    ``HUAWEICLOUD_SDK_REGION_DCS_{REGION}`` may list several endpoints: one that cannot be
    reached is skipped for the next, never after a request may have left. A region outside
    the official DCS list (with neither ``endpoint`` nor that variable) raises
    :class:`InvalidArgumentError` at once, naming the closest known region.
    ``log`` receives the library's log lines, either as a ``logging.Logger`` or a
    ``callable(level, message)``; the lines never contain a secret.

    Credentials that expire: ``credentials_provider`` is a ``callable()`` returning
    :class:`dcs.Credentials` (keys, token, ``expires_at``); libdcs calls it when it first
    needs credentials and again before they expire, so a 30-minute wait with temporary
    credentials never fails half-way. It wins over keys. Without keys, ``profile`` reads the
    official SDKs' profile file (``True`` for its ``[basic]`` section, or a section name;
    ``profile_file`` overrides ``$HUAWEICLOUD_SDK_CREDENTIALS_FILE`` and
    ``~/.huaweicloud/credentials``), and then ``metadata`` fetches temporary credentials from
    the ECS metadata service (``True`` for 169.254.169.254, or a base URL for tests).

    libdcs alone judges the numbers (timeouts of at most 7 days, 1-100 attempts, ...): a
    value out of its range raises :class:`InvalidArgumentError`, never a silent clamp.

    Calls release the GIL while they run, so threads sharing one client do their network
    I/O in parallel. The secret key and security token are handed to libdcs and not kept
    on the Python object.
    """

    def __init__(
        self,
        region: str | None = None,
        endpoint: str | None = None,
        ak: str | None = None,
        sk: str | None = None,
        project_id: str | None = None,
        security_token: str | None = None,
        timeout: float | None = None,
        ca_file: str | None = None,
        verify: bool = True,
        proxy: str | None = None,
        max_attempts: int | None = None,
        log: LogCallback | logging.Logger | None = None,
        attempt_timeout: float | None = None,
        reconcile_window: float | None = None,
        connect_timeout: float | None = None,
        max_response_bytes: int | None = None,
        credentials_provider: CredentialsProvider | None = None,
        profile: bool | str = False,
        profile_file: str | None = None,
        metadata: bool | str = False,
        ca_dir: str | None = None,
    ) -> None:
        self._lock = threading.Lock()
        # Notified when the last call ends once close() has begun.
        self._idle = threading.Condition(self._lock)
        self._in_flight = 0
        self._handle: int | None = None
        self._aio: AsyncClient | None = None
        # Turn every argument into what C takes before the library sees any of them.
        region_b = _args.optional_c_string("region", region)
        endpoint_b = _args.optional_c_string("endpoint", endpoint)
        ak_b = _args.optional_c_string("ak", ak)
        sk_b = _args.optional_c_string("sk", sk)
        if (ak_b is None) != (sk_b is None):
            raise invalid_argument("ak and sk must be given together (or both left to env)")
        project_b = _args.optional_c_string("project_id", project_id)
        token_b = _args.optional_c_string("security_token", security_token)
        timeout_ms = _args.optional_milliseconds("timeout", timeout)
        ca_file_b = _args.optional_c_string("ca_file", ca_file)
        insecure = not _flag("verify", verify)
        proxy_b = _args.optional_c_string("proxy", proxy)
        ca_dir_b = _args.optional_c_string("ca_dir", ca_dir)
        attempts = None if max_attempts is None else _args.c_int("max_attempts", max_attempts)
        log_fn = None if log is None else _log_function(log)
        attempt_timeout_ms = _args.optional_nonzero_milliseconds("attempt_timeout", attempt_timeout)
        reconcile_window_ms = _args.optional_milliseconds("reconcile_window", reconcile_window)
        connect_timeout_ms = _args.optional_milliseconds("connect_timeout", connect_timeout)
        response_cap = (
            None
            if max_response_bytes is None
            else _args.c_size("max_response_bytes", max_response_bytes)
        )

        c_provider = None if credentials_provider is None else trampoline(credentials_provider)
        profile_name_b, profile_file_b = _profile_arguments(profile, profile_file)
        metadata_b = _metadata_argument(metadata)
        c_log = None
        options = new_handle(lib.dcs_client_options_new)
        try:
            if region_b is not None:
                call(lib.dcs_client_options_set_region, options, region_b)
            if endpoint_b is not None:
                call(lib.dcs_client_options_set_endpoint, options, endpoint_b)
            if ak_b is not None and sk_b is not None:
                call(lib.dcs_client_options_set_credentials, options, ak_b, sk_b)
            if project_b is not None:
                call(lib.dcs_client_options_set_project_id, options, project_b)
            if token_b is not None:
                call(lib.dcs_client_options_set_security_token, options, token_b)
            if timeout_ms is not None:
                call(lib.dcs_client_options_set_timeout_ms, options, timeout_ms)
            if ca_file_b is not None:
                call(lib.dcs_client_options_set_ca_file, options, ca_file_b)
            if insecure:
                call(lib.dcs_client_options_set_insecure, options, 1)
            if proxy_b is not None:
                call(lib.dcs_client_options_set_proxy, options, proxy_b)
            if ca_dir_b is not None:
                call(lib.dcs_client_options_set_ca_dir, options, ca_dir_b)
            if attempts is not None:
                call(lib.dcs_client_options_set_max_attempts, options, attempts)
            if attempt_timeout_ms is not None:
                call(lib.dcs_client_options_set_attempt_timeout_ms, options, attempt_timeout_ms)
            if reconcile_window_ms is not None:
                call(lib.dcs_client_options_set_reconcile_window_ms, options, reconcile_window_ms)
            if connect_timeout_ms is not None:
                call(lib.dcs_client_options_set_connect_timeout_ms, options, connect_timeout_ms)
            if response_cap is not None:
                call(lib.dcs_client_options_set_max_response_bytes, options, response_cap)
            if log_fn is not None:
                c_log = LOG_FN(lambda _ud, level, message: log_fn(level, text(message)))
                call(lib.dcs_client_options_set_log_callback, options, c_log, None, _DCS_LOG_DEBUG)
            call(lib.dcs_client_options_load_env, options)
            if c_provider is not None:
                call(_chain_function("set_credentials_provider"), options, c_provider, None)
            if profile_name_b is not None:
                use_profile = _chain_function("use_credentials_profile")
                call(use_profile, options, 1, profile_file_b, profile_name_b or None)
            if metadata_b is not None:
                use_metadata = _chain_function("use_credentials_metadata")
                call(use_metadata, options, 1, metadata_b or None)
            out = ctypes.c_void_p()
            call(lib.dcs_client_new, options, ctypes.byref(out))
        finally:
            lib.dcs_client_options_free(options)
        assert out.value is not None
        # Cancelled by close(): every call's token is this one or adopted by it.
        self._closing = CancelToken()
        # Python code may run inside this client's C calls (_blocking.py must know).
        self._calls_back = c_log is not None or c_provider is not None
        self._handle = out.value
        # The finalizer also keeps the log trampoline alive exactly as long as the handle.
        self._finalizer = weakref.finalize(self, _free_client, out.value, (c_log, c_provider))

    # -- lifetime ------------------------------------------------------------------------

    def close(self) -> None:
        """Closes the client and its connections. Idempotent.

        Calls still running on other threads (or tasks of :attr:`aio`) are cancelled: each
        raises :class:`DcsCancelledError` within about 100 ms, as if its own token had been
        cancelled; ``close`` returns once they all have. The callers' own tokens are left
        alone. Calls made afterwards raise :class:`InvalidArgumentError`. Do not close a
        client from a progress or log callback of one of its own calls: that call cannot
        end before the callback returns.
        """
        with self._lock:
            if self._handle is None:
                return
            self._handle = None
        self._closing.cancel()
        with self._lock:
            while self._in_flight:
                self._idle.wait()
            aio, self._aio = self._aio, None
        if aio is not None:
            # Without waiting: close() may run on one of those threads.
            aio._stop_workers(wait=False)
        self._finalizer()

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` has been called."""
        return self._handle is None

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<dcs.Client {'closed' if self.closed else 'open'}>"

    @property
    def aio(self) -> AsyncClient:
        """The :class:`AsyncClient` sharing this client, made on first use and kept.

        Its worker threads stop when this client closes; ``aclose()`` on it stops them
        sooner and leaves this client open (the next access then makes a new one).
        """
        from ._aio import AsyncClient

        with self._lock:
            if self._aio is None or self._aio._stopped:
                self._aio = AsyncClient(self)
            return self._aio

    def _calling(
        self, token: CancelToken | None, timeout_ms: int | None, **settings: Unpack[_Settings]
    ) -> _Call:
        """The C handle and the C call options for one call, in a with statement.

        ``token`` is the call's private token (see _blocking.Work), or None for none
        beyond this client's. :meth:`close` cancels the client's token, which adopts the
        call's own meanwhile, and waits until every call is over.
        """
        return _Call(self, token, call_settings(timeout_ms, **settings))

    # -- restore -------------------------------------------------------------------------

    def _restore(
        self,
        read: Callable[[int], T],
        instance_id: str,
        backup_id: str,
        remark: str | None,
        before: Since | None,
        backup_type: str | None,
        backup_name: str | None,
        preflight: bool,
        attempt_timeout: float | None,
        reconcile_window: float | None,
        wait_while_busy: bool,
        timeout: float | None,
        cancel: CancelToken | None,
    ) -> T:
        """:meth:`start_restore` and :meth:`restore_instance`: ``read`` makes the result of
        the C outcome. Positional, and shortcuts for what is left to its default: this is
        the binding's busiest way into libdcs."""
        iid = _args.c_string("instance_id", instance_id)
        bid = _args.c_string("backup_id", backup_id)
        if (
            backup_id == LATEST
            or before is not None
            or backup_type is not None
            or backup_name is not None
        ) and Filters(backup_id, before, backup_type, backup_name).chooses:
            backup_id = self.select_backup(
                instance_id,
                before=before,
                backup_type=backup_type,
                backup_name=backup_name,
                timeout=timeout,
                cancel=cancel,
            ).backup_id
            bid = _args.c_string("backup_id", backup_id)
        rmk = None if remark is None else _args.c_string("remark", remark)
        if (
            preflight is False
            and attempt_timeout is None
            and reconcile_window is None
            and wait_while_busy is False
            and timeout is None
        ):
            key = None  # the client's settings
        else:
            check = _flag("preflight", preflight)
            attempt_ms = _args.optional_nonzero_milliseconds("attempt_timeout", attempt_timeout)
            window_ms = _call_reconcile_window_ms(reconcile_window)
            busy = _flag("wait_while_busy", wait_while_busy)
            timeout_ms = _args.optional_nonzero_milliseconds("timeout", timeout)
            key = call_settings(timeout_ms, check, attempt_ms, window_ms, busy)

        def work(token: CancelToken | None, _relay: Relay | None) -> T:
            out = ctypes.c_void_p()
            err = ctypes.c_void_p()
            with _Call(self, token, key) as (h, opts):
                # _ffi.call unrolled: a frame less on the busiest way.
                status = _restore_instance_ext(
                    h, iid, bid, rmk, opts, ctypes.byref(out), ctypes.byref(err)
                )
            if status:
                raise error_from(status, err)
            try:
                return read(out.value)  # type: ignore[arg-type]
            finally:
                _restore_outcome_free(out.value)

        # _cancel_token only for a token given: a frame less in the usual case.
        token = cancel if cancel is None else _cancel_token(cancel)
        return call_blocking(work, token, calls_back=self._calls_back)

    def start_restore(
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
        """Starts restoring ``instance_id`` from its backup ``backup_id``, at most once.

        Returns a :class:`RestoreOutcome`: the restore id, and ``adopted``, which is
        ``True`` when the answer to the request was lost (or unreadable) and the id was
        found in the instance's restore records instead. The restore runs asynchronously:
        follow it with :meth:`wait_for_restore`.

        One restore per call: RestoreInstance is posted again only after an answer that
        proves nothing started (a busy code such as DCS.4096, a 429, or a failure before
        any byte was sent). After an ambiguous failure (no answer within the attempt's
        time, a closed connection, a 5xx, an unreadable 2xx) it is never posted again: the
        call looks for the restore of the same backup and remark created since it began,
        for up to ``reconcile_window`` seconds (default: the client's, 30 s; 0 looks
        once). When none is listed in time the call raises the ambiguous failure's error
        with ``request_sent`` :attr:`RequestSent.MAYBE` and a message that begins
        "unresolved": the restore may or may not have started; ask
        :meth:`find_restore` before restoring again.

        ``preflight=True`` first checks that the instance is RUNNING and not single-node
        and that the backup is its own, succeeded and restorable, raising
        :class:`PreconditionError` (nothing started) otherwise. ``attempt_timeout`` is
        each request's time limit in seconds (default: the client's).
        ``wait_while_busy=True`` waits out "the instance is busy" answers (backing up,
        not running, restoring for someone else) with backoff until ``timeout`` instead
        of giving up after the client's ``max_attempts``.

        ``backup_id="latest"`` restores the backup :meth:`select_backup` chooses: the
        newest restorable one, created strictly ``before`` a time if given, of
        ``backup_type`` and ``backup_name`` if given (:class:`NotFoundError`, nothing
        started, when none qualifies). The choice is a call of its own, with the same
        ``timeout``, made before the restore.
        """
        return self._restore(
            RestoreOutcome._from_handle,
            instance_id,
            backup_id,
            remark,
            before,
            backup_type,
            backup_name,
            preflight,
            attempt_timeout,
            reconcile_window,
            wait_while_busy,
            timeout,
            cancel,
        )

    def restore_instance(
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
        """Starts restoring ``instance_id`` from its backup ``backup_id``; returns the restore id.

        :meth:`start_restore` without the ``adopted`` flag: the same call, the same
        arguments, the same promise never to start two restores (and the same
        "unresolved" error when it cannot tell whether its request started one), and
        ``backup_id="latest"`` with its filters.
        """
        return self._restore(
            _restore_id,
            instance_id,
            backup_id,
            remark,
            before,
            backup_type,
            backup_name,
            preflight,
            attempt_timeout,
            reconcile_window,
            wait_while_busy,
            timeout,
            cancel,
        )

    def wait_for_restore(
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
        """Polls a restore until it succeeds, and returns its final record.

        Raises :class:`RestoreFailedError` (``error_code`` is the record's failure code)
        when it fails. ``progress`` is called with the record after every poll, on this
        thread; if it raises, the wait stops and that exception propagates. The first
        poll comes ``poll_interval`` seconds (default 5 s) after this client started (or
        adopted) the restore, and at once for a restore it did not start, which may have
        ended long ago. Later polls aim just after the end that the service's progress
        predicts (without progress, intervals grow by half) and are never more than
        ``max_poll_interval`` (default 30 s) apart; libdcs raises the maximum to a larger
        first interval, and lowers the first interval to a smaller maximum given alone.
        ``wait_for_instance=True`` also waits until the instance reports RUNNING again.
        ``timeout`` defaults to 30 minutes.
        """
        iid = _args.c_string("instance_id", instance_id)
        rid = _args.c_string("restore_id", restore_id)
        if progress is not None and not callable(progress):
            raise invalid_argument("progress must be a callable(Restore) or None")
        first_ms = _args.optional_milliseconds("poll_interval", poll_interval)
        max_ms = _args.optional_milliseconds("max_poll_interval", max_poll_interval)
        for_instance = _flag("wait_for_instance", wait_for_instance)
        timeout_ms = _args.optional_nonzero_milliseconds("timeout", timeout)

        def work(token: CancelToken | None, relay: Relay | None) -> Restore:
            def on_poll(_user_data: Any, record: int) -> None:
                # The record is borrowed for this callback only: convert it here.
                if relay is not None:
                    relay(Restore._from_handle(record))

            c_progress = PROGRESS_FN(on_poll)
            wait = new_handle(lib.dcs_wait_options_new)
            out = ctypes.c_void_p()
            try:
                # The maximum first, as the Go binding does: each setter moves the other
                # interval to keep first <= maximum, so this order keeps both as given.
                if max_ms is not None:
                    call(lib.dcs_wait_options_set_max_poll_interval_ms, wait, max_ms)
                if first_ms is not None:
                    call(lib.dcs_wait_options_set_poll_interval_ms, wait, first_ms)
                call(lib.dcs_wait_options_set_wait_for_instance, wait, int(for_instance))
                if relay is not None:
                    call(lib.dcs_wait_options_set_progress_callback, wait, c_progress, None)
                with self._calling(token, timeout_ms) as (h, opts):
                    call(lib.dcs_wait_for_restore, h, iid, rid, wait, opts, ctypes.byref(out))
            finally:
                lib.dcs_wait_options_free(wait)
            try:
                return Restore._from_handle(out.value)  # type: ignore[arg-type]
            finally:
                lib.dcs_restore_record_free(out.value)

        return call_blocking(work, _cancel_token(cancel), progress, calls_back=self._calls_back)

    # -- restore records -----------------------------------------------------------------

    def list_restores(
        self,
        instance_id: str,
        *,
        begin_time: TimeFilter | None = None,
        end_time: TimeFilter | None = None,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> list[Restore]:
        """Every restore record of the instance (all pages), optionally filtered by time.

        ``begin_time``/``end_time`` are datetimes (naive ones are taken as UTC) or
        ``yyyyMMddHHmmss`` strings in UTC.
        """
        iid = _args.c_string("instance_id", instance_id)
        begin = _args.filter_time("begin_time", begin_time)
        end = _args.filter_time("end_time", end_time)
        timeout_ms = _args.optional_nonzero_milliseconds("timeout", timeout)

        def work(token: CancelToken | None, _relay: Relay | None) -> list[Restore]:
            out = ctypes.c_void_p()
            with (
                _list_options(begin, end) as filt,
                self._calling(token, timeout_ms) as (h, opts),
            ):
                call(lib.dcs_list_restores, h, iid, filt, opts, ctypes.byref(out))
            try:
                count = int(lib.dcs_restore_list_count(out.value))
                return [
                    Restore._from_handle(lib.dcs_restore_list_at(out.value, i))
                    for i in range(count)
                ]
            finally:
                lib.dcs_restore_list_free(out.value)

        return call_blocking(work, _cancel_token(cancel), calls_back=self._calls_back)

    def get_restore(
        self,
        instance_id: str,
        restore_id: str,
        *,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> Restore:
        """One restore record; :class:`NotFoundError` if the instance has none with that id."""
        iid = _args.c_string("instance_id", instance_id)
        rid = _args.c_string("restore_id", restore_id)
        timeout_ms = _args.optional_nonzero_milliseconds("timeout", timeout)

        def work(token: CancelToken | None, _relay: Relay | None) -> Restore:
            out = ctypes.c_void_p()
            with self._calling(token, timeout_ms) as (h, opts):
                call(lib.dcs_get_restore, h, iid, rid, opts, ctypes.byref(out))
            try:
                return Restore._from_handle(out.value)  # type: ignore[arg-type]
            finally:
                lib.dcs_restore_record_free(out.value)

        return call_blocking(work, _cancel_token(cancel), calls_back=self._calls_back)

    def find_restore(
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
        """The earliest restore of ``backup_id`` with ``remark`` created since ``since``.

        This answers a :meth:`start_restore` / :meth:`restore_instance` that ended
        "unresolved" (``request_sent`` :attr:`RequestSent.MAYBE`): its request may or may
        not have started a restore. Call it (later, once the service has had time to list
        the restore) with the same ``instance_id``, ``backup_id`` and ``remark`` (``None``
        = none, as there) before deciding to restore again.

        ``since`` is a timezone-aware ``datetime`` or seconds since the epoch, by this
        machine's clock: take it just before the restore call (``time.time()`` or
        ``datetime.now(timezone.utc)``); libdcs allows for the service's clock as learnt
        from its Date headers, or for a minute of skew without one. Raises
        :class:`NotFoundError` when the instance has no such restore.
        """
        iid = _args.c_string("instance_id", instance_id)
        bid = _args.c_string("backup_id", backup_id)
        since_ms = _args.epoch_milliseconds("since", since)
        rmk = _args.optional_c_string("remark", remark)
        attempt_ms = _args.optional_nonzero_milliseconds("attempt_timeout", attempt_timeout)
        timeout_ms = _args.optional_nonzero_milliseconds("timeout", timeout)

        def work(token: CancelToken | None, _relay: Relay | None) -> Restore:
            out = ctypes.c_void_p()
            with self._calling(token, timeout_ms, attempt_timeout_ms=attempt_ms) as (h, opts):
                call(lib.dcs_find_restore, h, iid, bid, rmk, since_ms, opts, ctypes.byref(out))
            try:
                return Restore._from_handle(out.value)  # type: ignore[arg-type]
            finally:
                lib.dcs_restore_record_free(out.value)

        return call_blocking(work, _cancel_token(cancel), calls_back=self._calls_back)

    # -- backups -------------------------------------------------------------------------

    def list_backups(
        self,
        instance_id: str,
        *,
        begin_time: TimeFilter | None = None,
        end_time: TimeFilter | None = None,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> list[Backup]:
        """Every backup record of the instance (all pages), optionally filtered by time."""
        iid = _args.c_string("instance_id", instance_id)
        begin = _args.filter_time("begin_time", begin_time)
        end = _args.filter_time("end_time", end_time)
        timeout_ms = _args.optional_nonzero_milliseconds("timeout", timeout)

        def work(token: CancelToken | None, _relay: Relay | None) -> list[Backup]:
            out = ctypes.c_void_p()
            with (
                _list_options(begin, end) as filt,
                self._calling(token, timeout_ms) as (h, opts),
            ):
                call(lib.dcs_list_backups, h, iid, filt, opts, ctypes.byref(out))
            try:
                count = int(lib.dcs_backup_list_count(out.value))
                return [
                    Backup._from_handle(lib.dcs_backup_list_at(out.value, i)) for i in range(count)
                ]
            finally:
                lib.dcs_backup_list_free(out.value)

        return call_blocking(work, _cancel_token(cancel), calls_back=self._calls_back)

    def create_backup(
        self,
        instance_id: str,
        remark: str | None = None,
        backup_format: str | None = None,
        *,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> str:
        """Starts a manual backup ("rdb" or "aof"); returns the new backup's id."""
        iid = _args.c_string("instance_id", instance_id)
        rmk = _args.optional_c_string("remark", remark)
        fmt = _args.optional_c_string("backup_format", backup_format)
        timeout_ms = _args.optional_nonzero_milliseconds("timeout", timeout)

        def work(token: CancelToken | None, _relay: Relay | None) -> str:
            out = ctypes.c_void_p()
            with self._calling(token, timeout_ms) as (h, opts):
                call(lib.dcs_create_backup, h, iid, rmk, fmt, opts, ctypes.byref(out))
            return take_string(out)

        return call_blocking(work, _cancel_token(cancel), calls_back=self._calls_back)

    def delete_backup(
        self,
        instance_id: str,
        backup_id: str,
        *,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> None:
        """Deletes a backup of the instance."""
        iid = _args.c_string("instance_id", instance_id)
        bid = _args.c_string("backup_id", backup_id)
        timeout_ms = _args.optional_nonzero_milliseconds("timeout", timeout)

        def work(token: CancelToken | None, _relay: Relay | None) -> None:
            with self._calling(token, timeout_ms) as (h, opts):
                call(lib.dcs_delete_backup, h, iid, bid, opts)

        call_blocking(work, _cancel_token(cancel), calls_back=self._calls_back)

    # -- instances -----------------------------------------------------------------------

    def show_instance(
        self,
        instance_id: str,
        *,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> Instance:
        """The instance's status, mode and engine."""
        iid = _args.c_string("instance_id", instance_id)
        timeout_ms = _args.optional_nonzero_milliseconds("timeout", timeout)

        def work(token: CancelToken | None, _relay: Relay | None) -> Instance:
            out = ctypes.c_void_p()
            with self._calling(token, timeout_ms) as (h, opts):
                call(lib.dcs_show_instance, h, iid, opts, ctypes.byref(out))
            try:
                return Instance._from_handle(out.value)  # type: ignore[arg-type]
            finally:
                lib.dcs_instance_free(out.value)

        return call_blocking(work, _cancel_token(cancel), calls_back=self._calls_back)


def _free_client(handle: int, trampolines: object) -> None:
    del trampolines  # only held so that libdcs never calls a freed trampoline
    lib.dcs_client_free(handle)
