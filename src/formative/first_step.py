"""The step a new sitting opens on, read from the workbook's plain TOML for the first paint.

Importing pydantic and the 27 workbook models, then validating, costs several times what
Textual's own start does. A person starting a workbook for the first time sees its first
step anyway, and that step can be read from the TOML with `tomllib` alone. So the app
paints it from here at once and opens the real session (validation, the answer file, the
lock, git) straight after. Anything unusual returns None and the app waits for the full
load as before: this is only ever a faster picture of what the full load will show, and
the full load still decides (and reports every problem with its line and column).
A person coming back resumes where their checked answers say, which only the full load
can tell: so each sitting, as it closes, remembers that step for the next start (remember).

The rules mirror the Walk with no answers (resume, visibility, interpolation); a test
checks both agree on every bundled workbook. Nothing here imports pydantic or Textual.
"""

from __future__ import annotations

import os
import stat
import tomllib
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from formative import __version__
from formative.answers.naming import answer_file
from formative.workbook.depth import too_deep
from formative.workbook.linked import find_workbook
from formative.workbook.text import UNANSWERED, escape_markdown, interpolate

if TYPE_CHECKING:
    from formative.session import Session
    from formative.walk import Walk

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
    filled: bool = False
    """The texts already hold the person's answers (a resumed sitting, from the cache)."""

    def text(self, template: str, escape: Callable[[str], str] | None = None) -> str:
        """Workbook text as a Walk with no answers fills it in (see Walk.text); filled texts as they are."""
        if self.filled:
            return template
        shown = escape(UNANSWERED) if escape else UNANSWERED
        return interpolate(template, lambda _step, _prompt: shown)


def first_step(workbook_ref: str, answers_dir: Path, person: str | None) -> FirstStep | None:
    """The step a sitting of workbook_ref opens on; None when only the full load can tell.

    A fresh sitting opens on the first step, read from the TOML. A person with an answer
    file resumes where their checked answers say: that step is known only from the cache
    the last sitting left (see remember), while both files are as it left them. None too
    when the workbook is not a plain readable TOML file in the usual shape.
    """
    path = find_workbook(workbook_ref)
    data = _read(path)
    if data is None:
        return None
    workbook_id, title = data.get("id"), data.get("title")
    if not isinstance(workbook_id, str) or not isinstance(title, str):
        return None
    answers_path = answer_file(answers_dir, workbook_id, person)
    if os.path.lexists(answers_path):
        return _remembered(path, answers_path)
    try:
        return _first_step(answers_path, title, data["sections"])
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def cache_file(answers_path: Path) -> Path:
    """Where the step an answer file resumes on is remembered: the user's cache, one file per answer file."""
    import hashlib  # here, not above: a fresh sitting's first paint needs neither hashlib nor json

    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    key = hashlib.sha256(str(answers_path.absolute()).encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return base / "formative" / "first-paint" / f"{key}.json"


def _fingerprint(workbook_path: Path, answers_path: Path) -> str | None:
    """Both files' bytes (and this Formative's version): any change to either, and the cache is stale."""
    import hashlib

    digest = hashlib.sha256(__version__.encode())
    for path in (workbook_path, answers_path):
        try:
            info = os.stat(path)
            if not stat.S_ISREG(info.st_mode) or info.st_size > PREVIEW_LIMIT:
                return None
            digest.update(path.read_bytes() + b"\0")
        except OSError:
            return None
    return digest.hexdigest()


def _remembered(workbook_path: Path, answers_path: Path) -> FirstStep | None:
    import json

    try:
        entry = json.loads(cache_file(answers_path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("fingerprint") != _fingerprint(workbook_path, answers_path):
        return None
    step = entry.get("step")
    names = {field.name for field in fields(FirstStep)} - {"answers_path", "filled"}
    if not isinstance(step, dict) or set(step) != names:
        return None
    try:
        first = FirstStep(answers_path=answers_path, filled=True, **step)
    except TypeError:
        return None
    kinds = [first.workbook_title, first.section_title, first.title, first.intro, first.body]
    if not all(isinstance(text, str) for text in kinds) or not isinstance(first.position, int):
        return None
    return first


def remember(session: Session) -> None:
    """After a sitting: keep the step the answer file will resume on, for the next first paint.

    Written to the user's cache (private), keyed by the answer file; used only while the
    workbook and the answers are byte for byte as now. The texts hold the person's answers
    where the workbook shows them, as the step screen would fill them in.
    """
    import json

    from formative.walk import Walk

    walk = Walk(session.workbook, session.store)
    fingerprint = _fingerprint(session.workbook_path, session.path)
    if fingerprint is None:
        return
    walk.resume()
    first = preview(walk, session.path)
    saved = {key: value for key, value in asdict(first).items() if key not in ("answers_path", "filled")}
    from formative.answers.atomic import atomic_write_text, make_private_folder

    target = cache_file(session.path)
    make_private_folder(target.parent)
    atomic_write_text(target, json.dumps({"fingerprint": fingerprint, "step": saved}, ensure_ascii=False))


def preview(walk: Walk, answers_path: Path) -> FirstStep:
    """What the step screen will show of the walk's current step (its texts filled in with the answers).

    A sitting remembers it for the next start; a workshop participant's app paints it while
    the step screen is built (the room's step, known only once the session is open).
    """
    step = walk.current
    progress = walk.progress()
    section = walk.section_of(step)
    return FirstStep(
        answers_path=answers_path,
        workbook_title=walk.workbook.title,
        section_title=walk.text(section.title),
        title=walk.text(step.title),
        position=progress.position,
        visible=progress.visible,
        intro=walk.text(section.intro, escape_markdown) if section.intro and step is section.steps[0] else "",
        body=walk.text(step.body, escape_markdown),
        mode=step.mode,
        timebox=step.timebox,
        has_example=any(getattr(prompt, "example", None) for prompt in step.prompts),
        answerable=progress.answerable > 0,
        filled=True,
    )


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
