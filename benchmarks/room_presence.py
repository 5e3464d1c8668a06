"""How soon the coach's screen shows a participant arriving, leaving, or answering.

Run: .venv/bin/python benchmarks/room_presence.py [--tiny] [-n 20]

The facilitator's app runs in this process (Pilot, 100×30, a roster of 30, the shared
step revealed); a separate process plays the participants, as their own apps would:
it writes a presence file (Beacon.arrive), removes it (Beacon.leave), or saves an
answer (AnswerStore), and reports the moment just before each write on the system's
monotonic clock (shared by every process on Linux). This process polls the roster
widget (and the answer cards) until the change is there. The figure is the time from
the write to the widget holding it: change notification, the re-read, the redraw's
data; the paint follows within a frame.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import figures

from formative.answers.store import AnswerStore
from formative.tui.facilitator.app import FacilitatorApp
from formative.tui.facilitator.roster_panel import RosterPanel
from formative.tui.facilitator.widgets import AnswerCard
from formative.workshop.folder import Workshop, create_workshop, save_state

ROSTER = [f"Person {n:02d}" for n in range(1, 31)]
PARTICIPANTS = r"""
import sys, time
from pathlib import Path
from formative.answers.store import AnswerStore
from formative.workshop.folder import Workshop
from formative.workshop.presence import Beacon

workshop = Workshop.open(Path(sys.argv[1]))
beacons = {}
for line in sys.stdin:
    verb, name = line.strip().split(" ", 1)
    path = workshop.participant_file(name)
    if verb == "arrive":
        beacons[name] = Beacon(workshop.answers_dir, path, name)
        at = time.monotonic()
        beacons[name].arrive("welcome")
    elif verb == "leave":
        at = time.monotonic()
        beacons.pop(name).leave()
    else:
        store = AnswerStore.open(path, workshop.workbook, person=name)
        store.set("welcome", "arriving", f"curious, says {name}")
        at = time.monotonic()
        store.save()
        store.close()
    print(at, flush=True)
"""


def roster_status(app: FacilitatorApp, name: str) -> str | None:
    panel = app.screen.query_one(RosterPanel)
    return next((row.status for row in panel.rows if row.name == name), None)


def card_shown(app: FacilitatorApp, name: str) -> bool:
    return any(f"says {name}" in str(card.visual) for card in app.screen.query(AnswerCard))


async def measure(count: int) -> dict[str, list[float]]:
    folder = Path(tempfile.mkdtemp(prefix="formative-presence-")) / "ws"
    create_workshop(folder, "community-design-workshop", "Presence", ROSTER)
    workshop = Workshop.open(folder)
    save_state(workshop, workshop.state.model_copy(update={"step": "welcome", "revealed": ["welcome"]}))
    for name in ROSTER[-2:]:  # two answers already in: the wall shows answers once three people have given one
        with AnswerStore.open(workshop.participant_file(name), workshop.workbook, person=name) as store:
            store.set("welcome", "arriving", "early")
    app = FacilitatorApp(Workshop.open(folder), theme="projector")
    found: dict[str, list[float]] = {"arrive": [], "leave": [], "answer": []}
    helper = await asyncio.create_subprocess_exec(
        sys.executable, "-c", PARTICIPANTS, str(folder),
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert helper.stdin is not None and helper.stdout is not None

    async def ask(verb: str, name: str) -> float:
        assert helper.stdin is not None and helper.stdout is not None
        helper.stdin.write(f"{verb} {name}\n".encode())
        await helper.stdin.drain()
        return float((await helper.stdout.readline()).decode())

    async def until(check: object, started: float, timeout: float = 10.0) -> float:
        while not check():  # type: ignore[operator]
            if time.monotonic() - started > timeout:
                raise TimeoutError("the change never reached the screen")
            await asyncio.sleep(0.002)
        return time.monotonic() - started

    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.5)  # the watcher starts
        for n in range(count):
            name = ROSTER[n % len(ROSTER)]
            started = await ask("arrive", name)
            found["arrive"].append(await until(lambda name=name: roster_status(app, name) == "here", started))
            started = await ask("answer", name)
            found["answer"].append(await until(lambda name=name: card_shown(app, name), started))
            started = await ask("leave", name)
            found["leave"].append(await until(lambda name=name: roster_status(app, name) == "gone", started))
            await asyncio.sleep(0.05)
    helper.stdin.close()
    await helper.wait()
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    figures.add_options(parser, "three of each, for the test suite")
    parser.add_argument("-n", type=int, default=20, help="arrivals, answers and departures each (default 20)")
    args = parser.parse_args(argv)
    count = 3 if args.tiny else args.n
    found = asyncio.run(measure(count))
    print(f"room presence: participant process → the coach's roster/cards, n = {count} each")
    what = {
        "arrive": "arrive → shown here",
        "leave": "leave → shown gone",
        "answer": "answer saved → card on the wall",
    }
    for key, label in what.items():
        times = [t * 1000 for t in found[key]]
        print(f"{label:34} median {statistics.median(times):6.1f} ms   worst {max(times):6.1f} ms   n={len(times)}")
        figures.record(label, times, "ms")
        figures.record(label + ", worst", [max(times)], "ms")
    figures.write(args.json, figures.RECORDED)
    return 0


if __name__ == "__main__":
    sys.exit(main())
