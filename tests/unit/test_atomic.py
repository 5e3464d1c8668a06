"""Crash-safe writes: the new text reaches the disk before the rename makes it the file.

Without the fsync before os.replace, a power cut can leave the renamed file empty
(the rename is on disk, the data not yet): the person's words are gone.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from formative.answers.atomic import atomic_write_text


def test_the_temp_file_is_synced_whole_before_the_rename_and_the_folder_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "ada.toml"
    target.write_text("old = 1\n", encoding="utf-8")
    text = 'answer = "the whole of it"\n' * 50
    events: list[tuple[str, int, int]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        info = os.fstat(fd)
        events.append(("fsync", info.st_ino, info.st_size))
        real_fsync(fd)

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        events.append(("replace", os.stat(src).st_ino, 0))
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    atomic_write_text(target, text)

    assert target.read_text(encoding="utf-8") == text
    new_file, folder = target.stat().st_ino, tmp_path.stat().st_ino
    kinds = [(kind, inode) for kind, inode, _ in events]
    assert ("replace", new_file) in kinds, "the new text did not arrive by a rename"
    renamed = kinds.index(("replace", new_file))
    synced = [size for kind, inode, size in events[:renamed] if kind == "fsync" and inode == new_file]
    assert synced == [len(text.encode())], "the temp file was not synced, whole, before the rename"
    assert ("fsync", folder) in kinds[renamed:], "the rename itself was not made durable"
