"""What `formative serve web` is told at start, shared by the server and the participant's process.

Kept apart from web.py (the command's entry) and web_server.py (aiohttp), so that each
of those imports this and neither imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PARTICIPANT_ENV = "FORMATIVE_PARTICIPANT"
"""The participant's name, for their app: the environment, unlike a command line, is not on show in `ps`."""


@dataclass(frozen=True)
class WebConfig:
    workshop_dir: Path
    host: str
    port: int
    passcode: str | None
    public_url: str | None
    max_participants: int
