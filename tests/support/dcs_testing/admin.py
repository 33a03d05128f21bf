"""The emulator's unsigned admin API (`/_emulator/...`, emulator/README.md), over HTTP or
HTTPS: state, faults, counters, timings and the request log."""

from __future__ import annotations

import json
import ssl
import urllib.error
import urllib.request
from typing import Any

ADMIN_TIMEOUT_S = 10.0


class Admin:
    """Admin calls to the emulator at `url`; `context` reaches an HTTPS emulator.

    A failed call raises AssertionError with the status and the emulator's answer.
    """

    def __init__(self, url: str, context: ssl.SSLContext | None = None) -> None:
        self.url = url
        self.context = context

    def call(self, method: str, path: str, body: Any = None) -> Any:
        """The decoded JSON answer (None when empty) of `method` on `path`.

        `path` is below /_emulator/ ("faults"), or from the root ("/_emulator/faults").
        """
        target = path if path.startswith("/") else f"/_emulator/{path}"
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + target,
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(
                request, timeout=ADMIN_TIMEOUT_S, context=self.context
            ) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            raise AssertionError(
                f"admin {method} {target}: {exc.code} {exc.read()!r}"
            ) from exc
        return json.loads(raw) if raw.strip() else None

    # -- the emulator as a whole -----------------------------------------------------------

    def reset(self) -> None:
        """Back to the seed state: no faults, empty log, zero counters, seed timings."""
        self.call("POST", "reset")

    def stats(self) -> dict[str, Any]:
        return dict(self.call("GET", "stats"))

    def requests(self) -> list[dict[str, Any]]:
        return list(self.call("GET", "requests")["requests"])

    def clear_requests(self) -> None:
        self.call("DELETE", "requests")

    def get_timings(self) -> dict[str, Any]:
        return dict(self.call("GET", "timings"))

    def set_timings(self, **timings: Any) -> dict[str, Any]:
        """Changes the timings given (the others keep their value); returns them all."""
        return dict(self.call("PUT", "timings", timings))

    # -- faults ------------------------------------------------------------------------------

    def fault(self, **fault: Any) -> dict[str, Any]:
        """Adds a fault; returns {"id": ...}."""
        return dict(self.call("POST", "faults", fault))

    def faults(self) -> list[dict[str, Any]]:
        return list(self.call("GET", "faults")["faults"])

    def clear_faults(self) -> None:
        self.call("DELETE", "faults")

    def fired(self, fault_id: str) -> int:
        """How many requests the fault `fault_id` hit so far."""
        return int(next(f["fired"] for f in self.faults() if f["id"] == fault_id))

    # -- instances, backups and their data ---------------------------------------------------

    def instance(self, instance_id: str) -> dict[str, Any]:
        return dict(self.call("GET", f"instances/{instance_id}"))

    def create_instance(self, **fields: Any) -> str:
        return str(self.call("POST", "instances", fields)["instance_id"])

    def create_backup(self, instance_id: str, **fields: Any) -> str:
        path = f"instances/{instance_id}/backups"
        return str(self.call("POST", path, fields)["backup_id"])

    def data(self, instance_id: str) -> dict[str, str]:
        return dict(self.call("GET", f"instances/{instance_id}/data"))

    def set_data(self, instance_id: str, values: dict[str, str]) -> None:
        self.call("PUT", f"instances/{instance_id}/data", values)
