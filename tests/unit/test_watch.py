"""Change notification: a write under a watched folder arrives as a batch, by inotify or by polling."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from formative.workshop import watch
from formative.workshop.watch import Watcher


async def first_batch(watcher: Watcher, change: Path, timeout: float = 10.0) -> set[Path]:
    async def make_change() -> None:
        await asyncio.sleep(0.3)  # let the watcher start
        change.write_text("x = 1\n", encoding="utf-8")

    task = asyncio.create_task(make_change())
    try:
        async with asyncio.timeout(timeout):
            async for batch in watcher.changes():
                if change in batch:
                    return batch
    finally:
        watcher.stop()
        await task
    raise AssertionError("no change arrived")


@pytest.mark.parametrize("force_polling", [False, True])
async def test_a_write_arrives(tmp_path: Path, force_polling: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(watch, "POLL_INTERVAL", 0.1)
    (tmp_path / ".presence").mkdir()
    watcher = Watcher([tmp_path], force_polling=force_polling)
    batch = await first_batch(watcher, tmp_path / ".presence" / "ada.toml")
    assert tmp_path / ".presence" / "ada.toml" in batch
    assert watcher.polling is force_polling


async def test_no_inotify_falls_back_to_polling(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import watchfiles

    def no_inotify(*args: object, **kwargs: object) -> object:
        raise OSError(24, "Too many open files (inotify instances)")

    monkeypatch.setattr(watchfiles, "awatch", no_inotify)
    monkeypatch.setattr(watch, "POLL_INTERVAL", 0.1)
    watcher = Watcher([tmp_path])
    await first_batch(watcher, tmp_path / "ben.toml")
    assert watcher.polling


async def test_stop_ends_the_iteration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(watch, "POLL_INTERVAL", 0.1)
    for force_polling in (False, True):
        watcher = Watcher([tmp_path], force_polling=force_polling)

        async def drain(w: Watcher = watcher) -> int:
            return sum([1 async for _ in w.changes()])

        task = asyncio.create_task(drain())
        await asyncio.sleep(0.2)
        watcher.stop()
        async with asyncio.timeout(5):
            assert await task == 0


@pytest.mark.parametrize("force_polling", [False, True])
async def test_not_recursive_wakes_only_for_the_folders_own_files(
    tmp_path: Path, force_polling: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A participant watches the workshop folder for workshop.toml, not every answer saved under answers/."""
    monkeypatch.setattr(watch, "POLL_INTERVAL", 0.1)
    (tmp_path / "answers").mkdir()
    watcher = Watcher([tmp_path], recursive=False, force_polling=force_polling, step_ms=50)
    seen: list[set[Path]] = []

    async def collect() -> None:
        async for batch in watcher.changes():
            seen.append(batch)
            if tmp_path / "workshop.toml" in batch:
                return

    task = asyncio.create_task(collect())
    await asyncio.sleep(0.3)
    (tmp_path / "answers" / "ada.toml").write_text("x = 1\n", encoding="utf-8")
    await asyncio.sleep(0.3)
    (tmp_path / "workshop.toml").write_text("x = 2\n", encoding="utf-8")
    try:
        async with asyncio.timeout(10):
            await task
    finally:
        watcher.stop()
    changed = set().union(*seen)
    assert tmp_path / "workshop.toml" in changed
    assert tmp_path / "answers" / "ada.toml" not in changed
