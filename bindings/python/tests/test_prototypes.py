"""The ctypes prototypes in dcs._native match capi/include/dcs/dcs.h.

A wrong prototype is not caught by any call: ctypes passes what it is told to, so a missing
argument or an int where an int64_t belongs corrupts the stack or the heap silently. This
parses the header's declarations and checks every declared function's return type and
each argument, by position, against the C types.
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass
from typing import Any

import pytest

from dcs import _native

from conftest import REPO

HEADER = REPO / "capi" / "include" / "dcs" / "dcs.h"

# The functions of issue 12 ("one restore per intent"): they must all be declared.
ISSUE_12 = {
    "dcs_client_options_set_attempt_timeout_ms",
    "dcs_client_options_set_reconcile_window_ms",
    "dcs_call_options_set_attempt_timeout_ms",
    "dcs_call_options_set_reconcile_window_ms",
    "dcs_call_options_set_wait_while_busy",
    "dcs_restore_instance_ext",
    "dcs_restore_outcome_restore_id",
    "dcs_restore_outcome_adopted",
    "dcs_restore_outcome_free",
    "dcs_find_restore",
}

# The functions of issue 14: what libdcs parsed (the bindings read it rather than parse
# the service's strings themselves), and the options whose limits libdcs alone judges.
ISSUE_14 = {
    "dcs_restore_record_created_at_ms",
    "dcs_restore_record_updated_at_ms",
    "dcs_restore_record_progress_percent",
    "dcs_backup_record_created_at_ms",
    "dcs_backup_record_updated_at_ms",
    "dcs_backup_record_execution_at_ms",
    "dcs_backup_record_progress_percent",
    "dcs_backup_record_restorable",
    "dcs_instance_launched_at_ms",
    "dcs_client_options_set_connect_timeout_ms",
    "dcs_client_options_set_max_response_bytes",
}

# Issue 15: what lets a main-thread call take Ctrl-C without a helper thread. Optional at
# run time (a 1.1 library loads without it), so also checked against the loaded library.
ISSUE_15 = {"dcs_cancel_token_watch_fd"}

# Issue 18: choosing a backup by time, type and name, and a restore's dry run. Optional at
# run time like issue 15's (a 1.1 library loads without them).
ISSUE_18 = {
    "dcs_backup_selector_new",
    "dcs_backup_selector_free",
    "dcs_backup_selector_set_before_ms",
    "dcs_backup_selector_set_backup_type",
    "dcs_backup_selector_set_backup_name",
    "dcs_backup_selector_set_backup_id",
    "dcs_select_backup",
    "dcs_plan_restore",
    "dcs_restore_plan_would_start",
    "dcs_restore_plan_instance",
    "dcs_restore_plan_backup",
    "dcs_restore_plan_backup_age_ms",
    "dcs_restore_plan_check_count",
    "dcs_restore_plan_check_name",
    "dcs_restore_plan_check_passed",
    "dcs_restore_plan_check_detail",
    "dcs_restore_plan_free",
}

_SCALARS: dict[str, Any] = {
    "int": ctypes.c_int,
    "dcs_status": ctypes.c_int,
    "int64_t": ctypes.c_int64,
    "size_t": ctypes.c_size_t,
    "double": ctypes.c_double,
}
_CALLBACKS: dict[str, Any] = {
    "dcs_log_fn": _native.LOG_FN,
    "dcs_restore_progress_fn": _native.PROGRESS_FN,
    "dcs_credentials_fn": _native.CREDENTIALS_FN,
}


@dataclass(frozen=True)
class Prototype:
    name: str
    returns: str
    params: list[str]


def _header_prototypes() -> dict[str, Prototype]:
    text = HEADER.read_text()
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    text = re.sub(r"^\s*#[^\n]*", " ", text, flags=re.M)
    found: dict[str, Prototype] = {}
    for match in re.finditer(r"\bDCS_API\s+([\w\s\*]+?)\b(dcs_\w+)\s*\(([^)]*)\)\s*;", text):
        returns, name, params = match.groups()
        plist = [" ".join(p.split()) for p in params.split(",")]
        if plist == ["void"]:
            plist = []
        found[name] = Prototype(name, " ".join(returns.split()), plist)
    return found


def _ctypes(declaration: str, *, is_param: bool) -> tuple[Any, ...]:
    """The ctypes types the binding may use for a C type (a parameter's name dropped)."""
    stars = declaration.count("*")
    words = [w for w in declaration.replace("*", " ").split() if w != "const"]
    if is_param and len(words) > 1:
        words = words[:-1]  # the parameter's name
    assert len(words) == 1, f"cannot classify {declaration!r}"
    base = words[0]
    if stars == 0:
        if base == "void":
            return (None,)
        if base in _CALLBACKS:
            return (_CALLBACKS[base],)
        return (_SCALARS[base],)
    if stars == 1:
        if base == "char" and "const" in declaration.split():
            return (ctypes.c_char_p,)  # a string passed in, or borrowed from the library
        if base == "char":
            # A string the library allocated (dcs_string_free): kept as a raw pointer so
            # that ctypes does not copy it and lose the address to free.
            return (ctypes.c_void_p, ctypes.c_char_p)
        return (ctypes.c_void_p,)  # an opaque handle, or user data
    if stars == 2:
        # dcs_error **, dcs_x **out, char **out: filled in by the library.
        return (ctypes.POINTER(ctypes.c_void_p),)
    raise AssertionError(f"cannot classify {declaration!r}")


HEADER_PROTOTYPES = _header_prototypes()


def test_the_header_was_parsed() -> None:
    # A broken parse would let every check below pass vacuously.
    assert len(HEADER_PROTOTYPES) >= 100
    assert HEADER_PROTOTYPES["dcs_restore_instance"].params[-1] == "dcs_error **out_err"
    assert not ISSUE_12 - set(HEADER_PROTOTYPES), "dcs.h lacks functions of issue 12"


def test_every_issue_12_function_is_declared() -> None:
    missing = ISSUE_12 - set(_native._SIGNATURES)
    assert not missing, f"no prototype for {sorted(missing)}"


def test_every_issue_14_function_is_declared_as_in_the_header() -> None:
    assert not ISSUE_14 - set(HEADER_PROTOTYPES), "dcs.h lacks functions of issue 14"
    missing = ISSUE_14 - set(_native._SIGNATURES)
    assert not missing, f"no prototype for {sorted(missing)}"
    for name in ISSUE_14:
        restype, argtypes = _native._SIGNATURES[name]
        fn = getattr(_native.lib, name)
        assert fn.restype is restype
        assert list(fn.argtypes) == list(argtypes)


@pytest.mark.parametrize("name", sorted(_native._SIGNATURES))
def test_prototype_matches_the_header(name: str) -> None:
    assert name in HEADER_PROTOTYPES, f"{name} is not declared in dcs.h"
    header = HEADER_PROTOTYPES[name]
    restype, argtypes = _native._SIGNATURES[name]
    assert len(argtypes) == len(header.params), (
        f"{name}: {len(argtypes)} argtypes, dcs.h has {len(header.params)}: {header.params}"
    )
    assert restype in _ctypes(header.returns, is_param=False), f"{name} returns {header.returns}"
    for position, (declared, param) in enumerate(zip(argtypes, header.params, strict=True)):
        assert declared in _ctypes(param, is_param=True), (
            f"{name} argument {position} ({param}): declared {declared}"
        )


def test_the_loaded_library_has_the_declared_prototypes() -> None:
    for name in ISSUE_12:
        restype, argtypes = _native._SIGNATURES[name]
        fn = getattr(_native.lib, name)
        assert fn.restype is restype
        assert list(fn.argtypes) == list(argtypes)


def test_every_issue_15_function_is_declared_and_loaded() -> None:
    assert not ISSUE_15 - set(HEADER_PROTOTYPES), "dcs.h lacks functions of issue 15"
    assert not ISSUE_15 - set(_native._SIGNATURES), "no prototype for issue 15"
    assert not ISSUE_15 - _native.OPTIONAL
    for name in ISSUE_15:
        restype, argtypes = _native._SIGNATURES[name]
        fn = getattr(_native.lib, name)
        assert fn.restype is restype
        assert list(fn.argtypes) == list(argtypes)


def test_every_issue_18_function_is_declared_and_loaded() -> None:
    header_names = {n for n in HEADER_PROTOTYPES if "selector" in n or "plan" in n}
    assert header_names - {"dcs_select_backup", "dcs_plan_restore"} <= ISSUE_18
    assert not ISSUE_18 - set(HEADER_PROTOTYPES), "dcs.h lacks functions of issue 18"
    assert not ISSUE_18 - set(_native._SIGNATURES), "no prototype for issue 18"
    assert not ISSUE_18 - _native.OPTIONAL
    for name in ISSUE_18:
        restype, argtypes = _native._SIGNATURES[name]
        fn = getattr(_native.lib, name)
        assert fn.restype is restype
        assert list(fn.argtypes) == list(argtypes)
