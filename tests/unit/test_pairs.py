"""Pairs and tables: drawn from the people present, trios not solos, even tables, new partners, late arrivals."""

from __future__ import annotations

import random
import time
from itertools import combinations
from pathlib import Path

import pytest

from formative.workbook.model import Step
from formative.workshop.facilitation import enter_step, reshuffle, seat_latecomers
from formative.workshop.folder import Workshop, create_workshop
from formative.workshop.model import State
from formative.workshop.pairs import (
    Groups,
    add_late,
    group_line,
    group_sizes,
    late_arrivals,
    partners,
)
from formative.workshop.participant import bar_line
from formative.workshop.presence import Beacon, read_presence
from formative.workshop.room import Room
from formative.workshop.roster import present_names, roster_rows
from tests.unit.fake_workshop import write_answers

PEOPLE = ["Ada", "Ben", "Cy", "Dee", "Ed", "Flo", "Gus", "Hal"]


def pair_step(step_id: str, mode: str = "pair") -> Step:
    return Step.model_validate({"id": step_id, "title": step_id, "mode": mode})


def everyone(groups: Groups) -> list[str]:
    return sorted(name for group in groups for name in group)


def met(groups: Groups) -> set[frozenset[str]]:
    return {frozenset(pair) for group in groups for pair in combinations(group, 2)}


@pytest.mark.parametrize(
    ("count", "pairs", "tables"),
    [
        (0, [], []),
        (1, [], []),
        (2, [2], [2]),
        (3, [3], [3]),
        (5, [3, 2], [5]),
        (8, [2, 2, 2, 2], [4, 4]),
        (13, [3, 2, 2, 2, 2, 2], [5, 4, 4]),
        (14, [2] * 7, [5, 5, 4]),
        (30, [2] * 15, [6] * 5),
        (31, [3] + [2] * 14, [6, 5, 5, 5, 5, 5]),
    ],
)
def test_group_sizes_odd_makes_a_trio_and_tables_spread_evenly(count: int, pairs: list[int], tables: list[int]) -> None:
    assert group_sizes(count, "pair") == pairs
    assert group_sizes(count, "table") == tables
    assert max(group_sizes(count, "table"), default=0) <= 6


def test_absentees_are_never_paired(tmp_path: Path) -> None:
    """Five on the roster, three came (one of them not on the roster): pairs are drawn from those here."""
    create_workshop(tmp_path / "ws", "community-design-workshop", "Room", ["Ada", "Ben", "Cy", "Dmitri", "Esi"])
    workshop = Workshop.open(tmp_path / "ws")
    for name in ("Ada", "Ben", "Zed"):
        path = write_answers(workshop, name, {("welcome", "arriving"): "here"})
        Beacon(workshop.answers_dir, path, name).arrive("welcome")
    write_answers(workshop, "Cy", {("welcome", "arriving"): "came and went"})  # an answer file, no presence
    room = Room(workshop)
    room.refresh()
    welcome = workshop.workbook.steps[0]
    here = present_names(roster_rows(room, read_presence(workshop.answers_dir), welcome, time.time()))
    assert sorted(here) == ["Ada", "Ben", "Zed"]
    pair = next(s for s in workshop.workbook.steps if s.mode == "pair")
    state = enter_step(workshop.state, pair, here, random.Random(3))
    assert len(state.pairs[pair.id]) == 1
    assert everyone(state.pairs[pair.id]) == ["Ada", "Ben", "Zed"], "one trio of the three here"


def test_one_person_here_gets_no_group_and_the_room_is_never_paired() -> None:
    assert enter_step(State(), pair_step("p"), ["Ada"]).pairs == {}
    assert everyone(enter_step(State(), pair_step("p"), ["Ada", "Room", "Ben"]).pairs["p"]) == ["Ada", "Ben"]


@pytest.mark.parametrize("seed", range(8))
def test_new_draws_avoid_earlier_partners(seed: int) -> None:
    """Eight people, three pair steps in a row: nobody meets the same partner twice."""
    rng = random.Random(seed)
    state = State()
    seen: set[frozenset[str]] = set()
    for step_id in ("first", "second", "third"):
        state = enter_step(state, pair_step(step_id), PEOPLE, rng)
        groups = state.pairs[step_id]
        assert everyone(groups) == sorted(PEOPLE)
        assert not met(groups) & seen, f"{step_id} repeats a pair: {groups}"
        seen |= met(groups)


@pytest.mark.parametrize("seed", range(5))
def test_a_redraw_avoids_the_pairs_just_announced_and_earlier_ones(seed: int) -> None:
    rng = random.Random(seed)
    state = enter_step(State(), pair_step("first"), PEOPLE, rng)
    state = enter_step(state, pair_step("second"), PEOPLE, rng)
    before = met(state.pairs["first"]) | met(state.pairs["second"])
    again = reshuffle(state, pair_step("second"), PEOPLE, rng)
    assert not met(again.pairs["second"]) & before
    assert again.pairs["first"] == state.pairs["first"], "other steps' groups stay as announced"


def test_tables_avoid_earlier_tablemates_where_they_can() -> None:
    people = [f"P{n:02d}" for n in range(12)]
    rng = random.Random(4)
    first = enter_step(State(), pair_step("t1", "table"), people, rng)
    second = enter_step(first, pair_step("t2", "table"), people, rng)
    assert [len(t) for t in second.pairs["t2"]] == [6, 6]
    repeats = met(first.pairs["t1"]) & met(second.pairs["t2"])
    assert len(repeats) <= 12, "two tables of six after two tables of six: at best 12 pairs meet again"


def test_a_late_arrival_makes_a_pair_a_trio_and_moves_nobody() -> None:
    groups = [["Ada", "Ben"], ["Cy", "Dee"], ["Ed", "Flo", "Gus"]]
    after = add_late(groups, "Hal", rng=random.Random(1))
    assert sorted(len(g) for g in after) == [2, 3, 3]
    (joined,) = [g for g in after if "Hal" in g]
    assert joined[:2] in (["Ada", "Ben"], ["Cy", "Dee"]), "Hal joins a pair, not the trio"
    for group in groups:
        assert any(set(group) <= set(new) for new in after), "someone already talking was moved"
    assert add_late(after, "hal") == after, "already seated (names match as people read them)"
    assert add_late([], "Hal") == [], "no group to join: the coach draws"


def test_a_late_arrival_sits_at_the_smallest_table_preferring_new_faces() -> None:
    tables = [["A", "B", "C", "D", "E"], ["F", "G", "H", "I", "J"], ["K", "L", "M", "N"]]
    assert add_late(tables, "O")[2] == ["K", "L", "M", "N", "O"]
    even = [["A", "B"], ["C", "D"]]
    history = [[["E", "A"], ["B", "C"]]]
    assert add_late(even, "E", history, random.Random(0)) == [["A", "B"], ["C", "D", "E"]], "E sat with A before"


def test_seat_latecomers_says_what_changed() -> None:
    step = pair_step("p")
    state = enter_step(State(), step, ["Ada", "Ben"], random.Random(0))
    assert seat_latecomers(state, step, ["Ada", "Ben"]) is state, "nobody new: nothing to write"
    assert late_arrivals(state.pairs["p"], ["Ada", "Ben", "Cy"]) == ["Cy"]
    after = seat_latecomers(state, step, ["Ada", "Ben", "Cy"], random.Random(0))
    assert len(after.pairs["p"]) == 1 and after.pairs["p"][0][-1] == "Cy", "Cy joins the pair: a trio"
    alone = enter_step(State(), step, ["Ada"])
    assert "p" not in alone.pairs
    drawn = seat_latecomers(alone, step, ["Ada", "Ben"], random.Random(0))
    assert everyone(drawn.pairs["p"]) == ["Ada", "Ben"], "the second person makes the first pair"
    assert seat_latecomers(State(), pair_step("s", "solo"), ["Ada", "Ben"]).pairs == {}


def test_what_each_participant_reads_is_what_was_stored() -> None:
    pairs = [["Ada", "Ben"], ["Cy", "Dee", "Ed"]]
    assert group_line(pairs, "Ada", "pair") == "Pair with Ben"
    assert group_line(pairs, "ed", "pair") == "Pair with Cy and Dee"
    assert group_line(pairs, "Zed", "pair") == "Pair: the facilitator will pair you"
    tables = [["Ada", "Ben", "Cy", "Dee"], ["Ed", "Flo", "Gus", "Hal"], ["Ian", "Jo", "Kit", "Lu"]]
    assert group_line(tables, "Ian", "table") == "Table 3: Jo, Kit, Lu"
    assert group_line([], "Ian", "table") == "Table"
    assert group_line([], "Ian", "group") == "Whole room", "as the wall says WHOLE ROOM: no group to look for"
    assert partners(tables, "ADA") == ["Ben", "Cy", "Dee"]
    state = State(step="talk", pairs={"talk": tables})
    assert (
        bar_line(state, pair_step("talk", "table"), "Jo", 0.0)[0]
        == "Following the facilitator  ·  Table 3: Ian, Kit, Lu"
    )
