"""Help: the keys, and where answers are kept."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# Formative keys

| Key | What it does |
|---|---|
| **Tab** / **Shift+Tab** | move between answers |
| **Ctrl+N** | next step (checks required answers first) |
| **Ctrl+B** | previous step |
| **Ctrl+O** | outline: jump to any step |
| **Ctrl+R** | review every answer |
| **Ctrl+S** | save now (it also saves by itself) |
| **Ctrl+E** | in a long answer: edit it in `$VISUAL`, `$EDITOR`, else nano or vi |
| **↑ / ↓** | in a list or records: go from item to item |
| **Ctrl+D** / **Ctrl+Z** | in a list or records: remove an item / bring it back |
| **Alt+↑ / Alt+↓** | move an item in a list, records or ranking |
| **Ctrl+P** | command palette (themes, outline, export…) |
| **Ctrl+Q** | save and quit |
| **F1** | this help |
| **F2** | show or hide worked examples, where a question has one |
| **Ctrl+L** | in a new sitting: copy in what you wrote last time |
| **Ctrl+T** | history: earlier versions of this step's answers |

Your answers are saved a moment after you stop typing, on every move between steps,
and when you quit. The file is plain TOML: edit it by hand; your comments survive.
In a git repository (Formative makes one for a folder it creates), the file is
committed when you leave a step you changed and when you quit.

Press **Escape** to close.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape", "dismiss", "Close"), Binding("f1", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(HELP)
