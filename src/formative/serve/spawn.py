"""Start one participant's app on the slave side of a pseudo-terminal.

Two ways to start: a fresh Python process per connection running
`formative.serve.participant` (FreshSpawner), or a fork of a zygote that has already
imported the app (see zygote.py). Either way the app is told only the workshop and
the person's name, gets an allow-listed environment, owns its terminal (child.py) and
writes any crash report to the server's log (its stderr), never to the participant.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from formative.serve.child import MEMORY_LIMIT

_background: set[asyncio.Task[None]] = set()

PARTICIPANT_ENTRY = (sys.executable, "-P", "-m", "formative.serve.participant")
"""-P: the working directory (the workshop folder) is not put on sys.path, so no file there is ever imported."""


@dataclass(frozen=True)
class AppRequest:
    """Everything a participant's app is told: the workshop, who they are, their environment."""

    workshop_dir: Path
    name: str
    env: dict[str, str]
    memory_limit: int | None = MEMORY_LIMIT


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
    async def spawn(self, request: AppRequest, slave_fd: int) -> Child: ...

    def close(self) -> None: ...


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
    """A new Python process per participant: simple, about 2 s to paint when 20 arrive at once.

    entry is the command that runs the participant (tests give one whose app crashes).
    """

    def __init__(self, entry: Sequence[str] = PARTICIPANT_ENTRY) -> None:
        self.entry = list(entry)

    async def spawn(self, request: AppRequest, slave_fd: int) -> Child:
        log_fd = os.dup(2)  # the server's stderr: where the app reports a crash
        limit = [] if request.memory_limit is None else ["--memory-limit", str(request.memory_limit)]
        command = [*self.entry, "--log-fd", str(log_fd), *limit, "--", str(request.workshop_dir), request.name]
        try:
            process = subprocess.Popen(
                command,
                stdin=slave_fd,
                stdout=slave_fd,
                stderr=slave_fd,
                env=request.env,
                cwd=request.workshop_dir,
                start_new_session=True,
                restore_signals=True,
                close_fds=True,
                pass_fds=(log_fd,),
            )
        finally:
            os.close(log_fd)
        return Child(process.pid, watch_exit(process.pid, process.poll))

    def close(self) -> None:
        pass
