"""Presence files: arrive, move, beat, leave, and a killed app going stale."""

from __future__ import annotations

import os
import time
from pathlib import Path

from formative.workshop.presence import GONE_AFTER, Beacon, presence_dir, read_presence


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
