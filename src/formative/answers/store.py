"""The answer file: one TOML file per person per workbook, made to live in git.

Layout:

    [formative]
    workbook = "formative-community"
    person = "Ada"

    [answers.container]
    who = "Five founders who each run a one-person business"
    why = \"\"\"
    Because working alone ...
    \"\"\"

The file is read and written with tomlkit and edited in place, so a person's own
comments and edits survive, unknown steps (removed by a newer workbook) are kept,
and a save rewrites only the lines of answers that changed. Writes are atomic and
guarded by a lock, and a file that does not parse is never overwritten.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import Table
from tomlkit.toml_document import TOMLDocument

from formative.answers.atomic import atomic_write_text
from formative.answers.lock import FileLock
from formative.answers.tomlstr import answer_item
from formative.answers.values import AnswerValue, is_answered
from formative.workbook.errors import WorkbookError
from formative.workbook.load import MAX_ANSWER_BYTES, deep_nesting_problem, read_text
from formative.workbook.model import LongText, Workbook

ANSWERS_FORMAT = 1


class AnswerFileError(Exception):
    """The answer file cannot be used as it is; it is left untouched."""


def _plain(text: str) -> str:
    """Text fit for a one-line TOML comment."""
    return "".join(c if c.isprintable() else " " for c in text)


def _new_document(workbook: Workbook, person: str | None) -> TOMLDocument:
    doc = tomlkit.document()
    doc.add(tomlkit.comment(f"Answers to “{_plain(workbook.title)}”, written by Formative."))
    doc.add(tomlkit.comment("Edit freely: your changes and comments are kept on the next save."))
    doc.add(tomlkit.nl())
    meta = tomlkit.table()
    meta["format"] = ANSWERS_FORMAT
    meta["workbook"] = workbook.id
    if person:
        meta["person"] = person
    doc["formative"] = meta
    doc["answers"] = tomlkit.table(is_super_table=True)
    return doc


def _tomllib_position(text: str) -> tuple[int | None, int | None]:
    """Where the standard library's TOML parser places the first error, if anywhere."""
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"at line (\d+), column (\d+)", str(error))
        if found:
            return int(found.group(1)), int(found.group(2))
    return None, None


def _parse(path: Path, text: str) -> TOMLDocument:
    try:
        return tomlkit.parse(text)
    except RecursionError:
        raise AnswerFileError(f"{deep_nesting_problem(text, str(path))}. It was left untouched.") from None
    except TOMLKitError as error:
        line, col = getattr(error, "line", None), getattr(error, "col", None)
        if not line:  # some tomlkit errors (a key given twice) carry no position
            line, col = _tomllib_position(text)
        where = f"{path}:{line}:{col}" if line else str(path)
        message = str(error).split(" at line ")[0]
        raise AnswerFileError(
            f"{where}: this answer file is not valid TOML ({message}). "
            "It was left untouched: fix it by hand, or move it aside to start afresh."
        ) from None


def _check_shape(path: Path, doc: TOMLDocument, workbook: Workbook) -> None:
    meta = doc.get("formative")
    if not isinstance(meta, dict):
        raise AnswerFileError(f"{path}: no [formative] table; this does not look like a Formative answer file.")
    if meta.get("workbook") != workbook.id:
        raise AnswerFileError(f"{path}: these are answers to workbook '{meta.get('workbook')}', not '{workbook.id}'.")
    answers = doc.get("answers", {})
    if not isinstance(answers, dict) or not all(isinstance(v, dict) for v in answers.values()):
        raise AnswerFileError(f"{path}: 'answers' must hold one table per step, as [answers.STEP_ID].")


class AnswerStore:
    """Read and change one person's answers; save() writes them atomically.

    Use open() to create one: it takes the lock. close() (or a with block) releases it.
    """

    def __init__(self, path: Path, doc: TOMLDocument, workbook: Workbook, lock: FileLock | None) -> None:
        self.path = path
        self.workbook = workbook
        self._doc = doc
        self._lock = lock
        self._step_order = {step.id: n for n, step in enumerate(workbook.steps)}
        self._long_text = {(s.id, p.id) for s in workbook.steps for p in s.prompts if isinstance(p, LongText)}
        # A file saved before any answer was given has no [answers] table at all.
        answers = doc.get("answers")
        self._values: dict[str, dict[str, Any]] = (
            {step: dict(prompts) for step, prompts in answers.unwrap().items()} if answers is not None else {}
        )
        self.dirty = not path.exists()

    @classmethod
    def open(cls, path: Path, workbook: Workbook, person: str | None = None, lock: bool = True) -> AnswerStore:
        """Open (or start) the answer file at path, taking its lock.

        Raises LockedError when another process holds it, AnswerFileError when the
        file exists but cannot be used.
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        file_lock = FileLock(path) if lock else None
        if file_lock:
            file_lock.acquire()
        try:
            if os.path.lexists(path):  # a broken link or a named pipe is refused, not replaced
                try:
                    text = read_text(path, MAX_ANSWER_BYTES)
                except WorkbookError as error:
                    raise AnswerFileError(f"{error.problems[0]}; it was left untouched.") from None
                doc = _parse(path, text)
                _check_shape(path, doc, workbook)
            else:
                doc = _new_document(workbook, person)
        except BaseException:
            if file_lock:
                file_lock.release()
            raise
        return cls(path, doc, workbook, file_lock)

    @property
    def person(self) -> str | None:
        meta = self._doc.get("formative", {})
        person = meta.get("person")
        return str(person) if person is not None else None

    def get(self, step_id: str, prompt_id: str) -> Any:
        """The stored answer, or None. Hand-edited files may hold any TOML value here."""
        return self._values.get(step_id, {}).get(prompt_id)

    def step_ids(self) -> list[str]:
        """Every step with answers in the file, including steps the workbook no longer has."""
        return list(self._values)

    def step_values(self, step_id: str) -> dict[str, Any]:
        """Every answer filed under one step, as plain values."""
        return dict(self._values.get(step_id, {}))

    def set(self, step_id: str, prompt_id: str, value: AnswerValue | None) -> None:
        """Set an answer; None, blank text or an empty list removes it."""
        if not is_answered(value):
            value = None
        if self.get(step_id, prompt_id) == value:
            return
        answers = self._answers_table()
        if value is None:
            step_table = answers.get(step_id)
            if step_table is not None and prompt_id in step_table:
                del step_table[prompt_id]
                del self._values[step_id][prompt_id]
                if not self._values[step_id]:
                    del answers[step_id]
                    del self._values[step_id]
                    self._tidy_first_gap(answers)
            self.dirty = True
            return
        if step_id not in answers:
            self._insert_in_order(answers, step_id, tomlkit.table())
            self._tidy_first_gap(answers)
            self._values[step_id] = {}
        step_table = answers[step_id]
        item = answer_item(value, multiline=(step_id, prompt_id) in self._long_text)
        if prompt_id in step_table:
            step_table[prompt_id] = item
        else:
            step = self.workbook.step(step_id)
            order = [p.id for p in step.prompts] if step else []
            self._insert_in_order(step_table, prompt_id, item, order)
        self._values[step_id][prompt_id] = value
        self.dirty = True

    def _insert_in_order(self, table: Table, key: str, item: Any, order: Sequence[str] | None = None) -> None:
        """Add key to table so keys keep workbook order; unknown keys stay where they are."""
        rank = {k: n for n, k in enumerate(order)} if order is not None else self._step_order
        mine = rank.get(key)
        # Keys in the order the file has them (not the order they were set in this session),
        # so the moved keys are re-added in the same order they had.
        later = [k for k in list(table.keys()) if mine is not None and k in rank and rank[k] > mine]
        moved = [(k, table[k]) for k in later]
        for k in later:
            del table[k]
        table.add(key, item)
        for k, moved_item in moved:
            table.add(k, moved_item)

    def _tidy_first_gap(self, answers: Table) -> None:
        """Keep one blank line between [formative] and the first step, however often it changes.

        tomlkit gives a table it adds a blank line of its own; after a [formative] table
        read from a file (which already ends with one) that would add a line per change.
        """
        first = next((item for key, item in answers.value.body if key is not None), None)
        meta = self._doc.get("formative")
        if isinstance(first, Table) and isinstance(meta, Table) and first.trivia.indent == "\n":
            if meta.as_string().endswith("\n\n"):
                first.trivia.indent = ""

    def _answers_table(self) -> Table:
        if "answers" not in self._doc:
            self._doc["answers"] = tomlkit.table(is_super_table=True)
        table = self._doc["answers"]
        assert isinstance(table, Table)
        return table

    def render(self) -> str:
        return self._doc.as_string()

    def save(self) -> bool:
        """Write the file if anything changed; returns whether it wrote."""
        if not self.dirty:
            return False
        atomic_write_text(self.path, self.render())
        self.dirty = False
        return True

    def close(self) -> None:
        """Save pending changes and release the lock."""
        try:
            self.save()
        finally:
            if self._lock:
                self._lock.release()

    def __enter__(self) -> AnswerStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
