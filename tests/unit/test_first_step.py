"""The first paint's step, read from plain TOML, is the step the full load opens on (no Textual)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from formative.first_step import first_step
from formative.session import Session
from formative.walk import Walk
from formative.workbook.bundled import bundled_paths
from formative.workbook.errors import WorkbookError
from formative.workbook.text import escape_markdown


def agrees_with_the_walk(workbook: str, answers: Path) -> None:
    """Everything the first paint shows equals what the step screen shows for the opened session."""
    first = first_step(workbook, answers, None)
    assert first is not None
    session = Session.open(workbook, answers, git=False)
    try:
        walk: Walk = session.walk
        step, progress = walk.current, walk.progress()
        section = walk.section_of(step)
        assert first.answers_path == session.path
        assert (first.position, first.visible) == (progress.position, progress.visible)
        assert first.answerable == (progress.answerable > 0)
        assert first.title == step.title and first.section_title == section.title
        assert first.workbook_title == session.workbook.title
        assert first.text(step.title) == walk.text(step.title)
        assert first.intro == (section.intro or "" if step is section.steps[0] else "")
        assert first.body == step.body
        for text in (first.intro, first.body):
            assert first.text(text, escape_markdown) == walk.text(text, escape_markdown)
        assert (first.mode, first.timebox) == (step.mode, step.timebox)
        assert first.has_example == any(getattr(prompt, "example", None) for prompt in step.prompts)
    finally:
        session.close()


@pytest.mark.parametrize("path", bundled_paths(), ids=lambda path: path.stem)
def test_first_step_of_each_bundled_workbook_is_the_walks(path: Path, tmp_path: Path) -> None:
    agrees_with_the_walk(path.stem, tmp_path)


WORKBOOK = """\
format = 1
id = "conditions"
title = "Conditions"

[[sections]]
id = "one"
title = "One"
intro = "Hello, {{you}}."

[[sections.steps]]
id = "start"
title = "Start *here*"
body = "Only when {{braces}} hold: *this*."
mode = "pair"
timebox = 3

[[sections.steps.prompts]]
id = "word"
kind = "short_text"
label = "A word"
example = "Tea"

[[sections.steps.prompts]]
id = "many"
kind = "multiple_choice"
label = "Many"
options = ["a", "b"]

[[sections.steps.prompts]]
id = "level"
kind = "scale"
label = "Level"

[[sections.steps]]
id = "notes"
title = "Notes"
body = "Read this: {start.word}."

[[sections.steps.prompts]]
kind = "note"
id = "n"
text = "A note."

[[sections.steps]]
id = "maybe"
title = "Maybe {start.word}"
{show_if}
[[sections.steps.prompts]]
id = "x"
kind = "short_text"
label = "X"
"""

CONDITIONS = [
    "",
    'show_if = { answer = "start.word", answered = false }',
    'show_if = { answer = "start.word", answered = true }',
    'show_if = { answer = "start.word", equals = "tea" }',
    'show_if = { answer = "start.word", not_equals = "tea" }',
    'show_if = { answer = "start.level", at_least = 2 }',
    'show_if = { answer = "start.level", at_most = 2 }',
    'show_if = { answer = "start.many", includes = "a" }',
]


@pytest.mark.parametrize("condition", CONDITIONS)
def test_every_kind_of_condition_shows_or_hides_as_the_walk_says(condition: str, tmp_path: Path) -> None:
    """Steps shown only on some answers count in 'Step 1 of N' exactly when the walk counts them."""
    path = tmp_path / "conditions.toml"
    path.write_text(WORKBOOK.replace("{show_if}", condition), encoding="utf-8")
    agrees_with_the_walk(str(path), tmp_path / "answers")


def test_a_workbook_of_notes_only_opens_on_its_last_step(tmp_path: Path) -> None:
    path = tmp_path / "notes.toml"
    notes_only = WORKBOOK.replace("{show_if}", "").split("[[sections.steps.prompts]]\nid = ")[0]
    notes_only += '[[sections.steps.prompts]]\nkind = "note"\nid = "n"\ntext = "A note."\n'
    notes_only += '[[sections.steps]]\nid = "end"\ntitle = "The end"\nbody = "Bye."\n'
    path.write_text(notes_only, encoding="utf-8")
    first = first_step(str(path), tmp_path / "answers", None)
    assert first is not None and first.title == "The end" and not first.answerable
    agrees_with_the_walk(str(path), tmp_path / "answers")


def test_no_first_paint_once_the_person_has_answers(tmp_path: Path) -> None:
    """Where someone resumes depends on their checked answers: only the full load can tell."""
    assert first_step("formative-community", tmp_path, "Ada") is not None
    (tmp_path / "formative-community--ada.toml").write_text("", encoding="utf-8")
    assert first_step("formative-community", tmp_path, "Ada") is None
    assert first_step("formative-community", tmp_path, None) is not None


@pytest.mark.parametrize(
    "text",
    [
        "",
        "title = ",
        'format = 1\nid = "x"\ntitle = "X"\n',
        'format = 1\nid = "x"\ntitle = "X"\nsections = 3\n',
        'format = 1\nid = "x"\ntitle = "X"\n[[sections]]\nid = "s"\ntitle = "S"\nrepeat = 2\n'
        '[[sections.steps]]\nid = "a"\ntitle = "A"\n',
        'format = 1\nid = "x"\ntitle = 5\n',
        "a = " + "[" * 200 + "]" * 200,
    ],
    ids=["empty", "broken", "no-sections", "odd-sections", "repeat", "title-number", "deep"],
)
def test_anything_unusual_is_left_to_the_full_load(text: str, tmp_path: Path) -> None:
    path = tmp_path / "odd.toml"
    path.write_text(text, encoding="utf-8")
    assert first_step(str(path), tmp_path, None) is None


def test_a_named_pipe_is_never_read(tmp_path: Path) -> None:
    """A FIFO would block the read for ever: the first paint only reads regular files."""
    pipe = tmp_path / "pipe.toml"
    os.mkfifo(pipe)
    assert first_step(str(pipe), tmp_path, None) is None
    assert first_step(str(tmp_path / "missing.toml"), tmp_path, None) is None
    assert first_step(str(tmp_path), tmp_path, None) is None


def test_a_workbook_the_first_paint_reads_can_still_fail_validation(tmp_path: Path) -> None:
    """The first paint is only a picture: validation, after it, still decides (and says where)."""
    path = tmp_path / "bad.toml"
    path.write_text(WORKBOOK.replace("{show_if}", "").replace('kind = "scale"', 'kind = "slider"'), encoding="utf-8")
    assert first_step(str(path), tmp_path, None) is not None
    with pytest.raises(WorkbookError, match="slider"):
        Session.open(str(path), tmp_path, git=False)


def test_the_path_to_the_first_paint_imports_no_pydantic_click_or_tomlkit() -> None:
    script = (
        "import sys\n"
        "import formative.entry, formative.first_step, formative.tui.app, formative.tui.screens.first_paint\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    loaded = set(done.stdout.split())
    assert "formative.tui.screens.first_paint" in loaded
    heavy = {m for m in loaded if m.split(".")[0] in ("pydantic", "click", "tomlkit", "pydantic_core")}
    assert not heavy
    assert not {
        m for m in loaded if m.startswith(("formative.workshop.", "formative.session", "formative.answers.store"))
    } - {"formative.workshop.hosted"}


def test_a_solo_run_loads_no_workshop_code() -> None:
    """The step screen and the session, for one person alone: no room, presence, watching or bar."""
    script = (
        "import sys\n"
        "import formative.tui.app, formative.tui.screens.step, formative.session\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    loaded = set(done.stdout.split())
    assert "formative.tui.screens.step" in loaded
    workshop = {m for m in loaded if m.startswith(("formative.workshop.", "formative.tui.widgets.workshop_bar"))}
    assert workshop <= {"formative.workshop.hosted"}  # the path redaction every screen's notices go through


def test_a_sitting_remembers_where_the_next_one_resumes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After a sitting, the next start paints the step it resumes on, answers filled in, until a file changes."""
    from formative.first_step import cache_file, remember

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    answers = tmp_path / "answers"
    session = Session.open("formative-community", answers, git=False)
    session.set_answer("welcome", "name", "Thursday *founders*")
    session.set_answer("welcome", "spark", "Quiet.")
    session.close()
    assert first_step("formative-community", answers, None) is None  # nothing remembered yet
    remember(session)
    assert cache_file(session.path).stat().st_mode & 0o777 == 0o600
    assert cache_file(session.path).parent.stat().st_mode & 0o777 == 0o700
    first = first_step("formative-community", answers, None)
    assert first is not None and first.filled
    again = Session.open("formative-community", answers, git=False)
    try:
        walk = again.walk
        step, progress = walk.current, walk.progress()
        assert step.id != "welcome"
        assert (first.position, first.visible) == (progress.position, progress.visible)
        assert first.title == walk.text(step.title)
        assert first.body == walk.text(step.body, escape_markdown)
        assert first.text(first.body, escape_markdown) == first.body  # filled in once, not again
    finally:
        again.close()
    with session.path.open("a", encoding="utf-8") as file:
        file.write("# an edit by hand\n")
    assert first_step("formative-community", answers, None) is None  # the answers moved: the full load decides


def test_a_broken_or_foreign_cache_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from formative.first_step import cache_file

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "formative-community.toml"
    path.write_text("", encoding="utf-8")
    cache = cache_file(path)
    cache.parent.mkdir(parents=True)
    for text in ("{", "[]", '{"fingerprint": "x", "step": {}}', "\udcff"):
        cache.write_text(text, encoding="utf-8", errors="surrogateescape")
        assert first_step("formative-community", tmp_path, None) is None
