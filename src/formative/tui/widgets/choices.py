"""Inputs for prompts with options: single choice, multiple choice and ranking.

Options may come from the person's own earlier answers, so they are shown literally.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Button, Input, OptionList, RadioButton, RadioSet, SelectionList
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from formative.answers.values import AnswerValue
from formative.tui.widgets.prompt_base import PromptInput, TextInput, as_text_list, mouse_button
from formative.tui.widgets.safe_text import literal, visible
from formative.workbook.model import MultipleChoice, Ranking, SingleChoice


def empty_options_hint(prompt: PromptInput) -> str:
    """Why a prompt whose options come from an earlier answer offers none yet."""
    source = getattr(prompt.prompt, "options_from", None) or ""
    if isinstance(source, list):  # several earlier answers, none of them given yet
        return "The options come from earlier answers that are still empty."
    step_id = source.split(".")[0]
    try:
        title = prompt.walk.text(prompt.walk.step(step_id).title)
    except KeyError:
        return "The options come from an earlier answer that is still empty."
    return f"The options come from your answer in “{title}”, which is still empty."


RADIO_ON, RADIO_OFF = "(•)", "( )"
CHECK_ON, CHECK_OFF = "[x]", "[ ]"
"""Marks that differ in shape, not only in colour: readable with NO_COLOR, in monochrome and by
anyone who cannot tell the colours apart (Textual's own draw the same X or ● either way)."""


class Radio(RadioButton):
    """A radio button drawn as (•) when chosen and ( ) when not."""

    def render(self) -> Content:
        # Off, the mark takes the label's colours: the button's own are barely visible by design.
        look = self.get_visual_style("toggle--button" if self.value else "toggle--label")
        mark = Content.styled(RADIO_ON if self.value else RADIO_OFF, look)
        return Content.assemble(mark, self.label.pad(1, 1).stylize_before(self.get_visual_style("toggle--label")))


class CheckList(SelectionList[int]):
    """A selection list drawn with [x] before a chosen option and [ ] before the others."""

    def render_line(self, y: int) -> Strip:
        line = OptionList.render_line(self, y)  # the option itself, without SelectionList's coloured box
        index = self.scroll_offset.y + y
        if not 0 <= index < self.option_count:
            return line
        chosen = self.get_option_at_index(index).value in self.selected
        underlying = next(iter(line)).style or self.rich_style
        if chosen:  # on, the mark has the selected button's colour; off, the text's (readable either way)
            component = "selection-list--button-selected" + ("-highlighted" if self.highlighted == index else "")
            style = underlying + Style(color=self.get_component_rich_style(component).color, bold=True)
        else:
            style = underlying
        return Strip([Segment(CHECK_ON if chosen else CHECK_OFF, style), Segment(" ", underlying), *line])


class ChoiceInput(PromptInput):
    """Shared by single and multiple choice: the options, and the free-text 'other' input."""

    prompt: SingleChoice | MultipleChoice

    def other_input(self, text: str) -> TextInput:
        self.other = TextInput(
            visible(text), placeholder=visible(f"{self.prompt.other_label} (write your own)"), classes="choice--other"
        )
        return self.other


class SingleChoiceInput(ChoiceInput):
    """Pick one option, or write your own when the prompt allows it; the answer is the text."""

    prompt: SingleChoice
    DEFAULT_CSS = """
    SingleChoiceInput RadioSet { width: 1fr; }
    SingleChoiceInput RadioButton { width: 1fr; }
    """

    def compose_input(self) -> ComposeResult:
        self.options = self.walk.options(self.prompt) or []
        saved = self.saved if isinstance(self.saved, str) else None
        is_other = saved is not None and saved not in self.options and self.prompt.allow_other and bool(saved.strip())
        self.other_button: RadioButton | None = None
        self.radios: RadioSet | None = None
        if not self.options and self.prompt.options_from:
            yield self.hint(empty_options_hint(self))
        if self.options or self.prompt.allow_other:
            buttons = [Radio(literal(o), value=o == saved) for o in self.options]
            if self.prompt.allow_other:
                self.other_button = Radio(literal(self.prompt.other_label), value=is_other)
                buttons.append(self.other_button)
            self.radios = RadioSet(*buttons)
            yield self.radios
        if saved and saved not in self.options and not is_other:
            yield self.hint(f"Your earlier answer “{saved}” is no longer one of the options.")
        if self.prompt.allow_other:
            yield self.other_input(saved if is_other and saved else "")

    def current_value(self) -> AnswerValue | None:
        if self.radios is None:
            return None
        index = self.radios.pressed_index
        if index < 0:
            return None
        if index >= len(self.options):
            return self.other.value if self.other.value.strip() else None
        return self.options[index]

    def main_input(self) -> Widget | None:
        return self.radios

    @on(RadioSet.Changed)
    def _picked(self, event: RadioSet.Changed) -> None:
        event.stop()
        if event.pressed is self.other_button and event.radio_set.has_focus:
            self.other.focus()
        self.answer_changed()

    @on(Input.Changed, ".choice--other")
    def _other_edited(self, event: Input.Changed) -> None:
        event.stop()
        if self.other_button is not None and event.value.strip() and not self.other_button.value:
            self.other_button.value = True
        self.answer_changed()


def picks_hint(low: int | None, high: int | None) -> str | None:
    if low and high:
        return f"Pick {low}." if low == high else f"Pick {low}–{high}."
    if low:
        return f"Pick at least {low}."
    if high:
        return f"Pick up to {high}."
    return None


class MultipleChoiceInput(ChoiceInput):
    """Pick any number of options (Space or Enter toggles), plus your own when allowed."""

    prompt: MultipleChoice

    def compose_input(self) -> ComposeResult:
        self.options = self.walk.options(self.prompt) or []
        saved = as_text_list(self.saved) if isinstance(self.saved, list) else []
        raw = self.saved if saved else []
        hint = picks_hint(self.prompt.min_picks, self.prompt.max_picks)
        if hint:
            yield self.hint(hint)
        if not self.options and self.prompt.options_from:
            yield self.hint(empty_options_hint(self))
        self.selections: CheckList | None = None
        if self.options:
            self.selections = CheckList(*(Selection(literal(o), n, o in raw) for n, o in enumerate(self.options)))
            yield self.selections
        extras = [visible(v) for v in raw if v not in self.options and v.strip()]
        if self.prompt.allow_other:
            yield self.other_input(", ".join(extras))
        elif extras:
            yield self.hint(f"No longer among the options: {', '.join(extras)}")

    def current_value(self) -> AnswerValue | None:
        picked = sorted(self.selections.selected) if self.selections else []
        value = [self.options[n] for n in picked]
        if self.prompt.allow_other and self.other.value.strip():
            value.append(self.other.value)
        return value or None

    def main_input(self) -> Widget | None:
        return self.selections or (self.other if self.prompt.allow_other else None)

    @on(SelectionList.SelectedChanged)
    def _picked(self, event: SelectionList.SelectedChanged[int]) -> None:
        event.stop()
        self.answer_changed()

    @on(Input.Changed, ".choice--other")
    def _other_edited(self, event: Input.Changed) -> None:
        event.stop()
        self.answer_changed()


class RankList(OptionList):
    """The options in order; alt+↑/alt+↓ move the highlighted one, Enter keeps the order."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("alt+up,shift+up", "move(-1)", "Move up", show=False),
        Binding("alt+down,shift+down", "move(1)", "Move down", show=False),
        Binding("enter", "keep", "Keep order", show=False),
    ]

    class Reordered(Message):
        """The person moved an item or accepted the order."""

    def __init__(self, order: list[str]) -> None:
        super().__init__()
        self.order = order
        self._show(0)

    def _show(self, highlight: int) -> None:
        self.set_options(
            Option(Content.assemble((f"{n:>2}. ", "$text-muted"), literal(o))) for n, o in enumerate(self.order, 1)
        )
        self.highlighted = highlight

    def action_move(self, delta: int) -> None:
        index = self.highlighted
        if index is None or not 0 <= index + delta < len(self.order):
            return
        order = self.order
        order[index], order[index + delta] = order[index + delta], order[index]
        self._show(index + delta)
        self.post_message(self.Reordered())

    def action_keep(self) -> None:
        self.post_message(self.Reordered())


class RankingInput(PromptInput):
    """Put options in order. The answer stays unset until the person moves an item or
    presses Enter / "Keep this order": an untouched default order is not an answer."""

    prompt: Ranking
    DEFAULT_CSS = """
    RankingInput RankList { height: auto; max-height: 14; }
    RankingInput .ranking--buttons { height: 1; }
    RankingInput .ranking--keep { margin: 0 0 0 2; }
    """

    def compose_input(self) -> ComposeResult:
        order = self.walk.ranking_order(self.step, self.prompt)
        self.ranked = bool(as_text_list(self.saved))
        self.ranks: RankList | None = None
        if not order:
            if self.prompt.options_from:
                yield self.hint(empty_options_hint(self))
            return
        self.ranks = RankList(order)
        yield self.ranks
        with Horizontal(classes="ranking--buttons"):
            yield mouse_button("▲", "Move the highlighted item up (alt+↑)", classes="rank-up")
            yield mouse_button("▼", "Move the highlighted item down (alt+↓)", classes="rank-down")
            keep = Button(Content("Keep this order"), compact=True, classes="ranking--keep")
            keep.can_focus = False
            yield keep
        self.status = self.hint("")
        self._update_status()
        yield self.status

    def _update_status(self) -> None:
        if self.ranked:
            text = "Ranked. shift+↑/↓ (or alt+↑/↓) moves the highlighted item."
        else:
            text = "Not ranked yet: ↑/↓ picks an item, shift+↑/↓ (or alt+↑/↓) moves it, Enter keeps this order."
        self.status.update(literal(text))

    def current_value(self) -> AnswerValue | None:
        return list(self.ranks.order) if self.ranks and self.ranked else None

    def main_input(self) -> Widget | None:
        return self.ranks

    @on(RankList.Reordered)
    def _reordered(self, event: RankList.Reordered) -> None:
        event.stop()
        self.ranked = True
        self._update_status()
        self.answer_changed()

    @on(Button.Pressed)
    def _button(self, event: Button.Pressed) -> None:
        event.stop()
        if self.ranks is None:
            return
        if event.button.has_class("rank-up"):
            self.ranks.action_move(-1)
        elif event.button.has_class("rank-down"):
            self.ranks.action_move(1)
        else:
            self.ranks.action_keep()
        self.ranks.focus()
