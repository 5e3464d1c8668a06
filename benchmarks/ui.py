"""UI figures: startup against a bare Textual app, and keypress-to-screen while typing.

Run: .venv/bin/python benchmarks/ui.py [--tiny] [--json PATH]   (about a minute on 2 cores)

Startup is measured on the real command in a pseudo-terminal: the time from spawning
the process to the first frame that shows the step. Keystrokes are measured the
same way: a byte written to the terminal, timed until the app's screen update for it
arrives, as a person at the keyboard would wait for it.
"""

from __future__ import annotations

import argparse
import fcntl
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import figures
from generate import big_workbook_text

BIN = Path(sys.executable).parent
BARE_APP = """
from textual.app import App
from textual.widgets import Label
class Bare(App):
    def compose(self):
        yield Label("BARE READY")
Bare().run()
"""


def first_frame(command: list[str], marker: bytes, env: dict[str, str], timeout: float = 30) -> float:
    """Seconds from spawn until marker appears in the terminal output."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True, close_fds=True
    )
    os.close(slave)
    seen = b""
    elapsed = float("nan")
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    seen += os.read(master, 65536)
                except OSError:
                    break
                if marker in seen:
                    elapsed = time.perf_counter() - start
                    break
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        os.close(master)
    return elapsed


def startup(runs: int = 7, warm: bool = True) -> None:
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "HOME": home, "TERM": "xterm-256color", "COLORTERM": "truecolor"}
        formative = [str(BIN / "formative"), "run", "formative-community", "--answers"]
        bare = [sys.executable, "-c", BARE_APP]
        if warm:  # the file cache and bytecode, for figures worth comparing (not --tiny's)
            first_frame([*formative, f"{home}/warm"], b"Step 1 of", env)
            first_frame(bare, b"BARE READY", env)
        # Each run a first sitting in a folder of its own (a killed run leaves an answer file behind).
        ours = [first_frame([*formative, f"{home}/answers-{n}"], b"Step 1 of", env) for n in range(runs)]
        theirs = [first_frame(bare, b"BARE READY", env) for _ in range(runs)]
    mine, base = statistics.median(ours), statistics.median(theirs)
    figures.record("first screen, bare Textual (one label)", [t * 1000 for t in theirs], "ms")
    ref = "first screen, bare Textual (one label)"
    figures.record("first screen, formative run formative-community", [t * 1000 for t in ours], "ms", ref)
    print(f"{'first screen, bare Textual app (one label)':<52} median {base * 1000:7.0f} ms")
    print(f"{'first screen, formative run formative-community':<52} median {mine * 1000:7.0f} ms")
    print(f"{'ratio (target within 1.3x)':<52} {mine / base:10.2f}x")


class Terminal:
    """A process in an 80x24 pseudo-terminal that we can type into and read from."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.process = subprocess.Popen(
            command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True, close_fds=True
        )
        os.close(slave)

    def read_until(self, marker: bytes, timeout: float = 30) -> None:
        seen = b""
        deadline = time.perf_counter() + timeout
        while marker not in seen and time.perf_counter() < deadline:
            if select.select([self.master], [], [], 0.05)[0]:
                seen += os.read(self.master, 65536)

    def drain(self, quiet: float = 0.03) -> None:
        while select.select([self.master], [], [], quiet)[0]:
            os.read(self.master, 65536)

    def key_latency(self, key: bytes) -> float:
        """Milliseconds from writing a key to the first screen update it causes."""
        self.drain()
        start = time.perf_counter()
        os.write(self.master, key)
        ready = select.select([self.master], [], [], 2)[0]
        elapsed = (time.perf_counter() - start) * 1000
        if ready:  # no update within 2 s counts as 2 s (reading then would block)
            os.read(self.master, 65536)
        return elapsed

    def close(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        os.close(self.master)


BARE_INPUT_APP = """
from textual.app import App
from textual.widgets import Input, Label
class Bare(App):
    def compose(self):
        yield Label("BARE READY")
        yield Input()
Bare().run()
"""


def typing(command: list[str], marker: bytes, env: dict[str, str], before: list[bytes], label: str) -> float:
    """Type 150 characters; print and return the median keypress-to-screen latency."""
    terminal = Terminal(command, env)
    try:
        terminal.read_until(marker)
        for key in before:
            os.write(terminal.master, key)
            terminal.drain(0.2)
        samples = sorted(terminal.key_latency(b" " if n % 6 == 5 else b"a") for n in range(KEYS))
    finally:
        terminal.close()
    median, p95 = statistics.median(samples), samples[int(len(samples) * 0.95) - 1]
    print(f"{label:<52} median {median:7.2f} ms   p95 {p95:7.2f} ms")
    base = "keypress, bare Textual Input"
    figures.record(label, samples, "ms", None if label == base else base)
    return median


def keystrokes() -> None:
    from formative.session import Session

    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "HOME": home, "TERM": "xterm-256color", "COLORTERM": "truecolor"}
        answers = Path(home) / "answers"
        base = typing(
            [sys.executable, "-c", BARE_INPUT_APP], b"BARE READY", env, [b"\t"], "keypress, bare Textual Input"
        )
        session = Session.open("formative-community", answers)
        session.set_answer("welcome", "name", "Solo founders")
        session.set_answer(
            "welcome", "spark", ("Sixty characters or so of prose, typed into an answer. " * 190)[:10_000]
        )
        session.walk.jump("welcome")
        session.close()
        command = [str(BIN / "formative"), "run", "formative-community", "--answers", str(answers)]
        # The long answer is over its limit, so the resume lands on the opening page before
        # its step: go on to it (Ctrl+N) and tab from the name into the long answer.
        long_text = typing(command, b"Step 1 of", env, [b"\x0e", b"\t"], "keypress, 10,000-character long answer")
        workbook = Path(home) / "big.toml"
        workbook.write_text(big_workbook_text(500), encoding="utf-8")
        command = [str(BIN / "formative"), "run", str(workbook), "--answers", str(answers)]
        big = typing(command, b"Step 1 of", env, [], "keypress, first step of a 500-step workbook")
    print(f"{'ratio to bare Input (long answer / 500 steps)':<52} {long_text / base:10.2f}x {big / base:10.2f}x")


KEYS = 150
"""Keys typed per keystroke figure (--tiny: 6)."""


def main(argv: list[str] | None = None) -> int:
    global KEYS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    figures.add_options(parser, "1 start each, not warmed, and 6 keys (for the test suite)")
    args = parser.parse_args(argv)
    if args.tiny:
        KEYS = 6
        startup(1, warm=False)
    else:
        startup(7)
    keystrokes()
    figures.write(args.json, figures.RECORDED)
    return 0


if __name__ == "__main__":
    sys.exit(main())
