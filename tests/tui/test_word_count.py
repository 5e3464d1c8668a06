"""The live word count under a text prompt with a word limit (issue 13)."""

from __future__ import annotations

from formative.tui.widgets.prompts import LengthCount
from tests.tui.test_prompt_widgets import PromptApp, kinds, screen_text


async def test_a_six_word_title_counts_its_words_as_they_are_typed() -> None:
    app = PromptApp(kinds('kind = "short_text"', max_words="6"))
    async with app.run_test() as pilot:
        await pilot.pause()
        count = app.query_one(LengthCount)
        assert count.display and not count.has_class("-over")
        assert "0 / 6 words" in screen_text(app)
        await pilot.press(*"Potter by the sea")
        await pilot.pause()
        assert "4 / 6 words" in screen_text(app)
        await pilot.press(*", teaching twice a week")
        await pilot.pause()
        assert "8 / 6 words (2 too many)" in screen_text(app)
        assert count.has_class("-over")


async def test_a_long_text_shows_its_least_words_and_characters_together() -> None:
    app = PromptApp(kinds('kind = "long_text"', min_words="3", max_length="20"))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert "0 words (at least 3)" in screen_text(app)
        await pilot.press(*"one two three four five")
        await pilot.pause()
        text = screen_text(app)
        assert "23 / 20 characters (3 too many) · 5 words (at least 3)" in text


async def test_without_word_limits_nothing_is_counted() -> None:
    app = PromptApp(kinds('kind = "short_text"'))
    async with app.run_test() as pilot:
        await pilot.press(*"a few bits here")
        await pilot.pause()
        assert not app.query_one(LengthCount).display
        assert "4 words" not in screen_text(app) and "4 / " not in screen_text(app)
