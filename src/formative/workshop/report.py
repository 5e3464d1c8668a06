"""The workshop report: every shared step with the room's answers, the votes, the room's canvas.

Answers to steps that are not shared stay out of it: they were written for the person alone.
"""

from __future__ import annotations

from pathlib import Path

from formative.answers.atomic import atomic_write_text
from formative.answers.store import AnswerStore
from formative.answers.values import format_answer, is_answered
from formative.export.markdown import render_markdown
from formative.walk import Walk
from formative.workbook.model import DotVote
from formative.workshop.room import Room, room_prompts, shows_room


def _quote(text: str) -> list[str]:
    return [f"> {line}" if line else ">" for line in text.strip("\n").splitlines()] or [">"]


def render_report(room: Room) -> str:
    """Markdown for the whole room. Names are left out when the workshop is anonymous."""
    workshop = room.workshop
    workbook = workshop.workbook
    anonymous = workshop.state.anonymous
    people = room.participants
    lines = [f"# {workshop.data.workshop.title}", "", f"Workbook: {workbook.title}", ""]
    if not anonymous:
        lines += ["## Who was there", ""]
        lines += [f"- {p.name}" for p in people] or ["- nobody has answered yet"]
        lines += [""]
    walk = Walk(workbook, _Empty(), room=room.values)  # headings show no one person's answers
    for step in workbook.steps:
        if not shows_room(step):
            continue
        lines += [f"## {walk.text(step.title)}", ""]
        for prompt in room_prompts(step):
            lines += [f"**{walk.text(prompt.label)}**", ""]
            if isinstance(prompt, DotVote):
                tally = room.tally(step, prompt)
                lines += [f"- {count} × {option}" for option, count in tally] or ["_No votes._"]
                lines += [""]
                continue
            given = [(p.name, p.get(step.id, prompt.id)) for p in people]
            given = [(name, value) for name, value in given if is_answered(value)]
            if not given:
                lines += ["_No answers._", ""]
            for name, value in given:
                if not anonymous:
                    lines.append(f"{name}:")
                lines += [*_quote(format_answer(value) if isinstance(value, list) else str(value)), ""]
    if workbook.canvas is not None:
        lines += ["## The room's canvas", ""]
        for cell in workbook.canvas.cells:
            lines += [f"### {cell.title}", ""]
            for ref in cell.answers:
                step_id, prompt_id = ref.split(".")
                for value in room.values(step_id, prompt_id):
                    lines.append(f"- {format_answer(value)}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


class _Empty:
    """An answer reader with no answers: headings in the report show no one's text."""

    def get(self, step_id: str, prompt_id: str) -> None:
        return None


def export_participants(room: Room, folder: Path) -> list[Path]:
    """Each participant's own answers as a Markdown file in folder; returns the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for person in room.participants:
        store = AnswerStore.open(person.path, room.workshop.workbook, lock=False)
        path = folder / f"{person.path.stem}.md"
        atomic_write_text(path, render_markdown(room.workshop.workbook, store))
        written.append(path)
    return written
