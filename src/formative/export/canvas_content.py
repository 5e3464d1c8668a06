"""What each box of a canvas holds, the same in the app, the SVG and the Markdown export.

Every answer is named (the cell's own label for it, else its question), scales read as a
gauge with their end words ('●●●●○ 4 of 5 (cosy … challenging)'), and lists and
rankings stay separate items, so each drawing can hang their lines under the marker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from formative.answers.values import is_answered
from formative.export.wording import is_whole_number, record_fields, scale_text, short_label, vote_counts
from formative.walk import Walk
from formative.workbook.model import CanvasCell, DotVote, Prompt, Ranking, Scale


@dataclass(frozen=True)
class Shown:
    """What a canvas box shows for one answer: one piece of text, a gauge, or separate items.

    label, when given, is shown above it. Nothing but a label means not answered.
    """

    text: str | None = None
    items: tuple[str, ...] = ()
    numbered: bool = False
    label: str | None = None
    gauge: str | None = None
    """For a scale, its dots ('●●●●○'); text then says what they mean."""

    @property
    def empty(self) -> bool:
        return self.text is None and not self.items


Reader = Callable[[str, str], "Shown | None"]
"""What a box shows for one reference (step_id, prompt_id); None when nothing is answered."""


def gauge(value: int, prompt: Scale) -> str:
    """'●●●●○' for 4 on a 1–5 scale: filled up to the value, one dot per point."""
    filled = max(0, min(value, prompt.max) - prompt.min + 1)
    return "●" * filled + "○" * (prompt.max - prompt.min + 1 - filled)


def _items(value: Any, prompt: Prompt | None) -> list[str] | None:
    """An answer as separate items (lists, rankings, records, votes), or None for one piece of text."""
    if not isinstance(value, list):
        return None
    if isinstance(prompt, DotVote):
        return [f"{count} × {option}" for option, count in vote_counts(value)]
    items = []
    for item in value:
        if isinstance(item, dict):
            items.append(" – ".join(text for _, text in record_fields(item, prompt)))
        elif str(item).strip():
            items.append(str(item).strip())
    return [i for i in items if i]


def shown_answer(value: Any, prompt: Prompt | None, label: str | None = None) -> Shown:
    """One answer as a box shows it (unanswered: only the label)."""
    if not is_answered(value):
        return Shown(label=label)
    if isinstance(prompt, Scale) and is_whole_number(value):
        return Shown(text=scale_text(value, prompt), gauge=gauge(value, prompt), label=label)
    items = _items(value, prompt)
    if items is not None:
        return Shown(items=tuple(items), numbered=isinstance(prompt, Ranking), label=label)
    if isinstance(value, dict):
        return Shown(text=" – ".join(str(v) for v in value.values()), label=label)
    return Shown(text=str(value).strip(), label=label)


def person_reader(walk: Walk) -> Reader:
    """A box's content from one person's answers, each named by its question (hidden steps count
    as unanswered)."""

    def shown(step_id: str, prompt_id: str) -> Shown | None:
        step = walk.workbook.step(step_id)
        prompt = step.prompt(prompt_id) if step else None
        label = short_label(walk.text(prompt.label)) if prompt is not None and prompt.kind != "note" else None
        value = walk.answers.get(step_id, prompt_id)
        if step is not None and not walk.is_visible(step):
            value = None
        return shown_answer(value, prompt, label)

    return shown


def cell_entries(cell: CanvasCell, read: Reader) -> list[Shown]:
    """The cell's answers in order, each labelled by the cell when it gives labels (plain text,
    the same for one person and for the room), else as the reader names it."""
    entries = []
    for index, ref in enumerate(cell.answers):
        step_id, prompt_id = ref.split(".")
        shown = read(step_id, prompt_id) or Shown()
        if cell.labels:
            shown = Shown(shown.text, shown.items, shown.numbered, cell.labels[index], shown.gauge)
        entries.append(shown)
    return entries
