"""SVG snapshots of every screen and prompt kind: what a reviewer should see is in each docstring.

Update baselines after an intended change with `pytest tests/tui/test_snapshots.py --snapshot-update`
and look at the report before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from formative.session import Session
from formative.tui.app import FormativeApp
from formative.tui.screens.step import StepScreen
from formative.tui.widgets.prompts import PromptInput
from formative.workbook.starter import starter_workbook

SnapCompare = Callable[..., bool]


@pytest.fixture
def answers() -> Path:
    """The default answers folder under the test's own HOME, shown on screen as ~/formative-answers."""
    return Path.home() / "formative-answers"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """The starter workbook: every prompt kind once, with the answers below filled in."""
    path = tmp_path / "demo.toml"
    path.write_text(starter_workbook("demo", "Demo"), encoding="utf-8")
    return path


def fill(workbook: str, answers: Path, values: dict[tuple[str, str], Any]) -> None:
    session = Session.open(workbook, answers)
    for (step_id, prompt_id), value in values.items():
        session.set_answer(step_id, prompt_id, value)
    session.close()


DEMO_ANSWERS: dict[tuple[str, str], Any] = {
    ("welcome", "name"): "Thursday founders [@click=app.quit]",
    ("welcome", "story"): "Working alone got quiet.\nI want people to think out loud with.",
    ("people", "names"): ["Ada", "Grace", "Linus [/]"],
    ("people", "contacts"): [{"person": "Ada", "role": "Designer", "met": "Old team"}],
    ("choose", "rhythm"): "Every two weeks",
    ("choose", "ways"): ["In person", "Group chat"],
    ("choose", "first"): "Grace",
    ("choose", "order"): ["Grace", "Ada", "Linus [/]"],
    ("choose", "energy"): 4,
    ("choose", "votes"): ["Grace", "Linus [/]", "Grace"],
}

COMMUNITY_ANSWERS: dict[tuple[str, str], Any] = {
    ("welcome", "name"): "Solo founders' supper",
    ("welcome", "spark"): "I went freelance in spring and miss thinking out loud with people.",
    ("container", "people"): ["Maya, a fellow freelancer", "Tom from the old studio", "Priya (coach)"],
    ("container", "why"): "Each of them is a few steps ahead of me and generous with it.",
    ("construct", "format"): "Supper at someone's kitchen table, phones away",
    ("community", "in_a_word"): "Brave",
}


def at_prompt(step_id: str, prompt_id: str | None = None) -> Callable[[Pilot[None]], Awaitable[None]]:
    """Go to a step and bring one prompt into view, as a person scrolling to it would."""

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, StepScreen)
        await screen.jump_to(step_id)
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        if prompt_id is not None:
            widget = screen.query_one(f"#prompt-{prompt_id}", PromptInput)
            screen.query_one("#step-content").scroll_to_widget(widget, animate=False, top=True)
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()

    return run_before


@pytest.mark.parametrize(
    ("step_id", "prompt_id"),
    [
        ("welcome", "name"),
        ("welcome", "story"),
        ("people", "names"),
        ("people", "contacts"),
        ("choose", "rhythm"),
        ("choose", "ways"),
        ("choose", "order"),
        ("choose", "energy"),
        ("choose", "votes"),
    ],
)
def test_prompt_kinds(snap_compare: SnapCompare, demo: Path, answers: Path, step_id: str, prompt_id: str) -> None:
    """You should see the step header (Step n of m · section, step title), the prompt's label
    and input holding the saved answer, the Back/Next bar, "✓ Saved ~/formative-answers/demo.toml"
    and the footer keys. Markup in answers ([@click=app.quit], [/]) shows literally.
    short_text: an Input; long_text: a TextArea and "ctrl+e writes this in texteditor" under it;
    list: three items, an add box and the keys (↑/↓, ctrl+d, ctrl+z, alt+↑/↓);
    records: one entry with Person/Role/How you met; single_choice: radio buttons with
    "Every two weeks" on; multiple_choice: two picks and a "Pick 1–2" hint; ranking: a numbered
    order; scale: 1–5 with [4] highlighted, end labels and "←/→ or typing 1–5 picks a value";
    single choice (•)/( ) and multiple choice [x]/[ ] marks; dot_vote: Ada, Grace and Linus [/]
    (walking alone, the options are your own names) with − + buttons, dots and counts
    (Grace ●● 2, Linus [/] ●○ 1), "0 of 3 votes left · at most 2 on one answer" and the keys."""
    fill(str(demo), answers, DEMO_ANSWERS)
    app = FormativeApp(str(demo), answers_dir=answers)
    assert snap_compare(app, terminal_size=(80, 24), run_before=at_prompt(step_id, prompt_id))


def test_note_and_interpolated_body(snap_compare: SnapCompare, demo: Path, answers: Path) -> None:
    """You should see the 'Who is in it' step of the demo: the mode and timebox line
    ("Solo: on your own · about 5 min") and the body "You called it Thursday founders
    [@click=app.quit]. …" with the earlier answer shown literally."""
    fill(str(demo), answers, DEMO_ANSWERS)
    app = FormativeApp(str(demo), answers_dir=answers)
    assert snap_compare(app, terminal_size=(80, 24), run_before=at_prompt("people"))


def test_required_answer_explained(snap_compare: SnapCompare, demo: Path, answers: Path) -> None:
    """You should see the first demo step after pressing Ctrl+N with the required name empty:
    the step stays, the name prompt shows "This one needs an answer before you go on." in the
    error colour, and the bar between Back and Next says "1 answer needs attention"."""
    app = FormativeApp(str(demo), answers_dir=answers)
    assert snap_compare(app, terminal_size=(80, 24), press=["ctrl+n"])


def test_home_screen(snap_compare: SnapCompare, answers: Path) -> None:
    """You should see "Formative", a Continue list with "Design a Formative Community" and
    "2 of 13 steps answered · next: What it is for", then "Start a workbook": the workbooks for
    one person first (Design a Formative Community, "50 min · 15 steps, 13 to answer", its summary on a line
    of its own), a rule between entries, the coach-led workshop last (below the fold here)."""
    fill("formative-community", answers, COMMUNITY_ANSWERS)
    assert snap_compare(FormativeApp(None, answers_dir=answers), terminal_size=(80, 24))


def test_review(snap_compare: SnapCompare, answers: Path) -> None:
    """You should see "Review: Design a Formative Community" with each step's title in the
    accent colour, each question dim, its answer below (lists as • bullets), "Not answered yet"
    in italics where empty, and an Edit button per step."""
    fill("formative-community", answers, COMMUNITY_ANSWERS)
    app = FormativeApp("formative-community", answers_dir=answers)
    assert snap_compare(app, terminal_size=(80, 24), press=["ctrl+r"])


def test_canvas(snap_compare: SnapCompare, answers: Path) -> None:
    """You should see "Solo founders' supper: a Formative Community" over six boxes in three rows
    of two, titled Container, Construct, Conversation, Community, Keeping it alive and First moves
    (subtitles in the bottom border); in each, every answer under its bold muted label (We meet so
    that, Who, Why them; How often, …), unanswered ones as "… not answered yet" in italics."""
    fill("formative-community", answers, COMMUNITY_ANSWERS)
    app = FormativeApp("formative-community", answers_dir=answers)

    async def run_before(pilot: Pilot[None]) -> None:
        from formative.tui.screens.canvas import CanvasScreen

        await pilot.pause()
        session = app.session
        assert session is not None
        await app.push_screen(CanvasScreen(session))
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_projector_step_60x20(snap_compare: SnapCompare, answers: Path) -> None:
    """You should see the Container step in the projector theme (white on black, yellow
    accents) at 60×20: a two-line header, the section intro with a yellow bar, the body, the
    one-line Back/Next bar with a yellow Next, the saved line and the footer."""
    fill("formative-community", answers, COMMUNITY_ANSWERS)
    app = FormativeApp("formative-community", answers_dir=answers, theme="projector")
    assert snap_compare(app, terminal_size=(60, 20), run_before=at_prompt("container"))


def test_tiny_terminal_40x12(snap_compare: SnapCompare, demo: Path, answers: Path) -> None:
    """You should see the first demo step squeezed into 40×12: header, the start of the body,
    a one-line Back/Next bar, the saved line and the footer; nothing overlaps."""
    app = FormativeApp(str(demo), answers_dir=answers)
    assert snap_compare(app, terminal_size=(40, 12))


def test_locked_file_problem(snap_compare: SnapCompare, demo: Path, answers: Path) -> None:
    """You should see "These answers are open elsewhere" in the error colour, the message
    naming ~/…/demo.toml and the process holding it, "Nothing was changed." and a Quit button."""
    from formative.answers import AnswerStore
    from formative.workbook import load_workbook

    holder = AnswerStore.open(answers / "demo.toml", load_workbook(demo))
    (answers / ".demo.toml.lock").write_text("process 4242 of ada on workshop-laptop", encoding="utf-8")
    try:
        app = FormativeApp(str(demo), answers_dir=answers)
        assert snap_compare(app, terminal_size=(80, 24))
    finally:
        holder.close()


def test_canvas_full(snap_compare: SnapCompare, answers: Path) -> None:
    """You should see the flagship canvas at 120×40 with every box filled: each answer under its
    bold label (We meet so that, Who, Why them, …), the people and commitments as • items whose
    second lines hang under the text, the topics numbered, and the two scales as gauges ●●●●○
    with "4 of 5 (cosy and supportive … candid and stretching)" and "4 of 5 (not yet … it is in the diary)"."""
    fill("formative-community", answers, FULL_CANVAS)
    app = FormativeApp("formative-community", answers_dir=answers)

    async def run_before(pilot: Pilot[None]) -> None:
        from formative.tui.screens.canvas import CanvasScreen

        await pilot.pause()
        session = app.session
        assert session is not None
        await app.push_screen(CanvasScreen(session))
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


FULL_CANVAS: dict[tuple[str, str], Any] = {
    **COMMUNITY_ANSWERS,
    ("purpose", "purpose"): "we think out loud about our work and leave braver.",
    ("container", "people"): ["Maya, a fellow freelancer who has been doing this for ten years", "Tom", "Priya"],
    ("construct", "rhythm"): "Monthly",
    ("conversation-order", "topics_rank"): ["Pricing", "Clients", "Burnout"],
    ("community", "comfort"): 4,
    ("keep-alive", "hosting"): "We take turns",
    ("first-moves", "commitments"): ["Send Maya the invitation by Friday", "Hold Tuesday 4 March for the first supper"],
    ("first-moves", "confidence"): 4,
}
