"""Worked examples (F2) and earlier answers to another workbook, in the app, driven by keys."""

from __future__ import annotations

from pathlib import Path

from formative.session import Session
from formative.tui.widgets.recall import EarlierAnswer, ExampleAnswer
from tests.tui.driving import SIZE, current_step, make_app, next_step, step_screen
from tests.tui.test_app import screen_text

HOSTILE = "The Drawing Table [@click=app.quit] [bold]x[/]"


def shown_examples(app: object) -> list[str]:
    return [str(e.render()) for e in step_screen(app).query(ExampleAnswer) if e.display]  # type: ignore[arg-type]


async def test_f2_shows_and_hides_the_examples_and_keeps_the_choice(tmp_path: Path) -> None:
    app = make_app("formative-community", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert current_step(app) == "about"  # reading only: no example to offer
        assert step_screen(app).check_action("examples", ()) is False
        await next_step(pilot)
        assert current_step(app) == "welcome"
        assert len(step_screen(app).query(ExampleAnswer)) == 2
        assert shown_examples(app) == []
        text = " ".join(screen_text(app).split())
        assert "F2 for an example" in text, "the step says which key shows its examples"
        assert "^q Quit" in text, "and the footer keeps its keys whole at 80 columns"
        await pilot.press("f2")
        examples = shown_examples(app)
        assert len(examples) == 2 and "Example\nThe Drawing Table" in examples[0]
        assert app.focused is not None and app.focused.parent is step_screen(app).query_one("#prompt-name")
        await pilot.press(*"Supper club")  # the first question has the focus: it is on the first screen
        await next_step(pilot)
        assert current_step(app) == "purpose"
        assert any("nobody has to work out the business side alone" in e for e in shown_examples(app))
        await pilot.press("f2")
        assert shown_examples(app) == []


async def test_f2_is_offered_only_where_there_is_an_example(tmp_path: Path) -> None:
    app = make_app("formative-community", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = step_screen(app)
        await screen.jump_to("welcome")
        await pilot.pause()
        assert screen.check_action("examples", ()) is True
        await screen.jump_to("wrap")  # a note and no question
        await pilot.pause()
        assert screen.check_action("examples", ()) is False
        assert "F2 for an example" not in screen_text(app)
        await pilot.press("f2")
        assert shown_examples(app) == []


async def test_the_review_shows_what_you_wrote_before_literally(tmp_path: Path) -> None:
    earlier = Session.open("formative-community", tmp_path)
    earlier.set_answer("welcome", "name", HOSTILE)
    earlier.save()
    earlier.close()
    app = make_app("tend-your-community", tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        blocks = list(step_screen(app).query(EarlierAnswer))
        assert len(blocks) == 2
        first = str(blocks[0].render())
        assert first == f"In Design a Formative Community (Give the community a working name) you wrote:\n{HOSTILE}"
        assert str(blocks[1].render()).startswith("No answer to this one in ")
        assert app.is_running, "markup in the earlier answer did nothing"
        text = " ".join(screen_text(app).split())
        assert text.index("you wrote:") < text.index("Which community are you reviewing?")


async def test_the_review_without_earlier_answers_says_so_in_one_line(tmp_path: Path) -> None:
    app = make_app("tend-your-community", tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        blocks = list(step_screen(app).query(EarlierAnswer))
        missing = f"No earlier answers found in {tmp_path / 'formative-community.toml'}."
        assert [str(b.render()) for b in blocks] == [missing, missing]
        assert all(b.has_class("-missing") for b in blocks)
    assert not (tmp_path / "formative-community.toml").exists(), "looking created nothing"
