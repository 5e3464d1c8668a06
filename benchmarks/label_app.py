"""The reference app for SSH benchmarks: one label and one input, forked by the same fork server.

Not a benchmark (no main): ssh_load.py serves it through `ZygoteSpawner(app=...)`, so
its first screen, echo and memory show what the SSH server and Textual cost anyway.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from textual.app import App, ComposeResult
from textual.widgets import Input, Label


class LabelApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Label("Step 1 of 1 (reference)")
        yield Input()


def run(workshop_dir: Path, name: str, *, log: TextIO) -> int:
    LabelApp().run()
    return 0
