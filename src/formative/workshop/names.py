"""People's names in a hosted room: how they are cleaned, and when two names are one person.

A stranger may name themselves anything, so two rules decide "same person":
- case-insensitively, after NFKC: "ada" over SSH is "Ada" on the roster;
- by look: "Cаrol" (with a Cyrillic а) or "CaroI" (capital i) look like "Carol" on a
  projector, so they are the same name. Lookalike characters are folded with the
  Unicode confusables data that confusable-homoglyphs ships (TR39), one character at a
  time, to one representative per group of lookalikes.
"""

from __future__ import annotations

import string
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from formative.text import without_format_characters

MAX_NAME = 60
"""Longest name kept, in characters: enough for any real name, short enough for a roster column."""

GENERIC_NAMES = frozenset(
    {
        "",
        "guest",
        "workshop",
        "join",
        "formative",
        "participant",
        "anonymous",
        "user",
        "root",
        "admin",
        "ubuntu",
        "room",
    }
)
"""Names that say nothing about who is typing (as SSH user names): ask for a name instead.

"Room" is the facilitator's own file of answers captured for the room: never a person."""


def clean_name(raw: str) -> str:
    """A display name: NFKC, no control or format characters (bidi overrides, zero-width), one space between words."""
    text = without_format_characters(unicodedata.normalize("NFKC", raw))
    return " ".join(text.split())[:MAX_NAME].strip()


def is_generic(name: str) -> bool:
    return clean_name(name).casefold() in GENERIC_NAMES


def _priority(char: str) -> tuple[int, str]:
    """Which member stands for a group of lookalikes: a lower-case ASCII letter, then a digit, …"""
    if char in string.ascii_lowercase:
        return (0, char)
    if char in string.digits:
        return (1, char)
    if char in string.ascii_uppercase:
        return (2, char)
    if char in string.printable:
        return (3, char)
    return (4, char)


@cache
def _lookalikes() -> dict[str, str]:
    """Every character that has lookalikes, mapped to its group's representative (built once)."""
    from confusable_homoglyphs.confusables import confusables_data

    parent: dict[str, str] = {}

    def find(char: str) -> str:
        root = parent.setdefault(char, char)
        while root != parent[root]:
            root = parent[root]
        parent[char] = root
        return root

    for char, homoglyphs in confusables_data.items():
        for entry in homoglyphs:
            other = entry["c"].replace("\u200e", "")  # the data wraps right-to-left letters in LRM marks
            if len(char) == 1 and len(other) == 1:
                parent[find(char)] = find(other)
    groups: dict[str, list[str]] = {}
    for char in list(parent):
        groups.setdefault(find(char), []).append(char)
    return {char: min(group, key=_priority) for group in groups.values() for char in group}


def _fold(text: str) -> str:
    table = _lookalikes()
    return "".join(table.get(char, char) for char in text)


@dataclass(frozen=True)
class NameKey:
    """Two ways to compare a name; two names are one person when either matches."""

    folded: str
    """Case-insensitive: NFKC, casefold, lookalikes folded ('Ada' = 'ada' = 'Аda')."""
    shape: str
    """Case kept, lookalikes folded: catches 'CaroI' (capital i) for 'Carol'."""


@lru_cache(maxsize=1024)
def name_key(name: str) -> NameKey:
    """Cached: the coach's roster compares every name with every other on each change (30 people: 1,300 pairs).
    Bounded, as a server also meets the names of strangers who try to log in."""
    text = "".join(clean_name(name).split())
    return NameKey(folded=_fold(text.casefold()), shape=_fold(text))


def same_person(a: str, b: str) -> bool:
    """Whether two names would read as the same person on the roster or the wall."""
    first, second = name_key(a), name_key(b)
    return first.folded == second.folded or first.shape == second.shape


def roster_spelling(name: str, roster: list[str]) -> str:
    """The roster's spelling of this person's name ('ada' over SSH becomes 'Ada'), else the name as given."""
    return next((listed for listed in roster if same_person(listed, name)), clean_name(name))
