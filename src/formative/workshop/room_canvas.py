"""The room's canvas as SVG: every box with everyone's answers, never a name.

It follows the anonymous report's rules: choices and scales are counted, text answers
are listed in the room policy's anonymous order (a fresh one per export), so nothing on
the page points to a person.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from formative.answers.values import is_answered
from formative.export.canvas_svg import Shown, draw_canvas
from formative.export.wording import people, plural, record_fields, scale_point, short_label
from formative.walk import Walk
from formative.workbook.model import Prompt, Scale
from formative.workshop.facilitation import NoAnswers
from formative.workshop.policy import AnonymousOrder
from formative.workshop.report import Tallied, answered_by, is_number, long_date, people_of, tally
from formative.workshop.room import Room


def render_room_canvas_svg(room: Room, *, today: date | None = None, rng: random.Random | None = None) -> str:
    """The room's canvas as one SVG page: every box with everyone's answers, never a name.

    Choices and scales are counted; text answers are listed in the anonymous order of the
    room's policy, people first and the room's captured answers after, as in an anonymous
    report. Raises NoCanvasError when the workbook has no canvas.
    """
    workbook = room.workshop.workbook
    order = AnonymousOrder(rng)
    present = people_of(room)

    def shown(step_id: str, prompt_id: str) -> Shown | None:
        step = workbook.step(step_id)
        prompt = step.prompt(prompt_id) if step else None
        values = room.values(step_id, prompt_id)
        if prompt is None or prompt.kind == "note":
            return None
        heading = short_label(Walk(workbook, NoAnswers()).text(prompt.label))
        if not values:
            return Shown(label=heading)  # named, then "no answers yet", as on a person's canvas
        if isinstance(prompt, Tallied):
            counted = [(o, n) for o, n in tally(prompt, values) if n]
            counted.sort(key=lambda item: -item[1])
            if isinstance(prompt, Scale):
                counted = [(scale_point(int(o), prompt) if is_number(o) else o, n) for o, n in counted]
            return Shown(label=heading, items=tuple(f"{option} — {people(n)}" for option, n in counted))
        persons, captured = answered_by(room, step_id, prompt_id, order)
        items = [_one_line(p.get(step_id, prompt_id), prompt) for p in [*persons, *captured]]
        return Shown(label=heading, items=tuple(item for item in items if item))

    title = "The room's canvas"
    info = room.workshop.data.workshop
    byline = " · ".join([info.title, long_date(today or date.today()), plural(len(present), "person", "people")])
    return draw_canvas(workbook, title, byline, shown, missing="no answers yet", grow=True)


MOST_CHARACTERS = 300
"""An answer longer than this is cut on the canvas (the report has it whole): a summary stays one."""


def _one_line(value: Any, prompt: Prompt) -> str:
    """One person's answer as one line of the room's canvas: list items joined by ' · '."""
    if isinstance(value, list):
        parts = []
        for item in value:
            if isinstance(item, dict):
                parts.append(" – ".join(text for _, text in record_fields(item, prompt)))
            elif is_answered(item):
                parts.append(str(item).strip())
        text = " · ".join(parts)
    else:
        text = " ".join(str(value).split())
    if len(text) <= MOST_CHARACTERS:
        return text
    return text[:MOST_CHARACTERS].rsplit(" ", 1)[0].rstrip(" ·–,;:") + " …"
