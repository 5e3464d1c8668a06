"""The canvas: the workbook's key answers side by side on one page."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from formative.answers.atomic import atomic_write_text
from formative.session import Session
from formative.tui.hosting import is_hosted, shown_path
from formative.tui.screens.review import answer_lines
from formative.tui.widgets.safe_text import answers_text, literal


class CanvasScreen(Screen[None]):
    """Four Cs (or whatever cells the workbook defines) in a grid that fits 80×24."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("ctrl+s", "export_svg", "Save as SVG"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        canvas = self.session.workbook.canvas
        assert canvas is not None
        walk = self.session.walk
        yield Static(answers_text(walk, canvas.title).stylize("bold"), classes="screen-title")
        with Grid(id="canvas-grid", classes=f"-cells-{len(canvas.cells)}"):
            for cell in canvas.cells:
                parts = []
                for ref in cell.answers:
                    step_id, prompt_id = ref.split(".")
                    parts.append(answer_lines(self.session.answer(step_id, prompt_id)))
                box = VerticalScroll(Static(literal("\n".join(parts)), classes="canvas-text"), classes="canvas-cell")
                box.border_title = literal(cell.title)
                box.border_subtitle = literal(cell.subtitle or "")
                yield box
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "export_svg" and is_hosted(self.app))  # it would write on the coach's machine

    def action_export_svg(self) -> None:
        from formative.export.canvas_svg import render_canvas_svg

        path = self.session.path.with_name(self.session.path.stem + "-canvas.svg")
        try:
            atomic_write_text(path, render_canvas_svg(self.session.workbook, self.session.store))
        except OSError as error:
            self.notify(f"Could not save: {error}", markup=False, severity="error")
            return
        self.notify(f"Saved {shown_path(self.app, path)}", markup=False, title="Canvas")
