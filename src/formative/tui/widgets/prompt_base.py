"""The base of every answerable prompt widget, and the small inputs they share.

A PromptInput shows the question, its help, the input and a problem line, and posts
PromptInput.Changed whenever the answer changes. Its value is None when nothing is
answered. A saved value of the wrong shape (a hand-edited file holding `name = 42`)
is shown as it is and kept: the prompt is read-only until the person chooses to
replace it (or fixes the file).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import tomlkit
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive, var
from textual.widget import Widget
from textual.widgets import Button, Input, Static

from formative.answers.values import AnswerValue, expected_shape, fits_shape, is_answered
from formative.tui.widgets.safe_text import answers_text, literal, visible
from formative.walk import Walk
from formative.workbook.model import AnswerPrompt, Step


def as_text(value: Any) -> str:
    """A saved text answer, or '' for anything else."""
    return visible(value) if isinstance(value, str) else ""


def as_text_list(value: Any) -> list[str]:
    """A saved list of text, or [] if it is anything else."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [visible(v) for v in value]
    return []


def as_records(value: Any) -> list[dict[str, str]]:
    """A saved list of records, or [] if it is anything else."""
    if isinstance(value, list) and all(
        isinstance(r, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in r.items()) for r in value
    ):
        return [{k: visible(v) for k, v in r.items()} for r in value]
    return []


async def run_own_binding(widget: Widget, event: events.Key) -> bool:
    """Run the widget's own binding for this key (Backspace, an arrow, Enter) now, in order with
    the characters typed around it; True if one ran (the key then goes no further).

    Textual runs a focused widget's bindings only once the key has bubbled up to the app,
    while the widget goes on taking the characters queued after it. Keys that arrive in one
    read (a burst over SSH when the host is busy, a quick typist on a slow link) were applied
    out of order: 'abcx⌫d' kept the x and dropped later keys in a short answer, a Backspace
    in a long answer ate a letter typed after it, Enter in a list took the next item's
    letters. Keys the widget has no binding for (Tab, the screen's and app's) go on as before.
    """
    if event.is_printable:
        return False
    for binding in widget._bindings.key_to_bindings.get(event.key, ()):
        if not binding.priority and await widget.app.run_action(binding.action, widget):
            event.stop()
            event.prevent_default()
            return True
    return False


class TextInput(Input):
    """An Input that shows control characters (a pasted ESC, say) as visible symbols.

    Textual passes them to the terminal untouched, where they could repaint or
    confuse the screen.
    """

    virtual_size = Reactive(Size(0, 0), layout=False)
    """The typed line's width: it grows with each key, and Textual's Input then laid out the whole
    screen (every widget on the step) for a box whose size cannot change. Redrawn instead; the
    Input scrolls by it without a layout (its width is the screen's, not its text's)."""

    def validate_value(self, value: str) -> str:
        return visible(value)

    take: Callable[[str], bool] | None = None
    """Given the text when Enter is pressed, in that key's own turn; True when it took it (the box is
    then emptied). Handled later, as Input.Submitted is, the letters typed after Enter were
    already in the box: they ran into the item taken, or were cleared away with it."""

    async def _on_key(self, event: events.Key) -> None:
        if not await run_own_binding(self, event):
            await super()._on_key(event)

    async def action_submit(self) -> None:
        if self.take is None:
            await super().action_submit()
        elif self.take(self.value):
            self.value = ""


class ItemInput(TextInput):
    """An Input inside a list or a record: ctrl+d removes the item instead of a character."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+d", "remove_item", "Remove", show=False)]

    class RemoveRequested(Message):
        """The person asked to remove the item this input belongs to."""

        def __init__(self, item_input: ItemInput) -> None:
            super().__init__()
            self.item_input = item_input

    def action_remove_item(self) -> None:
        self.post_message(self.RemoveRequested(self))


def _inline_toml(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{tomlkit.key(k).as_string()} = {_inline_toml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_inline_toml(v) for v in value) + "]"
    return str(tomlkit.item(value).as_string())


def as_file_text(value: Any, limit: int = 60) -> str:
    """A value as it reads in a TOML file, on one line and shortened: `42`, `["a", 3]`, `{a = 1}`."""
    text = " ".join(_inline_toml(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class HeldAnswer(Static, can_focus=True):
    """The answer file's value that the prompt cannot show: in focus, keys typed here change nothing.

    Replace is one Tab away, so Enter or Space typed by habit never replaces it.
    """

    DEFAULT_CSS = """
    HeldAnswer { color: $text-warning; }
    HeldAnswer:focus { background: $boost; }
    """


class ReplaceButton(Button):
    """Chooses to replace an answer the file holds in a shape the prompt cannot show."""

    class Chosen(Message):
        """The person chose to write a new answer over the one in the file."""

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()  # the prompt's own button handlers never see this one
        self.post_message(self.Chosen())


def mouse_button(label: str, tooltip: str, classes: str = "") -> Button:
    """A small button for the mouse; the keyboard has a key for the same thing."""
    button = Button(Content(label), compact=True, classes=f"mouse-button {classes}")
    button.can_focus = False
    button.tooltip = Content(tooltip)
    return button


class PromptInput(Widget):
    """One question and its input; the base class of every answerable prompt kind."""

    DEFAULT_CSS = """
    PromptInput {
        height: auto;
        margin: 0 0 1 0;
        & > .prompt--label { text-style: bold; }
        & > .prompt--help { color: $text-muted; }
        & > .prompt--hint { color: $text-muted; }
        & > .prompt--problem { color: $text-error; display: none; }
        & > .prompt--problem.-shown { display: block; }
        & .mouse-button { min-width: 3; width: 3; height: 1; margin: 0 0 0 1; }
    }
    """

    problem: var[str | None] = var(None)
    """The warning under the prompt (why the person cannot go on yet); None when there is none."""

    class Changed(Message):
        """The answer changed (posted on every edit; the screen debounces saving)."""

        def __init__(
            self, prompt_input: PromptInput, step_id: str, prompt_id: str, value: AnswerValue | None, edit: int
        ) -> None:
            super().__init__()
            self.prompt_input = prompt_input
            self.step_id = step_id
            self.prompt_id = prompt_id
            self.value = value
            self.edit = edit
            """Counts the answers this prompt handed over, so a late message is known as late."""

        def can_replace(self, message: Message) -> bool:
            return (
                isinstance(message, PromptInput.Changed)
                and message.step_id == self.step_id
                and message.prompt_id == self.prompt_id
            )

    def __init__(self, step: Step, prompt: AnswerPrompt, walk: Walk, value: Any, **kwargs: Any) -> None:
        kwargs.setdefault("classes", f"prompt-{prompt.kind.replace('_', '-')}")
        super().__init__(**kwargs)
        self.step = step
        self.prompt = prompt
        self.walk = walk
        self.saved = value
        """The answer as it was saved, whatever its shape."""
        self._posted: AnswerValue | None = None
        self._problem = Static("", classes="prompt--problem")
        self.edits = 0
        """How many answers this prompt has handed over (posted, or taken by take_answer)."""
        self.stored = 0
        """The number of the last of them the screen has stored."""
        self.composed = False
        """Set once the inputs exist (a save may look at a prompt that is still being mounted)."""
        self.read_only = is_answered(value) and self.held_problem() is not None
        """The file holds an answer this prompt cannot show; it is kept until the person replaces it."""

    # For subclasses ------------------------------------------------------------------

    def compose_input(self) -> ComposeResult:
        """Yield the widgets that take the answer."""
        yield from ()

    def current_value(self) -> AnswerValue | None:
        """The answer shown now, or None when nothing is answered."""
        return None

    def main_input(self) -> Widget | None:
        """The widget that focus_input focuses."""
        return None

    def held_problem(self) -> str | None:
        """Why the saved answer cannot be shown in this input ('which is not text'), or None."""
        if fits_shape(self.prompt, self.saved):
            return None
        return f"which is not {expected_shape(self.prompt)}"

    def answer_changed(self) -> None:
        """Call after every edit: posts Changed when the answer differs from the last one."""
        if self.read_only or not self.composed:
            return
        value = self.value
        if value != self._posted:
            self._posted = value
            self.edits += 1
            self.post_message(self.Changed(self, self.step.id, self.prompt.id, value, self.edits))

    def take_answer(self) -> tuple[bool, AnswerValue | None]:
        """The answer on screen, and whether the screen has yet to store it.

        A save calls this so what was typed a moment ago is saved even while its
        Changed message is still on the way; that message then arrives as stale.
        """
        self.answer_changed()
        if self.edits == self.stored:
            return False, self._posted
        self.stored = self.edits
        return True, self._posted

    def hint(self, text: str, classes: str = "prompt--hint") -> Static:
        return Static(literal(text), classes=classes)

    # The interface ---------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        label = answers_text(self.walk, self.prompt.label)
        if self.prompt.required:
            label = Content.from_markup("$label [$text-muted not bold]· required[/]", label=label)
        yield Static(label, classes="prompt--label")
        if self.prompt.help:
            yield Static(answers_text(self.walk, self.prompt.help), classes="prompt--help")
        if self.read_only:
            held = as_file_text(self.saved)
            self.held = HeldAnswer(literal(f"Your answer file holds {held} here, {self.held_problem()}."))
            yield self.held
            yield self.hint("It is kept as it is: edit the file to change it, or Tab to Replace to write a new answer.")
            yield ReplaceButton(Content("Replace"), compact=True, classes="prompt--replace")
        else:
            yield from self.compose_input()
        yield self._problem
        self._posted = None if self.read_only else self.current_value()
        self.composed = True

    @on(ReplaceButton.Chosen)
    async def _replace(self, event: ReplaceButton.Chosen) -> None:
        """The person chose to answer afresh: the input starts empty; the file changes with the first edit."""
        event.stop()
        self.read_only = False
        self.saved = None
        await self.recompose()
        self.focus_input()

    @property
    def value(self) -> AnswerValue | None:
        """The answer as it stands, in the shape the answer file keeps; None if unanswered (or read-only)."""
        return None if self.read_only or not self.composed else self.current_value()

    def show_problem(self, message: str | None) -> None:
        """Show a message under the prompt, styled as an error; None clears it."""
        self.problem = message or None

    def watch_problem(self, message: str | None) -> None:
        """Only a new message repaints (the screen checks again after every key while a warning stands)."""
        self._problem.update(literal(f"⚠ {message}") if message else "")
        self._problem.set_class(bool(message), "-shown")
        self.set_class(bool(message), "-invalid")

    def focus_input(self) -> None:
        """Focus the prompt's main input."""
        widget = self.held if self.read_only else self.main_input()
        if widget is not None:
            widget.focus()
