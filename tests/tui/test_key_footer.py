"""The key bar (KeyFooter): rebuilt when the keys it shows change, kept when a Tab leaves them as they were."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Button

from formative.tui.widgets.key_footer import KeyFooter


class Saving(Button):
    BINDINGS = [Binding("ctrl+s", "press", "Save")]


class Quiet(Button):
    BINDINGS = [Binding("ctrl+k", "press", "Hidden", show=False)]


class Keys(App[None]):
    BINDINGS = [Binding("ctrl+n", "bell", "Next")]

    def compose(self) -> ComposeResult:
        yield Button("plain", id="plain")
        yield Quiet("quiet", id="quiet")
        yield Saving("saving", id="saving")
        yield KeyFooter()


def footer_keys(app: App[Any]) -> list[Widget]:
    return list(app.screen.query_one(KeyFooter).children)


def shown(app: App[Any]) -> list[str]:
    return [str(key.render()).split()[-1] for key in footer_keys(app)]


async def test_the_footer_keeps_its_keys_while_they_stay_the_same_and_shows_new_ones() -> None:
    app = Keys()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "plain"
        first = footer_keys(app)
        assert shown(app) == ["Next", "palette"]
        await pilot.press("tab")  # to a button whose only key is not shown: the same keys
        await pilot.pause()
        assert app.focused.id == "quiet"
        assert footer_keys(app) == first  # the very same widgets: nothing was mounted again
        await pilot.press("tab")  # to a button with a key of its own: it appears
        await pilot.pause()
        assert app.focused.id == "saving"
        assert shown(app) == ["Save", "Next", "palette"]
        await pilot.press("shift+tab")  # and goes again
        await pilot.pause()
        assert shown(app) == ["Next", "palette"]
