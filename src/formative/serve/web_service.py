"""One browser participant's app process, as textual-serve runs it, with our limits.

textual-serve's AppService starts the app with a copy of the server's whole
environment; a participant is a stranger, so theirs is built from an allow-list: what
Textual's web driver reads, the locale, and the participant's name (which the server
took from their signed session, never from anything they type into the app).
Terminal sizes are clamped, so a browser cannot ask the app to lay out a 30000×30000
screen.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shlex
import sys
from asyncio.subprocess import Process
from pathlib import Path
from typing import Any

from textual_serve.app_service import AppService

from formative.serve.web_config import PARTICIPANT_ENV

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


class ParticipantService(AppService):
    """textual-serve's AppService for one participant: no shell, allow-listed environment, clamped sizes."""

    def __init__(self, argv: list[str], name: str, **options: Any) -> None:
        super().__init__(shlex.join(argv), **options)
        self.argv = argv
        self.name = name
        self.process: Process | None = None

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        return participant_web_env(super()._build_environment(width, height), self.name)

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
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
