"""One person's Markdown export: answers shown exactly as typed, readable, and never markup."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from formative.answers import AnswerStore
from formative.export import safe_markdown
from formative.export.markdown import render_markdown
from formative.workbook.model import Workbook
from tests.unit.rendered import look_alike, plain, read
from tests.unit.test_canvas_svg import GOOD as CANVAS_ANSWERS
from tests.unit.test_canvas_svg import workbook_with_canvas

HOSTILE = [
    "Mallory <!--",
    "<script>alert(1)</script>",
    "# heading",
    "---",
    "* list item",
    "+ plus item",
    "`tick` and ```fence",
    "~~~",
    "[link](javascript:alert(1))",
    "| a | b |\n|---|---|\n| c | d |",
    "&amp; &lt;b&gt; &#x3C; &copy;",
    "\x1b[31mred\x1b[0m",
    "\x1b]8;;https://evil.example\x1b\\click me\x1b]8;;\x1b\\",
    "bell\x07 and \x9b CSI",
    "zero\u200bwidth",
    "\u202eevil\u202c reversed",
    "> quoted",
    "1. numbered",
    "2) also numbered",
    "**bold** _em_ ~~struck~~ *star*",
    "ends in a backslash\\",
    "Title\n===",
    "Sub\n---",
    "    indented code",
    "<https://autolink.example>",
    "![image](x.png)",
    "[ref]: https://example.com",
    "$x^2$",
    "<div>\n\n<b>bold</b>",
    "line one  \nline two",
]

SHOWN = {
    "\x1b": "\u241b",
    "\x07": "\u2407",
    "\x9b": "\ufffd",
    "\u200b": "\u27e8U+200B\u27e9",
    "\u202e": "\u27e8U+202E\u27e9",
    "\u202c": "\u27e8U+202C\u27e9",
}
"""How control and invisible characters must appear: as symbols a reader can see."""


def shown(text: str) -> str:
    return plain(text.translate(str.maketrans(SHOWN)))


@pytest.mark.parametrize("hostile", HOSTILE)
def test_one_line_of_user_text_renders_as_the_same_text(hostile: str) -> None:
    flat = hostile.replace("\n", " ")
    markdown = f"# Title\n\n- {safe_markdown.literal_line(flat)}\n\nAFTER\n"
    rendered = read(markdown)
    assert rendered.tags == read(f"# Title\n\n- {safe_markdown.literal_line(look_alike(flat))}\n\nAFTER\n").tags
    assert shown(flat) in plain(rendered.text)
    assert rendered.comments == [] and "AFTER" in rendered.text


@pytest.mark.parametrize("hostile", HOSTILE)
def test_prose_keeps_its_lines_and_renders_as_the_same_text(hostile: str) -> None:
    markdown = "\n".join(["Before", "", *safe_markdown.prose(hostile), "", "AFTER", ""])
    rendered = read(markdown)
    assert (
        rendered.tags
        == read("\n".join(["Before", "", *safe_markdown.prose(look_alike(hostile)), "", "AFTER", ""])).tags
    )
    assert shown(hostile) in plain(rendered.text)
    assert rendered.comments == [] and rendered.text.rstrip().endswith("AFTER")


def test_line_breaks_inside_an_answer_stay_line_breaks() -> None:
    rendered = read("\n".join(safe_markdown.prose("Dear room,\nthank you.\n\nSee you soon.")))
    assert rendered.tags == ["<p>", "<br>", "</br>", "</p>", "<p>", "</p>"]


def hostile_store(path: Path, workbook: Workbook, name: str, text: Callable[[str], str]) -> AnswerStore:
    """Every prompt of the starter answered with hostile text, passed through text()."""
    store = AnswerStore.open(path, workbook, person=text(name), lock=False)
    store.set("welcome", "name", text("Thursday <!-- circle"))
    store.set("welcome", "story", text("\n".join(HOSTILE)))
    store.set("people", "names", [text(h) for h in HOSTILE[:10]])
    record = {"person": "<script>", "role": "# boss", "met": "`at` [work](javascript:x)"}
    store.set("people", "contacts", [{k: text(v) for k, v in record.items()}])
    store.set("choose", "rhythm", "Weekly")
    store.set("choose", "ways", ["In person", "Video call"])
    store.set("choose", "first", text("| pipe |"))
    store.set("choose", "order", [text("\x1b[2J"), text("* two")])
    store.set("choose", "energy", 4)
    store.set("choose", "votes", [text("<b>Ann</b>"), text("<b>Ann</b>"), "Bo"])
    return store


def same(text: str) -> str:
    return text


def test_a_hostile_person_cannot_hide_or_change_anything(tmp_path: Path, starter: Workbook) -> None:
    hostile = read(render_markdown(starter, hostile_store(tmp_path / "a.toml", starter, "Mallory <!--", same)))
    harmless = read(render_markdown(starter, hostile_store(tmp_path / "b.toml", starter, "Mallory <!--", look_alike)))
    assert hostile.comments == []
    assert hostile.tags == harmless.tags
    assert not any(tag.startswith(("<script", "<a ", "<img", "<table", "<hr", "<code", "<div")) for tag in hostile.tags)
    text = plain(hostile.text)
    for expected in [*HOSTILE, "Mallory <!--", "Thursday <!-- circle", "<b>Ann</b>", "| pipe |", "\x1b[2J"]:
        assert shown(expected) in text, expected
    # Everything after the hostile answers is still there, down to the last prompt of the last step.
    assert "2 × <b>Ann</b>" in text and "1 × Bo" in text


def test_markup_in_a_name_stays_in_the_heading(tmp_path: Path, starter: Workbook) -> None:
    store = hostile_store(tmp_path / "a.toml", starter, "# Eve\n<!-- x", same)
    rendered = read(render_markdown(starter, store))
    assert rendered.tags[:2] == ["<h1>", "</h1>"] and rendered.comments == []
    assert "Demo — # Eve\u240a<!-- x" in rendered.text


def test_scales_read_with_their_end_words(tmp_path: Path, starter: Workbook) -> None:
    store = AnswerStore.open(tmp_path / "a.toml", starter, person="Ada", lock=False)
    store.set("choose", "energy", 4)
    markdown = render_markdown(starter, store)
    assert "4 of 5 (hardly any … plenty)" in markdown
    assert "\n4\n" not in markdown


def test_records_show_field_labels_and_lists_hang(tmp_path: Path, starter: Workbook) -> None:
    store = AnswerStore.open(tmp_path / "a.toml", starter, person="Ada", lock=False)
    store.set("people", "contacts", [{"person": "Ann", "role": "Designer", "met": "At school"}, {"person": "Bo"}])
    store.set("people", "names", ["Ann", "A long item\nwith a second line"])
    store.set("choose", "order", ["Bo", "Ann"])
    markdown = render_markdown(starter, store)
    assert "- **Person:** Ann\\\n  **Role:** Designer\\\n  **How you met:** At school\n- **Person:** Bo\n" in markdown
    assert "- A long item\\\n  with a second line\n" in markdown
    assert "1. Bo\n2. Ann\n" in markdown
    html = read(markdown)
    assert html.tags.count("<li>") == 6


def test_unanswered_prompts_still_say_so_in_a_solo_export(tmp_path: Path, starter: Workbook) -> None:
    store = AnswerStore.open(tmp_path / "a.toml", starter, person="Ada", lock=False)
    store.set("welcome", "name", "Circle")
    markdown = render_markdown(starter, store)
    assert "_Not answered._" in markdown and "Circle" in markdown


def test_odd_hand_edited_values_are_shown_not_crashed_on(tmp_path: Path, starter: Workbook) -> None:
    path = tmp_path / "a.toml"
    path.write_text(
        """[formative]
workbook = "demo"
person = "Ada"

[answers.welcome]
name = ["a", "b"]
story = 42

[answers.choose]
energy = "lots"
ways = "In person"
votes = [1, true]
order = { x = "y" }

[answers.people]
contacts = ["just text", { person = "Ann", extra = "kept" }]

[answers.gone-step]
old = { nested = ["deep"] }
when = 2024-05-01
""",
        encoding="utf-8",
    )
    store = AnswerStore.open(path, starter, lock=False)
    text = plain(read(render_markdown(starter, store)).text)
    for expected in ["42", "lots", "In person", "just text", "Ann", "kept", "deep", "2024-05-01"]:
        assert expected in text, expected


@pytest.mark.parametrize("hostile", HOSTILE)
def test_prose_in_a_list_item_stays_in_its_item(hostile: str) -> None:
    def document(text: str) -> str:
        return "\n".join([*safe_markdown.bullet(safe_markdown.prose(text)), "- AFTER", ""])

    rendered = read(document(hostile))
    assert rendered.tags == read(document(look_alike(hostile))).tags
    assert rendered.tags.count("<li>") == 2 and "<p>" not in rendered.tags  # a tight list of two items
    assert shown(hostile) in plain(rendered.text) and rendered.text.rstrip().endswith("AFTER")


def canvas_store(path: Path, workbook: Workbook, values: dict[str, Any]) -> AnswerStore:
    store = AnswerStore.open(path, workbook, person="Ada", lock=False)
    for ref, value in values.items():
        step_id, prompt_id = ref.split(".")
        store.set(step_id, prompt_id, value)
    return store


def test_the_canvas_closes_the_document_box_by_box(tmp_path: Path) -> None:
    workbook = workbook_with_canvas()
    markdown = render_markdown(workbook, canvas_store(tmp_path / "a.toml", workbook, CANVAS_ANSWERS))
    canvas = markdown[markdown.index("## Thursday circle: the canvas\n") :]
    assert markdown.rstrip().endswith(canvas.rstrip())  # after every section's answers
    titles = [line for line in canvas.splitlines() if line.startswith("### ")]
    assert titles == ["### Container", "### Construct", "### Conversation", "### Community"]
    assert "### Community\n\n_how it feels_\n\n" in canvas
    assert "**How much energy do you have for this?**\n\n●●●●○ 4 of 5 (hardly any … plenty)\n" in canvas
    assert "1. Bo\n2. Ann\n" in canvas and "- In person\n- Video call\n" in canvas
    assert "- Ann – Designer – At school\n" in canvas
    assert read(canvas).tags.count("<h3>") == 4


def test_the_canvas_shows_only_boxes_with_an_answer(tmp_path: Path, starter: Workbook) -> None:
    workbook = workbook_with_canvas()
    some = render_markdown(workbook, canvas_store(tmp_path / "a.toml", workbook, {"welcome.name": "Circle"}))
    assert "## Circle: the canvas\n\n### Container\n\n_who is in it_\n\n**What should we call" in some
    assert "### Construct" not in some and "Who comes to mind first?**\n\n- " not in some
    assert "the canvas" not in render_markdown(workbook, canvas_store(tmp_path / "b.toml", workbook, {}))
    assert "the canvas" not in render_markdown(starter, canvas_store(tmp_path / "c.toml", starter, CANVAS_ANSWERS))


def test_a_hostile_person_cannot_hide_or_change_anything_in_the_canvas(tmp_path: Path) -> None:
    workbook = workbook_with_canvas()
    hostile = read(render_markdown(workbook, hostile_store(tmp_path / "a.toml", workbook, "Mallory", same)))
    harmless = read(render_markdown(workbook, hostile_store(tmp_path / "b.toml", workbook, "Mallory", look_alike)))
    assert hostile.comments == [] and hostile.tags == harmless.tags
    assert not any(tag.startswith(("<script", "<a ", "<img", "<table", "<hr", "<code", "<div")) for tag in hostile.tags)
    text = plain(hostile.text)
    canvas = text[text.index("Thursday <!-- circle: the canvas") :]
    for expected in ["<script> – # boss – `at` [work](javascript:x)", "\x1b[2J", *HOSTILE]:
        assert shown(expected) in canvas, expected
