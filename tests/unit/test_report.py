"""The workshop report and each person's copy: safe to send, readable, anonymous when asked."""

from __future__ import annotations

import random
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from formative.cli import cli
from formative.workshop.folder import Workshop, create_workshop
from formative.workshop.policy import AnonymousOrder
from formative.workshop.report import copy_names, export_participants, render_report
from formative.workshop.room import Room
from formative.workshop.room_canvas import render_room_canvas_svg
from tests.unit.fake_workshop import DOTS, PITCHES, ROOM_PATTERNS, TITLE, everyone, make_workshop, write_answers
from tests.unit.rendered import look_alike, plain, read

DAY = date(2025, 3, 13)
SVG = "{http://www.w3.org/2000/svg}"

MALLORY = "Mallory <!--"
EVE = "<script>alert('Eve')</script>"
HOSTILE_ANSWERS = {
    ("welcome", "arriving"): "<!-- everything after this is gone",
    ("networking", "image"): "# Heading\n---\n* list\n| a | b |\n|---|---|",
    ("intention", "for"): "[click](javascript:alert(1)) `code`",
    ("container", "why"): "\x1b]8;;https://evil.example\x07link\x1b]8;;\x07 \u202eesrever\u202c &amp; <b>x</b>",
    ("conversation", "topics"): ["<img src=x onerror=alert(1)>", "> quote", "1. one"],
    ("harvest", "pitch"): "<b>Vote for me</b> **now**",
    ("vote", "dots"): ["<b>Vote for me</b> **now**"] * 2,
}
CANARY = "canary: the last answer of the room's canvas"


def hostile_people(text: Callable[[str], str]) -> dict[str, dict[tuple[str, str], Any]]:
    """The eight people, two of them hostile in name and answers; text() applied to all of it."""
    people = everyone()
    hostile = {MALLORY: {**people.pop("Ada Okafor"), **HOSTILE_ANSWERS}, EVE: dict(people.pop("Ben Hartley"))}
    hostile[EVE][("feeling", "feeling")] = CANARY
    result = {}
    for name, answers in {**hostile, **people}.items():
        result[text(name)] = {key: _apply(text, value) for key, value in answers.items()}
    return result


def _apply(text: Callable[[str], str], value: Any) -> Any:
    if isinstance(value, str):
        return text(value)
    if isinstance(value, list):
        return [_apply(text, v) for v in value]
    if isinstance(value, dict):
        return {k: _apply(text, v) for k, v in value.items()}
    return value


def report(workshop: Workshop, seed: int | None = 7) -> str:
    room = Room(workshop)
    room.refresh()
    return render_report(room, today=DAY, rng=random.Random(seed) if seed is not None else None)


def same(text: str) -> str:
    return text


def test_a_hostile_name_or_answer_cannot_hide_or_change_the_report(tmp_path: Path) -> None:
    for anonymous in (False, True):
        room = ["<!-- room", "# not a heading"]
        hostile = report(
            make_workshop(tmp_path / f"h{anonymous}", hostile_people(same), anonymous=anonymous, room=room)
        )
        harmless = report(
            make_workshop(
                tmp_path / f"x{anonymous}",
                hostile_people(look_alike),
                anonymous=anonymous,
                room=[look_alike(r) for r in room],
            )
        )
        html = read(hostile)
        assert html.comments == []
        assert html.tags == read(harmless).tags
        assert not [t for t in html.tags if t.startswith(("<script", "<img", "<a ", "<table", "<hr", "<code", "<b>"))]
        text = plain(html.text)
        assert CANARY in text and text.index("The room's canvas") < text.index(CANARY)
        for expected in ["<!-- everything after this is gone", "# Heading --- * list | a | b | |---|---|", "1. one"]:
            assert expected in text
        assert "\u241b]8;;https://evil.example\u2407link" in text and "\u27e8U+202E\u27e9esrever" in text
        assert "2 votes · <b>Vote for me</b> **now**" in text
        assert "<!-- room" in text and "# not a heading" in text
        if not anonymous:
            assert MALLORY in text and EVE in text


def test_an_anonymous_report_does_not_follow_the_roster_or_the_names(tmp_path: Path) -> None:
    letters = [chr(c) for c in range(ord("A"), ord("Z") + 1)]
    people = {f"Person {c}": {("welcome", "arriving"): f"word-{c}"} for c in letters}
    workshop = make_workshop(tmp_path / "ws", people, anonymous=True, room=[])

    def order(text: str) -> list[str]:
        return re.findall(r"word-([A-Z])", text)

    first, second = report(workshop, seed=None), report(workshop, seed=None)
    assert sorted(order(first)) == letters
    assert order(first) != letters and order(second) != letters
    assert order(first) != order(second)  # the same names, another order: the names alone do not decide it
    assert "Person " not in first
    assert order(report(workshop, seed=1)) != order(report(workshop, seed=2))


def test_the_report_says_when_who_and_what_in_order(tmp_path: Path) -> None:
    text = report(make_workshop(tmp_path / "ws"))
    assert text.startswith(f"# {TITLE}\n")
    head = text[: text.index("\n## ", text.index("## Who took part") + 1)]
    assert "13 March 2025" in head and "Community design workshop" in head
    assert "8 people" in head
    for name in everyone():
        assert name in head
    assert "Room" not in head


def test_an_anonymous_report_gives_the_count_not_the_names(tmp_path: Path) -> None:
    text = report(make_workshop(tmp_path / "ws", anonymous=True))
    assert "8 people took part" in text
    for name in everyone():
        assert name not in text


def test_scales_are_a_labelled_tally_not_bare_numbers(tmp_path: Path) -> None:
    text = report(make_workshop(tmp_path / "ws"))
    section = text[text.index("The word 'networking' makes me feel…") :]
    section = section[: section.index("\n\n**")]
    # networking.feel: 1, 1, 2, 2, 2, 3, 3, 4
    assert "- 1 of 5 (drained) — 2 people" in section
    assert "- 2 of 5 — 3 people" in section
    assert "- 4 of 5 — 1 person" in section
    assert "- 5 of 5 (energised) — nobody" in section
    assert not re.search(r"^> ?\d+$", text, re.MULTILINE)


def test_choices_and_votes_are_tallies(tmp_path: Path) -> None:
    text = report(make_workshop(tmp_path / "ws"))
    assert "- 5 to 15 — 4 people" in text and "- Fewer than 5 — 2 people" in text
    assert "- More than 50 — nobody" in text
    chiara = PITCHES["Chiara Rossi"]
    assert f"- 8 votes · {chiara}" in text
    assert text.index(f"8 votes · {chiara}") < text.index(f"1 vote · {PITCHES['李小龙']}")


def test_answers_are_a_list_with_prose_hanging_under_its_bullet(tmp_path: Path) -> None:
    text = report(make_workshop(tmp_path / "ws"))
    assert "- **Ada Okafor:** curious\n" in text
    assert (
        "- People in the middle of a career change.\\\n"
        "  Not coaches, not people who have it figured out.\\\n"
        "  \\\n"
        "  People who are still deciding.\n"
    ) in text


def test_captured_room_answers_are_items_and_room_is_not_a_person(tmp_path: Path) -> None:
    text = report(make_workshop(tmp_path / "ws"))
    section = text[text.index("## What we notice") :]
    for pattern in ROOM_PATTERNS:
        assert f"- {pattern}\n" in section
    assert ", ".join(ROOM_PATTERNS) not in text
    assert "**Room:**" not in text


def test_the_canvas_shows_only_cells_with_answers(tmp_path: Path) -> None:
    people = {"Ada": {("intention", "for"): "Growing in my current role", ("feeling", "feeling"): "braver"}}
    text = report(make_workshop(tmp_path / "ws", people, room=[]))
    canvas = text[text.index("## The room's canvas") :]
    assert "### Container" in canvas and "### Community" in canvas
    assert "### Construct" not in canvas and "### Conversation" not in canvas
    assert "- braver" in canvas and "- Growing in my current role — 1 person" in canvas
    empty = report(make_workshop(tmp_path / "empty", {"Ada": {("welcome", "arriving"): "hi"}}, room=[]))
    assert "The room's canvas" not in empty


def test_each_persons_copy_holds_only_their_answers(tmp_path: Path) -> None:
    workshop = make_workshop(tmp_path / "ws")
    room = Room(workshop)
    room.refresh()
    written = export_participants(room, tmp_path / "each", today=DAY)
    names = sorted(p.name for p in written)
    assert names == sorted(
        [
            "ada-okafor.md",
            "ben-hartley.md",
            "chiara-rossi.md",
            "dmitri-ivanov.md",
            "esi-mensah.md",
            "farah-haddad.md",
            "zoe-lindqvist.md",
            "person-1.md",
        ]
    )
    assert all(name.isascii() for name in names)
    assert not (tmp_path / "each" / "room.md").exists()
    ada = (tmp_path / "each" / "ada-okafor.md").read_text(encoding="utf-8")
    assert "_Not answered._" not in ada
    assert "only what you answered" in ada.split("\n## ")[0]
    assert f"- 2 × {PITCHES['Chiara Rossi']}" in ada
    assert ada.count(PITCHES["Chiara Rossi"]) == 1 and len(DOTS["Ada Okafor"]) == 3
    assert "Ada Okafor" in ada.splitlines()[0]
    li = (tmp_path / "each" / "person-1.md").read_text(encoding="utf-8")
    assert "李小龙" in li.splitlines()[0]


def test_names_cannot_make_files_outside_the_folder(tmp_path: Path) -> None:
    people = {
        "../../evil": {("welcome", "arriving"): "x"},
        "/etc/passwd": {("welcome", "arriving"): "y"},
        "Zoë": {("welcome", "arriving"): "z"},
        "zoe": {("welcome", "arriving"): "w"},
        "": {("welcome", "arriving"): "v"},
    }
    workshop = make_workshop(tmp_path / "ws", people, room=[])
    room = Room(workshop)
    room.refresh()
    folder = tmp_path / "each"
    written = export_participants(room, folder, today=DAY)
    assert len(written) == len(people) and len(set(written)) == len(written)
    assert all(p.parent == folder and p.name.isascii() and not p.name.startswith(".") for p in written)
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in written)


def test_cli_writes_the_report_with_the_given_date(tmp_path: Path) -> None:
    workshop = make_workshop(tmp_path / "ws")
    out = tmp_path / "report.md"
    each = tmp_path / "each"
    args = ["export", str(workshop.folder), "-o", str(out), "--date", "2025-03-13", "--participants", str(each)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "13 March 2025" in out.read_text(encoding="utf-8")
    assert len(list(each.glob("*.md"))) == 8


def test_cli_svg_of_a_workshop_is_the_rooms_canvas(tmp_path: Path) -> None:
    workshop = make_workshop(tmp_path / "ws", hostile_people(same), anonymous=False)
    out = tmp_path / "canvas.svg"
    result = CliRunner().invoke(cli, ["export", str(workshop.folder), "--format", "svg", "-o", str(out)])
    assert result.exit_code == 0, result.output
    svg = out.read_text(encoding="utf-8")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    allowed = {f"{SVG}{tag}" for tag in ("svg", "title", "rect", "text", "line", "clipPath")}
    assert {element.tag for element in root.iter()} <= allowed
    shown = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    for title in ("Container", "Construct", "Conversation", "Community"):
        assert title in shown
    for name in ("Chiara Rossi", "Dmitri", "Zoë", "李小龙", "Mallory", "alert('Eve')"):
        assert name not in shown, name
    assert "Once a month" in shown


def test_hostile_answers_show_as_text_on_the_rooms_canvas(tmp_path: Path) -> None:
    people = hostile_people(same)
    people = {name: people[name] for name in (MALLORY, EVE)}
    workshop = make_workshop(tmp_path / "ws", people, room=[])
    room = Room(workshop)
    room.refresh()
    svg = render_room_canvas_svg(room, today=DAY, rng=random.Random(3))
    root = ET.fromstring(svg)
    shown = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    assert "<img src=x onerror=alert(1)>" in shown and CANARY in shown
    assert "\u241b]8;;https://evil.example\u2407link" in shown and "\u27e8U+202E\u27e9esrever" in shown
    assert "13 March 2025" in shown and TITLE in shown
    assert "Mallory" not in shown and "alert('Eve')" not in shown


def test_cli_svg_of_a_workshop_without_a_canvas_refuses(tmp_path: Path) -> None:
    from formative.workbook.starter import starter_workbook

    book = tmp_path / "plain.toml"
    book.write_text(starter_workbook("plain", "Plain"), encoding="utf-8")
    create_workshop(tmp_path / "ws", str(book), None, ["Ada"])
    write_answers(Workshop.open(tmp_path / "ws"), "Ada", {("welcome", "name"): "Circle"})
    out = tmp_path / "canvas.svg"
    result = CliRunner().invoke(cli, ["export", str(tmp_path / "ws"), "--format", "svg", "-o", str(out)])
    assert result.exit_code == 1
    assert "has no canvas" in result.output and "--format md" in result.output
    assert "Traceback" not in result.output and not out.exists()


def test_copy_names_are_ascii_distinct_and_never_paths() -> None:
    names = ["Zoë", "zoe", "李小龙", "Søren Kierkegård", "王", "../..", "CON", "Person 1", "Ærø"]
    assert copy_names(names) == [
        "zoe.md",
        "zoe-2.md",
        "person-1.md",
        "soren-kierkegard.md",
        "person-2.md",
        "person-3.md",
        "con-1.md",
        "person-1-2.md",
        "aero.md",
    ]


def test_a_blank_name_reads_as_no_name(tmp_path: Path) -> None:
    workshop = make_workshop(tmp_path / "ws", {"Ada": {("welcome", "arriving"): "fine"}}, room=[])
    path = workshop.answers_dir / "blank.toml"
    path.write_text(
        '[formative]\nworkbook = "community-design-workshop"\nperson = "  "\n\n[answers.welcome]\narriving = "hi"\n'
    )
    text = report(workshop)
    assert "2 people: Ada, (no name)." in text and "- **(no name):** hi" in text


def test_everyones_answers_fit_on_the_rooms_canvas_and_long_ones_are_cut(tmp_path: Path) -> None:
    people = everyone()
    people["Esi Mensah"][("container", "why")] = "word " * 400 + "END"
    room = Room(make_workshop(tmp_path / "ws", people))
    room.refresh()
    root = ET.fromstring(render_room_canvas_svg(room, today=DAY, rng=random.Random(1)))
    shown = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    for name, answers in people.items():
        if name != "Esi Mensah":
            assert " ".join(answers[("container", "why")].split()) in shown
    assert "word word …" in shown and "END" not in shown and "more" not in shown
    assert "Once a month — 4 people" in shown and "1 (drained)" not in shown  # no scale in this canvas


def test_the_rooms_canvas_lists_text_answers_in_the_room_policys_anonymous_order(tmp_path: Path) -> None:
    """The canvas draws its order from the room's policy (AnonymousOrder), as the report and the
    wall do: a random key per (step, prompt, person), never the roster's order nor the names'."""
    names = [f"Person {letter}" for letter in "ABCDEFGHIJKL"]
    workshop = make_workshop(tmp_path / "ws", {n: {("feeling", "feeling"): f"feeling of {n}"} for n in names}, room=[])
    room = Room(workshop)
    room.refresh()

    def canvas_order(seed: int) -> list[str]:
        root = ET.fromstring(render_room_canvas_svg(room, today=DAY, rng=random.Random(seed)))
        shown = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
        return sorted(names, key=lambda name: shown.index(f"feeling of {name}"))

    def policy_order(seed: int) -> list[str]:
        order = AnonymousOrder(random.Random(seed))  # keys drawn person by person, in the room's order
        keyed = {p.name: order.key("feeling", "feeling", p.path.name) for p in room.participants}
        return sorted(names, key=keyed.__getitem__)

    assert canvas_order(1) == policy_order(1) and canvas_order(2) == policy_order(2)
    assert canvas_order(1) != canvas_order(2) and names not in (canvas_order(1), canvas_order(2))
