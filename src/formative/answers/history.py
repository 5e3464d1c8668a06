"""An answer file through time: its versions in git, its sittings, and one answer's story.

Every commit of the file is a version; `[formative] sitting = N` in the file says
which sitting a version belongs to (a file without it is sitting 1). Versions are
read with one `git log` and one `git cat-file --batch`, however many there are.
No UI here: `formative history` prints what these return, and so does the app.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from formative.answers.git import GitError, run_git, run_git_bytes, work_tree
from formative.answers.header import Header
from formative.answers.values import answer_lines, is_answered

MAX_VERSIONS = 500
"""How many commits of one file are read at most (years of quarterly sittings)."""

Values = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Version:
    """The answer file as one commit holds it."""

    commit: str
    when: datetime
    """When it was written (the commit's author date)."""
    subject: str
    """The commit message's first line."""
    values: Values | None
    """Its answers by step and prompt; None when the file was absent or unreadable at that commit."""
    sitting: int
    started: date | None

    def get(self, step_id: str, prompt_id: str) -> Any:
        return (self.values or {}).get(step_id, {}).get(prompt_id)


def _parse(text: bytes) -> tuple[Values | None, Header]:
    try:
        data = tomllib.loads(text.decode("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return None, Header()
    header = Header.of(data.get("formative")) or Header()
    answers = data.get("answers", {})
    if not isinstance(answers, dict):
        return None, header
    values = {step: dict(prompts) for step, prompts in answers.items() if isinstance(prompts, dict)}
    return values, header


def _blobs(root: Path, names: list[str]) -> list[bytes | None]:
    """The contents of 'commit:path' objects, in order, from one `git cat-file --batch`."""
    if not names:
        return []
    out = run_git_bytes(root, ["cat-file", "--batch"], stdin="".join(f"{n}\n" for n in names).encode())
    found: list[bytes | None] = []
    at = 0
    for _ in names:
        end = out.index(b"\n", at)
        header = out[at:end].split()
        at = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            found.append(out[at : at + size])
            at += size + 1
        else:  # "<name> missing": the file did not exist at that commit
            found.append(None)
    return found


def file_versions(path: Path, limit: int = MAX_VERSIONS) -> list[Version]:
    """Every committed version of the file, newest first; [] when it is not in a git work tree."""
    root = work_tree(path.parent)
    if root is None:
        return []
    relative = os.path.relpath(path.parent.resolve() / path.name, root).replace(os.sep, "/")
    try:
        run_git(root, ["rev-parse", "--verify", "--quiet", "HEAD"])
    except GitError:
        return []  # a repository with no commit yet
    log = run_git(root, ["log", f"-n{limit}", "--format=%H%x1f%aI%x1f%s", "--", relative])
    rows = [line.split("\x1f") for line in log.splitlines() if line.count("\x1f") == 2]
    contents = _blobs(root, [f"{commit}:{relative}" for commit, _, _ in rows])
    versions = []
    for (commit, when, subject), content in zip(rows, contents, strict=True):
        values, header = _parse(content) if content is not None else (None, Header())
        versions.append(Version(commit, datetime.fromisoformat(when), subject, values, header.sitting, header.started))
    return versions


def last_sitting(path: Path, current: int) -> Version | None:
    """The last version written in an earlier sitting than current: what the person wrote last time."""
    if current <= 1:
        return None
    return next((v for v in file_versions(path) if v.values is not None and v.sitting < current), None)


def last_written(path: Path, git: bool = True) -> datetime | None:
    """When the file was last committed, else last changed on disk; None when it is absent."""
    try:
        root = work_tree(path.parent) if git else None
        if root is not None:
            when = run_git(root, ["log", "-1", "--format=%aI", "--", str(path.parent.resolve() / path.name)]).strip()
            if when:
                return datetime.fromisoformat(when)
    except GitError:
        pass  # fall back on the file's own time, which is only less exact
    try:
        return datetime.fromtimestamp(path.stat().st_mtime).astimezone()
    except OSError:
        return None


# Reading the story ------------------------------------------------------------------------


def steps_changed(older: Values | None, newer: Values | None) -> list[str]:
    """Steps whose answers differ between two versions, in the newer file's order."""
    older, newer = older or {}, newer or {}
    steps = list(dict.fromkeys([*newer, *older]))
    return [s for s in steps if older.get(s, {}) != newer.get(s, {})]


@dataclass(frozen=True)
class AnswerVersion:
    """One answer as it stood after a commit that changed it."""

    when: datetime
    commit: str
    sitting: int
    value: Any
    """None when the answer was removed (or not yet given)."""


def answer_timeline(versions: list[Version], step_id: str, prompt_id: str) -> list[AnswerVersion]:
    """The answer's changes, oldest first: a new entry only where its value changed.

    A new sitting that starts empty shows as an entry with no value, so a reader
    sees where one sitting ended and the next began.
    """
    timeline: list[AnswerVersion] = []
    previous: Any = None
    for version in reversed(versions):
        if version.values is None:
            continue
        value = version.get(step_id, prompt_id)
        value = value if is_answered(value) else None
        if value != previous:
            timeline.append(AnswerVersion(version.when, version.commit, version.sitting, value))
            previous = value
    return timeline


def day(when: datetime | date) -> str:
    """'3 Sep 2026': the date as people write it, the same in every locale."""
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return f"{when.day} {months[when.month - 1]} {when.year}"


def ago(then: datetime, now: datetime) -> str:
    """'4 months ago', roughly: how long since a sitting, for the home screen."""
    days = max((now - then).days, 0)
    if days == 0:
        return "today"
    if days < 14:
        count, unit = days, "day"
    elif days < 60:
        count, unit = days // 7, "week"
    elif days < 730:
        count, unit = days // 30, "month"
    else:
        count, unit = days // 365, "year"
    return f"{count} {unit}{'s' if count != 1 else ''} ago"


def word_diff(old: str, new: str, context: int = 4) -> str:
    """A compact change between two texts, as `git diff --word-diff` marks it: [-gone-] {+added+}.

    Unchanged stretches longer than the context on either side are shortened to '…'.
    """
    a, b = old.split(), new.split()
    parts: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            same = a[i1:i2]
            first, last = i1 == 0, i2 == len(a)
            if len(same) > 2 * context:
                head = [] if first else same[:context]
                tail = [] if last else same[-context:]
                same = [*head, "…", *tail]
            parts.append(" ".join(same))
            continue
        if i2 > i1:
            parts.append("[-" + " ".join(a[i1:i2]) + "-]")
        if j2 > j1:
            parts.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(p for p in parts if p)


def is_long_text(value: Any) -> bool:
    return isinstance(value, str) and (len(value) > 160 or value.count("\n") >= 2)


def value_lines(value: Any) -> list[str]:
    """An answer as lines: text line by line, list items and records one a line."""
    return answer_lines(value) if is_answered(value) else ["(no answer)"]


# Text for `formative history` ---------------------------------------------------------------


def render_log(versions: list[Version], step_title: Callable[[str], str]) -> str:
    """Sittings and their commits, oldest first: date, commit, the steps that changed."""
    if not versions:
        return "No commits of this file yet.\n"
    lines: list[str] = []
    sitting: int | None = None
    previous: Values | None = None
    for version in reversed(versions):
        if version.sitting != sitting and version.values is not None:
            sitting = version.sitting
            started = f" · started {day(version.started)}" if version.started else ""
            lines.append(f"{'' if not lines else chr(10)}Sitting {sitting}{started}")
        changed = steps_changed(previous, version.values) if version.values is not None else []
        if version.values is None:
            what = "(the file could not be read at this commit)"
        elif not any(version.values.values()) and previous and version.sitting > 1:
            what = "(a new sitting begins: the answers start empty)"
        elif changed:
            what = ", ".join(step_title(s) for s in changed)
        elif previous is None:
            what = "(no answers yet)"
        else:
            what = "(no answers changed)"
        lines.append(f"  {day(version.when)} {version.when:%H:%M}  {version.commit[:8]}  {what}")
        if version.values is not None:
            previous = version.values
    return "\n".join(lines) + "\n"


def render_timeline(timeline: list[AnswerVersion]) -> str:
    """One answer through time, oldest first; a long text after its first shows only what changed.

    The change is measured from the last version that had words, so a sitting's answer
    is compared with the sitting before, across the empty start between them.
    """
    if not timeline:
        return "This answer has no committed versions yet.\n"
    lines: list[str] = []
    previous: Any = None
    for entry in timeline:
        lines.append(f"{day(entry.when)} {entry.when:%H:%M} · sitting {entry.sitting} · {entry.commit[:8]}")
        if is_long_text(entry.value) and isinstance(previous, str) and previous.strip():
            lines.append(f"  {word_diff(previous, entry.value)}")
        else:
            lines.extend(f"  {line}" for line in value_lines(entry.value))
        if entry.value is not None:  # a new sitting's empty start does not hide what came before
            previous = entry.value
    return "\n".join(lines) + "\n"
