"""A hosted participant's app (FormativeApp(hosted=True)): no door to the server, whichever driver runs it.

The same app, not hosted, keeps every feature: each test that takes something away from
a hosted participant checks that it is there for a person at their own computer.
"""

from __future__ import annotations

import webbrowser
from pathlib import Path

import pytest
from textual.app import SuspendNotSupported
from textual.message import Message
from textual.notifications import Notify
from textual.widgets import Static

from formative.answers.lock import FileLock
from formative.tui.app import FormativeApp
from formative.tui.hosting import NO_EDITOR, NOT_HERE
from formative.tui.screens.finish import FinishScreen
from formative.tui.screens.problem import ProblemScreen
from formative.tui.widgets.prompts import LongTextInput
from formative.tui.widgets.status import SaveStatus
from formative.workbook.starter import starter_workbook
from formative.workshop.folder import Workshop, create_workshop
from tests.tui.driving import SIZE, step_screen, tab_into, type_text
from tests.tui.test_prompt_widgets import screen_text


@pytest.fixture
def workshop(tmp_path: Path) -> Workshop:
    """A workshop on the starter workbook: step one has a short answer, then a long one."""
    (tmp_path / "demo.toml").write_text(starter_workbook("demo", "Demo"), encoding="utf-8")
    create_workshop(tmp_path / "thursday", str(tmp_path / "demo.toml"), "Thursday", ["Ada"])
    return Workshop.open(tmp_path / "thursday")


class Notices(list[str]):
    """The notifications an app shows, as a run_test message hook collects them."""

    def __call__(self, message: Message) -> None:
        if isinstance(message, Notify):
            self.append(message.notification.message)


def participant(workshop: Workshop, hosted: bool = True) -> FormativeApp:
    app = FormativeApp(
        str(workshop.workbook_path),
        answers_dir=workshop.answers_dir,
        person="Ada",
        workshop=workshop,
        hosted=hosted,
    )
    app.animation_level = "none"
    return app


async def test_ctrl_e_runs_no_editor_and_says_so(
    workshop: Workshop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "editor-ran"
    editor = tmp_path / "editor.sh"
    editor.write_text(f"#!/bin/sh\ntouch {marker}\n")
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    monkeypatch.setenv("VISUAL", str(editor))
    app = participant(workshop)
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await tab_into(pilot, app.screen.query_one(LongTextInput))
        await type_text(pilot, "words")
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert notices == [NO_EDITOR]
        assert app.screen.query_one(LongTextInput).current_value() == "words"
    assert not marker.exists()


async def test_the_palette_offers_only_safe_commands(workshop: Workshop) -> None:
    for hosted, expected_missing in ((True, {"Screenshot", "Export Markdown"}), (False, set())):
        app = participant(workshop, hosted=hosted)
        async with app.run_test(size=SIZE):
            titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Theme", "Quit", "Keys", "Outline", "Review answers", "Save now", "Projector theme"} <= titles
        assert titles & {"Screenshot", "Export Markdown"} == {"Screenshot", "Export Markdown"} - expected_missing


async def test_server_side_actions_are_refused(
    workshop: Workshop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *args, **kwargs: opened.append(url))
    monkeypatch.chdir(tmp_path)
    app = participant(workshop)
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        assert await app.run_action("screenshot") is True  # handled: by refusing
        assert await app.run_action("app.screenshot('x.svg', '.')") is True
        assert app.deliver_screenshot() is None
        await app.run_action("suspend_process")
        with pytest.raises(SuspendNotSupported), app.suspend():
            pass
        app.open_url("https://example.org/")
        await pilot.pause()
    assert notices[:4] == [NOT_HERE] * 4
    assert notices[4] == "Open this link on your own computer: https://example.org/"
    assert not list(tmp_path.glob("*.svg")) and not list(tmp_path.glob("**/*.md"))
    assert opened == []


async def test_the_save_line_names_the_file_within_the_workshop(workshop: Workshop) -> None:
    for hosted, expected in ((True, "answers/ada.toml"), (False, str(workshop.answers_dir / "ada.toml"))):
        app = participant(workshop, hosted=hosted)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            line = str(step_screen(app).query_one(SaveStatus).render())
        assert line.endswith(expected), line
        if hosted:
            assert str(workshop.folder) not in line


async def test_answers_open_elsewhere_name_no_process_user_or_host(workshop: Workshop) -> None:
    lock = FileLock(workshop.participant_file("Ada"))
    lock.acquire()
    try:
        app = participant(workshop)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, ProblemScreen)
            message = str(app.screen.query_one("#problem-message", Static).render())
    finally:
        lock.release()
    assert "Your answers are already open in another window" in message
    assert "process" not in message and str(workshop.folder) not in message


async def test_problems_name_files_without_the_servers_folders(workshop: Workshop, tmp_path: Path) -> None:
    workshop.workbook_path.write_text("[workbook\n")  # broken after the workshop was opened
    app = participant(workshop)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ProblemScreen)
        message = str(app.screen.query_one("#problem-message", Static).render())
    assert "demo.toml:1" in message
    assert str(tmp_path) not in message and "/tmp" not in message


async def test_the_finish_screen_offers_no_export_when_hosted(workshop: Workshop) -> None:
    for hosted in (True, False):
        app = participant(workshop, hosted=hosted)
        async with app.run_test(size=SIZE) as pilot:
            assert app.session is not None
            await app.push_screen(FinishScreen(app.session))
            await pilot.pause()
            has_export = bool(app.screen.query("#export"))
            text = screen_text(app)
        assert has_export is not hosted
        # The server's folder is named only to a local participant (however its long path wraps).
        assert (str(workshop.folder)[:20] in text) is not hosted
        if hosted:
            assert "answers/ada.toml" in text and "/tmp" not in text


async def test_notices_and_the_save_line_never_show_server_paths(workshop: Workshop) -> None:
    """Whatever screen or widget reports an error (a full disk, say), a hosted participant sees no server path."""
    failure = f"[Errno 28] No space left on device: '{workshop.answers_dir.resolve()}/.ada.toml.tmp'"
    app = participant(workshop)
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        screen = step_screen(app)
        screen.notify(f"Could not save: {failure}", markup=False)
        screen.query_one(SaveStatus).failed(failure)
        await pilot.pause()
        line = str(screen.query_one(SaveStatus).render())
    assert notices == ["Could not save: [Errno 28] No space left on device: 'answers/.ada.toml.tmp'"]
    assert "(" in line and "'answers/.ada.toml.tmp'" in line and "/tmp" not in line
