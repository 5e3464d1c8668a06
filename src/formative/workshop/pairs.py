"""Who works with whom on a pair or group step."""

from __future__ import annotations

import random


def make_groups(names: list[str], size: int = 2, seed: int | None = None) -> list[list[str]]:
    """Split names into groups of `size`; leftovers join the last group (a trio, never a solo).

    A seed makes the shuffle repeatable; the facilitator reshuffles with a new one.
    """
    people = list(dict.fromkeys(names))
    random.Random(seed).shuffle(people)
    groups = [people[i : i + size] for i in range(0, len(people), size)]
    if len(groups) > 1 and len(groups[-1]) < size:
        groups[-2].extend(groups.pop())
    return groups


def partners(groups: list[list[str]], name: str) -> list[str]:
    """The others in this person's group; [] if they are not in any."""
    for group in groups:
        if name in group:
            return [other for other in group if other != name]
    return []
