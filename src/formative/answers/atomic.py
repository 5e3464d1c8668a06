"""Crash-safe, private file writes: a temporary file beside the target, fsync, then rename.

Answers are private: a new file is made 0600 and a folder Formative makes for them
0700, so other accounts on a shared machine read nothing. A file or folder that
already exists keeps the mode its owner gave it.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

PRIVATE_FILE = 0o600
PUBLIC_FILE = 0o644
"""For files meant to be shared: workbooks, the schema, workshop.toml, .gitignore."""
PRIVATE_FOLDER = 0o700


def atomic_write_text(path: Path, text: str, new_mode: int = PRIVATE_FILE) -> None:
    """Replace path with text so that a crash leaves either the old file or the new one.

    A new file gets new_mode (private unless the caller says otherwise); an existing
    file keeps its own mode.
    """
    data = text.encode("utf-8")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        mode, existed = path.stat().st_mode & 0o777, True
    except FileNotFoundError:
        mode, existed = new_mode, False
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()  # left by a crash: it would keep its own mode (or be a planted link)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, mode)
    try:
        if existed:
            os.fchmod(fd, mode)  # exactly the old mode, whatever the umask
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    _fsync_dir(path.parent)


def make_private_folder(folder: Path) -> None:
    """Create folder (and missing parents) for answers: the folder itself 0700.

    An existing folder is left as it is: its mode is its owner's choice.
    """
    folder.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (not supported on every platform)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
