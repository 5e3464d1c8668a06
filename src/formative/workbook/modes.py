"""The words for a step's mode (solo, pair, table, group), in one place for every screen and page.

Each audience reads a mode in its own words: the participant's step header a hint,
the wall a big word and what to do, the facilitator pack a short label, and a group's
card on the wall a title ("Pair 3"). Change them here and every screen follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a type only: the first paint reads these words without loading pydantic
    from formative.workbook.model import Mode


@dataclass(frozen=True)
class ModeWords:
    hint: str
    """Under the participant's step title: what the mode asks of them."""
    wall: str
    """The big word on the wall and in the facilitator's outline."""
    wall_doing: str
    """Beside it on the wall: what the room does now."""
    label: str
    """In the facilitator pack's step list."""
    group: str
    """The title of one group's card on the wall ('Pair 2')."""


MODES: dict[Mode, ModeWords] = {
    "solo": ModeWords(
        hint="Solo: on your own", wall="SOLO", wall_doing="on your own, quietly", label="Solo", group="Group"
    ),
    "pair": ModeWords(
        hint="Pair: talk it through with one other person",
        wall="PAIRS",
        wall_doing="talk with your partner",
        label="Pairs",
        group="Pair",
    ),
    "table": ModeWords(
        hint="Table: with the four to six people at your table",
        wall="TABLES",
        wall_doing="in fours to sixes at your table",
        label="Tables of 4–6",
        group="Table",
    ),
    "group": ModeWords(
        hint="Whole room: all together",
        wall="WHOLE ROOM",
        wall_doing="together",
        label="Whole room",
        group="Group",
    ),
}

MODE_HINTS: dict[str, str] = {mode: words.hint for mode, words in MODES.items()}
MODE_TEXT: dict[str, tuple[str, str]] = {mode: (words.wall, words.wall_doing) for mode, words in MODES.items()}
MODE_LABELS: dict[str, str] = {mode: words.label for mode, words in MODES.items()}
GROUP_TITLE: dict[str, str] = {mode: words.group for mode, words in MODES.items()}
