"""The finish screen: what you made, where it is, and what to do with it."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Static

from formative.session import Session
from formative.tui.exports import export_in_background
from formative.tui.hosting import is_hosted, shown_path
from formative.tui.widgets.footer import KeyFooter
from formative.tui.widgets.safe_text import literal


class FinishScreen(Screen[None]):
    """Shown after the last step. Back returns to it; nothing here changes answers."""

    BINDINGS = [
        Binding("escape", "back", "Back to the last step"),
        Binding("ctrl+r", "review", "Review"),
        Binding("ctrl+e", "export", "Export Markdown"),
        Binding("ctrl+g", "export_svg", "Export SVG"),
        Binding("ctrl+q", "app.quit", "Save and quit"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        session = self.session
        progress = session.walk.progress()
        with Vertical(id="finish"):
            title = literal(f"You reached the end of {session.workbook.title}").stylize("bold")
            yield Static(title, classes="screen-title")
            yield Static(
                literal(
                    f"{progress.answered} of {progress.answerable} steps answered.\n"
                    f"Your answers are saved in {shown_path(self.app, session.path)}.\n"
                    "Come back any time: everything stays where you left it."
                ),
                id="finish-text",
            )
            with Horizontal(id="finish-actions"):
                yield Button("Review answers", id="review", variant="primary")
                if session.workbook.canvas is not None:
                    yield Button("Show the canvas", id="canvas")
                if not is_hosted(self.app):  # the file would land on the coach's machine, not theirs
                    yield Button("Export Markdown", id="export")
                    if session.workbook.canvas is not None:
                        yield Button("Export SVG", id="export-svg")
                yield Button("Quit", id="quit")
        yield KeyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "export_svg" and self.session.workbook.canvas is None:
            return False
        return not (action in ("export", "export_svg") and is_hosted(self.app))

    def action_export_svg(self) -> None:
        export_in_background(self, self.session, "svg")

    def action_canvas(self) -> None:
        from formative.tui.screens.canvas import CanvasScreen

        self.app.push_screen(CanvasScreen(self.session))

    def action_export(self) -> None:
        export_in_background(self, self.session, "markdown")

    def action_review(self) -> None:
        from formative.tui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen(self.session), self._edit)

    def _edit(self, step_id: str | None) -> None:
        if step_id and self.session.walk.jump(step_id):
            self.dismiss()

    def action_back(self) -> None:
        self.dismiss()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "review":
            self.action_review()
        elif event.button.id == "canvas":
            self.action_canvas()
        elif event.button.id == "export":
            self.action_export()
        elif event.button.id == "export-svg":
            self.action_export_svg()
        elif event.button.id == "quit":
            self.app.exit()
