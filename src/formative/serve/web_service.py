"""One browser participant's app process, as textual-serve runs it, with our limits.

textual-serve's AppService starts the app with a copy of the server's whole
environment; a participant is a stranger, so theirs is built from an allow-list: what
Textual's web driver reads, the locale, and the participant's name (which the server
took from their signed session, never from anything they type into the app).
Terminal sizes are clamped, so a browser cannot ask the app to lay out a 30000×30000
screen.

The app is forked from the same warm process as SSH participants' (zygote.py) when the
server has one: a fresh interpreter costs about a second of CPU before the first paint,
and a forked app gets the SSH apps' memory cap. Without one, it starts fresh.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shlex
import signal
import sys
from asyncio.subprocess import Process
from functools import partial
from pathlib import Path
from typing import Any, cast

from textual_serve.app_service import AppService

from formative.serve.child import MEMORY_LIMIT
from formative.serve.spawn import AppRequest, Child
from formative.serve.web_config import PARTICIPANT_ENV
from formative.serve.zygote_client import ZygoteSpawner

ALLOWED_ENV = frozenset(
    {
        "TEXTUAL_DRIVER",
        "TEXTUAL_FPS",
        "TEXTUAL_COLOR_SYSTEM",
        "TERM_PROGRAM",
        "TERM_PROGRAM_VERSION",
        "COLUMNS",
        "ROWS",
        "LANG",
        "LANGUAGE",
        "PYTHONPATH",
    }
)
"""What the app may inherit: the web driver's settings (set by textual-serve), the locale,
and PYTHONPATH so a server run from a source tree starts the same code."""

MAX_WIDTH, MAX_HEIGHT = 500, 200
"""The largest terminal a browser may ask for, in cells (a 4K screen at a small font fits)."""


def clamp_size(width: int, height: int) -> tuple[int, int]:
    return max(10, min(int(width), MAX_WIDTH)), max(5, min(int(height), MAX_HEIGHT))


def participant_web_env(built: dict[str, str], name: str) -> dict[str, str]:
    """The allow-listed part of the environment textual-serve built, and the participant's name."""
    env = {key: value for key, value in built.items() if key in ALLOWED_ENV or key.startswith("LC_")}
    if not env.get("LANG") and not env.get("LC_ALL"):
        env["LANG"] = "C.UTF-8"
    env[PARTICIPANT_ENV] = name
    return env


def entry_command(workshop_dir: Path) -> list[str]:
    """The participant's process: web_entry on the workshop; the server's process id lets the
    app notice a server that died while it started."""
    return [sys.executable, "-m", "formative.serve.web_entry", str(workshop_dir.resolve()), str(os.getpid())]


class ForkedApp:
    """An app forked by the fork server, with what AppService and wait_stopped use of asyncio's Process."""

    def __init__(
        self, child: Child, stdin: asyncio.StreamWriter, stdout: asyncio.StreamReader, stderr: asyncio.StreamReader
    ) -> None:
        self.child = child
        self.pid = child.pid
        self.stdin, self.stdout, self.stderr = stdin, stdout, stderr

    @property
    def returncode(self) -> int | None:
        return self.child.exited.result() if self.child.exited.done() else None

    async def wait(self) -> int:
        return await asyncio.shield(self.child.exited)

    def kill(self) -> None:
        self.child.signal(signal.SIGKILL)


async def fork_app(zygote: ZygoteSpawner, request: AppRequest) -> ForkedApp | None:
    """The app on three fresh pipes, forked by the fork server; None if it is gone."""
    loop = asyncio.get_running_loop()
    (in_read, in_write), (out_read, out_write), (err_read, err_write) = os.pipe(), os.pipe(), os.pipe()
    try:
        child = await zygote.spawn_web(request, (in_read, out_write, err_write))
    finally:
        for fd in (in_read, out_write, err_write):
            os.close(fd)
    if child is None:
        for fd in (in_write, out_read, err_read):
            os.close(fd)
        return None
    # The transports own (and close) the pipe files from here on.
    readers = []
    for fd in (out_read, err_read):
        reader = asyncio.StreamReader(limit=2**16, loop=loop)
        pipe = open(fd, "rb", 0)  # noqa: SIM115
        await loop.connect_read_pipe(partial(asyncio.StreamReaderProtocol, reader), pipe)
        readers.append(reader)
    pipe = open(in_write, "wb", 0)  # noqa: SIM115
    transport, protocol = await loop.connect_write_pipe(
        partial(asyncio.StreamReaderProtocol, asyncio.StreamReader()), pipe
    )
    stdin = asyncio.StreamWriter(transport, protocol, None, loop)
    return ForkedApp(child, stdin, readers[0], readers[1])


class ParticipantService(AppService):
    """textual-serve's AppService for one participant: no shell, allow-listed environment, clamped sizes."""

    def __init__(
        self,
        argv: list[str],
        name: str,
        *,
        zygote: ZygoteSpawner | None = None,
        workshop_dir: Path | None = None,
        **options: Any,
    ) -> None:
        super().__init__(shlex.join(argv), **options)
        self.argv = argv
        self.name = name
        self.zygote = zygote
        """The fork server to ask for the app (None: a fresh process from argv)."""
        self.workshop_dir = workshop_dir
        self.process: Process | ForkedApp | None = None

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        return participant_web_env(super()._build_environment(width, height), self.name)

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        if self.zygote is not None and self.workshop_dir is not None:
            request = AppRequest(self.workshop_dir, self.name, self._build_environment(width, height), MEMORY_LIMIT)
            forked = await fork_app(self.zygote, request)
            if forked is not None:
                self.process = forked
                self._process, self._stdin = cast(Process, forked), forked.stdin
                return cast(Process, forked)
        return await self._open_fresh_process(width, height)

    async def _open_fresh_process(self, width: int, height: int) -> Process:
        """As AppService does it, without its shell: a shell would export PWD and OLDPWD (the
        coach's folders) into the app. The app's own folder is /, which holds nothing of the coach's.
        In a session of its own, so Ctrl+C in the coach's terminal reaches the server alone, which
        then stops every app in order."""
        self.process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(width, height),
            cwd="/",
            start_new_session=True,
        )
        self._process, self._stdin = process, process.stdin  # what AppService.run and send_bytes read
        return process

    async def start(self, width: int, height: int) -> None:
        await super().start(*clamp_size(width, height))

    async def set_terminal_size(self, width: int, height: int) -> None:
        await super().set_terminal_size(*clamp_size(width, height))

    async def wait_stopped(self, timeout: float) -> int | None:
        """Ask the app to save and quit; kill it if it has not gone within timeout. Returns its exit code."""
        with contextlib.suppress(TimeoutError):  # a hung app: killed below
            await asyncio.wait_for(self.stop(), timeout)
        process = self.process
        if process is None:
            return None
        if process.returncode is None:
            try:
                await asyncio.wait_for(process.wait(), 1.0)
            except TimeoutError:
                process.kill()
                await process.wait()
        return process.returncode
