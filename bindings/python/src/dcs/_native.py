"""Loading libdcs.so.1 and declaring the part of its C ABI this package calls.

Why ctypes rather than a compiled extension module:

* nothing is compiled when the package is imported or installed from a wheel; the only
  native code is libdcs itself, behind its stable C ABI;
* ctypes releases the GIL around every foreign call (``CDLL``, unlike ``PyDLL``), so the
  network I/O of a call runs in parallel with other Python threads, and so do other calls
  on the same client;
* the ABI hands out opaque handles and reads them through getters, so no C struct has to
  be mirrored in Python and kept in step with the library.

Every function used is declared here with its ``argtypes`` and ``restype``; ctypes would
otherwise guess ``int`` and truncate pointers.
"""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path
from typing import Any

# The binding was written against this version of dcs.h: the library must have the same
# major version (the ABI promise) and at least this minor/patch (newer minors only add);
# 1.1.0 brought the parsed record getters (dcs_*_at_ms, progress_percent, restorable).
EXPECTED_MAJOR = 1
MINIMUM_VERSION_NUMBER = 10100

LIBRARY_ENV = "DCS_LIBRARY"
LIBRARY_FILE = "libdcs.so.1"

# Callback types. The callbacks run on the thread that made the call; ctypes takes the GIL
# for the duration of the Python function.
LOG_FN = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p)
PROGRESS_FN = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)
CREDENTIALS_FN = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)

_status = ctypes.c_int
_handle = ctypes.c_void_p
_out_handle = ctypes.POINTER(ctypes.c_void_p)
_err = ctypes.POINTER(ctypes.c_void_p)  # dcs_error **out_err
_str = ctypes.c_char_p
_int = ctypes.c_int
_i64 = ctypes.c_int64
_double = ctypes.c_double
_size = ctypes.c_size_t

# name: (restype, argtypes)
_SIGNATURES: dict[str, tuple[Any, list[Any]]] = {
    "dcs_status_str": (_str, [_int]),
    "dcs_version_number": (_int, []),
    "dcs_version_string": (_str, []),
    "dcs_string_free": (None, [ctypes.c_void_p]),
    # errors
    "dcs_error_status": (_status, [_handle]),
    "dcs_error_message": (_str, [_handle]),
    "dcs_error_http_status": (_int, [_handle]),
    "dcs_error_service_code": (_str, [_handle]),
    "dcs_error_service_message": (_str, [_handle]),
    "dcs_error_service_ext_message": (_str, [_handle]),
    "dcs_error_request_id": (_str, [_handle]),
    "dcs_error_request_sent": (_int, [_handle]),
    "dcs_error_free": (None, [_handle]),
    # cancellation
    "dcs_cancel_token_new": (_status, [_out_handle, _err]),
    "dcs_cancel_token_cancel": (None, [_handle]),
    "dcs_cancel_token_is_cancelled": (_int, [_handle]),
    "dcs_cancel_token_free": (None, [_handle]),
    "dcs_cancel_token_watch_fd": (_status, [_handle, _int, _int, _err]),
    # client options
    "dcs_client_options_new": (_status, [_out_handle, _err]),
    "dcs_client_options_free": (None, [_handle]),
    "dcs_client_options_load_env": (_status, [_handle, _err]),
    "dcs_client_options_set_region": (_status, [_handle, _str, _err]),
    "dcs_client_options_set_endpoint": (_status, [_handle, _str, _err]),
    "dcs_client_options_set_credentials": (_status, [_handle, _str, _str, _err]),
    "dcs_client_options_set_security_token": (_status, [_handle, _str, _err]),
    "dcs_client_options_set_project_id": (_status, [_handle, _str, _err]),
    "dcs_client_options_set_ca_file": (_status, [_handle, _str, _err]),
    "dcs_client_options_set_insecure": (_status, [_handle, _int, _err]),
    "dcs_client_options_set_proxy": (_status, [_handle, _str, _err]),
    "dcs_client_options_set_ca_dir": (_status, [_handle, _str, _err]),
    "dcs_client_options_set_connect_timeout_ms": (_status, [_handle, _i64, _err]),
    "dcs_client_options_set_timeout_ms": (_status, [_handle, _i64, _err]),
    "dcs_client_options_set_max_attempts": (_status, [_handle, _int, _err]),
    "dcs_client_options_set_attempt_timeout_ms": (_status, [_handle, _i64, _err]),
    "dcs_client_options_set_reconcile_window_ms": (_status, [_handle, _i64, _err]),
    "dcs_client_options_set_max_response_bytes": (_status, [_handle, _size, _err]),
    "dcs_client_options_set_user_agent_suffix": (_status, [_handle, _str, _err]),
    "dcs_client_options_set_log_callback": (
        _status,
        [_handle, LOG_FN, ctypes.c_void_p, _int, _err],
    ),
    # credentials chain
    "dcs_credentials_set": (_status, [_handle, _str, _str, _str, _i64, _err]),
    "dcs_credentials_set_failure": (None, [_handle, _str]),
    "dcs_client_options_set_credentials_provider": (
        _status,
        [_handle, CREDENTIALS_FN, ctypes.c_void_p, _err],
    ),
    "dcs_client_options_use_credentials_profile": (_status, [_handle, _int, _str, _str, _err]),
    "dcs_client_options_use_credentials_metadata": (_status, [_handle, _int, _str, _err]),
    # client
    "dcs_client_new": (_status, [_handle, _out_handle, _err]),
    "dcs_client_free": (None, [_handle]),
    # call options
    "dcs_call_options_new": (_status, [_out_handle, _err]),
    "dcs_call_options_free": (None, [_handle]),
    "dcs_call_options_set_timeout_ms": (_status, [_handle, _i64, _err]),
    "dcs_call_options_set_cancel_token": (_status, [_handle, _handle, _err]),
    "dcs_call_options_set_max_attempts": (_status, [_handle, _int, _err]),
    "dcs_call_options_set_attempt_timeout_ms": (_status, [_handle, _i64, _err]),
    "dcs_call_options_set_reconcile_window_ms": (_status, [_handle, _i64, _err]),
    "dcs_call_options_set_wait_while_busy": (_status, [_handle, _int, _err]),
    "dcs_call_options_set_preflight": (_status, [_handle, _int, _err]),
    # restore
    "dcs_restore_instance": (_status, [_handle, _str, _str, _str, _handle, _out_handle, _err]),
    "dcs_restore_instance_ext": (
        _status,
        [_handle, _str, _str, _str, _handle, _out_handle, _err],
    ),
    "dcs_restore_outcome_restore_id": (_str, [_handle]),
    "dcs_restore_outcome_adopted": (_int, [_handle]),
    "dcs_restore_outcome_free": (None, [_handle]),
    # restore records
    "dcs_restore_record_restore_id": (_str, [_handle]),
    "dcs_restore_record_backup_id": (_str, [_handle]),
    "dcs_restore_record_status": (_str, [_handle]),
    "dcs_restore_record_progress": (_str, [_handle]),
    "dcs_restore_record_progress_percent": (_double, [_handle]),
    "dcs_restore_record_error_code": (_str, [_handle]),
    "dcs_restore_record_restore_remark": (_str, [_handle]),
    "dcs_restore_record_restore_name": (_str, [_handle]),
    "dcs_restore_record_backup_name": (_str, [_handle]),
    "dcs_restore_record_backup_remark": (_str, [_handle]),
    "dcs_restore_record_created_at": (_str, [_handle]),
    "dcs_restore_record_updated_at": (_str, [_handle]),
    "dcs_restore_record_created_at_ms": (_i64, [_handle]),
    "dcs_restore_record_updated_at_ms": (_i64, [_handle]),
    "dcs_restore_record_free": (None, [_handle]),
    "dcs_restore_list_count": (_size, [_handle]),
    "dcs_restore_list_at": (_handle, [_handle, _size]),
    "dcs_restore_list_free": (None, [_handle]),
    # list filters
    "dcs_list_options_new": (_status, [_out_handle, _err]),
    "dcs_list_options_free": (None, [_handle]),
    "dcs_list_options_set_begin_time": (_status, [_handle, _str, _err]),
    "dcs_list_options_set_end_time": (_status, [_handle, _str, _err]),
    "dcs_list_restores": (_status, [_handle, _str, _handle, _handle, _out_handle, _err]),
    "dcs_get_restore": (_status, [_handle, _str, _str, _handle, _out_handle, _err]),
    "dcs_find_restore": (
        _status,
        [_handle, _str, _str, _str, _i64, _handle, _out_handle, _err],
    ),
    # waiting
    "dcs_wait_options_new": (_status, [_out_handle, _err]),
    "dcs_wait_options_free": (None, [_handle]),
    "dcs_wait_options_set_poll_interval_ms": (_status, [_handle, _i64, _err]),
    "dcs_wait_options_set_max_poll_interval_ms": (_status, [_handle, _i64, _err]),
    "dcs_wait_options_set_wait_for_instance": (_status, [_handle, _int, _err]),
    "dcs_wait_options_set_progress_callback": (
        _status,
        [_handle, PROGRESS_FN, ctypes.c_void_p, _err],
    ),
    "dcs_wait_for_restore": (_status, [_handle, _str, _str, _handle, _handle, _out_handle, _err]),
    # backups
    "dcs_backup_record_backup_id": (_str, [_handle]),
    "dcs_backup_record_backup_name": (_str, [_handle]),
    "dcs_backup_record_instance_id": (_str, [_handle]),
    "dcs_backup_record_size": (_i64, [_handle]),
    "dcs_backup_record_backup_type": (_str, [_handle]),
    "dcs_backup_record_status": (_str, [_handle]),
    "dcs_backup_record_progress": (_str, [_handle]),
    "dcs_backup_record_progress_percent": (_double, [_handle]),
    "dcs_backup_record_error_code": (_str, [_handle]),
    "dcs_backup_record_remark": (_str, [_handle]),
    "dcs_backup_record_is_support_restore": (_str, [_handle]),
    "dcs_backup_record_restorable": (_int, [_handle]),
    "dcs_backup_record_backup_format": (_str, [_handle]),
    "dcs_backup_record_period": (_str, [_handle]),
    "dcs_backup_record_created_at": (_str, [_handle]),
    "dcs_backup_record_updated_at": (_str, [_handle]),
    "dcs_backup_record_execution_at": (_str, [_handle]),
    "dcs_backup_record_created_at_ms": (_i64, [_handle]),
    "dcs_backup_record_updated_at_ms": (_i64, [_handle]),
    "dcs_backup_record_execution_at_ms": (_i64, [_handle]),
    "dcs_backup_record_free": (None, [_handle]),
    "dcs_backup_list_count": (_size, [_handle]),
    "dcs_backup_list_at": (_handle, [_handle, _size]),
    "dcs_backup_list_free": (None, [_handle]),
    "dcs_list_backups": (_status, [_handle, _str, _handle, _handle, _out_handle, _err]),
    "dcs_create_backup": (_status, [_handle, _str, _str, _str, _handle, _out_handle, _err]),
    "dcs_delete_backup": (_status, [_handle, _str, _str, _handle, _err]),
    # instances
    "dcs_instance_instance_id": (_str, [_handle]),
    "dcs_instance_name": (_str, [_handle]),
    "dcs_instance_status": (_str, [_handle]),
    "dcs_instance_sub_status": (_str, [_handle]),
    "dcs_instance_engine": (_str, [_handle]),
    "dcs_instance_engine_version": (_str, [_handle]),
    "dcs_instance_cache_mode": (_str, [_handle]),
    "dcs_instance_product_type": (_str, [_handle]),
    "dcs_instance_launched_at": (_str, [_handle]),
    "dcs_instance_launched_at_ms": (_i64, [_handle]),
    "dcs_instance_capacity": (_i64, [_handle]),
    "dcs_instance_free": (None, [_handle]),
    "dcs_show_instance": (_status, [_handle, _str, _handle, _out_handle, _err]),
    # choosing a backup, and a restore's dry run (1.2.0)
    "dcs_backup_selector_new": (_status, [_out_handle, _err]),
    "dcs_backup_selector_free": (None, [_handle]),
    "dcs_backup_selector_set_before_ms": (_status, [_handle, _i64, _err]),
    "dcs_backup_selector_set_backup_type": (_status, [_handle, _str, _err]),
    "dcs_backup_selector_set_backup_name": (_status, [_handle, _str, _err]),
    "dcs_backup_selector_set_backup_id": (_status, [_handle, _str, _err]),
    "dcs_select_backup": (_status, [_handle, _str, _handle, _handle, _out_handle, _err]),
    "dcs_plan_restore": (_status, [_handle, _str, _handle, _handle, _out_handle, _err]),
    "dcs_restore_plan_would_start": (_int, [_handle]),
    "dcs_restore_plan_instance": (_handle, [_handle]),
    "dcs_restore_plan_backup": (_handle, [_handle]),
    "dcs_restore_plan_backup_age_ms": (_i64, [_handle]),
    "dcs_restore_plan_check_count": (_size, [_handle]),
    "dcs_restore_plan_check_name": (_str, [_handle, _size]),
    "dcs_restore_plan_check_passed": (_int, [_handle, _size]),
    "dcs_restore_plan_check_detail": (_str, [_handle, _size]),
    "dcs_restore_plan_free": (None, [_handle]),
}


# Functions newer than MINIMUM_VERSION_NUMBER: a library without them still loads, and the
# binding does without (getattr(lib, name, None) is None). 1.2.0 brought
# dcs_cancel_token_watch_fd, which lets a main-thread call take Ctrl-C without a helper
# thread (_blocking.py).
OPTIONAL = frozenset({"dcs_cancel_token_watch_fd"})
# 1.2.0 also brought the backup selector and the restore plan (dcs_select_backup,
# dcs_plan_restore, ...): without them, only the calls that choose a backup or plan a
# restore fail (_select.py), with a LibraryError that says so.
OPTIONAL |= frozenset(
    name
    for name in _SIGNATURES
    if name.startswith(("dcs_backup_selector_", "dcs_restore_plan_"))
    or name in ("dcs_select_backup", "dcs_plan_restore")
)
# 1.3 brings the credentials chain (dcs_credentials_*, the provider, profile and metadata
# options): without them, only a Client that asks for one of those fails.
OPTIONAL |= frozenset(
    name for name in _SIGNATURES if "credentials_" in name and name.startswith("dcs_")
) - {"dcs_client_options_set_credentials"}


class LibraryError(ImportError):
    """libdcs could not be loaded, or is a version this binding cannot use."""


def library_path() -> str:
    """The libdcs.so.1 to load: ``$DCS_LIBRARY`` if set, else the one bundled in the package."""
    override = os.environ.get(LIBRARY_ENV)
    if override:
        return override
    # Normally the library sits beside this file. An editable install keeps the Python
    # sources in the checkout and the built library in site-packages; the package's
    # __path__ then lists both directories.
    package = sys.modules.get(__package__ or "")
    directories = [Path(__file__).resolve().parent]
    directories += [Path(p) for p in getattr(package, "__path__", [])]
    for directory in directories:
        candidate = directory / LIBRARY_FILE
        if candidate.exists():
            return str(candidate)
    return str(directories[0] / LIBRARY_FILE)


def _declare(lib: ctypes.CDLL) -> None:
    for name, (restype, argtypes) in _SIGNATURES.items():
        try:
            fn = getattr(lib, name)
        except AttributeError as exc:
            if name in OPTIONAL:
                continue
            raise LibraryError(f"{lib._name} does not export {name}") from exc
        fn.restype = restype
        fn.argtypes = argtypes


def _check_version(lib: ctypes.CDLL) -> None:
    number = int(lib.dcs_version_number())
    major = number // 10000
    if major != EXPECTED_MAJOR or number < MINIMUM_VERSION_NUMBER:
        found = lib.dcs_version_string().decode("ascii", "replace")
        raise LibraryError(
            f"{lib._name} is libdcs {found}; this binding needs {EXPECTED_MAJOR}.x "
            f"at least {MINIMUM_VERSION_NUMBER // 10000}.{MINIMUM_VERSION_NUMBER // 100 % 100}"
            f".{MINIMUM_VERSION_NUMBER % 100}"
        )


def load() -> ctypes.CDLL:
    """Loads libdcs, checks its run-time version and declares every function used."""
    path = library_path()
    try:
        # CDLL, not PyDLL: the GIL is released for the duration of every call.
        lib = ctypes.CDLL(path)
    except OSError as exc:
        raise LibraryError(
            f"cannot load libdcs from {path}: {exc} (set {LIBRARY_ENV} to a libdcs.so.1, "
            "or reinstall the package so that it bundles one)"
        ) from exc
    # The version functions first: a wrong library should say so, not miss a symbol.
    lib.dcs_version_number.restype = ctypes.c_int
    lib.dcs_version_number.argtypes = []
    lib.dcs_version_string.restype = ctypes.c_char_p
    lib.dcs_version_string.argtypes = []
    _check_version(lib)
    _declare(lib)
    return lib


lib = load()
