"""The save indicator: whether your words are on disk, and exactly where."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from textual.reactive import var
from textual.widgets import Static

from formative.tui.hosting import display_path, shown_path, shown_text
from formative.tui.widgets.safe_text import literal

__all__ = ["SaveStatus", "display_path"]

SaveState = Literal["saved", "unsaved", "warned", "failed"]


class SaveStatus(Static):
    """One line under the step: saved / unsaved / failed, and the answer file's path.

    A hosted participant sees the path within the workshop ('answers/ada.toml'), never
    the coach's folders. The path is worked out once. What the line says is a reactive:
    a keystroke that leaves it as it was ('● Unsaved' while typing on) changes nothing,
    and a change repaints only this line (it is one line high whatever it says: no
    layout of the screen).
    """

    DEFAULT_CSS = """
    SaveStatus { height: 1; padding: 0 1; color: $text-muted; }
    SaveStatus.-unsaved { color: $warning; }
    SaveStatus.-warned { color: $warning; text-style: bold; }
    SaveStatus.-failed { color: $error; text-style: bold; }
    """

    status: var[tuple[str, SaveState] | None] = var(None)
    """(the words before the path, which state they are in); None until mounted."""

    def __init__(self, path: Path, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.path = path
        self._where = ""

    def on_mount(self) -> None:
        self._where = shown_path(self.app, self.path)
        if self.status is None:
            self.saved()

    def watch_status(self, status: tuple[str, SaveState] | None) -> None:
        if status is None:
            return
        words, state = status
        self.set_class(state == "unsaved", "-unsaved")
        self.set_class(state == "warned", "-warned")
        self.set_class(state == "failed", "-failed")
        self.update(literal(f"{words} {self._where}"), layout=False)

    def saved(self) -> None:
        self.status = ("✓ Saved", "saved")

    def unsaved(self) -> None:
        self.status = ("● Unsaved", "unsaved")

    def warned(self, text: str) -> None:
        """Saved, with something the person should read (the notification says more)."""
        self.status = (f"⚠ {text}", "warned")

    def failed(self, reason: str) -> None:
        self.status = (f"✗ Not saved ({shown_text(self.app, reason)}):", "failed")
