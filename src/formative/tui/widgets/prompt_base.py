"""The base of every answerable prompt widget, and the small inputs they share.

A PromptInput shows the question, its help, the input and a problem line, and posts
PromptInput.Changed whenever the answer changes. Its value is None when nothing is
answered. A saved value of the wrong shape (a hand-edited file) starts empty.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Input, Static

from formative.answers.values import AnswerValue
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


class TextInput(Input):
    """An Input that shows control characters (a pasted ESC, say) as visible symbols.

    Textual passes them to the terminal untouched, where they could repaint or
    confuse the screen.
    """

    def validate_value(self, value: str) -> str:
        return visible(value)


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

    class Changed(Message):
        """The answer changed (posted on every edit; the screen debounces saving)."""

        def __init__(self, step_id: str, prompt_id: str, value: AnswerValue | None) -> None:
            super().__init__()
            self.step_id = step_id
            self.prompt_id = prompt_id
            self.value = value

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

    def answer_changed(self) -> None:
        """Call after every edit: posts Changed when the answer differs from the last one."""
        value = self.value
        if value != self._posted:
            self._posted = value
            self.post_message(self.Changed(self.step.id, self.prompt.id, value))

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
        yield from self.compose_input()
        yield self._problem
        self._posted = self.current_value()

    @property
    def value(self) -> AnswerValue | None:
        """The answer as it stands, in the shape the answer file keeps; None if unanswered."""
        return self.current_value()

    def show_problem(self, message: str | None) -> None:
        """Show a message under the prompt, styled as an error; None clears it."""
        self._problem.update(literal(f"⚠ {message}") if message else "")
        self._problem.set_class(bool(message), "-shown")
        self.set_class(bool(message), "-invalid")

    def focus_input(self) -> None:
        """Focus the prompt's main input."""
        widget = self.main_input()
        if widget is not None:
            widget.focus()
