"""Learn that files changed when they change, instead of looking four times a second.

A room of thirty apps that each glob and stat every file several times a second is
a cost that grows with the room. The operating system can say when something in a
folder changes (inotify on Linux); watchfiles wraps that for asyncio. Where it cannot
(no inotify instances left, a network file system), a plain stat loop over the same
folders takes over, once a second, and says so in `Watcher.polling`.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

POLL_INTERVAL = 1.0
"""Seconds between looks when the system cannot tell us of changes."""
DEBOUNCE_MS = 30
"""Changes closer together than this arrive as one batch (an atomic save is two events)."""
STEP_MS = 10
"""How often the watching thread looks for the stop signal and finished batches (watchfiles' `step`).

Each look takes the GIL: 10 ms suits the facilitator, who wants answers on the wall at
once; a participant's app uses a slower step (see PARTICIPANT_STEP_MS) to cost nothing idle."""
PARTICIPANT_STEP_MS = 100
"""A participant's step: about 0.5 ms of CPU per idle second instead of about 4, for at most 0.1 s more delay."""


class Watcher:
    """Changes under some folders, as sets of paths; stop() ends the iteration."""

    def __init__(
        self,
        folders: Sequence[Path],
        *,
        force_polling: bool = False,
        recursive: bool = True,
        step_ms: int = STEP_MS,
    ) -> None:
        """recursive=False watches only the folders' own entries (a participant watching
        the workshop folder must not wake for every file under answers/)."""
        self.folders = [Path(f) for f in folders]
        self.force_polling = force_polling
        self.recursive = recursive
        self.step_ms = step_ms
        self.polling = force_polling
        """True once the stat loop is in use (tests and the coach's log)."""
        self._stop = asyncio.Event()

    def stop(self) -> None:
        self._stop.set()

    async def changes(self) -> AsyncIterator[set[Path]]:
        if not self.force_polling:
            try:
                import watchfiles

                async for events in watchfiles.awatch(
                    *self.folders,
                    watch_filter=None,
                    debounce=DEBOUNCE_MS,
                    step=self.step_ms,
                    stop_event=self._stop,
                    rust_timeout=1000,
                    recursive=self.recursive,
                ):
                    yield {Path(path) for _, path in events}
                return
            except (OSError, RuntimeError):  # out of inotify instances, or a folder it cannot watch
                self.polling = True
        async for changed in self._poll():
            yield changed

    async def _poll(self) -> AsyncIterator[set[Path]]:
        self.polling = True
        depth = 1 if self.recursive else 0
        known = _snapshot(self.folders, depth)
        while not self._stop.is_set():
            try:
                await asyncio.wait_for(self._stop.wait(), POLL_INTERVAL)
                return
            except TimeoutError:
                pass
            now = _snapshot(self.folders, depth)
            changed = {path for path in known.keys() | now.keys() if known.get(path) != now.get(path)}
            known = now
            if changed:
                yield changed


def _snapshot(folders: Sequence[Path], max_depth: int = 1) -> dict[Path, tuple[int, int, int]]:
    """Every entry under the folders (and max_depth levels of subfolders), by size, mtime and inode."""
    found: dict[Path, tuple[int, int, int]] = {}
    pending = [(folder, 0) for folder in folders]
    while pending:
        folder, depth = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                stat = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            found[Path(entry.path)] = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
            if entry.is_dir(follow_symlinks=False) and depth < max_depth:
                pending.append((Path(entry.path), depth + 1))
    return found
