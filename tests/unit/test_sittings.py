"""Sittings: starting a workbook again keeps the last sitting in git and shows it as 'Last time'."""

from __future__ import annotations

import io
import tomllib
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from formative.cli import cli
from formative.plain import run_plain
from formative.session import Session, SittingError, begin_sitting
from formative.workbook.starter import starter_workbook
from tests.gitutil import git, subjects
from tests.unit.test_plain import scripted

LAST_TIME = "2026-09-03T10:00:00+00:00"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    path = tmp_path / "demo.toml"
    path.write_text(starter_workbook("demo", "Demo"), encoding="utf-8")
    return path


@pytest.fixture
def first_sitting(demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An answers folder (a git repository) where Ada answered the first step on 3 Sep 2026."""
    monkeypatch.setenv("GIT_AUTHOR_DATE", LAST_TIME)
    answers = tmp_path / "answers"
    session = Session.open(demo, answers)
    session.set_answer("welcome", "name", "Thursday circle")
    session.set_answer("welcome", "story", "Working alone got quiet.\nI want people to think out loud with.")
    session.close()
    monkeypatch.delenv("GIT_AUTHOR_DATE")
    return answers


def test_begin_sitting_commits_the_last_one_then_empties_the_answers(demo: Path, first_sitting: Path) -> None:
    path = first_sitting / "demo.toml"
    text = begin_sitting(demo, first_sitting, today=date(2026, 12, 4))
    assert text.startswith("Sitting 2 of Demo begins")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["formative"]["sitting"] == 2
    assert data["formative"]["started"] == date(2026, 12, 4)
    assert data.get("answers", {}) == {}
    assert subjects(first_sitting)[0] == "Demo: sitting 2 begins"
    assert "Thursday circle" in git(first_sitting, "show", "HEAD~1:demo.toml")  # the last sitting, kept
    session = Session.open(demo, first_sitting)
    try:
        assert session.store.sitting == 2
        assert session.last_answer("welcome", "name") == "Thursday circle"
        assert session.last_day == "3 Sep 2026"
        assert session.answer("welcome", "name") is None
    finally:
        session.close()


def test_the_file_s_comments_survive_a_new_sitting(demo: Path, first_sitting: Path) -> None:
    path = first_sitting / "demo.toml"
    path.write_text("# my own note\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    begin_sitting(demo, first_sitting)
    assert path.read_text(encoding="utf-8").startswith("# my own note\n")
    assert "# my own note" in git(first_sitting, "show", "HEAD~1:demo.toml")  # the hand edit was committed first


def test_a_third_sitting_shows_the_second(demo: Path, first_sitting: Path) -> None:
    begin_sitting(demo, first_sitting)
    session = Session.open(demo, first_sitting)
    session.set_answer("welcome", "name", "Thursday circle, second go")
    session.close()
    begin_sitting(demo, first_sitting)
    session = Session.open(demo, first_sitting)
    try:
        assert session.store.sitting == 3
        assert session.last_answer("welcome", "name") == "Thursday circle, second go"
        assert session.last_answer("welcome", "story") is None  # not answered in sitting 2
    finally:
        session.close()


@pytest.mark.parametrize("how", ["flag", "env", "path"])
def test_without_git_a_new_sitting_is_refused_and_nothing_changes(
    demo: Path, first_sitting: Path, monkeypatch: pytest.MonkeyPatch, how: str, tmp_path: Path
) -> None:
    path = first_sitting / "demo.toml"
    before = path.read_text(encoding="utf-8")
    if how == "env":
        monkeypatch.setenv("FORMATIVE_GIT", "0")
    if how == "path":
        monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    with pytest.raises(SittingError) as caught:
        begin_sitting(demo, first_sitting, no_git=how == "flag")
    assert "kept only in git" in str(caught.value) and "Nothing was changed" in str(caught.value)
    assert path.read_text(encoding="utf-8") == before


def test_a_folder_outside_git_cannot_start_again(demo: Path, tmp_path: Path) -> None:
    answers = tmp_path / "mine"
    answers.mkdir()
    session = Session.open(demo, answers)
    session.set_answer("welcome", "name", "Thursday circle")
    session.close()
    before = (answers / "demo.toml").read_text(encoding="utf-8")
    with pytest.raises(SittingError, match=r"not in a git repository.*git -C .* init"):
        begin_sitting(demo, answers)
    assert (answers / "demo.toml").read_text(encoding="utf-8") == before


def test_a_file_git_ignores_cannot_start_again(demo: Path, first_sitting: Path) -> None:
    git(first_sitting, "rm", "-q", "--cached", "demo.toml")
    git(first_sitting, "commit", "-qm", "untrack")
    (first_sitting / ".gitignore").write_text("*.toml\n", encoding="utf-8")
    before = (first_sitting / "demo.toml").read_text(encoding="utf-8")
    with pytest.raises(SittingError, match=r"does not keep demo\.toml"):
        begin_sitting(demo, first_sitting)
    assert (first_sitting / "demo.toml").read_text(encoding="utf-8") == before


def test_no_earlier_answers_is_simply_a_first_sitting(demo: Path, tmp_path: Path) -> None:
    assert "this is your first sitting" in begin_sitting(demo, tmp_path / "answers")


def test_a_sitting_with_no_answers_is_not_started_again(demo: Path, first_sitting: Path) -> None:
    begin_sitting(demo, first_sitting)
    commits = subjects(first_sitting)
    with pytest.raises(SittingError, match="has no answers yet"):
        begin_sitting(demo, first_sitting)  # sitting 2 is still empty: a third would show nothing as last time
    assert subjects(first_sitting) == commits


def test_plain_mode_prints_last_time_before_the_question_and_copies_it(demo: Path, first_sitting: Path) -> None:
    begin_sitting(demo, first_sitting)
    session = Session.open(demo, first_sitting)
    output = io.StringIO()
    try:
        run_plain(session, scripted([":last", ":quit"]), output)
    finally:
        session.close()
    text = output.getvalue()
    expected = "Last time (3 Sep 2026): Thursday circle\n(Type :last to start from it.)\nWhat should we call"
    assert expected in text
    assert "Copied in what you wrote last time" in text
    saved = tomllib.loads((first_sitting / "demo.toml").read_text(encoding="utf-8"))
    assert saved["answers"]["welcome"]["name"] == "Thursday circle"


def test_run_again_on_the_command_line(demo: Path, first_sitting: Path) -> None:
    result = CliRunner().invoke(
        cli, ["run", str(demo), "--answers", str(first_sitting), "--again", "--plain"], input=":quit\n"
    )
    assert result.exit_code == 0, result.output
    assert "Sitting 2 of Demo begins" in result.output
    assert "Last time (3 Sep 2026): Thursday circle" in result.output


def test_run_again_without_git_says_why_and_stops(demo: Path, first_sitting: Path) -> None:
    before = (first_sitting / "demo.toml").read_text(encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["run", str(demo), "--answers", str(first_sitting), "--again", "--plain", "--no-git"], input=":quit\n"
    )
    assert result.exit_code == 1
    assert "Cannot start again: --no-git was given" in result.output
    assert "Formative:" not in result.output  # no walk started
    assert (first_sitting / "demo.toml").read_text(encoding="utf-8") == before


def test_plain_mode_commits_each_step_it_leaves(demo: Path, tmp_path: Path) -> None:
    answers = tmp_path / "answers"
    session = Session.open(demo, answers)
    try:
        run_plain(session, scripted(["Thursday circle", ":next", ":next", ":quit"]), io.StringIO())
    finally:
        session.close()
    assert subjects(answers) == ["Demo: Welcome", "Formative: a new answers folder"]


def test_a_later_sitting_with_no_earlier_one_in_git_opens_without_last_time(demo: Path, tmp_path: Path) -> None:
    """Answers brought over as a file in their second sitting: git has nothing to show as 'Last time'."""
    answers = tmp_path / "answers"
    answers.mkdir()
    (answers / "demo.toml").write_text(
        '[formative]\nworkbook = "demo"\nsitting = 2\n\n[answers.welcome]\nname = "Thursday circle"\n',
        encoding="utf-8",
    )
    git(answers, "init", "-q")
    git(answers, "add", "demo.toml")
    git(answers, "commit", "-qm", "brought over")
    session = Session.open(demo, answers)
    assert session.store.sitting == 2
    assert session.last_time is None
    assert session.answer("welcome", "name") == "Thursday circle"
    session.close()
