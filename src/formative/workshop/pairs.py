"""Who works with whom on a pair or table step: drawn from the people in the room now.

- Pairs: twos, and one trio when the count is odd (never anyone alone).
- Tables (and the small groups of a whole-room step): as few tables as keep each at
  six or fewer, spread evenly: 14 people sit 5 + 5 + 4, never 6 + 4 + 4 or a 7.
- A new draw avoids earlier partners where it can: `history` holds the groups of
  earlier steps, and of this step before a re-draw. Several greedy draws in a random
  order are tried and the one with the fewest repeated meetings is kept.
- Someone arriving late joins a group that is already talking (a pair becomes a trio,
  the smallest table grows): nobody already working is moved.

Names are compared as people read them (`same_person`), so "ada" who joined over SSH
is the roster's "Ada" in every group.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import combinations
from typing import Literal

from formative.workbook.modes import MODE_LABELS
from formative.workshop.names import name_key, same_person

Groups = list[list[str]]
GroupMode = Literal["pair", "table"]
MAX_TABLE = 6
DRAWS = 48
"""Greedy draws tried per grouping; the first with no repeated meeting ends the search early."""


def mode_of(step_mode: str | None) -> GroupMode:
    """Pairs on pair steps; tables on table steps, and for the small groups of a whole-room step."""
    return "pair" if step_mode == "pair" else "table"


def group_sizes(count: int, mode: GroupMode) -> list[int]:
    """How many sit in each group, largest first; [] when fewer than two people are here."""
    if count < 2:
        return []
    if mode == "pair":
        return [3] * (count % 2) + [2] * ((count - 3 * (count % 2)) // 2)
    tables = math.ceil(count / MAX_TABLE)
    small, extra = divmod(count, tables)
    return [small + 1] * extra + [small] * (tables - extra)


def _key(name: str) -> str:
    return name_key(name).folded


def meetings(history: Iterable[Groups]) -> Counter[frozenset[str]]:
    """How often each two people have already been in one group."""
    met: Counter[frozenset[str]] = Counter()
    for groups in history:
        for group in groups:
            met.update(frozenset((_key(a), _key(b))) for a, b in combinations(group, 2))
    return met


def _draw_once(size_plan: list[int], together: list[list[int]], rng: random.Random) -> tuple[list[list[int]], int]:
    """Fill the groups one by one, each time with someone who has met the group least (ties at random).

    People are indices; together[a][b] counts earlier meetings. Returns the groups and their repeats.
    """
    pool = list(range(len(together)))
    rng.shuffle(pool)
    groups: list[list[int]] = []
    cost = 0
    for size in size_plan:
        group = [pool.pop()]
        while len(group) < size:
            scores = [sum(together[c][g] for g in group) for c in pool]
            best = min(scores)
            pick = rng.choice([n for n, score in enumerate(scores) if score == best])
            cost += best
            group.append(pool.pop(pick))
        groups.append(group)
    return groups, cost


def unique_people(names: Iterable[str]) -> list[str]:
    """Names in order, each person once (the first spelling kept)."""
    found: list[str] = []
    for name in names:
        if name.strip() and not any(same_person(name, other) for other in found):
            found.append(name)
    return found


def draw_groups(
    present: Sequence[str],
    mode: GroupMode,
    history: Iterable[Groups] = (),
    rng: random.Random | None = None,
) -> Groups:
    """Groups of the people present (never anyone who is not here), avoiding earlier partners where possible."""
    people = unique_people(present)
    sizes = group_sizes(len(people), mode)
    if not sizes:
        return []
    rng = rng or random.SystemRandom()
    met = meetings(history)
    keys = [_key(name) for name in people]
    together = [[met[frozenset((a, b))] if a != b else 0 for b in keys] for a in keys]
    best: list[list[int]] = []
    best_cost = math.inf
    for _ in range(DRAWS):
        groups, cost = _draw_once(sizes, together, rng)
        if cost < best_cost:
            best, best_cost = groups, cost
        if cost == 0:
            break
    return [[people[n] for n in group] for group in best]


def add_late(groups: Groups, name: str, history: Iterable[Groups] = (), rng: random.Random | None = None) -> Groups:
    """A new list of groups with name added to one already talking: the smallest, then the one they met least.

    With pairs that makes a trio; with tables, the smallest table grows. Unchanged when
    the person is already in a group, or when there is no group to join (the coach draws).
    """
    if not groups or group_of(groups, name) is not None:
        return [list(group) for group in groups]
    rng = rng or random.SystemRandom()
    met = meetings(history)
    smallest = min(len(group) for group in groups)
    scores = {
        n: sum(met[frozenset((_key(name), _key(other)))] for other in group)
        for n, group in enumerate(groups)
        if len(group) == smallest
    }
    least = min(scores.values())
    chosen = rng.choice([n for n, score in scores.items() if score == least])
    return [[*group, name] if n == chosen else list(group) for n, group in enumerate(groups)]


def late_arrivals(groups: Groups, present: Sequence[str]) -> list[str]:
    """People here now who are in no group (they came after the draw), in the order given."""
    return [name for name in unique_people(present) if group_of(groups, name) is None]


def group_of(groups: Groups, name: str) -> int | None:
    """The index of this person's group, or None."""
    for n, group in enumerate(groups):
        if any(same_person(name, member) for member in group):
            return n
    return None


def partners(groups: Groups, name: str) -> list[str]:
    """The others in this person's group; [] if they are not in any."""
    index = group_of(groups, name)
    if index is None:
        return []
    return [other for other in groups[index] if not same_person(other, name)]


def group_line(groups: Groups, name: str, step_mode: str | None) -> str:
    """What a participant's bar says about their group: 'Pair with Ben', 'Table 3: Ben, Cy, Dee',
    'Whole room' (the wall's WHOLE ROOM: not 'Group', which reads as a group of one's own to find).

    Table numbers are the groups' order as stored, the same order the wall shows.
    """
    index = group_of(groups, name)
    if step_mode == "pair":
        if index is None:
            return "Pair: the facilitator will pair you" if groups else "Pair"
        return "Pair with " + " and ".join(partners(groups, name))
    if step_mode == "group" and not groups:  # the whole room together (never drawn into groups)
        return MODE_LABELS["group"]
    word = "Table" if step_mode == "table" else "Group"
    if index is None:
        return f"{word}: the facilitator will seat you" if groups else word
    return f"{word} {index + 1}: " + ", ".join(partners(groups, name))
