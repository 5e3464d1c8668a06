"""What several command groups share: failing with one message, output, plain mode, common options.

The command modules never import each other (an import-linter contract); anything two of
them need lives here.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NoReturn

import click

from formative.answers.atomic import PRIVATE_FILE, atomic_write_text
from formative.answers.workbook_path import workbook_for_answers
from formative.session import ANSWERS_ENV
from formative.tui import THEMES
from formative.workbook.bundled import find_workbook
from formative.workbook.errors import WorkbookError


def fail(message: str, code: int = 1) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(code)


def write_output(text: str, output: Path | None, new_mode: int = PRIVATE_FILE) -> None:
    """Write to a file atomically (private unless new_mode says otherwise), or to stdout."""
    if output is None:
        click.echo(text, nl=False)
    else:
        atomic_write_text(output, text, new_mode=new_mode)
        click.echo(f"Wrote {output}", err=True)


def plain_wanted(plain: bool) -> bool:
    """Line-by-line mode when asked, on a dumb terminal, or without a terminal at all."""
    return plain or os.environ.get("TERM") == "dumb" or not (sys.stdin.isatty() and sys.stdout.isatty())


def after_sitting(messages: list[str], folder: Path, no_git: bool) -> None:
    """Once the app has closed: what the person should still read, then the push when sync is on."""
    from formative.farewell import after_sitting as tell_and_push

    tell_and_push(messages, folder, no_git)


def workbook_path_for(answers: Path, workbook: str | None) -> Path:
    """The workbook an answer file belongs to: given, else bundled or where the file says it lives."""
    if workbook:
        return find_workbook(workbook)
    try:
        return workbook_for_answers(answers)
    except WorkbookError as error:
        fail(str(error))


answers_option = click.option(
    "--answers",
    "answers_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=f"Folder for answer files [default: ${ANSWERS_ENV} or ~/formative-answers].",
)
no_git_option = click.option(
    "--no-git",
    is_flag=True,
    help="Never run git: no repository for a new folder, no commits (the same as FORMATIVE_GIT=0).",
)
theme_option = click.option(
    "--theme",
    type=click.Choice(sorted(THEMES)),
    default="default",
    show_default=True,
    help="Colours; 'projector' is high contrast for a wall.",
)
