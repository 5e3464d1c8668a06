"""What a participant's app, and the coach's, cost while the room sits still, and per keystroke, at 1 and 30 people.

Run: .venv/bin/python benchmarks/room_idle.py [--people 1,30] [--idle 10] [--keys 30] [--tiny]

Real `formative join` processes, each in its own pseudo-terminal (os.openpty, 80x24),
all joined to one throwaway workshop folder, and the coach's `formative facilitate` in a
pty of its own (100x30, the size a projector gets; it writes nothing while the room is
idle, so the participants' figures are their own cost). CPU is read from
/proc/PID/stat (user + system time), so the numbers include everything the process does
(Textual, file watching, heartbeats), not a sample.

For each room size, on two steps (a shared text step, and a dot-vote step whose options
are the room's answers, so the app must follow the room):
- idle: CPU per app per second over the idle window (median and worst over the apps);
- per keystroke: one participant types a key every 100 ms; the typist's CPU per key,
  and the CPU all the *other* apps spend per key (what the room pays for one typist);
- the coach's app: CPU per second over the same idle window, and while one person types
  (the typist's autosaves reach the coach's screen as answer-file changes);
- step change: CPU per app (median) from the facilitator moving the room to the vote
  until the room is quiet, less the idle cost of that wait (the vote's options are the
  room's answers: 1 or 30 rows).

Before each idle window the benchmark waits until the room stops getting quieter (30
apps that just moved step keep two cores busy for a while after they have painted).
The idle figure must not grow with the room: that is issue 11's bar. --tiny runs one room
of 2 people (a typist and one other), half a second idle, 4 keys: a test in `make test`
runs it, so it cannot rot.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import re
import selectors
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import figures

FORMATIVE = str(Path(sys.executable).with_name("formative"))
room_samples: dict[tuple[int, str], list[float]] = {}
"""Each app's idle CPU (ms/s), by room size and step: the samples behind the idle medians."""
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
CSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]")

WORKBOOK = """\
format = 1
id = "idle-room"
title = "Idle room"
minutes = 10

[[sections]]
id = "main"
title = "Together"

[[sections.steps]]
id = "ideas"
title = "Ideas for the room"
mode = "solo"
shared = true

[[sections.steps.prompts]]
id = "idea"
kind = "short_text"
label = "One idea"

[[sections.steps]]
id = "vote"
title = "Vote on the ideas"
mode = "solo"

[[sections.steps.prompts]]
id = "dots"
kind = "dot_vote"
label = "Spend your votes"
options_from = "ideas.idea"
votes = 3
"""

MARKERS = {"ideas": b"Ideas for the room", "vote": b"Vote on the ideas"}


@dataclass
class App:
    """One participant's app in a pty, with its output collected by the reader thread."""

    name: str
    process: subprocess.Popen[bytes]
    master: int
    output: bytearray = field(default_factory=bytearray)

    def cpu(self) -> float:
        """Seconds of CPU (user + system) the process has used so far."""
        with open(f"/proc/{self.process.pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def shows(self, marker: bytes) -> bool:
        return marker in CSI.sub(b"", bytes(self.output[-20000:]))

    def send(self, data: bytes) -> None:
        os.write(self.master, data)


class Drain(threading.Thread):
    """Reads every app's pty so none blocks on a full terminal buffer."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.selector = selectors.DefaultSelector()
        self.lock = threading.Lock()
        self.stopped = False

    def add(self, app: App) -> None:
        with self.lock:
            self.selector.register(app.master, selectors.EVENT_READ, app)

    def run(self) -> None:
        while not self.stopped:
            with self.lock:
                ready = self.selector.select(timeout=0.05) if self.selector.get_map() else []
            if not ready:
                time.sleep(0.02)
            for key, _ in ready:
                app: App = key.data
                try:
                    chunk = os.read(app.master, 65536)
                except OSError:
                    chunk = b""
                if not chunk:
                    with self.lock:
                        self.selector.unregister(app.master)
                    continue
                app.output += chunk
                if len(app.output) > 200_000:
                    del app.output[:100_000]


def start_app(folder: Path, name: str, home: Path, coach: bool = False) -> App:
    """A participant's `formative join` at 80x24, or (coach) the coach's `formative facilitate` at 100x30."""
    master, slave = os.openpty()
    rows, columns = (30, 100) if coach else (24, 80)
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "HOME": str(home), "COLORTERM": "truecolor"}
    command = ["facilitate", str(folder)] if coach else ["join", str(folder), "--as", name]
    process = subprocess.Popen(
        [FORMATIVE, *command],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
        close_fds=True,
    )
    os.close(slave)
    return App(name, process, master)


def wait_for(check: object, what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.05)


def set_step(folder: Path, step: str) -> None:
    """Move the room (as the facilitator would, by writing workshop.toml's state)."""
    from formative.workshop.folder import Workshop, save_state

    workshop = Workshop.open(folder)
    save_state(workshop, workshop.state.model_copy(update={"step": step}))


def wait_until_quiet(apps: list[App], most: float, every: float = 1.0) -> float:
    """Wait until the room uses less than half a core (or `most` seconds); returns the seconds waited.

    Thirty apps that just moved step keep a 2-core machine saturated for seconds after
    each has painted: that is the cost of the step change, not idle cost. (An app that
    never goes quiet, as one polling four times a second in a big room, is measured
    after `most` seconds: that is its idle cost.)
    """
    start = time.monotonic()
    last = sum(app.cpu() for app in apps)
    while time.monotonic() - start < most:
        time.sleep(every)
        now = sum(app.cpu() for app in apps)
        used, last = now - last, now
        if used < 0.5 * every:
            break
    return time.monotonic() - start


def idle_cpu(apps: list[App], seconds: float) -> list[float]:
    """Milliseconds of CPU per second, per app, over an idle window."""
    before = [app.cpu() for app in apps]
    start = time.monotonic()
    time.sleep(seconds)
    elapsed = time.monotonic() - start
    return [(app.cpu() - b) * 1000 / elapsed for app, b in zip(apps, before, strict=True)]


def keystroke_cpu(apps: list[App], keys: list[bytes], idle: list[float]) -> tuple[float, float]:
    """(the typist's CPU ms per key, all other apps' CPU ms per key), idle cost taken off."""
    typist, others = apps[0], apps[1:]
    before = [app.cpu() for app in apps]
    start = time.monotonic()
    for key in keys:
        typist.send(key)
        time.sleep(0.1)
    time.sleep(1.5)  # the last autosave, and the room reading it
    elapsed = time.monotonic() - start
    used = [(app.cpu() - b) * 1000 - rate * elapsed for app, b, rate in zip(apps, before, idle, strict=True)]
    mine = max(used[0], 0.0) / len(keys)
    theirs = max(sum(used[1:]), 0.0) / len(keys) if others else 0.0
    return mine, theirs


def measure_room(
    people: int, idle_seconds: float, key_count: int, pause: float, steps: tuple[str, ...] = ("ideas", "vote")
) -> list[dict[str, float | int | str]]:
    rows: list[dict[str, float | int | str]] = []
    with tempfile.TemporaryDirectory(prefix="room-idle-") as tmp:
        root = Path(tmp)
        workbook = root / "idle-room.toml"
        workbook.write_text(WORKBOOK, encoding="utf-8")
        folder = root / "ws"
        subprocess.run(
            [FORMATIVE, "workshop", "new", str(workbook), str(folder), "--title", "Idle room"],
            check=True,
            capture_output=True,
            timeout=120,
        )
        drain = Drain()
        drain.start()
        apps: list[App] = []
        coach = start_app(folder, "coach", root, coach=True)
        drain.add(coach)
        try:
            wait_for(lambda: coach.shows(b"answered"), "the coach's first screen", 120)
            for n in range(people):
                app = start_app(folder, f"Person {n + 1}", root)
                drain.add(app)
                apps.append(app)
                wait_for(lambda app=app: app.shows(MARKERS["ideas"]), f"{app.name}'s first screen", 120)
            # Everyone answers the text step, so the vote has options.
            for n, app in enumerate(apps):
                app.send(f"idea {n + 1}".encode())
            time.sleep(pause + 1.5)
            typed = {"ideas": [b"x"] * key_count, "vote": [b"+", b"-"] * (key_count // 2)}
            for step, keys in ((step, typed[step]) for step in steps):
                before = [app.cpu() for app in apps]
                if step == "vote":
                    set_step(folder, "vote")
                    for app in apps:
                        wait_for(lambda app=app: app.shows(MARKERS["vote"]), f"{app.name} on the vote", 120)
                time.sleep(pause)
                waited = wait_until_quiet(apps, 5, 0.5) if pause < 1 else wait_until_quiet(apps, 60)
                change = [(app.cpu() - b) * 1000 for app, b in zip(apps, before, strict=True)]
                *idle, coach_idle = idle_cpu([*apps, coach], idle_seconds)
                room_samples[(people, step)] = idle
                change = [max(c - rate * (waited + pause), 0.0) for c, rate in zip(change, idle, strict=True)]
                coach_before, start = coach.cpu(), time.monotonic()
                mine, theirs = keystroke_cpu(apps, keys, idle)
                coach_typing = (coach.cpu() - coach_before) * 1000 / (time.monotonic() - start)
                rows.append(
                    {
                        "people": people,
                        "step": step,
                        "idle_median": statistics.median(idle),
                        "idle_worst": max(idle),
                        "key_typist": mine,
                        "key_others": theirs,
                        "step_change": statistics.median(change) if step == "vote" else 0.0,
                        "quiet_after": waited,
                        "coach_idle": coach_idle,
                        "coach_typing": coach_typing,
                    }
                )
        finally:
            for app in [*apps, coach]:
                with contextlib.suppress(OSError):
                    app.send(b"\x11")  # ctrl+q: save and quit
            deadline = time.monotonic() + 20
            for app in [*apps, coach]:
                try:
                    app.process.wait(timeout=max(deadline - time.monotonic(), 0.1))
                except subprocess.TimeoutExpired:
                    os.killpg(app.process.pid, signal.SIGKILL)
                    app.process.wait()
            drain.stopped = True
            drain.join(timeout=2)
            for app in [*apps, coach]:
                with contextlib.suppress(OSError):
                    os.close(app.master)
    return rows


def table(rows: list[dict[str, float | int | str]]) -> str:
    head = (
        "people  step    idle ms/s (median, worst)   per key: typist ms   others ms (all)"
        "   step change ms/app   quiet after s   coach ms/s (idle, one typing)"
    )
    lines = [head, "-" * len(head)]
    for row in rows:
        change = f"{row['step_change']:>10.0f}" if row["step"] == "vote" else f"{'':>10}"
        lines.append(
            f"{row['people']:>6}  {row['step']:<6}  {row['idle_median']:>9.2f} {row['idle_worst']:>9.2f}"
            f"          {row['key_typist']:>10.2f}   {row['key_others']:>12.2f}"
            f"           {change}   {row['quiet_after']:>13.1f}"
            f"   {row['coach_idle']:>10.2f} {row['coach_typing']:>10.2f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--people", default="1,30", help="room sizes, comma-separated")
    parser.add_argument("--idle", type=float, default=10.0, help="seconds of idle measurement")
    parser.add_argument("--keys", type=int, default=30, help="keystrokes typed by one participant")
    parser.add_argument("--details", type=Path, help="also write every row here as JSON")
    parser.add_argument("--steps", default="ideas,vote", help="the steps measured, of ideas,vote")
    figures.add_options(parser, "2 people, 0.5 s idle, 4 keys (for the test)")
    args = parser.parse_args(argv)
    if args.tiny:
        args.people, args.idle, args.keys = "2", 0.5, 4
    pause = 0.5 if args.tiny else 3.0
    rows = []
    for people in (int(n) for n in args.people.split(",")):
        room = measure_room(people, args.idle, args.keys, pause, tuple(args.steps.split(",")))
        rows += room
        for row in room:
            where = f"{people} people, {row['step']} step"
            figures.record(f"idle CPU per app, {where}", room_samples[(people, row["step"])], "ms/s")
            figures.record(f"CPU per key (typist), {where}", [float(row["key_typist"])], "ms")
            figures.record(f"CPU per key (all others), {where}", [float(row["key_others"])], "ms")
            figures.record(f"coach's CPU idle, {where}", [float(row["coach_idle"])], "ms/s")
            figures.record(f"coach's CPU while one types, {where}", [float(row["coach_typing"])], "ms/s")
    print("Participant apps and the coach's against one workshop folder (real apps in ptys; CPU from /proc)\n")
    print(table(rows))
    if args.details:
        args.details.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    figures.write(args.json, figures.RECORDED)
    return 0


if __name__ == "__main__":
    sys.exit(main())
