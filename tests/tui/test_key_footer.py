"""The keys line rebuilds when the keys it shows change, and not on every focus move."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Input

from formative.tui.widgets.key_footer import KeyFooter


class Plain(Input):
    pass


class WithKey(Input):
    BINDINGS = [Binding("ctrl+o", "noop", "Open")]

    def action_noop(self) -> None:
        pass


class Keys(App[None]):
    BINDINGS = [Binding("ctrl+q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Plain(id="one")
        yield Plain(id="two")
        yield WithKey(id="three")
        yield KeyFooter()


def keys(app: App[None]) -> list[object]:
    """The footer's key widgets (Textual's FooterKey, queried by its CSS type name)."""
    return list(app.screen.query_one(KeyFooter).query("FooterKey"))


def shown(app: App[None]) -> list[str]:
    return [str(getattr(key, "description", "")) for key in keys(app)]


async def test_moving_focus_between_fields_with_the_same_keys_rebuilds_nothing() -> None:
    app = Keys()
    async with app.run_test() as pilot:
        await pilot.pause()
        before = keys(app)
        assert "Quit" in shown(app)
        for _ in range(3):
            await pilot.press("tab")  # one → two → three → one
            await pilot.press("shift+tab")  # and back
        app.screen.query_one("#two").focus()
        await pilot.pause()
        assert keys(app) == before  # the very same widgets


async def test_the_keys_follow_the_focus_when_they_change() -> None:
    app = Keys()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert "Open" not in shown(app)
        app.screen.query_one("#three").focus()
        await pilot.pause()
        await pilot.pause()
        assert "Open" in shown(app)
        app.screen.query_one("#one").focus()
        await pilot.pause()
        await pilot.pause()
        assert "Open" not in shown(app)
