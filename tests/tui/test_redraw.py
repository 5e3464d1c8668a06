"""Partial updates render only the widgets they can show through (redraw.py), and draw the same screen."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from textual._compositor import Compositor
from textual.geometry import Region
from textual.widget import Widget

from formative.tui import redraw
from tests.tui.driving import SIZE, make_app, prompts_on_screen, step_screen

Getter = Callable[..., Iterable[object]]


def test_every_app_redraws_through_it_on_this_textual(tmp_path: Path) -> None:
    """Fails when a Textual release moves the code it replaces: look again, then update _EXPECTED_NAMES."""
    make_app("tend-your-community", tmp_path)
    assert redraw.installed()


async def test_a_partial_update_draws_the_same_screen_from_fewer_widgets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app("community-design-workshop", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = step_screen(app)
        compositor = screen._compositor
        rendered: list[Widget] = []
        textual_render_lines = Widget.render_lines

        def counting(widget: Widget, crop: Region) -> object:
            rendered.append(widget)
            return textual_render_lines(widget, crop)

        monkeypatch.setattr(Widget, "render_lines", counting)

        def update(getter: Getter, regions: list[Region]) -> tuple[str, int]:
            """What the terminal is sent for these changed regions, and how many widgets rendered."""
            monkeypatch.setattr(Compositor, "_get_renders", getter)
            rendered.clear()
            compositor._dirty_regions.update(regions)
            chops = compositor.render_partial_update()
            assert chops is not None
            return chops.render_segments(app.console), len(rendered)

        # A key typed into the first answer: its box changes, and the rest of the step is drawn as it was.
        typed_into = [prompts_on_screen(app)[0].main_input().region]  # type: ignore[union-attr]
        textual_sent, textual_count = update(redraw._textual_get_renders, typed_into)
        ours_sent, ours_count = update(redraw.get_renders, typed_into)
        assert ours_sent == textual_sent
        assert ours_count <= 4 and textual_count >= 3 * ours_count, (textual_count, ours_count)  # 13 and 4 here

        # Any changed areas at all (one to three rectangles anywhere): the same bytes for the terminal.
        rng = random.Random(11)
        width, height = SIZE
        for _ in range(60):
            regions = []
            for _ in range(rng.randint(1, 3)):
                x, y = rng.randrange(width), rng.randrange(height)
                regions.append(Region(x, y, rng.randint(1, width - x), rng.randint(1, height - y)))
            assert update(redraw.get_renders, regions)[0] == update(redraw._textual_get_renders, regions)[0], regions
