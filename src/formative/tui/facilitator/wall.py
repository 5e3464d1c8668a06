"""The wall: what the room sees, shared by the coach's screen and the mirror (`formative project`).

WallHead holds the step title in block letters, the mode and the big timer; WallStage
holds how to join, the groups, the room's answers and the step's instructions (and, on
the coach's screen only, the facilitator's notes: the mirror never even builds them).
Each part holds what it shows in reactives, so it redraws only when that changes.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import var
from textual.widgets import Markdown, Static

from formative.tui.facilitator.join_panel import JoinPanel
from formative.tui.facilitator.live import RoomApp
from formative.tui.facilitator.widgets import AnswerCards, BarChart, BigText, BigTimer, Card, GroupCards, Words
from formative.tui.widgets.safe_text import answers_text
from formative.walk import Walk
from formative.workbook.model import Scale, Step
from formative.workbook.modes import GROUP_TITLE, MODE_TEXT
from formative.workshop import facilitation as f
from formative.workshop.model import State
from formative.workshop.policy import ANONYMOUS_FLOOR, AnonymousOrder, held_back, names_shown
from formative.workshop.policy import revealed as policy_revealed
from formative.workshop.room import Room, SharedAnswer, room_prompts, shows_room
from formative.workshop.serving import Kind, Serving
from formative.workshop.wall import privacy_words, shows_join, shows_passcode

QUESTION_TALL_ENOUGH = 40
"""Screen rows from which a shared step's question is drawn in block letters too."""


def chart_rows(room: Room, step: Step, prompt: f.CountedPrompt) -> list[tuple[str, int]]:
    """The tally, with a scale's end labels beside its end points ('1 · not at all')."""
    rows = f.counts(room, step, prompt)
    if not isinstance(prompt, Scale):
        return rows
    ends = {str(prompt.min): prompt.min_label, str(prompt.max): prompt.max_label}
    return [(f"{label} · {ends[label]}" if ends.get(label) else label, count) for label, count in rows]


def card_values(answers: list[SharedAnswer], prompt_id: str, named: bool) -> tuple[Card, ...]:
    """One card per answer; what the coach captured for the room becomes one card per line or item."""
    cards: list[Card] = []
    for answer in answers:
        if answer.prompt_id != prompt_id:
            continue
        name = answer.name if named else None
        if answer.name == f.ROOM_NAME:
            cards += [(name, item) for item in f.captured_items(answer.value)]
        else:
            cards.append((name, answer.value))
    return tuple(cards)


class WallHead(Horizontal):
    """The step title in block letters with the mode under it, the big timer at the right."""

    def compose(self) -> ComposeResult:
        with Vertical(id="head-text"):
            yield BigText(big_lines=2, id="step-title")
            yield Words(id="mode")
        yield BigTimer("0:00", id="timer")

    def show(self, title: Content, state: State, step: Step) -> None:
        self.query_one("#step-title", BigText).text = title
        text = Content("")
        if step.mode:
            word, what = MODE_TEXT[step.mode]
            text = Content(word).stylize("bold $secondary") + Content(f" · {what}")
        privacy = privacy_words(state, step)
        if privacy:
            text += Content("   shared with the room, ").stylize("$foreground-muted") + Content(privacy).stylize("bold")
        if state.ended is not None:
            text += Content("   the workshop has ended: thank you").stylize("bold $success")
        self.query_one("#mode", Words).words = text


class WallStage(VerticalScroll):
    """Below the head: how to join, groups, the room's answers, the instructions (notes for the coach)."""

    notes: var[str | None] = var(None)
    """The facilitator's notes as Markdown; None while hidden (and always on the wall's mirror)."""
    instructions: var[str] = var("", init=False)
    """The step's instructions as Markdown; new ones are read from the top."""

    def __init__(self, *, for_coach: bool, id: str | None = None) -> None:
        super().__init__(id=id, can_focus=False)
        self.for_coach = for_coach
        self._blocks: dict[str, BarChart | AnswerCards] = {}
        self._blocks_step: str | None = None
        self.held = False
        """Revealed answers kept back for now (policy.held_back): the coach's top line says so."""

    def compose(self) -> ComposeResult:
        if self.for_coach:
            with Vertical(id="notes"):
                yield Static(Content("Facilitator notes · only on your screen · f hides them"), classes="notes-title")
                yield Markdown(id="notes-text")
        yield JoinPanel(for_coach=self.for_coach, id="join")
        with Vertical(id="shared"):
            yield Words(id="shared-title")
            yield Vertical(id="shared-body")
        with Vertical(id="groups"):
            yield Words(id="groups-title")
            yield GroupCards(id="group-cards")
        yield Markdown(id="instructions")

    def watch_notes(self, notes: str | None) -> None:
        if self.for_coach:
            self.query_one("#notes").display = notes is not None
            if notes is not None:
                self.query_one("#notes-text", Markdown).update(notes)

    def watch_instructions(self, instructions: str) -> None:
        self.query_one("#instructions", Markdown).update(instructions)
        self.scroll_home(animate=False)

    def show_join(self, state: State, walk: Walk, serving: dict[Kind, Serving], now: float) -> None:
        shown = shows_join(state, walk.workbook, serving)
        panel = self.query_one(JoinPanel)
        panel.display = shown
        if shown:
            panel.serving, panel.passcode_shown = serving, shows_passcode(state, now)

    def show_groups(self, state: State, step: Step) -> None:
        groups = state.pairs.get(step.id, [])
        box = self.query_one("#groups")
        box.display = step.mode in ("pair", "table") or bool(groups)
        title = GROUP_TITLE.get(step.mode or "group", "Group")
        heading = Content(f"{title}s" if groups else "")
        if not groups:
            what = "pairs" if step.mode == "pair" else "groups"
            key = "g makes them" if self.for_coach else "the coach makes them"
            heading = Content(f"No {what} yet: {key} when people have joined.").stylize("$foreground-muted")
        self.query_one("#groups-title", Words).words = heading.stylize("bold")
        self.query_one(GroupCards).groups = (title, groups)

    def show_shared(self, state: State, step: Step, room: Room, walk: Walk) -> None:
        box = self.query_one("#shared")
        box.display = shows_room(step)
        self.held = False
        if not shows_room(step):
            return
        revealed = policy_revealed(state, step)
        named = names_shown(state, step)
        given = room.shared_answers(step)
        people, captured = f.answer_sources(given)
        title = Content(f"Answers · {people} {'person' if people == 1 else 'people'} so far").stylize("bold")
        title += Content(f" · {'with names' if named else 'anonymous'}")
        held = self.held = revealed and held_back(state, step, people, captured)
        if not revealed:
            hint = "r reveals them on the wall" if self.for_coach else "shown when the coach reveals them"
            title += Content(f" · hidden, {hint}").stylize("$foreground-muted")
        elif held:
            hint = f"shown once {ANONYMOUS_FLOOR} have answered, so that nobody's can be told apart"
            title += Content(f" · {hint}").stylize("$foreground-muted")
        self.query_one("#shared-title", Words).words = title
        body = self.query_one("#shared-body", Vertical)
        body.display = revealed and not held
        box.set_class(revealed and not held, "-revealed")
        if revealed and not held:
            self.draw_answers(state, step, room, walk, named)
        elif held and self._blocks_step is not None:  # no card held back stays behind, even hidden
            body.remove_children()
            self._blocks, self._blocks_step = {}, None

    def draw_answers(self, state: State, step: Step, room: Room, walk: Walk, named: bool) -> None:
        """One block per prompt: its question, then a chart for counted prompts or cards for written ones."""
        body = self.query_one("#shared-body", Vertical)
        if self._blocks_step != step.id:
            body.remove_children()
            self._blocks, self._blocks_step = {}, step.id
        app = self.app
        order = app.order if isinstance(app, RoomApp) else AnonymousOrder()
        answers = f.answer_cards(room, step, state, order)
        for prompt in room_prompts(step):
            content = self._blocks.get(prompt.id)
            if content is None:
                question = BigText(big_lines=1, tall_enough=QUESTION_TALL_ENOUGH, classes="question")
                question.text = answers_text(walk, prompt.label)
                counted = isinstance(prompt, f.CountedPrompt)
                content = self._blocks[prompt.id] = BarChart() if counted else AnswerCards()
                body.mount(Vertical(question, content, classes="answer-block"))
            if isinstance(content, BarChart) and isinstance(prompt, f.CountedPrompt):
                content.rows = chart_rows(room, step, prompt)
            elif isinstance(content, AnswerCards):
                content.cards = card_values(answers, prompt.id, named)
