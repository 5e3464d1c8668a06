"""Input widgets for every prompt kind, and prompt_widget, the factory the step screen uses.

Text kinds and the scale live here; choices and ranking in `choices.py`; lists and
records in `items.py`; dot votes in `votes.py`. Everything a person wrote is shown literally (see `safe_text`).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from textual import events, on
from textual.app import App, ComposeResult, SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import var
from textual.widget import Widget
from textual.widgets import Input, Markdown, Static, TextArea
from textual.widgets.text_area import Edit, EditResult

from formative.answers.values import AnswerValue, word_count
from formative.editor import find_editor
from formative.tui.hosting import NO_EDITOR, is_hosted
from formative.tui.widgets.choices import MultipleChoiceInput, RankingInput, SingleChoiceInput
from formative.tui.widgets.items import ListInput, RecordsInput
from formative.tui.widgets.prompt_base import PromptInput, TextInput, as_text, run_own_binding
from formative.tui.widgets.safe_text import answers_markdown, has_controls, literal, visible
from formative.tui.widgets.votes import DotVoteInput
from formative.walk import Walk
from formative.workbook.model import (
    AnswerPrompt,
    DotVote,
    ListPrompt,
    LongText,
    MultipleChoice,
    Note,
    Prompt,
    Ranking,
    Records,
    Scale,
    ShortText,
    SingleChoice,
    Step,
)

__all__ = [
    "DotVoteInput",
    "ListInput",
    "LongTextInput",
    "MultipleChoiceInput",
    "NoteView",
    "PromptInput",
    "RankingInput",
    "RecordsInput",
    "ScaleInput",
    "ShortTextInput",
    "SingleChoiceInput",
    "prompt_widget",
]


class NoteView(Markdown):
    """A note: text to read, with earlier answers filled in (escaped, never markup)."""

    DEFAULT_CSS = """
    NoteView { margin: 0 0 1 0; padding: 0 1; border-left: outer $primary-muted; }
    """

    def __init__(self, step: Step, note: Note, walk: Walk) -> None:
        super().__init__(answers_markdown(walk, note.text), classes="prompt-note")
        self.step = step
        self.note = note


class LengthCount(Static):
    """Counts under a text input: '37 / 40 characters' once the text nears a length limit, and
    '4 / 6 words' all along when the prompt limits words (a six-word title is written against it).

    The counts are a reactive: a key that leaves them as they were (every key, in a prompt
    without limits or far from one) costs no repaint, and a new count repaints this line
    alone; the screen is laid out again only when the line's height changes.
    """

    DEFAULT_CSS = """
    LengthCount { color: $text-muted; display: none; }
    LengthCount.-near { display: block; }
    LengthCount.-over { color: $text-error; text-style: bold; }
    """

    counts: var[tuple[str, bool]] = var(("", False))
    """(the line shown, '' for none; whether the text is over a limit)."""

    def __init__(self, prompt: ShortText | LongText) -> None:
        super().__init__("")
        self.limit = prompt.max_length
        self.min_words = prompt.min_words
        self.max_words = prompt.max_words

    def count(self, text: str) -> None:
        """Count text (call after every edit); the line changes only when a count does."""
        self.counts = self.counts_of(text)

    def counts_of(self, text: str) -> tuple[str, bool]:
        parts: list[str] = []
        over = False
        if self.limit is not None and len(text) >= self.limit * 0.8:
            length = len(text)
            too_many = f" ({length - self.limit:,} too many)" if length > self.limit else ""
            over = length > self.limit
            parts.append(f"{length:,} / {self.limit:,} characters{too_many}")
        if self.max_words is not None or self.min_words is not None:
            words = word_count(text)
            if self.max_words is not None:
                over = over or words > self.max_words
                too_many = f" ({words - self.max_words:,} too many)" if words > self.max_words else ""
                least = f", at least {self.min_words:,}" if self.min_words is not None else ""
                parts.append(f"{words:,} / {self.max_words:,} words{least}{too_many}")
            else:
                parts.append(f"{words:,} words (at least {self.min_words:,})")
        return " · ".join(parts), over

    def watch_counts(self, old: tuple[str, bool], new: tuple[str, bool]) -> None:
        line, over = new
        self.set_class(bool(line), "-near")  # showing or hiding the line lays the screen out (its display)
        self.set_class(over, "-over")
        width = self.content_size.width
        same_height = width > 0 and len(Content(old[0]).wrap(width)) == len(Content(line).wrap(width))
        self.update(Content(line), layout=not same_height)


class ShortTextInput(PromptInput):
    """One line of text. A length limit is shown, never enforced by cutting text off."""

    prompt: ShortText

    def compose_input(self) -> ComposeResult:
        self.input = TextInput(as_text(self.saved), placeholder=visible(self.prompt.placeholder or ""))
        self.length = LengthCount(self.prompt)
        self.length.count(self.input.value)
        # Counted as the value changes, in the key's own turn: the count then repaints in the
        # same frame as the typed letter. Counted on Input.Changed (a message, handled later),
        # it took a frame of its own: two screen updates per key wherever the count shows.
        self.watch(self.input, "value", self.length.count, init=False)
        yield self.input
        yield self.length

    def current_value(self) -> AnswerValue | None:
        return self.input.value or None

    def main_input(self) -> Widget:
        return self.input

    @on(Input.Changed)
    def _edited(self, event: Input.Changed) -> None:
        event.stop()
        self.answer_changed()


def run_editor(app: App[Any], text: str) -> str | None:
    """Edit text in the outside editor (see formative.editor) with the app suspended; None if that failed.

    Never for a hosted participant: the editor would run on the coach's machine (and
    vi's `:!sh` is a shell there). They get a notice instead, and nothing is written.
    """
    if is_hosted(app):
        app.notify(NO_EDITOR, severity="warning", markup=False)
        return None
    editor = find_editor()
    if editor.problem is not None:
        app.notify(editor.problem, severity="warning", markup=False)
        return None
    argv = list(editor.argv)
    handle, name = tempfile.mkstemp(prefix="formative-", suffix=".md")
    os.close(handle)
    path = Path(name)
    try:
        path.write_text(text, encoding="utf-8")
        try:
            with app.suspend():
                result = subprocess.run([*argv, str(path)], check=False)
        except SuspendNotSupported:
            app.notify("An outside editor cannot run here (in a browser, say).", severity="warning", markup=False)
            return None
        except OSError as error:
            app.notify(f"Could not start {argv[0]}: {error}", severity="error", markup=False)
            return None
        if result.returncode != 0:
            app.notify(f"{argv[0]} ended with an error; the text is unchanged.", severity="warning", markup=False)
            return None
        edited = path.read_text(encoding="utf-8", errors="replace")
    finally:
        path.unlink(missing_ok=True)
    if edited.endswith("\n") and not text.endswith("\n"):
        edited = edited[:-1]
    return edited


class ProseArea(TextArea):
    """The text area of a long answer; ctrl+e opens the text in the person's own editor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Named in the line under the area instead of the footer, which at 80 columns would drop Quit.
        Binding("ctrl+e", "edit_in_editor", "Edit in editor", show=False)
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.edited: Callable[[str], None] | None = None
        """Told the text after each edit, in the key's own turn (see LongTextInput.compose_input)."""

    async def _on_key(self, event: events.Key) -> None:
        if not await run_own_binding(self, event):
            await super()._on_key(event)

    def edit(self, edit: Edit) -> EditResult:
        result = super().edit(edit)
        if self.edited is not None:
            self.edited(self.text)
        return result

    def action_edit_in_editor(self) -> None:
        edited = run_editor(self.app, self.text)
        if edited is not None and edited != self.text:
            self.replace(visible(edited), self.document.start, self.document.end)
            self.focus()


class LongTextInput(PromptInput):
    """Prose over several lines, soft-wrapped; the area grows with the text up to a limit."""

    prompt: LongText
    DEFAULT_CSS = """
    LongTextInput ProseArea { height: auto; min-height: 6; max-height: 16; }
    LongTextInput .prompt--keys { color: $text-muted; }
    """

    def compose_input(self) -> ComposeResult:
        self.area = ProseArea(
            as_text(self.saved),
            soft_wrap=True,
            tab_behavior="focus",
            placeholder=literal(self.prompt.placeholder or ""),
        )
        self.length = LengthCount(self.prompt)
        self.length.count(self.area.text)
        # Counted as each edit is made, so the count repaints in the typed letter's frame (as a
        # short answer's does); TextArea.Changed, handled later, took a screen update of its own.
        self.area.edited = self.length.count
        yield self.area
        yield self.length
        if not is_hosted(self.app):
            editor = find_editor()
            if editor.problem is None:
                yield self.hint(f"ctrl+e writes this in {editor.name}")

    def current_value(self) -> AnswerValue | None:
        return self.area.text or None

    def main_input(self) -> Widget:
        return self.area

    @on(TextArea.Changed)
    def _edited(self, event: TextArea.Changed) -> None:
        event.stop()
        text = self.area.text  # joined from the document's lines on each read: once per key is enough
        if has_controls(text):
            self.area.replace(visible(text), self.area.document.start, self.area.document.end)
            return
        self.length.count(text)  # already counted by an edit; undo and redo are counted here
        self.answer_changed()


class ScalePoint(Static):
    """One number of a scale; clicking it picks it."""

    def __init__(self, number: int) -> None:
        super().__init__(Content(str(number)))
        self.number = number

    def chosen(self, on: bool) -> None:
        self.set_class(on, "-chosen")
        self.update(Content(f"[{self.number}]" if on else str(self.number)))


class ScaleBar(Horizontal, can_focus=True):
    """The numbers of a scale in a row: ←/→, Home/End and digits pick one when focused."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "step(-1)", "Lower", show=False),
        Binding("right", "step(1)", "Higher", show=False),
        Binding("home", "pick_end(0)", "Lowest", show=False),
        Binding("end", "pick_end(1)", "Highest", show=False),
    ]

    class Picked(Message):
        def __init__(self, number: int) -> None:
            super().__init__()
            self.number = number

    def __init__(self, low: int, high: int, chosen: int | None) -> None:
        super().__init__()
        self.low, self.high = low, high
        self.chosen = chosen
        self._typed = ""

    def compose(self) -> ComposeResult:
        for number in range(self.low, self.high + 1):
            point = ScalePoint(number)
            point.chosen(number == self.chosen)
            yield point

    def pick(self, number: int) -> None:
        if not self.low <= number <= self.high:
            return
        self.chosen = number
        for point in self.query(ScalePoint):
            point.chosen(point.number == number)
        self.post_message(self.Picked(number))

    def action_step(self, delta: int) -> None:
        self._typed = ""
        if self.chosen is None:
            self.pick(self.low if delta > 0 else self.high)
        else:
            self.pick(max(self.low, min(self.high, self.chosen + delta)))

    def action_pick_end(self, high: int) -> None:
        self._typed = ""
        self.pick(self.high if high else self.low)

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isdecimal() and event.character.isascii():
            event.stop()
            typed = self._typed + event.character
            self._typed = typed if self.low <= int(typed) <= self.high else event.character
            self.pick(int(self._typed))

    def on_click(self, event: events.Click) -> None:
        self._typed = ""
        if isinstance(event.widget, ScalePoint):
            self.focus()
            self.pick(event.widget.number)

    def on_blur(self) -> None:
        self._typed = ""


class ScaleInput(PromptInput):
    """A whole number on a scale, with words for both ends; the answer is an int."""

    prompt: Scale
    DEFAULT_CSS = """
    ScaleInput {
        .scale--block { height: auto; max-width: 66; }
        ScaleBar {
            height: 3; width: 1fr; border: tall $border-blurred; background: $surface;
            &:focus { border: tall $border; background-tint: $foreground 5%; }
        }
        ScalePoint { width: 1fr; min-width: 4; content-align: center middle; }
        ScalePoint:hover { background: $boost; }
        ScalePoint.-chosen { background: $primary; color: auto; text-style: bold; }
        .scale--ends { height: auto; color: $text-muted; }
        .scale--ends > Static { width: 1fr; }
        .scale--max { text-align: right; }
    }
    """

    def held_problem(self) -> str | None:
        saved, low, high = self.saved, self.prompt.min, self.prompt.max
        if isinstance(saved, int) and not isinstance(saved, bool) and not low <= saved <= high:
            return f"which is not on this scale ({low}–{high})"
        return super().held_problem()

    def compose_input(self) -> ComposeResult:
        saved = self.saved
        valid = isinstance(saved, int) and not isinstance(saved, bool) and self.prompt.min <= saved <= self.prompt.max
        self.bar = ScaleBar(self.prompt.min, self.prompt.max, saved if valid else None)
        with Vertical(classes="scale--block"):
            yield self.bar
            if self.prompt.min_label or self.prompt.max_label:
                with Horizontal(classes="scale--ends"):
                    yield Static(literal(f"← {self.prompt.min_label or ''}"), classes="scale--min")
                    yield Static(literal(f"{self.prompt.max_label or ''} →"), classes="scale--max")
        yield self.hint(f"←/→ or typing {self.prompt.min}–{self.prompt.max} picks a value · Home/End the ends")

    def current_value(self) -> AnswerValue | None:
        return self.bar.chosen

    def main_input(self) -> Widget:
        return self.bar

    @on(ScaleBar.Picked)
    def _picked(self, event: ScaleBar.Picked) -> None:
        event.stop()
        self.answer_changed()


_KINDS: dict[type[Any], type[PromptInput]] = {
    ShortText: ShortTextInput,
    LongText: LongTextInput,
    SingleChoice: SingleChoiceInput,
    MultipleChoice: MultipleChoiceInput,
    Scale: ScaleInput,
    ListPrompt: ListInput,
    Records: RecordsInput,
    Ranking: RankingInput,
    DotVote: DotVoteInput,
}


def prompt_widget(step: Step, prompt: Prompt, walk: Walk, value: Any) -> Widget:
    """The widget for one prompt: an input for answerable kinds, a read-only view for notes."""
    if isinstance(prompt, Note):
        return NoteView(step, prompt, walk)
    answerable: AnswerPrompt = prompt
    return _KINDS[type(answerable)](step, answerable, walk, value, id=f"prompt-{prompt.id}")
