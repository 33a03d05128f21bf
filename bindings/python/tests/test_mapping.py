"""The one mapping table covers every status the C library can return."""

from __future__ import annotations

import re

import pytest

import dcs

from conftest import REPO

HEADER = REPO / "capi" / "include" / "dcs" / "dcs.h"


def _header_statuses() -> tuple[int, dict[str, int]]:
    text = HEADER.read_text()
    match = re.search(r"#define\s+DCS_STATUS_MAX\s+(\d+)", text)
    assert match, "DCS_STATUS_MAX not found in dcs.h"
    values = {name: int(v) for name, v in re.findall(r"\bDCS_E_(\w+)\s*=\s*(\d+)", text)}
    return int(match.group(1)), values


def test_every_status_of_the_header_has_a_class() -> None:
    status_max, values = _header_statuses()
    assert sorted(values.values()) == list(range(1, status_max + 1))
    for name, value in values.items():
        status = dcs.Status(value)
        assert status.name == name, f"Status({value}) is {status.name}, dcs.h says {name}"
        assert status in dcs.ERROR_CLASSES, f"no error class for DCS_E_{name}"
        assert dcs.ERROR_CLASSES[status].default_status is status


@pytest.mark.parametrize("value", range(1, _header_statuses()[0] + 1))
def test_every_runtime_status_has_a_name_and_class(value: int) -> None:
    # The library itself knows the status (dcs_status_str), and so does the table.
    assert dcs.status_name(value) != "unknown status"
    cls = dcs.ERROR_CLASSES[dcs.Status(value)]
    assert issubclass(cls, dcs.DcsError)
    assert cls is not dcs.DcsError


def test_table_is_exactly_the_error_statuses() -> None:
    status_max, _ = _header_statuses()
    assert {int(s) for s in dcs.ERROR_CLASSES} == set(range(1, status_max + 1))
    assert dcs.status_name(status_max + 1) == "unknown status"


@pytest.mark.parametrize(
    ("cls", "builtin"),
    [
        (dcs.InvalidArgumentError, ValueError),
        (dcs.NotFoundError, LookupError),
        (dcs.DcsTimeoutError, TimeoutError),
        (dcs.TransportError, ConnectionError),
        (dcs.AuthError, PermissionError),
        (dcs.DcsMemoryError, MemoryError),
    ],
)
def test_errors_are_also_the_fitting_builtin(cls: type[dcs.DcsError], builtin: type) -> None:
    assert issubclass(cls, dcs.DcsError)
    assert issubclass(cls, builtin)
    err = cls("the message")
    assert str(err) == "the message"


def test_cancelled_is_not_asyncio_cancellation() -> None:
    import asyncio

    assert issubclass(dcs.DcsCancelledError, Exception)
    assert not issubclass(dcs.DcsCancelledError, asyncio.CancelledError)


def test_unknown_future_status_keeps_its_number() -> None:
    status = dcs.Status(99)
    assert int(status) == 99
    assert status.name == "UNKNOWN_99"
