"""The step a new sitting opens on, read from the workbook's plain TOML for the first paint.

Importing pydantic and the 27 workbook models, then validating, costs several times what
Textual's own start does. A person starting a workbook for the first time sees its first
step anyway, and that step can be read from the TOML with `tomllib` alone. So the app
paints it from here at once and opens the real session (validation, the answer file, the
lock, git) straight after. Anything unusual returns None and the app waits for the full
load as before: this is only ever a faster picture of what the full load will show, and
the full load still decides (and reports every problem with its line and column).

The rules mirror the Walk with no answers (resume, visibility, interpolation); a test
checks both agree on every bundled workbook. Nothing here imports pydantic or Textual.
"""

from __future__ import annotations

import os
import stat
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from formative.answers.naming import answer_file
from formative.workbook.depth import too_deep
from formative.workbook.linked import find_workbook
from formative.workbook.text import UNANSWERED, interpolate

PREVIEW_LIMIT = 5_000_000
"""Bytes: a larger file is left to the full load (which refuses it with a clear message)."""


@dataclass(frozen=True)
class FirstStep:
    """What the step screen shows of a workbook's first step, before the workbook is validated."""

    answers_path: Path
    """Where the session will keep the answers (the file does not exist yet)."""
    workbook_title: str
    section_title: str
    title: str
    position: int
    """1-based, among the steps visible with nothing answered."""
    visible: int
    intro: str
    """Markdown: the section's intro on its first step, else empty."""
    body: str
    """Markdown: the step's guidance."""
    mode: str | None
    timebox: int | None
    has_example: bool
    answerable: bool
    """Whether any visible step asks something (else the progress bar is full, as the Walk says)."""

    def text(self, template: str, escape: Callable[[str], str] | None = None) -> str:
        """Workbook text as a Walk with no answers fills it in (see Walk.text)."""
        shown = escape(UNANSWERED) if escape else UNANSWERED
        return interpolate(template, lambda _step, _prompt: shown)


def first_step(workbook_ref: str, answers_dir: Path, person: str | None) -> FirstStep | None:
    """The step a fresh sitting of workbook_ref opens on; None when only the full load can tell.

    None when the person already has an answer file (where they resume needs their
    answers checked), or the workbook is not a plain readable TOML file in the usual shape.
    """
    data = _read(find_workbook(workbook_ref))
    if data is None:
        return None
    workbook_id, title = data.get("id"), data.get("title")
    if not isinstance(workbook_id, str) or not isinstance(title, str):
        return None
    answers_path = answer_file(answers_dir, workbook_id, person)
    if os.path.lexists(answers_path):
        return None
    try:
        return _first_step(answers_path, title, data["sections"])
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _read(path: Path) -> dict[str, Any] | None:
    """The parsed TOML of a regular, modest, UTF-8 file; None for anything else (no blocking on a pipe)."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > PREVIEW_LIMIT:
            return None
        with open(path, "rb") as file:
            text = file.read(PREVIEW_LIMIT + 1).decode("utf-8-sig")
        if len(text) > PREVIEW_LIMIT or too_deep(text) is not None:
            return None
        return tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return None


def _visible_unanswered(step: dict[str, Any]) -> bool:
    """Whether a step shows before anything is answered (the Walk's conditions on an empty answer)."""
    condition = step.get("show_if")
    if condition is None:
        return True
    if condition.get("answered") is not None:
        return condition["answered"] is False
    if condition.get("equals") is not None:
        return False
    # not_equals holds for an empty answer; at_least, at_most and includes never do
    return condition.get("not_equals") is not None


def _asks(step: dict[str, Any]) -> bool:
    return any(prompt["kind"] != "note" for prompt in step.get("prompts", []))


def _first_step(answers_path: Path, title: str, sections: list[dict[str, Any]]) -> FirstStep | None:
    steps: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for section in sections:
        if "repeat" in section or not section["steps"]:
            return None  # copies are made by the full load; leave counting them to it
        for step in section["steps"]:
            if "repeat" in step:
                return None
            steps.append((section, step))
    visible = [(section, step) for section, step in steps if _visible_unanswered(step)]
    if not visible:
        return None
    answerable = any(_asks(step) for _, step in visible)
    # With nothing answered, the first step that asks something is unfinished, and the
    # notes-only steps before it come first: the Walk resumes on the first visible step.
    position = 0 if answerable else len(visible) - 1
    section, step = visible[position]
    texts = {
        "workbook": title,
        "section": section["title"],
        "step": step["title"],
        "body": step.get("body", ""),
        "intro": section.get("intro") or "",
    }
    if not all(isinstance(value, str) for value in texts.values()):
        return None
    mode, timebox = step.get("mode"), step.get("timebox")
    return FirstStep(
        answers_path=answers_path,
        workbook_title=texts["workbook"],
        section_title=texts["section"],
        title=texts["step"],
        position=position + 1,
        visible=len(visible),
        intro=texts["intro"] if step is section["steps"][0] else "",
        body=texts["body"],
        mode=mode if isinstance(mode, str) else None,
        timebox=timebox if isinstance(timebox, int) and not isinstance(timebox, bool) else None,
        has_example=any(prompt.get("example") for prompt in step.get("prompts", [])),
        answerable=answerable,
    )
