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
| **→** / **Ctrl+N** | next step (its timebox is set on a stopped timer); on the last step, End |
| **←** / **Ctrl+B** | previous step |
| **o** | the steps: jump to any of them |
| **Space** | start or pause the timer |
| **+** / **-** | add a minute / take one off |
| **r** | reveal or hide the room's answers on a shared step |
| **n** | this step's answers on the wall with names, or anonymous (the default) |
| **j** | show or hide how to join (while `serve ssh` or `serve web` runs) |
| **P** | show the passcode on the wall for 30 seconds (P again hides it) |
| **p** | pace: participants follow you (lead) or move freely (free) |
| **g** | new pairs or groups for this step |
| **f** | your facilitator notes, on this screen only (never on the mirror) |
| **c** | capture: type the room's answers yourself (Enter adds one, Esc stops) |
| **x** | release a name someone took (a forgotten PIN, a lost laptop) |
| **e** | End: write the report and each person's copy into the workshop folder |
| **↑ ↓ PgUp PgDn** | scroll the instructions and answers |
| **? / F1** | this help |
| **Ctrl+Q** | quit (the workshop resumes where it was next time) |

Everything you change is written to `workshop.toml` at once.

**The roster:** ✓ answered this step · • here · ○ gone (left, or their app stopped) ·
· not come yet · + not on the roster; a number is the step someone is on when it is
not the room's.

**Two screens:** keep this one on your laptop and run `formative project FOLDER` on
the projector: the wall follows you and never shows your notes.

**Terminal size:** 100×30 shows a room of 30 with its roster; 160×45 a room of 60.
A zoomed projector font down to 60×20 still works (the roster then scrolls).

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
