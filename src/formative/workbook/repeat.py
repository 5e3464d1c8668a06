"""Repeated blocks: a step or a section written once, walked as several copies.

A coach writes `repeat = 3` (with {n} in the title) or `repeat = [{ title = "…" }, …]` on
a step or a section. Before the workbook is validated, each block becomes ordinary steps
with ids of their own ('plan-1', 'plan-2', …), so the walk, the answer file, references
and the canvas only ever see plain steps. The expansion remembers where each copy came
from, so a problem in a copy is reported at the block's own lines in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter, ValidationError

from formative.workbook.errors import FieldPath
from formative.workbook.model import Copy, Repeat

_REPEAT: TypeAdapter[int | list[Copy]] = TypeAdapter(Repeat)
_NUMBER = re.compile(r"\{\{|\}\}|\{n\}")
_REFERENCE = re.compile(r"\{\{|\}\}|\{([a-z0-9][a-z0-9_-]*)\.([a-z0-9][a-z0-9_-]*)\}")
_TEXT_KEYS = frozenset({"title", "body", "label", "help", "text", "intro"})
"""Keys whose text may show answers with {step.prompt} (as refs.py checks them)."""
_REFERENCE_KEYS = frozenset({"options_from", "answer"})
"""Keys that hold 'step.prompt' references: options_from, and show_if's answer."""
_NOT_TEXT = frozenset({"id", "kind"})


@dataclass(frozen=True)
class Origin:
    """Where one section or step of the expanded workbook came from."""

    index: int
    """Its index among the file's sections, or among its section's steps in the file."""
    block: FieldPath | None = None
    """The file's path of the repeated step or section it is a copy of; None for an ordinary one."""
    copy: int = 0
    """Which copy of the block it is, from 0."""
    name: str = ""
    """Its id, such as 'plan-2', to tell copies apart in messages."""
    own_title: bool = False
    """Whether its title comes from the copy's own table (repeat[copy].title)."""


@dataclass
class Expansion:
    """The workbook data with every repeated block expanded, and the way back to the file."""

    data: dict[str, Any]
    sections: list[Origin] | None = None
    """One entry per expanded section; None when nothing is repeated (the data is the file's)."""
    steps: list[list[Origin]] = field(default_factory=list)
    """One entry per expanded step, section by section."""
    copies: dict[FieldPath, list[str]] = field(default_factory=dict)
    """Each repeated block's path in the file, and its copies' ids."""
    repeated_ids: dict[str, list[str]] = field(default_factory=dict)
    """Each repeated step's id in the file, and its copies' ids: 'plan' -> ['plan-1', 'plan-2']."""
    problems: list[tuple[FieldPath, str]] = field(default_factory=list)
    """What is wrong with the blocks themselves, at paths in the file."""

    def source(self, path: FieldPath) -> tuple[FieldPath, FieldPath | None, str]:
        """The file's path for a path in the expanded data, the block it falls in, and the copy's id."""
        if self.sections is None or len(path) < 2 or path[0] != "sections" or not isinstance(path[1], int):
            return path, None, ""
        if path[1] >= len(self.sections):
            return path, None, ""
        section = self.sections[path[1]]
        head: FieldPath = ("sections", section.index)
        rest = path[2:]
        block, name, titled = section.block, section.name, section
        steps = self.steps[path[1]]
        if len(rest) >= 2 and rest[0] == "steps" and isinstance(rest[1], int) and rest[1] < len(steps):
            step = steps[rest[1]]
            head, rest = (*head, "steps", step.index), rest[2:]
            titled = step
            if step.block is not None:
                block, name = step.block, step.name
            elif block is not None:
                name = step.name
        if titled.block is not None and titled.own_title and rest[:1] == ("title",):
            return (*titled.block, "repeat", titled.copy, "title", *rest[1:]), block, name
        return (*head, *rest), block, name


def _number(text: str, number: int) -> str:
    """Text with {n} as the copy's number; {{ and }} stay as they are, for interpolation."""
    return _NUMBER.sub(lambda match: str(number) if match.group(0) == "{n}" else match.group(0), text)


def _copied(value: Any, key: str, number: int, rename: dict[str, str]) -> Any:
    """A fresh copy of a block's data: {n} numbered, references to renamed steps renamed."""
    if isinstance(value, dict):
        return {k: _copied(v, k, number, rename) for k, v in value.items()}
    if isinstance(value, list):
        return [_copied(v, key, number, rename) for v in value]
    if not isinstance(value, str) or key in _NOT_TEXT:
        return value
    value = _number(value, number)
    if not rename:
        return value
    if key in _TEXT_KEYS:

        def renamed(match: re.Match[str]) -> str:
            if match.group(1) in rename:
                return f"{{{rename[match.group(1)]}.{match.group(2)}}}"
            return match.group(0)

        return _REFERENCE.sub(renamed, value)
    if key in _REFERENCE_KEYS:
        step_id, dot, rest = value.partition(".")
        return f"{rename[step_id]}{dot}{rest}" if step_id in rename else value
    return value


def _before(intro: str, text: Any) -> Any:
    """A copy's intro above the block's own text (a body or an intro)."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return intro
    return f"{intro.rstrip()}\n\n{text}" if isinstance(text, str) else text


@dataclass(frozen=True)
class _Copy:
    number: int
    suffix: str
    spec: Copy


def _copies(block: dict[str, Any], path: FieldPath, problems: list[tuple[FieldPath, str]]) -> list[_Copy] | None:
    """The copies a block asks for, or None to leave it as it is (the model then says what is wrong)."""
    try:
        spec = _REPEAT.validate_python(block["repeat"])
    except ValidationError:
        return None
    if not isinstance(block.get("id"), str):
        return None
    specs = [Copy() for _ in range(spec)] if isinstance(spec, int) else spec
    copies = [_Copy(n, c.suffix or str(n), c) for n, c in enumerate(specs, start=1)]
    seen: set[str] = set()
    where: FieldPath
    for index, item in enumerate(copies):
        if item.suffix in seen:
            where = ("suffix",) if item.spec.suffix else ()
            problems.append(((*path, "repeat", index, *where), f"two copies have the suffix '{item.suffix}'"))
            return None
        seen.add(item.suffix)
    title = block.get("title")
    titles: list[str | None] = []
    for item in copies:
        text = item.spec.title or title
        titles.append(_number(text, item.number) if isinstance(text, str) else None)
    for index, text in enumerate(titles):
        if text is not None and text in titles[:index]:
            where = ("repeat", index, "title") if copies[index].spec.title else ("title",)
            message = (
                f"the copies would share the title '{text}': write {{n}} in the title for each copy's "
                "number, or give each copy its own title in 'repeat'"
            )
            problems.append(((*path, *where), message))
            return None
    return copies


def _copy_of(block: dict[str, Any], item: _Copy, rename: dict[str, str], text_key: str) -> dict[str, Any]:
    data: dict[str, Any] = _copied({k: v for k, v in block.items() if k != "repeat"}, "", item.number, rename)
    data["id"] = f"{block['id']}-{item.suffix}"
    if item.spec.title:
        data["title"] = _copied(item.spec.title, "title", item.number, rename)
    if item.spec.intro:
        data[text_key] = _before(_copied(item.spec.intro, "intro", item.number, rename), data.get(text_key))
    return data


MAX_COPIED = 5_000
"""The most steps and prompts repeated blocks may add to a workbook: a hundred times what a
real exercise needs, and a bound on what a small file can make the loader build and check."""


def _size(block: dict[str, Any]) -> int:
    """How many steps and prompts one copy of a block holds."""
    steps = block.get("steps")
    if not isinstance(steps, list):
        steps = [block]
    prompts = sum(
        len(s.get("prompts") or []) for s in steps if isinstance(s, dict) and isinstance(s.get("prompts"), list)
    )
    return len(steps) + prompts


class _Expander:
    def __init__(self, data: dict[str, Any]) -> None:
        self.result = Expansion(data, sections=[])
        self.copied = 0
        """Steps and prompts added by copies so far (see MAX_COPIED)."""

    def affordable(self, block: dict[str, Any], copies: list[_Copy], path: FieldPath) -> bool:
        """Whether the copies fit under MAX_COPIED; if not, a problem says so at the block's repeat."""
        self.copied += _size(block) * (len(copies) - 1)
        if self.copied <= MAX_COPIED:
            return True
        self.result.problems.append(
            (
                (*path, "repeat"),
                f"repeated blocks would add more than {MAX_COPIED:,} steps and prompts to the workbook; "
                "repeat fewer times, or split the workbook",
            )
        )
        return False

    def steps(self, steps: Any, path: FieldPath) -> tuple[Any, list[Origin]]:
        """A section's steps with every repeated step expanded."""
        if not isinstance(steps, list):
            return steps, []
        expanded: list[Any] = []
        origins: list[Origin] = []
        for index, step in enumerate(steps):
            here = (*path, "steps", index)
            copies = _copies(step, here, self.result.problems) if isinstance(step, dict) and "repeat" in step else None
            if copies is not None and not self.affordable(step, copies, here):
                copies = None
            if copies is None:
                expanded.append(step)
                origins.append(Origin(index))
                continue
            assert isinstance(step, dict)
            for number, item in enumerate(copies):
                copy = _copy_of(step, item, {}, "body")
                expanded.append(copy)
                origins.append(Origin(index, here, number, copy["id"], item.spec.title is not None))
            self.noted(here, step["id"], [f"{step['id']}-{item.suffix}" for item in copies])
        return expanded, origins

    def noted(self, path: FieldPath, block_id: str, copy_ids: list[str]) -> None:
        self.result.copies[path] = copy_ids
        self.result.repeated_ids[block_id] = copy_ids

    def section(self, section: Any, index: int) -> None:
        assert self.result.sections is not None
        path: FieldPath = ("sections", index)
        copies = None
        if isinstance(section, dict) and "repeat" in section:
            copies = _copies(section, path, self.result.problems)
            if copies is not None and not self.affordable(section, copies, path):
                copies = None
        if copies is None or not isinstance(section, dict):
            if isinstance(section, dict):
                steps, origins = self.steps(section.get("steps"), path)
                section = {**section, "steps": steps} if "steps" in section else section
            else:
                origins = []
            self.result.data["sections"].append(section)
            self.result.sections.append(Origin(index))
            self.result.steps.append(origins)
            return
        steps = section.get("steps")
        steps = steps if isinstance(steps, list) else []
        for t_index, step in enumerate(steps):
            if isinstance(step, dict) and "repeat" in step:
                self.result.problems.append(
                    (
                        (*path, "steps", t_index, "repeat"),
                        "a step in a repeated section cannot repeat too: repeat the section, or move the step out",
                    )
                )
        step_ids = [s["id"] for s in steps if isinstance(s, dict) and isinstance(s.get("id"), str)]
        for number, item in enumerate(copies):
            rename = {step_id: f"{step_id}-{item.suffix}" for step_id in step_ids}
            copy = _copy_of(section, item, rename, "intro")
            for step in copy.get("steps") or []:
                if isinstance(step, dict) and isinstance(step.get("id"), str):
                    step["id"] = rename[step["id"]]
            self.result.data["sections"].append(copy)
            self.result.sections.append(Origin(index, path, number, copy["id"], item.spec.title is not None))
            names = [s.get("id", "") if isinstance(s, dict) else "" for s in copy.get("steps") or []]
            self.result.steps.append([Origin(t, name=str(name)) for t, name in enumerate(names)])
        self.noted(path, section["id"], [f"{section['id']}-{item.suffix}" for item in copies])
        for step_id in step_ids:
            self.result.repeated_ids[step_id] = [f"{step_id}-{item.suffix}" for item in copies]


def _has_repeat(section: Any) -> bool:
    if not isinstance(section, dict):
        return False
    steps = section.get("steps")
    return "repeat" in section or (
        isinstance(steps, list) and any(isinstance(s, dict) and "repeat" in s for s in steps)
    )


def expand(data: dict[str, Any]) -> Expansion:
    """Expand every repeated step and section; data without any is returned as it is, untouched."""
    sections = data.get("sections")
    if not isinstance(sections, list) or not any(_has_repeat(s) for s in sections):
        return Expansion(data)
    expander = _Expander({**data, "sections": []})
    for index, section in enumerate(sections):
        expander.section(section, index)
    return expander.result
