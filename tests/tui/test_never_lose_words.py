"""Never lose words, in the app: autosave while someone keeps typing, merges and their warnings.

The starter workbook (`formative new`) as a file: step welcome has a note, name
(short text, focused on start) and story (long text). The answer file is changed
behind the app's back the way a person or git would, then the app saves.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.timer import Timer
from textual.widgets import Input, Static, TextArea

from formative.session import answers_path
from formative.tui.app import FormativeApp
from formative.tui.screens.step import AUTOSAVE_DELAY, AUTOSAVE_MAX_WAIT
from formative.tui.widgets.prompts import PromptInput
from formative.workbook.load import load_workbook
from formative.workbook.starter import starter_workbook
from tests.tui.driving import SIZE, make_app, saved_answers, step_screen, type_text
from tests.tui.test_prompt_widgets import screen_text


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    path = tmp_path / "demo.toml"
    path.write_text(starter_workbook("demo", "Demo"), encoding="utf-8")
    return path


@pytest.fixture
def answers_dir(tmp_path: Path) -> Path:
    return tmp_path / "answers"


def answer_file(demo: Path, answers_dir: Path) -> Path:
    return answers_path(answers_dir, load_workbook(demo), None)


def status(app: FormativeApp) -> str:
    return str(step_screen(app).query_one("#save-status", Static).render())


def notifications(app: FormativeApp) -> str:
    return " | ".join(str(n.message) for n in app._notifications)


def git_pull(path: Path, old: str, new: str) -> None:
    """A new version of the file renamed over it, as `git pull` does."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {text!r}"
    incoming = path.with_name(".incoming")
    incoming.write_text(text.replace(old, new), encoding="utf-8")
    os.replace(incoming, path)


async def at_name(pilot: Pilot[None], app: FormativeApp) -> None:
    """Show step welcome (resume may have moved past it) with the cursor at the end of the name."""
    screen = step_screen(app)
    await screen.jump_to("welcome")
    screen.query_one("#prompt-name", PromptInput).focus_input()
    await pilot.press("end")


def write_answers(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'[formative]\nformat = 1\nworkbook = "demo"\n\n{body}', encoding="utf-8")


# Autosave with a maximum wait ------------------------------------------------------------------


async def test_steady_typing_is_saved_by_the_max_wait_not_put_off_by_each_key(demo: Path, answers_dir: Path) -> None:
    """Keys every 0.2 s on the screen's own clock: the debounce would move on forever,
    the save stays set for one second after the first unsaved key."""
    app = make_app(str(demo), answers_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = step_screen(app)
        now = [100.0]
        screen.clock = lambda: now[0]
        real_set_timer = screen.set_timer

        def set_timer_an_hour_later(delay: float, callback: Callable[[], object]) -> Timer:
            """The waits are read on the fake clock; on a busy machine eight presses outlast the real
            0.6 s timer, whose save would start a new wait mid-test. Here only save_now saves."""
            return real_set_timer(delay + 3600, callback)

        screen.set_timer = set_timer_an_hour_later  # type: ignore[method-assign]
        dues = []
        for key in "abcdefgh":
            await pilot.press(key)
            dues.append(screen.autosave_due)
            now[0] += 0.2
        first = 100.0
        # Until the screen's clock reaches the max wait (the sixth key), no save can be due, whenever the
        # real timer fires: each key's deadline is 0.6 s after it, but never past 1 s after the first.
        # (From then on the save is due; a busy machine may run it before the last keys.)
        expected = [min(first + 0.2 * n + AUTOSAVE_DELAY, first + AUTOSAVE_MAX_WAIT) for n in range(6)]
        assert dues[:6] == pytest.approx(expected)
        assert dues[5] == pytest.approx(first + AUTOSAVE_MAX_WAIT)  # not 0.6 s after that key
        screen.save_now()
        assert screen.autosave_due is None
        assert saved_answers(answer_file(demo, answers_dir))["welcome"]["name"] == "abcdefgh"
        # After a save, the next key starts a new wait.
        await pilot.press("i")
        assert screen.autosave_due == pytest.approx(now[0] + AUTOSAVE_DELAY)


async def test_an_overdue_save_still_comes(demo: Path, answers_dir: Path) -> None:
    """A key handled after the max wait has passed (a busy machine): the save is due at once.
    A 0-second Textual timer that starts late divides by its delay and dies, so the save
    never came; it must land now, and the app must close without a timer's error."""
    app = make_app(str(demo), answers_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = step_screen(app)
        now = [100.0]
        screen.clock = lambda: now[0]
        await pilot.press("a")
        now[0] += AUTOSAVE_MAX_WAIT + 5  # the next key is handled long after the save was due
        await pilot.press("b")
        for _ in range(100):
            if answer_file(demo, answers_dir).exists() and screen.autosave_due is None:
                break
            await pilot.pause(0.02)
        assert saved_answers(answer_file(demo, answers_dir))["welcome"]["name"] == "ab"


async def test_a_save_lands_while_keys_keep_arriving_every_fifth_of_a_second(demo: Path, answers_dir: Path) -> None:
    """On the real clock: twelve keys 0.2 s apart, and the file holds some of them before the last."""
    path = answer_file(demo, answers_dir)
    app = make_app(str(demo), answers_dir)
    typed = "steady words"
    seen_while_typing = []
    async with app.run_test(size=SIZE) as pilot:
        for n, key in enumerate(typed):
            await type_text(pilot, key)
            await pilot.pause(0.2)
            if n < len(typed) - 1 and path.exists():
                seen_while_typing.append(saved_answers(path).get("welcome", {}).get("name", ""))
        assert any(seen_while_typing), "nothing was saved while typing went on"
        assert all(typed.startswith(text) for text in seen_while_typing)


async def test_a_change_typed_and_undone_rewrites_nothing(demo: Path, answers_dir: Path) -> None:
    path = answer_file(demo, answers_dir)
    write_answers(path, '[answers.welcome]\nname = "Kept"\n')
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    app = make_app(str(demo), answers_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = step_screen(app)
        await at_name(pilot, app)
        await pilot.press("x")
        assert screen.autosave_due is not None
        await pilot.press("backspace")  # back to what the file holds
        await pilot.press("ctrl+s")
        assert screen.autosave_due is None
        assert "✓ Saved" in status(app)
        await pilot.press("ctrl+q")
    assert path.stat().st_mtime_ns == 1_000_000_000
    assert saved_answers(path)["welcome"]["name"] == "Kept"


# Merges, shown on the step screen -----------------------------------------------------------------


async def test_a_change_on_disk_to_another_prompt_is_kept_and_shown(demo: Path, answers_dir: Path) -> None:
    path = answer_file(demo, answers_dir)
    write_answers(path, '[answers.welcome]\nname = "Ours"\nstory = """\nOld story."""\n')
    app = make_app(str(demo), answers_dir)
    async with app.run_test(size=SIZE) as pilot:
        await at_name(pilot, app)
        await type_text(pilot, " too")
        git_pull(path, "Old story.", "Story pulled from git.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert saved_answers(path)["welcome"] == {"name": "Ours too", "story": "Story pulled from git."}
        screen = step_screen(app)
        assert screen.query_one("#prompt-story", PromptInput).query_one(TextArea).text == "Story pulled from git."
        assert screen.query_one("#prompt-name", PromptInput).query_one(Input).value == "Ours too"
        assert "Took in changes made to demo.toml outside the app" in notifications(app)
        assert "✓ Saved" in status(app)


async def test_a_conflict_keeps_what_is_typed_and_names_the_side_file(demo: Path, answers_dir: Path) -> None:
    path = answer_file(demo, answers_dir)
    write_answers(path, '[answers.welcome]\nname = "Ours"\n')
    app = make_app(str(demo), answers_dir)
    async with app.run_test(size=(120, 24)) as pilot:
        await at_name(pilot, app)
        # The conflict comes with Ctrl+S: an autosave mid-typing on a slow machine would have
        # written "Ours typ" before the pull, which then finds no "Ours" to change.
        step_screen(app).autosave_waits = lambda: (3600.0, 3600.0)  # type: ignore[method-assign]
        await type_text(pilot, " typed here")
        git_pull(path, 'name = "Ours"', 'name = "Theirs from git"')
        await pilot.press("ctrl+s")
        await pilot.pause()
        side = sorted(answers_dir.glob("demo.conflict-*.toml"))
        assert len(side) == 1
        assert saved_answers(path)["welcome"]["name"] == "Ours typed here"
        assert saved_answers(side[0])["welcome"]["name"] == "Theirs from git"
        name_input = step_screen(app).query_one("#prompt-name", PromptInput).query_one(Input)
        assert name_input.value == "Ours typed here"
        assert name_input.has_focus
        assert side[0].name in notifications(app)
        assert f"⚠ Saved; the version from disk is in {side[0].name}" in status(app)
        assert side[0].name in screen_text(app)


async def test_a_broken_file_on_disk_is_left_alone_and_the_words_kept_in_a_recovery_file(
    demo: Path, answers_dir: Path
) -> None:
    path = answer_file(demo, answers_dir)
    write_answers(path, '[answers.welcome]\nname = "Ours"\n')
    app = make_app(str(demo), answers_dir)
    async with app.run_test(size=(120, 24)) as pilot:
        await at_name(pilot, app)
        # Broken before the words are typed: an autosave that fires mid-typing on a slow
        # machine then meets the broken file too, as the Ctrl+S after it does.
        path.write_text(path.read_text(encoding="utf-8").replace('"Ours"', '"Ours'), encoding="utf-8")
        broken = path.read_bytes()
        await type_text(pilot, " and more")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert path.read_bytes() == broken
        recovery = sorted(answers_dir.glob("demo.recovered-*.toml"))
        assert len(recovery) == 1
        assert saved_answers(recovery[0])["welcome"]["name"] == "Ours and more"
        assert re.search(re.escape(str(path)) + r":6:\d+: this answer file is not valid TOML", notifications(app))
        assert recovery[0].name in notifications(app)
        assert "Not saved" in status(app)
        # Fixed by hand: the next save merges and says so.
        path.write_text(broken.decode().replace('"Ours', '"Ours"'), encoding="utf-8")
        await type_text(pilot, "!")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert saved_answers(path)["welcome"]["name"] == "Ours and more!"
        assert "✓ Saved" in status(app)
        assert not recovery[0].exists()


async def test_a_deleted_file_is_written_again_and_the_person_told(demo: Path, answers_dir: Path) -> None:
    path = answer_file(demo, answers_dir)
    write_answers(path, '[answers.welcome]\nname = "Ours"\nstory = """\nKeep me."""\n')
    app = make_app(str(demo), answers_dir)
    async with app.run_test(size=(120, 24)) as pilot:
        await at_name(pilot, app)
        path.unlink()
        await type_text(pilot, "!")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert saved_answers(path)["welcome"] == {"name": "Ours!", "story": "Keep me."}
        assert "had been deleted" in notifications(app)


# Answers the file holds in another shape ------------------------------------------------------------


async def test_a_number_where_text_belongs_is_shown_and_survives_typing(demo: Path, answers_dir: Path) -> None:
    path = answer_file(demo, answers_dir)
    write_answers(path, "[answers.welcome]\nname = 42\n")
    app = make_app(str(demo), answers_dir)
    async with app.run_test(size=(120, 24)) as pilot:
        await pilot.pause()
        assert "Your answer file holds 42 here, which is not text." in " ".join(screen_text(app).split())
        await type_text(pilot, "over\nwrite?")
        await pilot.press("ctrl+s")
        assert saved_answers(path)["welcome"]["name"] == 42
        await pilot.press("ctrl+q")
    assert saved_answers(path)["welcome"]["name"] == 42


async def test_an_inline_table_answer_file_opens_and_takes_keys(demo: Path, answers_dir: Path) -> None:
    path = answer_file(demo, answers_dir)
    path.parent.mkdir(parents=True)
    path.write_text(
        'answers = { welcome = { name = "Ada", story = "kept" } }  # written by hand\n\n'
        '[formative]\nformat = 1\nworkbook = "demo"\n',
        encoding="utf-8",
    )
    app = make_app(str(demo), answers_dir)
    async with app.run_test(size=SIZE) as pilot:
        await at_name(pilot, app)
        await type_text(pilot, " L.")
        await pilot.press("ctrl+q")
    assert saved_answers(path)["welcome"] == {"name": "Ada L.", "story": "kept"}


async def test_an_answer_file_from_a_newer_formative_is_refused_untouched(demo: Path, answers_dir: Path) -> None:
    from formative.tui.screens.problem import ProblemScreen

    path = answer_file(demo, answers_dir)
    path.parent.mkdir(parents=True)
    path.write_text('[formative]\nformat = 99\nworkbook = "demo"\n', encoding="utf-8")
    app = make_app(str(demo), answers_dir)
    async with app.run_test(size=(120, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ProblemScreen)
        assert "written by a newer Formative (format 99); update Formative to open it" in " ".join(
            screen_text(app).split()
        )
    assert path.read_text(encoding="utf-8") == '[formative]\nformat = 99\nworkbook = "demo"\n'


async def test_fixing_the_file_by_hand_makes_the_prompt_editable_at_the_next_save(
    demo: Path, answers_dir: Path
) -> None:
    path = answer_file(demo, answers_dir)
    write_answers(path, "[answers.welcome]\nname = 42\n")
    app = make_app(str(demo), answers_dir)
    async with app.run_test(size=(120, 24)) as pilot:
        screen = step_screen(app)
        await screen.jump_to("welcome")
        assert screen.query_one("#prompt-name", PromptInput).read_only
        git_pull(path, "name = 42", 'name = "Ada"')
        await pilot.press("ctrl+s")
        await pilot.pause()
        prompt = screen.query_one("#prompt-name", PromptInput)
        assert not prompt.read_only
        assert prompt.query_one(Input).value == "Ada"
        prompt.focus_input()
        await pilot.press("end", "!")
        await pilot.press("ctrl+s")
    assert saved_answers(path)["welcome"]["name"] == "Ada!"


async def test_a_save_takes_text_whose_change_message_is_still_on_the_way(demo: Path, answers_dir: Path) -> None:
    """The prompt being typed in wins a conflict even when the save runs before its Changed
    message arrives; the late message then changes nothing."""
    path = answer_file(demo, answers_dir)
    write_answers(path, '[answers.welcome]\nname = "Ours"\n')
    app = make_app(str(demo), answers_dir)
    async with app.run_test(size=(120, 24)) as pilot:
        await at_name(pilot, app)
        screen = step_screen(app)
        name_input = screen.query_one("#prompt-name", PromptInput).query_one(Input)
        git_pull(path, 'name = "Ours"', 'name = "Theirs"')
        name_input.value = "Ours, typed a moment ago"  # its Changed message is only queued
        screen.save_now()
        assert saved_answers(path)["welcome"]["name"] == "Ours, typed a moment ago"
        await pilot.pause()
        assert name_input.value == "Ours, typed a moment ago"
        assert screen.session.answer("welcome", "name") == "Ours, typed a moment ago"
        assert screen.session.store.dirty is False  # the late message was known as late
        side = sorted(answers_dir.glob("demo.conflict-*.toml"))
        assert [saved_answers(s)["welcome"]["name"] for s in side] == ["Theirs"]


@pytest.mark.parametrize("leave", ["save_and_exit", "exit"])
async def test_an_app_that_ends_saves_text_whose_change_message_is_still_on_the_way(
    demo: Path, answers_dir: Path, leave: str
) -> None:
    """However the app ends: SIGTERM and SIGHUP (save_and_exit: a dropped connection), or by itself
    (exit: a web participant's browser or server gone, the driver reading the end of its input),
    it saves what the answer shows, even typed a moment before: on a busy machine its Changed
    message was still queued, and the words were lost (the flaky orphaned-web-app test)."""
    app = make_app(str(demo), answers_dir)
    async with app.run_test(size=(120, 24)) as pilot:
        await at_name(pilot, app)
        name_input = step_screen(app).query_one("#prompt-name", PromptInput).query_one(Input)
        name_input.value = "typed a moment ago"  # its Changed message is only queued
        getattr(app, leave)()
        await pilot.pause()
    assert saved_answers(answer_file(demo, answers_dir))["welcome"]["name"] == "typed a moment ago"
