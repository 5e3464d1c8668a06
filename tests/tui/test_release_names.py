"""Releasing a name from the facilitator's screen (key x): a forgotten PIN, a lost laptop."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from formative.tui.facilitator.app import FacilitatorApp
from formative.tui.facilitator.release import ReleaseScreen
from formative.workshop.folder import Workshop, create_workshop
from formative.workshop.identity import People

SIZE = (80, 24)
KEY = "SHA256:uNY8I/0JoSuKURPASpla+0vPExhhDs8xuJTdLpuEKuU"


async def test_x_lists_the_names_taken_and_enter_releases_one(tmp_path: Path) -> None:
    create_workshop(tmp_path / "ws", "community-design-workshop", "Test room", ["Ada", "Bo", "Carol"])
    people = People(tmp_path / "ws", ["Ada", "Bo", "Carol"])
    people.choose_pin("carol", "otter-7")
    people.admit_key("ada", KEY)
    app = FacilitatorApp(Workshop.open(tmp_path / "ws"), theme="projector")
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ReleaseScreen)
        names = app.screen.query_one(OptionList)
        shown = [str(names.get_option_at_index(i).prompt) for i in range(names.option_count)]
        assert shown == ["Carol · PIN", "Ada · SSH key"]  # how each is held, never the PIN or key
        await pilot.press("enter")  # the first: Carol
        await pilot.pause()
        assert names.option_count == 1
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReleaseScreen)
    assert People(tmp_path / "ws").find("Carol") is None
    assert People(tmp_path / "ws").name_for_key(KEY) == "Ada"


async def test_with_no_names_taken_the_list_says_so(tmp_path: Path) -> None:
    create_workshop(tmp_path / "ws", "community-design-workshop", "Test room", [])
    app = FacilitatorApp(Workshop.open(tmp_path / "ws"), theme="projector")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        await pilot.pause()
        names = app.screen.query_one(OptionList)
        assert str(names.get_option_at_index(0).prompt) == "No names are taken yet."
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReleaseScreen)
