"""A solo sitting without friction (issue 13): warnings that go once resolved, ↑/↓ and undo in
lists and records, Quit always in the footer, the editor named, and a parting line on quit."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.message import Message
from textual.notifications import Notify
from textual.widgets import Button, Input, Static, TextArea

from formative.tui.app import FormativeApp
from formative.tui.screens.finish import FinishScreen
from formative.tui.widgets.items import ListInput, RecordsInput
from formative.tui.widgets.prompt_base import ItemInput
from formative.tui.widgets.prompts import PromptInput
from formative.workbook.starter import starter_workbook
from tests.tui.driving import make_app, step_screen
from tests.tui.test_snapshots import DEMO_ANSWERS, fill


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    path = tmp_path / "demo.toml"
    path.write_text(starter_workbook("demo", "Demo"), encoding="utf-8")
    return path


def nav_hint(app: FormativeApp) -> str:
    return str(step_screen(app).query_one("#nav-hint", Static).render())


async def test_warnings_go_once_answered(demo: Path, tmp_path: Path) -> None:
    """Ctrl+N on an empty required answer warns; typing the answer takes both warnings away."""
    app = make_app(str(demo), tmp_path / "answers")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+n")
        await pilot.pause()
        name = step_screen(app).query_one("#prompt-name")
        assert name.has_class("-invalid")
        assert nav_hint(app) == "1 answer needs attention"
        name.query_one(Input).focus()
        await pilot.press("A")
        await pilot.pause()
        assert not name.has_class("-invalid")
        assert nav_hint(app) == ""
        await pilot.press("backspace")  # emptied again: no new scolding while typing
        await pilot.pause()
        assert not name.has_class("-invalid")


async def test_list_arrows_and_undo(demo: Path, tmp_path: Path) -> None:
    """↑ from the Add box reaches the last item, ↑/↓ walk the items; ctrl+d removes, ctrl+z brings back."""
    answers = tmp_path / "answers"
    fill(str(demo), answers, DEMO_ANSWERS)
    app = make_app(str(demo), answers)
    async with app.run_test(size=(80, 40)) as pilot:
        screen = step_screen(app)
        await screen.jump_to("people")
        await pilot.pause()
        names = screen.query_one("#prompt-names", ListInput)
        names.add.focus()
        await pilot.press("up")
        assert app.focused is names.inputs()[-1]
        await pilot.press("up", "up")
        assert app.focused is names.inputs()[0]
        await pilot.press("down")
        assert app.focused is names.inputs()[1]
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert names.value == ["Ada", "Linus [/]"]
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert names.value == ["Ada", "Grace", "Linus [/]"]
        assert app.focused is names.inputs()[1]
        assert [str(row.number.render()) for row in names.row_list] == ["1.", "2.", "3."]
        await pilot.pause(0.8)
        assert screen.session.answer("people", "names") == ["Ada", "Grace", "Linus [/]"]


async def test_record_undo(demo: Path, tmp_path: Path) -> None:
    answers = tmp_path / "answers"
    fill(str(demo), answers, DEMO_ANSWERS)
    app = make_app(str(demo), answers)
    async with app.run_test(size=(80, 40)) as pilot:
        screen = step_screen(app)
        await screen.jump_to("people")
        await pilot.pause()
        contacts = screen.query_one("#prompt-contacts", RecordsInput)
        contacts.query(ItemInput).first().focus()
        await pilot.press("down")
        assert app.focused is contacts.query(ItemInput)[1]
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert contacts.value is None
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert contacts.value == [{"person": "Ada", "role": "Designer", "met": "Old team"}]


async def test_quit_stays_in_the_footer_with_a_text_area(demo: Path, tmp_path: Path) -> None:
    """At 80 columns, with a long answer focused, ^q Quit is still on screen, and the hint names the editor."""
    app = make_app(str(demo), tmp_path / "answers")
    async with app.run_test(size=(80, 24)) as pilot:
        step_screen(app).query_one(TextArea).focus()
        await pilot.pause()
        on_bottom_line = {app.screen.get_widget_at(x, 23)[0] for x in range(80)}
        assert "quit" in {getattr(widget, "action", None) for widget in on_bottom_line}
        hints = [str(s.render()) for s in step_screen(app).query_one("#prompt-story").query(Static)]
        assert "ctrl+e writes this in texteditor" in hints


async def test_parting_line(demo: Path, tmp_path: Path) -> None:
    """On quit the shell is told where the answers are and how to come back (with --answers when
    they are not in the folder `formative` opens by itself)."""
    app = make_app(str(demo), tmp_path / "answers")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+q")
    folder = tmp_path / "answers"
    assert app.farewell[-1] == f"Saved to {folder / 'demo.toml'}. Run `formative --answers {folder}` to continue."
    home_answers = Path.home() / "formative-answers"
    app = make_app(str(demo), home_answers)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+q")
    assert app.farewell[-1] == "Saved to ~/formative-answers/demo.toml. Run `formative` to continue."
    app = make_app(str(demo), Path.home() / "my answers")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+q")
    assert app.farewell[-1].endswith("Run `formative --answers ~/'my answers'` to continue.")


@pytest.mark.parametrize("workbook", ["formative-community", "network-to-community", "work-your-network"])
async def test_the_first_question_shows_on_the_first_screen(workbook: str, tmp_path: Path) -> None:
    """At 80×24 the first step that asks something shows its first question and the top of its
    input above the Back/Next bar, and the input has the focus."""
    app = make_app(workbook, tmp_path / "answers")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = step_screen(app)
        first = next(step for step in screen.walk.visible_steps() if step.answer_prompts)
        await screen.jump_to(first.id)
        await pilot.pause()
        prompt = screen.query(PromptInput).first()
        target = prompt.main_input()
        assert target is not None and app.focused is target
        nav_top = screen.query_one("#nav").region.y
        assert prompt.region.y >= 0 and target.region.y + 2 <= nav_top


@pytest.mark.parametrize("size", [(60, 20), (40, 12)])
async def test_quit_stays_in_the_footer_when_narrow(demo: Path, tmp_path: Path, size: tuple[int, int]) -> None:
    app = make_app(str(demo), tmp_path / "answers")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        width, height = size
        on_bottom_line = {app.screen.get_widget_at(x, height - 1)[0] for x in range(width)}
        assert "quit" in {getattr(widget, "action", None) for widget in on_bottom_line}


def command_titles(app: FormativeApp) -> list[str]:
    return [command.title for command in app.get_system_commands(app.screen)]


async def test_canvas_and_exports_from_the_palette_and_the_end(tmp_path: Path) -> None:
    """The palette offers the canvas and both exports on a step and on the last screen; the end
    screen has Show the canvas, Export Markdown and Export SVG; exports land in answers/exports/."""
    answers = tmp_path / "answers"
    app = make_app("formative-community", answers)
    async with app.run_test(size=(100, 30)) as pilot:
        titles = command_titles(app)
        for title in ("Show the canvas", "Export Markdown", "Export the canvas as SVG"):
            assert title in titles
        screen = step_screen(app)
        await screen.jump_to("wrap")
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, FinishScreen)
        assert {"Show the canvas", "Export Markdown", "Export the canvas as SVG"} <= set(command_titles(app))
        buttons = {str(button.label) for button in app.screen.query(Button)}
        assert {"Show the canvas", "Export Markdown", "Export SVG"} <= buttons
        await pilot.click("#export-svg")
        await pilot.click("#export")
        await app.workers.wait_for_complete([w for w in app.workers if w.group == "export"])  # written in a thread
        await pilot.pause()
    exports = answers / "exports"
    assert sorted(p.name for p in exports.iterdir()) == ["formative-community-canvas.svg", "formative-community.md"]
    assert not list(answers.glob("*.md")) and not list(answers.glob("*.svg"))


async def test_an_export_is_written_by_a_thread_worker_and_a_failure_is_told(tmp_path: Path) -> None:
    """The write (an atomic write, two fsyncs) leaves the UI thread; a file that cannot be written is named."""
    answers = tmp_path / "answers"
    told: list[str] = []

    def hook(message: Message) -> None:
        if isinstance(message, Notify):
            told.append(str(message.notification.message))

    app = make_app("formative-community", answers)
    async with app.run_test(size=(100, 30), message_hook=hook) as pilot:
        screen = step_screen(app)
        (answers / "exports" / "formative-community-canvas.svg").mkdir(parents=True)  # in the way of the SVG
        screen.action_export()
        screen.action_export_svg()
        exports = [worker for worker in app.workers if worker.group == "export"]
        assert len(exports) == 2
        await app.workers.wait_for_complete(exports)
        await pilot.pause()
    assert (answers / "exports" / "formative-community.md").is_file()
    assert any(text.startswith("Exported to") and "formative-community.md" in text for text in told), told
    assert any(text.startswith("Could not export") for text in told), told


async def test_a_hosted_participant_gets_no_export_commands(tmp_path: Path) -> None:
    app = make_app("formative-community", tmp_path / "answers", hosted=True)
    async with app.run_test(size=(100, 30)):
        titles = command_titles(app)
        assert "Show the canvas" in titles
        assert "Export the canvas as SVG" not in titles and "Export Markdown" not in titles
