"""Repeated blocks: one step or section written once, walked as ordinary copies (issue 13)."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest

from formative.walk import Walk
from formative.workbook import WorkbookError, load_workbook_text
from formative.workbook.model import Ranking
from formative.workbook.repeat import MAX_COPIED, expand

HEAD = """\
format = 1
id = "lives"
title = "Lives"

[[sections]]
id = "intro"
title = "Before"

[[sections.steps]]
id = "name"
title = "Your name"

[[sections.steps.prompts]]
id = "who"
kind = "short_text"
label = "Your name"
"""

STEP_BLOCK = (
    HEAD
    + """
[[sections]]
id = "plans"
title = "Three plans"

[[sections.steps]]
id = "plan"
title = "Plan {n}"
body = "Plan {n} of three, {name.who}. Write {{n}} for a literal brace."
repeat = 3

[[sections.steps.prompts]]
id = "title"
kind = "short_text"
label = "A title for plan {n}"
max_words = 6

[[sections.steps]]
id = "rank"
title = "Rank them"

[[sections.steps.prompts]]
id = "order"
kind = "ranking"
label = "Which plan first?"
options_from = ["plan-1.title", "plan-2.title", "plan-3.title"]

[canvas]
title = "Plans"

[[canvas.cells]]
title = "Plan two"
answers = ["plan-2.title"]
"""
)

SECTION_BLOCK = (
    HEAD
    + """
[[sections]]
id = "life"
title = "Life {n}"
intro = "Imagine it."
repeat = [
  { suffix = "now", title = "Life one: the path you're on", intro = "Keep going as you are." },
  { suffix = "plan-b", title = "Life two: if that path vanished" },
  { title = "Life three: if money were no object" },
]

[[sections.steps]]
id = "sketch"
title = "Sketch life {n}"

[[sections.steps.prompts]]
id = "headline"
kind = "short_text"
label = "A six-word title"

[[sections.steps.prompts]]
id = "ideas"
kind = "list"
label = "What you'd do"

[[sections.steps]]
id = "gauge"
title = "Gauge “{sketch.headline}”"
show_if = { answer = "sketch.headline", answered = true }

[[sections.steps.prompts]]
id = "favourite"
kind = "single_choice"
label = "Which part of “{sketch.headline}” pulls you most?"
options_from = "sketch.ideas"
"""
)


class Answers(dict[tuple[str, str], Any]):
    def get(self, step_id: str, prompt_id: str) -> Any:  # type: ignore[override]
        return super().get((step_id, prompt_id))


def problems_of(text: str) -> list[str]:
    with pytest.raises(WorkbookError) as caught:
        load_workbook_text(text, "wb.toml")
    return [str(p) for p in caught.value.problems]


def test_a_repeated_step_becomes_numbered_plain_steps() -> None:
    workbook = load_workbook_text(STEP_BLOCK)
    assert [s.id for s in workbook.steps] == ["name", "plan-1", "plan-2", "plan-3", "rank"]
    plans = workbook.steps[1:4]
    assert [s.title for s in plans] == ["Plan 1", "Plan 2", "Plan 3"]
    assert plans[1].body == "Plan 2 of three, {name.who}. Write {{n}} for a literal brace."
    assert [p.label for s in plans for p in s.prompts] == [
        "A title for plan 1",
        "A title for plan 2",
        "A title for plan 3",
    ]
    assert all(s.repeat is None for s in workbook.steps)


def test_the_walk_and_a_ranking_see_the_copies_as_steps() -> None:
    workbook = load_workbook_text(STEP_BLOCK)
    answers = Answers({("intro", "who"): "Ada", ("plan-1", "title"): "Potter", ("plan-3", "title"): "Baker"})
    walk = Walk(workbook, answers)
    rank = workbook.steps[-1].prompts[0]
    assert isinstance(rank, Ranking)
    assert walk.options(rank) == ["Potter", "Baker"]
    assert walk.text(workbook.steps[2].body).startswith("Plan 2 of three, …. Write {n}")
    walk.go_next()
    assert walk.current.id == "plan-1"
    assert walk.go_next() == []
    assert walk.current.id == "plan-2"


def test_a_repeated_section_copies_its_steps_and_keeps_references_inside_the_copy() -> None:
    workbook = load_workbook_text(SECTION_BLOCK)
    sections = workbook.sections[1:]
    assert [s.id for s in sections] == ["life-now", "life-plan-b", "life-3"]
    assert [s.title for s in sections] == [
        "Life one: the path you're on",
        "Life two: if that path vanished",
        "Life three: if money were no object",
    ]
    assert sections[0].intro == "Keep going as you are.\n\nImagine it."
    assert sections[1].intro == "Imagine it."
    assert [st.id for st in sections[2].steps] == ["sketch-3", "gauge-3"]
    assert sections[2].steps[0].title == "Sketch life 3"
    gauge = sections[1].steps[1]
    assert gauge.title == "Gauge “{sketch-plan-b.headline}”"
    assert gauge.show_if is not None and gauge.show_if.answer == "sketch-plan-b.headline"
    assert gauge.prompts[0].options_from == "sketch-plan-b.ideas"  # type: ignore[union-attr]
    assert gauge.prompts[0].label == "Which part of “{sketch-plan-b.headline}” pulls you most?"  # type: ignore[union-attr]


def test_inside_a_copy_its_own_answers_are_shown() -> None:
    workbook = load_workbook_text(SECTION_BLOCK)
    answers = Answers({("sketch-now", "headline"): "Same road", ("sketch-plan-b", "ideas"): ["Sail", "Teach"]})
    walk = Walk(workbook, answers)
    gauges = [walk.step(f"gauge-{suffix}") for suffix in ("now", "plan-b", "3")]
    assert [walk.is_visible(g) for g in gauges] == [True, False, False]
    assert walk.text(gauges[0].title) == "Gauge “Same road”"
    assert walk.options(gauges[1].answer_prompts[0]) == ["Sail", "Teach"]
    assert walk.options(gauges[0].answer_prompts[0]) == []


def test_a_workbook_without_repeats_is_not_copied() -> None:
    data: dict[str, Any] = {"sections": [{"id": "a", "steps": [{"id": "b"}]}]}
    assert expand(data).data is data


def test_a_reference_to_the_block_itself_names_the_copies() -> None:
    text = STEP_BLOCK.replace('answers = ["plan-2.title"]', 'answers = ["plan.title"]')
    [problem] = problems_of(text)
    assert "canvas.cells[0].answers[0]: 'plan.title' names step 'plan'" in problem
    assert "('plan' is repeated: name one of its copies, plan-1, plan-2, plan-3)" in problem


def test_an_error_in_every_copy_is_told_once_at_the_blocks_own_line() -> None:
    text = STEP_BLOCK.replace("max_words = 6", "max_word = 6")
    [problem] = problems_of(text)
    assert problem == (
        "wb.toml:32:1: sections[1].steps[0].prompts[0].max_word: unknown key 'max_word'; did you mean 'max_words'?"
    )


def test_an_error_in_some_copies_names_them() -> None:
    text = SECTION_BLOCK.replace('{ suffix = "plan-b", title = "Life two: if that path vanished" }', '{ suffix = "b" }')
    text = text.replace('title = "Sketch life {n}"', 'title = "Sketch life {n}"\nbody = "{gauge-b.favourite}"')
    # gauge-b comes after sketch-now and sketch-b, but before sketch-3.
    assert problems_of(text) == [
        "wb.toml:31:1: sections[1].steps[0].body: 'gauge-b.favourite' names step 'gauge-b', "
        "which is not an earlier step (in copies sketch-now, sketch-b)"
    ]


def test_a_problem_in_one_copys_own_title_points_at_that_title() -> None:
    text = SECTION_BLOCK.replace(
        '{ title = "Life three: if money were no object" }', '{ title = "Life {sketch.headline}" }'
    )
    [problem] = problems_of(text)
    assert problem.startswith("wb.toml:25:5: sections[1].repeat[2].title: 'sketch-3.headline' names step"), problem
    assert problem.endswith("(in copy life-3)")


def test_a_bad_copy_table_is_located_in_the_repeat() -> None:
    text = SECTION_BLOCK.replace('{ title = "Life three: if money were no object" }', '{ title = "" }')
    [problem] = problems_of(text)
    assert problem.startswith("wb.toml:25:5: sections[1].repeat[2].title: String should have at least 1 character")


@pytest.mark.parametrize(
    ("repeat", "expected"),
    [
        ("repeat = 0", "wb.toml:26:1: sections[1].steps[0].repeat: Input should be greater than or equal to 1"),
        ("repeat = 21", "wb.toml:26:1: sections[1].steps[0].repeat: Input should be less than or equal to 20"),
        ('repeat = "three"', "wb.toml:26:1: sections[1].steps[0].repeat: expected a whole number or a list"),
        ("repeat = true", "wb.toml:26:1: sections[1].steps[0].repeat: expected a whole number or a list"),
        ("repeat = [1]", "sections[1].steps[0].repeat[0]: Input should be a valid dictionary"),
        ('repeat = [{ sufix = "a" }]', "did you mean 'suffix'?"),
        (
            'repeat = [{ suffix = "a" }, { suffix = "a" }]',
            "sections[1].steps[0].repeat[1].suffix: two copies have the suffix 'a'",
        ),
        ('repeat = [{ suffix = "2" }, {}]', "sections[1].steps[0].repeat[1]: two copies have the suffix '2'"),
        ('repeat = [{ suffix = "A" }]', "ids use lower-case letters"),
    ],
)
def test_the_repeat_itself_is_checked(repeat: str, expected: str) -> None:
    problems = problems_of(STEP_BLOCK.replace("repeat = 3", repeat))
    assert any(expected in p for p in problems), problems


def test_copies_need_titles_of_their_own() -> None:
    [problem] = problems_of(STEP_BLOCK.replace('title = "Plan {n}"', 'title = "A plan"'))
    assert problem.startswith("wb.toml:24:1: sections[1].steps[0].title: the copies would share the title 'A plan'")
    assert "write {n} in the title" in problem


def test_a_step_in_a_repeated_section_cannot_repeat_too() -> None:
    text = SECTION_BLOCK.replace('title = "Sketch life {n}"', 'title = "Sketch life {n}"\nrepeat = 2')
    [problem] = problems_of(text)
    assert problem.startswith("wb.toml:31:1: sections[1].steps[0].repeat: a step in a repeated section cannot repeat")


def test_copied_ids_longer_than_ids_may_be_are_refused_at_the_block() -> None:
    long_id = "p" * 63
    problems = problems_of(STEP_BLOCK.replace('id = "plan"', f'id = "{long_id}"'))
    assert any(p.startswith("wb.toml:23:1: sections[1].steps[0].id: String should have at most 64") for p in problems)


def test_copies_and_plain_steps_share_one_id_space() -> None:
    text = STEP_BLOCK.replace('id = "rank"', 'id = "plan-2"')
    assert any("step id used twice: plan-2" in p for p in problems_of(text))


def test_repeats_cannot_blow_a_small_file_up_into_a_huge_workbook() -> None:
    steps = "".join(
        f'\n[[sections.steps]]\nid = "s{n}"\ntitle = "S{n}"\n'
        f'\n[[sections.steps.prompts]]\nid = "p"\nkind = "short_text"\nlabel = "Q"\n'
        for n in range(150)
    )
    text = HEAD + '\n[[sections]]\nid = "big"\ntitle = "Big {n}"\nrepeat = 20\n' + steps
    [problem] = problems_of(text)
    assert problem.startswith("wb.toml:21:1: sections[1].repeat: repeated blocks would add more than 5,000 steps")
    assert len(load_workbook_text(text.replace("repeat = 20", "repeat = 10")).steps) == 1 + 150 * 10


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('title = "Lives"\n', 'title = "Lives"\nauthors = ["Ann", 5]\n', "wb.toml:4:19: authors[1]: "),
        ('title = "Your name"', 'title = ""', "wb.toml:11:1: sections[0].steps[0].title: "),
        ('title = "Rank them"', 'title = ""', "wb.toml:36:1: sections[1].steps[1].title: "),
    ],
)
def test_problems_beside_a_repeated_block_keep_their_own_place_in_the_file(old: str, new: str, expected: str) -> None:
    """The copies shift the steps after them in the expanded workbook, never in what a problem names."""
    [problem] = problems_of(STEP_BLOCK.replace(old, new, 1))
    assert problem.startswith(expected), problem
    assert "copy" not in problem and "copies" not in problem


def test_a_copys_intro_written_on_several_lines_sits_one_blank_line_above_the_blocks_own() -> None:
    text = SECTION_BLOCK.replace('intro = "Keep going as you are."', 'intro = """\nKeep going as you are.\n"""')
    assert load_workbook_text(text).sections[1].intro == "Keep going as you are.\n\nImagine it."
    alone = load_workbook_text(text.replace('intro = "Imagine it."', 'intro = "  "'))
    assert alone.sections[1].intro == "Keep going as you are.\n", "the copy's intro alone, as written"


def test_a_blocks_intro_that_is_not_text_is_refused_once_even_where_a_copy_adds_its_own() -> None:
    """The copy 'now' puts its own intro above the block's: a number there is still an error, not text."""
    assert problems_of(SECTION_BLOCK.replace('intro = "Imagine it."', "intro = 5")) == [
        "wb.toml:21:1: sections[1].intro: Input should be a valid string"
    ]


def test_mistakes_in_two_fields_that_take_either_of_two_types_are_both_told() -> None:
    """repeat (a number or a list) and options_from (a reference or a list): each says its own mistake."""
    text = STEP_BLOCK.replace("repeat = 3", "repeat = 0").replace(
        'options_from = ["plan-1.title", "plan-2.title", "plan-3.title"]', "options_from = []"
    )
    assert problems_of(text) == [
        "wb.toml:26:1: sections[1].steps[0].repeat: Input should be greater than or equal to 1",
        "wb.toml:42:1: sections[1].steps[1].prompts[0].options_from: List should have at least 1 item after "
        "validation, not 0",
    ]


def test_a_path_the_expansion_did_not_make_comes_back_as_it_is() -> None:
    expansion = expand(tomllib.loads(STEP_BLOCK))
    for path in [("canvas", "title"), ("sections",), ("sections", 2), ("sections", 1, "steps", 4, "title")]:
        assert expansion.source(path) == (path, None, ""), path


def test_a_problem_with_a_whole_copy_is_traced_to_its_block() -> None:
    """A copy itself (not one of its fields) maps back to the block, and later ones shift back."""
    sections = expand(tomllib.loads(SECTION_BLOCK))
    assert sections.source(("sections", 2)) == (("sections", 1), ("sections", 1), "life-plan-b")
    steps = expand(tomllib.loads(STEP_BLOCK))
    assert steps.source(("sections", 1, "steps", 2)) == (
        ("sections", 1, "steps", 0),
        ("sections", 1, "steps", 0),
        "plan-3",
    )
    assert steps.source(("sections", 1, "steps", 3)) == (("sections", 1, "steps", 1), None, "")


def test_a_list_of_references_in_a_repeated_section_names_the_copys_steps() -> None:
    text = SECTION_BLOCK.replace('options_from = "sketch.ideas"', 'options_from = ["sketch.ideas", "name.who"]')
    workbook = load_workbook_text(text)
    favourite = workbook.sections[2].steps[1].prompts[0]
    assert favourite.options_from == ["sketch-plan-b.ideas", "name.who"]  # type: ignore[union-attr]


def test_a_reference_out_of_a_repeated_section_is_left_as_it_is() -> None:
    text = SECTION_BLOCK.replace('answer = "sketch.headline"', 'answer = "name.who"')
    gauge = load_workbook_text(text).sections[1].steps[1]
    assert gauge.show_if is not None and gauge.show_if.answer == "name.who"


def test_a_repeated_block_without_a_title_is_told_so_at_the_block() -> None:
    text = STEP_BLOCK.replace('title = "Plan {n}"\n', "")
    assert problems_of(text) == ["wb.toml:22:1: sections[1].steps[0].title: required key is missing"]


def test_copies_whose_own_titles_are_the_same_are_told_at_the_second_title() -> None:
    text = STEP_BLOCK.replace("repeat = 3", 'repeat = [{ title = "A plan" }, { title = "A plan" }]')
    [problem] = problems_of(text)
    assert problem.startswith("wb.toml:26:35: sections[1].steps[0].repeat[1].title: the copies would share"), problem
    assert problem.endswith(
        "write {n} in the title for each copy's number, or give each copy its own title in 'repeat'"
    )


def test_a_repeated_section_whose_copies_share_a_title_is_told_at_its_title() -> None:
    text = SECTION_BLOCK.replace('{ suffix = "plan-b", title = "Life two: if that path vanished" }', '{ suffix = "b" }')
    text = text.replace('{ title = "Life three: if money were no object" }', "{}").replace("Life {n}", "Life")
    [problem] = problems_of(text)
    assert problem.startswith("wb.toml:20:1: sections[1].title: the copies would share the title 'Life'"), problem


def test_a_copys_own_title_and_intro_are_numbered_and_name_the_copys_steps() -> None:
    text = SECTION_BLOCK.replace(
        '{ title = "Life three: if money were no object" }',
        '{ title = "Life {n}, {sketch.headline}", intro = "Life {n}: {sketch.headline}" }',
    )
    life = expand(tomllib.loads(text)).data["sections"][3]
    assert life["title"] == "Life 3, {sketch-3.headline}"
    assert life["intro"] == "Life 3: {sketch-3.headline}\n\nImagine it."


def test_a_repeated_steps_copy_intro_sits_above_its_body() -> None:
    text = STEP_BLOCK.replace("repeat = 3", 'repeat = [{ intro = "First {n}." }, {}, {}]')
    plans = load_workbook_text(text).steps[1:3]
    assert plans[0].body == "First 1.\n\nPlan 1 of three, {name.who}. Write {{n}} for a literal brace."
    assert plans[1].body == "Plan 2 of three, {name.who}. Write {{n}} for a literal brace."


def test_a_problem_in_some_copies_of_a_repeated_step_names_them() -> None:
    text = STEP_BLOCK.replace('body = "Plan {n} of three', 'body = "After {plan-2.title}: plan {n} of three')
    assert problems_of(text) == [
        "wb.toml:25:1: sections[1].steps[0].body: 'plan-2.title' names step 'plan-2', "
        "which is not an earlier step (in copies plan-1, plan-2)"
    ]


def test_a_problem_in_one_copys_own_title_of_a_repeated_step_points_at_that_title() -> None:
    text = STEP_BLOCK.replace("repeat = 3", 'repeat = [{ title = "One" }, { title = "Two {rank.order}" }, {}]')
    [problem] = problems_of(text)
    assert problem.startswith("wb.toml:26:32: sections[1].steps[0].repeat[1].title: 'rank.order' names step"), problem
    assert problem.endswith("(in copy plan-2)"), problem


def test_a_step_that_is_not_a_table_in_a_repeated_section_is_told_not_crashed_on() -> None:
    text = HEAD + '\n[[sections]]\nid = "life"\ntitle = "Life {n}"\nrepeat = 2\nsteps = [1]\n'
    assert problems_of(text) == [
        "wb.toml:22:10: sections[1].steps[0]: Input should be a valid dictionary or instance of Step"
    ]


def test_a_repeated_section_without_steps_is_told_so() -> None:
    text = HEAD + '\n[[sections]]\nid = "life"\ntitle = "Life {n}"\nrepeat = 2\n'
    assert problems_of(text) == ["wb.toml:18:1: sections[1].steps: required key is missing"]


def test_a_section_without_steps_beside_a_repeated_one_is_told_its_steps_are_missing() -> None:
    text = STEP_BLOCK.replace("[canvas]", '[[sections]]\nid = "empty"\ntitle = "Nothing"\n\n[canvas]')
    assert problems_of(text) == ["wb.toml:44:1: sections[2].steps: required key is missing"]


def _big_section(section_id: str, steps: int, repeat: int, more_prompts: int = 0) -> dict[str, Any]:
    """A repeated section of `steps` steps of one prompt each, the first with `more_prompts` more."""
    made = [
        {"id": f"s{n}", "prompts": [{"id": f"p{p}"} for p in range(1 + (more_prompts if n == 0 else 0))]}
        for n in range(steps)
    ]
    return {"id": section_id, "title": "Big {n}", "repeat": repeat, "steps": made}


def test_repeats_may_add_exactly_the_most_steps_and_prompts_but_not_one_more() -> None:
    # 250 steps and 250 prompts, copied 10 more times: 5,000 added.
    assert MAX_COPIED == 5_000
    at_most = expand({"sections": [_big_section("big", 250, 11)]})
    assert at_most.problems == [] and len(at_most.data["sections"]) == 11
    one_more = expand({"sections": [_big_section("big", 250, 11, more_prompts=1)]})
    assert [path for path, _ in one_more.problems] == [("sections", 0, "repeat")]


def test_the_most_steps_and_prompts_counts_every_repeated_block_together() -> None:
    blocks = [_big_section("a", 150, 10), _big_section("b", 150, 10)]  # 2,700 each
    expansion = expand({"sections": blocks})
    assert [path for path, _ in expansion.problems] == [("sections", 1, "repeat")]
    [(_, message)] = expansion.problems
    assert message == (
        "repeated blocks would add more than 5,000 steps and prompts to the workbook; "
        "repeat fewer times, or split the workbook"
    )


def test_a_block_over_the_most_is_left_as_written_not_copied() -> None:
    block = _big_section("big", 300, 20)
    assert expand({"sections": [block]}).data["sections"] == [block]
    step = {"id": "big", "title": "Big {n}", "repeat": 20, "prompts": [{"id": f"p{n}"} for n in range(300)]}
    expansion = expand({"sections": [{"id": "s", "steps": [step]}]})
    assert expansion.data["sections"][0]["steps"] == [step]
    assert [path for path, _ in expansion.problems] == [("sections", 0, "steps", 0, "repeat")]


def test_a_reference_to_one_field_of_records_in_a_repeated_section_names_the_copys_step() -> None:
    pick = {"id": "pick", "prompts": [{"id": "who", "options_from": "people.list.name"}]}
    section = {"id": "team", "title": "Team {n}", "repeat": 2, "steps": [{"id": "people"}, pick]}
    copies = expand({"sections": [section]}).data["sections"]
    assert [c["steps"][1]["prompts"][0]["options_from"] for c in copies] == ["people-1.list.name", "people-2.list.name"]


def test_a_copy_with_the_same_problem_twice_is_named_once() -> None:
    text = SECTION_BLOCK.replace('{ suffix = "plan-b", title = "Life two: if that path vanished" }', '{ suffix = "b" }')
    text = text.replace(
        'title = "Sketch life {n}"', 'title = "Sketch life {n}"\nbody = "{gauge-b.favourite} or {gauge-b.favourite}"'
    )
    assert problems_of(text) == [
        "wb.toml:31:1: sections[1].steps[0].body: 'gauge-b.favourite' names step 'gauge-b', "
        "which is not an earlier step (in copies sketch-now, sketch-b)"
    ]
