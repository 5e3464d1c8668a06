"""Who is in the room right now: each participant's app keeps a small presence file fresh.

The answer files say who has answered, not who is here. So while a participant's app
runs it keeps `answers/.presence/STEM.toml` (STEM is its answer file's stem): the name,
the step the person is on, and when they arrived. The file's modification time is the
heartbeat, touched every HEARTBEAT seconds; a clean exit removes the file. An app that
was killed stops touching it, and after GONE_AFTER seconds it counts as gone.

The facilitator learns of arrivals, moves and clean departures at once by watching the
folder (see watch.py); only a killed app waits for the heartbeat to go stale. Writing is
one small file per arrival or step change, and a utime call per heartbeat: no storm.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import tomlkit

from formative.answers.atomic import atomic_write_text
from formative.workbook.errors import WorkbookError
from formative.workbook.load import parse_toml, read_text

PRESENCE_FOLDER = ".presence"
"""Inside the workshop's answers folder; hidden, so answer-file globs never see it."""
HEARTBEAT = 10.0
"""Seconds between touches of a running app's presence file."""
GONE_AFTER = 3 * HEARTBEAT
"""Seconds without a touch after which a presence file counts as left behind by a killed app."""


def presence_dir(answers_dir: Path) -> Path:
    return answers_dir / PRESENCE_FOLDER


@dataclass(frozen=True)
class Seen:
    """One participant as their presence file shows them."""

    stem: str
    """Their answer file's stem: one per person in the workshop."""
    name: str
    step: str | None
    """The step their app shows (in free pace people spread out)."""
    arrived: float
    """When this app started, as Unix time."""
    beat: float
    """The last heartbeat (the file's modification time)."""

    def here(self, now: float) -> bool:
        return now - self.beat <= GONE_AFTER


class Beacon:
    """A participant app's side: arrive, move, beat, leave. Failures never reach the person.

    Presence is a courtesy to the coach; a full disk or a read-only folder must not stop
    anyone answering, so every write here swallows OSError (and says so in `failed`).
    """

    def __init__(self, answers_dir: Path, answer_file: Path, name: str) -> None:
        self.path = presence_dir(answers_dir) / f"{answer_file.stem}.toml"
        self.name = name
        self.step: str | None = None
        self.arrived = time.time()
        self.failed: OSError | None = None
        """The last write that failed, if any (for tests and logs; the person is not bothered)."""

    def _write(self) -> None:
        doc = tomlkit.document()
        doc["name"] = self.name
        if self.step is not None:
            doc["step"] = self.step
        doc["arrived"] = self.arrived
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            atomic_write_text(self.path, doc.as_string())
            self.failed = None
        except OSError as error:
            self.failed = error

    def arrive(self, step: str | None) -> None:
        self.step = step
        self._write()

    def moved(self, step: str | None) -> None:
        """The person's app now shows another step; written only when it changed."""
        if step != self.step:
            self.step = step
            self._write()

    def beat(self) -> None:
        """Touch the file (cheap: no rewrite); re-create it if someone removed it."""
        try:
            os.utime(self.path)
            self.failed = None
        except FileNotFoundError:
            self._write()
        except OSError as error:
            self.failed = error

    def leave(self) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink()


def read_presence(answers_dir: Path) -> dict[str, Seen]:
    """Every presence file in the folder, by stem; unreadable ones are skipped (they are only hints)."""
    folder = presence_dir(answers_dir)
    found: dict[str, Seen] = {}
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return found
    for entry in entries:
        if not entry.name.endswith(".toml") or entry.name.startswith("."):
            continue
        seen = read_one(Path(entry.path))
        if seen is not None:
            found[seen.stem] = seen
    return found


def read_one(path: Path) -> Seen | None:
    """One presence file, or None if it is gone, not a regular file, or not what we wrote."""
    try:
        beat = path.stat().st_mtime
        data = parse_toml(read_text(path), str(path))
    except (OSError, WorkbookError):
        return None
    name, step, arrived = data.get("name"), data.get("step"), data.get("arrived")
    if not isinstance(name, str) or not isinstance(arrived, int | float):
        return None
    return Seen(path.stem, name, step if isinstance(step, str) else None, float(arrived), beat)


@contextlib.contextmanager
def keep_present(beacon: Beacon, interval: float = HEARTBEAT) -> Iterator[Beacon]:
    """Beat from a small thread while the block runs, then leave: for apps with no event loop (plain mode).

    A blocking input() cannot run a timer; the thread only touches the file's time.
    """
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(interval):
            beacon.beat()

    thread = threading.Thread(target=beat, name="presence", daemon=True)
    thread.start()
    try:
        yield beacon
    finally:
        stop.set()
        thread.join(timeout=1)
        beacon.leave()
