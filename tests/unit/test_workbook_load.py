"""Loading workbooks: the model's rules, references, and errors located in the file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from formative.workbook import WorkbookError, load_workbook, load_workbook_text
from formative.workbook.model import PROMPT_KINDS
from formative.workbook.schema import describe_fields, schema_json
from formative.workbook.starter import starter_workbook

MINIMAL = """\
format = 1
id = "mini"
title = "Mini"

[[sections]]
id = "one"
title = "One"

[[sections.steps]]
id = "first"
title = "First"

[[sections.steps.prompts]]
id = "name"
kind = "short_text"
label = "Your name"

[[sections.steps]]
id = "second"
title = "Second"
body = "Hello {first.name}"

[[sections.steps.prompts]]
id = "pick"
kind = "single_choice"
label = "Pick"
options = ["a", "b"]
"""


def problems_of(text: str) -> list[str]:
    with pytest.raises(WorkbookError) as caught:
        load_workbook_text(text, "wb.toml")
    return [str(p) for p in caught.value.problems]


def test_minimal_workbook_loads() -> None:
    workbook = load_workbook_text(MINIMAL)
    assert [s.id for s in workbook.steps] == ["first", "second"]
    assert workbook.steps[1].prompts[0].kind == "single_choice"


def test_starter_uses_every_prompt_kind_and_is_valid() -> None:
    workbook = load_workbook_text(starter_workbook("demo", 'A "quoted" title'))
    assert workbook.title == 'A "quoted" title'
    kinds = {p.kind for step in workbook.steps for p in step.prompts}
    assert kinds == set(PROMPT_KINDS)


def test_starter_tells_the_commands_to_run_on_its_own_file() -> None:
    text = starter_workbook("odyssey", "Odyssey")
    for command in ("formative validate odyssey.toml", "formative run odyssey.toml", "formative pack odyssey.toml"):
        assert command in text


def test_syntax_error_names_line_and_column() -> None:
    text = MINIMAL.replace('title = "Second"', 'title = "Second')
    [problem] = problems_of(text)
    assert problem.startswith("wb.toml:20:16:")
    assert "TOML syntax" in problem


def test_unknown_key_is_located_with_field_path() -> None:
    text = MINIMAL.replace('label = "Pick"', 'label = "Pick"\noptoins = ["x"]')
    found = problems_of(text)
    assert any(p.startswith("wb.toml:27:1: sections[0].steps[1].prompts[0].optoins: unknown key") for p in found)


def test_unknown_prompt_kind_points_at_kind_line() -> None:
    text = MINIMAL.replace('kind = "short_text"', 'kind = "shorttext"')
    [problem] = problems_of(text)
    assert problem.startswith("wb.toml:15:1: sections[0].steps[0].prompts[0].kind: unknown kind 'shorttext'")
    assert "short_text" in problem


def test_all_errors_reported_at_once() -> None:
    text = MINIMAL.replace('title = "Mini"', 'titel = "Mini"').replace('label = "Pick"', 'lable = "Pick"')
    found = problems_of(text)
    assert any("titel: unknown key" in p for p in found)
    assert any("lable: unknown key" in p for p in found)
    assert any(" title: required key is missing" in p for p in found)


def test_reference_to_later_step_is_an_error() -> None:
    text = MINIMAL.replace('body = "Hello {first.name}"', 'body = "Hello {second.pick}"')
    [problem] = problems_of(text)
    assert problem.startswith("wb.toml:21:1: sections[0].steps[1].body:")
    assert "not an earlier step" in problem


def test_reference_to_missing_prompt_is_an_error() -> None:
    text = MINIMAL.replace("{first.name}", "{first.nmae}")
    [problem] = problems_of(text)
    assert "has no prompt 'nmae'" in problem


def test_options_from_must_name_a_list_answer() -> None:
    text = MINIMAL.replace('options = ["a", "b"]', 'options_from = "first.name"')
    load_workbook_text(text)  # a short text gives one option (issue 13)
    [problem] = problems_of(text.replace('kind = "short_text"', 'kind = "long_text"'))
    assert "options_from" in problem and "list" in problem


DOT_VOTE = """
[[sections.steps]]
id = "ideas"
title = "Ideas"
shared = true
prompts = [{ id = "list", kind = "list", label = "Ideas" }]

[[sections.steps]]
id = "vote"
title = "Vote"
prompts = [{ id = "dots", kind = "dot_vote", label = "Vote", options_from = "ideas.list", votes = 3 }]
"""


def test_a_dot_votes_source_must_be_shared() -> None:
    """The room votes on everyone's answers, which it only sees on a shared step."""
    load_workbook_text(MINIMAL + DOT_VOTE)
    [problem] = problems_of(MINIMAL + DOT_VOTE.replace("shared = true\n", ""))
    assert "'ideas.list': step 'ideas' must be shared = true" in problem
    assert problem.startswith("wb.toml:"), "the problem names where in the file it is"


LIST_AND_SCALE = """
[[sections.steps.prompts]]
id = "tags"
kind = "list"
label = "Tags"

[[sections.steps.prompts]]
id = "n"
kind = "scale"
label = "N"
"""


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ('answer = "first.name", includes = "x"', "'includes' needs a list, multiple choice or ranking answer"),
        ('answer = "first.name", at_least = 2', "'at_least' and 'at_most' need a scale answer"),
        ('answer = "first.name", equals = 3', "compare 'first.name' with text"),
        ('answer = "first.name", not_equals = 3', "compare 'first.name' with text"),
        ('answer = "first.n", equals = "3"', "compare 'first.n' with a whole number"),
        ('answer = "first.tags", equals = "x"', "a list answer is never equal to one value; use 'includes'"),
        ('answer = "first.n", at_least = 9', "'at_least = 9' is outside the scale (1 to 5)"),
        ('answer = "first.nope", equals = "a"', "'first.nope': step 'first' has no prompt 'nope'"),
        ('answer = "second.pick", equals = "a"', "'second.pick' names step 'second', which is not an earlier step"),
    ],
)
def test_show_if_checks_reference_and_types(condition: str, expected: str) -> None:
    text = MINIMAL.replace('label = "Your name"\n', 'label = "Your name"\n' + LIST_AND_SCALE).replace(
        'body = "Hello {first.name}"', f"show_if = {{ {condition} }}"
    )
    line = text.splitlines().index(f"show_if = {{ {condition} }}") + 1
    assert problems_of(text) == [f"wb.toml:{line}:13: sections[0].steps[1].show_if.answer: {expected}"]


SOURCES = """
[[sections.steps]]
id = "people"
title = "People"
shared = true
prompts = [
  { id = "rows", kind = "records", label = "Rows", fields = [{ id = "who", label = "Who" }] },
  { id = "n", kind = "scale", label = "N" },
]

[[sections.steps]]
id = "use"
title = "Use"
prompts = [{ id = "p", kind = "KIND", label = "P", options_from = "REF"VOTES }]
"""


@pytest.mark.parametrize(
    ("kind", "ref", "expected"),
    [
        ("single_choice", "people.n.who", "'people.n.who': only a records prompt has fields to take options from"),
        ("single_choice", "people.rows.nope", "'people.rows.nope': the records prompt has no field 'nope'"),
        ("single_choice", "people.rows", "'people.rows': name one field of the records, as 'step.prompt.field'"),
        (
            "ranking",
            "people.n",
            "'people.n': options can come from a list, multiple choice, ranking, short text or single choice answer",
        ),
        ("dot_vote", "people.n", "'people.n': vote on text or list answers, not numbers or votes"),
        (
            "dot_vote",
            "first.name",
            "'first.name': step 'first' must be shared = true for the room to vote on its answers",
        ),
    ],
)
def test_where_options_come_from_is_checked(kind: str, ref: str, expected: str) -> None:
    source = SOURCES.replace("KIND", kind).replace("VOTES", ", votes = 3" if kind == "dot_vote" else "")
    fine = "people.rows" if kind == "dot_vote" else "people.rows.who"
    assert load_workbook_text(MINIMAL + source.replace("REF", fine), "wb.toml")
    text = MINIMAL + source.replace("REF", ref)
    line = text.splitlines().index(next(x for x in text.splitlines() if "options_from" in x)) + 1
    column = text.splitlines()[line - 1].index("options_from") + 1
    assert problems_of(text) == [f"wb.toml:{line}:{column}: sections[0].steps[3].prompts[0].options_from: {expected}"]


def test_condition_needs_exactly_one_test() -> None:
    text = MINIMAL.replace('body = "Hello {first.name}"', 'show_if = { answer = "first.name" }')
    assert any("exactly one of 'equals'" in p for p in problems_of(text))


def test_duplicate_ids_are_errors() -> None:
    text = MINIMAL.replace('id = "second"', 'id = "first"')
    assert any("step id used twice: first" in p for p in problems_of(text))
    text = MINIMAL.replace('id = "pick"', 'id = "name"')
    load_workbook_text(text)  # same prompt id in different steps is fine


def test_bad_id_characters_explained() -> None:
    text = MINIMAL.replace('id = "mini"', 'id = "../etc"')
    assert any("ids use lower-case letters" in p for p in problems_of(text))


def test_escaped_braces_are_not_references() -> None:
    text = MINIMAL.replace("Hello {first.name}", "Use {{first.name}} to show an answer")
    load_workbook_text(text)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "file is empty"),
        (b"  \n\n", "file is empty"),
        (b'title = "caf\xe9"\n', "not valid UTF-8"),
    ],
)
def test_unreadable_files_get_one_line(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "w.toml"
    path.write_bytes(content)
    with pytest.raises(WorkbookError) as caught:
        load_workbook(path)
    [problem] = caught.value.problems
    assert expected in str(problem)
    assert "\n" not in str(problem)


def test_invalid_utf8_is_located(tmp_path: Path) -> None:
    path = tmp_path / "w.toml"
    path.write_bytes(b'a = 1\ntitle = "caf\xe9"\n')
    with pytest.raises(WorkbookError) as caught:
        load_workbook(path)
    assert str(caught.value.problems[0]).startswith(f"{path}:2:13:")


def test_missing_path_and_folder(tmp_path: Path) -> None:
    with pytest.raises(WorkbookError, match="no such file"):
        load_workbook(tmp_path / "nope.toml")
    with pytest.raises(WorkbookError, match="folder"):
        load_workbook(tmp_path)


def test_workbook_is_data_only() -> None:
    """Text that looks like code or a template is kept as text, never evaluated."""
    text = MINIMAL.replace("Hello {first.name}", "{{ __import__('os').system('x') }} {first.name.__class__}")
    workbook = load_workbook_text(text)
    assert "__import__" in workbook.steps[1].body


def test_schema_is_generated_and_forbids_unknown_keys() -> None:
    schema = json.loads(schema_json())
    assert schema["additionalProperties"] is False
    step = schema["$defs"]["Step"]
    assert step["additionalProperties"] is False
    assert "timebox" in step["properties"]
    assert "description" in step["properties"]["timebox"]


def test_shipped_schema_is_current() -> None:
    shipped = Path(__file__).parents[2] / "workbooks" / "formative-workbook.schema.json"
    assert shipped.read_text(encoding="utf-8") == schema_json(), "run: formative schema -o " + str(shipped)


# Issue 14: table mode, examples, recall of another workbook's answers, paper, [pack] ---------


def test_table_is_a_mode_and_typos_list_it() -> None:
    text = MINIMAL.replace('title = "First"', 'title = "First"\nmode = "table"\ntimebox = 5')
    assert load_workbook_text(text).steps[0].mode == "table"
    [problem] = problems_of(MINIMAL.replace('title = "First"', 'title = "First"\nmode = "tables"'))
    assert "'table'" in problem and "mode" in problem


def test_examples_paper_and_pack_load() -> None:
    text = MINIMAL.replace('label = "Your name"', 'label = "Your name"\nexample = "Rosa"').replace(
        'title = "First"', 'title = "First"\npaper = "Write it on a card."'
    )
    text = text.replace('title = "Mini"\n', 'title = "Mini"\n[pack]\nmaterials = ["Pens"]\n', 1)
    workbook = load_workbook_text(text.replace("[pack]\nmaterials", "minutes = 5\n[pack]\nmaterials"))
    assert workbook.steps[0].prompts[0].example == "Rosa"  # type: ignore[union-attr]
    assert workbook.steps[0].paper == "Write it on a card."
    assert workbook.pack is not None and workbook.pack.materials == ["Pens"]


def test_cut_list_and_room_sizes_go_in_order() -> None:
    pack = '\n[[pack.running_late]]\nminutes = 20\ncut = "b"\n\n[[pack.running_late]]\nminutes = 10\ncut = "a"\n'
    [problem] = problems_of(MINIMAL + pack)
    assert problem.startswith("wb.toml:29:1: pack.running_late: list the cuts from the fewest minutes late")


RECALLING = MINIMAL.replace('label = "Your name"', 'label = "Your name"\nrecall = ["RECALL"]')


@pytest.mark.parametrize(
    ("recall", "expected"),
    [
        ("formative-community:construct.rhythm", None),
        ("formative-community:constrct.rhythm", "workbook 'formative-community' has no step 'constrct'"),
        ("formative-community:construct.rythm", "step 'construct' of 'formative-community' has no prompt 'rythm'"),
        ("formative-community:wrap.canvas_note", "is a note, which has no answer"),
        (
            "no-such-workbook:a.b",
            "no workbook 'no-such-workbook': expected no-such-workbook.toml beside this file, "
            "or a bundled workbook with that id",
        ),
        ("mini:first.name", "names this workbook; show its own answers with {first.name} instead"),
        ("../etc:a.b", "String should match pattern"),
        ("formative-community:construct", "String should match pattern"),
    ],
)
def test_recall_names_a_prompt_of_a_workbook_that_exists(recall: str, expected: str | None) -> None:
    text = RECALLING.replace("RECALL", recall)
    if expected is None:
        load_workbook_text(text)
        return
    [problem] = problems_of(text)
    assert problem.startswith("wb.toml:17:11: sections[0].steps[0].prompts[0].recall[0]:"), problem
    assert expected in problem


def test_recall_prefers_a_workbook_beside_this_one(tmp_path: Path) -> None:
    (tmp_path / "formative-community.toml").write_text(MINIMAL.replace('id = "mini"', 'id = "formative-community"'))
    path = tmp_path / "review.toml"
    path.write_text(RECALLING.replace("RECALL", "formative-community:first.name").replace('id = "mini"', 'id = "r"'))
    load_workbook(path)  # 'first.name' exists only in the file beside it, not in the bundled one
    path.write_text(
        RECALLING.replace("RECALL", "formative-community:construct.rhythm").replace('id = "mini"', 'id = "r"')
    )
    with pytest.raises(WorkbookError, match="has no step 'construct'"):
        load_workbook(path)


def test_two_workbooks_may_recall_each_other_and_a_broken_one_is_named(tmp_path: Path) -> None:
    a = RECALLING.replace("RECALL", "b:first.name").replace('id = "mini"', 'id = "a"')
    b = RECALLING.replace("RECALL", "a:first.name").replace('id = "mini"', 'id = "b"')
    (tmp_path / "a.toml").write_text(a)
    (tmp_path / "b.toml").write_text(b)
    assert load_workbook(tmp_path / "a.toml").id == "a"
    (tmp_path / "b.toml").write_text(b.replace('title = "Mini"', 'title = ""'))
    with pytest.raises(WorkbookError) as caught:
        load_workbook(tmp_path / "a.toml")
    [problem] = caught.value.problems
    assert f"{tmp_path / 'b.toml'} has problems; check it with: formative validate" in str(problem)


def test_an_unchanged_file_is_checked_once_and_any_change_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "wb.toml"
    path.write_text(MINIMAL)
    first = load_workbook(path)
    assert load_workbook(path) is first  # the same text: the same checked workbook (its models are frozen)
    path.write_text(MINIMAL.replace('title = "Mini"', 'title = "Maxi"'))  # same size, same second
    assert load_workbook(path).title == "Maxi"
    path.write_text(MINIMAL.replace('title = "Mini"', 'title = ""'))
    with pytest.raises(WorkbookError):  # a broken version is refused, not served from memory
        load_workbook(path)
    linking = tmp_path / "linking.toml"
    linking.write_text(
        RECALLING.replace("RECALL", "formative-community:construct.rhythm").replace('id = "mini"', 'id = "r"')
    )
    assert load_workbook(linking) is not load_workbook(linking)  # links to another file: always checked afresh


def test_a_syntax_error_keeps_its_message_and_drops_the_parsers_position() -> None:
    [problem] = problems_of(MINIMAL.replace('title = "Second"', 'title = "Second'))
    assert "(at line" not in problem and problem.startswith("wb.toml:20:16: TOML syntax: ")
    assert problem == "wb.toml:20:16: TOML syntax: Illegal character '\\n'", "the message, and nothing in its place"


def test_problems_are_listed_in_file_order() -> None:
    """Not in the model's order: the canvas comes before the sections here (its title further
    along a line than the prompt's label), and a label before its id."""
    text = (
        'format = 1\nid = "w"\ntitle = "W"\n\n[canvas]\ntitle = "Canvas"\n'
        'cells = [{ answers = ["one.a"], title = "" }]\n\n'
        '[[sections]]\nid = "one"\ntitle = "One"\n\n[[sections.steps]]\nid = "a"\ntitle = "A"\n'
        'prompts = [{ label = 5, kind = "short_text", id = "Bad Id" }]\n'
    )
    problems = problems_of(text)
    assert [p.split(": ")[1] for p in problems] == [
        "canvas.cells[0].title",
        "sections[0].steps[0].prompts[0].label",
        "sections[0].steps[0].prompts[0].id",
    ], problems
    with pytest.raises(WorkbookError) as caught:
        load_workbook_text(text, "wb.toml")
    assert str(caught.value) == "\n".join(problems), "the error reads as its problems, one a line"


def test_why_a_path_cannot_be_read_in_words(tmp_path: Path) -> None:
    import errno
    import stat

    from formative.workbook.load import _kind, _os_error

    missing = tmp_path / "gone.toml"
    assert _os_error(missing, OSError(errno.ENOENT, "x")) == "no such file"
    assert _os_error(missing, OSError(errno.ELOOP, "x")).startswith("symbolic link loop")
    assert _os_error(missing, OSError(errno.EACCES, "x")) == "permission denied: this account may not read the file"
    assert _os_error(missing, OSError(errno.EIO, "I/O error")) == "cannot read: I/O error"
    assert _kind(stat.S_IFBLK) == "a block device" and _kind(stat.S_IFCHR) == "a character device"
    assert _kind(stat.S_IFLNK) == "not a regular file"


def test_unknown_keys_named_like_a_type_are_told_as_unknown_keys() -> None:
    text = MINIMAL.replace('title = "Mini"', 'title = "Mini"\nint = 1').replace(
        'title = "First"', 'title = "First"\nstr = "x"'
    )
    problems = problems_of(text)
    assert [p.split(": ", 2)[1:] for p in problems] == [
        ["int", "unknown key 'int'; did you mean 'minutes'?"],
        ["sections[0].steps[0].str", "unknown key 'str' (check the spelling; see `formative schema`)"],
    ], problems


def test_a_workbook_read_from_text_is_named_workbook_in_its_problems() -> None:
    with pytest.raises(WorkbookError) as caught:
        load_workbook_text(MINIMAL.replace('title = "Mini"', 'title = ""'))
    assert str(caught.value.problems[0]).startswith("<workbook>:3:1: title: ")


def test_a_workbook_read_from_text_recalls_from_a_workbook_beside_it(tmp_path: Path) -> None:
    (tmp_path / "formative-community.toml").write_text(MINIMAL.replace('id = "mini"', 'id = "formative-community"'))
    text = RECALLING.replace("RECALL", "formative-community:first.name").replace('id = "mini"', 'id = "r"')
    load_workbook_text(text, beside=tmp_path)  # 'first.name' exists only in the file beside it
    with pytest.raises(WorkbookError, match="has no step 'first'"):
        load_workbook_text(text)


def test_field_descriptions_are_added_past_definitions_that_are_no_model_or_have_no_fields() -> None:
    schema: dict[str, Any] = {
        "properties": {"title": {}},
        "$defs": {"Elsewhere": {"properties": {"title": {}}}, "Copy": {}, "Step": {"properties": {"title": {}}}},
    }
    describe_fields(schema)
    assert schema["properties"]["title"]["description"]
    assert schema["$defs"]["Step"]["properties"]["title"]["description"]
    assert schema["$defs"]["Elsewhere"] == {"properties": {"title": {}}} and schema["$defs"]["Copy"] == {}
    without_defs: dict[str, Any] = {"properties": {"title": {}}}
    describe_fields(without_defs)
    assert without_defs["properties"]["title"]["description"]


NOT_EARLIER = "'nobody.x' names step 'nobody', which is not an earlier step"
NOTE = '\n[[sections.steps.prompts]]\nid = "n"\nkind = "note"\ntext = "{nobody.x}"\n'


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('title = "One"', 'title = "One"\nintro = "{nobody.x}"', f"sections[0].intro: {NOT_EARLIER}"),
        ('title = "Second"', 'title = "Second {nobody.x}"', f"sections[0].steps[1].title: {NOT_EARLIER}"),
        ('label = "Pick"', 'label = "Pick {nobody.x}"', f"sections[0].steps[1].prompts[0].label: {NOT_EARLIER}"),
        (
            'label = "Pick"',
            'label = "Pick"\nhelp = "{nobody.x}"',
            f"sections[0].steps[1].prompts[0].help: {NOT_EARLIER}",
        ),
        (
            'options = ["a", "b"]\n',
            'options = ["a", "b"]\n' + NOTE,
            f"sections[0].steps[1].prompts[1].text: {NOT_EARLIER}",
        ),
        (
            "{first.name}",
            "{one.name}",
            "sections[0].steps[1].body: 'one.name' names step 'one', which is not an earlier step"
            " ('one' is a section; name the step instead)",
        ),
        (
            'options = ["a", "b"]\n',
            'options = ["a", "b"]\n\n[canvas]\ntitle = "{nobody.x}"\n'
            '\n[[canvas.cells]]\ntitle = "C"\nanswers = ["first.name"]\n',
            "canvas.title: 'nobody.x' names step 'nobody', which is not a step",
        ),
        (
            'options = ["a", "b"]\n',
            'options = ["a", "b"]\n\n[canvas]\ntitle = "C"\n\n[[canvas.cells]]\ntitle = "C"\nanswers = ["nobody.x"]\n',
            "canvas.cells[0].answers[0]: 'nobody.x' names step 'nobody', which is not a step",
        ),
    ],
)
def test_a_broken_reference_is_named_with_the_field_it_is_in(old: str, new: str, expected: str) -> None:
    [problem] = problems_of(MINIMAL.replace(old, new))
    assert problem.split(": ", 1)[1] == expected, problem


def test_a_recall_after_a_note_in_the_same_step_is_checked() -> None:
    text = MINIMAL.replace('label = "Pick"', 'label = "Pick"\nrecall = ["no-such:a.b"]').replace(
        '[[sections.steps.prompts]]\nid = "pick"',
        NOTE.replace("{nobody.x}", "Read this") + '\n[[sections.steps.prompts]]\nid = "pick"',
    )
    [problem] = problems_of(text)
    assert "sections[0].steps[1].prompts[1].recall[0]: no workbook 'no-such'" in problem


def test_an_empty_file_is_named() -> None:
    from formative.workbook.load import parse_toml

    with pytest.raises(WorkbookError) as caught:
        parse_toml(" \n", "wb.toml")
    assert [str(p) for p in caught.value.problems] == ["wb.toml: file is empty"]


def test_a_problem_with_no_place_in_the_file_is_put_at_its_start() -> None:
    [problem] = problems_of(MINIMAL.replace('title = "Mini"\n', ""))
    assert problem == "wb.toml:1:1: title: required key is missing"


def test_problems_in_a_workbook_file_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "w.toml"
    for text in (MINIMAL.replace('title = "Second"', 'title = "Second'), MINIMAL.replace('title = "Mini"\n', "")):
        path.write_text(text, encoding="utf-8")
        with pytest.raises(WorkbookError) as caught:
            load_workbook(path)
        [problem] = caught.value.problems
        assert str(problem).startswith(f"{path}:"), problem


def test_a_workbook_loaded_without_its_recalls_checked_is_checked_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "w.toml"
    path.write_text(RECALLING.replace("RECALL", "no-such-workbook:a.b"), encoding="utf-8")
    load_workbook(path, recalls=False)
    with pytest.raises(WorkbookError, match="no workbook 'no-such-workbook'"):
        load_workbook(path)


def test_the_cache_of_loaded_workbooks_stays_within_its_bound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from formative.workbook import load

    monkeypatch.setattr(load, "MAX_LOADED", 2)
    monkeypatch.setattr(load, "_LOADED", {})
    for n in range(5):
        path = tmp_path / f"w{n}.toml"
        path.write_text(MINIMAL, encoding="utf-8")
        load_workbook(path)
        assert len(load._LOADED) <= 2
