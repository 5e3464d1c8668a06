"""History: earlier versions of the current step's answers, read from git off the UI thread."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from formative.answers.git import GitError
from formative.answers.history import Version, answer_timeline, day, file_versions, value_lines
from formative.session import Session
from formative.tui.widgets.footer import KeyFooter
from formative.tui.widgets.safe_text import answers_text, literal
from formative.workbook.model import Step


class HistoryScreen(Screen[None]):
    """Each prompt of one step, with every committed version of its answer, oldest first."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back to the step"),
        Binding("ctrl+t", "app.pop_screen", show=False),
    ]

    @dataclass
    class Loaded(Message):
        versions: list[Version] | None
        """None when the answer file is not in git."""
        problem: str | None = None

    def __init__(self, session: Session, step: Step) -> None:
        super().__init__()
        self.session = session
        self.step = step

    def compose(self) -> ComposeResult:
        title = answers_text(self.session.walk, self.step.title)
        with VerticalScroll(id="history"):
            yield Static(Content.assemble("History: ", title).stylize("bold"), classes="screen-title")
            yield Static(Content("Reading the history from git…"), id="history-status", classes="dim")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.read_history()

    @work(thread=True, group="history", exclusive=True)
    def read_history(self) -> None:
        """git log and cat-file only read the repository: they need no place in the commit queue."""
        if self.session.commits is None:
            self.post_message(self.Loaded(None))
            return
        try:
            versions = file_versions(self.session.path)
        except GitError as error:
            self.post_message(self.Loaded([], problem=str(error)))
            return
        self.post_message(self.Loaded(versions))

    @on(Loaded)
    async def show_versions(self, event: Loaded) -> None:
        status = self.query_one("#history-status", Static)
        if event.problem is not None:
            status.update(literal(f"Git could not read the history: {event.problem}"))
            return
        if event.versions is None:
            status.update(
                literal(
                    f"{self.session.path.name} is not in a git repository, so it has no history. "
                    "Formative keeps one in answers folders it creates (see formative --help)."
                )
            )
            return
        status.update(literal(f"{len(event.versions)} commits of {self.session.path.name}; oldest first."))
        body = self.query_one("#history", VerticalScroll)
        walk = self.session.walk
        blocks: list[Static] = []
        for prompt in self.step.answer_prompts:
            blocks.append(Static(answers_text(walk, prompt.label).stylize("bold"), classes="history-prompt"))
            timeline = answer_timeline(event.versions, self.step.id, prompt.id)
            if not timeline:
                blocks.append(Static(Content("No committed answer yet."), classes="dim"))
            for entry in timeline:
                heading = literal(f"{day(entry.when)} {entry.when:%H:%M} · sitting {entry.sitting}").stylize("italic")
                lines = [literal(line) for line in value_lines(entry.value)]
                blocks.append(Static(Content("\n").join([heading, *lines]), classes="history-version"))
        await body.mount_all(blocks)
