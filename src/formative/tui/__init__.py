"""The Textual user interface. Only this package and `serve` import Textual."""

THEMES = {"default": "textual-dark", "light": "textual-light", "projector": "projector"}
"""Names accepted by --theme, mapped to Textual theme names (kept here so the CLI needs no Textual)."""
