"""The workshop report a coach sends the room, and each person's own copy.

The report holds the shared steps only: answers to other steps were written for the
person alone (the room's canvas is the exception the workbook asks for: everyone's
boxes side by side, never with names). Captured answers, written by the facilitator
under the name Room, are the room's and never a person's.

Names follow the room's policy step by step (`policy.names_shown`: the coach's choice,
then the workbook's, then the room's default); "who took part" lists names unless the
room is anonymous. A list without names is in the policy's random order (`policy.AnonymousOrder`:
a key per step, prompt and person from a random source, not a hash of the names, which anyone
holding the roster could recompute), so neither the roster, the file names nor the order across
questions tells who wrote what; each export draws new keys.
"""

from __future__ import annotations

import random
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import tomlkit

from formative.answers.atomic import atomic_write_text, make_private_folder
from formative.answers.naming import safe_stem
from formative.answers.values import is_answered
from formative.export.markdown import answer_lines, cell_heading, item_lines, label, render_markdown
from formative.export.safe_markdown import bullet, literal_line
from formative.export.wording import is_whole_number, people, plural, scale_point, short_label
from formative.walk import Walk
from formative.workbook.errors import WorkbookError
from formative.workbook.load import MAX_ANSWER_BYTES, parse_toml, read_text
from formative.workbook.model import (
    AnswerPrompt,
    CanvasCell,
    DotVote,
    MultipleChoice,
    Prompt,
    Ranking,
    Scale,
    SingleChoice,
    Step,
    Workbook,
)
from formative.workshop.facilitation import ROOM_NAME, NoAnswers
from formative.workshop.folder import Workshop
from formative.workshop.policy import AnonymousOrder, names_shown, room_prompts, shows_room
from formative.workshop.room import Participant, Room

Tallied = Scale | SingleChoice | MultipleChoice
"""Prompts whose answers the report counts rather than lists."""


MONTHS = "January February March April May June July August September October November December"


def long_date(day: date) -> str:
    """'13 March 2025': the same under every locale, and unambiguous in any country."""
    return f"{day.day} {MONTHS.split()[day.month - 1]} {day.year}"


def is_room(person: Participant) -> bool:
    """Whether this answer file holds what the facilitator captured for the room."""
    return person.name.strip().casefold() == ROOM_NAME.casefold()


def name_of(person: Participant) -> str:
    """A person's name as Markdown: as typed, or '(no name)' for a blank one."""
    return literal_line(person.name) or "(no name)"


def people_of(room: Room) -> list[Participant]:
    """Who took part: everyone with an answer file except the room's own."""
    return [p for p in room.participants if not is_room(p)]


@dataclass(frozen=True)
class Entry:
    """One answer to list: whose (as Markdown; None when anonymous), what, and whether the room gave it."""

    name: str | None
    value: Any
    from_room: bool = False


class Report:
    """Builds the report's lines; one instance per export, so one random source per export."""

    def __init__(self, room: Room, today: date, rng: random.Random) -> None:
        self.room = room
        self.workbook = room.workshop.workbook
        self.state = room.workshop.state
        self.anonymous = self.state.anonymous
        self.today = today
        self.order = AnonymousOrder(rng)
        """The room's policy for answers without names: a random place per (step, prompt, person)."""
        self.walk = Walk(self.workbook, NoAnswers(), room=room.values)  # headings show no one's answers

    # The whole document --------------------------------------------------------------

    def render(self) -> str:
        info = self.room.workshop.data.workshop
        lines = [f"# {literal_line(info.title)}", ""]
        lines += [f"{long_date(self.today)} · {literal_line(self.workbook.title)}", ""]
        lines += ["## Who took part", "", *self.who(), ""]
        for step in self.workbook.steps:
            if shows_room(step):
                lines += [f"## {label(self.walk, step.title)}", ""]
                for prompt in room_prompts(step):
                    lines += [f"**{label(self.walk, prompt.label)}**", "", *self.prompt_lines(step, prompt), ""]
        lines += self.canvas()
        return "\n".join(lines).rstrip() + "\n"

    def who(self) -> list[str]:
        present = people_of(self.room)
        if not present:
            return ["Nobody has answered yet."]
        if self.anonymous:
            named = any(shows_room(step) and names_shown(self.state, step) for step in self.workbook.steps)
            where = ", except on steps that show names" if named else ""
            return [
                f"{plural(len(present), 'person', 'people')} took part. Their answers appear "
                f"without names{where}, each list in its own random order."
            ]
        return [f"{plural(len(present), 'person', 'people')}: " + ", ".join(name_of(p) for p in present) + "."]

    # One prompt ----------------------------------------------------------------------------

    def prompt_lines(self, step: Step, prompt: AnswerPrompt) -> list[str]:
        if isinstance(prompt, DotVote):
            return self.votes(step, prompt)
        values = self.room.values(step.id, prompt.id)
        if isinstance(prompt, Tallied):
            return tally_lines(prompt, values, keep_zero=True) if values else ["_No answers._"]
        entries = self.entries(step.id, prompt.id, named=names_shown(self.state, step))
        return self.list_lines(entries, prompt) or ["_No answers._"]

    def votes(self, step: Step, prompt: DotVote) -> list[str]:
        tally = self.room.tally(step, prompt)
        if not tally:
            return ["_No votes._"]
        given = sum(count for _, count in tally)
        voters = sum(1 for p in people_of(self.room) if is_answered(p.get(step.id, prompt.id)))
        lines = [f"_{plural(given, 'vote')} from {people(voters)}, most first._", ""]
        return lines + [f"- {vote_count(count)} · {literal_line(option)}" for option, count in tally]

    def entries(self, step_id: str, prompt_id: str, named: bool) -> list[Entry]:
        """Everyone's answers to one prompt: people first (shuffled unless named), then the room's."""
        people, captured = answered_by(self.room, step_id, prompt_id, None if named else self.order)
        mine = [Entry(name_of(p) if named else None, p.get(step_id, prompt_id)) for p in people]
        return mine + [Entry(None, p.get(step_id, prompt_id), from_room=True) for p in captured]

    def list_lines(self, entries: list[Entry], prompt: Prompt | None) -> list[str]:
        """Answers as one Markdown list, one bullet per answer.

        A person's list reads as one line ('pricing · pipelines · hiring'), a ranking as
        'first → second'; records get a bullet each; the room's captured list, a bullet
        per item, since each item is an answer someone in the room gave.
        """
        lines: list[str] = []
        for entry in entries:
            value = entry.value
            items = [item for item in value if is_answered(item)] if isinstance(value, list) else None
            if items is not None and entry.from_room:
                lines += [line for item in items for line in bullet(item_lines(item, prompt))]
                continue
            if items is not None and any(isinstance(item, dict) for item in items):
                nested = [line for item in items for line in bullet(item_lines(item, prompt))]
                if entry.name is None:
                    lines += nested
                else:
                    lines += [f"- **{entry.name}:**", *(f"  {line}" for line in nested)]
                continue
            if items is not None:
                joiner = " → " if isinstance(prompt, Ranking) else " · "
                block = [joiner.join(literal_line(str(item)) for item in items)]
            else:
                block = answer_lines(value, prompt)
            if entry.name is not None:
                block = [f"**{entry.name}:** {block[0]}", *block[1:]]
            lines += bullet(block)
        return lines

    # The room's canvas ------------------------------------------------------------------------

    def canvas(self) -> list[str]:
        """Everyone's answers box by box, without names; only boxes (and answers) with content."""
        canvas = self.workbook.canvas
        if canvas is None:
            return []
        cells = []
        for cell in canvas.cells:
            parts = []
            for step, prompt in cell_prompts(self.workbook, cell):
                values = self.room.values(step.id, prompt.id)
                if not values:
                    continue
                if isinstance(prompt, Tallied):
                    body = tally_lines(prompt, values, keep_zero=False)
                else:
                    body = self.list_lines(self.entries(step.id, prompt.id, named=False), prompt)
                parts += [f"**{label(self.walk, short_label(prompt.label))}**", "", *body, ""]
            if parts:
                cells += cell_heading(self.walk, cell) + parts
        if not cells:
            return []
        intro = "Everyone's answers box by box, without names and in no particular order."
        return ["## The room's canvas", "", intro, "", *cells]


def answered_by(
    room: Room, step_id: str, prompt_id: str, order: AnonymousOrder | None
) -> tuple[list[Participant], list[Participant]]:
    """(the people who answered, the room's captured answers): people in roster order when named,
    else in the room policy's anonymous order (order), which the report and the room's canvas share."""
    answered = [p for p in room.participants if is_answered(p.get(step_id, prompt_id))]
    people = [p for p in answered if not is_room(p)]
    if order is not None:
        people.sort(key=lambda p: order.key(step_id, prompt_id, p.path.name))
    return people, [p for p in answered if is_room(p)]


def cell_prompts(workbook: Workbook, cell: CanvasCell) -> list[tuple[Step, AnswerPrompt]]:
    """The (step, prompt) pairs a canvas cell shows, skipping references the workbook lacks."""
    found = []
    for ref in cell.answers:
        step_id, prompt_id = ref.split(".")
        step = workbook.step(step_id)
        prompt = step.prompt(prompt_id) if step else None
        if step is not None and prompt is not None and prompt.kind != "note":
            found.append((step, prompt))
    return found


def vote_count(count: int) -> str:
    return "no votes" if count == 0 else plural(count, "vote")


def tally(prompt: Tallied, values: list[Any]) -> list[tuple[str, int]]:
    """How many people gave each answer, in the order the options are offered.

    Scales count every point of the scale ('1 (drained)' … '5 (energised)'). Answers
    outside the options (a written-in 'other', a hand edit) follow, in the order first seen.
    """
    if isinstance(prompt, Scale):
        options = [str(n) for n in range(prompt.min, prompt.max + 1)]
    else:
        options = list(prompt.options or [])
    counts: Counter[str] = Counter({option: 0 for option in options})
    for value in values:
        picks = value if isinstance(value, list) else [value]
        for pick in dict.fromkeys(str(p).strip() for p in picks if is_answered(p)):
            counts[pick] += 1
    return list(counts.items())


def is_number(text: str) -> bool:
    return text.removeprefix("-").isdigit()


def tally_lines(prompt: Tallied, values: list[Any], keep_zero: bool) -> list[str]:
    """A labelled tally as Markdown: '- 4 of 5 — 3 people' for scales, '- 3 people · Option' else."""
    counted = [(option, count) for option, count in tally(prompt, values) if count or keep_zero]
    if isinstance(prompt, Scale):
        numbers = [v for v in values if is_whole_number(v)]
        lines = []
        if numbers:
            average = sum(numbers) / len(numbers)
            lines = [f"_{plural(len(values), 'answer')} · average {average:.1f} of {prompt.max}_", ""]
        for option, count in counted:
            point = scale_point(int(option), prompt, of_top=True) if is_number(option) else option
            lines.append(f"- {literal_line(point)} — {people(count)}")
        return lines
    head = []
    if isinstance(prompt, MultipleChoice):
        head = [f"_{plural(len(values), 'person', 'people')} answered; each could pick more than one._", ""]
    return head + [f"- {literal_line(option)} — {people(count)}" for option, count in counted]


def render_report(room: Room, *, today: date | None = None, rng: random.Random | None = None) -> str:
    """Markdown for the whole room, to send everyone afterwards.

    Names are shown or left out step by step, as policy.names_shown says. today is the date the report
    gives (default: today); rng shuffles anonymous answers (default: the system's
    random source, so two exports of one room differ).
    """
    return Report(room, today or date.today(), rng or random.SystemRandom()).render()


# Each person's copy --------------------------------------------------------------------------


@dataclass
class _OwnAnswers:
    """A participant's answers as render_markdown reads them."""

    participant: Participant

    @property
    def person(self) -> str | None:
        return self.participant.name

    def get(self, step_id: str, prompt_id: str) -> Any:
        return self.step_values(step_id).get(prompt_id)

    def step_ids(self) -> list[str]:
        return list(self.participant.answers)

    def step_values(self, step_id: str) -> dict[str, Any]:
        values = self.participant.answers.get(step_id)
        return dict(values) if isinstance(values, dict) else {}


_ASCII = str.maketrans(
    {"ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ß": "ss", "ł": "l", "Ł": "L"}
    | {"đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "ı": "i"}
)


def ascii_stem(name: str) -> str:
    """A file-name stem in plain ASCII: 'Zoë Lindqvist' -> 'zoe-lindqvist'; '' when nothing is left.

    Accents are dropped and a few letters spelled out (ø, æ, ß); a name in another script
    has no ASCII spelling we could guess, so it gets none.
    """
    decomposed = unicodedata.normalize("NFKD", name.translate(_ASCII))
    return safe_stem(decomposed.encode("ascii", "ignore").decode("ascii"), fallback="")


def copy_names(names: list[str]) -> list[str]:
    """Distinct, ASCII-only file names for each person's copy: 'zoe.md', 'person-1.md', 'ada-2.md'."""
    used: set[str] = set()
    found = []
    unnamed = 0
    for name in names:
        stem = ascii_stem(name)
        if not stem:
            unnamed += 1
            stem = f"person-{unnamed}"
        candidate, number = stem, 2
        while candidate in used:
            candidate, number = f"{stem}-{number}", number + 1
        used.add(candidate)
        found.append(f"{candidate}.md")
    return found


def export_participants(room: Room, folder: Path, *, today: date | None = None) -> list[Path]:
    """Write each person's own answers (only what they answered) into folder; returns the paths.

    The room's captured answers are not a person and get no copy.
    """
    return list(_write_copies(room, folder, today).values())


def _write_copies(room: Room, folder: Path, today: date | None) -> dict[str, Path]:
    """Each person's copy, by the stem of their answer file."""
    folder.mkdir(parents=True, exist_ok=True)
    workshop = room.workshop
    present = people_of(room)
    day = long_date(today or date.today())
    written = {}
    for person, file_name in zip(present, copy_names([p.name for p in present]), strict=True):
        path = folder / file_name
        title = f"{workshop.data.workshop.title} — {person.name.strip() or '(no name)'}"
        text = render_markdown(
            workshop.workbook, _OwnAnswers(person), title=title, answered_only=True, intro=f"Your answers, {day}."
        )
        atomic_write_text(path, text)
        written[person.path.stem] = path
    return written


COPIES_FOLDER = "each"
"""Where the End action writes each person's copy, inside the workshop folder (private, like answers/)."""
COPIES_INDEX = "index.toml"
"""In COPIES_FOLDER: answer-file stem -> copy file name, so each participant's app can say which file is theirs."""


def write_copies(room: Room, *, today: date | None = None) -> dict[str, Path]:
    """The End action's copies: WORKSHOP/each/NAME.md for each person, and the index participants read.

    Returns the paths by answer-file stem.
    """
    folder = room.workshop.folder / COPIES_FOLDER
    make_private_folder(folder)
    written = _write_copies(room, folder, today)
    index = tomlkit.document()
    index.add(tomlkit.comment("Each person's copy, by the name of their answer file in answers/."))
    for stem, path in written.items():
        index[stem] = path.name
    atomic_write_text(folder / COPIES_INDEX, index.as_string())
    return written


def copy_of(workshop: Workshop, answer_file: Path) -> Path | None:
    """This participant's copy, if the End action wrote one; None otherwise (or if the index is not ours)."""
    folder = workshop.folder / COPIES_FOLDER
    try:
        index = parse_toml(read_text(folder / COPIES_INDEX, MAX_ANSWER_BYTES), str(folder / COPIES_INDEX))
    except (OSError, WorkbookError):
        return None
    name = index.get(answer_file.stem)
    if not isinstance(name, str) or not name.endswith(".md") or Path(name).name != name or name.startswith("."):
        return None
    path = folder / name
    return path if path.is_file() else None
