"""`formative serve web`: the participant app in browsers, one process per tab, through textual-serve.

This module stays light (no aiohttp, no Textual) so the command can check its options
before loading the server; web_server.py holds the server, web_entry.py the app.
"""

from __future__ import annotations

import ipaddress
import os
import shlex
import sys
from pathlib import Path

PASSCODE_ENV = "FORMATIVE_WEB_PASSCODE"
"""How the passcode reaches each participant's app: the environment, which `ps` does not show."""


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach: localhost, 127.0.0.0/8, ::1."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def entry_command(workshop_dir: Path) -> str:
    """The shell command textual-serve runs per browser tab; `exec` so signals reach the app, not a shell."""
    return "exec " + shlex.join([sys.executable, "-m", "formative.serve.web_entry", str(workshop_dir.resolve())])


def serve_web(
    workshop_dir: Path, *, host: str, port: int, passcode: str | None, public_url: str | None, max_participants: int
) -> None:
    """Serve until Ctrl+C or SIGTERM; each open app saves its answers as the server stops."""
    from formative.serve.web_server import WorkshopServer

    if passcode:
        os.environ[PASSCODE_ENV] = passcode  # textual-serve copies os.environ into every app
    else:
        os.environ.pop(PASSCODE_ENV, None)
    server = WorkshopServer(
        entry_command(workshop_dir), host=host, port=port, public_url=public_url, max_participants=max_participants
    )
    server.serve()
