"""Errors point at the key's own line and column: in tables, inline tables and arrays (issue 13)."""

from __future__ import annotations

import pytest

from formative.workbook import WorkbookError, load_workbook_text
from formative.workbook.locate import key_positions, locate

HEAD = """\
format = 1
id = "demo"
title = "Demo"

[[sections]]
id = "one"
title = "One"

[[sections.steps]]
id = "first"
title = "First"
"""


def problems_of(text: str) -> list[str]:
    with pytest.raises(WorkbookError) as caught:
        load_workbook_text(text, "wb.toml")
    return [str(p) for p in caught.value.problems]


def only_problem(text: str) -> str:
    [problem] = problems_of(text)
    return problem


def test_an_indented_unknown_key_is_reported_at_its_own_column() -> None:
    text = HEAD + "\n[[sections.steps.prompts]]\n    id = 'name'\n    kind = 'short_text'\n    tile = 'x'\n"
    problem = only_problem(text.replace("    kind", "    label = 'Name'\n    kind"))
    assert problem.startswith("wb.toml:17:5: sections[0].steps[0].prompts[0].tile: unknown key 'tile'")


def test_a_key_inside_an_inline_table_is_reported_where_it_is() -> None:
    text = HEAD + 'show_if = { answer = "first.name", equal = 1 }\n'
    problems = problems_of(text)
    assert any(p.startswith("wb.toml:12:36: sections[0].steps[0].show_if.equal: unknown key 'equal'") for p in problems)


def test_a_bad_value_in_an_inline_table_points_at_its_key() -> None:
    text = HEAD + 'timebox = 5\nshow_if = { answered = "perhaps", answer = "a.b" }\n'
    problem = only_problem(text)
    assert problem.startswith("wb.toml:13:13: sections[0].steps[0].show_if.answered:"), problem


def test_keys_of_inline_tables_in_a_multi_line_array_are_located() -> None:
    text = HEAD + (
        "\n[[sections.steps.prompts]]\n"
        'id = "people"\n'
        'kind = "records"\n'
        'label = "People"\n'
        "fields = [\n"
        '  { id = "person", label = "Person" },\n'
        '  { id = "role", lable = "Role" },\n'
        "]\n"
    )
    problems = problems_of(text)
    assert any(
        p.startswith("wb.toml:19:18: sections[0].steps[0].prompts[0].fields[1].lable: unknown key 'lable'")
        for p in problems
    ), problems
    # The label it lacks is missing from the inline table, which starts at column 3.
    assert any(
        p.startswith("wb.toml:19:3: sections[0].steps[0].prompts[0].fields[1].label: required") for p in problems
    )


def test_an_array_element_is_located_at_the_element() -> None:
    text = HEAD + (
        '\n[[sections.steps.prompts]]\nid = "pick"\nkind = "single_choice"\nlabel = "Pick"\n'
        'options = [\n  "a",\n  "",\n]\n'
    )
    problem = only_problem(text)
    assert problem.startswith("wb.toml:19:3: sections[0].steps[0].prompts[0].options[1]:"), problem


def test_keys_in_an_array_of_tables_are_located() -> None:
    text = HEAD + (
        "\n[[sections.steps.prompts]]\n"
        'id = "people"\n'
        'kind = "records"\n'
        'label = "People"\n'
        "\n[[sections.steps.prompts.fields]]\n"
        'id = "person"\n'
        'label = "Person"\n'
        "\n[[sections.steps.prompts.fields]]\n"
        'id = "role"\n'
        "  requird = true\n"
        'label = "Role"\n'
    )
    problem = only_problem(text)
    assert problem.startswith("wb.toml:24:3: sections[0].steps[0].prompts[0].fields[1].requird: unknown key 'requird'")


def test_a_missing_required_key_points_at_its_table_header() -> None:
    text = HEAD.replace('title = "First"\n', "") + "\n  [[sections.steps.prompts]]\n  id = 'x'\n  kind = 'note'\n"
    problems = problems_of(text)
    assert any(p.startswith("wb.toml:9:1: sections[0].steps[0].title: required key is missing") for p in problems)
    assert any(
        p.startswith("wb.toml:12:3: sections[0].steps[0].prompts[0].text: required key is missing") for p in problems
    )


def test_dotted_keys_and_quoted_keys() -> None:
    positions = key_positions(
        'a.b = 1\n  "c d".\'e\' = { f = [1, {g = 2}] }\n[t]\nx = """\n[not.a.header]\n"""\ny = 2\n'
    )
    assert positions[("a", "b")] == (1, 1)
    assert positions[("a",)] == (1, 1)
    assert positions[("c d", "e", "f")] == (2, 17)
    assert positions[("c d", "e", "f", 1)] == (2, 25)
    assert positions[("c d", "e", "f", 1, "g")] == (2, 26)
    assert positions[("t", "y")] == (7, 1)
    assert ("not", "a", "header") not in positions


def test_strings_with_brackets_braces_and_hashes_do_not_confuse_the_scan() -> None:
    text = 'a = "x = [ { # \\" ]"\nb = \'[{\'\nc = [ "]", \'}\', """\n]\n""", { d = "#" } ] # [e]\nf = 1\n'
    positions = key_positions(text)
    assert positions[("f",)] == (6, 1)
    assert positions[("c", 3, "d")] == (5, 8)
    assert ("e",) not in positions


def test_columns_count_characters_not_bytes() -> None:
    positions = key_positions('title = "Café"\nx = { "ü" = 1, y = 2 }\n')
    assert positions[("x", "y")] == (2, 16)


def test_locate_falls_back_to_the_nearest_ancestor() -> None:
    positions = key_positions("[[s]]\nid = 1\n[[s]]\nid = 2\n")
    assert locate(positions, ("s", 1, "title")) == (3, 1)
    assert locate(positions, ("s", 1, "id")) == (4, 1)
    assert locate(positions, ("nowhere",)) is None


def test_tight_inline_tables_and_nested_arrays_are_located_item_by_item() -> None:
    """No spaces after commas, arrays in arrays, tables in arrays: each key and item at its own column."""
    assert key_positions("x = {a=1,b=2}\ny = [1,[2,3],{c=4}]\nz = 5\n") == {
        ("x",): (1, 1),
        ("x", "a"): (1, 6),
        ("x", "b"): (1, 10),
        ("y",): (2, 1),
        ("y", 0): (2, 6),
        ("y", 1): (2, 8),
        ("y", 1, 0): (2, 9),
        ("y", 1, 1): (2, 11),
        ("y", 2): (2, 14),
        ("y", 2, "c"): (2, 15),
        ("z",): (3, 1),
    }
    assert key_positions('p = [{id="a",kind="b"},{id="c"}]\nq = 1')[("p", 1, "id")] == (1, 25)
    after = key_positions("w = {a=[1]}\nv = [[1]]\nz = 5\n")
    assert (after[("v",)], after[("z",)]) == ((2, 1), (3, 1)), "an array that ends just before '}' or ']' ends there"


HEADERS = '''\
# comment
top = 1
[ t . u . v ]
k = """
fake = 1
"""
m = \'\'\'
also = 2
\'\'\'
d.e.f = true
"q k" = 2
[[arr.items]]
id = 1
[[arr.items]]
id = 2
  [arr.items.sub]
  w = 0x1F
'''


def test_headers_dotted_keys_quoted_keys_and_arrays_of_tables_are_located() -> None:
    """Keys inside multi-line strings are text, not keys; each copy of [[arr.items]] is its own item."""
    assert key_positions(HEADERS) == {
        ("top",): (2, 1),
        ("t",): (3, 1),
        ("t", "u"): (3, 1),
        ("t", "u", "v"): (3, 1),
        ("t", "u", "v", "k"): (4, 1),
        ("t", "u", "v", "m"): (7, 1),
        ("t", "u", "v", "d"): (10, 1),
        ("t", "u", "v", "d", "e"): (10, 1),
        ("t", "u", "v", "d", "e", "f"): (10, 1),
        ("t", "u", "v", "q k"): (11, 1),
        ("arr",): (12, 1),
        ("arr", "items"): (12, 1),
        ("arr", "items", 0): (12, 1),
        ("arr", "items", 0, "id"): (13, 1),
        ("arr", "items", 1): (14, 1),
        ("arr", "items", 1, "id"): (15, 1),
        ("arr", "items", 1, "sub"): (16, 3),
        ("arr", "items", 1, "sub", "w"): (17, 3),
    }


def test_a_comment_right_after_a_header_is_not_read_as_a_key() -> None:
    positions = key_positions("[a]#b = 1\nc = 1\n[[d]]#e\nf = 2\n[[d]] #e\n")
    assert ("a", "b") not in positions and ("d", 0, "e") not in positions and ("d", 1, "e") not in positions
    assert positions[("a", "c")] == (2, 1) and positions[("d", 0, "f")] == (4, 1)
