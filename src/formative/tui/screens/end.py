"""The end of a workshop, as a participant sees it: thanks, where their answers are, and Quit.

Read-only on purpose: when the coach ends the workshop, the report and each person's
copy are written from the answer files as they are. An answer changed afterwards would
reach neither, while the person would believe it had been sent; so the end shows the
answers and offers Quit, nothing that edits. (Should the coach take the end back, the
step screen returns, editable.)
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Static

from formative.answers.values import is_answered
from formative.session import Session
from formative.tui.hosting import shown_path
from formative.tui.screens.review import answer_lines
from formative.tui.widgets.footer import KeyFooter
from formative.tui.widgets.safe_text import answers_text, literal
from formative.workshop.folder import Workshop
from formative.workshop.report import copy_of

ENDED = "The workshop has ended. Thank you."
SAVED = "Your answers are saved; the coach will send you your copy."


class EndScreen(Screen[None]):
    """Shown over the step screen once workshop.toml says the workshop ended."""

    BINDINGS = [Binding("ctrl+q", "app.quit", "Quit"), Binding("q", "app.quit", "Quit", show=False)]

    def __init__(self, session: Session, workshop: Workshop) -> None:
        super().__init__()
        self.session = session
        self.workshop = workshop

    def compose(self) -> ComposeResult:
        copy = copy_of(self.workshop, self.session.path)
        lines = [SAVED]
        if copy is not None:
            lines.append(f"Your copy is already written: {shown_path(self.app, copy)}")
        with Vertical(id="end"):
            yield Static(Content(ENDED).stylize("bold"), classes="screen-title")
            yield Static(literal("\n".join(lines)), id="end-text")
            with Horizontal(id="end-actions"):
                yield Button("Quit", id="quit", variant="primary")
            with VerticalScroll(id="end-answers"):
                yield from self.summary()
        yield KeyFooter()

    def summary(self) -> ComposeResult:
        """What the person answered, step by step, to read before they go."""
        walk = self.session.walk
        shown = False
        for step in walk.visible_steps():
            answered = [(p, self.session.answer(step.id, p.id)) for p in step.answer_prompts]
            answered = [(p, value) for p, value in answered if is_answered(value)]
            if not answered:
                continue
            shown = True
            yield Static(answers_text(walk, step.title).stylize("bold $primary"), classes="review-step")
            for prompt, value in answered:
                yield Static(answers_text(walk, prompt.label), classes="review-label")
                yield Static(literal(answer_lines(value)), classes="review-answer")
        if not shown:
            yield Static(Content("You did not write any answers this time."), classes="review-answer -empty")

    def on_mount(self) -> None:
        self.query_one("#quit", Button).focus()

    @on(Button.Pressed, "#quit")
    async def quit(self) -> None:
        await self.app.action_quit()
