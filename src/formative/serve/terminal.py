"""One participant's pseudo-terminal: bytes both ways, resizes, hang-up, exit.

The server keeps the master side; the app gets the slave as its controlling tty.
Output is read with loop.add_reader and paused while the SSH channel is backed
up (asyncssh's write buffer pauses us past 64 KiB); input is written without blocking
and buffered when the app is slow to read, up to a high-water mark.

Sizes are clamped: a client may ask for a 30000x30000 terminal, and an app that lays
out 900 million cells eats gigabytes in seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import signal
import struct
import termios
from collections.abc import Callable

from formative.serve.spawn import AppRequest, Child, Spawner

INPUT_HIGH_WATER = 64 * 1024
MAX_SIZE = (500, 200)
"""Largest terminal an app gets, in columns and rows: more than any real screen shows legibly."""
MIN_SIZE = (10, 5)


def clamp_size(cols: int, rows: int) -> tuple[int, int]:
    """A terminal size within MIN_SIZE..MAX_SIZE, whatever the client asked for."""
    return (min(max(cols, MIN_SIZE[0]), MAX_SIZE[0]), min(max(rows, MIN_SIZE[1]), MAX_SIZE[1]))


def set_size(fd: int, cols: int, rows: int) -> None:
    cols, rows = clamp_size(cols, rows)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


class Terminal:
    """A pty with one child app; on_output gets its bytes, on_exit its exit status once."""

    def __init__(
        self,
        on_output: Callable[[bytes], None],
        on_exit: Callable[[int], None],
        on_input_full: Callable[[bool], None] = lambda full: None,
    ) -> None:
        self._loop = asyncio.get_running_loop()
        self._on_output = on_output
        self._on_exit = on_exit
        self._on_input_full = on_input_full
        self._master = -1
        self._pending = bytearray()
        self._reading = False
        self._paused = False
        self._finished = False
        self.child: Child | None = None

    async def start(self, spawner: Spawner, request: AppRequest, size: tuple[int, int]) -> None:
        master, slave = os.openpty()
        try:
            set_size(slave, *size)
            os.set_blocking(master, False)
            self._master = master
            self.child = await spawner.spawn(request, slave)
        except BaseException:
            os.close(master)
            self._master = -1
            raise
        finally:
            os.close(slave)
        self._start_reading()
        self.child.exited.add_done_callback(lambda _: self._child_exited())

    @property
    def pid(self) -> int | None:
        return self.child.pid if self.child else None

    def write(self, data: bytes) -> None:
        """Send keystrokes to the app; what the pty cannot take now waits in a buffer."""
        if self._finished:
            return
        if self._pending:
            self._pending += data
        else:
            try:
                written = os.write(self._master, data)
            except BlockingIOError:
                written = 0
            except OSError:
                return
            if written < len(data):
                self._pending += data[written:]
                self._loop.add_writer(self._master, self._flush)
        if len(self._pending) > INPUT_HIGH_WATER:
            self._on_input_full(True)

    def _flush(self) -> None:
        try:
            written = os.write(self._master, self._pending)
        except BlockingIOError:
            return
        except OSError:
            written = len(self._pending)
        del self._pending[:written]
        if not self._pending:
            self._loop.remove_writer(self._master)
            self._on_input_full(False)

    def resize(self, cols: int, rows: int) -> None:
        """New window size (clamped): the kernel signals SIGWINCH to the app, whose terminal this is."""
        if not self._finished:
            with contextlib.suppress(OSError):
                set_size(self._master, cols, rows)

    def pause_output(self) -> None:
        self._paused = True
        self._stop_reading()

    def resume_output(self) -> None:
        self._paused = False
        self._start_reading()

    def hangup(self) -> None:
        """The participant has gone: SIGHUP, on which the app saves and exits."""
        if self.child is not None and not self.child.exited.done():
            self.child.signal(signal.SIGHUP)

    def kill(self) -> None:
        if self.child is not None and not self.child.exited.done():
            self.child.signal(signal.SIGKILL)

    def _start_reading(self) -> None:
        if not self._reading and not self._paused and not self._finished and self._master >= 0:
            self._loop.add_reader(self._master, self._readable)
            self._reading = True

    def _stop_reading(self) -> None:
        if self._reading:
            self._loop.remove_reader(self._master)
            self._reading = False

    def _read(self) -> bytes | None:
        """Some output, b'' when nothing is waiting, None when the slave side has closed."""
        try:
            return os.read(self._master, 65536) or None
        except BlockingIOError:
            return b""
        except OSError:  # EIO: every slave descriptor is closed
            return None

    def _readable(self) -> None:
        data = self._read()
        if data is None:
            self._stop_reading()
            return
        if data:
            self._on_output(data)

    def _child_exited(self) -> None:
        """Pass on whatever the app wrote last, then report its exit."""
        while (data := self._read()) and not self._paused:
            self._on_output(data)
        self._finished = True
        self._stop_reading()
        if self._pending:
            self._loop.remove_writer(self._master)
        os.close(self._master)
        self._master = -1
        assert self.child is not None
        self._on_exit(self.child.exited.result())
