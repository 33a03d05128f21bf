"""Starting and stopping a dcs-emulator process for a test session or a single test.

The emulator prints its base URL as the first line of stdout once it listens. That line is
read a byte at a time straight from the pipe, within a deadline, so that a silent or dead
emulator fails the start instead of hanging it, and nothing more of stdout is consumed: a
test may read the rest from `proc.stdout` itself.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import subprocess
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Self

REPO = Path(__file__).resolve().parents[3]

# The suites' usual emulator: loopback on a free port, the demo seed, fast state machines.
DEMO_ARGS = ("--listen", "127.0.0.1:0", "--demo", "--timings", "fast")

START_TIMEOUT_S = 20.0
STOP_TIMEOUT_S = 10.0


class EmulatorError(RuntimeError):
    """The emulator is missing, or did not start."""


def emulator_binary() -> Path:
    """The dcs-emulator to run: `$DCS_EMULATOR`, else the build tree's."""
    return Path(os.environ.get("DCS_EMULATOR", REPO / "build" / "dcs-emulator"))


def _read_first_line(proc: subprocess.Popen[bytes], timeout: float) -> str:
    assert proc.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    line = b""
    try:
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not selector.select(left):
                raise EmulatorError(f"dcs-emulator printed no URL within {timeout:g} s")
            chunk = os.read(proc.stdout.fileno(), 1)
            if not chunk:
                raise EmulatorError(f"dcs-emulator exited with {proc.wait()}")
            line += chunk
    finally:
        selector.close()
    return line.decode(errors="replace")


class EmulatorProcess:
    """A running dcs-emulator: `proc`, the `first_line` it printed and its `url`.

    `args` are the emulator's arguments (DEMO_ARGS by default). Its stderr goes to the file
    `stderr` when given (read it with :meth:`stderr`), else nowhere. A context manager that
    stops the process on exit.
    """

    def __init__(
        self,
        args: Sequence[str] = DEMO_ARGS,
        *,
        stderr: Path | None = None,
        start_timeout: float = START_TIMEOUT_S,
    ) -> None:
        binary = emulator_binary()
        if not os.access(binary, os.X_OK):
            raise EmulatorError(
                f"no dcs-emulator at {binary}: build the repo "
                "(cd emulator && go build -o ../build/dcs-emulator ./cmd/dcs-emulator) "
                "or set DCS_EMULATOR"
            )
        self.stderr_path = stderr
        with contextlib.ExitStack() as stack:
            err = (
                subprocess.DEVNULL
                if stderr is None
                else stack.enter_context(open(stderr, "wb"))  # the child keeps its copy
            )
            self.proc = subprocess.Popen(
                [str(binary), *args], stdout=subprocess.PIPE, stderr=err
            )
        try:
            self.first_line = _read_first_line(self.proc, start_timeout)
            self.url = self.first_line.strip()
            if not self.url.startswith("http"):
                raise EmulatorError(
                    f"the first stdout line is not a URL: {self.first_line!r}"
                )
        except EmulatorError as exc:
            self.stop()
            raise EmulatorError(f"{exc}; stderr: {self.stderr()}") from None
        parsed = urllib.parse.urlsplit(self.url)
        self.scheme, self.netloc = parsed.scheme, parsed.netloc

    def stderr(self) -> str:
        """What the emulator wrote to stderr so far ("" when it went nowhere)."""
        if self.stderr_path is None:
            return ""
        return self.stderr_path.read_text(errors="replace")

    def stop(self, sig: int = signal.SIGTERM) -> int | None:
        """Sends `sig` (unless it has exited), waits for the exit and returns its code."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(STOP_TIMEOUT_S)
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        return self.proc.returncode

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


@contextlib.contextmanager
def running_emulator(*extra_args: str) -> Iterator[EmulatorProcess]:
    """An emulator with DEMO_ARGS and `extra_args`, stopped on exit."""
    with EmulatorProcess([*DEMO_ARGS, *extra_args]) as process:
        yield process
