"""Solo start-up against a bare one-label Textual app: first paint, settled screen, CPU.

Run: .venv/bin/python benchmarks/first_paint.py [-n 9] [--src OTHER/src] [--tiny] [--json FILE]

Each run spawns the real command in an 80x24 pseudo-terminal, A/B interleaved (bare,
fresh, resumed, bare, fresh, …) so load on the machine hits all three alike:

- bare: `python -c` a Textual app with one Label; its first paint is its settled screen;
- fresh: `python -m formative run tend-your-community` into an empty answers folder (the
  first sitting: a new folder, a git repository made for it); its first step asks at once,
  where the flagship opens on a page with nothing to type into;
- resumed: `formative run formative-community` with the name answered (it resumes on step 3);
- remembered: resumed, after a sitting that kept where it resumes (the cache a quit writes),
  so that start can paint first too (without that cache, resumed loads everything first).

Figures, per run: *first paint*, spawn until the step's header ("Step N of") is on the
terminal; *settled*, spawn until a key typed at the first paint is echoed in the answer
box: the moment the screen takes words (keys typed earlier are kept and shown then);
*CPU*, the process's user + system time until then (from wait4). Medians over n runs,
with each figure's ratio to the bare app.

--src runs another checkout's source (PYTHONPATH=OTHER/src, the same .venv): the way to
measure before and after a change on one machine. --tiny (one round and no warming
round, for the test in `make test`) only checks that everything is measured.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from figures import Figure, add_options, write

BARE_APP = """
from textual.app import App
from textual.widgets import Label
class Bare(App):
    def compose(self):
        yield Label("BARE READY")
Bare().run()
"""

TYPED = "§".encode()
"""Typed at the first paint; it shows once the answer box has it (no workbook text holds it)."""

RESUMED_ANSWERS = """\
[formative]
format = 1
workbook = "formative-community"

[answers.welcome]
name = "The Drawing Table"
"""


REMEMBER = """
import sys
from pathlib import Path
from formative.first_step import remember
from formative.session import Session
session = Session.open("formative-community", Path(sys.argv[1]), git=False)
session.close()
remember(session)
"""


@dataclass
class Sample:
    first_paint: float
    settled: float
    cpu: float


def run_once(command: list[str], env: dict[str, str], paint: bytes, type_key: bool, timeout: float = 30) -> Sample:
    """Spawn command in an 80x24 pty; times in ms from spawn to the paint marker and to the typed key's echo."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True, close_fds=True
    )
    os.close(slave)
    seen, painted, settled = b"", float("nan"), float("nan")
    try:
        while time.perf_counter() - start < timeout:
            if not select.select([master], [], [], 0.02)[0]:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            seen += chunk
            now = (time.perf_counter() - start) * 1000
            if painted != painted and paint in seen:
                painted = now
                if not type_key:
                    settled = now
                    break
                os.write(master, TYPED)
                seen = seen[seen.index(paint) :]
            elif painted == painted and TYPED in seen:
                settled = now
                break
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        _, _, usage = os.wait4(process.pid, 0)
        os.close(master)
    return Sample(painted, settled, (usage.ru_utime + usage.ru_stime) * 1000)


def measure(runs: int, src: Path | None, warm: bool = True) -> dict[str, list[Sample]]:
    """Samples by run kind; warm: a first round, not counted, warms the file cache and the bytecode."""
    samples: dict[str, list[Sample]] = {"bare": [], "fresh": [], "resumed": [], "remembered": []}
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "HOME": home, "TERM": "xterm-256color", "COLORTERM": "truecolor"}
        env.pop("FORMATIVE_ANSWERS", None)
        env["XDG_CACHE_HOME"] = str(Path(home) / "cache")
        if src is not None:
            env["PYTHONPATH"] = str(src.resolve())
        fresh = [sys.executable, "-m", "formative", "run", "tend-your-community", "--answers"]
        formative = [sys.executable, "-m", "formative", "run", "formative-community", "--answers"]
        bare = [sys.executable, "-c", BARE_APP]
        first = 0 if warm else 1
        for n in range(first, runs + 1):  # round 0 warms the file cache and the bytecode; not counted
            fresh_dir = Path(home) / f"fresh-{n}"
            resumed_dir, remembered_dir = Path(home) / f"resumed-{n}", Path(home) / f"remembered-{n}"
            for folder in (resumed_dir, remembered_dir):
                folder.mkdir()
                (folder / "formative-community.toml").write_text(RESUMED_ANSWERS, encoding="utf-8")
            # Older code (--src) has no such cache: its remembered runs are plain resumed runs.
            subprocess.run(
                [sys.executable, "-c", REMEMBER, str(remembered_dir)], env=env, check=False, capture_output=True
            )
            round_ = {
                "bare": run_once(bare, env, b"BARE READY", type_key=False),
                "fresh": run_once([*fresh, str(fresh_dir)], env, b"Step 1 of", type_key=True),
                "resumed": run_once([*formative, str(resumed_dir)], env, b"Step 3 of", type_key=True),
                "remembered": run_once([*formative, str(remembered_dir)], env, b"Step 3 of", type_key=True),
            }
            if n:
                for name, sample in round_.items():
                    samples[name].append(sample)
    return samples


def table(samples: dict[str, list[Sample]]) -> list[dict[str, float | str | int]]:
    rows: list[dict[str, float | str | int]] = []
    for name, runs in samples.items():
        row: dict[str, float | str | int] = {"run": name, "n": len(runs)}
        for figure in ("first_paint", "settled", "cpu"):
            row[figure] = statistics.median(getattr(sample, figure) for sample in runs)
        rows.append(row)
    base = rows[0]
    for row in rows:
        for figure in ("first_paint", "settled", "cpu"):
            row[f"{figure}_ratio"] = float(row[figure]) / float(base[figure])
    return rows


def render(rows: list[dict[str, float | str | int]]) -> str:
    lines = [
        f"{'solo start (medians, ms)':<26}{'n':>3}  {'first paint':>17}  {'settled':>17}  {'CPU':>17}",
    ]
    for row in rows:
        cells = "  ".join(
            f"{float(row[f]):7.0f} ({float(row[f + '_ratio']):5.2f}x)" for f in ("first_paint", "settled", "cpu")
        )
        lines.append(f"{row['run']!s:<26}{int(row['n']):>3}  {cells}")
    lines.append("bare: a one-label Textual app; ratios against it (issue 11: first paint <= 1.3x, goal 1.15x)")
    return "\n".join(lines)


def figures_of(rows: list[dict[str, float | str | int]]) -> list[Figure]:
    """The table's medians as figures for run.py, each run against the bare app."""
    found: list[Figure] = []
    for row in rows:
        for name in ("first_paint", "settled", "cpu"):
            label = f"solo start {row['run']}: {name.replace('_', ' ')}"
            reference = None if row["run"] == "bare" else f"solo start bare: {name.replace('_', ' ')}"
            found.append(Figure(label, float(row[name]), "ms", int(row["n"]), reference))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("-n", "--runs", type=int, default=9, help="measured rounds (each: bare, fresh, resumed)")
    parser.add_argument("--src", type=Path, help="run another checkout's src/ (PYTHONPATH) with this .venv")
    add_options(parser, "one round, not warmed: that everything is measured (the test)")
    parser.add_argument("--details", type=Path, help="also write the table's rows (ratios included) here")
    args = parser.parse_args(argv)
    rows = table(measure(1, args.src, warm=False) if args.tiny else measure(args.runs, args.src))
    print(render(rows))
    write(args.json, figures_of(rows))
    if args.details is not None:
        args.details.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
