"""The facilitator's keys, for the coach (the footer only has room for the common ones)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# Facilitator keys

| Key | What it does |
|---|---|
| **→** / **Ctrl+N** | next step (its timebox is set on a stopped timer) |
| **←** / **Ctrl+B** | previous step |
| **Space** | start or pause the timer |
| **+** / **-** | add a minute / take one off |
| **r** | reveal or hide the room's answers on a shared step |
| **a** | show answers with names or anonymously |
| **p** | pace: participants follow you (lead) or move freely (free) |
| **g** | new pairs or groups for this step |
| **f** | show or hide your facilitator notes (the screen is public) |
| **c** | capture: type the room's answers yourself (Enter adds one, Esc stops) |
| **x** | release a name someone took (a forgotten PIN, a lost laptop) |
| **↑ ↓ PgUp PgDn** | scroll the instructions and answers |
| **? / F1** | this help |
| **Ctrl+Q** | quit (the workshop resumes where it was next time) |

Everything you change is written to `workshop.toml` at once.

Press **Escape** to close.
"""


class FacilitatorHelp(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("f1", "dismiss", "Close"),
        Binding("question_mark", "dismiss", "Close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(HELP)
