"""Inputs for repeatable answers: a list of short items, and records with named fields.

Keys: Enter adds (list) or moves on, ↑/↓ go from item to item (and from the Add box to
the items), ctrl+d removes the item or record being edited and ctrl+z brings it back,
alt+↑/alt+↓ move it. Small ✕ ▲ ▼ buttons do the same for the mouse.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Button, Input, Static

from formative.answers.values import AnswerValue
from formative.tui.widgets.prompt_base import (
    ItemInput,
    PromptInput,
    TextInput,
    as_records,
    as_text_list,
    mouse_button,
)
from formative.tui.widgets.safe_text import literal, visible
from formative.workbook.model import ListPrompt, Records

ITEM_CSS = """
& .items--row { height: auto; }
& .items--number { width: 4; color: $text-muted; }
& Input.-textual-compact { width: 1fr; background: $boost; }
& Input.-textual-compact:focus { background: $surface-lighten-1; }
& .items--keys { color: $text-muted; }
"""


def plural(noun: str) -> str:
    return noun if noun.endswith("s") else noun + "s"


class ListRow(Horizontal):
    """One item of a list: its number, its text, and a ✕ button."""

    def __init__(self, number: int, text: str) -> None:
        super().__init__(classes="items--row")
        self.number = Static(Content(f"{number}."), classes="items--number")
        self.input = ItemInput(visible(text), compact=True)

    def compose(self) -> ComposeResult:
        yield self.number
        yield self.input
        yield mouse_button("✕", "Remove this item (ctrl+d)", classes="item-remove")


class ItemsInput(PromptInput):
    """Shared by lists and records: moving and removing the row that holds the focus."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("alt+up", "move(-1)", "Move up", show=False),
        Binding("alt+down", "move(1)", "Move down", show=False),
        Binding("up", "focus_step(-1)", "Previous item", show=False),
        Binding("down", "focus_step(1)", "Next item", show=False),
        Binding("ctrl+z", "undo_remove", "Undo remove", show=False),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.removed: list[tuple[int, dict[str, str]]] = []
        """What ctrl+d (or ✕) removed, newest last, as (row index, its text): ctrl+z puts it back."""

    def rows(self) -> list[Widget]:
        return []

    def focus_order(self) -> list[Widget]:
        """The inputs ↑ and ↓ go through, top to bottom."""
        return []

    def action_focus_step(self, delta: int) -> None:
        """↑/↓: the previous or next input of this prompt; past either end the page scrolls as usual."""
        order = self.focus_order()
        focused = self.screen.focused
        if focused not in order:
            raise SkipAction()
        index = order.index(focused) + delta
        if not 0 <= index < len(order):
            raise SkipAction()
        order[index].focus()

    async def restore_row(self, index: int, content: dict[str, str]) -> None:
        """Put a removed row back at its place."""

    async def action_undo_remove(self) -> None:
        if not self.removed:
            self.notify("Nothing removed to bring back.", markup=False, timeout=3)
            return
        index, content = self.removed.pop()
        await self.restore_row(min(index, len(self.rows())), content)
        self.answer_changed()

    def row_of(self, widget: Widget | None) -> int | None:
        """The index of the row that holds the widget, if any."""
        rows = self.rows()
        ancestors = widget.ancestors_with_self if widget is not None else []
        return next((rows.index(node) for node in ancestors if node in rows), None)

    def swap(self, first: int, second: int) -> None:
        """Swap the contents of two rows."""

    async def remove_row(self, index: int) -> None:
        """Remove one row and keep the focus nearby."""

    def action_move(self, delta: int) -> None:
        index = self.row_of(self.screen.focused)
        if index is None or not 0 <= index + delta < len(self.rows()):
            return
        self.swap(index, index + delta)
        self.answer_changed()

    @on(ItemInput.RemoveRequested)
    async def _remove_requested(self, event: ItemInput.RemoveRequested) -> None:
        event.stop()
        index = self.row_of(event.item_input)
        if index is not None:
            await self.remove_row(index)

    def refuse(self, message: str) -> None:
        self.show_problem(message)
        self.app.bell()


class ListInput(ItemsInput):
    """A list of short items. The text in the 'add' input counts too, so nothing typed is lost."""

    prompt: ListPrompt
    DEFAULT_CSS = "ListInput {" + ITEM_CSS + "}"

    def compose_input(self) -> ComposeResult:
        noun = self.prompt.item_label.lower()
        self.row_list = [ListRow(n, t) for n, t in enumerate(as_text_list(self.saved), 1)]
        self.list_rows = Vertical(*self.row_list)
        self.list_rows.styles.height = "auto"
        self.add = TextInput(placeholder=f"Add {noun}, then Enter", compact=True, classes="list--add")
        self.add.take = self._add
        yield self.list_rows
        with Horizontal(classes="items--row"):
            yield Static(Content("+"), classes="items--number")
            yield self.add
        yield self.hint(
            "Enter adds · ↑/↓ goes to an item · ctrl+d removes it (ctrl+z undoes) · alt+↑/↓ moves it", "items--keys"
        )

    def rows(self) -> list[Widget]:
        return list(self.row_list)

    def focus_order(self) -> list[Widget]:
        return [*self.inputs(), self.add]

    async def restore_row(self, index: int, content: dict[str, str]) -> None:
        row = ListRow(index + 1, content["text"])
        self.row_list.insert(index, row)
        await self.list_rows.mount(row, before=index if index < len(self.list_rows.children) else None)
        for number, other in enumerate(self.row_list, 1):
            other.number.update(Content(f"{number}."))
        row.input.focus()

    def inputs(self) -> list[ItemInput]:
        return [row.input for row in self.row_list]

    def current_value(self) -> AnswerValue | None:
        items = [i.value for i in self.inputs() if i.value.strip()]
        if self.add.value.strip():
            items.append(self.add.value)
        return items or None

    def main_input(self) -> Widget:
        inputs = self.inputs()
        return inputs[0] if inputs else self.add

    def swap(self, first: int, second: int) -> None:
        inputs = self.inputs()
        inputs[first].value, inputs[second].value = inputs[second].value, inputs[first].value
        inputs[second].focus()

    async def remove_row(self, index: int) -> None:
        row = self.row_list.pop(index)
        self.removed.append((index, {"text": row.input.value}))
        for number, other in enumerate(self.row_list, 1):
            other.number.update(Content(f"{number}."))
        rest = self.inputs()
        (rest[index] if index < len(rest) else self.add).focus()
        await row.remove()
        self.show_problem(None)
        self.answer_changed()

    def _add(self, text: str) -> bool:
        """Enter in the add box (its take, in the key's own turn): the text becomes the list's next item."""
        if not text.strip():
            return False
        limit = self.prompt.max_items
        if limit is not None and len(self.inputs()) >= limit:
            self.refuse(f"This list holds at most {limit} {plural(self.prompt.item_label.lower())}.")
            return False
        row = ListRow(len(self.row_list) + 1, text)
        self.row_list.append(row)
        self.list_rows.mount(row)
        self.answer_changed()
        return True

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = self.inputs()
        if event.input in inputs:
            index = inputs.index(event.input)
            (inputs[index + 1] if index + 1 < len(inputs) else self.add).focus()

    @on(Input.Changed)
    def _edited(self, event: Input.Changed) -> None:
        event.stop()
        self.answer_changed()

    @on(Button.Pressed, ".item-remove")
    async def _remove_clicked(self, event: Button.Pressed) -> None:
        event.stop()
        index = self.row_of(event.button)
        if index is not None:
            await self.remove_row(index)


class RecordGroup(Vertical):
    """One record: a heading with ✕ ▲ ▼ buttons, then one input per field."""

    def __init__(self, prompt: Records, number: int, record: dict[str, str]) -> None:
        super().__init__(classes="records--record")
        self.prompt = prompt
        self.heading = Static(classes="records--heading")
        self.renumber(number)
        self.fields = {f.id: ItemInput(record.get(f.id, ""), compact=True) for f in prompt.fields}
        known = set(self.fields)
        self.extra = {k: v for k, v in record.items() if k not in known}
        """Fields this workbook no longer asks for: kept, not shown."""

    def renumber(self, number: int) -> None:
        self.heading.update(literal(f"{self.prompt.item_label} {number}"))

    def compose(self) -> ComposeResult:
        with Horizontal(classes="records--top"):
            yield self.heading
            yield mouse_button("▲", "Move this entry up (alt+↑)", classes="record-up")
            yield mouse_button("▼", "Move this entry down (alt+↓)", classes="record-down")
            yield mouse_button("✕", "Remove this entry (ctrl+d)", classes="record-remove")
        for field in self.prompt.fields:
            with Horizontal(classes="items--row"):
                yield Static(literal(field.label + (" *" if field.required else "")), classes="records--label")
                yield self.fields[field.id]

    def record(self) -> dict[str, str]:
        filled = {k: i.value for k, i in self.fields.items() if i.value.strip()}
        return {**self.extra, **filled} if filled else {}


class RecordsInput(ItemsInput):
    """Records with named fields; the answer is a list of {field id: text}, blank ones left out."""

    prompt: Records
    DEFAULT_CSS = (
        "RecordsInput {"
        + ITEM_CSS
        + """
    & .records--record { height: auto; border-left: tall $border-blurred; padding: 0 0 0 1; margin: 0 0 1 0; }
    & .records--record:focus-within { border-left: tall $border; }
    & .records--top { height: 1; }
    & .records--heading { width: 1fr; text-style: bold; }
    & .records--label { width: 30%; max-width: 18; min-width: 8; color: $text-muted; }
    }"""
    )

    def compose_input(self) -> ComposeResult:
        records = as_records(self.saved) or [{}]
        self.group_list = [RecordGroup(self.prompt, n, r) for n, r in enumerate(records, 1)]
        self.groups = Vertical(*self.group_list)
        self.groups.styles.height = "auto"
        yield self.groups
        noun = self.prompt.item_label.lower()
        yield Button(literal(f"+ Add {noun}"), compact=True, classes="records--add")
        yield self.hint(
            "↑/↓ goes between fields · ctrl+d removes an entry (ctrl+z undoes) · alt+↑/↓ moves it", "items--keys"
        )

    def rows(self) -> list[Widget]:
        return list(self.group_list)

    def focus_order(self) -> list[Widget]:
        return [*(i for g in self.records() for i in g.fields.values()), self.query_one(".records--add")]

    async def restore_row(self, index: int, content: dict[str, str]) -> None:
        group = RecordGroup(self.prompt, index + 1, content)
        self.group_list.insert(index, group)
        await self.groups.mount(group, before=index if index < len(self.groups.children) else None)
        for number, other in enumerate(self.group_list, 1):
            other.renumber(number)
        next(iter(group.fields.values())).focus()

    def records(self) -> list[RecordGroup]:
        return list(self.group_list)

    def current_value(self) -> AnswerValue | None:
        records = [r for r in (g.record() for g in self.records()) if r]
        return records or None

    def main_input(self) -> Widget:
        groups = self.records()
        return next(iter(groups[0].fields.values())) if groups else self.query_one(".records--add")

    def swap(self, first: int, second: int) -> None:
        groups = self.records()
        one, two = groups[first], groups[second]
        for key in one.fields:
            one.fields[key].value, two.fields[key].value = two.fields[key].value, one.fields[key].value
        one.extra, two.extra = two.extra, one.extra
        focused = self.screen.focused
        key = next((k for k, i in one.fields.items() if i is focused), next(iter(one.fields)))
        two.fields[key].focus()

    async def remove_row(self, index: int) -> None:
        group = self.group_list.pop(index)
        self.removed.append((index, {**group.extra, **{k: i.value for k, i in group.fields.items()}}))
        rest = self.group_list
        for number, other in enumerate(rest, 1):
            other.renumber(number)
        if index < len(rest):
            next(iter(rest[index].fields.values())).focus()
        else:
            self.query_one(".records--add").focus()
        await group.remove()
        self.show_problem(None)
        self.answer_changed()

    def add_record(self) -> None:
        limit = self.prompt.max_items
        if limit is not None and len(self.records()) >= limit:
            self.refuse(f"This holds at most {limit} {plural(self.prompt.item_label.lower())}.")
            return
        group = RecordGroup(self.prompt, len(self.group_list) + 1, {})
        self.group_list.append(group)
        self.groups.mount(group)
        self.call_after_refresh(lambda: next(iter(group.fields.values())).focus())

    @on(Button.Pressed)
    async def _button(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.has_class("records--add"):
            self.add_record()
            return
        index = self.row_of(event.button)
        if index is None:
            return
        if event.button.has_class("record-remove"):
            await self.remove_row(index)
        elif event.button.has_class("record-up") and index > 0:
            self.swap(index, index - 1)
            self.answer_changed()
        elif event.button.has_class("record-down") and index + 1 < len(self.records()):
            self.swap(index, index + 1)
            self.answer_changed()

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = [i for g in self.records() for i in g.fields.values()]
        if event.input in inputs:
            index = inputs.index(event.input)
            (inputs[index + 1] if index + 1 < len(inputs) else self.query_one(".records--add")).focus()

    @on(Input.Changed)
    def _edited(self, event: Input.Changed) -> None:
        event.stop()
        self.answer_changed()
