"""A workshop folder's history is the session: the facilitator's app commits at each step and at the End.

Participants' files are written as their apps would; only the facilitator commits, and
only the session's files: never `.formative/`, presence files or lock files.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from formative.answers.store import AnswerStore
from formative.cli import cli
from formative.tui.facilitator.app import FacilitatorApp
from formative.workshop.folder import Workshop, load_workshop_file, save_state, state_folder
from formative.workshop.history import commit_room, room_commit_message, room_files
from formative.workshop.presence import Beacon
from tests.gitutil import changed_in, files_in, git, pilot_commits, subjects


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "ws"
    result = CliRunner().invoke(
        cli, ["workshop", "new", "community-design-workshop", str(folder), "--title", "Thursday circle"]
    )
    assert result.exit_code == 0, result.output
    return folder


def answer(folder: Path, name: str, step_id: str, prompt_id: str, value: str) -> None:
    workshop = Workshop.open(folder)
    store = AnswerStore.open(workshop.participant_file(name), workshop.workbook, person=name)
    try:
        store.set(step_id, prompt_id, value)
    finally:
        store.close()


def test_workshop_new_makes_a_repository_and_commits_the_start(folder: Path) -> None:
    assert subjects(folder) == ["Thursday circle: workshop created", "Thursday circle: a new workshop folder"]
    assert files_in(folder) == {".gitignore", "workshop.toml"}


def test_workshop_new_with_no_git_makes_no_repository(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["workshop", "new", "community-design-workshop", str(tmp_path / "ws"), "--no-git"])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "ws" / ".git").exists()


async def test_moving_the_room_on_commits_the_folder_and_nothing_else(folder: Path) -> None:
    workshop = Workshop.open(folder)
    first, second = workshop.workbook.steps[0], workshop.workbook.steps[1]
    state_folder(folder)  # the server's secrets live here
    (folder / ".formative" / "ssh_host_ed25519_key").write_text("secret\n", encoding="utf-8")
    answer(folder, "Ada", second.id, second.answer_prompts[0].id, "Glad to be here")
    beacon = Beacon(workshop.answers_dir, workshop.participant_file("Ada"), "Ada")
    beacon.arrive(first.id)  # a presence file, as Ada's running app keeps one
    lock = AnswerStore.open(workshop.participant_file("Bo"), workshop.workbook, person="Bo")  # Bo's app is open
    app = FacilitatorApp(workshop, theme="projector")
    app.animation_level = "none"
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            before = len(subjects(folder))
            await pilot.press("right")
            found = await pilot_commits(pilot, folder, before + 1)
            assert found[0] == f"Thursday circle: {first.title}"
            assert changed_in(folder) == {"workshop.toml", "answers/ada.toml"}
            await pilot.press("right")
            found = await pilot_commits(pilot, folder, before + 2)
            assert found[0] == f"Thursday circle: {second.title}"
            assert changed_in(folder) == {"workshop.toml"}
            await pilot.press("space")  # the timer: no commit
            await pilot.pause(0.3)
            assert len(subjects(folder)) == before + 2
    finally:
        lock.close()
        beacon.leave()
    tree = files_in(folder)
    assert "answers/ada.toml" in tree
    assert not any(path.startswith((".formative", "answers/.")) for path in tree)
    assert not any(path.endswith(".lock") for path in tree)


async def test_the_end_action_commits_the_report_and_each_copy(folder: Path) -> None:
    """The coach presses e and confirms: report.md and each person's copy go into the session's history."""
    workshop = Workshop.open(folder)
    second = workshop.workbook.steps[1]
    answer(folder, "Ada", second.id, second.answer_prompts[0].id, "Glad to be here")
    app = FacilitatorApp(workshop, theme="projector")
    app.animation_level = "none"
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        before = len(subjects(folder))
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("enter")  # the confirmation's default answer ends the workshop
        found = await pilot_commits(pilot, folder, before + 1)
    assert found[0] == "Thursday circle: the end"
    tree = files_in(folder)
    assert "report.md" in tree and "each/ada.md" in tree


def test_the_end_is_committed(folder: Path) -> None:
    workshop = Workshop.open(folder)
    before = workshop.state
    after = before.model_copy(update={"ended": 1000.0})
    message = room_commit_message("Thursday circle", workshop.workbook, before, after)
    assert message == "Thursday circle: the end"
    save_state(workshop, after)
    assert commit_room(folder, message).committed
    assert subjects(folder)[0] == "Thursday circle: the end"
    assert load_workshop_file(folder / "workshop.toml").state.ended == 1000.0
    assert "ended = 1000.0" in git(folder, "show", "HEAD:workshop.toml")


def test_only_step_changes_and_the_end_are_worth_a_commit(folder: Path) -> None:
    workshop = Workshop.open(folder)
    state = workshop.state
    assert room_commit_message("T", workshop.workbook, state, state.model_copy(update={"anonymous": False})) is None
    moved = state.model_copy(update={"step": workshop.workbook.steps[3].id})
    assert room_commit_message("T", workshop.workbook, state, moved) == f"T: {workshop.workbook.steps[0].title}"


def test_the_room_files_skip_pipes_links_and_side_files(folder: Path) -> None:
    answers = folder / "answers"
    answer(folder, "Ada", "welcome", "checkin", "Hello")
    (answers / "ada.conflict-20260903-101010.toml").write_text("x = 1\n", encoding="utf-8")
    (answers / "link.toml").symlink_to("/etc/passwd")
    import os

    os.mkfifo(answers / "pipe.toml")
    names = {str(p.relative_to(folder)) for p in room_files(folder)}
    assert names == {"workshop.toml", ".gitignore", "answers/ada.toml"}
