"""Word limits on text and list items: counted as people count, told in plain words (issue 13)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from formative.answers.values import check_answer, in_words, word_count, word_limit_hint
from formative.plain import run_plain
from formative.session import Session
from formative.workbook import WorkbookError, load_workbook_text
from formative.workbook.model import ListPrompt, LongText, ShortText

WORKBOOK = """\
format = 1
id = "words"
title = "Words"

[[sections]]
id = "one"
title = "One"

[[sections.steps]]
id = "life"
title = "Life"

[[sections.steps.prompts]]
id = "title"
kind = "short_text"
label = "A six-word title for this life"
max_words = 6
required = true

[[sections.steps.prompts]]
id = "story"
kind = "long_text"
label = "The story"
min_words = 5
max_words = 40

[[sections.steps.prompts]]
id = "things"
kind = "list"
label = "Things"
item_label = "Thing"
max_words = 2
"""


def prompts() -> tuple[ShortText, LongText, ListPrompt]:
    step = load_workbook_text(WORKBOOK).steps[0]
    title, story, things = step.prompts
    assert isinstance(title, ShortText) and isinstance(story, LongText) and isinstance(things, ListPrompt)
    return title, story, things


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("", 0),
        ("   ", 0),
        ("Potter, teacher, father of three", 5),
        ("A five-year plan — don't laugh …", 5),
        ("one\ntwo\tthree  four", 4),
        ("Café über naïve", 3),
    ],
)
def test_words_are_counted_as_a_person_counts_them(text: str, count: int) -> None:
    assert word_count(text) == count


def test_small_numbers_are_written_out() -> None:
    assert [in_words(n) for n in (1, 6, 12, 13, 2000)] == ["one", "six", "twelve", "13", "2,000"]


def test_too_many_words_is_told_in_words() -> None:
    title, story, _ = prompts()
    assert check_answer(title, "Ceramicist in a small coastal town, teaching twice") == [
        "Keep this to six words (it has eight)."
    ]
    assert check_answer(title, "Ceramicist in a coastal town") == []
    assert check_answer(story, "Too short to tell.") == ["Write at least five words (it has four)."]
    assert check_answer(story, "One word") == ["Write at least five words (it has two)."]
    assert check_answer(story, "Now it is long enough.") == []


def test_each_list_item_is_held_to_the_limit() -> None:
    _, _, things = prompts()
    assert check_answer(things, ["Clay", "A kiln of mine", "Sea air"]) == [
        "Thing 2: Keep each thing to two words (it has four)."
    ]


def test_the_limits_are_hinted_before_answering() -> None:
    title, story, things = prompts()
    assert word_limit_hint(title) == "Six words at most."
    assert word_limit_hint(story) == "Five to 40 words."
    assert word_limit_hint(things) == "Each thing: two words at most."


def test_min_words_above_max_words_is_an_error() -> None:
    with pytest.raises(WorkbookError) as caught:
        load_workbook_text(WORKBOOK.replace("min_words = 5", "min_words = 50"), "wb.toml")
    [problem] = caught.value.problems
    assert str(problem).startswith(
        "wb.toml:20:1: sections[0].steps[0].prompts[1]: 'min_words' is larger than 'max_words'"
    )


def test_plain_mode_says_the_limit_and_asks_again(tmp_path: Path) -> None:
    path = tmp_path / "words.toml"
    path.write_text(WORKBOOK, encoding="utf-8")
    session = Session.open(path, tmp_path / "answers")
    lines = iter(["Ceramicist in a small coastal town, teaching twice", ".", "", "Ceramicist by the sea", ".", ""])
    output = io.StringIO()
    try:
        run_plain(session, lambda prompt="": next(lines), output)
    except StopIteration:
        pass
    finally:
        session.close()
    printed = output.getvalue()
    assert "Six words at most." in printed
    assert "Keep this to six words (it has eight)." in printed
    assert session.answer("life", "title") == "Ceramicist by the sea"


def test_numbers_in_words_from_zero_and_the_singular_word() -> None:
    assert [in_words(n) for n in (0, 1, 12, 13, 1500, -1)] == ["zero", "one", "twelve", "13", "1,500", "-1"]
    one = ShortText.model_validate({"id": "q", "label": "Q", "kind": "short_text", "max_words": 1})
    assert word_limit_hint(one) == "One word at most."
    assert check_answer(one, "two words") == ["Keep this to one word (it has two)."]


def test_a_lower_word_limit_alone_is_a_hint_too() -> None:
    low = LongText.model_validate({"id": "q", "label": "Q", "kind": "long_text", "min_words": 3})
    assert word_limit_hint(low) == "At least three words."
    plain = LongText.model_validate({"id": "q", "label": "Q", "kind": "long_text"})
    assert word_limit_hint(plain) is None


def test_min_words_equal_to_max_words_is_an_exact_count() -> None:
    workbook = load_workbook_text(WORKBOOK.replace("min_words = 5", "min_words = 40"), "wb.toml")
    assert any(getattr(p, "min_words", None) == 40 == p.max_words for s in workbook.steps for p in s.prompts)
