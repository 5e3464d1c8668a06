"""Themes: the projector theme, high contrast for a wall in a bright room."""

from __future__ import annotations

from textual.theme import Theme

PROJECTOR = Theme(
    name="projector",
    primary="#FFD21F",
    secondary="#5FD7FF",
    accent="#FFD21F",
    warning="#FFAF00",
    error="#FF5F5F",
    success="#5FFF87",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#262626",
    dark=True,
    luminosity_spread=0.1,
    text_alpha=1.0,
)
"""White on black with bright accents: survives washed-out projectors and zoomed fonts."""
