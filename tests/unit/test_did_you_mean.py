"""Unknown keys say which key was meant, against the keys allowed at that very place (issue 13)."""

from __future__ import annotations

import pytest

from formative.workbook import WorkbookError, load_workbook_text
from formative.workbook.model import PROMPT_KINDS

PROMPT = """\
format = 1
id = "demo"
title = "Demo"

[[sections]]
id = "one"
title = "One"

[[sections.steps]]
id = "first"
title = "First"

[[sections.steps.prompts]]
id = "name"
kind = "KIND"
label = "Name"
EXTRA
"""


def problems_of(text: str) -> list[str]:
    with pytest.raises(WorkbookError) as caught:
        load_workbook_text(text, "wb.toml")
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("kind", "extra", "expected"),
    [
        ("short_text", 'hepl = "x"', "unknown key 'hepl'; did you mean 'help'?"),
        ("short_text", "max_lenght = 5", "unknown key 'max_lenght'; did you mean 'max_length'?"),
        ("short_text", "requred = true", "unknown key 'requred'; did you mean 'required'?"),
        ("long_text", "max_word = 5", "unknown key 'max_word'; did you mean 'max_words'?"),
        ("list", "max_item = 5", "unknown key 'max_item'; did you mean 'max_items'?"),
        ("scale", "min_lable = 'low'", "unknown key 'min_lable'; did you mean 'min_label'?"),
        (
            "short_text",
            'options = ["a"]',
            "unknown key 'options': a short_text prompt has no 'options' "
            "(it is a key of single_choice, multiple_choice, ranking)",
        ),
    ],
)
def test_a_prompts_unknown_key_is_matched_against_its_own_kind(kind: str, extra: str, expected: str) -> None:
    text = PROMPT.replace("KIND", kind).replace("EXTRA", extra)
    [problem] = problems_of(text.replace('title = "Demo"', 'title = "Demo"'))
    assert problem.startswith("wb.toml:17:1: sections[0].steps[0].prompts[0]."), problem
    assert problem.endswith(expected), problem


@pytest.mark.parametrize(("typo", "meant"), [("timbox = 5", "timebox"), ('tile = "x"', "title")])
def test_a_step_key_is_matched_against_step_keys(typo: str, meant: str) -> None:
    text = PROMPT.replace("KIND", "short_text").replace("EXTRA", "").replace('id = "first"', f'id = "first"\n{typo}')
    [problem] = problems_of(text)
    key = typo.split()[0]
    assert problem.startswith(f"wb.toml:11:1: sections[0].steps[0].{key}: unknown key '{key}'; did you mean '{meant}'?")


def test_a_workbook_key_below_the_first_section_says_where_it_belongs() -> None:
    text = (
        PROMPT.replace("KIND", "short_text")
        .replace("EXTRA", "")
        .replace('title = "One"', 'title = "One"\nminutes = 20')
    )
    [problem] = problems_of(text)
    assert "sections[0].minutes: unknown key 'minutes'" in problem
    assert "belongs at the top of the file" in problem


def test_a_key_close_to_nothing_is_still_named() -> None:
    text = PROMPT.replace("KIND", "short_text").replace("EXTRA", "colour = 'red'")
    [problem] = problems_of(text)
    assert problem.endswith("unknown key 'colour' (check the spelling; see `formative schema`)")


def test_keys_of_inline_tables_get_suggestions_too() -> None:
    text = PROMPT.replace("KIND", "records").replace(
        "EXTRA", 'fields = [{ id = "who", lable = "Who" }, { id = "role", label = "Role" }]'
    )
    problems = problems_of(text)
    assert any("fields[0].lable: unknown key 'lable'; did you mean 'label'?" in p for p in problems), problems
    assert any(p.startswith("wb.toml:17:25: sections[0].steps[0].prompts[0].fields[0].lable") for p in problems)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("short_txt", "unknown kind 'short_txt'; did you mean 'short_text'?"),
        ("multi_choice", "unknown kind 'multi_choice'; did you mean 'multiple_choice'?"),
        ("essay", "unknown kind 'essay'; expected one of: short_text, long_text, single_choice"),
    ],
)
def test_an_unknown_kind_gets_the_nearest_kind(kind: str, expected: str) -> None:
    [problem] = problems_of(PROMPT.replace("KIND", kind).replace("EXTRA", ""))
    assert problem.startswith("wb.toml:15:1: sections[0].steps[0].prompts[0].kind: " + expected), problem


def test_a_prompt_without_a_kind_lists_every_kind() -> None:
    [problem] = problems_of(PROMPT.replace('kind = "KIND"\n', "").replace("EXTRA", ""))
    assert problem.startswith("wb.toml:13:1: sections[0].steps[0].prompts[0].kind: "), problem
    assert problem.endswith("'kind' is missing; expected one of: " + ", ".join(PROMPT_KINDS)), problem


def test_a_bad_id_says_what_ids_may_hold() -> None:
    problems = problems_of(
        PROMPT.replace("KIND", "short_text").replace("EXTRA", "").replace('id = "name"', 'id = "My Name"')
    )
    assert any(p.endswith("ids use lower-case letters, digits, '-' and '_' only") for p in problems), problems


def test_an_unknown_key_under_a_plain_union_of_models_is_reported_not_a_crash() -> None:
    """validate_model takes any model; pydantic names the member class in the path of a
    union without a discriminator ('frame', 'Circle', 'radios'), which no model field matches."""
    from formative.workbook.load import validate_model
    from formative.workbook.model import Strict

    class Circle(Strict):
        radius: int

    class Drawing(Strict):
        frame: int | Circle = 0

    text = "[frame]\nradios = 2\n"
    with pytest.raises(WorkbookError) as caught:
        validate_model(Drawing, {"frame": {"radios": 2}}, text, "d.toml")
    messages = [str(problem) for problem in caught.value.problems]
    assert "d.toml:1:1: frame.Circle.radios: unknown key 'radios' (check the spelling; see `formative schema`)" in (
        messages
    )


def test_a_top_level_key_written_in_the_canvas_table_is_told_where_it_belongs() -> None:
    text = PROMPT.replace("KIND", "short_text").replace("EXTRA", "") + '\n[canvas]\ntitle = "Plan"\nauthors = ["Ann"]\n'
    assert any(
        "canvas.authors: unknown key 'authors': 'authors' belongs at the top of the file" in p
        for p in problems_of(text)
    )
