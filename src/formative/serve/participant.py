"""One hosted participant's app, run in this process: their answers, and nothing of the server's.

Both ways of starting an SSH participant end here: the fork server calls
run_participant() in its forked child, and a fresh process runs
`python -m formative.serve.participant`. The app runs hosted (see FormativeApp):
no editor, no suspend, no screenshots, no server paths on screen.

A crash must not show the participant a traceback (it names the coach's files,
and means nothing to them): Textual prints its crash report through the app's
`error_console`, which here writes into a buffer that goes to the server's log; the
participant gets one short apology instead.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
import traceback
from pathlib import Path
from typing import TextIO

from rich.console import Console

from formative.serve.child import default_signals, limit_memory, take_terminal, yield_to_arrivals, yield_to_server
from formative.tui.app import FormativeApp
from formative.workbook.errors import WorkbookError
from formative.workshop.folder import Workshop

APOLOGY = "Something went wrong on the coach's machine; your answers up to now are saved. Tell the coach."
CANNOT_OPEN = "The workshop cannot be opened on the coach's machine right now. Tell the coach."


def log_line(log: TextIO, message: str) -> None:
    """One entry in the server's log (many apps share it: one write per entry)."""
    log.write(f"{time.strftime('%H:%M:%S')} {message}\n")
    log.flush()


def tell_participant(message: str) -> None:
    """A line on the participant's terminal, after the app has given it back."""
    terminal = sys.__stdout__
    if terminal is not None:
        terminal.write(f"\n{message}\n")  # the terminal is back in cooked mode: \n ends a line
        terminal.flush()


def run_participant(workshop_dir: Path, name: str, *, log: TextIO, app_class: type[FormativeApp] = FormativeApp) -> int:
    """Run name's app on the workshop in workshop_dir until they leave; returns the exit code."""
    os.umask(0o077)  # what a hosted participant's app creates is the coach's alone
    who = f"app {os.getpid()} for {name!r}"
    try:
        workshop = Workshop.open(workshop_dir)
    except WorkbookError as error:
        log_line(log, f"{who} cannot open the workshop: {error}")
        tell_participant(CANNOT_OPEN)
        return 1
    crash_report = io.StringIO()
    stderr = sys.stderr
    sys.stderr = log  # warnings and stray prints go to the coach, never onto the participant's screen
    try:
        app = app_class.joining(workshop, name, hosted=True)
        app.after_first_paint = yield_to_arrivals
        app.error_console = Console(file=crash_report, width=120, markup=False, highlight=False, color_system=None)
        app.run()
    except Exception:
        log_line(log, f"{who} crashed:\n{traceback.format_exc()}")
        tell_participant(APOLOGY)
        return 1
    finally:
        sys.stderr = stderr
    if crash_report.getvalue():
        log_line(log, f"{who} crashed:\n{crash_report.getvalue()}")
        tell_participant(APOLOGY)
        return 1
    return app.return_code or 0


def main(argv: list[str] | None = None, app_class: type[FormativeApp] = FormativeApp) -> None:
    """`python -m formative.serve.participant [--log-fd N] [--memory-limit BYTES] -- DIR NAME`.

    Started by FreshSpawner with the pty as stdin, stdout and stderr, in a new session.
    """
    parser = argparse.ArgumentParser(prog="formative.serve.participant")
    parser.add_argument("--log-fd", type=int, help="where crash reports go (the server's stderr)")
    parser.add_argument("--memory-limit", type=int, help="bytes of data memory the app may use")
    parser.add_argument("workshop_dir", type=Path)
    parser.add_argument("name")
    args = parser.parse_args(argv)
    take_terminal(0)
    default_signals()
    limit_memory(args.memory_limit)
    yield_to_server()
    log = open(args.log_fd, "w", encoding="utf-8", errors="replace") if args.log_fd is not None else sys.stderr  # noqa: SIM115
    sys.exit(run_participant(args.workshop_dir, args.name, log=log, app_class=app_class))


if __name__ == "__main__":
    main()
