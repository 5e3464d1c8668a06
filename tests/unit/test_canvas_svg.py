"""The canvas as SVG: it always parses, shows every cell and answer, and survives hostile text."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from formative.answers import AnswerStore
from formative.cli import cli
from formative.export.canvas_svg import NoCanvasError, render_canvas_svg
from formative.workbook.bundled import find_workbook
from formative.workbook.load import load_workbook, load_workbook_text
from formative.workbook.model import Workbook
from formative.workbook.starter import starter_workbook

SVG = "{http://www.w3.org/2000/svg}"
CELLS = [
    ("Container", "who is in it", ["welcome.name", "people.names"]),
    ("Construct", "how you meet", ["choose.rhythm", "choose.ways"]),
    ("Conversation", "what you share", ["people.contacts", "choose.order"]),
    ("Community", "how it feels", ["welcome.story", "choose.energy"]),
]


def canvas_toml(cells: list[tuple[str, str, list[str]]]) -> str:
    parts = ['\n[canvas]\ntitle = "{welcome.name}: the canvas"\n']
    for title, subtitle, refs in cells:
        answers = ", ".join(f'"{r}"' for r in refs)
        parts.append(f'\n[[canvas.cells]]\ntitle = "{title}"\nsubtitle = "{subtitle}"\nanswers = [{answers}]\n')
    return "".join(parts)


def workbook_with_canvas(cells: list[tuple[str, str, list[str]]] = CELLS) -> Workbook:
    return load_workbook_text(starter_workbook("demo", "Demo") + canvas_toml(cells))


class Answers:
    def __init__(self, values: dict[str, Any], person: str | None = None) -> None:
        self.values = values
        self.person = person

    def get(self, step_id: str, prompt_id: str) -> Any:
        return self.values.get(f"{step_id}.{prompt_id}")


GOOD = {
    "welcome.name": "Thursday circle",
    "welcome.story": "Working alone is lonely.",
    "people.names": ["Ann", "Bo"],
    "people.contacts": [{"person": "Ann", "role": "Designer", "met": "At school"}],
    "choose.rhythm": "Weekly",
    "choose.ways": ["In person", "Video call"],
    "choose.order": ["Bo", "Ann"],
    "choose.energy": 4,
}


def texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_svg_parses_and_shows_title_person_cells_and_answers() -> None:
    svg = render_canvas_svg(workbook_with_canvas(), Answers(GOOD, person="Ada"))
    shown = texts(svg)
    assert "Thursday circle: the canvas" in shown
    assert any("Ada" in t and "Demo" in t for t in shown)
    for title, subtitle, _ in CELLS:
        assert title in shown and subtitle in shown
    for expected in ["Thursday circle", "Ann", "Bo", "Weekly", "In person", "Ann – Designer – At school"]:
        assert expected in shown
    assert "Working alone is lonely." in shown
    assert any(t.startswith("4 of 5") for t in shown)
    assert "1." in shown and "2." in shown  # the ranking is numbered
    assert "•" in shown  # lists are bullets


def test_svg_is_self_contained_and_print_friendly() -> None:
    svg = render_canvas_svg(workbook_with_canvas(), Answers(GOOD))
    root = ET.fromstring(svg)
    assert "sans-serif" in root.get("font-family", "")
    assert 'fill="#ffffff"' in svg
    for forbidden in ("<script", "<image", "@import", "@font-face", "href="):
        assert forbidden not in svg
    assert len(root.findall(f"{SVG}rect")) >= 1 + len(CELLS)


def test_missing_answers_show_a_placeholder() -> None:
    shown = texts(render_canvas_svg(workbook_with_canvas(), Answers({})))
    assert "…: the canvas" in shown
    assert sum(t.startswith("…") for t in shown) >= len(CELLS) * 2


HOSTILE = {
    "welcome.name": "<script>alert('x')</script> & \"quotes\"",
    "welcome.story": "x" * 2_000,
    "people.names": ["]]>", "&amp;", "[@click=app.quit]", "\x1b[31mred\x1b[0m", "🎉 party", "nul\x00byte"],
    "people.contacts": [{"person": "<b>", "role": "\x07bell", "met": "'"}],
    "choose.rhythm": "word " * 400,
}


def test_hostile_answers_keep_the_svg_well_formed_and_show_literally() -> None:
    svg = render_canvas_svg(workbook_with_canvas(), Answers(HOSTILE, person="<Eve> & \x1b[2J"))
    shown = texts(svg)
    assert "<script" not in svg and "\x1b" not in svg and "\x00" not in svg and "\x07" not in svg
    assert "<script>alert('x')</script> & \"quotes\": the canvas" in shown
    # Control characters are shown as the terminal screens show them (ESC as ␛), not dropped.
    for literal in ["]]>", "&amp;", "[@click=app.quit]", "␛[31mred␛[0m", "🎉 party", "nul␀byte", "<b> – ␇bell – '"]:
        assert literal in shown, literal
    assert any("<Eve> & ␛[2J" in t for t in shown)


def test_bidi_overrides_cannot_reverse_text_on_the_canvas() -> None:
    shown = texts(render_canvas_svg(workbook_with_canvas(), Answers({"welcome.name": "a\u202eevil\u202c b\u200bc"})))
    assert "a⟨U+202E⟩evil⟨U+202C⟩ b⟨U+200B⟩c" in shown
    assert not any(c in "".join(shown) for c in "\u202e\u202c\u200b")


def test_long_answers_are_wrapped_and_cut_with_an_ellipsis_inside_their_box() -> None:
    svg = render_canvas_svg(workbook_with_canvas(), Answers(HOSTILE))
    shown = texts(svg)
    long_lines = [t for t in shown if t.startswith("xxx")]
    assert 1 < len(long_lines) < 40
    assert long_lines[-1].endswith("…")
    assert max(len(t) for t in long_lines) < 80
    assert sum(len(t) for t in long_lines) < 2_000
    root = ET.fromstring(svg)
    cells = [r for r in root.iter(f"{SVG}rect") if r.get("rx") == "10" and r.get("stroke")]
    bottom = max(float(r.get("y", 0)) + float(r.get("height", 0)) for r in cells)
    assert all(float(t.get("y", 0)) <= bottom for t in root.iter(f"{SVG}text"))


@pytest.mark.parametrize("count", [1, 2, 3, 5, 6])
def test_other_cell_counts_lay_out_and_parse(count: int) -> None:
    cells = [(f"Cell {n}", "sub", ["welcome.name"]) for n in range(count)]
    svg = render_canvas_svg(workbook_with_canvas(cells), Answers(GOOD))
    shown = texts(svg)
    assert all(f"Cell {n}" in shown for n in range(count))


def test_workbook_without_canvas_raises_a_value_error() -> None:
    workbook = load_workbook_text(starter_workbook("demo", "Demo"))
    with pytest.raises(NoCanvasError, match="no canvas"):
        render_canvas_svg(workbook, Answers({}))
    assert issubclass(NoCanvasError, ValueError)


def test_bundled_canvas_renders() -> None:
    workbook = load_workbook(find_workbook("formative-community"))
    assert workbook.canvas is not None
    shown = texts(render_canvas_svg(workbook, Answers({})))
    assert all(cell.title in shown for cell in workbook.canvas.cells)


def write_workbook(tmp_path: Path, text: str) -> tuple[Path, Workbook]:
    path = tmp_path / "demo.toml"
    path.write_text(text, encoding="utf-8")
    return path, load_workbook(path)


def test_cli_exports_svg_to_a_file(tmp_path: Path) -> None:
    workbook_path, workbook = write_workbook(tmp_path, starter_workbook("demo", "Demo") + canvas_toml(CELLS))
    answers = tmp_path / "demo--ada.toml"
    with AnswerStore.open(answers, workbook, person="Ada") as store:
        store.set("welcome", "name", "Thursday <circle>")
        store.set("people", "names", ["Ann", "Bo"])
    out = tmp_path / "canvas.svg"
    result = CliRunner().invoke(
        cli, ["export", str(answers), "-w", str(workbook_path), "--format", "svg", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    shown = texts(out.read_text(encoding="utf-8"))
    assert "Thursday <circle>: the canvas" in shown and "Ann" in shown
    assert any("Ada" in t for t in shown)


def test_cli_svg_without_canvas_fails_cleanly(tmp_path: Path) -> None:
    workbook_path, workbook = write_workbook(tmp_path, starter_workbook("demo", "Demo"))
    answers = tmp_path / "demo.toml.answers"
    with AnswerStore.open(answers, workbook) as store:
        store.set("welcome", "name", "X")
    out = tmp_path / "canvas.svg"
    result = CliRunner().invoke(
        cli, ["export", str(answers), "-w", str(workbook_path), "--format", "svg", "-o", str(out)]
    )
    assert result.exit_code == 1
    assert "no canvas" in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_a_box_too_full_says_how_many_answers_it_leaves_out() -> None:
    names = [f"Person number {n}" for n in range(60)]
    shown = texts(render_canvas_svg(workbook_with_canvas(), Answers({**GOOD, "people.names": names})))
    more = [t for t in shown if t.startswith("+ ") and t.endswith(" more")]
    assert len(more) == 1
    listed = [t for t in shown if t.startswith("Person number")]
    assert len(listed) + int(more[0].split()[1]) == len(names)
