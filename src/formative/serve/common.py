"""What every hosted participant gets, whichever door (SSH or web) they came in by.

A hosted participant is a stranger on the coach's machine, so their app starts with an
environment built from an allow-list, never a copy of the server's: HOME, PATH, SSH
agent sockets, tokens and TEXTUAL_* debugging switches stay with the coach.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from formative.workshop.names import MAX_NAME, clean_name, is_generic

__all__ = ["MAX_NAME", "clean_name", "participant_env", "participant_name"]

WORKSHOP_WORKBOOK = "community-design-workshop"
"""The workbook the fork server loads ahead of time (most workshops use it)."""

ALLOWED_FROM_SERVER = ("LANG", "LANGUAGE")
"""Server variables a participant's app may see: how text is encoded, nothing about the coach."""


def participant_name(user_name: str) -> str | None:
    """The participant named by an SSH user name, or None when it is generic and we must ask."""
    return None if is_generic(user_name) else clean_name(user_name)


def clean_term(term: str | None) -> str:
    """The client's TERM when it looks like a terminal name, else xterm-256color."""
    if term and len(term) <= 64 and all(c.isalnum() or c in "-_.+" for c in term):
        return term
    return "xterm-256color"


def participant_env(term: str | None, server_env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The app's whole environment: TERM, COLORTERM and the server's locale (LANG, LC_*), nothing else.

    ssh forwards TERM but not COLORTERM, so without it every participant would get
    256 colours; modern terminals all do true colour.
    """
    server_env = os.environ if server_env is None else server_env
    env = {
        name: value
        for name, value in server_env.items()
        if (name in ALLOWED_FROM_SERVER or name.startswith("LC_")) and value.isprintable() and len(value) < 100
    }
    env["TERM"] = clean_term(term)
    env["COLORTERM"] = "truecolor"
    if not env.get("LANG") and not env.get("LC_ALL"):
        env["LANG"] = "C.UTF-8"
    return env


def is_allowed_variable(name: str) -> bool:
    """Whether a variable may appear in a participant's environment (tests check /proc/PID/environ with it)."""
    return name in ("TERM", "COLORTERM", *ALLOWED_FROM_SERVER) or name.startswith("LC_")
