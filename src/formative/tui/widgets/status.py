"""The save indicator: whether your words are on disk, and exactly where."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from formative.tui.hosting import display_path, shown_path, shown_text
from formative.tui.widgets.safe_text import literal

__all__ = ["SaveStatus", "display_path"]


class SaveStatus(Static):
    """One line under the step: saved / unsaved / failed, and the answer file's path.

    A hosted participant sees the path within the workshop ('answers/ada.toml'), never
    the coach's folders. The path is worked out once; a keystroke that leaves the line
    as it was ('● Unsaved' while typing on) changes nothing, and a change repaints only
    this line (it is one line high whatever it says: no layout of the screen).
    """

    DEFAULT_CSS = """
    SaveStatus { height: 1; padding: 0 1; color: $text-muted; }
    SaveStatus.-unsaved { color: $warning; }
    SaveStatus.-warned { color: $warning; text-style: bold; }
    SaveStatus.-failed { color: $error; text-style: bold; }
    """

    def __init__(self, path: Path, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.path = path
        self._where = ""
        self._shown: tuple[str, str] | None = None

    def on_mount(self) -> None:
        self._where = shown_path(self.app, self.path)
        self.saved()

    def _show(self, mark: str, state: str) -> None:
        if self._shown == (mark, state):
            return
        self._shown = (mark, state)
        self.set_class(state == "unsaved", "-unsaved")
        self.set_class(state == "warned", "-warned")
        self.set_class(state == "failed", "-failed")
        self.update(literal(f"{mark} {self._where}"), layout=False)

    def saved(self) -> None:
        self._show("✓ Saved", "saved")

    def unsaved(self) -> None:
        self._show("● Unsaved", "unsaved")

    def warned(self, text: str) -> None:
        """Saved, with something the person should read (the notification says more)."""
        self._show(f"⚠ {text}", "warned")

    def failed(self, reason: str) -> None:
        self._show(f"✗ Not saved ({shown_text(self.app, reason)}):", "failed")
