"""Proof from the wire that nothing reached the emulator: its counters of accepted TCP
connections and of bytes received, which move for anything a client sends, even a request
Go's HTTP parser refuses (that one never reaches the request log)."""

from __future__ import annotations

from typing import NamedTuple

from .admin import Admin


class WireCounts(NamedTuple):
    connections: int
    bytes: int


class WireWatch:
    """Watches the emulator from its creation; `since()` tells what arrived since.

    Each reading goes on a connection of its own (the admin API's urllib keeps none open),
    which is what makes it see every connection opened before it: the kernel hands
    connections over in the order they were made, and the emulator counts each as it accepts
    it, before the next. Bytes are read by each connection's own goroutine, so the connection
    count is the exact one; a client that sent nothing opened no connection either. A reading
    is itself a connection and a request, so the watch reads twice at the start to learn what
    one costs, and `since()` takes that cost off. Over TLS only the connection count is
    exact (a handshake's size may vary).
    """

    def __init__(self, admin: Admin) -> None:
        self._admin = admin
        first = self._read()
        self._base = self._read()
        self._reading = WireCounts(
            self._base.connections - first.connections, self._base.bytes - first.bytes
        )

    def _read(self) -> WireCounts:
        stats = self._admin.stats()
        return WireCounts(
            int(stats["connections_accepted"]), int(stats["bytes_received"])
        )

    def since(self) -> WireCounts:
        """What arrived since the watch began, besides its own readings; (0, 0) when nothing."""
        now = self._read()
        return WireCounts(
            now.connections - self._base.connections - self._reading.connections,
            now.bytes - self._base.bytes - self._reading.bytes,
        )
