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

The file may change on disk while it is open (a hand edit, a `git pull`): before
each save the store looks, and if it changed, takes the file on disk as the new
starting point and re-applies only the answers changed in the app since the last
read or write. When both changed one answer, the app's version goes in the file and
the disk's version into a side file beside it, so neither is lost.
"""

from __future__ import annotations

import glob
import os
import re
import time
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import InlineTable, Item, Table
from tomlkit.toml_document import TOMLDocument

from formative.answers.atomic import atomic_write_text
from formative.answers.header import Header
from formative.answers.lock import FileLock
from formative.answers.tomlstr import answer_item
from formative.answers.values import AnswerValue, is_answered
from formative.workbook.errors import WorkbookError
from formative.workbook.load import MAX_ANSWER_BYTES, deep_nesting_problem, read_text, toml_error_position
from formative.workbook.locate import key_positions
from formative.workbook.model import LongText, Workbook

ANSWERS_FORMAT = 1
"""The answer-file format this release reads and writes; a newer one is refused."""

Key = tuple[str, str]
"""(step id, prompt id): where one answer lives."""

Values = dict[str, dict[str, Any]]

_SIDE_FILE = re.compile(r"\.(conflict|recovered)-\d{8}-\d{6}(-\d+)?\.toml$")


def is_side_file(path: Path) -> bool:
    """Whether path is a conflict or recovery copy the store wrote beside an answer file.

    Folder scans (the home screen, the workshop room) skip these: they hold another
    version of someone's answers, not another person or sitting.
    """
    return _SIDE_FILE.search(path.name) is not None


class AnswerFileError(Exception):
    """The answer file cannot be used as it is; it is left untouched."""


@dataclass(frozen=True)
class SaveResult:
    """What a save did, so the app can tell the person when it was more than a write."""

    path: Path
    wrote: bool = False
    merged: bool = False
    """The file had changed on disk; those changes were taken in."""
    changed_on_disk: frozenset[Key] = frozenset()
    """Answers the disk changed and the app did not: their values in memory are new."""
    conflicts: tuple[Key, ...] = ()
    """Answers changed both on disk and in the app: the app's version is in the file."""
    side_file: Path | None = None
    """Where the disk's version of the conflicting answers was kept."""
    recreated: bool = False
    """The file had been deleted on disk and was written anew."""
    problem: str | None = None
    """The file on disk cannot be used now (not overwritten); says where and why."""
    recovery_file: Path | None = None
    """Where the app's answers were put while the file on disk cannot be used."""

    @property
    def notice(self) -> str | None:
        """One message for the person when the save was not an ordinary one."""
        name = self.path.name
        if self.problem is not None:
            safe = f" Your answers from the app are safe in {self.recovery_file.name}." if self.recovery_file else ""
            return f"{self.problem}{safe} Formative will try again at the next save."
        if self.side_file is not None:
            count = len(self.conflicts)
            noun = "answer was" if count == 1 else "answers were"
            return (
                f"{name} changed on disk while open, and {count} {noun} changed both there and here. "
                f"{name} keeps what you see in the app; the version from disk is in {self.side_file.name}."
            )
        if self.recreated:
            return f"{name} had been deleted; it was written again with your answers."
        if self.merged and self.changed_on_disk:
            return f"Took in changes made to {name} outside the app."
        return None


def _plain(text: str) -> str:
    """Text fit for a one-line TOML comment."""
    return "".join(c if c.isprintable() else " " for c in text)


def _same(a: Any, b: Any) -> bool:
    """Equal and of the same types throughout (so 1, 1.0 and true are three different answers)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, float) and a != a:  # nan, which a hand-written file may hold
        return bool(b != b)
    return bool(a == b)


def _copy(values: Values) -> Values:
    """A copy of the step and prompt tables; the answers themselves are replaced, never changed in place."""
    return {step: dict(prompts) for step, prompts in values.items()}


def _lookup(values: Values, key: Key) -> Any:
    return values.get(key[0], {}).get(key[1])


def _keys(*all_values: Values) -> Iterator[Key]:
    seen: dict[Key, None] = {}
    for values in all_values:
        for step_id, prompts in values.items():
            for prompt_id in prompts:
                seen[(step_id, prompt_id)] = None
    yield from seen


def _answer_values(doc: TOMLDocument) -> Values:
    answers = doc.get("answers")
    if answers is None:
        return {}
    return {step: dict(prompts) for step, prompts in answers.unwrap().items()}


def _new_document(
    workbook: Workbook, person: str | None, comments: Sequence[str] = (), workbook_path: str | None = None
) -> TOMLDocument:
    doc = tomlkit.document()
    for line in comments or (
        f"Answers to “{_plain(workbook.title)}”, written by Formative.",
        "Edit freely: your changes and comments are kept on the next save.",
    ):
        doc.add(tomlkit.comment(_plain(line)))
    doc.add(tomlkit.nl())
    meta = tomlkit.table()
    meta["format"] = ANSWERS_FORMAT
    meta["workbook"] = workbook.id
    if workbook_path:
        meta["workbook_path"] = workbook_path
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
        _, line, column = toml_error_position(error)
        return line, column
    return None, None


def _read(path: Path) -> str:
    """The file's text through the workbook loader's careful reader, its errors made ours."""
    try:
        return read_text(path, MAX_ANSWER_BYTES)
    except WorkbookError as error:
        raise AnswerFileError(f"{error.problems[0]}. It was left untouched.") from None


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


def _located(path: Path, text: str, field: tuple[str, ...]) -> str:
    position = key_positions(text).get(field)
    return f"{path}:{position[0]}:{position[1]}" if position else str(path)


def _check_shape(path: Path, text: str, doc: TOMLDocument, workbook: Workbook) -> None:
    meta = doc.get("formative")
    if not isinstance(meta, dict):
        raise AnswerFileError(f"{path}: no [formative] table; this does not look like a Formative answer file.")
    number = meta.get("format", ANSWERS_FORMAT)  # files from before the field existed are format 1
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        where = _located(path, text, ("formative", "format"))
        raise AnswerFileError(
            f"{where}: [formative] format must be a whole number (this release writes {ANSWERS_FORMAT}). "
            "The file was left untouched."
        )
    if number > ANSWERS_FORMAT:
        where = _located(path, text, ("formative", "format"))
        raise AnswerFileError(
            f"{where}: written by a newer Formative (format {number}); update Formative to open it. "
            "The file was left untouched."
        )
    if meta.get("workbook") != workbook.id:
        raise AnswerFileError(f"{path}: these are answers to workbook '{meta.get('workbook')}', not '{workbook.id}'.")
    answers = doc.get("answers", {})
    if not isinstance(answers, dict) or not all(isinstance(v, dict) for v in answers.values()):
        raise AnswerFileError(f"{path}: 'answers' must hold one table per step, as [answers.STEP_ID].")


def _read_document(path: Path, workbook: Workbook) -> tuple[str, TOMLDocument]:
    text = _read(path)
    doc = _parse(path, text)
    _check_shape(path, text, doc, workbook)
    return text, doc


Identity = tuple[int, int, int, int]
_UNKNOWN: Identity = (-1, -1, -1, -1)


def _identity(path: Path) -> Identity | None:
    """What tells us cheaply whether the file changed: inode, size, mtime and ctime; None if absent."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        # A broken link is not "absent": replacing it would write through it. Refuse it instead.
        return _UNKNOWN if os.path.lexists(path) else None
    except OSError:
        return _UNKNOWN  # a link loop, say: read_text names it
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def _is_plain_table(item: Any) -> bool:
    """A table written under its own [header], which tomlkit edits in place reliably."""
    return isinstance(item, Table) and not item.is_super_table()


def _has_dotted_key(doc: TOMLDocument, name: str) -> bool:
    return any(key is not None and key.key == name and key.is_dotted() for key, _ in doc.body)


def _plain_table(table: Any) -> Table:
    """A plain table with the same keys and values, in the same order (from inline, dotted or split tables)."""
    plain = tomlkit.table()
    for key, item in list(table.items()):
        plain.add(key, item)
    if isinstance(table, InlineTable) and table.trivia.comment:
        plain.comment(table.trivia.comment.lstrip("# "))
    return plain


class AnswerStore:
    """Read and change one person's answers; save() writes them atomically.

    Use open() to create one: it takes the lock. close() (or a with block) releases it.
    """

    def __init__(
        self,
        path: Path,
        doc: TOMLDocument,
        workbook: Workbook,
        lock: FileLock | None,
        text: str | None = None,
        identity: Identity | None = None,
    ) -> None:
        self.path = path
        self.workbook = workbook
        self._doc = doc
        self._lock = lock
        self._step_order = {step.id: n for n, step in enumerate(workbook.steps)}
        self._long_text = {(s.id, p.id) for s in workbook.steps for p in s.prompts if isinstance(p, LongText)}
        self._values: Values = _answer_values(doc)
        self._base: Values = _copy(self._values)
        """The answers as last read from or written to the file: what the app's changes are measured against."""
        self._text = text
        self._identity = identity
        self._recovery: Path | None = None
        self._workbook_path_pending: str | None = None
        """Where the workbook lives, to record with the next write (see record_workbook_path)."""
        self._unwritten: dict[Key, None] = {}
        """Answers changed in memory and not yet put in the document (in the order they changed)."""
        self.dirty = text is None

    @classmethod
    def open(
        cls,
        path: Path,
        workbook: Workbook,
        person: str | None = None,
        lock: bool = True,
        workbook_path: str | None = None,
    ) -> AnswerStore:
        """Open (or start) the answer file at path, taking its lock.

        workbook_path is where a workbook that is not bundled lives, recorded in a new file's
        [formative] table (see record_workbook_path for an existing one).

        Raises LockedError when another process holds it, AnswerFileError when the
        file exists but cannot be used.
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        file_lock = FileLock(path) if lock else None
        if file_lock:
            file_lock.acquire()
        try:
            identity = _identity(path)
            if identity is not None:
                try:
                    text, doc = _read_document(path, workbook)
                except AnswerFileError as error:
                    raise AnswerFileError(f"{error}{_recovery_hint(path)}") from None
                store = cls(path, doc, workbook, file_lock, text, identity)
            else:
                store = cls(path, _new_document(workbook, person, workbook_path=workbook_path), workbook, file_lock)
        except BaseException:
            if file_lock:
                file_lock.release()
            raise
        return store

    @property
    def person(self) -> str | None:
        meta = self._doc.get("formative", {})
        person = meta.get("person")
        return str(person) if person is not None else None

    @property
    def recorded_workbook_path(self) -> str | None:
        """Where the file says its workbook lives ([formative] workbook_path), as written there."""
        value = self._doc.get("formative", {}).get("workbook_path")
        return value if isinstance(value, str) else None

    def record_workbook_path(self, value: str) -> None:
        """Note in [formative] where the workbook lives now.

        A file that recorded another place (the workbook moved) is updated with the next
        save. A file that recorded none (older, or written by hand) gets it with the next
        save that writes anyway, so opening a file only to look never changes it.
        """
        if value == self.recorded_workbook_path:
            return
        self._workbook_path_pending = value
        if self.recorded_workbook_path is not None:
            self._apply_workbook_path()
            self.dirty = True

    def _apply_workbook_path(self) -> bool:
        """Put a pending workbook_path in the document (again, after a merge); whether it changed."""
        pending = self._workbook_path_pending
        if pending is None or pending == self.recorded_workbook_path:
            return False
        meta = self._doc["formative"]
        assert isinstance(meta, dict)
        meta["workbook_path"] = pending
        return True

    @property
    def sitting(self) -> int:
        """Which sitting these answers belong to: `[formative] sitting`, 1 when the file does not say."""
        header = Header.of(self._doc.get("formative"))
        return header.sitting if header else 1

    def start_sitting(self, number: int, started: date) -> None:
        """Empty every answer for a new sitting, noting its number and the day it began.

        The answers of the sitting before are kept in git, not here (see session.begin_sitting).
        Comments and other keys stay; only `sitting` and `started` are written, once per
        sitting, so saves within a sitting change no dates.
        """
        for step_id, prompts in list(self._values.items()):
            for prompt_id in list(prompts):
                self._put(step_id, prompt_id, None)
        meta = self._doc.get("formative")
        if not isinstance(meta, Table | InlineTable):
            raise AnswerFileError(f"{self.path}: no [formative] table to note the sitting in.")
        meta["sitting"] = number
        meta["started"] = started
        self.dirty = True

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
        if _same(self.get(step_id, prompt_id), value):
            return
        self._put(step_id, prompt_id, value)
        self.dirty = True

    def _put(self, step_id: str, prompt_id: str, value: Any) -> None:
        """Change one answer in memory; the document takes it when it is next rendered.

        Someone typing changes an answer on every key; editing the TOML document each time
        (a 10,000-character answer rebuilt as a multi-line string) is work only a save needs.
        """
        self._remember(step_id, prompt_id, value)
        self._unwritten[(step_id, prompt_id)] = None

    def _update_document(self) -> None:
        """Put the answers changed since the last render into the document, touching only their lines."""
        keys, self._unwritten = list(self._unwritten), {}
        for step_id, prompt_id in keys:
            try:
                self._edit(self._doc, step_id, prompt_id, _lookup(self._values, (step_id, prompt_id)))
            except TOMLKitError:  # a layout tomlkit cannot edit: lay the answers out afresh
                self._relayout()
                return

    def _remember(self, step_id: str, prompt_id: str, value: Any) -> None:
        if value is not None:
            self._values.setdefault(step_id, {})[prompt_id] = value
        elif prompt_id in self._values.get(step_id, {}):
            del self._values[step_id][prompt_id]
            if not self._values[step_id]:
                del self._values[step_id]

    # Editing the TOML document ---------------------------------------------------------

    def _item(self, step_id: str, prompt_id: str, value: Any) -> Item:
        """The TOML item for a value: our clean layout for answer shapes, plain TOML for anything else."""
        if (isinstance(value, str | int) and not isinstance(value, bool)) or _is_list_answer(value):
            return answer_item(value, multiline=(step_id, prompt_id) in self._long_text)
        item: Item = tomlkit.item(value)
        return item

    def _edit(self, doc: TOMLDocument, step_id: str, prompt_id: str, value: Any) -> None:
        """Put one answer into doc (None removes it), touching only that answer's lines."""
        answers = self._answers_table(doc)
        if value is None:
            step_table = self._step_table(answers, step_id)
            if step_table is not None and prompt_id in step_table:
                del step_table[prompt_id]
                if not step_table:
                    del answers[step_id]
                    self._tidy_first_gap(doc, answers)
            return
        step_table = self._step_table(answers, step_id)
        if step_table is None:
            step_table = tomlkit.table()
            self._insert_in_order(answers, step_id, step_table)
            self._tidy_first_gap(doc, answers)
        item = self._item(step_id, prompt_id, value)
        if prompt_id in step_table:
            step_table[prompt_id] = item
        else:
            step = self.workbook.step(step_id)
            order = [p.id for p in step.prompts] if step else []
            self._insert_in_order(step_table, prompt_id, item, order)

    def _answers_table(self, doc: TOMLDocument) -> Table:
        """The [answers] table, ready to edit.

        Written as usual (`[answers.STEP]` tables, or an `[answers]` table) it is edited
        in place. Written another way — inline (`answers = { … }`), as dotted keys
        (`answers.welcome.name = …`) or split around another table — it cannot be
        edited reliably, so it is rewritten once as [answers.STEP] tables at the end
        of the file, holding the same steps, keys and values.
        """
        table = doc.get("answers")
        if isinstance(table, Table) and not _has_dotted_key(doc, "answers"):
            return table
        fresh = tomlkit.table(is_super_table=True)
        if table is not None:
            for step_id, step in list(table.items()):
                fresh.add(step_id, step if _is_plain_table(step) else _plain_table(step))
            doc.remove("answers")
        doc.add("answers", fresh)
        return fresh

    def _step_table(self, answers: Table, step_id: str) -> Table | None:
        """The step's table, made a plain [answers.STEP] table if it was written another way.

        Inline (`welcome = { … }`) and dotted (`welcome.name = …`) steps cannot be edited
        in place reliably, so the step the app changes is rewritten as one plain table
        holding the same keys and values (an inline table's comment goes to its header);
        other steps stay as they are.
        """
        table = answers.get(step_id)
        if table is None or _is_plain_table(table):
            return table
        plain = _plain_table(table)
        del answers[step_id]
        self._insert_in_order(answers, step_id, plain)
        return plain

    def _insert_in_order(self, table: Table, key: str, item: Any, order: Sequence[str] | None = None) -> None:
        """Add key to table so keys keep workbook order; unknown keys stay where they are."""
        rank = {k: n for n, k in enumerate(order)} if order is not None else self._step_order
        mine = rank.get(key)
        # Keys in the order the file has them (not the order they were set in this session),
        # so the moved keys are re-added in the same order they had. Dotted keys
        # (`welcome.name = …`) cannot be taken out and put back: they stay where they are.
        movable = [
            k.key
            for k, item in table.value.body
            if k is not None and not k.is_dotted() and not (isinstance(item, Table) and item.is_super_table())
        ]
        later = [k for k in movable if mine is not None and k in rank and rank[k] > mine]
        moved = [(k, table[k]) for k in later]
        for k in later:
            del table[k]
        table.add(key, item)
        for k, moved_item in moved:
            table.add(k, moved_item)

    def _tidy_first_gap(self, doc: TOMLDocument, answers: Table) -> None:
        """Keep one blank line between [formative] and the first step, however often it changes.

        tomlkit gives a table it adds a blank line of its own; after a [formative] table
        read from a file (which already ends with one) that would add a line per change.
        """
        first = next((item for key, item in answers.value.body if key is not None), None)
        meta = doc.get("formative")
        if isinstance(first, Table) and isinstance(meta, Table) and first.trivia.indent == "\n":
            if meta.as_string().endswith("\n\n"):
                first.trivia.indent = ""

    def render(self) -> str:
        """The file's text, checked to hold exactly the answers in memory.

        tomlkit edits hand-written layouts in place; should it ever get one wrong, the
        answers are laid out afresh rather than written wrong.
        """
        self._update_document()
        text = self._doc.as_string()
        if self._holds_values(text):
            return text
        self._relayout()
        text = self._doc.as_string()
        if not self._holds_values(text):
            raise AnswerFileError(f"{self.path}: could not lay out the answers as TOML; the file was left untouched.")
        return text

    def _holds_values(self, text: str) -> bool:
        try:
            answers = tomllib.loads(text).get("answers", {})
        except tomllib.TOMLDecodeError:
            return False
        return isinstance(answers, dict) and _same(answers, self._values)

    def _relayout(self) -> None:
        """A fresh document with the same [formative] keys and answers (comments are not kept)."""
        old = self._doc.unwrap()
        doc = _new_document(self.workbook, self.person)
        meta = doc["formative"]
        assert isinstance(meta, Table)
        for key, value in (old.get("formative") or {}).items():
            meta[key] = value
        for key, value in old.items():
            if key not in ("formative", "answers"):
                doc[key] = value
        answers = doc["answers"]
        assert isinstance(answers, Table)
        last = len(self._step_order)
        for step_id in sorted(self._values, key=lambda s: self._step_order.get(s, last)):
            step = self.workbook.step(step_id)
            rank = {p.id: n for n, p in enumerate(step.prompts)} if step else {}
            table = tomlkit.table()
            for prompt_id in sorted(self._values[step_id], key=lambda p: rank.get(p, len(rank))):
                table.add(prompt_id, self._item(step_id, prompt_id, self._values[step_id][prompt_id]))
            answers.add(step_id, table)
        self._doc = doc
        self._unwritten = {}

    # Saving ----------------------------------------------------------------------------

    def save(self) -> bool:
        """Write the file if anything changed (merging changes made on disk); returns whether it wrote."""
        return self.sync().wrote

    def sync(self) -> SaveResult:
        """Bring the file and the answers in memory together, writing only when the app changed something.

        If the file changed on disk since it was last read or written, its changes
        are taken in first (see the module docstring). Raises OSError when writing
        fails; a file on disk that cannot be used is reported in the result instead.
        """
        identity = _identity(self.path)
        if identity == self._identity:
            return self._write_if_dirty()
        if identity is None:
            # Deleted on disk: the answers in memory may be the only copy left, so the
            # file holding them (the lock says this store is its writer) is written anew.
            existed = self._text is not None
            if not self.dirty and (not existed or self._lock is None):
                return SaveResult(self.path)
            self._write()
            return SaveResult(self.path, wrote=True, recreated=existed)
        try:
            text = _read(self.path)
        except AnswerFileError as error:
            if not self.path.exists():  # deleted between the look and the read
                return self.sync()
            return self._keep_aside(str(error))
        if text == self._text:  # touched, or rewritten with the same content
            self._identity = identity
            return self._write_if_dirty()
        try:
            doc = _parse(self.path, text)
            _check_shape(self.path, text, doc, self.workbook)
        except AnswerFileError as error:
            return self._keep_aside(str(error))
        return self._merge(doc, text, identity)

    def _write_if_dirty(self) -> SaveResult:
        if not self.dirty:
            return SaveResult(self.path)
        text = self.render()
        if text == self._text:  # changed, then changed back: nothing to write
            self._synced(text, self._identity or _UNKNOWN)
            return SaveResult(self.path)
        self._write(text)
        return SaveResult(self.path, wrote=True)

    def _write(self, text: str | None = None) -> None:
        if self._apply_workbook_path():
            text = None
        self._workbook_path_pending = None
        text = self.render() if text is None else text
        atomic_write_text(self.path, text)
        identity = _identity(self.path)
        # Another write landing between ours and the look would go unseen; a size that
        # is not ours shows it, and then the next save reads the file again.
        if identity is None or identity[1] != len(text.encode("utf-8")):
            identity = _UNKNOWN
        self._synced(text, identity)
        self._forget_recovery()

    def _forget_recovery(self) -> None:
        """The file now holds every answer the recovery copy kept: remove the copy."""
        if self._recovery is not None:
            self._recovery.unlink(missing_ok=True)
            self._recovery = None

    def _synced(self, text: str, identity: Identity) -> None:
        self._text = text
        self._identity = identity
        self._base = _copy(self._values)
        self.dirty = False

    def _merge(self, disk_doc: TOMLDocument, text: str, identity: Identity) -> SaveResult:
        """Take the disk's document as the new base and re-apply the app's own changes on top."""
        disk = _answer_values(disk_doc)
        keys = list(_keys(self._base, self._values, disk))
        now = {k: _lookup(self._values, k) for k in keys}
        mine = {k: value for k, value in now.items() if not _same(value, _lookup(self._base, k))}
        theirs = {k for k in keys if not _same(_lookup(disk, k), _lookup(self._base, k))}
        conflicts = tuple(
            k for k in mine if k in theirs and not _same(mine[k], _lookup(disk, k)) and is_answered(_lookup(disk, k))
        )
        side_file = self._write_side_file(disk, conflicts) if conflicts else None
        # The disk's file is the new base: should the write below fail, the next save
        # retries it as an ordinary write instead of merging (and side-filing) again.
        self._doc = disk_doc
        self._values = _copy(disk)
        self._unwritten = {}
        self._synced(text, identity)
        for (step_id, prompt_id), value in mine.items():
            if not _same(value, _lookup(disk, (step_id, prompt_id))):
                self._put(step_id, prompt_id, value)
                self.dirty = True
        wrote = self.dirty
        if wrote:
            self._write()
        else:
            self._forget_recovery()
        return SaveResult(
            self.path,
            wrote=wrote,
            merged=True,
            changed_on_disk=frozenset(k for k in theirs if k not in mine),
            conflicts=conflicts,
            side_file=side_file,
        )

    def _keep_aside(self, problem: str) -> SaveResult:
        """The file on disk cannot be used: leave it alone and keep the app's answers beside it."""
        if not self.dirty:
            return SaveResult(self.path, problem=problem)
        if self._recovery is None:
            self._recovery = self._side_path("recovered")
        header = [
            f"Formative kept your answers here because {self.path.name} could not be read:",
            *_comment_lines(problem),
            f"Once {self.path.name} is fixed, Formative saves these answers into it and removes this copy.",
        ]
        body = "".join(f"# {_plain(line)}\n" for line in header) + "\n" + self.render()
        atomic_write_text(self._recovery, body)
        return SaveResult(self.path, problem=problem, recovery_file=self._recovery)

    def _write_side_file(self, disk: Values, conflicts: Sequence[Key]) -> Path:
        """A valid answer file holding the disk's version of the answers both sides changed.

        Only those answers: everything else from disk is already in the main file, so the
        person sees at once what differs, and can copy back what they want to keep.
        """
        path = self._side_path("conflict")
        name = self.path.name
        doc = _new_document(
            self.workbook,
            self.person,
            comments=(
                f"{name} changed on disk while Formative had it open, and these answers were changed",
                "both there and in the app. The file now holds the app's version; this is the",
                f"version that was on disk ({time.strftime('%Y-%m-%d %H:%M:%S')}). Copy into {name} what you",
                "want to keep, then delete this file.",
            ),
        )
        for step_id, prompt_id in sorted(conflicts, key=lambda k: self._step_order.get(k[0], len(self._step_order))):
            self._edit(doc, step_id, prompt_id, _lookup(disk, (step_id, prompt_id)))
        atomic_write_text(path, doc.as_string())
        return path

    def _side_path(self, kind: str) -> Path:
        stem = self.path.name.removesuffix(".toml")
        base = f"{stem}.{kind}-{time.strftime('%Y%m%d-%H%M%S')}"
        path, number = self.path.with_name(f"{base}.toml"), 2
        while path.exists():
            path, number = self.path.with_name(f"{base}-{number}.toml"), number + 1
        return path

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


def _is_list_answer(value: Any) -> bool:
    if not isinstance(value, list):
        return False
    return all(isinstance(v, str) for v in value) or all(
        isinstance(v, dict) and all(isinstance(x, str) for x in v.values()) for v in value
    )


def _comment_lines(text: str, width: int = 88) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines


def _recovery_hint(path: Path) -> str:
    """Point at copies of the app's answers kept while this file could not be read."""
    stem = path.name.removesuffix(".toml")
    copies = sorted(path.parent.glob(f"{glob.escape(stem)}.recovered-*.toml"))
    if not copies:
        return ""
    return f" Answers Formative kept while it could not read this file are in {copies[-1].name}."
