"""Check that every reference in a workbook points at an earlier answer that exists.

References appear in three places: '{step.prompt}' in text, 'options_from' on choice
and ranking prompts (one reference or several), and 'show_if' on steps. All must point at a prompt of an
earlier step, so that the answer can exist by the time it is needed.

A prompt's 'recall' names an answer in another workbook ('workbook:step.prompt'); that
workbook must be found (beside this one, or bundled) and must have the prompt.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from formative.workbook.errors import FieldPath, WorkbookError
from formative.workbook.linked import linked_workbook_path
from formative.workbook.model import (
    ChoiceBase,
    DotVote,
    ListPrompt,
    MultipleChoice,
    Note,
    Ranking,
    Records,
    Scale,
    ShortText,
    SingleChoice,
    Step,
    Workbook,
)
from formative.workbook.text import find_refs

OPTION_SOURCES = (ListPrompt, MultipleChoice, Ranking)
"""Prompt kinds whose answer is a list of strings, usable as options later."""
SINGLE_OPTION_SOURCES = (ShortText, SingleChoice)
"""Prompt kinds whose answer is one string: one option each, e.g. three plans' titles to rank."""


def _resolve(
    ref: str,
    earlier: dict[str, Step],
    section_ids: frozenset[str] = frozenset(),
    repeated: Mapping[str, list[str]] | None = None,
) -> tuple[Step | None, str | None]:
    """Find the step and prompt a 'step.prompt' reference names, or say why not."""
    step_id, prompt_id = ref.split(".")[:2]
    step = earlier.get(step_id)
    if step is None:
        hint = f" ('{step_id}' is a section; name the step instead)" if step_id in section_ids else ""
        if repeated and step_id in repeated:
            copies = repeated[step_id]
            hint = f" ('{step_id}' is repeated: name one of its copies, {', '.join(copies)})"
        return None, f"'{ref}' names step '{step_id}', which is not an earlier step{hint}"
    prompt = step.prompt(prompt_id)
    if prompt is None:
        return None, f"'{ref}': step '{step_id}' has no prompt '{prompt_id}'"
    if isinstance(prompt, Note):
        return None, f"'{ref}' is a note, which has no answer"
    return step, None


def _text_fields(step: Step) -> list[tuple[FieldPath, str]]:
    fields: list[tuple[FieldPath, str]] = [(("title",), step.title), (("body",), step.body)]
    for index, prompt in enumerate(step.prompts):
        if isinstance(prompt, Note):
            fields.append((("prompts", index, "text"), prompt.text))
        else:
            fields.append((("prompts", index, "label"), prompt.label))
            if prompt.help:
                fields.append((("prompts", index, "help"), prompt.help))
    return fields


Resolver = Callable[[str], tuple[Step | None, str | None]]
"""Finds the earlier step a 'step.prompt' reference names, or says why not (see _resolve)."""


def _check_options_from(ref: str, resolve: Resolver) -> str | None:
    step, problem = resolve(ref)
    if problem or step is None:
        return problem
    parts = ref.split(".")
    prompt = step.prompt(parts[1])
    if len(parts) == 3:
        if not isinstance(prompt, Records):
            return f"'{ref}': only a records prompt has fields to take options from"
        if not any(f.id == parts[2] for f in prompt.fields):
            return f"'{ref}': the records prompt has no field '{parts[2]}'"
        return None
    if isinstance(prompt, Records):
        return f"'{ref}': name one field of the records, as 'step.prompt.field'"
    if not isinstance(prompt, (*OPTION_SOURCES, *SINGLE_OPTION_SOURCES)):
        return f"'{ref}': options can come from a list, multiple choice, ranking, short text or single choice answer"
    return None


def _check_dot_vote(ref: str, resolve: Resolver) -> str | None:
    """Dot votes need the room's answers, so the source step must be shared."""
    step, problem = resolve(ref)
    if problem or step is None:
        return problem
    if isinstance(step.prompt(ref.split(".")[1]), Scale | DotVote):
        return f"'{ref}': vote on text or list answers, not numbers or votes"
    if not step.shared:
        return f"'{ref}': step '{step.id}' must be shared = true for the room to vote on its answers"
    return None


def _check_condition(step: Step, resolve: Resolver) -> str | None:
    condition = step.show_if
    assert condition is not None
    source, problem = resolve(condition.answer)
    if problem or source is None:
        return problem
    prompt = source.prompt(condition.answer.split(".")[1])
    if condition.includes is not None and not isinstance(prompt, OPTION_SOURCES):
        return "'includes' needs a list, multiple choice or ranking answer"
    if (condition.at_least is not None or condition.at_most is not None) and not isinstance(prompt, Scale):
        return "'at_least' and 'at_most' need a scale answer"
    for value in (condition.equals, condition.not_equals):
        if value is None:
            continue
        if isinstance(prompt, (*OPTION_SOURCES, Records)):
            return "a list answer is never equal to one value; use 'includes'"
        if isinstance(prompt, Scale) != isinstance(value, int):
            expected = "a whole number" if isinstance(prompt, Scale) else "text"
            return f"compare '{condition.answer}' with {expected}"
    if isinstance(prompt, Scale):
        for name in ("equals", "not_equals", "at_least", "at_most"):
            value = getattr(condition, name)
            if isinstance(value, int) and not prompt.min <= value <= prompt.max:
                return f"'{name} = {value}' is outside the scale ({prompt.min} to {prompt.max})"
    return None


def check_references(
    workbook: Workbook, repeated: Mapping[str, list[str]] | None = None
) -> list[tuple[FieldPath, str]]:
    """Every broken reference in the workbook, as (field path, message).

    repeated maps the id of each repeated step in the file to its copies' ids, so that a
    reference to the block itself can say which ids to use instead.
    """
    problems: list[tuple[FieldPath, str]] = []
    earlier: dict[str, Step] = {}
    section_ids = frozenset(section.id for section in workbook.sections)

    def resolve(ref: str) -> tuple[Step | None, str | None]:
        return _resolve(ref, earlier, section_ids, repeated)

    for s_index, section in enumerate(workbook.sections):
        section_texts: list[tuple[FieldPath, str]] = [(("title",), section.title), (("intro",), section.intro or "")]
        for path, text in section_texts:
            for step_id, prompt_id in find_refs(text):
                _, problem = resolve(f"{step_id}.{prompt_id}")
                if problem:
                    problems.append((("sections", s_index, *path), problem))
        for t_index, step in enumerate(section.steps):
            here: FieldPath = ("sections", s_index, "steps", t_index)
            for path, text in _text_fields(step):
                for step_id, prompt_id in find_refs(text):
                    _, problem = resolve(f"{step_id}.{prompt_id}")
                    if problem:
                        problems.append(((*here, *path), problem))
            for p_index, prompt in enumerate(step.prompts):
                if isinstance(prompt, DotVote):
                    problem = _check_dot_vote(prompt.options_from, resolve)
                    if problem:
                        problems.append(((*here, "prompts", p_index, "options_from"), problem))
                elif isinstance(prompt, ChoiceBase | Ranking) and prompt.options_from:
                    several = isinstance(prompt.options_from, list)
                    for r_index, ref in enumerate(prompt.option_sources):
                        problem = _check_options_from(ref, resolve)
                        if problem:
                            where = ("options_from", r_index) if several else ("options_from",)
                            problems.append(((*here, "prompts", p_index, *where), problem))
            if step.show_if is not None:
                problem = _check_condition(step, resolve)
                if problem:
                    problems.append(((*here, "show_if", "answer"), problem))
            earlier[step.id] = step
    if workbook.canvas is not None:
        for step_id, prompt_id in find_refs(workbook.canvas.title):
            _, problem = resolve(f"{step_id}.{prompt_id}")
            if problem:
                problems.append((("canvas", "title"), problem.replace("an earlier", "a")))
        for c_index, cell in enumerate(workbook.canvas.cells):
            for a_index, ref in enumerate(cell.answers):
                _, problem = resolve(ref)
                if problem:
                    problems.append(
                        (("canvas", "cells", c_index, "answers", a_index), problem.replace("an earlier", "a"))
                    )
    return problems


def _check_recall(ref: str, own_id: str, linked: Callable[[str], Workbook | str]) -> str | None:
    """Why a 'workbook:step.prompt' recall cannot work, or None when it can."""
    workbook_id, answer = ref.split(":")
    step_id, prompt_id = answer.split(".")
    if workbook_id == own_id:
        return f"'{ref}' names this workbook; show its own answers with {{{answer}}} instead"
    other = linked(workbook_id)
    if isinstance(other, str):
        return other
    step = other.step(step_id)
    if step is None:
        return f"'{ref}': workbook '{workbook_id}' has no step '{step_id}'"
    prompt = step.prompt(prompt_id)
    if prompt is None:
        return f"'{ref}': step '{step_id}' of '{workbook_id}' has no prompt '{prompt_id}'"
    if isinstance(prompt, Note):
        return f"'{ref}' is a note, which has no answer"
    return None


def check_recalls(
    workbook: Workbook, beside: Path | None, load: Callable[[Path], Workbook]
) -> list[tuple[FieldPath, str]]:
    """Every recall that names a workbook, step or prompt that cannot be found.

    beside is the recalling workbook's folder (None for text with no file); load reads
    a linked workbook without checking its own recalls, so two workbooks may name each other.
    """
    found: dict[str, Workbook | str] = {}

    def linked(workbook_id: str) -> Workbook | str:
        if workbook_id not in found:
            path = linked_workbook_path(workbook_id, beside)
            if path is None:
                found[workbook_id] = (
                    f"no workbook '{workbook_id}': expected {workbook_id}.toml beside this file, "
                    "or a bundled workbook with that id"
                )
            else:
                try:
                    found[workbook_id] = load(path)
                except WorkbookError:
                    found[workbook_id] = f"{path} has problems; check it with: formative validate {path}"
        return found[workbook_id]

    problems: list[tuple[FieldPath, str]] = []
    for s_index, section in enumerate(workbook.sections):
        for t_index, step in enumerate(section.steps):
            for p_index, prompt in enumerate(step.prompts):
                if isinstance(prompt, Note):
                    continue
                for r_index, ref in enumerate(prompt.recall):
                    problem = _check_recall(ref, workbook.id, linked)
                    if problem:
                        path: FieldPath = ("sections", s_index, "steps", t_index, "prompts", p_index, "recall", r_index)
                        problems.append((path, problem))
    return problems
