"""Plain line-by-line mode: the same walk as the app, as simple questions and answers.

For screen readers, dumb terminals (TERM=dumb) and pipes: no colours, no cursor
movement, one question at a time, read with input(). It drives the same Walk and
Session as the Textual app, so the answer file is the same and a person can switch
between the two at any point. The caller opens the session and closes it.
"""

from __future__ import annotations

import contextlib
import re
import signal
import sys
from collections.abc import Callable, Iterator
from types import FrameType
from typing import TYPE_CHECKING, Any, TextIO

from formative.answers.values import AnswerValue, answer_lines, is_answered, word_limit_hint
from formative.recall import Recalled
from formative.session import Session
from formative.text import without_controls as clean
from formative.walk import Walk
from formative.workbook.model import (
    AnswerPrompt,
    DotVote,
    ListPrompt,
    LongText,
    MultipleChoice,
    Note,
    Prompt,
    Ranking,
    Records,
    Scale,
    ShortText,
    SingleChoice,
    Step,
)

if TYPE_CHECKING:  # a person working alone loads no workshop code
    from formative.workshop.folder import Workshop
    from formative.workshop.presence import Beacon

HELP = """Commands, at any question:
  :back   go to the previous step
  :next   skip to the next step, even with answers missing
  :clear  remove the answer to this question
  :last   start from what you wrote last time (in a new sitting)
  :quit   save and stop (Ctrl-D does the same)
  :help   show this help
  ?       show an example answer (where a question has one)
Press Enter on an empty line to keep the current answer."""


class _Command(Exception):
    """A command typed at a question; unwinds to the step loop."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


COMMANDS = {":back", ":next", ":quit", ":clear", ":last"}


class PlainWalk:
    """One run of plain mode: reads lines, prints plain text, saves through the session."""

    def __init__(
        self, session: Session, input_fn: Callable[[str], str], output: TextIO, room: PlainRoom | None = None
    ) -> None:
        self.session = session
        self.room = room
        """Set when the person joined a workshop: presence, and what the room sees, step by step."""
        self.walk: Walk = session.walk
        self.input_fn = input_fn
        self.output = output
        self.reads = 0
        """Lines read so far; a round of questions that read none cannot fix anything."""
        self.last_notice: str | None = None
        self.example: str | None = None
        """The worked example of the question being asked, which '?' prints."""
        self.changed = False
        """Whether the person changed an answer during this step (leaving it then commits)."""
        self.last_git_error: str | None = None

    # Input and output -------------------------------------------------------------------

    def say(self, text: str = "") -> None:
        print(clean(text), file=self.output)

    def read(self, prompt: str = "> ") -> str:
        """One line from the person; commands raise _Command, end of input is :quit."""
        while True:
            self.output.flush()
            self.reads += 1
            try:
                line = self.input_fn(prompt)
            except EOFError:
                self.say()
                raise _Command(":quit") from None
            command = line.strip().lower()
            if command == ":help":
                self.say(HELP)
                continue
            if command == "?":
                self.say_example()
                continue
            if command in COMMANDS:
                raise _Command(command)
            return line.rstrip("\r\n")

    def say_example(self) -> None:
        if self.example is None:
            self.say("This question has no example.")
            return
        self.say("An example answer:")
        for line in self.example.strip().splitlines():
            self.say(f"  {line}")

    def say_recalled(self, recalled: Recalled) -> None:
        """An earlier answer to another workbook, before the question it informs."""
        if recalled.missing:
            self.say(recalled.missing)
            return
        asked = f" ({recalled.label})" if recalled.label else ""
        self.say(f"In {recalled.workbook_title}{asked} you wrote:")
        for line in recalled.lines:
            self.say(f"  {line}")

    def set(self, step: Step, prompt: AnswerPrompt, value: AnswerValue | None) -> None:
        self.session.set_answer(step.id, prompt.id, value)
        self.changed |= self.session.store.dirty
        self.save()

    def save(self) -> None:
        """Save, and say so when the save merged, kept a conflict aside or could not write."""
        notice = self.session.save().notice
        if notice is not None and notice != self.last_notice:
            self.say(notice)
        self.last_notice = notice

    def leave(self, step: Step) -> None:
        """Leaving a step that changed the file commits it, when its folder is in git."""
        if not self.changed:
            return
        self.changed = False
        outcome = self.session.commit(step)
        if outcome.error is not None and outcome.error != self.last_git_error:
            self.say(f"Saved, but not committed to git: {outcome.error}")
        self.last_git_error = outcome.error
        if outcome.note is not None:
            self.say(outcome.note)

    def say_last_time(self, step: Step, prompt: AnswerPrompt) -> None:
        """In a new sitting: what the person wrote for this question the sitting before, dated."""
        lines = answer_lines(self.session.last_answer(step.id, prompt.id))
        if not lines:
            return
        when = f"Last time ({self.session.last_day})"
        if len(lines) == 1:
            self.say(f"{when}: {lines[0]}")
        else:
            self.say(f"{when}:")
            for line in lines:
                self.say(f"  {line}")
        self.say("(Type :last to start from it.)")

    # The walk ---------------------------------------------------------------------------

    def run(self) -> None:
        self.say(f"Formative: {self.walk.workbook.title}")
        self.say(f"Your answers are saved in {self.session.path}")
        for notice in self.session.notices:
            self.say(notice)
        self.say("Type :help at any question for the commands.")
        shown_section = None
        while not self.walk.finished:
            step = self.walk.current
            section = self.walk.section_of(step)
            if section is not shown_section:
                self.show_section(section.title, section.intro)
                shown_section = section
            try:
                self.do_step(step)
            except _Command as command:
                self.save()
                if command.name == ":quit":
                    break
                if command.name == ":back":
                    if not self.walk.go_back():
                        self.say("This is the first step.")
                elif command.name == ":next":
                    self.walk.go_next(force=True)
                if self.walk.finished or self.walk.current is not step:
                    self.leave(step)
                continue
            self.save()
            self.walk.go_next(force=True)
            self.leave(step)
        self.save()
        if self.walk.finished:
            self.say()
            self.say("That was the last step. Well done.")
            missing = [s.title for s in self.walk.visible_steps() if self.walk.problems(s)]
            if missing:
                self.say("Still missing answers: " + "; ".join(self.walk.text(t) for t in missing))
        self.say(f"Your answers are saved in {self.session.path}")

    def show_section(self, title: str, intro: str | None) -> None:
        self.say()
        self.say(f"Section: {self.walk.text(title)}")
        if intro:
            self.say(self.walk.text(intro).strip())

    def do_step(self, step: Step) -> None:
        progress = self.walk.progress()
        self.say()
        self.say(f"Step {progress.position} of {progress.visible}: {self.walk.text(step.title)}")
        if self.room is not None:
            for line in self.room.on_step(step):
                self.say(line)
        details = [
            f"Timebox: {step.timebox} minutes" if step.timebox else "",
            f"Mode: {step.mode}" if step.mode else "",
        ]
        if any(details):
            self.say(". ".join(d for d in details if d) + ".")
        if step.body.strip():
            self.say()
            self.say(self.walk.text(step.body).strip())
        for prompt in step.prompts:
            self.ask(step, prompt)
        while problems := self.walk.problems(step):
            self.say()
            self.say("Before you go on (or type :next to skip for now):")
            prompts = {p.id: p for p in step.answer_prompts}
            for problem in problems:
                self.say(f"- {self.walk.text(prompts[problem.prompt_id].label)}: {problem.message}")
            before = self.reads
            for prompt_id in dict.fromkeys(p.prompt_id for p in problems):
                self.ask(step, prompts[prompt_id])
            if self.reads == before:
                self.say("This cannot be answered yet. Type :next to go on, or :back to go back.")
                self.read()

    # Questions ----------------------------------------------------------------------------

    def ask(self, step: Step, prompt: Prompt) -> None:
        self.say()
        if isinstance(prompt, Note):
            self.say(self.walk.text(prompt.text).strip())
            return
        for ref in prompt.recall:
            self.say_recalled(self.session.recall.get(ref))
        self.say_last_time(step, prompt)
        self.say(self.walk.text(prompt.label) + (" (required)" if prompt.required else ""))
        if prompt.help:
            self.say(self.walk.text(prompt.help).strip())
        limit = word_limit_hint(prompt)
        if limit:
            self.say(limit)
        self.example = prompt.example
        if prompt.example:
            self.say("(Type ? for an example answer.)")
        current = self.session.answer(step.id, prompt.id)
        try:
            value = self.answer(step, prompt, current)
        except _Command as command:
            if command.name == ":last":
                self.copy_last(step, prompt)
                return
            if command.name != ":clear":
                raise
            self.set(step, prompt, None)
            self.say("Answer removed.")
            return
        if value is not None:
            self.set(step, prompt, value)

    def copy_last(self, step: Step, prompt: AnswerPrompt) -> None:
        last = self.session.last_answer(step.id, prompt.id)
        if not is_answered(last):
            self.say("There is nothing from last time for this question.")
            return
        self.set(step, prompt, last)
        self.say("Copied in what you wrote last time; :back returns here to change it.")

    def answer(self, step: Step, prompt: AnswerPrompt, current: Any) -> AnswerValue | None:
        """The new answer, or None to keep the current one."""
        if isinstance(prompt, ShortText):
            return self.ask_short(current)
        if isinstance(prompt, LongText):
            return self.ask_long(current)
        if isinstance(prompt, SingleChoice):
            return self.ask_single(prompt, current)
        if isinstance(prompt, MultipleChoice):
            return self.ask_multiple(prompt, current)
        if isinstance(prompt, Scale):
            return self.ask_scale(prompt, current)
        if isinstance(prompt, ListPrompt):
            return self.ask_list(prompt, current)
        if isinstance(prompt, Records):
            return self.ask_records(prompt, current)
        if isinstance(prompt, DotVote):
            return self.ask_votes(prompt, current)
        return self.ask_ranking(step, prompt)

    def show_current(self, current: Any) -> bool:
        if not is_answered(current):
            return False
        if isinstance(current, list):
            self.say("Current answer:")
            for item in current:
                text = " – ".join(str(v) for v in item.values()) if isinstance(item, dict) else str(item)
                self.say(f"  - {text}")
        elif isinstance(current, str) and "\n" in current:
            self.say("Current answer:")
            for line in current.splitlines():
                self.say(f"  {line}")
        else:
            self.say(f"Current answer: {current}")
        return True

    def ask_short(self, current: Any) -> str | None:
        if self.show_current(current):
            self.say("Press Enter to keep it, or type a new answer.")
        line = self.read()
        return line if line.strip() else None

    def ask_long(self, current: Any) -> str | None:
        keep = self.show_current(current)
        self.say("Write as many lines as you like; a line with only . ends the answer.")
        if keep:
            self.say("A . straight away keeps the current answer.")
        lines: list[str] = []
        while (line := self.read("")) != ".":
            lines.append(line)
        text = "\n".join(lines).strip("\n")
        return text if text.strip() else None

    def numbered(self, options: list[str]) -> None:
        for number, option in enumerate(options, 1):
            self.say(f"  {number}. {option}")

    def ask_single(self, prompt: SingleChoice, current: Any) -> str | None:
        options = self.walk.options(prompt) or []
        if not options and not prompt.allow_other:
            self.say("No options yet: they come from an earlier answer.")
            return None
        self.numbered(options)
        hint = f"Type a number from 1 to {len(options)}" if options else "Type your answer"
        if prompt.allow_other and options:
            hint += f", or type your own ({prompt.other_label.lower()})"
        self.show_current(current)
        self.say(hint + ".")
        while True:
            line = self.read().strip()
            if not line:
                return None
            if line.isdigit() and 1 <= int(line) <= len(options):
                return options[int(line) - 1]
            if prompt.allow_other and not line.isdigit():
                return line
            self.say(f"Type a number from 1 to {len(options)}.")

    def ask_multiple(self, prompt: MultipleChoice, current: Any) -> list[str] | None:
        options = self.walk.options(prompt) or []
        self.numbered(options)
        if isinstance(current, list) and current:
            picked = [str(options.index(v) + 1) if v in options else str(v) for v in current]
            self.say(f"Current picks: {', '.join(picked)}")
        hint = "Type the numbers of your picks, separated by commas or spaces"
        if prompt.allow_other:
            hint += "; add your own between commas"
        self.say(hint + ". Enter keeps the current picks.")
        while True:
            line = self.read().strip()
            if not line:
                return None
            picks: list[str] = []
            wrong = False
            for part in (p.strip() for p in line.split(",")):
                numbers = part.split()
                if numbers and all(n.isdigit() for n in numbers):
                    if not all(1 <= int(n) <= len(options) for n in numbers):
                        wrong = True
                    picks += [options[int(n) - 1] for n in numbers if 1 <= int(n) <= len(options)]
                elif part and prompt.allow_other:
                    picks.append(part)
                elif part:
                    wrong = True
            if not wrong:
                return list(dict.fromkeys(picks))
            self.say(f"Use the numbers 1 to {len(options)}, separated by commas or spaces.")

    def ask_votes(self, prompt: DotVote, current: Any) -> list[str] | None:
        """One number per vote: '1 1 3' gives two votes to option 1 and one to option 3."""
        options = self.walk.options(prompt) or []
        if not options:
            self.say("Nothing to vote on yet: the options are the room's answers to an earlier step.")
            return None
        self.numbered(options)
        if isinstance(current, list) and current:
            self.say(f"Current votes: {', '.join(current)}")
        self.say(f"You have {prompt.votes} votes. Type a number per vote (repeat one to stack votes).")
        while True:
            line = self.read().strip()
            if not line:
                return None
            numbers = line.replace(",", " ").split()
            if all(n.isdigit() and 1 <= int(n) <= len(options) for n in numbers):
                return [options[int(n) - 1] for n in numbers]
            self.say(f"Use the numbers 1 to {len(options)}.")

    def ask_scale(self, prompt: Scale, current: Any) -> int | None:
        low = f"{prompt.min}" + (f" ({prompt.min_label})" if prompt.min_label else "")
        high = f"{prompt.max}" + (f" ({prompt.max_label})" if prompt.max_label else "")
        self.show_current(current)
        self.say(f"Type a number from {low} to {high}.")
        while True:
            line = self.read().strip()
            if not line:
                return None
            if re.fullmatch(r"-?\d+", line) and prompt.min <= int(line) <= prompt.max:
                return int(line)
            self.say(f"Type a whole number from {prompt.min} to {prompt.max}.")

    def ask_list(self, prompt: ListPrompt, current: Any) -> list[str] | None:
        keep = self.show_current(current)
        self.say(f"One {prompt.item_label.lower()} per line; an empty line ends the list.")
        if keep:
            self.say("An empty line straight away keeps the current list.")
        items: list[str] = []
        while prompt.max_items is None or len(items) < prompt.max_items:
            line = self.read(f"{prompt.item_label} {len(items) + 1}: ")
            if not line.strip():
                break
            items.append(line.strip())
        return items or None

    def ask_records(self, prompt: Records, current: Any) -> list[dict[str, str]] | None:
        keep = self.show_current(current)
        self.say(f"Fill in each entry field by field. An empty {prompt.fields[0].label.lower()} ends the list.")
        if keep:
            self.say("An empty line straight away keeps the current entries.")
        records: list[dict[str, str]] = []
        while prompt.max_items is None or len(records) < prompt.max_items:
            self.say(f"Entry {len(records) + 1}:")
            record: dict[str, str] = {}
            for n, field in enumerate(prompt.fields):
                text = self.read(f"  {field.label}: ").strip()
                if n == 0 and not text:
                    return records or None
                if text:
                    record[field.id] = text
            records.append(record)
        return records or None

    def ask_ranking(self, step: Step, prompt: Ranking) -> list[str] | None:
        order = self.walk.ranking_order(step, prompt)
        if not order:
            self.say("Nothing to rank yet: the options come from an earlier answer.")
            return None
        self.say("Current order:")
        self.numbered(order)
        self.say("Type the numbers in the order you want, most important first, e.g. 2 1 3.")
        self.say("Numbers you leave out keep their order at the end. Enter keeps this order.")
        while True:
            line = self.read().replace(",", " ").split()
            if not line:
                return order
            if all(n.isdigit() and 1 <= int(n) <= len(order) for n in line) and len(set(line)) == len(line):
                first = [order[int(n) - 1] for n in line]
                return first + [o for o in order if o not in first]
            self.say(f"Use each number from 1 to {len(order)} at most once.")


class PlainRoom:
    """A plain-mode participant in a workshop: present while answering, and told what the room sees.

    Plain mode does not follow the facilitator's pace (it reads one line at a time), but
    it keeps the presence file on the step the person is on and, on each step, says
    whether answers go to the room with or without names, and when the workshop ended.
    """

    def __init__(self, workshop: Workshop, beacon: Beacon) -> None:
        self.workshop = workshop
        self.beacon = beacon

    def on_step(self, step: Step) -> list[str]:
        from formative.workshop.policy import privacy_notice

        self.beacon.moved(step.id)
        self.workshop.reload()
        state = self.workshop.state
        lines = []
        if state.ended is not None:
            lines.append("The workshop has ended. Your answers are saved; the coach will send you your copy.")
        notice = privacy_notice(state, step)
        if notice:
            lines.append(f"{notice}.")
        return lines


@contextlib.contextmanager
def leaving_on_hangup() -> Iterator[None]:
    """SIGTERM and SIGHUP (a closed terminal, an SSH drop) unwind like Ctrl-C would: saved, then gone."""

    def hang_up(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = {signum: signal.signal(signum, hang_up) for signum in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def join_plain(
    workshop: Workshop,
    session: Session,
    input_fn: Callable[[str], str] = input,
    output: TextIO | None = None,
) -> None:
    """run_plain for a workshop participant: a presence file while it runs, removed however it ends.

    It starts on the room's step when the facilitator leads the pace (then goes on at the person's own).
    """
    from formative.workshop.presence import Beacon, keep_present

    state = workshop.state
    if state.pace == "lead" and state.step:
        session.walk.jump(state.step)
    beacon = Beacon(workshop.answers_dir, session.path, session.store.person or "")
    beacon.arrive(session.walk.current.id)
    with keep_present(beacon), leaving_on_hangup():
        run_plain(session, input_fn, output, room=PlainRoom(workshop, beacon))


def run_plain(
    session: Session,
    input_fn: Callable[[str], str] = input,
    output: TextIO | None = None,
    room: PlainRoom | None = None,
) -> None:
    """Walk the session's workbook with plain prompts until the end, :quit or end of input.

    Saves after every answer and step. Ctrl-C (and, in a workshop, SIGTERM or SIGHUP)
    also saves before it stops. The session stays open: the caller closes it. Output goes
    to sys.stdout as it is at the call (not at import), so a redirected stdout gets it.
    """
    output = output or sys.stdout
    try:
        PlainWalk(session, input_fn, output, room).run()
    except KeyboardInterrupt:
        session.save()
        print(f"\nStopped. Your answers are saved in {session.path}", file=output)
