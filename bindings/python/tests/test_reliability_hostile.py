"""Every value of the shared hostile-input table (tests/reliability/hostile_inputs.json), in
every id and remark parameter of every Client operation, is refused with
InvalidArgumentError (request_sent NO), and the emulator shows nothing was sent: its request
log is empty and, below anything the log can see (a request Go's HTTP parser refuses is never
logged), it accepted no connection and received no byte. Python can pass what C cannot: the
embedded NUL, and invalid UTF-8 both as ``bytes`` and as the lone surrogates a ``str``
decoded with surrogateescape holds."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import dcs

from conftest import REPO, Emulator, client_args

sys.path.insert(0, str(REPO / "tests" / "reliability"))
import reliability_support as rs

RESTORE = "00000000-0000-4000-8000-000000000001"

Call = Callable[[dcs.Client, str, str, Any], Any]

ID_PARAMETERS: dict[str, Call] = {
    "restore_instance(instance_id)": lambda c, i, b, v: c.restore_instance(v, b),
    "restore_instance(backup_id)": lambda c, i, b, v: c.restore_instance(i, v),
    "list_restores(instance_id)": lambda c, i, b, v: c.list_restores(v),
    "get_restore(instance_id)": lambda c, i, b, v: c.get_restore(v, RESTORE),
    "get_restore(restore_id)": lambda c, i, b, v: c.get_restore(i, v),
    "wait_for_restore(instance_id)": lambda c, i, b, v: c.wait_for_restore(v, RESTORE, timeout=2),
    "wait_for_restore(restore_id)": lambda c, i, b, v: c.wait_for_restore(i, v, timeout=2),
    "list_backups(instance_id)": lambda c, i, b, v: c.list_backups(v),
    "create_backup(instance_id)": lambda c, i, b, v: c.create_backup(v),
    "delete_backup(instance_id)": lambda c, i, b, v: c.delete_backup(v, b),
    "delete_backup(backup_id)": lambda c, i, b, v: c.delete_backup(i, v),
    "show_instance(instance_id)": lambda c, i, b, v: c.show_instance(v),
}

REMARK_PARAMETERS: dict[str, Call] = {
    "restore_instance(remark)": lambda c, i, b, v: c.restore_instance(i, b, v),
    "create_backup(remark)": lambda c, i, b, v: c.create_backup(i, v),
}


def _forms(value: rs.HostileInput) -> list[Any]:
    """The value as str, and also as bytes when it is not even valid UTF-8."""
    return [value.text] if value.is_valid_utf8 else [value.text, value.raw]


def test_the_shared_hostile_inputs_are_refused_and_nothing_is_sent(emulator: Emulator) -> None:
    inputs = rs.hostile_inputs()
    assert any("\0" in h.text for h in inputs), "the table lost its embedded NUL"
    instance = emulator.create_instance(cache_mode="ha")
    backup = emulator.create_backup(instance)
    emulator.admin("DELETE", "requests")
    requests_before = emulator.stats()["requests"]
    # Watched from before the client exists: creating one must send nothing either.
    wire = rs.WireWatch(emulator)
    wrong: list[str] = []
    refused = 0
    with dcs.Client(**client_args(emulator)) as client:
        for hostile in inputs:
            parameters = {
                **(ID_PARAMETERS if hostile.as_id else {}),
                **(REMARK_PARAMETERS if hostile.as_remark else {}),
            }
            for name, call in parameters.items():
                for value in _forms(hostile):
                    where = f"{name} with {hostile.label} as {type(value).__name__}"
                    try:
                        call(client, instance, backup, value)
                    except dcs.InvalidArgumentError as error:
                        refused += 1
                        if error.request_sent != dcs.RequestSent.NO or not str(error):
                            wrong.append(f"{where}: {error!r}")
                    except Exception as error:  # any other outcome is the bug
                        wrong.append(f"{where}: {error!r}")
                    else:
                        wrong.append(f"{where}: accepted")
    assert wrong == []
    assert refused > 120
    assert wire.since() == rs.WireCounts(connections=0, bytes=0)
    assert emulator.requests() == []
    assert emulator.stats()["requests"] == requests_before
