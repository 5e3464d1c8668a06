"""Canvases that carry the plan (issue 13): every answer named, scales as gauges with their end
words, list items whose lines hang under the bullet, nothing cut while there is room, the
flagship's first commitments, and exports in their own folder."""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from formative.answers import AnswerStore
from formative.export.canvas_content import cell_entries, gauge, person_reader
from formative.export.canvas_svg import LINE, TEXT_SIZE, export_canvas_svg, render_canvas_svg
from formative.export.markdown import export_markdown_beside
from formative.walk import Walk
from formative.workbook.bundled import find_workbook
from formative.workbook.errors import WorkbookError
from formative.workbook.load import load_workbook, load_workbook_text
from formative.workbook.model import Scale, Workbook
from formative.workbook.starter import starter_workbook
from formative.workshop.room import Room
from formative.workshop.room_canvas import render_room_canvas_svg
from tests.unit.fake_workshop import make_workshop
from tests.unit.test_canvas_svg import GOOD, SVG, Answers, canvas_toml, texts, workbook_with_canvas


def flagship() -> Workbook:
    return load_workbook(find_workbook("formative-community"))


def test_each_answer_is_named_by_its_question_by_default() -> None:
    shown = texts(render_canvas_svg(workbook_with_canvas(), Answers(GOOD)))
    # The starter's questions, shortened of their examples, sit above their answers.
    workbook = workbook_with_canvas()
    walk = Walk(workbook, Answers(GOOD))
    for cell in workbook.canvas.cells:  # type: ignore[union-attr]
        for entry in cell_entries(cell, person_reader(walk)):
            assert entry.label
            assert entry.label in shown or any(t and entry.label.startswith(t) for t in shown)


def dots(svg: str) -> str:
    """The gauges' circles, in order: ● filled, ○ outlined."""
    root = ET.fromstring(svg)
    return "".join("○" if c.get("fill") == "#ffffff" else "●" for c in root.iter(f"{SVG}circle"))


def test_a_scale_is_a_gauge_with_its_end_words() -> None:
    svg = render_canvas_svg(workbook_with_canvas(), Answers(GOOD))
    assert dots(svg) == "●●●●○"
    assert any(t.startswith("4 of 5 (") and "…" in t for t in texts(svg))


def test_the_flagship_canvas_carries_the_commitments_under_short_labels() -> None:
    workbook = flagship()
    answers = Answers(
        {
            "welcome.name": "Supper club",
            "first-moves.commitments": ["Send Maya the invitation by Friday"],
            "first-moves.confidence": 4,
            "community.comfort": 2,
        }
    )
    svg = render_canvas_svg(workbook, answers)
    shown = texts(svg)
    for label in ("We meet so that", "Who", "First commitments", "How sure it happens", "Cosy or challenging"):
        assert label in shown
    assert "Send Maya the invitation by Friday" in shown
    assert "4 of 5 (not yet … it is in the diary)" in shown
    assert dots(svg) == "●●○○○" + "●●●●○"  # comfort (Community), then confidence (First moves)


def test_cell_labels_must_match_the_answers() -> None:
    bad = starter_workbook("demo", "Demo") + canvas_toml([("A", "a", ["welcome.name", "people.names"])])
    bad += 'labels = ["Only one"]\n'
    with pytest.raises(WorkbookError, match="one label per answer"):
        load_workbook_text(bad)


def lines_of(svg: str) -> list[tuple[float, float, str]]:
    root = ET.fromstring(svg)
    return [(float(t.get("x", 0)), float(t.get("y", 0)), "".join(t.itertext())) for t in root.iter(f"{SVG}text")]


def test_list_items_hang_under_their_text() -> None:
    long_item = "An item long enough to wrap onto a second line inside its box " * 2
    svg = render_canvas_svg(workbook_with_canvas(), Answers({**GOOD, "people.names": [long_item.strip(), "Bo"]}))
    placed = lines_of(svg)
    first = next(i for i, (_, _, t) in enumerate(placed) if t.startswith("An item long"))
    bullet_x = placed[first - 1][0]
    assert placed[first - 1][2] == "•"
    assert placed[first][0] > bullet_x  # the text starts after the bullet
    assert placed[first + 1][0] == placed[first][0]  # and its second line hangs under the text


def test_nothing_is_cut_while_the_box_has_room() -> None:
    """A cut box is full: its last line sits within two lines of the box's bottom edge."""
    story = "\n\n".join(["A paragraph of a few words that wraps a little."] * 40)
    svg = render_canvas_svg(workbook_with_canvas(), Answers({**GOOD, "welcome.story": story}))
    placed = lines_of(svg)
    root = ET.fromstring(svg)
    boxes = [r for r in root.iter(f"{SVG}rect") if r.get("rx") == "10" and r.get("stroke")]
    cut = [t for t in placed if t[2].endswith("…") and t[2].startswith("A paragraph")]
    assert cut, "the long story should not fit"
    x, y, _ = cut[0]
    box = next(
        b
        for b in boxes
        if float(b.get("x", 0)) <= x <= float(b.get("x", 0)) + float(b.get("width", 0))
        and float(b.get("y", 0)) <= y <= float(b.get("y", 0)) + float(b.get("height", 0))
    )
    bottom = float(box.get("y", 0)) + float(box.get("height", 0))
    in_box = [ty for tx, ty, _ in placed if float(box.get("x", 0)) <= tx and float(box.get("y", 0)) < ty < bottom]
    assert bottom - max(in_box) <= 20 + 2 * LINE * 10 / TEXT_SIZE + 1  # the padding and at most two small lines


def test_gauge_fills_up_to_the_value(starter: Workbook) -> None:
    step = starter.step("choose")
    assert step is not None
    scale = step.prompt("energy")
    assert isinstance(scale, Scale)
    assert gauge(1, scale) == "●○○○○" and gauge(5, scale) == "●●●●●"


def test_exports_go_to_their_own_folder(tmp_path: Path) -> None:
    workbook = workbook_with_canvas()
    store = AnswerStore.open(tmp_path / "demo.toml", workbook)
    try:
        store.set("welcome", "name", "Thursday circle")
        store.save()
        markdown = export_markdown_beside(workbook, store)
        svg = export_canvas_svg(workbook, store)
    finally:
        store.close()
    assert markdown == tmp_path / "exports" / "demo.md" and markdown.is_file()
    assert svg == tmp_path / "exports" / "demo-canvas.svg" and "Thursday circle" in svg.read_text()
    assert sorted(p.name for p in tmp_path.glob("*.md")) == []


def test_the_rooms_canvas_names_a_question_nobody_answered_yet(tmp_path: Path) -> None:
    """In the room's canvas too, an answer with nothing in it yet keeps its name above 'no answers yet'."""
    room = Room(make_workshop(tmp_path / "ws", {"Ada": {}}))
    room.refresh()
    shown = texts(render_room_canvas_svg(room, today=date(2025, 3, 13), rng=random.Random(1)))
    missing = [n for n, t in enumerate(shown) if t.endswith("no answers yet")]
    assert missing and all(shown[n - 1] and not shown[n - 1].endswith("no answers yet") for n in missing)
    assert all(shown[n - 1] not in ("", "•") for n in missing)
