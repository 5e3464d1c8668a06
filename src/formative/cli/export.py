"""Documents to read or print: `export` a person's answers or a workshop's report, `pack` for the facilitator."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from formative.answers.store import AnswerStore
from formative.cli.common import fail, workbook_path_for, write_output
from formative.workbook.bundled import find_workbook
from formative.workbook.load import load_workbook


@click.command("export")
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

    workbook_model = load_workbook(workbook_path_for(answers, workbook))
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


@click.command("pack")
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
