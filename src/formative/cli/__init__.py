"""The `formative` command: the root group, and every command group registered on it.

One module per command group: `solo` (run, history, sync), `workbooks` (list, validate,
schema, new), `workshop` (workshop …, facilitate, project, join), `export` (export, pack)
and `serve` (serve ssh|web); `common` holds what they share, and they never import each
other. Each command imports its heavy parts (Textual, the servers, the renderers) when it
runs, so `formative --help` and `formative validate` stay quick.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from formative import __version__
from formative.answers.lock import LockedError
from formative.answers.store import AnswerFileError
from formative.cli import export, serve, solo, workbooks, workshop
from formative.cli.common import after_sitting, answers_option, fail, no_git_option, plain_wanted, theme_option
from formative.session import default_answers_dir
from formative.workbook.errors import WorkbookError


@click.group(invoke_without_command=True)
@click.version_option(__version__, prog_name="formative")
@answers_option
@theme_option
@no_git_option
@click.pass_context
def cli(ctx: click.Context, answers_dir: Path | None, theme: str, no_git: bool) -> None:
    """Formative: a terminal workbook for designing communities.

    Run without a command to open the home screen: continue a workbook or start one.
    Answers are committed to git as you go, when their folder is a git repository
    (one Formative creates is); --no-git or FORMATIVE_GIT=0 turns that off.
    """
    if ctx.invoked_subcommand is not None:
        return
    if plain_wanted(False):
        ctx.invoke(workbooks.list_workbooks)
        click.echo("\nStart one with: formative run WORKBOOK   (add --plain for line-by-line prompts)")
        return
    from formative.tui.app import FormativeApp

    folder = answers_dir or default_answers_dir()
    app = FormativeApp(answers_dir=folder, theme=theme, git=not no_git)
    app.run()
    after_sitting(app.farewell, folder, no_git)


COMMANDS: tuple[click.Command, ...] = (
    solo.run,
    solo.history,
    solo.sync,
    workbooks.list_workbooks,
    workbooks.validate,
    workbooks.schema,
    workbooks.new,
    workshop.workshop,
    workshop.facilitate,
    workshop.project,
    workshop.join,
    export.export,
    export.pack,
    serve.serve,
)
"""Every command under `formative`, from its group's module (tests check none is left out)."""

for command in COMMANDS:
    cli.add_command(command)


def main() -> None:
    """Entry point: run the command and turn expected failures into one clear message."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        fail("Stopped.", 130)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except WorkbookError as error:
        fail(str(error))
    except (AnswerFileError, LockedError) as error:
        fail(str(error))
    except BrokenPipeError:
        sys.exit(1)
