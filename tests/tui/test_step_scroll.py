"""Moving to another step starts at its top, and the scrollbar says so."""

from __future__ import annotations

from pathlib import Path

from tests.tui.driving import make_app, step_screen


async def test_the_scrollbar_follows_to_the_top_of_the_next_step(tmp_path: Path) -> None:
    """A long step scrolled down, then the next step: the page and its scrollbar are both at the top.

    Textual skips updating a hidden scrollbar, and the scrollbar hides while a step's widgets are
    swapped, so without scrolling up first the thumb came back where the last step had left it.
    """
    app = make_app("formative-community", tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        screen = step_screen(app)
        content = screen.query_one("#step-content")
        content.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert content.scroll_y > 0 and content.vertical_scrollbar.position == content.scroll_y
        await screen.jump_to("container")
        await pilot.pause()
        assert content.max_scroll_y > 0, "the next step is long enough to scroll too"
        assert content.scroll_y == 0
        assert content.vertical_scrollbar.position == 0
