"""A person's answers as a readable Markdown document, in workbook order.

Every piece of the person's text goes through formative.export.safe_markdown, so an
answer shows as typed and cannot change the document around it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from formative.answers.atomic import atomic_write_text
from formative.answers.store import AnswerStore
from formative.answers.values import is_answered
from formative.export.canvas_content import Shown, cell_entries, person_reader
from formative.export.folder import export_path
from formative.export.safe_markdown import bullet, literal_line, literal_lines, prose, workbook_text
from formative.export.wording import is_whole_number, record_fields, scale_text, vote_counts
from formative.walk import Walk
from formative.workbook.model import CanvasCell, DotVote, Prompt, Ranking, Scale, Workbook


class AnswerSource(Protocol):
    """What a document is made from: an AnswerStore, or a participant's answers in a room."""

    @property
    def person(self) -> str | None: ...

    def get(self, step_id: str, prompt_id: str) -> Any: ...

    def step_ids(self) -> list[str]: ...

    def step_values(self, step_id: str) -> dict[str, Any]: ...


def label(walk: Walk, template: str) -> str:
    """Workbook text (a title, a question) as one Markdown line, with earlier answers escaped."""
    return walk.text(workbook_text(template), literal_line)


def record_lines(record: dict[str, Any], prompt: Prompt | None) -> list[str]:
    """One record as lines of '**Field:** text', held together by hard line breaks."""
    lines: list[str] = []
    for field, text in record_fields(record, prompt):
        first, *rest = [line for line in literal_lines(text) if line] or [""]
        lines += [f"**{workbook_text(field)}:** {first}", *rest]
    return [f"{line}\\" for line in lines[:-1]] + lines[-1:]


def item_lines(item: Any, prompt: Prompt | None) -> list[str]:
    """One item of a list answer (text, or a record of fields) as Markdown lines."""
    if isinstance(item, dict):
        return record_lines(item, prompt)
    return prose(str(item))


def is_items(value: Any, prompt: Prompt | None) -> bool:
    """Whether an answer reads as a list of items (rather than one piece of text)."""
    return isinstance(value, list) or (isinstance(value, dict) and not isinstance(prompt, DotVote))


def answer_lines(value: Any, prompt: Prompt | None) -> list[str]:
    """Markdown lines for one answer, in the form that suits its kind.

    Scales read '4 of 5 (cosy … challenging)', votes '2 × Option', rankings are numbered,
    lists and records are bulleted with their lines hanging under the bullet, and text is
    prose that keeps its line breaks. Values of unexpected shapes are shown, not dropped.
    """
    if isinstance(prompt, Scale) and is_whole_number(value):
        return [literal_line(scale_text(value, prompt))]
    if isinstance(prompt, DotVote) and isinstance(value, list):
        return [f"- {count} × {literal_line(option)}" for option, count in vote_counts(value)]
    if isinstance(value, dict):
        value = [value]
    if isinstance(value, list):
        lines: list[str] = []
        items = [item for item in value if is_answered(item)]
        for number, item in enumerate(items, 1):
            lines += bullet(item_lines(item, prompt), f"{number}." if isinstance(prompt, Ranking) else "-")
        return lines
    return prose(str(value))


def shown_lines(shown: Shown) -> list[str]:
    """One canvas entry as Markdown: a scale's gauge and meaning, items as a list, text as prose."""
    if shown.items:
        lines: list[str] = []
        for number, item in enumerate(shown.items, 1):
            lines += bullet(prose(item), f"{number}." if shown.numbered else "-")
        return lines
    text = shown.text or ""
    return [f"{shown.gauge} {literal_line(text)}"] if shown.gauge else prose(text)


def cell_heading(walk: Walk, cell: CanvasCell) -> list[str]:
    """A canvas box's heading lines, the same in a person's document and the room's report."""
    heading = [f"### {label(walk, cell.title)}", ""]
    return [*heading, f"_{workbook_text(cell.subtitle)}_", ""] if cell.subtitle else heading


def canvas_lines(walk: Walk) -> list[str]:
    """The person's canvas, box by box as the app and the SVG draw it: the one-page summary
    at the end of the document. Only boxes with an answer; nothing when none has one."""
    canvas = walk.workbook.canvas
    if canvas is None:
        return []
    read = person_reader(walk)
    cells: list[str] = []
    for cell in canvas.cells:
        parts: list[str] = []
        for shown in cell_entries(cell, read):
            if shown.empty:
                continue
            if shown.label:
                parts += [f"**{literal_line(shown.label)}**", ""]
            parts += [*shown_lines(shown), ""]
        if parts:
            cells += cell_heading(walk, cell) + parts
    return [f"## {label(walk, canvas.title)}", "", *cells] if cells else []


def _count_questions(walk: Walk, answers: AnswerSource) -> tuple[int, int]:
    """(answered, asked) over the visible steps."""
    asked = [(s, p) for s in walk.visible_steps() for p in s.answer_prompts]
    answered = sum(1 for s, p in asked if is_answered(answers.get(s.id, p.id)))
    return answered, len(asked)


def render_markdown(
    workbook: Workbook,
    answers: AnswerSource,
    *,
    title: str | None = None,
    intro: str | None = None,
    answered_only: bool = False,
) -> str:
    """The whole document. Hidden steps are left out; answers to steps the workbook no
    longer has come last, so nothing is lost.

    Unanswered prompts say "_Not answered._": a person looking at their own export may
    want to see the gaps. answered_only (each person's copy of a workshop) leaves them
    out instead and says so at the top. title and intro (a line under it) are plain
    text; the default title is the workbook's and the person's name.
    """
    walk = Walk(workbook, answers)
    person = answers.person
    heading = title or (f"{workbook.title} — {person}" if person else workbook.title)
    lines = [f"# {literal_line(heading)}", ""]
    if intro:
        lines += [literal_line(intro), ""]
    if workbook.summary.strip():
        lines += [workbook_text(workbook.summary), ""]
    if answered_only:
        answered, asked = _count_questions(walk, answers)
        lines += [
            f"_This copy holds only what you answered: {answered} of {asked} questions. "
            "The questions you left blank are left out._",
            "",
        ]
    for section in workbook.sections:
        steps = [s for s in section.steps if s.answer_prompts and walk.is_visible(s)]
        if answered_only:
            steps = [s for s in steps if any(is_answered(answers.get(s.id, p.id)) for p in s.answer_prompts)]
        if not steps:
            continue
        lines += [f"## {label(walk, section.title)}", ""]
        for step in steps:
            lines += [f"### {label(walk, step.title)}", ""]
            for prompt in step.answer_prompts:
                value = answers.get(step.id, prompt.id)
                if answered_only and not is_answered(value):
                    continue
                lines += [f"**{label(walk, prompt.label)}**", ""]
                lines += (answer_lines(value, prompt) if is_answered(value) else ["_Not answered._"]) + [""]
    lines += canvas_lines(walk)
    known = {step.id for step in workbook.steps}
    extra_steps = [step_id for step_id in answers.step_ids() if step_id not in known]
    if extra_steps:
        lines += ["## Answers to steps this workbook no longer has", ""]
        for step_id in extra_steps:
            lines += [f"### {literal_line(step_id)}", ""]
            for prompt_id, value in answers.step_values(step_id).items():
                lines += [f"**{literal_line(prompt_id)}**", "", *answer_lines(value, None), ""]
    return "\n".join(lines).rstrip() + "\n"


def export_markdown_beside(workbook: Workbook, answers: AnswerStore) -> Path:
    """Write the Markdown document into the exports folder beside the answer files
    (answers/exports/NAME.md); returns its path."""
    path = export_path(answers.path, ".md")
    atomic_write_text(path, render_markdown(workbook, answers))
    return path
