"""The server's side of the fork server (zygote.py): start it, ask it for apps, learn of exits.

If the zygote is gone, new participants get a fresh process each instead, and the
apps it had forked are watched by pidfd: nobody is left without an app.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import socket
import subprocess
import sys
import time
from functools import partial
from pathlib import Path
from typing import Any

from formative.serve.common import participant_env
from formative.serve.spawn import AppRequest, Child, FreshSpawner, watch_exit

START_TIMEOUT = 30.0


def _dead(pid: int) -> int | None:
    """0 once pid has ended (or is a zombie), None while it runs: for apps whose parent is gone."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return 0
    return 0 if state in ("Z", "X") else None


def _pass_on(future: asyncio.Future[int], done: asyncio.Future[int]) -> None:
    if not future.done():
        future.set_result(done.result())


class ZygoteSpawner:
    """Forks participants' apps from one pre-imported process, started here."""

    def __init__(self, app: str | None = None) -> None:
        """app: 'FILE:FUNCTION' to run instead of the participant's app (benchmarks' reference app)."""
        self._loop = asyncio.get_running_loop()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        with theirs:
            self.process = subprocess.Popen(
                [sys.executable, "-P", "-m", "formative.serve.zygote", str(theirs.fileno())]
                + (["--app", app] if app else []),
                pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL,
                env=participant_env(None),  # its children show its environment in /proc: nothing of the server's
                start_new_session=True,
            )
        ours.setblocking(False)
        self._sock: socket.socket | None = ours
        self._ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future[int]] = {}
        self._exits: dict[int, asyncio.Future[int]] = {}
        self._fresh = FreshSpawner()
        self._loop.add_reader(ours, self._readable)

    async def spawn(self, request: AppRequest, slave_fd: int) -> Child:
        child = await self._fork(request, [slave_fd])
        return child or await self._fresh.spawn(request, slave_fd)

    async def spawn_web(self, request: AppRequest, pipes: tuple[int, int, int]) -> Child | None:
        """A browser participant's app on the ends of its stdin, stdout and stderr pipes; None if the
        fork server is gone (the caller starts a fresh process instead)."""
        return await self._fork(request, list(pipes), web=True)

    async def _fork(self, request: AppRequest, fds: list[int], web: bool = False) -> Child | None:
        if self._sock is None:
            return None
        request_id = next(self._ids)
        forked: asyncio.Future[int] = self._loop.create_future()
        self._waiting[request_id] = forked
        message = {
            "id": request_id,
            "workshop": str(request.workshop_dir),
            "name": request.name,
            "env": request.env,
            "memory_limit": request.memory_limit,
            "web": web,
        }
        try:
            socket.send_fds(self._sock, [json.dumps(message).encode()], fds)
            pid = await asyncio.wait_for(forked, START_TIMEOUT)
        except (OSError, TimeoutError):
            self._waiting.pop(request_id, None)
            return None
        return Child(pid, self._exit_of(pid))

    def _exit_of(self, pid: int) -> asyncio.Future[int]:
        if pid not in self._exits:
            self._exits[pid] = self._loop.create_future()
            self._exits[pid].add_done_callback(lambda _: self._exits.pop(pid, None))
        return self._exits[pid]

    def _readable(self) -> None:
        assert self._sock is not None
        while True:
            try:
                data = self._sock.recv(1 << 16)
            except BlockingIOError:
                return
            except OSError:
                data = b""
            if not data:
                self._lost()
                return
            self._handle(json.loads(data))

    def _handle(self, message: dict[str, Any]) -> None:
        if "ready" in message:
            print(f"{time.strftime('%H:%M:%S')} the fork server is ready", file=sys.stderr, flush=True)
            return
        if "exited" in message:
            future = self._exit_of(int(message["exited"]))
            if not future.done():
                future.set_result(int(message["status"]))
            return
        waiting = self._waiting.pop(int(message.get("id") or 0), None)
        if waiting is None or waiting.done():
            return
        if "pid" in message:
            waiting.set_result(int(message["pid"]))
        else:
            waiting.set_exception(OSError(str(message.get("error"))))

    def _lost(self) -> None:
        """The zygote ended: fresh processes from now on; watch its orphans ourselves."""
        if self._sock is None:
            return
        print("formative: the fork server stopped; starting apps as fresh processes", file=sys.stderr)
        self._loop.remove_reader(self._sock)
        self._sock.close()
        self._sock = None
        for waiting in self._waiting.values():
            if not waiting.done():
                waiting.set_exception(OSError("the fork server stopped"))
        for pid, future in list(self._exits.items()):
            watch_exit(pid, partial(_dead, pid)).add_done_callback(partial(_pass_on, future))

    def close(self) -> None:
        if self._sock is not None:
            self._loop.remove_reader(self._sock)
            self._sock.close()
            self._sock = None
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=3)
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        with contextlib.suppress(OSError):
            os.waitpid(self.process.pid, os.WNOHANG)
