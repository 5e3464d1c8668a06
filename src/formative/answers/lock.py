"""One writer per answer file: an advisory lock that names who holds it.

The lock is a hidden file beside the answers, held with flock while the store is
open. flock ends with the process, so a killed process never leaves a stale lock:
the file may remain, but the next writer can take it.
"""

from __future__ import annotations

import contextlib
import fcntl
import getpass
import os
import socket
from pathlib import Path


class LockedError(Exception):
    """Another process is writing this answer file."""

    def __init__(self, path: Path, holder: str) -> None:
        self.path = path
        self.holder = holder
        super().__init__(
            f"{path} is already open in another Formative ({holder}). "
            "Close that one first, or answer under another name."
        )


def lock_path_for(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


def _describe_self() -> str:
    try:
        user = getpass.getuser()
    except Exception:  # getuser raises several kinds when no user can be found
        user = "unknown user"
    return f"process {os.getpid()} of {user} on {socket.gethostname()}"


class FileLock:
    """An exclusive, non-blocking lock on an answer file, released by release()."""

    def __init__(self, path: Path) -> None:
        self.target = path
        self.path = lock_path_for(path)
        self._fd: int | None = None

    def acquire(self) -> None:
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 500, 0).decode("utf-8", "replace").strip() or "another process"
                os.close(fd)
                raise LockedError(self.target, holder) from None
            # release() unlinks the lock file: if the holder did so between our open and
            # our flock, we locked a file nobody else will see. Start again on the new one.
            try:
                same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.pwrite(fd, _describe_self().encode("utf-8"), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        os.close(self._fd)
        self._fd = None
