"""The keys line at the bottom of a screen, rebuilt only when the keys it shows change."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


def keys_shown(screen: Screen[Any]) -> tuple[tuple[object, ...], ...]:
    """What Textual's Footer draws from a screen's bindings: each shown key, its words, and whether it works now."""
    return tuple(
        (binding.key, binding.action, binding.description, binding.key_display, binding.group, enabled, tooltip)
        for _node, binding, enabled, tooltip in screen.active_bindings.values()
        if binding.show or binding.action == "command_palette"
    )


class KeyFooter(Footer):
    """Textual's Footer, without rebuilding itself when nothing it shows has changed.

    The Footer makes a widget per key afresh, each styled from the whole stylesheet, whenever
    a screen's bindings might have changed: each focus move, each new step. On the step screen
    the keys shown hardly ever change, and those rebuilds were a quarter of the CPU a hosted
    participant's app spent building its step screen, and a cost on every Tab.
    """

    def __init__(self) -> None:
        super().__init__()
        self._shown: tuple[tuple[object, ...], ...] | None = None

    def bindings_changed(self, screen: Screen[Any]) -> None:
        shown = keys_shown(screen)
        if shown == self._shown:
            return
        super().bindings_changed(screen)
        if screen.app.app_focus and self.is_attached and screen is self.screen:  # when the Footer rebuilds
            self._shown = shown
