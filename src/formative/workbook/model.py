"""The workbook format: pydantic models that define what a workbook TOML file may say.

Every model forbids unknown keys, so a typo in a workbook is an error, not a silent
default. Field docstrings become descriptions in the JSON Schema that editors use.
"""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, field_validator, model_validator

Id = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9][a-z0-9_-]*$",
        max_length=64,
        description="Lower-case letters, digits, '-' and '_'; starts with a letter or digit.",
    ),
]
Ref = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9][a-z0-9_-]*\.[a-z0-9][a-z0-9_-]*$",
        description="An earlier answer, written as 'step_id.prompt_id'.",
    ),
]
OptionsRef = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9][a-z0-9_-]*\.[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)?$",
        description=(
            "Where the options come from: 'step.prompt' for an earlier list or choice "
            "answer, or 'step.prompt.field' for one field of an earlier records answer."
        ),
    ),
]
RecallRef = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9][a-z0-9_-]*:[a-z0-9][a-z0-9_-]*\.[a-z0-9][a-z0-9_-]*$",
        description=(
            "The same person's answer to another workbook, as 'workbook_id:step_id.prompt_id'. "
            "The workbook is a file named 'workbook_id.toml' beside this one, or a bundled workbook."
        ),
    ),
]
OptionsSources = Annotated[list[OptionsRef], Field(min_length=1, max_length=20)]
"""Several earlier answers whose options are merged, in order (issue 13)."""
Text = Annotated[str, Field(min_length=1, max_length=20_000)]
Mode = Literal["solo", "pair", "table", "group"]
"""How a workshop works on a step: alone, in pairs, at tables of four to six, or as the whole room."""


class Strict(BaseModel):
    """Base for every workbook model: unknown keys are errors.

    The docstrings under the fields document them in the JSON schema (read by schema.py, not
    at import: pydantic's use_attribute_docstrings parses the source on every start)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class PromptBase(Strict):
    id: Id
    """Unique within its step; the key of the answer in the answer file."""
    label: Text
    """The question, shown above the input. May show earlier answers with {step.prompt}."""
    help: str | None = None
    """A hint shown under the question (Markdown)."""
    required: bool = False
    """Whether the person must answer before moving on."""

    # Help from outside the question: a worked example, and earlier answers to other workbooks.
    example: Text | None = None
    """A worked example answer, shown only when the person asks for it (F2 in the app, '?' in plain mode)."""
    recall: list[RecallRef] = Field(default_factory=list, max_length=6)
    """The person's own earlier answers to another workbook, shown read-only above the question,
    as 'workbook_id:step_id.prompt_id' (e.g. 'formative-community:construct.rhythm')."""


def _check_word_limits(min_words: int | None, max_words: int | None) -> None:
    if min_words is not None and max_words is not None and min_words > max_words:
        raise ValueError("'min_words' is larger than 'max_words'")


class ShortText(PromptBase):
    """One line of text, such as a name or a title."""

    kind: Literal["short_text"]
    placeholder: str | None = None
    """Grey text shown in the empty input."""
    max_length: int | None = Field(default=None, ge=1)
    """The most characters the answer may have."""

    # Word limits (issue 13): a six-word title, a fifty-word reflection.
    min_words: int | None = Field(default=None, ge=1, le=10_000)
    """The fewest words the answer must have (words are counted between spaces)."""
    max_words: int | None = Field(default=None, ge=1, le=10_000)
    """The most words the answer may have, e.g. 6 for a six-word title."""

    @model_validator(mode="after")
    def _words_in_order(self) -> Self:
        _check_word_limits(self.min_words, self.max_words)
        return self


class LongText(PromptBase):
    """Free prose over several lines; saved as a multi-line string so diffs read well."""

    kind: Literal["long_text"]
    placeholder: str | None = None
    """Grey text shown in the empty input."""
    max_length: int | None = Field(default=None, ge=1)
    """The most characters the answer may have."""

    # Word limits (issue 13): a six-word title, a fifty-word reflection.
    min_words: int | None = Field(default=None, ge=1, le=10_000)
    """The fewest words the answer must have (words are counted between spaces)."""
    max_words: int | None = Field(default=None, ge=1, le=10_000)
    """The most words the answer may have, e.g. 6 for a six-word title."""

    @model_validator(mode="after")
    def _words_in_order(self) -> Self:
        _check_word_limits(self.min_words, self.max_words)
        return self


def option_sources(options_from: str | list[str] | None) -> list[str]:
    """'options_from' as a list, whether it names one earlier answer or several."""
    if options_from is None:
        return []
    return [options_from] if isinstance(options_from, str) else list(options_from)


def _check_sources(options_from: str | list[str] | None) -> None:
    sources = option_sources(options_from)
    if len(set(sources)) != len(sources):
        raise ValueError("'options_from' names the same answer twice")


class ChoiceBase(PromptBase):
    options: list[Text] | None = None
    """The options to choose from, in the order shown."""
    options_from: OptionsRef | OptionsSources | None = None
    """Take the options from an earlier answer instead of 'options'; or from several, as a list of
    references, whose options are merged in order, each offered once."""
    allow_other: bool = False
    """Offer a free-text 'other' answer beside the options."""
    other_label: str = "Something else"
    """The label of the free-text 'other' answer."""

    @property
    def option_sources(self) -> list[str]:
        """The earlier answers the options come from, in order (none when 'options' are given)."""
        return option_sources(self.options_from)

    @model_validator(mode="after")
    def _one_source_of_options(self) -> ChoiceBase:
        if (self.options is None) == (self.options_from is None):
            raise ValueError("give exactly one of 'options' or 'options_from'")
        _check_sources(self.options_from)
        if self.options is not None:
            if not self.options:
                raise ValueError("'options' must list at least one option")
            if len(set(self.options)) != len(self.options):
                raise ValueError("'options' lists the same option twice")
        return self


class SingleChoice(ChoiceBase):
    """Pick one option (or write your own, when 'allow_other' is true)."""

    kind: Literal["single_choice"]


class MultipleChoice(ChoiceBase):
    """Pick any number of options, optionally between 'min_picks' and 'max_picks'."""

    kind: Literal["multiple_choice"]
    min_picks: int | None = Field(default=None, ge=0)
    """The fewest options to pick."""
    max_picks: int | None = Field(default=None, ge=1)
    """The most options to pick."""

    @model_validator(mode="after")
    def _picks_in_order(self) -> MultipleChoice:
        if self.min_picks is not None and self.max_picks is not None:
            if self.min_picks > self.max_picks:
                raise ValueError("'min_picks' is larger than 'max_picks'")
        return self


class Scale(PromptBase):
    """A whole number on a scale, such as 1 to 5, with words for both ends."""

    kind: Literal["scale"]
    min: int = 1
    """The lowest value."""
    max: int = 5
    """The highest value."""
    min_label: str | None = None
    """What the lowest value means, e.g. 'not at all'."""
    max_label: str | None = None
    """What the highest value means, e.g. 'completely'."""

    @model_validator(mode="after")
    def _sensible_range(self) -> Scale:
        if not self.min < self.max:
            raise ValueError("'min' must be smaller than 'max'")
        if self.max - self.min > 10:
            raise ValueError("a scale may have at most 11 points")
        return self


class ItemsBase(PromptBase):
    min_items: int | None = Field(default=None, ge=0)
    """The fewest items the answer must have."""
    max_items: int | None = Field(default=None, ge=1)
    """The most items the answer may have."""
    item_label: str = "Item"
    """What one item is called, e.g. 'Name'."""

    @model_validator(mode="after")
    def _items_in_order(self) -> ItemsBase:
        if self.min_items is not None and self.max_items is not None:
            if self.min_items > self.max_items:
                raise ValueError("'min_items' is larger than 'max_items'")
        return self


class ListPrompt(ItemsBase):
    """A list of short items, such as names, that the person adds one by one."""

    kind: Literal["list"]
    max_length: int | None = Field(default=None, ge=1)
    """The most characters one item may have."""

    # Word limits (issue 13), for each item.
    min_words: int | None = Field(default=None, ge=1, le=10_000)
    """The fewest words each item must have."""
    max_words: int | None = Field(default=None, ge=1, le=10_000)
    """The most words each item may have, e.g. 3 for short names of things."""

    @model_validator(mode="after")
    def _words_in_order(self) -> Self:
        _check_word_limits(self.min_words, self.max_words)
        return self


class RecordField(Strict):
    """One field of a record, such as 'role' in a list of people."""

    id: Id
    """Unique within the record; the key in the answer file."""
    label: Text
    """What the field asks for."""
    required: bool = False
    """Whether every record must fill this field."""
    max_length: int | None = Field(default=None, ge=1)
    """The most characters the field may have."""


class Records(ItemsBase):
    """A list of records with named fields, such as person + role + how you met."""

    kind: Literal["records"]
    fields: list[RecordField] = Field(min_length=1)
    """The fields of each record, in the order shown."""

    @field_validator("fields")
    @classmethod
    def _unique_field_ids(cls, fields: list[RecordField]) -> list[RecordField]:
        ids = [f.id for f in fields]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"field id used twice: {', '.join(duplicates)}")
        return fields


class Ranking(PromptBase):
    """Put the options in order, most important first."""

    kind: Literal["ranking"]
    options: list[Text] | None = None
    """The options to rank."""
    options_from: OptionsRef | OptionsSources | None = None
    """Take the options from an earlier answer instead of 'options'; or from several, as a list of
    references, whose options are merged in order, each offered once."""

    @property
    def option_sources(self) -> list[str]:
        """The earlier answers the options come from, in order (none when 'options' are given)."""
        return option_sources(self.options_from)

    @model_validator(mode="after")
    def _one_source_of_options(self) -> Ranking:
        if (self.options is None) == (self.options_from is None):
            raise ValueError("give exactly one of 'options' or 'options_from'")
        _check_sources(self.options_from)
        if self.options is not None and not self.options:
            raise ValueError("'options' must list at least one option")
        if self.options is not None and len(set(self.options)) != len(self.options):
            raise ValueError("'options' lists the same option twice")
        return self


class DotVote(PromptBase):
    """Spread a few votes over the room's answers to an earlier shared step.

    In a workshop the options are everyone's answers; walking alone, your own.
    """

    kind: Literal["dot_vote"]
    options_from: Ref
    """The earlier prompt whose answers (from the whole room) are voted on, as 'step.prompt'."""
    votes: int = Field(default=3, ge=1, le=20)
    """How many votes each person has."""
    max_per_option: int | None = Field(default=None, ge=1)
    """The most votes one person may give one option (default: no limit)."""


class Note(Strict):
    """Information only: text to read, nothing to answer."""

    kind: Literal["note"]
    id: Id
    """Unique within its step."""
    text: Text
    """What to read (Markdown). May show earlier answers with {step.prompt}."""


Prompt = Annotated[
    ShortText | LongText | SingleChoice | MultipleChoice | Scale | ListPrompt | Records | Ranking | DotVote | Note,
    Field(discriminator="kind"),
]
AnswerPrompt = ShortText | LongText | SingleChoice | MultipleChoice | Scale | ListPrompt | Records | Ranking | DotVote
"""Every prompt kind that takes an answer (all but Note)."""
PROMPT_KINDS = (
    "short_text",
    "long_text",
    "single_choice",
    "multiple_choice",
    "scale",
    "list",
    "records",
    "ranking",
    "dot_vote",
    "note",
)


class Condition(Strict):
    """Show a step only when an earlier answer matches. Give 'answer' and one test."""

    answer: Ref
    """The earlier answer to test, as 'step_id.prompt_id'."""
    equals: StrictStr | StrictInt | None = None
    """Show when the answer is exactly this."""
    not_equals: StrictStr | StrictInt | None = None
    """Show when the answer is anything but this (or unanswered)."""
    includes: str | None = None
    """Show when a list or multiple-choice answer includes this."""
    answered: bool | None = None
    """Show when the answer is given (true) or not given (false)."""
    at_least: int | None = None
    """Show when a scale answer is this number or higher."""
    at_most: int | None = None
    """Show when a scale answer is this number or lower."""

    @model_validator(mode="after")
    def _exactly_one_test(self) -> Condition:
        tests = [self.equals, self.not_equals, self.includes, self.answered, self.at_least, self.at_most]
        if sum(t is not None for t in tests) != 1:
            raise ValueError(
                "give exactly one of 'equals', 'not_equals', 'includes', 'answered', 'at_least', 'at_most'"
            )
        return self


class Copy(Strict):
    """One copy of a repeated step or section: what sets it apart from the other copies."""

    suffix: Id | None = None
    """Added to the block's ids after a '-': step 'plan' with suffix 'a' becomes 'plan-a'.
    Default: the copy's number, so the copies are 'plan-1', 'plan-2', 'plan-3'."""
    title: Text | None = None
    """This copy's title, instead of the block's own title."""
    intro: str | None = None
    """Markdown shown first in this copy: above a repeated step's body, or before a repeated
    section's intro."""


Repeat = Annotated[StrictInt, Field(ge=1, le=20)] | Annotated[list[Copy], Field(min_length=1, max_length=20)]
"""How many copies of a block to make: a number, or one table per copy."""


class Step(Strict):
    """One screen of the walk: a title, some guidance, and the prompts to answer."""

    id: Id
    """Unique in the workbook; answers are filed under it."""
    title: Text
    """The step's heading."""
    body: str = ""
    """Guidance in Markdown. May show earlier answers with {step.prompt}."""
    prompts: list[Prompt] = Field(default_factory=list)
    """The questions of this step, in order."""
    timebox: int | None = Field(default=None, ge=1, le=240)
    """Minutes to spend on this step in a workshop."""
    mode: Mode | None = None
    """How a workshop works on this step: alone ('solo'), in pairs ('pair'), at tables of four
    to six ('table'), or as the whole room ('group')."""
    facilitator_notes: str | None = None
    """Private notes for the coach; never shown to participants."""
    shared: bool = False
    """Whether answers to this step are shown to the room in a workshop."""
    named: bool | None = None
    """For a shared step: show people's names with their answers (true) or not (false); unset follows the
    room, which is anonymous unless the coach says otherwise. Participants always see which it is."""
    show_if: Condition | None = None
    """Hide this step unless an earlier answer matches."""
    paper: str | None = None
    """The paper fallback (Markdown): how the room does this step with pen and paper when the
    screens or the Wi-Fi fail. Printed in the facilitator pack (`formative pack`)."""

    # Repeated blocks (issue 13): one step written once, walked as several.
    repeat: Repeat | None = None
    """Make several copies of this step, each an ordinary step with its own id ('plan-1',
    'plan-2'…, or 'plan-SUFFIX') and answers: a number of copies, with {n} in the title for the
    copy's number, or a list of copies, each with its own title. Expanded when the workbook
    loads; references name the copies ('plan-2.title')."""

    @field_validator("prompts")
    @classmethod
    def _unique_prompt_ids(cls, prompts: list[Prompt]) -> list[Prompt]:
        ids = [p.id for p in prompts]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"prompt id used twice in this step: {', '.join(duplicates)}")
        return prompts

    def prompt(self, prompt_id: str) -> Prompt | None:
        return next((p for p in self.prompts if p.id == prompt_id), None)

    @property
    def answer_prompts(self) -> list[AnswerPrompt]:
        return [p for p in self.prompts if not isinstance(p, Note)]


class Section(Strict):
    """A group of steps with a heading, such as 'The four Cs'."""

    id: Id
    """Unique in the workbook."""
    title: Text
    """The section's heading. May show answers of earlier sections with {step.prompt}."""
    intro: str | None = None
    """A short introduction (Markdown), shown with the section's first step."""
    steps: list[Step] = Field(min_length=1)
    """The steps of this section, in order."""

    # Repeated blocks (issue 13): a group of steps written once, walked as several.
    repeat: Repeat | None = None
    """Make several copies of this section and its steps, each copy's ids ending in '-1', '-2'…
    (or '-SUFFIX'): a number of copies, with {n} in the title for the copy's number, or a list of
    copies, each with its own title. Inside a copy, references to the section's own steps mean
    that copy's steps. Expanded when the workbook loads."""


class CanvasCell(Strict):
    """One box of the canvas, filled with one or more earlier answers."""

    title: Text
    """The box's heading, e.g. 'Container'."""
    subtitle: str | None = None
    """A short line under the heading, e.g. 'who is in it, and why'."""
    answers: list[Ref] = Field(min_length=1)
    """The answers shown in the box, as 'step_id.prompt_id'."""
    labels: list[Annotated[str, Field(min_length=1, max_length=80)]] = Field(default_factory=list)
    """A short name for each answer, in the same order, shown above it, e.g. 'Who'. Without
    them each answer is named by its question, which is often long for a box."""

    @model_validator(mode="after")
    def _one_label_per_answer(self) -> Self:
        if self.labels and len(self.labels) != len(self.answers):
            raise ValueError(
                f"labels names {len(self.labels)} answers, but the cell shows {len(self.answers)}: "
                "give one label per answer"
            )
        return self


class Canvas(Strict):
    """A one-page summary of the answers, shown side by side at the end of the walk."""

    title: Text
    """The canvas heading; may show answers with {step.prompt}."""
    cells: list[CanvasCell] = Field(min_length=1, max_length=6)
    """The boxes, in reading order."""


class LateCut(Strict):
    """What to drop when the session runs late, for the facilitator pack's cut list."""

    minutes: int = Field(ge=1, le=240)
    """How many minutes behind the schedule this applies to, e.g. 10."""
    cut: Text
    """What to drop or shorten, and how (Markdown)."""


class RoomSize(Strict):
    """How to run the session with a room of a certain size, for the facilitator pack."""

    people: int = Field(ge=1, le=1000)
    """About how many people, e.g. 6, 12 or 30."""
    notes: Text
    """What changes at that size: groups, timing, harvest (Markdown)."""


class Pack(Strict):
    """What a coach prints before a workshop (`formative pack`): all of it optional.

    The agenda, the scripts (facilitator notes), each step's paper fallback and the paper
    canvas come from the steps and the canvas; these keys hold the rest.
    """

    overview: str | None = None
    """A few lines on the session's shape and timing: the first thing the coach reads (Markdown)."""
    materials: list[Text] = Field(default_factory=list)
    """What to bring, one item each, e.g. 'Printed paper canvases, one per person'."""
    setup: str | None = None
    """How to set up the room before people arrive (Markdown)."""
    running_late: list[LateCut] = Field(default_factory=list)
    """The cut list: what to drop when running 10, 20… minutes late, least behind first."""
    room_sizes: list[RoomSize] = Field(default_factory=list)
    """Notes for running it with different numbers of people, smallest room first."""
    invitation: str | None = None
    """The text to send people before the session, inviting them (Markdown)."""
    follow_up: str | None = None
    """The text to send everyone about two weeks after the session (Markdown)."""

    @field_validator("running_late")
    @classmethod
    def _cuts_in_order(cls, cuts: list[LateCut]) -> list[LateCut]:
        minutes = [cut.minutes for cut in cuts]
        if minutes != sorted(set(minutes)):
            raise ValueError("list the cuts from the fewest minutes late to the most, each number once")
        return cuts

    @field_validator("room_sizes")
    @classmethod
    def _sizes_in_order(cls, sizes: list[RoomSize]) -> list[RoomSize]:
        people = [size.people for size in sizes]
        if people != sorted(set(people)):
            raise ValueError("list the room sizes from the smallest room to the largest, each number once")
        return sizes


class Workbook(Strict):
    """A workbook: metadata and an ordered list of sections of steps."""

    format: Literal[1]
    """The workbook format version; this release reads version 1."""
    id: Id
    """A short, stable name, used for answer file names."""
    title: Text
    """The workbook's title."""
    summary: str = ""
    """One or two sentences on what the workbook is for."""
    authors: list[str] = Field(default_factory=list)
    """Who wrote it."""
    minutes: int | None = Field(default=None, ge=1)
    """About how long it takes, in minutes."""
    review_every_days: int | None = Field(default=None, ge=1, le=3660)
    """How often the workbook is meant to be sat again, in days (90 for a quarterly review).
    The home screen marks it due once that long has passed since its answers were last written."""
    sections: list[Section] = Field(min_length=1)
    """The sections, in order."""
    canvas: Canvas | None = None
    """An optional one-page canvas of key answers, shown at the end."""
    pack: Pack | None = None
    """What a coach needs on paper to run it as a workshop: materials, set-up, cut list, texts."""

    @model_validator(mode="after")
    def _unique_ids(self) -> Workbook:
        section_ids = [s.id for s in self.sections]
        step_ids = [st.id for s in self.sections for st in s.steps]
        for what, ids in (("section", section_ids), ("step", step_ids)):
            duplicates = sorted({i for i in ids if ids.count(i) > 1})
            if duplicates:
                raise ValueError(f"{what} id used twice: {', '.join(duplicates)}")
        return self

    @property
    def steps(self) -> list[Step]:
        return [step for section in self.sections for step in section.steps]

    def step(self, step_id: str) -> Step | None:
        return next((st for st in self.steps if st.id == step_id), None)
