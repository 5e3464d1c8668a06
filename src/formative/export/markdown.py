"""A person's answers as a readable Markdown document, in workbook order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from formative.answers.atomic import atomic_write_text
from formative.answers.store import AnswerStore
from formative.answers.values import is_answered
from formative.walk import Walk
from formative.workbook.model import LongText, Records, Workbook


def _block(value: Any, prompt: Any) -> list[str]:
    """Markdown lines for one answer."""
    if isinstance(prompt, Records) and isinstance(value, list):
        names = {f.id: f.label for f in prompt.fields}
        lines = []
        for record in value:
            if isinstance(record, dict):
                parts = [f"{names.get(k, k)}: {v}" for k, v in record.items() if str(v).strip()]
                lines.append("- " + "; ".join(parts))
        return lines
    if isinstance(value, list):
        return (
            [f"{n}. {item}" for n, item in enumerate(value, 1)]
            if getattr(prompt, "kind", None) == "ranking"
            else [f"- {item}" for item in value]
        )
    if isinstance(prompt, LongText) or (isinstance(value, str) and "\n" in value):
        return str(value).strip("\n").splitlines()
    return [str(value)]


def render_markdown(workbook: Workbook, answers: AnswerStore) -> str:
    """The whole document. Hidden steps are left out; unanswered prompts say so.

    Answers to steps the workbook no longer has come last, so nothing is lost.
    """
    walk = Walk(workbook, answers)
    title = f"{workbook.title} — {answers.person}" if answers.person else workbook.title
    lines = [f"# {title}", ""]
    if workbook.summary:
        lines += [workbook.summary.strip(), ""]
    for section in workbook.sections:
        steps = [s for s in section.steps if s.answer_prompts and walk.is_visible(s)]
        if not steps:
            continue
        lines += [f"## {section.title}", ""]
        for step in steps:
            lines += [f"### {walk.text(step.title)}", ""]
            for prompt in step.answer_prompts:
                value = answers.get(step.id, prompt.id)
                lines += [f"**{walk.text(prompt.label)}**", ""]
                lines += (_block(value, prompt) if is_answered(value) else ["_Not answered._"]) + [""]
    known = {step.id for step in workbook.steps}
    extra_steps = [step_id for step_id in answers.step_ids() if step_id not in known]
    if extra_steps:
        lines += ["## Answers to steps this workbook no longer has", ""]
        for step_id in extra_steps:
            lines += [f"### {step_id}", ""]
            for prompt_id, value in answers.step_values(step_id).items():
                lines += [f"**{prompt_id}**", "", *_block(value, None), ""]
    return "\n".join(lines).rstrip() + "\n"


def export_markdown_beside(workbook: Workbook, answers: AnswerStore) -> Path:
    """Write the Markdown document next to the answer file (same name, .md); returns its path."""
    path = answers.path.with_suffix(".md")
    atomic_write_text(path, render_markdown(workbook, answers))
    return path
