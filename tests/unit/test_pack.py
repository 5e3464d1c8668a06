"""The facilitator pack: agenda with clock times and slack, scripts, cut list, paper canvas, safe HTML."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from formative.cli import cli
from formative.export.pack import Pack, clock, parse_clock, render_pack_html, render_pack_markdown
from formative.workbook import load_workbook, load_workbook_text
from formative.workbook.bundled import find_workbook
from formative.workbook.model import Workbook


@pytest.fixture(scope="module")
def workshop() -> Workbook:
    return load_workbook(find_workbook("community-design-workshop"))


def test_clock_times_come_from_the_start(workshop: Workbook) -> None:
    assert parse_clock("14:00") == 14 * 60 and parse_clock("9:05") == 9 * 60 + 5
    for bad in ("14", "25:00", "14:60", "2pm", ""):
        with pytest.raises(ValueError, match="HH:MM"):
            parse_clock(bad)
    assert clock(95, 14 * 60) == "15:35" and clock(95, None) == "1:35" and clock(30, 23 * 60 + 45) == "00:15"


def test_agenda_has_every_step_its_clock_time_and_the_slack(workshop: Workbook) -> None:
    text = render_pack_markdown(workshop, parse_clock("14:00"))
    rows = [line for line in text.splitlines() if re.match(r"^\| \d\d:\d\d \|", line)]
    assert len(rows) == len(workshop.steps) + 2  # every step, the slack, the end
    assert rows[0].startswith("| 14:00 | 4 | Getting everyone in | Whole room |")
    assert rows[1].startswith("| 14:04 | 4 | Welcome, agreements and check-in |")
    total = sum(step.timebox or 0 for step in workshop.steps)
    assert rows[-2] == f"| {clock(total, 14 * 60)} | {90 - total} | *Slack: kept in hand for overruns* | |"
    assert rows[-1] == "| 15:30 | | **End** | |"
    assert "| Tables of 4–6 |" in text
    assert (
        f"**Length:** 90 minutes, 14:00 to 15:30: {total} planned in the steps' timeboxes, {90 - total} of slack."
        in text
    )


def test_pack_holds_scripts_paper_cut_list_sizes_and_texts(workshop: Workbook) -> None:
    text = render_pack_markdown(workshop)
    for heading in (
        "## Materials",
        "## Room set-up",
        "## Room sizes",
        "### About 6 people",
        "### About 30 people",
        "## The cut list: when you are running late",
        "### 10 minutes behind",
        "### 20 minutes behind",
        "## Step by step",
        "## The invitation: send before the session",
        "## Two weeks later: the follow-up",
        "## The paper canvas",
    ):
        assert heading in text, heading
    assert text.count("**Script:**") == len(workshop.steps)
    assert text.count("**On paper:**") == len(workshop.steps)
    assert "### 0:00 · Getting everyone in · 4 min · Whole room · shared with the room" in text
    assert "- Your invitation, in about three lines" in text  # what people answer, per step


def test_a_workbook_without_timeboxes_still_gets_a_pack() -> None:
    workbook = load_workbook(find_workbook("formative-community"))
    text = render_pack_markdown(workbook, parse_clock("09:00"))
    assert "| Step | Section | How |" in text and "| 09:" not in text and "09:00 to 09:50" in text
    assert "*Shown only to people whose earlier answer calls for it.*" in text  # the low-confidence step
    assert "## Materials" not in text


def test_overrun_is_said_plainly() -> None:
    workbook = load_workbook_text(
        'format = 1\nid = "w"\ntitle = "W"\nminutes = 10\n[[sections]]\nid = "s"\ntitle = "S"\n'
        '[[sections.steps]]\nid = "a"\ntitle = "A"\ntimebox = 8\n'
        '[[sections.steps]]\nid = "b"\ntitle = "B"\ntimebox = 5\n'
    )
    assert "**The steps' timeboxes add up to 13 minutes: 3 more than the session has.**" in render_pack_markdown(
        workbook
    )


HOSTILE = """format = 1
id = "w"
title = "<script>alert(1)</script> pack"
minutes = 30

[[sections]]
id = "s"
title = "S | <b>"

[[sections.steps]]
id = "a"
title = "A <img src=x onerror=alert(1)> | pipe"
timebox = 10
mode = "table"
facilitator_notes = "SAY: <iframe src='https://example.com'></iframe> [x](javascript:alert(1))"
paper = "Cards & <em>pens</em>"

[[sections.steps.prompts]]
id = "name"
kind = "short_text"
label = "Name <u>it</u>"

[canvas]
title = "{a.name} & </p><script>x</script>"

[[canvas.cells]]
title = "<b>Box</b>"
subtitle = "</div>"
answers = ["a.name"]

[pack]
materials = ["<blink>pens</blink>"]
"""


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.hrefs += [value or "" for name, value in attrs if name in ("href", "src")]


def test_html_escapes_workbook_text_and_prints_on_a4() -> None:
    page = render_pack_html(load_workbook_text(HOSTILE), parse_clock("10:00"))
    parser = Tags()
    parser.feed(page)
    for tag in ("script", "img", "iframe", "u", "blink", "b"):
        assert tag not in parser.tags, f"workbook text became a <{tag}>"
    assert not any(href.startswith("javascript") for href in parser.hrefs)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; pack" in page
    assert "A &lt;img src=x onerror=alert(1)&gt; | pipe" in page  # the escaped pipe stays in its cell
    assert "@page { size: A4;" in page and "@page canvas { size: A4 landscape;" in page
    assert "section.canvas { page: canvas; break-before: page;" in page
    assert '<section class="canvas">' in page and '<div class="cell"><h3>&lt;b&gt;Box&lt;/b&gt;</h3>' in page


def test_paper_canvas_shows_each_cells_questions(workshop: Workbook) -> None:
    paper = Pack(workshop).paper_canvas()
    assert paper is not None
    assert paper.title == "……: a Formative Community"
    assert [cell.title for cell in paper.cells] == ["Container", "Construct", "Conversation", "Community"]
    assert "What do they have in common? Why them?" in paper.cells[0].questions


def test_pack_command_writes_html_or_markdown(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        cli, ["pack", "community-design-workshop", "--start", "14:00", "-o", str(tmp_path / "p.html")]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "p.html").read_text(encoding="utf-8").startswith("<!doctype html>")
    result = runner.invoke(cli, ["pack", "community-design-workshop"])
    assert result.exit_code == 0 and result.output.startswith("# Community design workshop")
    result = runner.invoke(cli, ["pack", "community-design-workshop", "--start", "2pm"])
    assert result.exit_code == 1 and "--start: '2pm' is not a time of day; write it as HH:MM" in result.output
    result = runner.invoke(cli, ["pack", "community-design-workshop", "-o", str(tmp_path / "p.pdf")])
    assert result.exit_code == 1 and "name it .html or .md" in result.output
    assert not (tmp_path / "p.pdf").exists()
