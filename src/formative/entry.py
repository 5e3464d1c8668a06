"""The `formative` command's entry point: the common runs start the app without click.

`formative` and `formative run WORKBOOK` (with --as, --answers, --theme, --no-git) are
what people type most, and they should paint as fast as a bare Textual app. Importing
click and the command tree (which loads pydantic through the session) costs more than
Textual's own start, so those two go straight to the app, which paints a fresh sitting's
first step before loading anything heavy (see first_step.py). Anything else — another
command, --help, --plain, --again, a misspelt option, no terminal — goes through click
exactly as before (the cli/ package), which also gives every usage error.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from formative.answers.naming import default_answers_dir
from formative.tui import THEMES


@dataclass(frozen=True)
class QuickRun:
    """A command line the fast path takes: the home screen (no workbook), or one workbook."""

    workbook: str | None = None
    person: str | None = None
    answers_dir: Path | None = None
    theme: str = "default"
    no_git: bool = False


_VALUED = {"--as": "person", "--answers": "answers_dir", "--theme": "theme"}


def quick_run(args: list[str]) -> QuickRun | None:
    """The run args ask for, when the fast path can take it exactly as click would; else None."""
    if not args:
        return QuickRun()
    if args[0] != "run" or len(args) < 2:
        return None
    found: dict[str, str] = {}
    no_git = False
    workbook: str | None = None
    rest = args[1:]
    while rest:
        arg = rest.pop(0)
        name, equals, value = arg.partition("=")
        if arg == "--no-git":
            no_git = True
        elif name in _VALUED and equals:
            found[_VALUED[name]] = value
        elif arg in _VALUED and rest and not rest[0].startswith("-"):
            found[_VALUED[arg]] = rest.pop(0)
        elif not arg.startswith("-") and workbook is None:
            workbook = arg
        else:
            return None  # --plain, --again, --help, an unknown option, a second argument: click decides
    if workbook is None or found.get("theme", "default") not in THEMES:
        return None
    answers = Path(found["answers_dir"]) if "answers_dir" in found else None
    if answers is not None and answers.exists() and not answers.is_dir():
        return None  # click says the folder is a file
    return QuickRun(workbook, found.get("person"), answers, found.get("theme", "default"), no_git)


def interactive() -> bool:
    """The app needs a terminal both ways and more than a dumb one (else click's plain mode)."""
    return os.environ.get("TERM") != "dumb" and sys.stdin.isatty() and sys.stdout.isatty()


def main() -> None:
    """Run `formative`: the app at once for the common runs, else the full command line."""
    run = quick_run(sys.argv[1:]) if interactive() else None
    if run is None:
        from formative.cli import main as cli_main

        cli_main()
        return
    from formative.tui.app import FormativeApp

    folder = run.answers_dir or default_answers_dir()
    app = FormativeApp(
        run.workbook, answers_dir=folder, person=run.person, theme=run.theme, git=not run.no_git, paint_first=True
    )
    app.run()
    from formative.farewell import after_sitting

    after_sitting(app.farewell, folder, run.no_git)
    sys.exit(app.return_code or 0)
