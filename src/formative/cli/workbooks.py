"""Workbooks themselves, for the person who writes them: `list`, `validate`, `schema`, `new`."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from formative.answers.atomic import PUBLIC_FILE, atomic_write_text
from formative.cli.common import fail, write_output
from formative.workbook.bundled import SCHEMA_FILE, bundled_workbooks
from formative.workbook.errors import WorkbookError
from formative.workbook.load import load_workbook


@click.command("list")
def list_workbooks() -> None:
    """List the bundled workbooks with their length and number of steps."""
    from formative.walk import steps_summary

    rows = [
        (b.workbook.id, b.workbook.title, b.workbook.minutes, steps_summary(b.workbook)) for b in bundled_workbooks()
    ]
    if not rows:
        fail("No bundled workbooks were found; the installation looks incomplete.")
    width = max(len(r[0]) for r in rows)
    steps_width = max(len(r[3]) for r in rows)
    for workbook_id, title, minutes, steps in rows:
        length = f"{minutes} min" if minutes else "untimed"
        click.echo(f"{workbook_id:<{width}}  {length:>7}  {steps:<{steps_width}}  {title}")


@click.command()
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


@click.command()
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to this file instead of stdout.")
def schema(output: Path | None) -> None:
    """Print the JSON Schema of the workbook format, for TOML editors."""
    from formative.workbook.schema import schema_json

    write_output(schema_json(), output, new_mode=PUBLIC_FILE)


@click.command()
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
