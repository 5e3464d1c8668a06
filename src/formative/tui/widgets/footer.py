"""The key bar at the bottom of every screen, rebuilt only when the keys it shows change."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer

__all__ = ["KeyFooter"]


class KeyFooter(Footer):
    """Textual's Footer, which rebuilds its keys whenever the focus moves, here only when they differ.

    Every Tab from one answer to the next told the footer to throw its keys away and mount
    them again, though they were the same keys: a third of the CPU of a Tab on the step
    screen (and of the tests that Tab through it). The keys it shows (and the palette's),
    whether each is enabled and its tooltip are compared with those last shown; the rest is
    Footer's own.
    """

    _shown: tuple[Any, ...] | None = None

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if screen.app.app_focus and self.is_attached and screen is self.screen:  # when Footer rebuilds
            palette = screen.app.COMMAND_PALETTE_BINDING
            shown = tuple(
                (key, binding, enabled, tooltip)
                for key, (_, binding, enabled, tooltip) in screen.active_bindings.items()
                if binding.show or key == palette
            )
            if shown == self._shown:
                return
            self._shown = shown
        super().bindings_changed(screen)
