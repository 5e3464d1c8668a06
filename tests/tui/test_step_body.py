"""The step body: restyled alone when its focus changes (screens/step_frame.StepBody), refilled in one batch.

Restyling it alone is right only while no CSS rule styles what is inside it by its focus
(`#step-content:focus Guidance`): the first test reads every rule the app can load, the
app's own and the DEFAULT_CSS of every widget class, and looks for one.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import textual.widgets
from textual.css.model import CombinatorType, RuleSet, Selector
from textual.css.stylesheet import Stylesheet
from textual.widget import Widget

import formative.tui
from formative.tui.app import FormativeApp
from formative.tui.screens.step_frame import StepBody
from tests.tui.driving import SIZE, make_app, step_screen


def subclasses(cls: type[Widget]) -> Iterator[type[Widget]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)


def every_rule(app: FormativeApp) -> list[RuleSet]:
    """The app's stylesheet and the DEFAULT_CSS of every widget class Formative or Textual defines."""
    for info in pkgutil.walk_packages(formative.tui.__path__, "formative.tui."):
        importlib.import_module(info.name)
    for name in textual.widgets.__all__:
        getattr(textual.widgets, name)  # Textual imports its widgets lazily
    sheet = Stylesheet(variables=app.get_css_variables())
    for cls in sorted(set(subclasses(Widget)), key=lambda c: f"{c.__module__}.{c.__qualname__}"):
        css = cls.__dict__.get("DEFAULT_CSS")
        if css:
            scope = cls._css_type_name if cls.SCOPED_CSS else ""
            sheet.add_source(
                css, read_from=(f"{cls.__module__}.{cls.__qualname__}", ""), is_default_css=True, scope=scope
            )
    app_css = Path(formative.tui.__file__).with_name("app.tcss")
    sheet.add_source(app_css.read_text(encoding="utf-8"), read_from=(str(app_css), ""))
    sheet.parse()
    return sheet.rules


def compounds(selectors: list[Selector]) -> list[list[Selector]]:
    """A selector chain cut at its combinators: `A.b:focus > C` is [[A, .b:focus], [C]]."""
    groups: list[list[Selector]] = []
    for selector in selectors:
        if groups and selector.combinator == CombinatorType.SAME:
            groups[-1].append(selector)
        else:
            groups.append([selector])
    return groups


def styled_by_focus_of(node: Widget, rules: list[RuleSet]) -> list[str]:
    """The rules that style something inside node by node's focus (matching node but for :focus)."""
    found = []
    for rule in rules:
        for selector_set in rule.selector_set:
            for compound in compounds(selector_set.selectors)[:-1]:
                on_focus = any("focus" in pseudo for part in compound for pseudo in part.pseudo_classes)
                if on_focus and all(part._check(node) for part in compound):
                    found.append(selector_set.css)
    return found


async def test_no_rule_styles_the_step_by_its_bodys_focus(tmp_path: Path) -> None:
    app = make_app("tend-your-community", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        body = step_screen(app).query_one(StepBody)
        rules = every_rule(app)
        assert styled_by_focus_of(body, rules) == []
        # The search sees such rules: Textual's own, on containers of other kinds, and one planted here.
        assert any("DataTable:focus >" in s.css for rule in rules for s in rule.selector_set)
        planted = Stylesheet(variables=app.get_css_variables())
        planted.add_source("#step-content:focus Guidance { color: red; }", read_from=("planted", ""))
        planted.parse()
        assert styled_by_focus_of(body, planted.rules) == ["#step-content:focus Guidance"]


async def test_focusing_the_body_restyles_the_body_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app("community-design-workshop", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        body = step_screen(app).query_one(StepBody)
        inside = list(body.walk_children())
        restyled: list[object] = []
        apply = app.stylesheet.apply

        def counting(node: object, *args: object, **kwargs: object) -> None:
            restyled.append(node)
            apply(node, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(app.stylesheet, "apply", counting)
        app.screen.set_focus(None)
        await pilot.pause()
        restyled.clear()
        body.focus()
        await pilot.pause()
        assert body.has_focus and len(inside) >= 8
        names = [type(node).__name__ for node in restyled]
        assert body in restyled and not set(map(id, restyled)) & set(map(id, inside)), names


async def test_the_next_step_is_removed_and_mounted_inside_one_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """So the screen is laid out and drawn once, with the whole new step in place (fewer layouts per step)."""
    app = make_app("community-design-workshop", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        body = step_screen(app).query_one(StepBody)
        batched: list[tuple[str, int]] = []
        remove_children, mount_all = body.remove_children, body.mount_all

        def removing(*args: Any, **kwargs: Any) -> Any:
            batched.append(("remove", app._batch_count))
            return remove_children(*args, **kwargs)

        def mounting(*args: Any, **kwargs: Any) -> Any:
            batched.append(("mount", app._batch_count))
            return mount_all(*args, **kwargs)

        monkeypatch.setattr(body, "remove_children", removing)
        monkeypatch.setattr(body, "mount_all", mounting)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert [what for what, _ in batched] == ["remove", "mount"]
        assert all(count > 0 for _, count in batched), batched
        assert app._batch_count == 0  # and the batch ended: the screen draws again
