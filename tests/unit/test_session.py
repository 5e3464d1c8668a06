"""Sessions: which answer file a person gets, and what the home screen finds."""

from __future__ import annotations

from pathlib import Path

import pytest

from formative.answers import LockedError
from formative.session import Session, answers_path, default_answers_dir, find_in_progress
from formative.workbook.bundled import find_workbook
from formative.workbook.load import load_workbook


def test_default_answers_dir_is_visible_and_configurable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert default_answers_dir() == Path.home() / "formative-answers"
    monkeypatch.setenv("FORMATIVE_ANSWERS", str(tmp_path / "mine"))
    assert default_answers_dir() == tmp_path / "mine"


def test_answer_file_names_are_safe(tmp_path: Path) -> None:
    workbook = load_workbook(find_workbook("formative-community"))
    assert answers_path(tmp_path, workbook, None) == tmp_path / "formative-community.toml"
    hostile = answers_path(tmp_path, workbook, "../../etc/passwd")
    assert hostile.parent == tmp_path
    assert hostile.name == "formative-community--etc-passwd.toml"


def test_open_resumes_and_second_open_is_refused(tmp_path: Path) -> None:
    session = Session.open("formative-community", tmp_path, "Ada")
    first = session.walk.current
    prompt = first.answer_prompts[0] if first.answer_prompts else None
    try:
        with pytest.raises(LockedError):
            Session.open("formative-community", tmp_path, "Ada")
        other = Session.open("formative-community", tmp_path, "Bo")
        other.close()
        if prompt is not None and prompt.kind in ("short_text", "long_text"):
            session.set_answer(first.id, prompt.id, "An answer")
    finally:
        session.close()
    assert session.path.is_file()
    assert 'person = "Ada"' in session.path.read_text(encoding="utf-8")


def test_find_in_progress_lists_answer_files_and_skips_broken(tmp_path: Path) -> None:
    session = Session.open("work-your-network", tmp_path, "Ada")
    session.close()
    (tmp_path / "broken.toml").write_text("[formative\n", encoding="utf-8")
    (tmp_path / "other.toml").write_text('[formative]\nworkbook = "not-bundled"\n', encoding="utf-8")
    found, skipped = find_in_progress(tmp_path)
    assert [f.workbook.id for f in found] == ["work-your-network"]
    assert found[0].person == "Ada"
    assert len(skipped) == 2
    assert any("broken.toml:1" in s for s in skipped)


def test_find_in_progress_on_missing_folder(tmp_path: Path) -> None:
    assert find_in_progress(tmp_path / "nope") == ([], [])


WORDS_FIRST = """\
format = 1
id = "typed"
title = "Typed"

[[sections]]
id = "main"
title = "Main"

[[sections.steps]]
id = "name"
title = "Name it"

[[sections.steps.prompts]]
id = "note"
kind = "note"
text = "Read this first."

[[sections.steps.prompts]]
id = "name"
kind = "short_text"
label = "A name"
max_length = 12

[[sections.steps]]
id = "rate"
title = "Rate it"

[[sections.steps.prompts]]
id = "score"
kind = "scale"
label = "How much?"
min = 1
max = 5
"""


def test_words_typed_before_the_step_was_built_go_into_its_first_answer(tmp_path: Path) -> None:
    (tmp_path / "typed.toml").write_text(WORDS_FIRST, encoding="utf-8")
    session = Session.open(str(tmp_path / "typed.toml"), tmp_path / "answers")
    try:
        assert not session.type_into_first_answer("")
        assert session.type_into_first_answer("Otters")
        assert session.type_into_first_answer(" of the river bank")  # after what it holds, up to its limit
        assert session.answer("name", "name") == "Otters of th"
        session.walk.go_next()
        assert not session.type_into_first_answer("3")  # a scale takes no typed words
        assert session.answer("rate", "score") is None
    finally:
        session.close()
