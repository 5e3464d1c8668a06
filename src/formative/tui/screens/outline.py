"""The outline: every visible step, grouped by section, to jump to any of them."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from formative.tui.widgets.safe_text import answers_text
from formative.walk import Walk


class OutlineScreen(ModalScreen[str | None]):
    """Pick a step; dismisses with its id, or None when closed."""

    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(self, walk: Walk) -> None:
        super().__init__()
        self.walk = walk

    def compose(self) -> ComposeResult:
        walk = self.walk
        options: list[Option | None] = []
        highlighted = 0
        current_section = None
        for number, step in enumerate(walk.visible_steps(), 1):
            section = walk.section_of(step)
            if section is not current_section:
                if current_section is not None:
                    options.append(None)
                heading = answers_text(walk, section.title).stylize("bold $text-muted")
                options.append(Option(heading, disabled=True))
                current_section = section
            done = "✓" if step.answer_prompts and walk.is_finished(step) else " "
            if step is walk.current:
                highlighted = len(options)
            label = Content.assemble(f"{done} {number:>2}. ", answers_text(walk, step.title))
            options.append(Option(label, id=step.id))
        with Vertical(id="outline"):
            yield Static(Content("Outline: choose a step  (Esc closes)"), classes="modal-title")
            option_list = OptionList(*options, id="outline-list")
            option_list.highlighted = highlighted
            yield option_list

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_close(self) -> None:
        self.dismiss(None)
