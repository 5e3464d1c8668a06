"""Plain line-by-line mode, driven by scripted input lines."""

from __future__ import annotations

import io
import tomllib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

from formative.plain import run_plain
from formative.session import Session
from formative.workbook.starter import starter_workbook


def scripted(lines: Iterable[str]) -> Callable[[str], str]:
    """An input() stand-in: the next line each call, EOFError when the script runs out."""
    remaining = iter(lines)

    def read(prompt: str = "") -> str:
        try:
            return next(remaining)
        except StopIteration:
            raise EOFError from None

    return read


@pytest.fixture
def workbook_path(tmp_path: Path) -> Path:
    path = tmp_path / "demo.toml"
    path.write_text(starter_workbook("demo", "Demo"), encoding="utf-8")
    return path


def play(workbook_path: Path, answers_dir: Path, lines: Iterable[str]) -> tuple[str, dict[str, Any]]:
    """Run plain mode to the end of the script; return what it printed and the saved answers."""
    session = Session.open(workbook_path, answers_dir, "Ada")
    output = io.StringIO()
    try:
        run_plain(session, scripted(lines), output)
        path = session.path
    finally:
        session.close()
    saved = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    return output.getvalue(), saved.get("answers", {})


WHOLE_WALK = [
    # welcome: name, story (long text)
    "Thursday circle",
    "First line.",
    "",
    "Third line.",
    ".",
    # people: names (list), contacts (records: person, role, met)
    "Ann",
    "Bo",
    "",
    "Ann",
    "Designer",
    "At school",
    "",
    # choose: rhythm, ways, first, order, energy, votes (dot vote: one number per vote)
    "2",
    "1, 3",
    "2",
    "2 1",
    "4",
    "2 2 1",
]


def test_a_whole_walk_saves_every_kind_of_answer(workbook_path: Path, tmp_path: Path) -> None:
    out, answers = play(workbook_path, tmp_path / "answers", WHOLE_WALK)
    assert answers["welcome"] == {"name": "Thursday circle", "story": "First line.\n\nThird line."}
    assert answers["people"]["names"] == ["Ann", "Bo"]
    assert answers["people"]["contacts"] == [{"person": "Ann", "role": "Designer", "met": "At school"}]
    assert answers["choose"] == {
        "rhythm": "Every two weeks",
        "ways": ["In person", "Group chat"],
        "first": "Bo",
        "order": ["Bo", "Ann"],
        "energy": 4,
        "votes": ["Bo", "Bo", "Ann"],
    }
    assert "Step 1 of 3: Welcome" in out and "Step 3 of 3: Choose" in out
    assert "Timebox: 5 minutes. Mode: solo." in out
    assert "A note is information only" in out
    assert "That was the last step." in out
    saved_in = str(tmp_path / "answers" / "demo--ada.toml")
    assert out.count(saved_in) == 2
    assert "\x1b" not in out


def test_required_answers_are_insisted_on(workbook_path: Path, tmp_path: Path) -> None:
    out, answers = play(workbook_path, tmp_path / "a", ["", ".", "", "Named at last", ":quit"])
    assert "This one needs an answer" in out
    assert answers["welcome"]["name"] == "Named at last"
    assert "Step 2 of 3" in out


def test_next_skips_a_step_with_problems(workbook_path: Path, tmp_path: Path) -> None:
    out, _ = play(workbook_path, tmp_path / "a", ["", ".", ":next", ":quit"])
    assert "Before you go on" in out and "Step 2 of 3: Who is in it" in out


def test_invalid_choices_and_scales_are_asked_again(workbook_path: Path, tmp_path: Path) -> None:
    lines = ["Name", ".", "Ann", "", "", "9", "x", "Fortnightly", "5", "1", "", "", "0", "3"]
    out, answers = play(workbook_path, tmp_path / "a", lines)
    assert "Type a number from 1 to 3." in out  # 9 is out of range; x is an 'other' answer
    assert "Use the numbers 1 to 4" in out  # no 'other' for ways, and 5 is out of range
    assert answers["choose"] == {"rhythm": "x", "ways": ["In person"], "order": ["Ann"], "energy": 3}
    assert "Type a whole number from 1 to 5." in out


def test_back_returns_to_the_previous_step_and_enter_keeps_answers(workbook_path: Path, tmp_path: Path) -> None:
    lines = ["First name", ".", ":back", "", ".", "Ann", "", ":quit"]
    out, answers = play(workbook_path, tmp_path / "a", lines)
    assert out.count("Step 1 of 3: Welcome") == 2
    assert "Current answer: First name" in out
    assert answers["welcome"]["name"] == "First name"
    assert answers["people"]["names"] == ["Ann"]


def test_back_on_the_first_step_says_so(workbook_path: Path, tmp_path: Path) -> None:
    out, _ = play(workbook_path, tmp_path / "a", [":back", ":quit"])
    assert "This is the first step." in out


def test_end_of_input_saves_and_resumes_where_it_stopped(workbook_path: Path, tmp_path: Path) -> None:
    out, answers = play(workbook_path, tmp_path / "a", ["Saved before EOF", "."])
    assert answers["welcome"]["name"] == "Saved before EOF"
    assert out.rstrip().endswith("demo--ada.toml")
    out, answers = play(workbook_path, tmp_path / "a", [])
    assert "Step 2 of 3: Who is in it" in out


def test_clear_and_help(workbook_path: Path, tmp_path: Path) -> None:
    play(workbook_path, tmp_path / "a", ["Name", "Some story", "."])
    out, answers = play(workbook_path, tmp_path / "a", [":back", ":help", "", ":clear"])
    assert ":quit" in out and "Answer removed." in out
    assert answers["welcome"] == {"name": "Name"}


def test_hostile_text_is_stored_literally_and_not_echoed_raw(workbook_path: Path, tmp_path: Path) -> None:
    hostile = "<script>]]> &amp; [@click=app.quit] \x1b[31mred 🎉"
    play(workbook_path, tmp_path / "a", [hostile, "[b]bold[/b]", "'''\"\"\"", "."])
    out, answers = play(workbook_path, tmp_path / "a", [":back", ":quit"])
    assert answers["welcome"] == {"name": hostile, "story": "[b]bold[/b]\n'''\"\"\""}
    assert "\x1b" not in out
    assert "Current answer: <script>]]> &amp; [@click=app.quit] red 🎉" in out


def test_list_keeps_current_items_and_stops_at_max(workbook_path: Path, tmp_path: Path) -> None:
    names = [f"Person {n}" for n in range(1, 13)]
    _, answers = play(workbook_path, tmp_path / "a", ["Name", ".", *names, "", ":quit"])
    assert answers["people"]["names"] == names
    out, answers = play(workbook_path, tmp_path / "a", [":back", "", ":quit"])
    assert "  - Person 12" in out
    assert answers["people"]["names"] == names


VOTE_WORKBOOK = """
format = 1
id = "vote"
title = "Vote"
[[sections]]
id = "s"
title = "S"
[[sections.steps]]
id = "ideas"
title = "Ideas"
shared = true
[[sections.steps.prompts]]
id = "list"
kind = "list"
label = "Ideas"
[[sections.steps]]
id = "pick"
title = "Pick"
[[sections.steps.prompts]]
id = "dots"
kind = "dot_vote"
label = "Where do your dots go?"
options_from = "ideas.list"
votes = 3
max_per_option = 2
"""


def test_dot_vote_takes_a_number_per_vote_and_keeps_to_the_limits(tmp_path: Path) -> None:
    path = tmp_path / "vote.toml"
    path.write_text(VOTE_WORKBOOK, encoding="utf-8")
    hostile = "[@click=app.quit] \x1b[2J"
    lines = ["Walks", hostile, "", "9", "1 1 1", "2, 1 2 2", "1 2 2"]
    out, answers = play(path, tmp_path / "a", lines)
    assert "1. Walks" in out and "2. [@click=app.quit]" in out
    assert "\x1b" not in out  # escape sequences never reach the terminal
    assert "You have 3 votes." in out
    assert "Use the numbers 1 to 2." in out  # 9 is not an option
    assert "Give one option at most 2 votes." in out  # 1 1 1
    assert "You have 3 votes; you gave 4." in out  # 2, 1 2 2
    assert answers["pick"]["dots"] == ["Walks", hostile, hostile]
    assert "That was the last step." in out

    out, answers = play(path, tmp_path / "a", [":back", "", ""])
    assert "Current votes: Walks, [@click=app.quit]" in out
    assert "\x1b" not in out
    assert answers["pick"]["dots"] == ["Walks", hostile, hostile]  # Enter keeps the votes


def test_dot_vote_with_nothing_to_vote_on_says_why(tmp_path: Path) -> None:
    path = tmp_path / "vote.toml"
    path.write_text(VOTE_WORKBOOK, encoding="utf-8")
    out, answers = play(path, tmp_path / "a", ["", ""])
    assert "Nothing to vote on yet: the options are the room's answers to an earlier step." in out
    assert "dots" not in answers.get("pick", {})
    assert "That was the last step." in out


def test_question_mark_prints_the_example_and_earlier_answers_come_first(tmp_path: Path) -> None:
    answers = tmp_path / "answers"
    earlier = Session.open("formative-community", answers, "Rosa")
    earlier.set_answer("welcome", "name", "The Drawing Table \x1b[31m[bold]")
    earlier.save()
    earlier.close()
    session = Session.open("tend-your-community", answers, "Rosa")
    output = io.StringIO()
    try:
        run_plain(session, scripted(["?", "The Drawing Table"]), output)
        saved = session.answer("welcome", "name")
    finally:
        session.close()
    out = output.getvalue()
    recalled = (
        "In Design a Formative Community (Give the community a working name) you wrote:\n  The Drawing Table [bold]\n"
    )
    assert recalled in out, "the earlier answer shows, cleaned of control characters, before the question"
    assert out.index(recalled) < out.index("Which community are you reviewing?")
    assert f"No answer to this one in {answers / 'formative-community--rosa.toml'}." in out
    assert "(Type ? for an example answer.)" in out
    assert "An example answer:\n  The Drawing Table\n" in out
    assert saved == "The Drawing Table", "'?' is not taken as the answer"


def test_question_mark_without_an_example_says_so(workbook_path: Path, tmp_path: Path) -> None:
    out, answers = play(workbook_path, tmp_path / "answers", ["?", "Thursday circle"])
    assert "This question has no example." in out
    assert answers["welcome"]["name"] == "Thursday circle"


def test_missing_earlier_answers_get_one_short_line(tmp_path: Path) -> None:
    session = Session.open("tend-your-community", tmp_path / "answers")
    output = io.StringIO()
    try:
        run_plain(session, scripted([]), output)
    finally:
        session.close()
    missing = f"No earlier answers found in {tmp_path / 'answers' / 'formative-community.toml'}."
    assert output.getvalue().count(missing) == 2  # both recalls of the first question


def test_joining_a_workshop_in_plain_mode_is_present_and_says_what_is_shared(tmp_path: Path) -> None:
    from formative.plain import join_plain
    from formative.workshop.folder import Workshop, create_workshop, save_state
    from formative.workshop.participant import open_participant
    from formative.workshop.presence import read_presence

    create_workshop(tmp_path / "ws", "community-design-workshop", "Thursday", ["Ada"])
    workshop = Workshop.open(tmp_path / "ws")
    save_state(workshop, workshop.state.model_copy(update={"step": "welcome"}))
    session = open_participant(workshop, "Ada")
    seen: list[dict[str, Any]] = []

    def read(prompt: str = "") -> str:
        seen.append({stem: s.step for stem, s in read_presence(workshop.answers_dir).items()})
        if len(seen) > 1:
            raise EOFError
        return "curious"

    output = io.StringIO()
    try:
        join_plain(workshop, session, read, output)
    finally:
        session.close()
    assert seen[0] == {"ada": "welcome"}, "present, on the step shown, while answering"
    assert "Shared with the room — without your name." in output.getvalue()
    assert read_presence(workshop.answers_dir) == {}, "gone once plain mode ends"
