"""How to join a workshop while a server hosts it: `.formative/serving-ssh.toml` and `serving-web.toml`.

Each server writes its own file when it starts listening (one writer per file) and
removes it when it stops; the facilitator's screen reads them to show the room how to
join (the ssh line, the URL, a QR code). The files hold the passcode, so they live in
the coach's private folder (.formative/, 0700) and are private themselves (0600).

A server killed with SIGKILL cannot remove its file: the file names the server's
process, and a file whose process is gone is ignored.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import tomlkit

from formative.answers.atomic import atomic_write_text
from formative.workbook.errors import WorkbookError
from formative.workbook.load import parse_toml, read_text
from formative.workshop.folder import state_folder
from formative.workshop.model import STATE_FOLDER

Kind = Literal["ssh", "web"]
KINDS: tuple[Kind, ...] = ("ssh", "web")
MAX_SERVING_BYTES = 64 * 1024


def serving_path(workshop_dir: Path, kind: Kind) -> Path:
    return workshop_dir / STATE_FOLDER / f"serving-{kind}.toml"


@dataclass(frozen=True)
class Serving:
    """What one running server tells the room: where to go, and the passcode (for the coach to show)."""

    kind: Kind
    address: str
    """For ssh the command line ('ssh -t -p 2222 NAME@192.168.1.20'); for web the URL."""
    also: list[str] = field(default_factory=list)
    """The same for the machine's other addresses (another network, a name), best first."""
    passcode: str | None = None
    pid: int = 0
    """The server's process: a file whose process has gone was left by a killed server."""


def write_serving(workshop_dir: Path, serving: Serving) -> Path:
    """Write the server's file (0600 in the 0700 .formative/), replacing any older one."""
    state_folder(workshop_dir)
    path = serving_path(workshop_dir, serving.kind)
    doc = tomlkit.document()
    doc.add(tomlkit.comment(f"Written by `formative serve {serving.kind}` while it runs; removed when it stops."))
    doc["address"] = serving.address
    doc["also"] = serving.also
    if serving.passcode is not None:
        doc["passcode"] = serving.passcode
    doc["pid"] = serving.pid or os.getpid()
    with contextlib.suppress(FileNotFoundError):
        path.unlink()  # a new file, so it is made private whatever mode an old one had
    atomic_write_text(path, doc.as_string())
    return path


def remove_serving(workshop_dir: Path, kind: Kind, pid: int | None = None) -> None:
    """Remove the server's file if it is this process's (another server may have replaced it)."""
    path = serving_path(workshop_dir, kind)
    found = _read(path, kind)
    if found is not None and found.pid != (pid or os.getpid()):
        return
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def read_serving(workshop_dir: Path) -> dict[Kind, Serving]:
    """The servers hosting this workshop now, by kind; stale or unreadable files are left out."""
    found: dict[Kind, Serving] = {}
    for kind in KINDS:
        serving = _read(serving_path(workshop_dir, kind), kind)
        if serving is not None and _alive(serving.pid):
            found[kind] = serving
    return found


def _read(path: Path, kind: Kind) -> Serving | None:
    if not os.path.lexists(path):
        return None
    try:
        data = parse_toml(read_text(path, MAX_SERVING_BYTES), str(path))
    except WorkbookError:
        return None
    address, also, passcode, pid = data.get("address"), data.get("also", []), data.get("passcode"), data.get("pid")
    if not isinstance(address, str) or not isinstance(pid, int) or not isinstance(also, list):
        return None
    return Serving(
        kind,
        address,
        [str(a) for a in also if isinstance(a, str)],
        passcode if isinstance(passcode, str) else None,
        pid,
    )


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True
