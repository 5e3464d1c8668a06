"""The `formative` command: list, validate, schema, new, export (and, with the UI, run)."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import NoReturn

import click

from formative import __version__
from formative.answers.atomic import PRIVATE_FILE, PUBLIC_FILE, atomic_write_text
from formative.answers.lock import LockedError
from formative.answers.store import AnswerFileError, AnswerStore
from formative.session import ANSWERS_ENV, Session, default_answers_dir
from formative.tui import THEMES
from formative.workbook.bundled import SCHEMA_FILE, bundled_workbooks, find_workbook
from formative.workbook.errors import WorkbookError
from formative.workbook.load import MAX_ANSWER_BYTES, MAX_SECRET_BYTES, load_workbook, parse_toml, read_text


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


answers_option = click.option(
    "--answers",
    "answers_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=f"Folder for answer files [default: ${ANSWERS_ENV} or ~/formative-answers].",
)
theme_option = click.option(
    "--theme",
    type=click.Choice(sorted(THEMES)),
    default="default",
    show_default=True,
    help="Colours; 'projector' is high contrast for a wall.",
)


@click.group(invoke_without_command=True)
@click.version_option(__version__, prog_name="formative")
@answers_option
@theme_option
@click.pass_context
def cli(ctx: click.Context, answers_dir: Path | None, theme: str) -> None:
    """Formative: a terminal workbook for designing communities.

    Run without a command to open the home screen: continue a workbook or start one.
    """
    if ctx.invoked_subcommand is not None:
        return
    if plain_wanted(False):
        ctx.invoke(list_workbooks)
        click.echo("\nStart one with: formative run WORKBOOK   (add --plain for line-by-line prompts)")
        return
    from formative.tui.app import FormativeApp

    FormativeApp(answers_dir=answers_dir or default_answers_dir(), theme=theme).run()


@cli.command()
@click.argument("workbook")
@click.option("--as", "person", help="Whose answers these are; each person gets their own file.")
@answers_option
@theme_option
@click.option("--plain", is_flag=True, help="Simple line-by-line prompts (screen readers, dumb terminals).")
def run(workbook: str, person: str | None, answers_dir: Path | None, theme: str, plain: bool) -> None:
    """Walk WORKBOOK (a bundled id such as formative-community, or a .toml file)."""
    folder = answers_dir or default_answers_dir()
    if plain_wanted(plain):
        from formative.plain import run_plain

        session = Session.open(workbook, folder, person)
        try:
            run_plain(session)
        finally:
            session.close()
        return
    from formative.tui.app import FormativeApp

    app = FormativeApp(workbook, answers_dir=folder, person=person, theme=theme)
    app.run()
    sys.exit(app.return_code or 0)


@cli.command("list")
def list_workbooks() -> None:
    """List the bundled workbooks with their length and number of steps."""
    rows = [(b.workbook.id, b.workbook.title, b.workbook.minutes, len(b.workbook.steps)) for b in bundled_workbooks()]
    if not rows:
        fail("No bundled workbooks were found; the installation looks incomplete.")
    width = max(len(r[0]) for r in rows)
    for workbook_id, title, minutes, steps in rows:
        length = f"{minutes} min" if minutes else "untimed"
        click.echo(f"{workbook_id:<{width}}  {length:>7}  {steps:>3} steps  {title}")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(files: tuple[Path, ...]) -> None:
    """Check workbook FILES; print every problem with file:line:column. Exit 1 if any."""
    failed = False
    for path in files:
        try:
            workbook = load_workbook(path)
        except WorkbookError as error:
            failed = True
            for problem in error.problems:
                click.echo(str(problem), err=True)
            continue
        click.echo(f"ok  {path}  ({len(workbook.steps)} steps)")
    sys.exit(1 if failed else 0)


@cli.command()
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to this file instead of stdout.")
def schema(output: Path | None) -> None:
    """Print the JSON Schema of the workbook format, for TOML editors."""
    from formative.workbook.schema import schema_json

    write_output(schema_json(), output, new_mode=PUBLIC_FILE)


@cli.command()
@click.argument("name")
@click.option(
    "-d", "--dir", "folder", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True
)
def new(name: str, folder: Path) -> None:
    """Write a starter workbook called NAME for a coach to edit."""
    from formative.workbook.schema import schema_json
    from formative.workbook.starter import starter_workbook

    workbook_id = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:64] or "my-workbook"
    path = folder / f"{workbook_id}.toml"
    if path.exists():
        fail(f"{path} already exists; choose another name or remove it first.")
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, starter_workbook(workbook_id, name), new_mode=PUBLIC_FILE)
    schema_path = folder / SCHEMA_FILE
    if not schema_path.exists():
        atomic_write_text(schema_path, schema_json(), new_mode=PUBLIC_FILE)
    click.echo(f"Wrote {path}. Check it with: formative validate {path}")


def _workbook_for_answers(answers: Path, workbook: str | None) -> Path:
    """The workbook an answer file belongs to: given, or named inside the file."""
    if workbook:
        return find_workbook(workbook)
    try:
        data = parse_toml(read_text(answers, MAX_ANSWER_BYTES), str(answers))
    except WorkbookError as error:
        fail(str(error))
    meta = data.get("formative")
    workbook_id = meta.get("workbook") if isinstance(meta, dict) else None
    if not isinstance(workbook_id, str):
        fail(f'{answers}: no [formative] workbook = "…" line; pass --workbook.')
    return find_workbook(workbook_id)


@cli.group()
def workshop() -> None:
    """Set up a coach-led workshop: a folder with workshop.toml and everyone's answers."""


@workshop.command("new")
@click.argument("workbook")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", help="What the room sees at the top (default: the workbook's title).")
@click.option("--roster", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Names, one per line.")
def workshop_new(workbook: str, folder: Path, title: str | None, roster: Path | None) -> None:
    """Create a workshop in FOLDER from WORKBOOK (a bundled id or a .toml file)."""
    from formative.workshop.folder import create_workshop, read_roster

    names = read_roster(roster) if roster else []
    path = create_workshop(folder, workbook, title, names)
    click.echo(f"Wrote {path}, and {folder / '.gitignore'} (lock files and server secrets stay out of git).")
    click.echo(f"Facilitate with:   formative facilitate {folder}")
    click.echo(f"Participants join: formative join {folder} --as NAME")


@cli.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@theme_option
def facilitate(folder: Path, theme: str) -> None:
    """Run the workshop in FOLDER from the facilitator's screen (made for a projector)."""
    from formative.tui.facilitator.app import FacilitatorApp
    from formative.workshop.folder import Workshop

    app = FacilitatorApp(Workshop.open(folder), theme=theme)
    app.run()
    sys.exit(app.return_code or 0)


@cli.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--as", "person", required=True, help="Your name, as the facilitator will see it.")
@theme_option
@click.option("--plain", is_flag=True, help="Simple line-by-line prompts (screen readers, dumb terminals).")
def join(folder: Path, person: str, theme: str, plain: bool) -> None:
    """Join the workshop in FOLDER: your own answers, at the facilitator's pace."""
    from formative.workshop.folder import Workshop

    workshop = Workshop.open(folder)
    if not person.strip():
        fail("Give your name with --as NAME.")
    if plain_wanted(plain):
        from formative.plain import run_plain
        from formative.workshop.participant import open_participant

        session = open_participant(workshop, person)
        try:
            run_plain(session)
        finally:
            session.close()
        return
    from formative.tui.app import FormativeApp

    app = FormativeApp(
        str(workshop.workbook_path),
        answers_dir=workshop.answers_dir,
        person=person,
        theme=theme,
        workshop=workshop,
    )
    app.run()
    sys.exit(app.return_code or 0)


@cli.command("export")
@click.argument("answers", type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["md", "svg"]), default="md", show_default=True)
@click.option("-w", "--workbook", help="Workbook id or file (default: the one named in the answer file).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here, not to stdout.")
@click.option(
    "--participants",
    type=click.Path(file_okay=False, path_type=Path),
    help="For a workshop: also write each participant's own answers into this folder.",
)
def export(answers: Path, fmt: str, workbook: str | None, output: Path | None, participants: Path | None) -> None:
    """Export a person's ANSWERS file (Markdown, or the canvas as SVG), or a workshop folder's report."""
    if answers.is_dir():
        from formative.workshop.folder import Workshop
        from formative.workshop.report import export_participants, render_report
        from formative.workshop.room import Room

        room = Room(Workshop.open(answers))
        room.refresh()
        for path, problem in sorted(room.problems.items()):
            click.echo(f"Skipped {path}: {problem}", err=True)
        write_output(render_report(room), output)
        if participants is not None:
            for path in export_participants(room, participants):
                click.echo(f"Wrote {path}", err=True)
        return
    from formative.export.canvas_svg import NoCanvasError, render_canvas_svg
    from formative.export.markdown import render_markdown

    workbook_model = load_workbook(_workbook_for_answers(answers, workbook))
    store = AnswerStore.open(answers, workbook_model, lock=False)
    if fmt == "svg":
        try:
            write_output(render_canvas_svg(workbook_model, store), output)
        except NoCanvasError as error:
            fail(f"{error} Export it with --format md instead.")
        return
    write_output(render_markdown(workbook_model, store), output)


@cli.group()
def serve() -> None:
    """Host a workshop folder for a room: over SSH (and, where installed, the web)."""


@serve.command("ssh")
@click.argument("workshop_dir", metavar="DIR", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0 for the room).")
@click.option("--port", default=2222, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--authorized-keys",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Public keys allowed in, one a line, as in ~/.ssh/authorized_keys.",
)
@click.option("--passcode-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Passcode file.")
@click.option("--passcode", help="The workshop passcode (visible in `ps`: prefer --passcode-file).")
@click.option("--allow-anonymous", is_flag=True, help="Let anyone in with no key or passcode.")
@click.option("--max-connections", default=40, show_default=True, type=click.IntRange(1, 1000))
@click.option(
    "--host-key",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Server key file, made on first start [default: DIR/.formative/ssh_host_ed25519_key].",
)
@click.option(
    "--spawn",
    type=click.Choice(["fork", "fresh"]),
    default="fork",
    show_default=True,
    help="fork: apps forked from a process that loaded Formative once (fast); fresh: a new process each.",
)
def serve_ssh(
    workshop_dir: Path,
    host: str,
    port: int,
    authorized_keys: Path | None,
    passcode_file: Path | None,
    passcode: str | None,
    allow_anonymous: bool,
    max_connections: int,
    host_key: Path | None,
    spawn: str,
) -> None:
    """Host the workshop in DIR over SSH: each connection gets its own app, nothing else."""
    passcode = read_passcode(passcode, passcode_file)
    if authorized_keys is None and not passcode and not allow_anonymous:
        fail("No way to let people in: give --authorized-keys and/or --passcode-file, or --allow-anonymous.")
    import asyncio

    from formative.serve.hostkey import HostKeyError, default_host_key_path
    from formative.serve.ssh import ServeConfig, serve
    from formative.workshop.folder import state_folder

    if host_key is None:
        state_folder(workshop_dir)  # private and ignored by git, even in an older workshop folder
    config = ServeConfig(
        workshop_dir=workshop_dir.resolve(),
        host=host,
        port=port,
        host_key=host_key or default_host_key_path(workshop_dir.resolve()),
        authorized_keys=authorized_keys,
        passcode=passcode or None,
        allow_anonymous=allow_anonymous,
        max_connections=max_connections,
        zygote=spawn == "fork",
    )
    try:
        asyncio.run(serve(config))
    except (HostKeyError, OSError, ValueError) as error:
        fail(f"Cannot serve: {error}")


def read_passcode(passcode: str | None, passcode_file: Path | None) -> str | None:
    """The workshop passcode from --passcode or --passcode-file (one, not both; never empty)."""
    if passcode_file is not None and passcode is not None:
        fail("Give --passcode or --passcode-file, not both.")
    if passcode_file is None:
        return passcode
    try:
        text = read_text(passcode_file, MAX_SECRET_BYTES).strip()
    except WorkbookError as error:
        fail(str(error))
    if not text:
        fail(f"{passcode_file} is empty.")
    return text


@serve.command("web")
@click.argument("workshop_dir", metavar="DIR", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0 for the room).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--passcode-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Passcode file.")
@click.option("--passcode", help="The workshop passcode (visible in `ps`: prefer --passcode-file).")
@click.option("--public-url", help="The address browsers use, when not the one they typed (behind a proxy).")
@click.option("--max-participants", default=40, show_default=True, type=click.IntRange(1, 1000))
def serve_web(
    workshop_dir: Path,
    host: str,
    port: int,
    passcode_file: Path | None,
    passcode: str | None,
    public_url: str | None,
    max_participants: int,
) -> None:
    """Host the workshop in DIR for browsers: each tab gets its own app, after a name (and passcode)."""
    from formative.serve import web
    from formative.workshop.folder import Workshop

    passcode = read_passcode(passcode, passcode_file)
    if not passcode and not web.is_loopback(host):
        fail(f"--host {host} lets other machines in: give --passcode-file (or --passcode) for the room to type.")
    Workshop.open(workshop_dir)  # a clear error now rather than in every browser tab
    try:
        web.serve_web(
            workshop_dir.resolve(),
            host=host,
            port=port,
            passcode=passcode or None,
            public_url=public_url,
            max_participants=max_participants,
        )
    except OSError as error:
        fail(f"Cannot serve: {error}")


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
