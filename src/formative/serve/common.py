"""What every hosted participant gets, whichever door (SSH or web) they came in by.

One function builds the participant's command line so the SSH and web servers start
the same app the same way, and it can change in one place.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from formative.workshop.names import MAX_NAME, clean_name, is_generic

__all__ = ["MAX_NAME", "clean_name", "participant_command", "participant_env", "participant_name"]

WORKSHOP_WORKBOOK = "community-design-workshop"
"""The workbook participants walk until `formative join` reads it from workshop.toml."""


def formative_executable() -> str:
    """The `formative` script beside this Python (the venv's), else whatever is on PATH."""
    beside = Path(sys.executable).with_name("formative")
    return str(beside) if beside.exists() else "formative"


def participant_command(workshop_dir: Path, name: str) -> list[str]:
    """The command line of one participant's app on the workshop in workshop_dir.

    `formative join` opens only this person's own answer file (named safely from the
    name) and follows the facilitator's pace.
    """
    return [formative_executable(), "join", str(workshop_dir), "--as", name]


def participant_name(user_name: str) -> str | None:
    """The participant named by an SSH user name, or None when it is generic and we must ask."""
    return None if is_generic(user_name) else clean_name(user_name)


def clean_term(term: str | None) -> str:
    """The client's TERM when it looks like a terminal name, else xterm-256color."""
    if term and len(term) <= 64 and all(c.isalnum() or c in "-_.+" for c in term):
        return term
    return "xterm-256color"


def participant_env(term: str | None) -> dict[str, str]:
    """The app's environment: the server's, with the client's TERM and true colour.

    ssh forwards TERM but not COLORTERM, so without it every participant would get
    256 colours; modern terminals all do true colour.
    """
    env = dict(os.environ)
    env["TERM"] = clean_term(term)
    env["COLORTERM"] = "truecolor"
    if not env.get("LANG") and not env.get("LC_ALL"):
        env["LANG"] = "C.UTF-8"
    for variable in ("TMUX", "TMUX_PANE", "SSH_AUTH_SOCK", "STY"):
        env.pop(variable, None)
    return env
