"""Start one participant's app on the slave side of a pseudo-terminal.

The child must own the terminal: a new session (setsid) with the pty as its
controlling tty (TIOCSCTTY), so the kernel sends it SIGWINCH on resize and SIGHUP
when the server side closes. It must also get default signal dispositions back: a
server started under nohup ignores SIGHUP, and an ignored signal survives exec, so
a dropped participant's app would run on forever.

Two ways to start: a fresh `formative` process per connection (FreshSpawner), or a
fork of a zygote that has already imported the app (see zygote.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import signal
import subprocess
import termios
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

_background: set[asyncio.Task[None]] = set()
RESTORED_SIGNALS = (signal.SIGHUP, signal.SIGINT, signal.SIGTERM, signal.SIGQUIT, signal.SIGCHLD)


class Child:
    """A running participant app: its pid (also its process group) and its exit status to come."""

    def __init__(self, pid: int, exited: asyncio.Future[int]) -> None:
        self.pid = pid
        self.exited = exited

    def signal(self, signum: int) -> None:
        """Signal the app's whole process group (it leads its own session), or it alone."""
        try:
            os.killpg(self.pid, signum)
        except ProcessLookupError:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signum)
        except PermissionError:
            pass


class Spawner(Protocol):
    async def spawn(self, command: list[str], env: dict[str, str], cwd: Path, slave_fd: int) -> Child: ...

    def close(self) -> None: ...


def take_terminal(slave_fd: int) -> None:
    """In the child: become session leader with slave_fd as the controlling terminal."""
    if os.getsid(0) != os.getpid():
        os.setsid()
    fcntl.ioctl(slave_fd, termios.TIOCSCTTY, 0)


def restore_default_signals() -> None:
    """In the child: no signal ignored or blocked just because the server had it so."""
    for signum in RESTORED_SIGNALS:
        signal.signal(signum, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, set())


def _preexec() -> None:
    # Popen has made stdin (fd 0) the slave and called setsid (start_new_session).
    take_terminal(0)
    restore_default_signals()


def watch_exit(pid: int, status_of: Callable[[], int | None]) -> asyncio.Future[int]:
    """A future for the exit status of pid, woken by a pidfd (or polling where there is none)."""
    loop = asyncio.get_running_loop()
    exited: asyncio.Future[int] = loop.create_future()

    def check() -> bool:
        status = status_of()
        if status is None:
            return False
        if not exited.done():
            exited.set_result(status)
        return True

    try:
        pidfd = os.pidfd_open(pid)
    except (AttributeError, OSError):

        async def poll() -> None:
            while not check():
                await asyncio.sleep(0.1)

        _background.add(task := loop.create_task(poll()))
        task.add_done_callback(_background.discard)
        return exited

    def readable() -> None:
        if check():
            loop.remove_reader(pidfd)
            os.close(pidfd)

    loop.add_reader(pidfd, readable)
    return exited


class FreshSpawner:
    """A new `formative` process per participant: simple, about 2 s to paint when 20 arrive at once."""

    async def spawn(self, command: list[str], env: dict[str, str], cwd: Path, slave_fd: int) -> Child:
        process = subprocess.Popen(
            command,
            stdin=slave_fd,
            stdout=slave_fd,
            stderr=slave_fd,
            env=env,
            cwd=cwd,
            start_new_session=True,
            restore_signals=True,
            close_fds=True,
            preexec_fn=_preexec,
        )
        return Child(process.pid, watch_exit(process.pid, process.poll))

    def close(self) -> None:
        pass
