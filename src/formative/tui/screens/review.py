"""The review: every answer so far, in workbook order, each a jump away from editing."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Static

from formative.answers.values import format_answer, is_answered
from formative.session import Session
from formative.tui.widgets.footer import KeyFooter
from formative.tui.widgets.safe_text import answers_text, literal


def answer_lines(value: object) -> str:
    """An answer as readable plain text: lists and records one per line."""
    if isinstance(value, list):
        return "\n".join(f"• {format_answer([item])}" for item in value if is_answered([item]))
    return format_answer(value)


class ReviewScreen(Screen[str | None]):
    """Read everything back; 'Edit' on a step dismisses with its id so the walk jumps there."""

    BINDINGS = [Binding("escape", "close", "Back to the step")]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        walk = self.session.walk
        with VerticalScroll(id="review"):
            title = literal(f"Review: {self.session.workbook.title}").stylize("bold")
            yield Static(title, classes="screen-title")
            for step in walk.visible_steps():
                if not step.answer_prompts:
                    continue
                yield Static(answers_text(walk, step.title).stylize("bold $primary"), classes="review-step")
                for prompt in step.answer_prompts:
                    value = self.session.answer(step.id, prompt.id)
                    yield Static(answers_text(walk, prompt.label), classes="review-label")
                    if is_answered(value):
                        yield Static(literal(answer_lines(value)), classes="review-answer")
                    else:
                        yield Static(Content("Not answered yet"), classes="review-answer -empty")
                label = Content.assemble("Edit “", answers_text(walk, step.title), "”")
                yield Button(label, name=step.id, classes="review-edit")
        yield KeyFooter()

    @on(Button.Pressed, ".review-edit")
    def edit(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.name)

    def action_close(self) -> None:
        self.dismiss(None)
