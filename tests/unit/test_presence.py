"""Presence files: arrive, move, beat, leave, and a killed app going stale."""

from __future__ import annotations

import os
import time
from pathlib import Path

from formative.workshop.presence import GONE_AFTER, Beacon, keep_present, presence_dir, read_presence


def test_arrive_move_leave(tmp_path: Path) -> None:
    beacon = Beacon(tmp_path, tmp_path / "ada.toml", "Ada")
    beacon.arrive("welcome")
    (seen,) = read_presence(tmp_path).values()
    assert (seen.stem, seen.name, seen.step) == ("ada", "Ada", "welcome")
    assert seen.here(time.time())
    beacon.moved("harvest")
    assert read_presence(tmp_path)["ada"].step == "harvest"
    beacon.leave()
    assert read_presence(tmp_path) == {}


def test_a_killed_app_goes_stale(tmp_path: Path) -> None:
    beacon = Beacon(tmp_path, tmp_path / "ben.toml", "Ben")
    beacon.arrive(None)
    old = time.time() - GONE_AFTER - 1
    os.utime(beacon.path, (old, old))
    seen = read_presence(tmp_path)["ben"]
    assert not seen.here(time.time())
    beacon.beat()
    assert read_presence(tmp_path)["ben"].here(time.time())


def test_beat_recreates_a_removed_file_and_bad_files_are_skipped(tmp_path: Path) -> None:
    beacon = Beacon(tmp_path, tmp_path / "cy.toml", "Cy")
    beacon.arrive("welcome")
    beacon.path.unlink()
    beacon.beat()
    assert read_presence(tmp_path)["cy"].step == "welcome"
    (presence_dir(tmp_path) / "junk.toml").write_text("name = [", encoding="utf-8")
    os.mkfifo(presence_dir(tmp_path) / "pipe.toml")
    assert set(read_presence(tmp_path)) == {"cy"}


def test_a_read_only_folder_never_bothers_the_person(tmp_path: Path) -> None:
    blocker = tmp_path / "answers"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    beacon = Beacon(blocker, blocker / "dee.toml", "Dee")
    beacon.arrive("welcome")
    assert beacon.failed is not None
    beacon.beat()
    beacon.leave()


def test_keep_present_beats_from_a_thread_and_leaves_however_the_block_ends(tmp_path: Path) -> None:
    """Plain mode has no event loop: a thread keeps the file fresh, and an error still removes it."""
    beacon = Beacon(tmp_path, tmp_path / "eve.toml", "Eve")
    beacon.arrive("welcome")
    old = time.time() - GONE_AFTER - 1
    os.utime(beacon.path, (old, old))
    try:
        with keep_present(beacon, interval=0.05):
            deadline = time.monotonic() + 5
            while not read_presence(tmp_path)["eve"].here(time.time()):
                assert time.monotonic() < deadline, "no heartbeat from the thread"
                time.sleep(0.02)
            raise RuntimeError("the person's session fails")
    except RuntimeError:
        pass
    assert read_presence(tmp_path) == {}
