"""Drive the real `formative` command in a tmux pane, as a person at a keyboard would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

FORMATIVE = str(Path(sys.executable).with_name("formative"))


def have_tmux() -> bool:
    return shutil.which("tmux") is not None


class Pane:
    """One detached tmux session on a private socket, killed on close()."""

    def __init__(self, command: list[str], env: dict[str, str], width: int = 80, height: int = 24) -> None:
        self.socket = f"formative-test-{uuid.uuid4().hex[:8]}"
        environment = {**os.environ, **env}
        shell_command = " ".join(_quote(part) for part in command)
        self._tmux("new-session", "-d", "-x", str(width), "-y", str(height), "-s", "t", shell_command, env=environment)

    def _tmux(self, *args: str, env: dict[str, str] | None = None) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=20, env=env, check=False
        )
        return result.stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "t")

    def keys(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", "t", *keys)

    def type(self, text: str) -> None:
        self._tmux("send-keys", "-t", "t", "-l", text)

    def wait_for(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} did not appear within {timeout}s; the screen shows:\n{screen}")

    def resize(self, width: int, height: int) -> None:
        """Resize the window, as a person dragging their terminal's corner would."""
        self._tmux("resize-window", "-t", "t", "-x", str(width), "-y", str(height))

    def wait_until(self, check: Callable[[str], bool], what: str, timeout: float = 20) -> str:
        """Wait until check(screen) holds; what says what was awaited, for the failure message."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if check(screen):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{what} did not happen within {timeout}s; the screen shows:\n{screen}")

    def pid(self) -> int:
        return int(self._tmux("display-message", "-p", "-t", "t", "#{pane_pid}").strip())

    def alive(self) -> bool:
        return "t" in self._tmux("list-sessions", "-F", "#{session_name}").split()

    def wait_closed(self, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                return
            time.sleep(0.1)
        raise AssertionError(f"the app did not exit; the screen shows:\n{self.screen()}")

    def close(self) -> None:
        self._tmux("kill-server")


def _quote(part: str) -> str:
    return "'" + part.replace("'", "'\"'\"'") + "'"
