"""The canvas: the workbook's key answers side by side on one page.

Each box holds the same entries as the SVG (see export.canvas_content): every answer under
its label, scales as a gauge with their words, list items with their lines hanging
under the bullet.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from formative.answers.values import UNANSWERED
from formative.export.canvas_content import Shown, cell_entries, person_reader
from formative.session import Session
from formative.tui.hosting import is_hosted
from formative.tui.widgets.footer import KeyFooter
from formative.tui.widgets.safe_text import answers_text, literal


def entry_widgets(shown: Shown) -> list[Widget]:
    """One answer in a box: its label, then a gauge, text or hanging items."""
    widgets: list[Widget] = []
    if shown.label:
        widgets.append(Static(literal(shown.label), classes="canvas-label"))
    if shown.empty:
        widgets.append(Static(Content(f"{UNANSWERED} not answered yet"), classes="canvas-missing"))
    if shown.gauge and shown.text is not None:  # the dots, then the words, which wrap under themselves
        dots = Static(Content(shown.gauge + " "), classes="canvas-gauge")
        widgets.append(Horizontal(dots, Static(literal(shown.text), classes="canvas-item-text"), classes="canvas-item"))
    elif shown.text is not None:
        widgets.append(Static(literal(shown.text), classes="canvas-text"))
    for number, item in enumerate(shown.items, 1):
        marker = Static(Content(f"{number}." if shown.numbered else "•"), classes="canvas-marker")
        widgets.append(Horizontal(marker, Static(literal(item), classes="canvas-item-text"), classes="canvas-item"))
    return widgets


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
        read = person_reader(walk)
        yield Static(answers_text(walk, canvas.title).stylize("bold"), classes="screen-title")
        with Grid(id="canvas-grid", classes=f"-cells-{len(canvas.cells)}"):
            for cell in canvas.cells:
                widgets = [w for shown in cell_entries(cell, read) for w in entry_widgets(shown)]
                box = VerticalScroll(*widgets, classes="canvas-cell")
                box.border_title = literal(cell.title)
                box.border_subtitle = literal(cell.subtitle or "")
                yield box
        yield KeyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "export_svg" and is_hosted(self.app))  # it would write on the coach's machine

    def action_export_svg(self) -> None:
        from formative.tui.exports import export_in_background

        export_in_background(self, self.session, "svg")
