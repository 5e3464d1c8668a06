"""Exports off the UI thread: the document is made from the answers now, and written in a thread.

Rendering reads the answers the person is changing, so it runs on the UI thread, at the
moment they asked (milliseconds). Writing is an atomic write with two fsyncs, which can
take far longer on a busy disk: a thread worker does it, and the app tells the person
where the file is (or why it could not be written) when it is done.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from textual.screen import Screen

from formative.answers.atomic import atomic_write_text
from formative.export.folder import export_path
from formative.session import Session
from formative.tui.hosting import shown_path

ExportKind = Literal["markdown", "svg"]

TITLES: dict[ExportKind, str] = {"markdown": "Markdown", "svg": "Canvas"}


def rendered(session: Session, kind: ExportKind) -> tuple[Path, str]:
    """Where the export goes (answers/exports/NAME.md or NAME-canvas.svg) and its text, from the answers now."""
    if kind == "markdown":
        from formative.export.markdown import render_markdown

        return export_path(session.store.path, ".md"), render_markdown(session.workbook, session.store)
    from formative.export.canvas_svg import render_canvas_svg

    return export_path(session.store.path, "-canvas.svg"), render_canvas_svg(session.workbook, session.store)


def export_in_background(screen: Screen[Any], session: Session, kind: ExportKind) -> None:
    """Export the session's answers as Markdown or as the canvas SVG; a notification says where, or why not."""
    app = screen.app
    try:
        path, text = rendered(session, kind)
    except OSError as error:  # the exports folder could not be made
        app.notify(f"Could not export: {error}", markup=False, severity="error")
        return
    where = shown_path(app, path)

    def write() -> None:
        try:
            atomic_write_text(path, text)
        except OSError as error:
            app.call_from_thread(app.notify, f"Could not export: {error}", markup=False, severity="error")
            return
        app.call_from_thread(app.notify, f"Exported to {where}", markup=False, title=TITLES[kind])

    screen.run_worker(write, name=f"export-{kind}", group="export", thread=True)
