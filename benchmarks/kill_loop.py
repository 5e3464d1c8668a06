"""Kill loop: how much steady typing a SIGKILL loses, and whether the answer file survives.

Each round starts the real app (`formative run`) in a pseudo-terminal on a one-step
workbook whose long-text answer has the focus, types into it at 5 keys a second,
sends SIGKILL at a random moment, then checks the answer file: it must parse, and
its answer must be the start of what was typed; the keys missing from its end are
the loss. The app is then started again on the same file, to show it opens.

Run: .venv/bin/python benchmarks/kill_loop.py [--rounds 30] [--tiny] [--seed 1]
     (--src DIR runs another checkout's src/, e.g. main, for a before/after figure)

Bounded in time: every wait has a deadline; a round that cannot start is reported.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import pty
import random
import re
import select
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
import tomllib
from dataclasses import asdict, dataclass
from fcntl import ioctl
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import figures

KEYS_PER_SECOND = 5.0
TEXT = "the quick brown fox jumps over the lazy dog "
READY = "Zanzibar"
"""A word in the step title: once it is on screen, the app is up and the answer has the focus."""
START_DEADLINE = 60.0
EXIT_DEADLINE = 20.0

WORKBOOK = f"""
format = 1
id = "kill-loop"
title = "Kill loop"

[[sections]]
id = "only"
title = "Only"

[[sections.steps]]
id = "write"
title = "{READY} notes"
body = "Write."

[[sections.steps.prompts]]
id = "notes"
kind = "long_text"
label = "Notes"
"""

_ANSI = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")


@dataclass
class Round:
    typed: int
    saved: int
    lost: int
    seconds_lost: float
    parsed: bool
    prefix: bool
    """The saved answer is the start of what was typed (nothing garbled, nothing from elsewhere)."""
    reopened: bool
    note: str = ""


class App:
    """The app in a pseudo-terminal: write keys, drain its output, kill it."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        pid, fd = pty.fork()
        if pid == 0:  # the child: become the app
            try:
                os.execvpe(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.screen = b""
        self.exit_status: int | None = None

    def drain(self, seconds: float) -> bool:
        """Read output for up to `seconds`; False once the app's side has closed."""
        end = time.monotonic() + seconds
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return True
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                return True
            try:
                chunk = os.read(self.fd, 65536)
            except OSError as error:
                if error.errno == errno.EIO:
                    return False
                raise
            if not chunk:
                return False
            self.screen = (self.screen + chunk)[-200_000:]

    def shows(self, text: str) -> bool:
        return text in _ANSI.sub(b"", self.screen).decode("utf-8", "replace")

    def wait_for(self, text: str, deadline: float) -> bool:
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            if self.shows(text):
                return True
            if not self.drain(0.1):
                return self.shows(text)
        return False

    def type(self, keys: str) -> None:
        os.write(self.fd, keys.encode("utf-8"))

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self.close()

    def close(self, deadline: float = EXIT_DEADLINE) -> None:
        end = time.monotonic() + deadline
        while self.exit_status is None and time.monotonic() < end:
            self.drain(0.05)
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                self.exit_status = status
        if self.exit_status is None:  # past the deadline: do not leave it behind
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            _, self.exit_status = os.waitpid(self.pid, 0)
        os.close(self.fd)


def command(workbook: Path, answers: Path, person: str) -> list[str]:
    return [sys.executable, "-m", "formative", "run", str(workbook), "--answers", str(answers), "--as", person]


def environment(src: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TEXTUAL")}
    env.update(TERM="xterm-256color", COLUMNS="80", LINES="24")
    if src is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(src), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def saved_answer(path: Path) -> tuple[bool, str]:
    """Whether the file parses (a missing file counts: nothing was written yet), and the answer it holds."""
    if not path.exists():
        return True, ""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return False, ""
    value = data.get("answers", {}).get("write", {}).get("notes", "")
    return True, value if isinstance(value, str) else ""


def one_round(number: int, folder: Path, workbook: Path, env: dict[str, str], rng: random.Random) -> Round:
    person = f"round-{number}"
    path = folder / f"kill-loop--{person}.toml"
    app = App(command(workbook, folder, person), env)
    if not app.wait_for(READY, START_DEADLINE):
        app.kill()
        return Round(0, 0, 0, 0.0, True, True, False, note="the app did not start in time")
    app.drain(0.3)  # let the first screen settle so the first key reaches the answer
    kill_after = rng.uniform(0.5, 6.0)
    typed = 0
    start = time.monotonic()
    while True:
        next_key = start + typed / KEYS_PER_SECOND
        kill_at = start + kill_after
        now = time.monotonic()
        if now >= kill_at:
            break
        if now >= next_key:
            app.type(TEXT[typed % len(TEXT)])
            typed += 1
            continue
        app.drain(min(next_key, kill_at) - now)
    app.kill()
    parsed, saved = saved_answer(path)
    expected = "".join(TEXT[n % len(TEXT)] for n in range(typed))
    prefix = expected.startswith(saved)
    lost = typed - len(saved)
    reopened = True
    note = "" if prefix else f"saved {saved!r}"
    again = App(command(workbook, folder, person), env)
    if again.wait_for(READY, START_DEADLINE):
        again.type("\x11")  # ctrl+q: save (nothing changed) and quit
        again.close()
    else:
        reopened = False
        note = "did not open again: " + _ANSI.sub(b"", again.screen).decode("utf-8", "replace")[-200:]
        again.kill()
    if saved_answer(path) != (parsed, saved):
        note += " the file changed on reopening"
    return Round(typed, len(saved), lost, lost / KEYS_PER_SECOND, parsed, prefix, reopened, note)


def run(rounds: int, seed: int, src: Path | None) -> list[Round]:
    rng = random.Random(seed)
    env = environment(src)
    results = []
    with tempfile.TemporaryDirectory(prefix="formative-kill-loop-") as tmp:
        folder = Path(tmp)
        workbook = folder / "kill-loop.toml"
        workbook.write_text(WORKBOOK, encoding="utf-8")
        for number in range(1, rounds + 1):
            result = one_round(number, folder / "answers", workbook, env, rng)
            results.append(result)
            print(
                f"round {number:>2}: typed {result.typed:>3}, saved {result.saved:>3}, lost {result.lost:>3} "
                f"({result.seconds_lost:.1f} s){'' if result.parsed else '  FILE DID NOT PARSE'}"
                f"{'' if result.prefix else '  NOT A PREFIX'}{'' if result.reopened else '  DID NOT REOPEN'}"
                f"{'  ' + result.note if result.note else ''}",
                flush=True,
            )
    return results


def report(results: list[Round]) -> dict[str, object]:
    lost = [r.lost for r in results]
    seconds = [r.seconds_lost for r in results]
    typed = [r.typed for r in results]
    summary: dict[str, object] = {
        "rounds": len(results),
        "typed_median": statistics.median(typed),
        "lost_median": statistics.median(lost),
        "lost_worst": max(lost),
        "seconds_median": statistics.median(seconds),
        "seconds_worst": max(seconds),
        "all_parsed": all(r.parsed for r in results),
        "all_prefix": all(r.prefix for r in results),
        "all_reopened": all(r.reopened for r in results),
        "rounds_detail": [asdict(r) for r in results],
    }
    print()
    print(f"kill loop: {len(results)} rounds, typing {KEYS_PER_SECOND:g} keys/s, SIGKILL 0.5–6 s into typing")
    print(f"{'':<28}{'median':>10}{'worst':>10}")
    print(f"{'keys typed':<28}{statistics.median(typed):>10g}{max(typed):>10}")
    print(f"{'keys lost':<28}{statistics.median(lost):>10g}{max(lost):>10}")
    print(f"{'seconds of typing lost':<28}{statistics.median(seconds):>10.1f}{max(seconds):>10.1f}")
    count = len(results)
    parsed, prefix, reopened = (sum(getattr(r, k) for r in results) for k in ("parsed", "prefix", "reopened"))
    print(f"files that parsed: {parsed}/{count}; answer was the start of what was typed: {prefix}/{count}")
    print(f"opened again after the kill: {reopened}/{count}")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--src", type=Path, help="import formative from this src/ folder instead")
    parser.add_argument("--details", type=Path, help="also write every round here as JSON")
    figures.add_options(parser, "2 rounds, for the test suite")
    args = parser.parse_args(argv)
    rounds = 2 if args.tiny else args.rounds
    results = run(rounds, args.seed, args.src)
    summary = report(results)
    if args.details:
        args.details.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    figures.record("keys lost per SIGKILL", [r.lost for r in results], "keys")
    figures.record("seconds of typing lost per SIGKILL", [r.seconds_lost for r in results], "s")
    figures.record("seconds of typing lost, worst", [max(r.seconds_lost for r in results)], "s")
    figures.write(args.json, figures.RECORDED)
    return 0 if summary["all_parsed"] and summary["all_prefix"] and summary["all_reopened"] else 1


if __name__ == "__main__":
    sys.exit(main())
