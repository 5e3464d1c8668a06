"""Jump to any step: the workshop's steps with their number, mode and timebox; Enter goes there."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from formative.tui.widgets.safe_text import literal
from formative.workbook.model import Step, Workbook
from formative.workbook.modes import MODE_TEXT
from formative.workshop.room import shows_room


def step_line(number: int, step: Step, current: bool) -> Content:
    """' 13  Our communities   TABLES · 6 min · shared' (the current step marked ▶)."""
    details = [MODE_TEXT[step.mode][0] if step.mode else "", f"{step.timebox} min" if step.timebox else ""]
    details.append("shared" if shows_room(step) else "")
    marker = Content("▶ " if current else "  ").stylize("bold $accent")
    title = literal(step.title).stylize("bold" if current else "")
    extra = Content("   " + " · ".join(d for d in details if d)).stylize("$foreground-muted")
    return marker + Content(f"{number:>2}  ") + title + extra


class StepOutline(ModalScreen[str | None]):
    """Returns the chosen step's id, or None (Esc)."""

    DEFAULT_CSS = """
    StepOutline { align: center middle; }
    StepOutline #outline { width: 90%; max-width: 90; height: auto; max-height: 90%;
                           border: round $accent; background: $surface; padding: 0 1; }
    StepOutline OptionList { height: auto; max-height: 40; }
    StepOutline .dim { color: $text-muted; }
    """
    BINDINGS = [Binding("escape,o", "dismiss(None)", "Close")]

    def __init__(self, workbook: Workbook, current: str | None) -> None:
        super().__init__()
        self.workbook = workbook
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="outline"):
            yield Static(Content("Go to a step").stylize("bold"))
            yield OptionList(
                *[
                    Option(step_line(n, step, step.id == self.current), id=step.id)
                    for n, step in enumerate(self.workbook.steps, 1)
                ],
                id="steps",
            )
            hint = "↑↓ choose · Enter goes there (its timebox set, the timer stopped) · Esc stays"
            yield Static(Content(hint), classes="dim")

    def on_mount(self) -> None:
        steps = self.query_one(OptionList)
        ids = [step.id for step in self.workbook.steps]
        steps.highlighted = ids.index(self.current) if self.current in ids else 0
        steps.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
