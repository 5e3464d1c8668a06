"""The home screen: continue where you left off, or start a bundled workbook."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from formative.session import find_in_progress
from formative.tui.widgets.safe_text import literal
from formative.tui.widgets.status import display_path
from formative.workbook.bundled import bundled_workbooks


def first_sentence(text: str) -> str:
    """The first sentence of a summary: enough to choose by, short enough to list four."""
    head, dot, _ = text.strip().partition(". ")
    return head + "." if dot else head


class HomeScreen(Screen[None]):
    """Lists answer files in progress and the bundled workbooks; Enter opens one."""

    @dataclass
    class OpenWorkbook(Message):
        """The person chose a workbook to start, or an answer file to continue."""

        workbook_id: str
        person: str | None
        answers_file: Path | None

    BINDINGS = [Binding("ctrl+q", "app.quit", "Quit"), Binding("f1", "app.help", "Help")]
    AUTO_FOCUS = "OptionList"
    """Start in the first list (Continue, else Start), not the scrolling page: ↓ and Enter pick at once."""

    def __init__(self, answers_dir: Path) -> None:
        super().__init__()
        self.answers_dir = answers_dir
        self.choices: dict[str, tuple[str, Path | None, str | None]] = {}

    def compose(self) -> ComposeResult:
        in_progress, skipped = find_in_progress(self.answers_dir)
        with VerticalScroll(id="home"):
            yield Static(Content.styled("Formative", "bold $primary"), classes="screen-title")
            yield Static(Content("Design the communities that shape you, one step at a time."), classes="dim")
            if in_progress:
                yield Static(Content.styled("Continue", "bold"), classes="home-heading")
                options = []
                for n, item in enumerate(in_progress):
                    key = f"resume-{n}"
                    self.choices[key] = (str(item.workbook_path), item.path, item.person)
                    who = f" · {item.person}" if item.person else ""
                    progress = item.progress
                    label = Content.assemble(
                        literal(item.workbook.title + who).stylize("bold"),
                        literal(f"\n  {progress.answered}/{progress.answerable} steps · next: {item.resume_title}"),
                    )
                    options.append(Option(label, id=key))
                yield OptionList(*options, id="continue")
            yield Static(Content.styled("Start a workbook", "bold"), classes="home-heading")
            options = []
            for bundled in bundled_workbooks():
                workbook = bundled.workbook
                key = f"start-{workbook.id}"
                self.choices[key] = (workbook.id, None, None)
                length = f"{workbook.minutes} min · " if workbook.minutes else ""
                label = Content.assemble(
                    literal(workbook.title).stylize("bold"),
                    literal(f"\n  {length}{len(workbook.steps)} steps · {first_sentence(workbook.summary)}"),
                )
                options.append(Option(label, id=key))
            yield OptionList(*options, id="start")
            yield Static(literal(f"Answers are saved in {display_path(self.answers_dir)}"), id="answers-dir")
            for reason in skipped:
                yield Static(literal(f"Skipped {reason}"), classes="dim")
        yield Footer()

    def on_mount(self) -> None:
        # Focusing the first list scrolls it into view; keep the page's heading visible.
        self.call_after_refresh(self.query_one("#home", VerticalScroll).scroll_home, animate=False)

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        workbook_id, path, person = self.choices[str(event.option.id)]
        self.post_message(self.OpenWorkbook(workbook_id, person, path))
