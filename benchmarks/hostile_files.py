"""How fast hostile files are refused, and what the safe reader costs good ones.

Prints: the time to refuse each kind of hostile file (a named pipe, a link to
/dev/zero, a link loop, a 10 GB sparse file, 5000-deep TOML, a 50,000-part dotted
key); the nesting scan's share of loading a real workbook; one room-scan tick with
30 participants and every kind of bad file beside them.

Run: .venv/bin/python benchmarks/hostile_files.py [--tiny]
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import argparse

import figures
from generate import big_workbook_text

from formative.answers import AnswerStore
from formative.workbook import WorkbookError, load_workbook, load_workbook_text
from formative.workbook.bundled import bundled_paths
from formative.workbook.depth import too_deep
from formative.workshop.folder import Workshop, create_workshop
from formative.workshop.room import Room


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    """Wall times of fn in milliseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def report(name: str, samples: list[float]) -> None:
    print(f"{name:<52} median {statistics.median(samples):8.2f} ms   worst {max(samples):8.2f} ms")
    figures.record(name.strip(), samples, "ms")


def plant(folder: Path) -> dict[str, Path]:
    """One file of every hostile kind in folder."""
    made = {
        "named pipe": folder / "fifo.toml",
        "link to /dev/zero": folder / "zero.toml",
        "symbolic link loop": folder / "loop.toml",
        "10 GB sparse file": folder / "huge.toml",
        "5000-deep arrays": folder / "deep.toml",
        "50,000-part dotted key": folder / "dotted.toml",
    }
    os.mkfifo(made["named pipe"])
    made["link to /dev/zero"].symlink_to("/dev/zero")
    made["symbolic link loop"].symlink_to("loop.toml")
    with made["10 GB sparse file"].open("wb") as file:
        file.truncate(10**10)
    made["5000-deep arrays"].write_text("a = " + "[" * 5000 + "]" * 5000, encoding="utf-8")
    made["50,000-part dotted key"].write_text(".".join(["a"] * 50_000) + " = 1", encoding="utf-8")
    return made


def refuse(path: Path) -> None:
    try:
        load_workbook(path)
    except WorkbookError:
        return
    raise AssertionError(f"{path} was accepted")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    figures.add_options(parser)
    args = parser.parse_args(argv)
    tiny = args.tiny
    repeat = 2 if tiny else 20
    with tempfile.TemporaryDirectory() as temp:
        for kind, path in plant(Path(temp)).items():
            report(f"refuse {kind}", timed(partial(refuse, path), repeat))

    largest = max(bundled_paths(), key=lambda p: p.stat().st_size)
    text = largest.read_text(encoding="utf-8")
    report(f"load + validate {largest.name}", timed(lambda: load_workbook(largest), repeat))
    report(f"  of which the nesting scan ({len(text):,} chars)", timed(lambda: too_deep(text), repeat))
    big = big_workbook_text(50 if tiny else 500)
    report(f"  nesting scan of a generated workbook ({len(big):,} chars)", timed(lambda: too_deep(big), repeat))
    load_workbook_text(big)

    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp) / "ws"
        create_workshop(folder, "community-design-workshop", None, [])
        workshop = Workshop.open(folder)
        step = next(s for s in workshop.workbook.steps if s.shared and s.answer_prompts)
        people = 3 if tiny else 30
        for n in range(people):
            name = f"Person {n}"
            with AnswerStore.open(workshop.participant_file(name), workshop.workbook, person=name) as store:
                store.set(step.id, step.answer_prompts[0].id, f"Answer of {name}")
        plant(workshop.answers_dir)

        def first_scan() -> None:
            Room(workshop).refresh()

        report(f"room scan, first ({people} people + 6 bad files)", timed(first_scan, repeat))
        room = Room(workshop)
        room.refresh()
        assert len(room.participants) == people and len(room.problems) == 6
        report(f"room scan, a tick with nothing changed ({people} + 6)", timed(room.refresh, repeat * 5))
    figures.write(args.json, figures.RECORDED)
    return 0


if __name__ == "__main__":
    sys.exit(main())
