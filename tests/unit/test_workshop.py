"""Workshops without a UI: the folder, names to files, the timer, groups, the room, the report."""

from __future__ import annotations

import random
import tomllib
from pathlib import Path

import pytest

from formative.answers import AnswerStore, LockedError
from formative.workbook import WorkbookError
from formative.workbook.model import DotVote
from formative.workshop import timer
from formative.workshop.folder import FacilitatorLock, Workshop, create_workshop, read_roster, save_state
from formative.workshop.pairs import draw_groups, partners
from formative.workshop.participant import open_participant
from formative.workshop.report import export_participants, render_report
from formative.workshop.room import Room
from tests.unit.rendered import read

WORKBOOK = "community-design-workshop"


@pytest.fixture
def workshop(tmp_path: Path) -> Workshop:
    create_workshop(tmp_path / "ws", WORKBOOK, "Thursday room", ["Ada", "Bo", "Cy"])
    return Workshop.open(tmp_path / "ws")


def answer(workshop: Workshop, name: str, values: dict[tuple[str, str], object]) -> Path:
    path = workshop.participant_file(name)
    with AnswerStore.open(path, workshop.workbook, person=name) as store:
        for (step_id, prompt_id), value in values.items():
            store.set(step_id, prompt_id, value)  # type: ignore[arg-type]
    return path


def first_shared_text_prompt(workshop: Workshop) -> tuple[str, str]:
    for step in workshop.workbook.steps:
        if step.shared:
            for prompt in step.answer_prompts:
                if prompt.kind in ("short_text", "long_text"):
                    return step.id, prompt.id
    raise AssertionError("the workshop workbook has no shared text prompt")


def test_new_workshop_writes_file_and_answers_folder(workshop: Workshop) -> None:
    data = tomllib.loads(workshop.path.read_text(encoding="utf-8"))
    assert data["workshop"] == {"format": 1, "title": "Thursday room", "workbook": WORKBOOK}
    assert data["roster"] == ["Ada", "Bo", "Cy"]
    assert data["state"]["step"] == workshop.workbook.steps[0].id
    assert workshop.answers_dir.is_dir()


def test_new_workshop_refuses_to_overwrite(workshop: Workshop) -> None:
    with pytest.raises(WorkbookError, match="already exists"):
        create_workshop(workshop.folder, WORKBOOK, None, [])


def test_roster_file_skips_blanks_comments_and_repeats(tmp_path: Path) -> None:
    path = tmp_path / "names.txt"
    path.write_text("# the room\nAda\n\n  Bo  \nAda\nЗоя\n", encoding="utf-8")
    assert read_roster(path) == ["Ada", "Bo", "Зоя"]


def test_workshop_file_errors_are_located(workshop: Workshop) -> None:
    text = workshop.path.read_text(encoding="utf-8").replace("pace =", "paec =")
    workshop.path.write_text(text, encoding="utf-8")
    with pytest.raises(WorkbookError) as caught:
        Workshop.open(workshop.folder)
    assert "state.paec: unknown key" in str(caught.value)
    assert f"{workshop.path}:" in str(caught.value)


@pytest.mark.parametrize("name", ["../../etc/passwd", "a/b\\c", ".hidden", "CON", "李小龙", "Zoë O'Neil"])
def test_participant_files_stay_in_the_answers_folder(workshop: Workshop, name: str) -> None:
    path = workshop.participant_file(name)
    assert path.parent == workshop.answers_dir
    assert not path.name.startswith(".")


def test_names_that_collide_get_their_own_files(workshop: Workshop) -> None:
    first = answer(workshop, "Ana", {})
    second = workshop.participant_file("Ana!")
    assert first.name == "ana.toml"
    assert second.name == "ana-2.toml"
    assert workshop.participant_file("Ana") == first, "the same person gets the same file back"
    assert workshop.participant_file("ANA") == first, "names match whatever their case"


def test_a_participant_opens_only_their_own_file(workshop: Workshop) -> None:
    session = open_participant(workshop, "Ada")
    try:
        assert session.path == workshop.answers_dir / "ada.toml"
        with pytest.raises(LockedError):
            open_participant(workshop, "Ada")
        other = open_participant(workshop, "Bo")
        assert other.path != session.path
        other.close()
    finally:
        session.close()


def test_timer_start_pause_add_and_phases() -> None:
    t = timer.set_minutes(5)
    assert timer.remaining(t, 100.0) == 300
    running = timer.start(t, 100.0)
    assert timer.remaining(running, 160.0) == 240
    paused = timer.pause(running, 160.0)
    assert not timer.running(paused) and paused.remaining == 240
    assert timer.remaining(paused, 9999.0) == 240
    longer = timer.add(timer.start(paused, 200.0), 60, 200.0)
    assert timer.remaining(longer, 200.0) == 300
    assert timer.clock(61.2) == "1:02" and timer.clock(0) == "0:00"
    assert timer.phase(200, 300) == "ok"
    assert timer.phase(50, 300) == "warning"
    assert timer.phase(0, 300) == "over"
    finished = timer.add(timer.start(timer.set_minutes(1), 0.0), 60, 500.0)
    assert timer.remaining(finished, 500.0) == 60, "adding to a finished timer starts from now"


def test_groups_are_pairs_with_one_trio_and_repeatable() -> None:
    names = ["Ada", "Bo", "Cy", "Di", "Ed"]
    groups = draw_groups(names, "pair", rng=random.Random(7))
    assert sorted(len(g) for g in groups) == [2, 3]
    assert sorted(n for g in groups for n in g) == sorted(names)
    assert draw_groups(names, "pair", rng=random.Random(7)) == groups
    someone = groups[0][0]
    assert set(partners(groups, someone)) == set(groups[0]) - {someone}
    assert partners(groups, "Nobody") == []
    assert draw_groups(["Solo"], "pair") == [], "one person alone is never a group"


def test_state_saves_keep_the_coaches_edits(workshop: Workshop) -> None:
    text = workshop.path.read_text(encoding="utf-8")
    workshop.path.write_text(text.replace('title = "Thursday room"', 'title = "Thursday room" # our room'), "utf-8")
    workshop.reload()
    step = workshop.workbook.steps[2].id
    save_state(workshop, workshop.state.model_copy(update={"step": step, "anonymous": True}))
    again = Workshop.open(workshop.folder)
    assert again.state.step == step and again.state.anonymous
    assert "# our room" in workshop.path.read_text(encoding="utf-8")


def test_one_facilitator_at_a_time(workshop: Workshop) -> None:
    lock = FacilitatorLock(workshop)
    try:
        with pytest.raises(LockedError):
            FacilitatorLock(workshop)
    finally:
        lock.release()
    FacilitatorLock(workshop).release()


def test_room_reads_answers_and_notices_changes(workshop: Workshop) -> None:
    step_id, prompt_id = first_shared_text_prompt(workshop)
    room = Room(workshop)
    assert room.refresh() is False
    answer(workshop, "Bo", {(step_id, prompt_id): "Bo's [bold]answer"})
    answer(workshop, "Ada", {(step_id, prompt_id): "Ada's answer"})
    answer(workshop, "Zed", {(step_id, prompt_id): "a late joiner"})
    assert room.refresh() is True
    assert room.refresh() is False, "nothing changed, nothing re-read"
    assert [p.name for p in room.participants] == ["Ada", "Bo", "Zed"]
    assert room.names() == ["Ada", "Bo", "Cy", "Zed"]
    step = workshop.workbook.step(step_id)
    assert step is not None
    shared = room.shared_answers(step)
    assert [(a.name, a.value) for a in shared][:2] == [("Ada", "Ada's answer"), ("Bo", "Bo's [bold]answer")]
    answered, answerable, _ = room.progress(room.participants[0])
    assert answered >= 1 and answerable > answered


def test_room_reads_only_the_files_it_is_told_changed(workshop: Workshop) -> None:
    """A participant's app re-reads the files a change notification names, never the whole folder."""
    step_id, prompt_id = first_shared_text_prompt(workshop)
    ada = answer(workshop, "Ada", {(step_id, prompt_id): "first"})
    room = Room(workshop)
    assert room.refresh() is True
    bo = answer(workshop, "Bo", {(step_id, prompt_id): "Bo's"})
    answer(workshop, "Ada", {(step_id, prompt_id): "changed"})
    assert room.refresh([bo]) is True
    assert room.values(step_id, prompt_id) == ["first", "Bo's"], "Ada's file was not named, so not read"
    assert room.refresh([workshop.answers_dir / ".bo.toml.tmp", workshop.folder / "workshop.toml"]) is False
    assert room.refresh([ada]) is True
    assert room.values(step_id, prompt_id) == ["changed", "Bo's"]
    bo.unlink()
    assert room.refresh([bo]) is True
    assert [p.name for p in room.participants] == ["Ada"], "a removed file leaves the room"
    assert room.refresh([bo]) is False


def test_room_keeps_last_good_answers_of_a_broken_file(workshop: Workshop) -> None:
    step_id, prompt_id = first_shared_text_prompt(workshop)
    path = answer(workshop, "Ada", {(step_id, prompt_id): "kept"})
    room = Room(workshop)
    room.refresh()
    path.write_text("[formative\n", encoding="utf-8")
    room.refresh()
    assert room.values(step_id, prompt_id) == ["kept"]


def dot_vote(workshop: Workshop) -> tuple[str, DotVote] | None:
    for step in workshop.workbook.steps:
        for prompt in step.prompts:
            if isinstance(prompt, DotVote):
                return step.id, prompt
    return None


def test_votes_tally_across_the_room(workshop: Workshop) -> None:
    found = dot_vote(workshop)
    assert found is not None, "the bundled workshop should have a dot-vote step"
    step_id, prompt = found
    source_step, source_prompt = prompt.options_from.split(".")
    answer(workshop, "Ada", {(source_step, source_prompt): "Supper club"})
    answer(workshop, "Bo", {(source_step, source_prompt): "Walking group"})
    room = Room(workshop)
    room.refresh()
    session = open_participant(workshop, "Cy", room)
    try:
        options = session.walk.options(prompt)
        assert options == ["Supper club", "Walking group"]
        session.set_answer(step_id, prompt.id, ["Walking group", "Walking group", "Supper club"][: prompt.votes])
    finally:
        session.close()
    room.refresh()
    step = workshop.workbook.step(step_id)
    assert step is not None
    tally = dict(room.tally(step, prompt))
    assert tally["Walking group"] >= 1 and sum(tally.values()) == min(3, prompt.votes)


def test_a_hand_edited_file_gives_no_more_votes_than_the_prompt_allows(workshop: Workshop) -> None:
    """Each person's votes are capped as the widget caps them: `votes` in all, `max_per_option` on one answer."""
    found = dot_vote(workshop)
    assert found is not None
    step_id, prompt = found
    assert (prompt.votes, prompt.max_per_option) == (3, 2), "the bundled dot vote changed: adjust the counts below"
    source_step, source_prompt = prompt.options_from.split(".")
    answer(workshop, "Ada", {(source_step, source_prompt): "Supper club", (step_id, prompt.id): ["Supper club"] * 10})
    answer(workshop, "Bo", {(source_step, source_prompt): "Walking group"})
    answer(workshop, "Cy", {(step_id, prompt.id): ["Walking group"] * 2 + ["Supper club"] * 5})
    room = Room(workshop)
    room.refresh()
    step = workshop.workbook.step(step_id)
    assert step is not None
    assert dict(room.tally(step, prompt)) == {"Supper club": 2 + 1, "Walking group": 2}


def test_report_has_shared_answers_names_and_anonymity(workshop: Workshop, tmp_path: Path) -> None:
    step_id, prompt_id = first_shared_text_prompt(workshop)
    answer(workshop, "Ada", {(step_id, prompt_id): "Line one\nLine two [@click=app.quit]"})
    answer(workshop, "Bo", {(step_id, prompt_id): "Bo's view"})
    save_state(workshop, workshop.state.model_copy(update={"anonymous": False}))
    room = Room(workshop)
    room.refresh()
    report = render_report(room)
    assert report.startswith("# Thursday room")
    shown = read(report).text
    assert "Ada: Line one\nLine two [@click=app.quit]" in shown and "Bo: Bo's view" in shown
    save_state(workshop, workshop.state.model_copy(update={"anonymous": True}))
    anonymous = render_report(room)
    assert "Ada" not in anonymous and "Bo's view" in read(anonymous).text
    written = export_participants(room, tmp_path / "each")
    assert sorted(p.name for p in written) == ["ada.md", "bo.md"]
    assert "Bo's view" in (tmp_path / "each" / "bo.md").read_text(encoding="utf-8")


def test_entering_a_table_step_seats_the_room_at_tables(workshop: Workshop) -> None:
    from formative.workshop.facilitation import enter_step

    step = next(s for s in workshop.workbook.steps if s.mode == "table")
    names = [f"P{n}" for n in range(14)]
    state = enter_step(workshop.state, step, names, random.Random(1))
    tables = state.pairs[step.id]
    assert sorted(len(t) for t in tables) == [4, 5, 5]
    assert sorted(name for t in tables for name in t) == sorted(names)
    again = enter_step(state, step, names, random.Random(2))
    assert again.pairs[step.id] == tables, "tables already drawn are kept"
    solo = next(s for s in workshop.workbook.steps if s.mode == "solo")
    assert solo.id not in enter_step(workshop.state, solo, names).pairs
