"""Paint first: a fresh sitting's first step shows before the workbook is loaded, and nothing typed is lost.

The session's opening is held back (a gate the test opens) so keys really arrive while
only the first paint is on screen, however fast the machine.
"""

from __future__ import annotations

import threading
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from formative.tui.app import FormativeApp, Problem
from formative.tui.screens.first_paint import FirstPaintScreen
from formative.tui.screens.problem import ProblemScreen
from formative.tui.screens.step import StepScreen
from formative.tui.widgets.guidance import Guidance
from formative.tui.widgets.safe_text import visible

from .driving import SIZE


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Opening the session waits for this event: the test decides when the step screen may come."""
    event = threading.Event()
    real = FormativeApp.try_open

    def held(self: FormativeApp, *args: Any, **kwargs: Any) -> Any:
        if threading.current_thread() is not threading.main_thread():
            event.wait(timeout=30)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(FormativeApp, "try_open", held)
    yield event
    event.set()


def painted_first(workbook: str, answers: Path) -> FormativeApp:
    app = FormativeApp(workbook, answers_dir=answers, paint_first=True)
    app.animation_level = "none"
    return app


async def until_step_screen(pilot: Pilot[None]) -> StepScreen:
    for _ in range(200):
        if isinstance(pilot.app.screen, StepScreen) and pilot.app.screen.is_mounted:
            break
        await pilot.pause(0.02)
    await pilot.pause(0.1)
    screen = pilot.app.screen
    assert isinstance(screen, StepScreen)
    return screen


def saved(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


async def test_the_first_step_shows_before_the_workbook_is_loaded(gate: threading.Event, tmp_path: Path) -> None:
    app = painted_first("formative-community", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.1)
        screen = app.screen
        assert isinstance(screen, FirstPaintScreen)
        header = str(screen.query_one("#step-header").render())
        assert "Step 1 of 15" in header and "A community with a purpose and a shape" in header
        assert [w.classes for w in screen.query(Guidance)] == [{"section-intro"}, {"step-body"}]
        assert app.session is None  # nothing opened, nothing locked yet
        assert not (tmp_path / "formative-community.toml").exists()
        gate.set()
        step = await until_step_screen(pilot)
        assert step.walk.current.id == "about"


async def test_words_typed_on_the_first_paint_reach_the_answer(gate: threading.Event, tmp_path: Path) -> None:
    """Every key, in order: the first one too (focusing the answer must not select it and type over it)."""
    app = painted_first("tend-your-community", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.1)
        await pilot.press(*"The", "space", *"Drawing", "space", "backspace", "space", *"Table")
        screen = app.screen
        assert isinstance(screen, FirstPaintScreen) and len(screen.typed) == 19
        gate.set()
        step = await until_step_screen(pilot)
        await pilot.press("space", *"now")  # typing on after them: the words are not selected and replaced
        await pilot.press("ctrl+s")
        await pilot.pause(0.1)
        assert step.session.answer("welcome", "name") == "The Drawing Table now"
    assert saved(tmp_path / "tend-your-community.toml")["answers"]["welcome"]["name"] == "The Drawing Table now"


async def test_a_paste_on_the_first_paint_is_kept(gate: threading.Event, tmp_path: Path) -> None:
    app = painted_first("tend-your-community", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.1)
        from textual import events

        app.post_message(events.Paste("Pasted name"))
        await pilot.pause(0.1)
        gate.set()
        step = await until_step_screen(pilot)
        await pilot.pause(0.1)
        assert step.session.answer("welcome", "name") == "Pasted name"


async def test_quit_after_typing_on_the_first_paint_saves_the_words(gate: threading.Event, tmp_path: Path) -> None:
    app = painted_first("tend-your-community", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.1)
        await pilot.press(*"Kept", "ctrl+q")
        assert app.is_running  # the words are not in any answer yet: quitting waits for them
        gate.set()
        for _ in range(200):
            if not app.is_running:
                break
            await pilot.pause(0.02)
    assert saved(tmp_path / "tend-your-community.toml")["answers"]["welcome"]["name"] == "Kept"


async def test_a_workbook_that_fails_validation_gets_the_located_error(tmp_path: Path) -> None:
    """The first paint reads it, then validation refuses it exactly as without the first paint."""
    path = tmp_path / "bad.toml"
    path.write_text(
        'format = 1\nid = "bad"\ntitle = "Bad"\n[[sections]]\nid = "s"\ntitle = "S"\n'
        '[[sections.steps]]\nid = "a"\ntitle = "A"\nbody = "Hello."\n'
        '[[sections.steps.prompts]]\nid = "p"\nkind = "slider"\nlabel = "P"\n',
        encoding="utf-8",
    )
    app = painted_first(str(path), tmp_path / "answers")
    expected = app.try_open(str(path), None)
    assert isinstance(expected, Problem)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(200):
            if isinstance(app.screen, ProblemScreen):
                break
            await pilot.pause(0.02)
        screen = app.screen
        assert isinstance(screen, ProblemScreen)
        assert screen.message == expected.message
        assert f"{path}:13:1: sections[0].steps[0].prompts[0].kind" in visible(screen.message)
        assert app.session is None


async def test_resuming_shows_the_step_screen_without_a_first_paint(tmp_path: Path) -> None:
    """With answers on file, where to resume needs them checked: the full load decides at once."""
    (tmp_path / "formative-community.toml").write_text(
        '[formative]\nformat = 1\nworkbook = "formative-community"\n\n[answers.welcome]\nname = "X"\n',
        encoding="utf-8",
    )
    app = painted_first("formative-community", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.1)
        screen = app.screen
        assert isinstance(screen, StepScreen)
        assert screen.walk.current.id != "welcome"


async def test_a_resumed_sitting_paints_first_what_the_last_one_remembered(
    gate: threading.Event, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Quitting keeps where the next start resumes; that start paints it before loading, then the same step."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    gate.set()
    app = painted_first("formative-community", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until_step_screen(pilot)
        await pilot.press("ctrl+n")  # past the opening page, to the first question
        await pilot.pause(0.1)
        await pilot.press(*"Supper", "ctrl+q")
    gate.clear()
    app = painted_first("formative-community", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.1)
        screen = app.screen
        assert isinstance(screen, FirstPaintScreen) and screen.first.filled
        assert "Step 3 of 15" in str(screen.query_one("#step-header").render())
        gate.set()
        step = await until_step_screen(pilot)
        assert (step.walk.progress().position, step.walk.current.title) == (3, screen.first.title)
        assert step.session.answer("welcome", "name") == "Supper"


async def test_words_and_quit_in_one_burst_are_kept_in_order(gate: threading.Event, tmp_path: Path) -> None:
    """Keys read from the terminal in one go (pasted text, a fast typist): Ctrl+Q must not overtake them."""
    from textual import events

    app = painted_first("tend-your-community", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.1)
        for key, character in [("a", "a"), ("b", "b"), ("backspace", None), ("c", "c"), ("ctrl+q", None)]:
            app.post_message(events.Key(key, character))
        await pilot.pause(0.1)
        assert app.is_running
        gate.set()
        for _ in range(200):
            if not app.is_running:
                break
            await pilot.pause(0.02)
    assert saved(tmp_path / "tend-your-community.toml")["answers"]["welcome"]["name"] == "ac"


async def test_keys_typed_during_the_handover_keep_their_order(gate: threading.Event, tmp_path: Path) -> None:
    """Typing on while the step screen takes over: no key jumps ahead of those typed before it.

    The kill loop saw 'the quick' saved as 'teh quick': keys typed after the step screen had
    focused the answer went straight in, ahead of the first paint's keys still to be replayed.
    """
    import asyncio

    from textual import events

    app = painted_first("tend-your-community", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.1)
        await pilot.press("t")
        gate.set()
        for character in "he quick brown fox":  # a typist at 100 keys a second through the handover
            key = "space" if character == " " else character
            app.post_message(events.Key(key, character))
            await asyncio.sleep(0.01)
        step = await until_step_screen(pilot)
        await pilot.pause(0.2)
        assert step.session.answer("welcome", "name") == "the quick brown fox"


async def test_keys_arriving_before_the_step_screen_is_built_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A participant typing as their step screen takes over from the first paint, before it has its widgets.

    Nothing was typed on the first paint, so nothing waited to be replayed: the step screen
    looked for its content to decide where the key goes, found none yet, and crashed the app
    (a hosted participant typing on the first paint over SSH: the flaky crash-log test).
    """
    from textual import events

    from formative.workbook.starter import starter_workbook
    from formative.workshop.folder import Workshop, create_workshop

    (tmp_path / "demo.toml").write_text(starter_workbook("demo", "Demo"), encoding="utf-8")
    create_workshop(tmp_path / "thursday", str(tmp_path / "demo.toml"), "Thursday", ["Ada"])
    workshop = Workshop.open(tmp_path / "thursday")
    real = FormativeApp.show_opened

    def then_type(self: FormativeApp, opened: Any) -> None:
        real(self, opened)
        assert isinstance(self.screen, StepScreen) and not self.screen.is_mounted
        for character in "kept":
            self.post_message(events.Key(character, character))

    monkeypatch.setattr(FormativeApp, "show_opened", then_type)
    app = FormativeApp.joining(workshop, "Ada", hosted=True)
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        step = await until_step_screen(pilot)
        await pilot.pause(0.1)
        assert step.session.answer("welcome", "name") == "kept"


async def test_a_key_typed_while_nothing_has_the_focus_starts_the_first_answer(tmp_path: Path) -> None:
    """Between the step screen's build and its first focus nothing is focused: a key then went to the
    screen and was dropped, and over SSH a burst came out reordered ('Otters' as 'tOters')."""
    from textual import events
    from textual.widgets import Input

    from formative.workbook.starter import starter_workbook

    (tmp_path / "demo.toml").write_text(starter_workbook("demo", "Demo"), encoding="utf-8")
    app = FormativeApp(str(tmp_path / "demo.toml"), answers_dir=tmp_path / "answers", git=False)
    async with app.run_test(size=SIZE) as pilot:
        step = await until_step_screen(pilot)
        field = step.query(Input).first()
        step.set_focus(None)
        app.post_message(events.Key("O", "O"))
        await pilot.pause()
        step.set_focus(field)  # the focus the step screen asked for arrives
        for character in "tters":
            app.post_message(events.Key(character, character))
        await pilot.pause(0.2)
        assert field.value == "Otters"


async def test_a_participants_host_hears_of_the_first_paint_once_before_the_step_screen(tmp_path: Path) -> None:
    """The host lowers an arriving app's priority once its first paint is out (serve/child.py):
    called before the step screen is built, it lets later arrivals paint first; called never,
    or after the build, the app competes with them for the whole of its arrival."""
    from formative.workbook.starter import starter_workbook
    from formative.workshop.folder import Workshop, create_workshop

    (tmp_path / "demo.toml").write_text(starter_workbook("demo", "Demo"), encoding="utf-8")
    create_workshop(tmp_path / "thursday", str(tmp_path / "demo.toml"), "Thursday", ["Ada"])
    app = FormativeApp.joining(Workshop.open(tmp_path / "thursday"), "Ada", hosted=True)
    screens_when_called: list[str] = []
    app.after_first_paint = lambda: screens_when_called.append(type(app.screen).__name__)
    async with app.run_test(size=SIZE) as pilot:
        await until_step_screen(pilot)
        await pilot.pause(0.1)
    assert screens_when_called == ["FirstPaintScreen"]


async def test_a_key_on_the_first_paint_is_kept_in_the_apps_own_turn(gate: threading.Event, tmp_path: Path) -> None:
    """Kept as the app takes it, not a turn later through the focused widget: a key still on that
    way when the step screen took over came after keys typed behind it ('zesty' as 'ezsty')."""
    from textual import events

    app = painted_first("tend-your-community", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.1)
        first_paint = app.screen
        assert isinstance(first_paint, FirstPaintScreen)
        await app.on_event(events.Key("z", "z"))  # the app's turn only: no other queue runs here
        await app.on_event(events.Paste("est"))
        assert [getattr(event, "character", None) or getattr(event, "text", "") for event in first_paint.typed] == [
            "z",
            "est",
        ]
        gate.set()
        step = await until_step_screen(pilot)
        await pilot.pause(0.1)
        assert step.session.answer("welcome", "name") == "zest"
