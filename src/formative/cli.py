"""The `formative` command: list, validate, schema, new, export, pack (and, with the UI, run)."""

from __future__ import annotations

import os
import re
import sys
from datetime import date, datetime
from pathlib import Path
from typing import NoReturn

import click

from formative import __version__
from formative.answers.atomic import PRIVATE_FILE, PUBLIC_FILE, atomic_write_text
from formative.answers.lock import LockedError
from formative.answers.store import AnswerFileError, AnswerStore
from formative.answers.workbook_path import workbook_for_answers
from formative.session import ANSWERS_ENV, Session, default_answers_dir
from formative.tui import THEMES
from formative.workbook.bundled import SCHEMA_FILE, bundled_workbooks, find_workbook
from formative.workbook.errors import WorkbookError
from formative.workbook.load import MAX_SECRET_BYTES, load_workbook, read_text


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
        ctx.invoke(list_workbooks)
        click.echo("\nStart one with: formative run WORKBOOK   (add --plain for line-by-line prompts)")
        return
    from formative.tui.app import FormativeApp

    folder = answers_dir or default_answers_dir()
    app = FormativeApp(answers_dir=folder, theme=theme, git=not no_git)
    app.run()
    after_sitting(app.farewell, folder, no_git)


def after_sitting(messages: list[str], folder: Path, no_git: bool) -> None:
    """Once the app has closed: what the person should still read, then the push when sync is on."""
    from formative.farewell import after_sitting as tell_and_push

    tell_and_push(messages, folder, no_git)


def before_sitting(folder: Path, no_git: bool) -> None:
    """Plain mode, when sync is on: bring in the upstream's answers before the first question."""
    from formative.answers.git import pull, sync_root

    root = sync_root(folder, no_git)
    if root is not None:
        report = pull(root)
        if report.note:
            click.echo(report.note, err=True)


@cli.command()
@click.argument("workbook")
@click.option("--as", "person", help="Whose answers these are; each person gets their own file.")
@answers_option
@theme_option
@click.option("--plain", is_flag=True, help="Simple line-by-line prompts (screen readers, dumb terminals).")
@click.option(
    "--again",
    is_flag=True,
    help="Begin a new sitting: the answers start empty, the last ones stay in git and show as 'Last time'.",
)
@no_git_option
def run(
    workbook: str, person: str | None, answers_dir: Path | None, theme: str, plain: bool, again: bool, no_git: bool
) -> None:
    """Walk WORKBOOK (a bundled id such as formative-community, or a .toml file)."""
    folder = answers_dir or default_answers_dir()
    if again:
        from formative.session import SittingError, begin_sitting

        try:
            click.echo(begin_sitting(workbook, folder, person, no_git=no_git), err=True)
        except SittingError as error:
            fail(str(error))
    if plain_wanted(plain):
        from formative.plain import run_plain

        before_sitting(folder, no_git)
        session = Session.open(workbook, folder, person, git=not no_git)
        messages: list[str] = []
        try:
            run_plain(session)
        finally:
            messages = session.close()
        after_sitting(messages, folder, no_git)
        return
    from formative.tui.app import FormativeApp

    app = FormativeApp(workbook, answers_dir=folder, person=person, theme=theme, git=not no_git)
    app.run()
    after_sitting(app.farewell, folder, no_git)
    sys.exit(app.return_code or 0)


@cli.command()
@click.argument("answers", metavar="ANSWERS")
@click.option("--prompt", "prompt_ref", metavar="STEP.PROMPT", help="Show one answer through time, e.g. aim.aim.")
@click.option("--as", "person", help="With a workbook id: whose answers.")
@answers_option
@click.option("-w", "--workbook", help="Workbook id or file (default: the one named in the answer file).")
def history(
    answers: str, prompt_ref: str | None, person: str | None, answers_dir: Path | None, workbook: str | None
) -> None:
    """Show how ANSWERS moved: its sittings and commits, or with --prompt one answer through time.

    ANSWERS is an answer file, or a workbook id for your own answers to it.
    """
    from formative.answers.git import GitError, git_off_reason, work_tree
    from formative.answers.history import answer_timeline, file_versions, render_log, render_timeline
    from formative.session import answers_path
    from formative.walk import Walk

    path = Path(answers)
    if not path.exists() and not answers.endswith(".toml"):
        path = answers_path(answers_dir or default_answers_dir(), load_workbook(find_workbook(answers)), person)
    if not path.is_file():
        fail(f"{path}: no such answer file.")
    reason = git_off_reason()
    if reason is not None:
        fail(f"Cannot show the history: {reason}.")
    model = load_workbook(_workbook_for_answers(path, workbook))
    step_id, _, prompt_id = (prompt_ref or "").partition(".")
    step = model.step(step_id)
    prompt = step.prompt(prompt_id) if step is not None else None
    if prompt_ref is not None and prompt is None:
        fail(f"--prompt {prompt_ref}: {model.title} has no such question; write STEP.PROMPT as in the answer file.")
    try:
        if work_tree(path.parent) is None:
            fail(f"{path} is not in a git repository, so it has no history. See `formative --help`.")
        versions = file_versions(path)
    except GitError as error:
        fail(f"Cannot show the history: {error}")
    walk = Walk(model, AnswerStore.open(path, model, lock=False))
    if prompt_ref is None:
        click.echo(f"{model.title} · {path}\n")
        click.echo(render_log(versions, lambda s: walk.text(found.title) if (found := model.step(s)) else s), nl=False)
        return
    click.echo(f"{model.title} · {walk.text(getattr(prompt, 'label', prompt_id))}\n")
    click.echo(render_timeline(answer_timeline(versions, step_id, prompt_id)), nl=False)


@cli.command()
@click.argument("action", type=click.Choice(["status", "on", "off", "now"]), default="status")
@answers_option
def sync(action: str, answers_dir: Path | None) -> None:
    """Keep your answers on another machine: with sync on, pull on start and push after a sitting.

    The answers folder must be a git repository with an upstream branch (a remote you
    can push to without typing a password: an ssh agent or a credential helper).
    """
    from formative.answers.git import GitError, git_off_reason, pull, push, set_sync, sync_on, upstream, work_tree

    folder = answers_dir or default_answers_dir()
    reason = git_off_reason()
    if reason is not None:
        fail(f"Sync needs git: {reason}.")
    try:
        root = work_tree(folder)
    except GitError as error:
        fail(str(error))
    if root is None:
        fail(f"{folder} is not a git repository. Make it one with `git -C {folder} init`, then add a remote.")
    up = upstream(root)
    how = (
        f"Give it an upstream: git -C {root} remote add origin URL && git -C {root} push -u origin HEAD"
        if up is None
        else ""
    )
    if action in ("on", "off"):
        set_sync(root, action == "on")
        click.echo(f"Sync is {action} for {root}" + (f" (upstream {up.tracking})." if up else "."))
        if action == "on" and how:
            click.echo(how)
        return
    if action == "now":
        if up is None:
            fail(how)
        for report in (pull(root), push(root)):
            click.echo(report.note or "Nothing to do.")
            if report.problem:
                sys.exit(1)
        return
    click.echo(f"Answers: {root}")
    click.echo(f"Sync: {'on' if sync_on(root) else 'off'}" + (f" · upstream {up.tracking}" if up else ""))
    if how:
        click.echo(how)


@cli.command("list")
def list_workbooks() -> None:
    """List the bundled workbooks with their length and number of steps."""
    from formative.walk import steps_to_answer

    rows = [
        (b.workbook.id, b.workbook.title, b.workbook.minutes, steps_to_answer(b.workbook)) for b in bundled_workbooks()
    ]
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
    """The workbook an answer file belongs to: given, else bundled or where the file says it lives."""
    if workbook:
        return find_workbook(workbook)
    try:
        return workbook_for_answers(answers)
    except WorkbookError as error:
        fail(str(error))


@cli.group()
def workshop() -> None:
    """Set up a coach-led workshop: a folder with workshop.toml and everyone's answers."""


@workshop.command("new")
@click.argument("workbook")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", help="What the room sees at the top (default: the workbook's title).")
@click.option("--roster", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Names, one per line.")
@no_git_option
def workshop_new(workbook: str, folder: Path, title: str | None, roster: Path | None, no_git: bool) -> None:
    """Create a workshop in FOLDER from WORKBOOK (a bundled id or a .toml file).

    The folder becomes a git repository (unless it is in one already, or --no-git):
    the facilitator's app commits it at every step, so its history is the session.
    """
    from formative.workshop.folder import Workshop, create_workshop, read_roster
    from formative.workshop.history import start_room_history

    names = read_roster(roster) if roster else []
    path = create_workshop(folder, workbook, title, names)
    click.echo(f"Wrote {path}, and {folder / '.gitignore'} (lock files and server secrets stay out of git).")
    problem = start_room_history(folder, Workshop.open(folder).data.workshop.title, no_git)
    if problem is not None:
        click.echo(problem, err=True)
    click.echo(f"Facilitate with:   formative facilitate {folder}")
    click.echo(f"Participants join: formative join {folder} --as NAME")


@workshop.command("release")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("name")
def workshop_release(folder: Path, name: str) -> None:
    """Free NAME in the workshop in FOLDER (a lost key, a forgotten PIN): the next login under it binds it anew."""
    from formative.workshop.folder import Workshop
    from formative.workshop.identity import People, PeopleFileError

    data = Workshop.open(folder).data
    try:
        freed = People(folder, data.roster, data.keys).release(name)
    except PeopleFileError as error:
        fail(str(error))
    if freed is None:
        click.echo(f"Nobody has taken the name {name}; nothing to release.")
        return
    click.echo(f"Released {freed}: the next person to log in as {freed} chooses a new PIN (or uses their key).")
    if any(listed.casefold() == freed.casefold() for listed in data.keys):
        click.echo(f"(workshop.toml still lists SSH keys for {freed}: only those keys can be {freed}.)")


@workshop.command("codes")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--replace", is_flag=True, help="Give new codes to names that already have a PIN (the old ones stop working)."
)
def workshop_codes(folder: Path, replace: bool) -> None:
    """Print a code for each roster name, to cut into slips: a person types theirs when asked for their PIN."""
    from formative.workshop.folder import Workshop
    from formative.workshop.identity import People, PeopleFileError
    from formative.workshop.names import same_person

    data = Workshop.open(folder).data
    if not data.roster:
        fail(f'{folder / "workshop.toml"} has no roster: list the names (roster = ["Ada", …]) first.')
    by_key = [name for name in data.roster if any(same_person(name, listed) for listed in data.keys)]
    names = [name for name in data.roster if name not in by_key]
    try:
        codes = People(folder, data.roster, data.keys).print_codes(names, replace=replace)
    except PeopleFileError as error:
        fail(str(error))
    width = max([len(name) for name in data.roster] + [4])
    cut = "- " * ((width + 24) // 2)
    click.echo(f"{data.workshop.title}: when the workshop asks for your PIN, type your code.\n")
    for name in data.roster:
        if name in codes:
            click.echo(f"{cut}\n  {name:<{width}}   code: {codes[name]}")
    click.echo(cut)
    kept = [name for name in names if not any(same_person(name, given) for given in codes)]
    if kept:
        click.echo(f"\nAlready have a PIN (kept; --replace gives new codes): {', '.join(kept)}", err=True)
    if by_key:
        click.echo(f"Join with their SSH key (no code): {', '.join(by_key)}", err=True)


@cli.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@theme_option
def facilitate(folder: Path, theme: str) -> None:
    """Run the workshop in FOLDER from the facilitator's screen (made for a projector).

    On two screens, keep this one on your laptop (notes, roster, every key) and run
    `formative project FOLDER` on the projector.
    """
    from formative.tui.facilitator.app import FacilitatorApp
    from formative.workshop.folder import Workshop

    app = FacilitatorApp(Workshop.open(folder), theme=theme)
    app.run()
    sys.exit(app.return_code or 0)


@cli.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@theme_option
def project(folder: Path, theme: str) -> None:
    """Show the workshop in FOLDER on the wall: a read-only mirror of `facilitate`, without its notes.

    Run `facilitate` on your laptop and this on the projector; it follows your steps, timer,
    reveals and groups, takes no lock and changes nothing.
    """
    from formative.tui.facilitator.mirror import MirrorApp
    from formative.workshop.folder import Workshop

    app = MirrorApp(Workshop.open(folder), theme=theme)
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
        from formative.plain import join_plain
        from formative.workshop.participant import open_participant

        session = open_participant(workshop, person)
        try:
            join_plain(workshop, session)
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
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="For a workshop: the date the report gives, as YYYY-MM-DD [default: today].",
)
def export(
    answers: Path,
    fmt: str,
    workbook: str | None,
    output: Path | None,
    participants: Path | None,
    day: datetime | None,
) -> None:
    """Export a person's ANSWERS file, or a workshop folder's report.

    For a person: their answers as Markdown, or their canvas as SVG. For a workshop
    folder: the report of the shared steps, votes and the room's canvas as Markdown,
    or the room's canvas alone as SVG; --participants also writes each person's copy.
    """
    if answers.is_dir():
        if workbook is not None:
            fail("--workbook is for an answer file; a workshop names its workbook in workshop.toml.")
        export_workshop(answers, fmt, output, participants, day.date() if day else None)
        return
    if participants is not None or day is not None:
        fail("--participants and --date are for a workshop folder, not for one answer file.")
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


def export_workshop(folder: Path, fmt: str, output: Path | None, participants: Path | None, day: date | None) -> None:
    """The room's report (md) or canvas (svg), and each person's copy when asked."""
    from formative.export.canvas_svg import NoCanvasError
    from formative.workshop.folder import Workshop
    from formative.workshop.report import export_participants, render_report
    from formative.workshop.room import Room
    from formative.workshop.room_canvas import render_room_canvas_svg

    room = Room(Workshop.open(folder))
    room.refresh()
    for path, problem in sorted(room.problems.items()):
        click.echo(f"Skipped {path}: {problem}", err=True)
    if fmt == "svg":
        try:
            text = render_room_canvas_svg(room, today=day)
        except NoCanvasError:
            fail(f"{folder}: this workbook has no canvas; use --format md for the report.")
    else:
        text = render_report(room, today=day)
    write_output(text, output)
    if participants is not None:
        for path in export_participants(room, participants, today=day):
            click.echo(f"Wrote {path}", err=True)


@cli.command("pack")
@click.argument("workbook")
@click.option("--start", metavar="HH:MM", help="When the session starts, for clock times in the agenda (e.g. 14:00).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html"]),
    help="Markdown, or HTML to print on A4 [default: from the -o file name, else md].",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here, not to stdout.")
def pack(workbook: str, start: str | None, fmt: str | None, output: Path | None) -> None:
    """Write the facilitator pack of WORKBOOK: agenda, materials, scripts, cut list, paper canvas.

    Open the HTML in a browser and print it (A4), or keep the Markdown beside your notes.
    """
    from formative.export.pack import parse_clock, render_pack_html, render_pack_markdown

    if fmt is None:
        suffix = output.suffix.lower() if output is not None else ".md"
        if suffix not in (".md", ".html", ".htm"):
            fail(f"Cannot tell the format from '{output}': name it .html or .md, or pass --format.")
        fmt = "md" if suffix == ".md" else "html"
    try:
        start_minutes = parse_clock(start) if start is not None else None
    except ValueError as error:
        fail(f"--start: {error}.")
    workbook_model = load_workbook(find_workbook(workbook))
    render = render_pack_html if fmt == "html" else render_pack_markdown
    write_output(render(workbook_model, start_minutes), output)


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
    """Host the workshop in DIR over SSH: each connection gets its own app, nothing else.

    People come in with a key (from --authorized-keys, or listed for them in workshop.toml)
    or the passcode; each name is then theirs alone, bound to their key or a PIN they choose.
    """
    from formative.workshop.folder import Workshop

    passcode = read_passcode(passcode, passcode_file)
    try:
        roster_keys, problem = Workshop.open(workshop_dir).data.keys, None
    except WorkbookError as error:
        roster_keys, problem = {}, error
    if authorized_keys is None and not passcode and not allow_anonymous and not roster_keys:
        fail(
            "No way to let people in: give --authorized-keys and/or --passcode-file, list keys in "
            "workshop.toml, or --allow-anonymous."
        )
    if problem is not None:
        fail(str(problem))  # now, clearly, rather than in every participant's app
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
@click.option(
    "--public-url",
    help="The address the room types, when it is not this machine's own (a proxy or a DNS name): "
    "pages from it are accepted too.",
)
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
    """Host the workshop in DIR for browsers: a login page (name, passcode, PIN), then one app per person."""
    from formative.serve import web
    from formative.workshop.folder import Workshop

    passcode = read_passcode(passcode, passcode_file)
    if not passcode and not web.is_loopback(host):
        fail(f"--host {host} lets other machines in: give --passcode-file (or --passcode) for the room to type.")
    Workshop.open(workshop_dir)  # a clear error now rather than in every browser tab
    try:
        web.allowed_origins(host, port, public_url)
    except ValueError as error:
        fail(str(error))
    config = web.WebConfig(
        workshop_dir.resolve(),
        host=host,
        port=port,
        passcode=passcode or None,
        public_url=public_url,
        max_participants=max_participants,
    )
    try:
        web.serve_web(config)
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
