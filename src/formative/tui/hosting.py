"""How the app behaves for a hosted participant (FormativeApp(hosted=True)), for widgets and screens.

Widgets ask here rather than importing the app, which imports them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App

from formative.workshop.hosted import redact_paths, relative_path

NO_EDITOR = "There is no outside editor when you join a workshop: type your answer here."
NOT_HERE = "Not available when you join a workshop: the coach sends everyone their answers afterwards."


def display_path(path: Path) -> str:
    """The path as a person would type it: '~/…' under the home folder."""
    try:
        return "~/" + str(path.resolve().relative_to(Path.home().resolve()))
    except ValueError:
        return str(path)


def hosted_root(app: App[Any]) -> Path | None:
    """The folder a hosted participant's paths are shown relative to; None when the app is not hosted."""
    root = getattr(app, "hosted_root", None)
    return root if isinstance(root, Path) else None


def is_hosted(app: App[Any]) -> bool:
    return hosted_root(app) is not None


def shown_path(app: App[Any], path: Path) -> str:
    """A path as this app may show it: '~/…' for a person at their own computer, 'answers/…' when hosted."""
    root = hosted_root(app)
    return display_path(path) if root is None else relative_path(path, root)


def shown_text(app: App[Any], text: str) -> str:
    """A message (an error, say) as this app may show it: no server paths when hosted."""
    root = hosted_root(app)
    return text if root is None else redact_paths(text, root)
