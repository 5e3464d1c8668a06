"""A coach-led workshop: the `workshop` group (new, release, codes), then `facilitate`, `project` and `join`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from formative.cli.common import fail, no_git_option, plain_wanted, theme_option


@click.group()
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


@click.command()
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


@click.command()
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


@click.command()
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

    app = FormativeApp.joining(workshop, person, theme=theme)
    app.run()
    sys.exit(app.return_code or 0)
