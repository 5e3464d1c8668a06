"""Snapshots with still cursors: a screenshot never depends on how long the machine took to get there."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, TextArea


@pytest.fixture
def snap_compare(snap_compare: Callable[..., bool]) -> Callable[..., bool]:
    """pytest-textual-snapshot's snap_compare, with the focused answer's cursor held on.

    A text cursor blinks every half second: on a busy machine the screenshot came after
    a blink as often as not, and the snapshot failed on a hidden cursor. Here the keys
    are pressed, then every Input and TextArea stops blinking (its cursor stays shown,
    as it is at the start of each blink) before the picture is taken.
    """

    def compare(
        app: App[Any],
        press: Iterable[str] = (),
        terminal_size: tuple[int, int] = (80, 24),
        run_before: Callable[[Pilot[Any]], Awaitable[None] | None] | None = None,
    ) -> bool:
        async def then_hold_cursors(pilot: Pilot[Any]) -> None:
            if run_before is not None:
                result = run_before(pilot)
                if inspect.isawaitable(result):
                    await result
            await pilot.pause()
            await pilot.press(*press)
            for widget in pilot.app.screen.query("Input, TextArea"):
                if isinstance(widget, Input | TextArea):
                    widget.cursor_blink = False
            await pilot.pause()

        return snap_compare(app, terminal_size=terminal_size, run_before=then_hold_cursors)

    return compare
