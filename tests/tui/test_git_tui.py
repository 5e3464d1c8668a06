"""Git in the app, with Pilot and real git: commits as the person goes, last time, history, start again.

The commits run in a worker thread; tests wait for them to land (never a fixed sleep).
"""

from __future__ import annotations

import tomllib
from datetime import datetime
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot

from formative.session import Session, begin_sitting
from formative.tui.app import FormativeApp
from formative.tui.screens.history import HistoryScreen
from formative.tui.screens.home import HomeScreen, StartAgainScreen
from formative.tui.widgets.last_time import LastTime
from formative.tui.widgets.prompts import PromptInput
from formative.tui.widgets.status import SaveStatus
from formative.workbook.starter import starter_workbook
from tests.gitutil import git, pilot_commits, subjects
from tests.tui.driving import SIZE, current_step, make_app, prompts_on_screen, step_screen, tab_into, type_text
from tests.tui.test_hosted_app import Notices
from tests.tui.test_prompt_widgets import screen_text

LAST_TIME = "2026-09-03T10:00:00+00:00"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    path = tmp_path / "demo.toml"
    path.write_text(starter_workbook("demo", "Demo"), encoding="utf-8")
    return path


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    return tmp_path / "answers"


async def type_name(pilot: Pilot[None], text: str) -> None:
    app = pilot.app
    assert isinstance(app, FormativeApp)
    name = next(w for w in prompts_on_screen(app) if w.prompt.id == "name")
    await tab_into(pilot, name)
    await pilot.press("end")  # focus selects the text; typing adds to it
    await type_text(pilot, text)


async def wait_until(pilot: Pilot[None], condition: object, timeout: float = 10.0) -> None:
    """Let the app run until condition() holds (a worker reported back, a screen appeared)."""
    assert callable(condition)
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("the condition never held")


async def test_leaving_a_changed_step_commits_once_and_quitting_commits_the_rest(demo: Path, answers: Path) -> None:
    app = make_app(str(demo), answers)
    async with app.run_test(size=SIZE) as pilot:
        await type_name(pilot, "Thursday")
        await pilot.press("ctrl+n")
        assert (await pilot_commits(pilot, answers, 2))[0] == "Demo: Welcome"
        await pilot.press("ctrl+n")  # people: left unchanged
        await pilot.pause(0.3)
        assert current_step(app) == "choose"
        assert len(subjects(answers)) == 2
        await pilot.press("ctrl+b")
        await pilot.press("ctrl+b")  # back on welcome, change it again
        await type_name(pilot, " circle")
        await pilot.press("ctrl+q")
    assert subjects(answers)[:2] == ["Demo: Welcome", "Demo: Welcome"]
    assert "Thursday circle" in git(answers, "show", "HEAD:demo.toml")
    assert git(answers, "status", "--porcelain") == ""
    assert set(git(answers, "ls-tree", "-r", "--name-only", "HEAD").split()) == {".gitignore", "demo.toml"}


async def test_with_no_git_the_app_makes_no_repository(demo: Path, answers: Path) -> None:
    app = make_app(str(demo), answers, git=False)
    async with app.run_test(size=SIZE) as pilot:
        await type_name(pilot, "Thursday")
        await pilot.press("ctrl+n")
        await pilot.press("ctrl+q")
    assert not (answers / ".git").exists()
    assert "Thursday" in (answers / "demo.toml").read_text(encoding="utf-8")


async def test_a_failing_git_is_shown_and_costs_no_answer(demo: Path, answers: Path) -> None:
    app = make_app(str(demo), answers)
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        (answers / ".git" / "index.lock").write_text("", encoding="utf-8")  # git refuses every commit
        await type_name(pilot, "Thursday")
        await pilot.press("ctrl+n")
        screen = step_screen(app)
        await wait_until(pilot, lambda: any("index.lock" in n for n in notices))  # the notification says why
        assert notices[-1].startswith("Not committed to git: git ")
        assert "not committed to git" in str(screen.query_one(SaveStatus).render())
        await pilot.press("ctrl+q")
    assert "Thursday" in (answers / "demo.toml").read_text(encoding="utf-8")
    assert any("were not committed" in line for line in app.farewell)


@pytest.fixture
def second_sitting(demo: Path, answers: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Ada answered the welcome step on 3 Sep 2026; then began a second sitting."""
    monkeypatch.setenv("GIT_AUTHOR_DATE", LAST_TIME)
    session = Session.open(demo, answers)
    session.set_answer("welcome", "name", "Thursday circle")
    session.set_answer("welcome", "story", "Working alone got quiet.")
    session.close()
    monkeypatch.delenv("GIT_AUTHOR_DATE")
    begin_sitting(demo, answers)
    return answers


async def test_a_new_sitting_shows_last_time_and_ctrl_l_copies_it_in(demo: Path, second_sitting: Path) -> None:
    app = make_app(str(demo), second_sitting)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        blocks = list(app.screen.query(LastTime))
        assert [b.key for b in blocks] == [("welcome", "name"), ("welcome", "story")]
        text = screen_text(app)
        assert "Last time (3 Sep 2026) · ctrl+l copies it in:" in text
        assert "Thursday circle" in text
        name = next(w for w in prompts_on_screen(app) if w.prompt.id == "name")
        assert name.value in ("", None)
        await tab_into(pilot, name)
        await pilot.press("ctrl+l")
        await pilot.pause()
        name = next(w for w in prompts_on_screen(app) if w.prompt.id == "name")
        assert name.value == "Thursday circle"
        await type_text(pilot, "!")
        await pilot.press("ctrl+q")
    saved = tomllib.loads((second_sitting / "demo.toml").read_text(encoding="utf-8"))
    assert saved["answers"]["welcome"]["name"] == "Thursday circle!"
    assert saved["formative"]["sitting"] == 2


async def test_a_key_typed_right_after_ctrl_l_writes_on_after_the_copied_words(
    demo: Path, second_sitting: Path
) -> None:
    """Ctrl+L focuses the answer it fills, and focusing an Input selects its text: the cursor went to
    the end only after the next refresh, so a key that came first (a slow machine, an SSH link)
    replaced the copied words."""
    app = make_app(str(demo), second_sitting)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        name = next(w for w in prompts_on_screen(app) if w.prompt.id == "name")
        await tab_into(pilot, name)
        await step_screen(app).action_copy_last()
        app.post_message(events.Key("exclamation_mark", "!"))  # before any refresh
        await pilot.pause()
        name = next(w for w in prompts_on_screen(app) if w.prompt.id == "name")
        assert name.value == "Thursday circle!"


async def test_ctrl_l_never_overwrites_words(demo: Path, second_sitting: Path) -> None:
    app = make_app(str(demo), second_sitting)
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await type_name(pilot, "Mine now")
        await pilot.press("ctrl+l")  # on the name, which has words: refused
        await pilot.pause()
        name = next(w for w in prompts_on_screen(app) if w.prompt.id == "name")
        assert name.value == "Mine now"
        assert any("not empty" in n for n in notices)


async def test_the_history_screen_shows_earlier_versions(demo: Path, second_sitting: Path) -> None:
    app = make_app(str(demo), second_sitting)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen) and app.screen.query(".history-version"))
        text = screen_text(app)
        assert "History: Welcome" in text
        assert "3 Sep 2026 10:00 · sitting 1" in text
        assert "Thursday circle" in text
        await pilot.press("escape")
        assert current_step(app) == "welcome"


async def test_home_marks_a_due_review_and_starts_again(answers: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2026-06-01T09:00:00+00:00")
    session = Session.open("work-your-network", answers)
    step = session.workbook.steps[1]
    prompt = step.answer_prompts[0]
    session.set_answer(step.id, prompt.id, "To learn how product teams work")
    session.close()
    monkeypatch.delenv("GIT_AUTHOR_DATE")
    monkeypatch.setattr(HomeScreen, "now", staticmethod(lambda: datetime(2026, 10, 15).astimezone()))
    app = make_app(None, answers)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "due for a review: last sitting 4 months ago" in screen_text(app)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, StartAgainScreen))
        await pilot.click("#again")
        await wait_until(pilot, lambda: app.session is not None)
        assert app.session is not None and app.session.store.sitting == 2
        await pilot.press("ctrl+n")  # the first step only reads; the question is on the second
        await wait_until(pilot, lambda: current_step(app) == step.id)
        assert [b.key for b in app.screen.query(LastTime)] == [(step.id, prompt.id)]
        assert "To learn how product teams work" in screen_text(app)
        assert not any(isinstance(w, PromptInput) and w.value for w in prompts_on_screen(app))
    assert subjects(answers)[0] == "Work your network, four ways: sitting 2 begins"


async def test_start_again_is_offered_only_on_a_workbook_in_progress(answers: Path) -> None:
    Session.open("work-your-network", answers).close()
    app = make_app(None, answers)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        assert screen.check_action("start_again", ()) is True  # the Continue list has the focus
        await pilot.press("tab")  # to the Start list
        assert screen.check_action("start_again", ()) is None


async def test_a_pull_on_start_shows_the_other_machine_s_answer(demo: Path, tmp_path: Path) -> None:
    remote, here, there = tmp_path / "remote.git", tmp_path / "here", tmp_path / "there"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    session = Session.open(demo, here)
    session.set_answer("welcome", "name", "Thursday circle")
    session.close()
    git(here, "remote", "add", "origin", str(remote))
    git(here, "push", "-q", "-u", "origin", "HEAD")
    git(here, "config", "formative.sync", "true")
    git(tmp_path, "clone", "-q", str(remote), str(there))
    path = there / "demo.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("Thursday circle", "From the laptop"), encoding="utf-8")
    git(there, "commit", "-qam", "laptop")
    git(there, "push", "-q")
    app = make_app(str(demo), here)
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await pilot.press("ctrl+b")  # back to the welcome step, where the name is
        await wait_until(
            pilot, lambda: any(w.prompt.id == "name" and w.value == "From the laptop" for w in prompts_on_screen(app))
        )
        assert any(n.startswith("Brought in 1 commit from origin/") for n in notices)
