"""Driving the whole Formative app like a person: Tab to an answer, type, pick, Ctrl+N.

The helpers here only press keys (and read what is on screen or in the answer file);
they never set answers through the session. `answer_prompt` answers any prompt kind
and returns the value the answer file should then hold.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import events
from textual.pilot import Pilot
from textual.widget import Widget

from formative.tui.app import FormativeApp
from formative.tui.screens.step import StepScreen
from formative.tui.widgets.choices import RankList
from formative.tui.widgets.prompts import PromptInput

SIZE = (80, 24)
MAX_TABS = 80


def make_app(workbook: str | None, answers_dir: Path, **options: Any) -> FormativeApp:
    """The app as the command builds it, with animations off so Pilot need not wait for them."""
    app = FormativeApp(workbook, answers_dir=answers_dir, **options)
    app.animation_level = "none"
    return app


def step_screen(app: FormativeApp) -> StepScreen:
    screen = app.screen
    assert isinstance(screen, StepScreen), f"expected the step screen, got {type(screen).__name__}"
    return screen


def current_step(app: FormativeApp) -> str:
    return step_screen(app).walk.current.id


def prompts_on_screen(app: FormativeApp) -> list[PromptInput]:
    return list(step_screen(app).query(PromptInput))


def focused_within(app: FormativeApp, widget: Widget) -> bool:
    focused = app.focused
    return focused is not None and widget in focused.ancestors_with_self


async def until(pilot: Pilot[None], check: Callable[[], bool], what: str, turns: int = 200) -> None:
    """Let the app run until check() holds (a screen that is still mounting on a busy machine), or fail."""
    for _ in range(turns):
        if check():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"{what} did not happen")


async def tab_into(pilot: Pilot[None], widget: Widget) -> None:
    """Press Tab until the focus is inside the widget, as a person would."""
    app = pilot.app
    assert isinstance(app, FormativeApp)
    for _ in range(MAX_TABS):
        if focused_within(app, widget):
            return
        await pilot.press("tab")
    raise AssertionError(f"Tab never reached {widget!r}; focus is on {app.focused!r}")


async def type_text(pilot: Pilot[None], text: str) -> None:
    """Type text key by key (one press per character, so markup characters go in as typed)."""
    await pilot.press(*[_key(c) for c in text])


async def paste_text(pilot: Pilot[None], text: str) -> None:
    """Paste text, as a terminal delivers a bracketed paste: to the focused widget.

    Much faster than typing key by key (Pilot waits for the app to settle after every
    key), so the long walks paste; tests about typing itself use type_text. No pause:
    the paste is queued before any key pressed next, and every press waits.
    """
    pilot.app.post_message(events.Paste(text))


def burst(pilot: Pilot[None], *keys: str) -> None:
    """Queue keys all at once, as the driver does for one read of the terminal (a burst over SSH
    on a busy host): unlike Pilot.press, nothing runs between them. Await pilot.pause() after."""
    for key in keys:
        pilot.app.post_message(events.Key(key, key if len(key) == 1 else None))


async def enter_text(pilot: Pilot[None], text: str) -> None:
    """Type short text and text with markup characters; paste the rest."""
    if len(text) <= 2 or any(c in text for c in "[]\\\x1b"):
        await type_text(pilot, text)
    else:
        await paste_text(pilot, text)


def _key(character: str) -> str:
    # Pilot.press takes key names; a few printable characters need their names.
    return {" ": "space", "\n": "enter"}.get(character, character)


def _text_for(prompt: Any, base: str) -> str:
    limit = getattr(prompt, "max_length", None)
    return base[:limit] if limit else base


async def answer_prompt(pilot: Pilot[None], widget: PromptInput, text: dict[str, Any] | None = None) -> Any:
    """Answer one prompt through its widget with keys; return the value it should save.

    text overrides what is typed for this prompt: a string for text kinds and
    'other' answers, a list of strings for lists.
    """
    prompt = widget.prompt
    kind = prompt.kind
    custom = (text or {}).get(prompt.id)
    await tab_into(pilot, widget)
    if kind == "short_text":
        value = custom if custom is not None else _text_for(prompt, f"{prompt.id} said")
        await enter_text(pilot, value)
        return value
    if kind == "long_text":
        await enter_text(pilot, "first line")
        await pilot.press("enter")
        await enter_text(pilot, "second line")
        return "first line\nsecond line"
    if kind == "single_choice":
        return await _single_choice(pilot, widget, custom)
    if kind == "multiple_choice":
        return await _multiple_choice(pilot, widget, custom)
    if kind == "scale":
        # Digits pick the lowest number, then → moves one up: min + 1 (or min on a 1-point scale).
        await pilot.press(*(str(prompt.min) if prompt.min >= 0 else ["home"]))
        await pilot.press("right")
        return min(prompt.min + 1, prompt.max)
    if kind == "list":
        return await _list(pilot, widget, custom)
    if kind == "records":
        return await _records(pilot, widget)
    if kind == "ranking":
        ranks = widget.query_one(RankList)
        order = list(ranks.order)
        if len(order) > 1:
            await pilot.press("alt+down")  # the first item moves to second place
            order[0], order[1] = order[1], order[0]
        else:
            await pilot.press("enter")  # keep this order
        return order
    if kind == "dot_vote":
        options: list[str] = list(getattr(widget, "options", []))
        assert options, f"{prompt.id}: nothing to vote on"
        await pilot.press("plus")  # one vote for the highlighted (first) option
        return [options[0]]
    raise AssertionError(f"no way to answer a {kind} prompt")


async def _single_choice(pilot: Pilot[None], widget: PromptInput, custom: str | None) -> str:
    options: list[str] = list(getattr(widget, "options", []))
    if custom is None and options:
        await pilot.press("enter")  # the first option is highlighted when the set takes focus
        return options[0]
    assert widget.prompt.allow_other, f"{widget.prompt.id}: no options and no 'other' to write"  # type: ignore[attr-defined]
    value = custom if custom is not None else "my own answer"
    await pilot.press("tab")  # from the radio buttons to 'write your own'
    await enter_text(pilot, value)
    return value


async def _multiple_choice(pilot: Pilot[None], widget: PromptInput, custom: str | None) -> list[str]:
    prompt: Any = widget.prompt
    options: list[str] = list(getattr(widget, "options", []))
    wanted = min(max(prompt.min_picks or 1, 1), len(options))
    picked = []
    for n in range(wanted):
        if n:
            await pilot.press("down")
        await pilot.press("space")
        picked.append(options[n])
    room = prompt.max_picks is None or len(picked) < prompt.max_picks
    if prompt.allow_other and (room or not picked):
        value = custom if custom is not None else "something else"
        if options:
            await pilot.press("tab")
        await enter_text(pilot, value)
        picked.append(value)
    return picked


async def _list(pilot: Pilot[None], widget: PromptInput, custom: list[str] | None) -> list[str]:
    prompt: Any = widget.prompt
    count = max(prompt.min_items or 0, 2)
    if prompt.max_items is not None:
        count = min(count, prompt.max_items)
    items = custom if custom is not None else [_text_for(prompt, f"{prompt.id} {n}") for n in range(1, count + 1)]
    for item in items:
        await enter_text(pilot, item)
        await pilot.press("enter")
    return list(items)


async def _records(pilot: Pilot[None], widget: PromptInput) -> list[dict[str, str]]:
    prompt: Any = widget.prompt
    count = max(prompt.min_items or 0, 1)
    records = []
    for n in range(1, count + 1):
        if n > 1:
            await pilot.press("enter")  # "+ Add …" has the focus after the last field
            await pilot.pause()
        record = {}
        for field in prompt.fields:
            value = _text_for(field, f"{field.id} {n}")
            await enter_text(pilot, value)
            await pilot.press("enter")  # on to the next field, or to "+ Add …"
            record[field.id] = value
        records.append(record)
    return records


async def next_step(pilot: Pilot[None]) -> None:
    await pilot.press("ctrl+n")
    await pilot.pause()


async def answer_step(pilot: Pilot[None], text: dict[str, Any] | None = None) -> dict[str, Any]:
    """Answer every prompt on the current step; returns {prompt id: expected value}."""
    app = pilot.app
    assert isinstance(app, FormativeApp)
    answers = {}
    for widget in prompts_on_screen(app):
        answers[widget.prompt.id] = await answer_prompt(pilot, widget, text)
    await pilot.pause()
    return answers


def answer_file(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def saved_answers(path: Path) -> dict[str, dict[str, Any]]:
    return answer_file(path).get("answers", {})
