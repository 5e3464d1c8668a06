"""'Last time (3 Sep 2026): …' above a prompt, in a new sitting of the same workbook.

It reads like the recall block (an earlier answer to another workbook, in
widgets/recall.py): muted, with a bar on the left, the answer shown literally. Ctrl+L
copies it into the empty prompt below as a starting point.
"""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.widgets import Static

from formative.answers.values import answer_lines
from formative.tui.widgets.safe_text import literal

COPY_KEY = "ctrl+l"


class LastTime(Static):
    """What the person wrote for this prompt in the sitting before, dated."""

    DEFAULT_CSS = """
    LastTime {
        height: auto;
        color: $text-muted;
        border-left: outer $secondary 50%;
        padding: 0 0 0 1;
        margin: 0 0 1 0;
    }
    """

    def __init__(self, day: str, value: Any, step_id: str, prompt_id: str) -> None:
        heading = literal(f"Last time ({day}) · {COPY_KEY} copies it in:").stylize("italic")
        super().__init__(Content("\n").join([heading, *(literal(line) for line in answer_lines(value))]))
        self.key = (step_id, prompt_id)
        self.value = value
