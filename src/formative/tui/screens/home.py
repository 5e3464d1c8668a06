"""The home screen: continue where you left off, start a bundled workbook, or sit one again."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from formative.answers.history import ago
from formative.answers.lock import LockedError
from formative.answers.store import AnswerFileError
from formative.session import InProgress, SittingError, begin_sitting, find_in_progress
from formative.tui.widgets.key_footer import KeyFooter
from formative.tui.widgets.safe_text import literal
from formative.tui.widgets.status import display_path
from formative.walk import steps_summary
from formative.workbook.bundled import bundled_workbooks, coach_led, solo_first
from formative.workbook.errors import WorkbookError


def separated(options: list[Option]) -> list[Option | None]:
    """Options with a rule between them, so two-line entries never run together."""
    spaced: list[Option | None] = []
    for option in options:
        if spaced:
            spaced.append(None)
        spaced.append(option)
    return spaced


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

    @dataclass
    class SittingBegun(Message):
        """A new sitting was started (or could not be): what to say, and what to open."""

        text: str
        problem: bool
        item: InProgress

    BINDINGS = [
        Binding("ctrl+q", "app.quit", "Quit"),
        Binding("f1", "app.help", "Help"),
        Binding("a", "start_again", "Start again"),
    ]
    AUTO_FOCUS = "OptionList"
    """Start in the first list (Continue, else Start), not the scrolling page: ↓ and Enter pick at once."""

    now: Callable[[], datetime] = staticmethod(lambda: datetime.now().astimezone())
    """The clock reviews are due by (a test may set its own)."""

    def __init__(self, answers_dir: Path, git: bool = True) -> None:
        super().__init__()
        self.answers_dir = answers_dir
        self.git = git
        self.choices: dict[str, tuple[str, Path | None, str | None]] = {}
        self.in_progress: dict[str, InProgress] = {}

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
                    self.in_progress[key] = item
                    options.append(Option(self.describe(item), id=key))
                yield OptionList(*separated(options), id="continue")
            yield Static(Content.styled("Start a workbook", "bold"), classes="home-heading")
            options = []
            for bundled in solo_first(bundled_workbooks()):
                workbook = bundled.workbook
                key = f"start-{workbook.id}"
                self.choices[key] = (workbook.id, None, None)
                length = f"{workbook.minutes} min · " if workbook.minutes else ""
                who = " · coach-led, for a room" if coach_led(workbook) else ""
                label = Content.assemble(
                    literal(workbook.title).stylize("bold"),
                    literal(f"\n  {length}{steps_summary(workbook)}{who}").stylize("$text-muted"),
                    literal(f"\n  {first_sentence(workbook.summary)}"),
                )
                options.append(Option(label, id=key))
            yield OptionList(*separated(options), id="start")
            yield Static(literal(f"Answers are saved in {display_path(self.answers_dir)}"), id="answers-dir")
            for reason in skipped:
                yield Static(literal(f"Skipped {reason}"), classes="dim")
        yield KeyFooter()

    def describe(self, item: InProgress) -> Content:
        """Title, progress and next step; the sitting from the second on; whether a review is due."""
        who = f" · {item.person}" if item.person else ""
        progress = item.progress
        sitting = f"sitting {item.sitting} · " if item.sitting > 1 else ""
        parts = [
            literal(item.workbook.title + who).stylize("bold"),
            literal(
                f"\n  {sitting}{progress.answered} of {progress.answerable} steps answered · next: {item.resume_title}"
            ),
        ]
        now = self.now()
        if item.due_for_review(now) and item.last_written is not None:
            due = f"\n  due for a review: last sitting {ago(item.last_written, now)} · a starts again"
            parts.append(literal(due).stylize("$warning"))
        return Content.assemble(*parts)

    def on_mount(self) -> None:
        # Focusing the first list scrolls it into view; keep the page's heading visible.
        self.call_after_refresh(self.query_one("#home", VerticalScroll).scroll_home, animate=False)

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        workbook_id, path, person = self.choices[str(event.option.id)]
        self.post_message(self.OpenWorkbook(workbook_id, person, path))

    # Sitting a workbook again -----------------------------------------------------------

    def highlighted_item(self) -> InProgress | None:
        """The answer file highlighted in the Continue list, when that list has the focus."""
        lists = self.query("#continue").results(OptionList)
        found = next(lists, None)
        if found is None or self.focused is not found or found.highlighted is None:
            return None
        return self.in_progress.get(str(found.get_option_at_index(found.highlighted).id))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "start_again":
            return True if self.highlighted_item() is not None else None
        return True

    @on(OptionList.OptionHighlighted)
    @on(OptionList.OptionSelected)
    def _moved(self) -> None:
        self.refresh_bindings()

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def action_start_again(self) -> None:
        item = self.highlighted_item()
        if item is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.start_again(item)

        self.app.push_screen(StartAgainScreen(item), confirmed)

    @work(thread=True, group="sitting", exclusive=True)
    def start_again(self, item: InProgress) -> None:
        """Commit the last sitting and empty the answers (git, so off the UI thread), then open them."""
        try:
            text = begin_sitting(item.workbook.id, self.answers_dir, item.person, item.path, no_git=not self.git)
            problem = False
        except (SittingError, WorkbookError, AnswerFileError, LockedError) as error:
            text, problem = str(error), True
        self.post_message(self.SittingBegun(text, problem, item))

    @on(SittingBegun)
    def sitting_begun(self, event: SittingBegun) -> None:
        if event.problem:
            self.notify(event.text, markup=False, severity="error", timeout=20)
            return
        self.notify(event.text, markup=False, timeout=8)
        item = event.item
        self.post_message(self.OpenWorkbook(item.workbook.id, item.person, item.path))

    def answers_pulled(self) -> None:
        """A sync changed answer files: list them afresh."""
        self.choices.clear()
        self.in_progress.clear()
        self.refresh(recompose=True)


class StartAgainScreen(ModalScreen[bool]):
    """Confirm a new sitting: the answers start empty, and the old ones stay in git."""

    BINDINGS = [Binding("escape", "dismiss(False)", "Cancel")]

    def __init__(self, item: InProgress) -> None:
        super().__init__()
        self.item = item

    def compose(self) -> ComposeResult:
        title = self.item.workbook.title
        with Vertical(id="start-again"):
            yield Static(literal(f"Start {title} again?").stylize("bold"))
            yield Static(
                literal(
                    "Your answers start empty. What you wrote is committed to git first, and shows "
                    'beside each question as "Last time" for you to copy in or leave.'
                )
            )
            with Horizontal(id="start-again-buttons"):
                yield Button("Start again", id="again", variant="primary")
                yield Button("Cancel", id="cancel")

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "again")
