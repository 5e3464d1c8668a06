"""The walk: moving, hiding, interpolating, options, checks, progress and resuming."""

from __future__ import annotations

import datetime
import textwrap
from pathlib import Path
from typing import Any

import pytest

from formative.answers import AnswerStore, check_answer, format_answer
from formative.answers.values import answer_lines
from formative.walk import Walk, answer_items, steps_summary
from formative.workbook.load import load_workbook_text
from formative.workbook.model import (
    DotVote,
    ListPrompt,
    LongText,
    MultipleChoice,
    Ranking,
    Records,
    Scale,
    ShortText,
    SingleChoice,
    Workbook,
)


class Answers:
    """The smallest answer reader a Walk accepts."""

    def __init__(self, **values: Any) -> None:
        self.data: dict[tuple[str, str], Any] = {}
        for key, value in values.items():
            step_id, prompt_id = key.split("__")
            self.data[step_id.replace("_", "-"), prompt_id.replace("_", "-")] = value

    def get(self, step_id: str, prompt_id: str) -> Any:
        return self.data.get((step_id, prompt_id))

    def set(self, step_id: str, prompt_id: str, value: Any) -> None:
        self.data[step_id, prompt_id] = value


def workbook(steps: str) -> Workbook:
    header = 'format = 1\nid = "w"\ntitle = "W"\n\n[[sections]]\nid = "s"\ntitle = "S"\n'
    return load_workbook_text(header + textwrap.dedent(steps))


def ids(steps: list[Any]) -> list[str]:
    return [step.id for step in steps]


def person_readable(message: str) -> bool:
    return (
        bool(message)
        and message[0].isupper()
        and message.rstrip().endswith((".", ")"))
        and not any(word in message for word in ("None", "Error", "Traceback", "<class", "'list'", "'int'"))
    )


# Moving ----------------------------------------------------------------------------------


def test_next_refuses_while_a_required_answer_is_missing(starter: Workbook) -> None:
    walk = Walk(starter, Answers())
    assert walk.current.id == "welcome"
    problems = walk.go_next()
    assert [(p.step_id, p.prompt_id) for p in problems] == [("welcome", "name")]
    assert all(person_readable(p.message) for p in problems)
    assert "answer" in problems[0].message
    assert walk.current.id == "welcome"
    assert not walk.finished


def test_next_moves_once_answered_and_force_moves_regardless(starter: Workbook) -> None:
    answers = Answers()
    walk = Walk(starter, answers)
    assert walk.go_next(force=True) == []
    assert walk.current.id == "people"
    walk.go_back()
    answers.set("welcome", "name", "Circle")
    assert walk.go_next() == []
    assert walk.current.id == "people"


def test_next_refuses_a_broken_constraint_with_the_numbers(starter: Workbook) -> None:
    walk = Walk(starter, Answers(welcome__name="x" * 81))
    problems = walk.go_next()
    assert len(problems) == 1
    assert "80" in problems[0].message and "81" in problems[0].message
    assert person_readable(problems[0].message)
    assert walk.current.id == "welcome"


def test_problems_list_every_broken_prompt_on_the_step(starter: Workbook) -> None:
    answers = Answers(
        choose__rhythm="Weekly",
        choose__ways=["In person", "Video call", "Group chat"],
        choose__energy=9,
        people__names=["Ann"],
        choose__first="Nobody",
    )
    walk = Walk(starter, answers)
    assert walk.jump("choose")
    found = {p.prompt_id: p.message for p in walk.go_next()}
    assert set(found) == {"ways", "energy", "first"}
    assert "2" in found["ways"] and "3" in found["ways"]
    assert "1" in found["energy"] and "5" in found["energy"]
    assert all(person_readable(m) for m in found.values())
    assert walk.current.id == "choose"


def test_back_goes_to_the_previous_step_and_stops_at_the_first(starter: Workbook) -> None:
    walk = Walk(starter, Answers(welcome__name="n"))
    assert walk.go_back() is False
    assert walk.current.id == "welcome"
    walk.go_next()
    walk.go_next()
    assert walk.current.id == "choose"
    assert walk.go_back() is True
    assert walk.current.id == "people"
    assert walk.go_back() is True
    assert walk.go_back() is False
    assert walk.current.id == "welcome"


def test_jump_goes_to_visible_steps_and_refuses_hidden_or_unknown_ones(starter: Workbook) -> None:
    answers = Answers(choose__energy=3)
    walk = Walk(starter, answers)
    assert walk.jump("choose") is True
    assert walk.current.id == "choose"
    assert walk.jump("boost") is False  # hidden: energy is not 1
    assert walk.jump("no-such-step") is False
    assert walk.jump("") is False
    assert walk.current.id == "choose"
    answers.set("choose", "energy", 1)
    assert walk.jump("boost") is True
    assert walk.current.id == "boost"


def test_jump_does_not_need_the_current_step_to_be_finished(starter: Workbook) -> None:
    walk = Walk(starter, Answers())
    assert walk.jump("choose")
    assert walk.jump("welcome")
    assert walk.current.id == "welcome"


# Conditions ------------------------------------------------------------------------------

CONDITIONS = """
[[sections.steps]]
id = "a"
title = "A"
prompts = [
  { id = "pick", kind = "single_choice", label = "Pick", options = ["yes", "no"] },
  { id = "tags", kind = "multiple_choice", label = "Tags", options = ["x", "y", "z"] },
  { id = "name", kind = "short_text", label = "Name" },
  { id = "n", kind = "scale", label = "N" },
  { id = "items", kind = "list", label = "Items" },
]

[[sections.steps]]
id = "eq"
title = "Equals"
show_if = { answer = "a.pick", equals = "yes" }

[[sections.steps]]
id = "neq"
title = "Not equals"
show_if = { answer = "a.pick", not_equals = "yes" }

[[sections.steps]]
id = "inc"
title = "Includes"
show_if = { answer = "a.tags", includes = "y" }

[[sections.steps]]
id = "inc-list"
title = "Includes from a list"
show_if = { answer = "a.items", includes = "milk" }

[[sections.steps]]
id = "ans"
title = "Answered"
show_if = { answer = "a.name", answered = true }

[[sections.steps]]
id = "unans"
title = "Not answered"
show_if = { answer = "a.name", answered = false }

[[sections.steps]]
id = "low"
title = "Low"
show_if = { answer = "a.n", equals = 1 }

[[sections.steps]]
id = "end"
title = "End"
"""


@pytest.fixture
def conditions() -> Workbook:
    return workbook(CONDITIONS)


@pytest.mark.parametrize(
    ("values", "visible"),
    [
        ({}, ["a", "neq", "unans", "end"]),
        ({"a__pick": "yes"}, ["a", "eq", "unans", "end"]),
        ({"a__pick": "no"}, ["a", "neq", "unans", "end"]),
        ({"a__pick": "Yes"}, ["a", "neq", "unans", "end"]),  # exact match only
        ({"a__tags": ["x", "y"]}, ["a", "neq", "inc", "unans", "end"]),
        ({"a__tags": ["x", "z"]}, ["a", "neq", "unans", "end"]),
        ({"a__tags": "y"}, ["a", "neq", "unans", "end"]),  # hand-edited: text, not a list
        ({"a__items": ["eggs", "milk"]}, ["a", "neq", "inc-list", "unans", "end"]),
        ({"a__name": "Ada"}, ["a", "neq", "ans", "end"]),
        ({"a__name": "   "}, ["a", "neq", "unans", "end"]),  # blank is not an answer
        ({"a__n": 1}, ["a", "neq", "unans", "low", "end"]),
        ({"a__n": 2}, ["a", "neq", "unans", "end"]),
        ({"a__n": "1"}, ["a", "neq", "unans", "end"]),  # hand-edited: text, not a number
        (
            {"a__pick": "yes", "a__tags": ["y"], "a__name": "A", "a__n": 1, "a__items": ["milk"]},
            ["a", "eq", "inc", "inc-list", "ans", "low", "end"],
        ),
    ],
)
def test_show_if_hides_and_shows_steps(conditions: Workbook, values: dict[str, Any], visible: list[str]) -> None:
    walk = Walk(conditions, Answers(**values))
    assert ids(walk.visible_steps()) == visible
    for step in walk.steps:
        assert walk.is_visible(step) == (step.id in visible)


THRESHOLDS = """
[[sections.steps]]
id = "a"
title = "A"
prompts = [{ id = "n", kind = "scale", label = "N", min = 1, max = 5 }]

[[sections.steps]]
id = "high"
title = "High"
show_if = { answer = "a.n", at_least = 4 }

[[sections.steps]]
id = "low"
title = "Low"
show_if = { answer = "a.n", at_most = 2 }
"""


@pytest.mark.parametrize(
    ("value", "visible"),
    [
        (None, ["a"]),
        (1, ["a", "low"]),
        (2, ["a", "low"]),  # at_most includes its bound
        (3, ["a"]),
        (4, ["a", "high"]),  # at_least includes its bound
        (5, ["a", "high"]),
        ("5", ["a"]),  # hand-edited: text, not a number
        (True, ["a"]),  # a boolean is not a number here, though Python says True == 1
    ],
)
def test_at_least_and_at_most_compare_a_scale_with_its_bound(value: Any, visible: list[str]) -> None:
    walk = Walk(workbook(THRESHOLDS), Answers(a__n=value))
    assert ids(walk.visible_steps()) == visible


def test_next_and_back_skip_hidden_steps(conditions: Workbook) -> None:
    answers = Answers(a__pick="yes", a__name="Ada")
    walk = Walk(conditions, answers)
    forward = [walk.current.id]
    while not walk.finished:
        assert walk.go_next() == []
        if not walk.finished:
            forward.append(walk.current.id)
    assert forward == ["a", "eq", "ans", "end"]
    backward = [walk.current.id]
    walk.go_back()  # leaves the finished state, stays on the last step
    assert walk.current.id == "end"
    while walk.go_back():
        backward.append(walk.current.id)
    assert backward == ["end", "ans", "eq", "a"]


def test_visibility_follows_answers_as_they_change(conditions: Workbook) -> None:
    answers = Answers(a__pick="yes")
    walk = Walk(conditions, answers)
    walk.go_next()
    assert walk.current.id == "eq"
    answers.set("a", "pick", "no")
    walk.go_back()
    walk.go_next()
    assert walk.current.id == "neq"


# Interpolation ---------------------------------------------------------------------------


def test_text_shows_earlier_answers(starter: Workbook) -> None:
    walk = Walk(starter, Answers(welcome__name="Thursday circle", choose__energy=1))
    assert walk.text(walk.step("people").body) == (
        "You called it **Thursday circle**. Now think about who belongs there."
    )
    assert "You rated your energy 1 of 5." in walk.text(walk.step("boost").body)


def test_text_shows_an_ellipsis_for_missing_answers(starter: Workbook) -> None:
    walk = Walk(starter, Answers(welcome__name="   "))
    assert walk.text("Called {welcome.name}; story {welcome.story}.") == "Called …; story …."
    assert walk.text("{nope.nothing}") == "…"


def test_text_formats_lists_and_records(starter: Workbook) -> None:
    walk = Walk(
        starter,
        Answers(
            people__names=["Ann", "", "Bo"],
            people__contacts=[{"person": "Ann", "role": "Chef"}, {"person": "Bo", "role": " "}],
            choose__ways=["Video call"],
        ),
    )
    assert walk.text("{people.names}") == "Ann, Bo"
    assert walk.text("{people.contacts}") == "Ann – Chef, Bo"
    assert walk.text("[{choose.ways}]") == "[Video call]"


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{welcome.name}}", "{welcome.name}"),
        ("{{ literal }}", "{ literal }"),
        ("{{{welcome.name}}}", "{Ada}"),
        ("a }} b {{ c", "a } b { c"),
        ("{Welcome.name}", "{Welcome.name}"),  # not a reference: left as written
        ("{welcome}", "{welcome}"),
        ("{ welcome.name }", "{ welcome.name }"),
        ("{welcome.name.extra}", "{welcome.name.extra}"),
    ],
)
def test_doubled_braces_unescape_and_non_references_stay(starter: Workbook, template: str, expected: str) -> None:
    assert Walk(starter, Answers(welcome__name="Ada")).text(template) == expected


@pytest.mark.parametrize(
    "hostile",
    [
        "[bold]x[/bold] [/] [@click=app.quit]quit[/]",
        "\x1b[2J\x1b[31mred",
        "{welcome.story} {{not unescaped}} {0} {__class__}",
        "%s %(name)s $HOME ${HOME} `id`",
        "**bold** <script>alert(1)</script>",
        "שלום 李小龙 😀",
        "line one\nline two",
    ],
)
def test_interpolated_answers_are_returned_literally(starter: Workbook, hostile: str) -> None:
    walk = Walk(starter, Answers(welcome__name=hostile, welcome__story="SECRET"))
    assert walk.text("<{welcome.name}>") == f"<{hostile}>"
    assert "SECRET" not in walk.text("{welcome.name}")


def test_interpolation_with_an_answer_store(tmp_path: Path, starter: Workbook) -> None:
    with AnswerStore.open(tmp_path / "a.toml", starter) as store:
        store.set("welcome", "name", "[red]Circle[/red]")
        walk = Walk(starter, store)
        assert walk.text("It is {welcome.name}.") == "It is [red]Circle[/red]."
        assert walk.go_next() == []


# Options ---------------------------------------------------------------------------------

OPTIONS = """
[[sections.steps]]
id = "src"
title = "Sources"
prompts = [
  { id = "names", kind = "list", label = "Names" },
  { id = "tags", kind = "multiple_choice", label = "Tags", options = ["x", "y", "z"], allow_other = true },
  { id = "people", kind = "records", label = "People", fields = [
      { id = "person", label = "Person" }, { id = "role", label = "Role" } ] },
  { id = "fixed", kind = "ranking", label = "Fixed", options = ["a", "b", "c"] },
]

[[sections.steps]]
id = "use"
title = "Use"
prompts = [
  { id = "from-list", kind = "single_choice", label = "One", options_from = "src.names" },
  { id = "from-multi", kind = "multiple_choice", label = "Some", options_from = "src.tags" },
  { id = "from-records", kind = "ranking", label = "Rank", options_from = "src.people.person" },
  { id = "from-ranking", kind = "single_choice", label = "Top", options_from = "src.fixed" },
  { id = "text", kind = "short_text", label = "Text" },
]
"""


@pytest.fixture
def options_book() -> Workbook:
    return workbook(OPTIONS)


def _prompt(book: Workbook, step_id: str, prompt_id: str) -> Any:
    step = book.step(step_id)
    assert step is not None
    prompt = step.prompt(prompt_id)
    assert prompt is not None
    return prompt


def test_options_from_a_list_are_stripped_deduplicated_and_without_blanks(options_book: Workbook) -> None:
    walk = Walk(options_book, Answers(src__names=["Ann", " Bo ", "", "   ", "Ann", "Cy", "Bo"]))
    assert walk.options(_prompt(options_book, "use", "from-list")) == ["Ann", "Bo", "Cy"]


def test_options_from_a_multiple_choice_include_other_answers(options_book: Workbook) -> None:
    walk = Walk(options_book, Answers(src__tags=["z", "own idea", "x"]))
    assert walk.options(_prompt(options_book, "use", "from-multi")) == ["z", "own idea", "x"]


def test_options_from_a_records_field(options_book: Workbook) -> None:
    walk = Walk(
        options_book,
        Answers(
            src__people=[
                {"person": "Ann", "role": "Chef"},
                {"person": " ", "role": "Nobody"},
                {"role": "No person"},
                {"person": "Ann", "role": "Again"},
                {"person": "Bo"},
            ]
        ),
    )
    assert walk.options(_prompt(options_book, "use", "from-records")) == ["Ann", "Bo"]


def test_options_from_a_ranking_and_static_and_none(options_book: Workbook) -> None:
    walk = Walk(options_book, Answers(src__fixed=["c", "a", "b"]))
    assert walk.options(_prompt(options_book, "use", "from-ranking")) == ["c", "a", "b"]
    assert walk.options(_prompt(options_book, "src", "fixed")) == ["a", "b", "c"]
    assert walk.options(_prompt(options_book, "use", "text")) is None


def test_options_from_nothing_yet_are_empty(options_book: Workbook) -> None:
    walk = Walk(options_book, Answers())
    for prompt_id in ("from-list", "from-multi", "from-records", "from-ranking"):
        assert walk.options(_prompt(options_book, "use", prompt_id)) == []


@pytest.mark.parametrize(
    ("names", "people", "expected_list", "expected_records"),
    [
        ("Ann", "Ann", [], []),
        (
            ["Ann", 3, True, None, ["x"], {"a": "b"}],
            [{"person": 3}, {"person": "Bo"}, {"person": ["x"]}],
            ["Ann"],
            ["Bo"],
        ),
        (42, {"person": "Ann"}, [], []),
        (datetime.date(2024, 1, 1), [], [], []),
    ],
)
def test_options_from_wrongly_shaped_answers_do_not_raise(
    options_book: Workbook, names: Any, people: Any, expected_list: list[str], expected_records: list[str]
) -> None:
    walk = Walk(options_book, Answers(src__names=names, src__people=people))
    assert walk.options(_prompt(options_book, "use", "from-list")) == expected_list
    assert walk.options(_prompt(options_book, "use", "from-records")) == expected_records


def test_ranking_order_keeps_saved_order_appends_new_and_drops_removed(options_book: Workbook) -> None:
    answers = Answers(
        src__people=[{"person": "Ann"}, {"person": "Bo"}, {"person": "Cy"}],
        use__from_records=["Cy", "Ann"],
    )
    walk = Walk(options_book, answers)
    step = options_book.step("use")
    assert step is not None
    prompt = _prompt(options_book, "use", "from-records")
    assert walk.ranking_order(step, prompt) == ["Cy", "Ann", "Bo"]
    answers.set("src", "people", [{"person": "Bo"}, {"person": "Cy"}, {"person": "Dee"}])
    assert walk.ranking_order(step, prompt) == ["Cy", "Bo", "Dee"]
    answers.set("use", "from-records", "Cy")  # hand-edited: not a list
    assert walk.ranking_order(step, prompt) == ["Bo", "Cy", "Dee"]
    answers.set("use", "from-records", None)
    assert walk.ranking_order(step, prompt) == ["Bo", "Cy", "Dee"]


def test_ranking_order_never_repeats_an_option(options_book: Workbook) -> None:
    answers = Answers(src__fixed=["b", "b", "a", 7, {"x": "y"}, "a"])
    walk = Walk(options_book, answers)
    step = options_book.step("src")
    assert step is not None
    assert walk.ranking_order(step, _prompt(options_book, "src", "fixed")) == ["b", "a", "c"]


# Checks ----------------------------------------------------------------------------------


def make(cls: type, **fields: Any) -> Any:
    kind = {
        ShortText: "short_text",
        LongText: "long_text",
        SingleChoice: "single_choice",
        MultipleChoice: "multiple_choice",
        Scale: "scale",
        ListPrompt: "list",
        Records: "records",
        Ranking: "ranking",
        DotVote: "dot_vote",
    }[cls]
    return cls.model_validate({"id": "q", "label": "Q", "kind": kind, **fields})


def test_required_and_optional_unanswered() -> None:
    for blank in (None, "", "  \n", [], ["", " "], [{"person": " "}]):
        assert check_answer(make(ShortText, required=True), blank) == ["This one needs an answer before you go on."]
        assert check_answer(make(ShortText), blank) == []


@pytest.mark.parametrize("cls", [ShortText, LongText])
def test_max_length(cls: type) -> None:
    prompt = make(cls, max_length=5)
    assert check_answer(prompt, "12345") == []
    assert check_answer(prompt, "李小龙😀!") == []  # characters, not bytes
    [message] = check_answer(prompt, "123456")
    assert "5" in message and "6" in message and person_readable(message)
    [message] = check_answer(make(cls, max_length=1000), "x" * 100_000)
    assert "1,000" in message and "100,000" in message


def test_list_min_and_max_items_and_item_length() -> None:
    prompt = make(ListPrompt, min_items=2, max_items=3, item_label="Name", max_length=4)
    assert check_answer(prompt, ["a", "b"]) == []
    [few] = check_answer(prompt, ["a", "  ", ""])  # blanks do not count
    assert "at least 2 names" in few and "1" in few
    [many] = check_answer(prompt, ["a", "b", "c", "d"])
    assert "3 names" in many and "4" in many
    [long] = check_answer(prompt, ["a", "abcde"])
    assert "4" in long and "5" in long
    assert all(person_readable(m) for m in (few, many, long))


def test_multiple_choice_picks_and_membership() -> None:
    prompt = make(MultipleChoice, options=["a", "b", "c"], min_picks=1, max_picks=2)
    options = ["a", "b", "c"]
    assert check_answer(prompt, ["a"], options) == []
    [many] = check_answer(prompt, ["a", "b", "c"], options)
    assert "2" in many and "3" in many
    assert check_answer(prompt, ["d"], options) == ["Pick only from the options."]
    other = make(MultipleChoice, options=["a", "b"], allow_other=True, min_picks=2)
    assert check_answer(other, ["a", "my own"], ["a", "b"]) == []
    [few] = check_answer(other, ["a", " "], ["a", "b"])
    assert "at least 2" in few


def test_single_choice_membership() -> None:
    prompt = make(SingleChoice, options=["a", "b"])
    assert check_answer(prompt, "a", ["a", "b"]) == []
    assert check_answer(prompt, "c", ["a", "b"]) == ["Pick one of the options."]
    assert check_answer(prompt, "A", ["a", "b"]) == ["Pick one of the options."]
    assert check_answer(make(SingleChoice, options=["a"], allow_other=True), "c", ["a"]) == []
    # Options that came from an earlier answer that has since changed.
    assert check_answer(prompt, "gone", []) == ["Pick one of the options."]


@pytest.mark.parametrize(("value", "ok"), [(1, True), (5, True), (3, True), (0, False), (6, False), (-1, False)])
def test_scale_range(value: int, ok: bool) -> None:
    problems = check_answer(make(Scale, min=1, max=5), value)
    assert (problems == []) == ok
    if not ok:
        assert problems == ["Choose a number from 1 to 5."]


def test_scale_with_zero_as_an_answer() -> None:
    prompt = make(Scale, min=0, max=10, required=True)
    assert check_answer(prompt, 0) == []


def test_records_required_fields_counts_and_lengths() -> None:
    prompt = make(
        Records,
        min_items=1,
        max_items=2,
        fields=[
            {"id": "person", "label": "Person", "required": True},
            {"id": "role", "label": "Role", "max_length": 3},
        ],
    )
    assert check_answer(prompt, [{"person": "Ann", "role": "abc"}]) == []
    assert check_answer(prompt, [{"role": "abc"}]) == ["Entry 1 needs a person."]
    assert check_answer(prompt, [{"person": "Ann"}, {"person": "  ", "role": "x"}]) == ["Entry 2 needs a person."]
    # A record with every field blank does not count as an entry.
    assert check_answer(prompt, [{"person": "Ann"}, {"person": "", "role": " "}]) == []
    [long] = check_answer(prompt, [{"person": "Ann", "role": "abcd"}])
    assert long.startswith("Entry 1, role:") and "3" in long and "4" in long
    [many] = check_answer(prompt, [{"person": "A"}, {"person": "B"}, {"person": "C"}])
    assert "2 entries" in many and "3" in many


def test_ranking_must_hold_every_option() -> None:
    prompt = make(Ranking, options=["a", "b", "c"])
    assert check_answer(prompt, ["c", "a", "b"], ["a", "b", "c"]) == []
    assert check_answer(prompt, ["c", "a"], ["a", "b", "c"]) == ["Put every option in order."]
    assert check_answer(prompt, ["c", "a", "b", "a"], ["a", "b", "c"]) == ["Put every option in order."]


WRONG_SHAPES = [
    (make(ShortText), 5),
    (make(ShortText), ["a"]),
    (make(ShortText), {"a": "b"}),
    (make(ShortText), True),
    (make(ShortText, max_length=3), 12345),
    (make(LongText), datetime.datetime(2024, 1, 1, 12, 0)),
    (make(LongText, max_length=3), ["abcdef"]),
    (make(SingleChoice, options=["a"]), ["a"]),
    (make(SingleChoice, options=["a"]), 1),
    (make(MultipleChoice, options=["a"]), "a"),
    (make(MultipleChoice, options=["a"], max_picks=1), [1, 2]),
    (make(MultipleChoice, options=["a"]), [{"a": "b"}]),
    (make(Scale), "3"),
    (make(Scale), True),
    (make(Scale), 3.5),
    (make(Scale), [3]),
    (make(ListPrompt, max_length=2), "a long text"),
    (make(ListPrompt, min_items=1), [["a"]]),
    (make(ListPrompt), [1, "a"]),
    (make(Records, fields=[{"id": "person", "label": "Person", "required": True}]), ["Ann"]),
    (make(Records, fields=[{"id": "person", "label": "Person", "max_length": 2}]), [{"person": 12345}]),
    (make(Records, fields=[{"id": "person", "label": "Person"}]), {"person": "Ann"}),
    (make(Records, fields=[{"id": "person", "label": "Person"}]), [{"person": ["Ann"]}]),
    (make(Records, fields=[{"id": "person", "label": "Person"}]), "Ann"),
    (make(Ranking, options=["a"]), "a"),
    (make(Ranking, options=["a", "b"]), [1, "a"]),
]


@pytest.mark.parametrize(("prompt", "value"), WRONG_SHAPES, ids=[f"{p.kind}-{v!r}"[:40] for p, v in WRONG_SHAPES])
def test_wrongly_shaped_values_give_a_message_not_an_exception(prompt: Any, value: Any) -> None:
    options = getattr(prompt, "options", None)
    problems = check_answer(prompt, value, options)
    assert len(problems) == 1
    assert problems[0].startswith("The answer file holds something else here; expected ")
    assert isinstance(format_answer(value), str)


def test_a_walk_over_a_hand_edited_file_with_wrong_shapes_does_not_raise(tmp_path: Path, starter: Workbook) -> None:
    path = tmp_path / "a.toml"
    path.write_text(
        textwrap.dedent(
            """\
            [formative]
            workbook = "demo"

            [answers.welcome]
            name = 42
            story = ["not", "text"]

            [answers.people]
            names = "Ann"
            contacts = [{ person = 1 }, "stray"]

            [answers.choose]
            rhythm = 1979-05-27
            ways = { a = "b" }
            first = true
            order = "Ann"
            energy = "1"
            """
        ),
        encoding="utf-8",
    )
    with AnswerStore.open(path, starter) as store:
        walk = Walk(starter, store)
        for step in walk.visible_steps():
            for problem in walk.problems(step):
                assert person_readable(problem.message)
            walk.is_finished(step)
            walk.text(step.body)
            for prompt in step.answer_prompts:
                walk.options(prompt)
                if isinstance(prompt, Ranking):
                    assert walk.ranking_order(step, prompt) == []
        assert {p.prompt_id for p in walk.problems(walk.step("welcome"))} == {"name", "story"}
        assert walk.go_next() != []
        assert walk.current.id == "welcome"
        assert ids(walk.visible_steps()) == ["welcome", "people", "choose"]  # energy "1" is not 1
        progress = walk.progress()
        assert progress.answered == 0
        walk.resume()
        assert walk.current.id == "welcome"


# Progress --------------------------------------------------------------------------------


def test_progress_counts_only_visible_steps(starter: Workbook) -> None:
    answers = Answers(welcome__name="n", choose__energy=3)
    walk = Walk(starter, answers)
    progress = walk.progress()
    assert (progress.position, progress.visible, progress.answerable) == (1, 3, 3)
    assert progress.answered == 2  # welcome and choose; people is unanswered
    answers.set("choose", "energy", 1)  # shows boost
    walk.jump("choose")
    progress = walk.progress()
    assert (progress.position, progress.visible, progress.answerable) == (3, 4, 4)
    assert progress.answered == 2
    assert progress.fraction == pytest.approx(0.5)
    walk.jump("boost")
    assert walk.progress().position == 4


def test_progress_of_a_notes_only_workbook_is_complete() -> None:
    book = workbook(
        """
        [[sections.steps]]
        id = "intro"
        title = "Intro"
        prompts = [{ id = "n", kind = "note", text = "Read me." }]
        """
    )
    progress = Walk(book, Answers()).progress()
    assert (progress.visible, progress.answerable, progress.answered) == (1, 0, 0)
    assert progress.fraction == 1.0


# Resuming and finishing ------------------------------------------------------------------

RESUME = """
[[sections.steps]]
id = "intro"
title = "Intro"
prompts = [{ id = "n", kind = "note", text = "Hello." }]

[[sections.steps]]
id = "q1"
title = "Q1"
prompts = [{ id = "a", kind = "short_text", label = "A", required = true }]

[[sections.steps]]
id = "notes-2"
title = "Notes 2"
prompts = [{ id = "n", kind = "note", text = "Read." }]

[[sections.steps]]
id = "notes-3"
title = "Notes 3"

[[sections.steps]]
id = "q2"
title = "Q2"
prompts = [
  { id = "n", kind = "note", text = "A note beside a question." },
  { id = "b", kind = "short_text", label = "B" },
]

[[sections.steps]]
id = "q3"
title = "Q3"
show_if = { answer = "q1.a", not_equals = "skip" }
prompts = [{ id = "c", kind = "scale", label = "C" }]

[[sections.steps]]
id = "outro"
title = "Outro"
show_if = { answer = "q1.a", not_equals = "skip" }
"""


@pytest.fixture
def resume_book() -> Workbook:
    return workbook(RESUME)


def test_resume_starts_at_the_notes_before_the_first_question(resume_book: Workbook) -> None:
    walk = Walk(resume_book, Answers())
    assert walk.resume().id == "intro"
    assert walk.current.id == "intro"


def test_resume_backs_over_every_notes_only_step_before_the_unfinished_one(resume_book: Workbook) -> None:
    walk = Walk(resume_book, Answers(q1__a="done"))
    assert walk.resume().id == "notes-2"


def test_resume_goes_to_a_later_unfinished_step(resume_book: Workbook) -> None:
    walk = Walk(resume_book, Answers(q1__a="done", q2__b="done"))
    assert walk.resume().id == "q3"


def test_resume_skips_an_answered_step_with_a_problem_only_after_it_is_fixed(resume_book: Workbook) -> None:
    answers = Answers(q1__a="done", q2__b="done", q3__c=99)
    walk = Walk(resume_book, answers)
    assert walk.resume().id == "q3"  # out of range: not finished
    answers.set("q3", "c", 2)
    assert walk.resume().id == "outro"


def test_resume_when_all_done_goes_to_the_last_visible_step(resume_book: Workbook) -> None:
    walk = Walk(resume_book, Answers(q1__a="done", q2__b="done", q3__c=3))
    assert walk.resume().id == "outro"
    walk = Walk(resume_book, Answers(q1__a="skip", q2__b="done"))
    assert walk.resume().id == "q2"  # q3 and outro are hidden


def test_finishing_from_the_last_visible_step_and_back(resume_book: Workbook) -> None:
    answers = Answers(q1__a="skip", q2__b="done")
    walk = Walk(resume_book, answers)
    walk.jump("q2")
    assert not walk.finished
    assert walk.go_next() == []
    assert walk.finished is True
    assert walk.current.id == "q2"
    assert walk.go_back() is True
    assert walk.finished is False
    assert walk.current.id == "q2"
    assert walk.go_back() is True
    assert walk.current.id == "notes-3"


def test_finishing_is_refused_while_the_last_step_has_problems() -> None:
    book = workbook(
        """
        [[sections.steps]]
        id = "first"
        title = "First"

        [[sections.steps]]
        id = "only"
        title = "Only"
        prompts = [{ id = "c", kind = "scale", label = "C", required = true }]
        """
    )
    answers = Answers()
    walk = Walk(book, answers)
    walk.go_next()
    assert walk.current.id == "only"
    assert [p.prompt_id for p in walk.go_next()] == ["c"]
    assert not walk.finished
    answers.set("only", "c", 0)
    assert [p.prompt_id for p in walk.go_next()] == ["c"]
    assert not walk.finished
    assert walk.go_next(force=True) == []
    assert walk.finished and walk.current.id == "only"
    walk.go_back()
    answers.set("only", "c", 3)
    assert walk.go_next() == []
    assert walk.finished


def test_jump_clears_finished(resume_book: Workbook) -> None:
    walk = Walk(resume_book, Answers(q1__a="done", q2__b="x", q3__c=1))
    walk.jump("outro")
    walk.go_next()
    assert walk.finished
    assert walk.jump("intro")
    assert not walk.finished
    assert walk.current.id == "intro"


# Found by `make mutate`: behaviour no test pinned down -------------------------------------


def test_answer_items_are_distinct_stripped_text_from_text_lists_and_records() -> None:
    values = ["  Supper club ", ["walks", " ", "Supper club", "walks"], [{"name": "Ada", "why": "x"}, {}], 5, None]
    assert answer_items(values) == ["Supper club", "walks", "Ada"]
    assert answer_items(["one text"]) == ["one text"], "a text answer is one item, not its letters"


def test_options_from_a_records_field_skip_hand_edited_entries_that_are_not_records() -> None:
    wb = workbook(
        """
        [[sections.steps]]
        id = "people"
        title = "People"
        prompts = [{ id = "who", kind = "records", label = "Who", fields = [{ id = "name", label = "Name" }] }]

        [[sections.steps]]
        id = "pick"
        title = "Pick"
        prompts = [{ id = "one", kind = "single_choice", label = "One", options_from = "people.who.name" }]
        """
    )
    walk = Walk(wb, Answers(people__who=[{"name": " Ada "}, "Bo", {"name": ""}, {"other": "x"}]))
    step = wb.steps[1]
    assert walk.options(step.prompts[0]) == ["Ada", "Bo"]


def test_progress_counts_from_one_even_on_a_step_that_just_became_hidden(conditions: Workbook) -> None:
    answers = Answers(a__pick="yes")
    walk = Walk(conditions, answers)
    assert walk.jump("eq") and walk.progress().position == 2
    answers.set("a", "pick", "no")  # "eq" is hidden now, but the person is still on it
    assert walk.progress().position == 1


def test_a_wrong_shape_names_the_shape_expected() -> None:
    held = "The answer file holds something else here; expected"
    assert check_answer(make(ShortText), 5) == [f"{held} text."]
    assert check_answer(make(Scale, min=1, max=5), "3") == [f"{held} a whole number."]
    assert check_answer(make(Records, fields=[{"id": "n", "label": "N"}]), ["x"]) == [f"{held} a list of records."]
    assert check_answer(make(ListPrompt), "x") == [f"{held} a list of text."]


def test_answer_lines_show_text_items_and_records_as_lines() -> None:
    assert answer_lines("  first\n  second  \n") == ["first", "  second"]
    assert answer_lines(["a", " ", "b "]) == ["• a", "• b"]
    assert answer_lines([{"name": " Ada ", "role": "", "why": "x"}]) == ["• Ada – x"]
    assert answer_lines(None) == [] and answer_lines("  ") == []


def test_an_answer_in_workbook_markdown_is_escaped_to_show_as_typed() -> None:
    from formative.workbook.text import escape_markdown

    assert escape_markdown("**not bold** [link](x) #1 a_b <b>") == (r"\*\*not bold\*\* \[link\]\(x\) \#1 a\_b \<b\>")
    assert escape_markdown("plain words") == "plain words"


PAGE = """
[[sections.steps]]
id = "intro"
title = "Intro"
prompts = [{ id = "n", kind = "note", text = "Read me." }]
"""
QUESTION = """
[[sections.steps]]
id = "ask"
title = "Ask"
prompts = [{ id = "name", kind = "short_text", label = "Name" }]
"""


def test_steps_summary_names_both_counts_a_newcomer_meets(starter: Workbook) -> None:
    """The header's 'of N' (every step shown, a page to read too) and the steps that ask something
    (the N of 'n of N steps answered')."""
    # welcome, people and choose ask something; boost is hidden until energy is 1: neither count has it.
    assert steps_summary(starter) == "3 steps"
    assert steps_summary(workbook(PAGE + QUESTION)) == "2 steps, 1 to answer"
    assert steps_summary(workbook(PAGE)) == "1 step, 0 to answer"


def test_text_escapes_the_answers_it_fills_in_and_only_them(starter: Workbook) -> None:
    from formative.workbook.text import escape_markdown

    walk = Walk(starter, Answers(welcome__name="**Supper** club"))
    assert walk.text("*Hello*, {welcome.name}!", escape_markdown) == r"*Hello*, \*\*Supper\*\* club!"
    assert walk.text("*Hello*, {welcome.name}!") == "*Hello*, **Supper** club!"


def test_counts_are_said_with_their_noun() -> None:
    picks = make(MultipleChoice, options=["a", "b", "c"], max_picks=2)
    assert check_answer(picks, ["a", "b", "c"]) == ["Keep it to 2 picks at most (you have 3)."]
    ideas = make(ListPrompt, max_items=1, item_label="Ideas")  # already plural: no second s
    assert check_answer(ideas, ["a", "b"]) == ["Keep it to 1 ideas at most (you have 2)."]
    entries = make(Records, min_items=2, fields=[{"id": "person", "label": "Person"}])
    assert check_answer(entries, [{"person": "Ann"}]) == ["Add at least 2 entries (you have 1)."]


def test_each_list_item_is_held_to_the_fewest_words() -> None:
    prompt = make(ListPrompt, item_label="Name", min_words=2)
    assert check_answer(prompt, ["Ann Lee", "Bo Ma"]) == []
    [problem] = check_answer(prompt, ["Ann Lee", "Bo"])
    assert problem.startswith("Name 2: "), problem


def test_dot_votes_count_their_votes_per_person_and_per_option() -> None:
    prompt = make(DotVote, options_from="ideas.list", votes=3, max_per_option=2)
    options = ["x", "y"]
    assert check_answer(prompt, ["x", "x", "y"], options) == []
    assert check_answer(prompt, ["x", "x", "y", "y"], options) == ["You have 3 votes; you gave 4."]
    assert check_answer(prompt, ["x", "x", "x"], options) == ["Give one option at most 2 votes."]
    assert check_answer(prompt, ["x", "z"], options) == ["Vote only for the answers shown."]
    assert check_answer(prompt, ["z"]) == []  # no options known: nothing to hold the vote to
    unlimited = make(DotVote, options_from="ideas.list", votes=3)
    assert check_answer(unlimited, ["x", "x", "x"], options) == []
