"""The workshop file, `workshop.toml`: what the workshop is, and the facilitator's live state.

Only the facilitator's app writes this file; participants read it to follow the pace.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

WORKSHOP_FILE = "workshop.toml"
ANSWERS_FOLDER = "answers"
STATE_FOLDER = ".formative"
"""The server's own files (the SSH host key): private, and never committed."""

Pace = Literal["lead", "free"]


class StrictState(BaseModel):
    """What workshop.toml holds: unknown keys refused (a typo must not be dropped silently)."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


class RoomTimer(StrictState):
    """A countdown the whole room sees. Running: ends_at is set; paused: remaining is kept."""

    seconds: int = Field(default=0, ge=0)
    """The length the timer was set to, in seconds."""
    ends_at: float | None = None
    """While running: when it reaches zero, as Unix time (the room shares one machine's clock)."""
    remaining: float = Field(default=0, ge=0)
    """While paused or stopped: the seconds left."""


class State(StrictState):
    """What the facilitator is doing right now."""

    step: str | None = None
    """The step the room is on (a step id of the workbook)."""
    pace: Pace = "lead"
    """'lead': participants follow the facilitator's step; 'free': everyone moves on their own."""
    anonymous: bool = True
    """The room's default: shared answers go on the wall without names (a step may ask for names)."""
    names: dict[str, bool] = Field(default_factory=dict)
    """The coach's choice per step, over the workbook's and the default: step id -> show names."""
    revealed: list[str] = Field(default_factory=list)
    """Shared steps whose answers are shown on the projector."""
    timer: RoomTimer = Field(default_factory=RoomTimer)
    """The countdown for the current step."""
    pairs: dict[str, list[list[str]]] = Field(default_factory=dict)
    """For pair and group steps: step id -> groups of participant names."""
    notes_visible: bool = False
    """Whether facilitator notes are on screen (the screen may be projected)."""
    ended: float | None = None
    """When the coach ended the workshop (Unix time); participants are then told where their copy is."""
    join: bool | None = None
    """Whether the wall shows how to join while a server runs; unset: on the first step only."""
    passcode_until: float | None = None
    """The wall shows the passcode until this time (Unix time); the passcode itself is never in this file."""


class WorkshopInfo(StrictState):
    format: Literal[1] = 1
    """The workshop file format version."""
    title: str = Field(min_length=1)
    """What the room sees at the top of the projector."""
    workbook: str = Field(min_length=1)
    """A bundled workbook id, or a path to a workbook file relative to this folder."""


class WorkshopFile(StrictState):
    """All of workshop.toml."""

    workshop: WorkshopInfo
    """What the workshop is."""
    roster: list[str] = Field(default_factory=list)
    """The people expected (anyone may still join under another name)."""
    keys: dict[str, list[str]] = Field(default_factory=dict)
    """SSH public keys by name ('Ada = ["ssh-ed25519 AAAA… ada@laptop"]'): only these keys may be that person."""
    state: State = Field(default_factory=State)
    """The facilitator's live state; written only by the facilitator's app."""
