"""The server's persistent SSH host key: made once, kept private (0600).

A host key that changed on every start would teach the room to ignore ssh's
warning about a changed key, which is the one that protects them.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import asyncssh

from formative.workbook.errors import WorkbookError
from formative.workbook.load import MAX_SECRET_BYTES, read_limited
from formative.workshop.model import STATE_FOLDER


class HostKeyError(Exception):
    """The host key file cannot be used; the message says why and what to do."""


def default_host_key_path(workshop_dir: Path) -> Path:
    """Inside WORKSHOP/.formative, which is private (0700) and ignored by git (see state_folder)."""
    return workshop_dir / STATE_FOLDER / "ssh_host_ed25519_key"


def load_or_create_host_key(path: Path) -> Any:
    """Read the private key at path, creating an Ed25519 key with mode 0600 if it is missing."""
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        key = asyncssh.generate_private_key("ssh-ed25519", comment="formative workshop host key")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as file:
            file.write(key.export_private_key())
        return key
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise HostKeyError(f"{path} is readable by others (mode {mode:o}); run: chmod 600 {path}")
    try:
        return asyncssh.import_private_key(read_limited(path, MAX_SECRET_BYTES))
    except WorkbookError as error:
        raise HostKeyError(str(error)) from None
    except (ValueError, asyncssh.KeyImportError) as error:
        raise HostKeyError(f"{path}: not a usable SSH private key ({error})") from error
