"""The answer file records where a custom workbook lives, so export and resume find it (issue 13)."""

from __future__ import annotations

import os
import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

import formative
from formative.answers.workbook_path import workbook_for_answers, workbook_location
from formative.cli import cli
from formative.session import Session, find_in_progress
from formative.workbook import WorkbookError, linked
from formative.workbook.bundled import find_workbook

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "odyssey-plan.toml"


@pytest.fixture
def coach(tmp_path: Path) -> Path:
    """A coach's folder: the Odyssey Plan workbook beside an empty answers folder."""
    shutil.copy(EXAMPLE, tmp_path / "odyssey.toml")
    (tmp_path / "answers").mkdir()
    return tmp_path


def answer_once(workbook: Path | str, answers: Path, title: str = "Potter by the sea") -> Path:
    session = Session.open(workbook, answers, "Ada")
    try:
        session.set_answer("plan-1", "title", title)
        session.save()
    finally:
        session.close()
    return session.path


def header(path: Path) -> dict[str, object]:
    meta = tomllib.loads(path.read_text(encoding="utf-8"))["formative"]
    assert isinstance(meta, dict)
    return meta


def test_a_custom_workbooks_place_is_recorded_relative_to_the_answer_file(coach: Path) -> None:
    path = answer_once(coach / "odyssey.toml", coach / "answers")
    assert header(path) == {
        "format": 1,
        "workbook": "odyssey-plan",
        "workbook_path": "../odyssey.toml",
        "person": "Ada",
    }
    assert path.read_text(encoding="utf-8").index("workbook_path") < path.read_text(encoding="utf-8").index("person")


def test_a_bundled_workbook_records_no_path(tmp_path: Path) -> None:
    session = Session.open("formative-community", tmp_path)
    session.set_answer("welcome", "name", "Guild")
    session.save()
    session.close()
    assert "workbook_path" not in header(session.path)
    assert workbook_for_answers(session.path) == find_workbook("formative-community")


def test_opening_from_the_same_place_however_written_changes_nothing(
    coach: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = answer_once(coach / "odyssey.toml", coach / "answers")
    before = path.read_bytes()
    monkeypatch.chdir(coach / "answers")
    session = Session.open(Path("..") / "odyssey.toml", coach / "answers", "Ada")
    result = session.save()
    session.close()
    assert not result.wrote
    assert path.read_bytes() == before


def test_opening_from_a_new_place_updates_the_record_once(coach: Path) -> None:
    path = answer_once(coach / "odyssey.toml", coach / "answers")
    (coach / "workbooks").mkdir()
    (coach / "odyssey.toml").rename(coach / "workbooks" / "odyssey.toml")
    session = Session.open(coach / "workbooks" / "odyssey.toml", coach / "answers", "Ada")
    assert session.save().wrote  # a move is worth a write of its own
    assert not session.save().wrote
    session.close()
    text = path.read_text(encoding="utf-8")
    assert header(path)["workbook_path"] == "../workbooks/odyssey.toml"
    assert text.count("workbook_path") == 1
    assert session.answer("plan-1", "title") == "Potter by the sea"


def test_an_older_answer_file_learns_where_its_workbook_is_with_its_next_change(coach: Path) -> None:
    path = answer_once(coach / "odyssey.toml", coach / "answers")
    text = path.read_text(encoding="utf-8").replace('workbook_path = "../odyssey.toml"\n', "")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(
        WorkbookError, match="workbook 'odyssey-plan' is not bundled, and this answer file does not say"
    ):
        workbook_for_answers(path)
    session = Session.open(coach / "odyssey.toml", coach / "answers", "Ada")
    assert not session.save().wrote  # opened to look: the file stays as it was
    session.close()
    assert path.read_text(encoding="utf-8") == text
    answer_once(coach / "odyssey.toml", coach / "answers", "Potter by the sea, later")
    assert header(path)["workbook_path"] == "../odyssey.toml"


@pytest.mark.parametrize(
    ("workbook", "answers", "recorded"),
    [
        ("/home/ada/coaching/odyssey.toml", "/home/ada/formative-answers/x.toml", "../coaching/odyssey.toml"),
        ("/home/ada/answers/odyssey.toml", "/home/ada/answers/x.toml", "odyssey.toml"),
        ("/srv/workbooks/odyssey.toml", "/home/ada/answers/x.toml", "/srv/workbooks/odyssey.toml"),
    ],
)
def test_relative_when_the_two_share_a_folder_else_absolute(workbook: str, answers: str, recorded: str) -> None:
    assert workbook_location(Path(workbook), Path(answers)) == recorded


def test_export_finds_the_workbook_without_being_told(coach: Path) -> None:
    path = answer_once(coach / "odyssey.toml", coach / "answers")
    runner = CliRunner()
    result = runner.invoke(cli, ["export", str(path), "--format", "md"])
    assert result.exit_code == 0, result.output
    assert "Potter by the sea" in result.output
    out = coach / "lives.svg"
    result = runner.invoke(cli, ["export", str(path), "--format", "svg", "-o", str(out)])
    assert result.exit_code == 0, result.output
    svg = out.read_text(encoding="utf-8")
    assert "<svg" in svg and "Potter by the sea" in svg and "Three lives" in svg


def test_export_says_where_a_moved_workbook_was(coach: Path) -> None:
    path = answer_once(coach / "odyssey.toml", coach / "answers")
    (coach / "odyssey.toml").unlink()
    result = CliRunner().invoke(cli, ["export", str(path)])
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"{path}: this answer file's workbook 'odyssey-plan' was at ../odyssey.toml, which no longer exists; "
        "pass --workbook PATH"
    )
    moved = coach / "elsewhere.toml"
    shutil.copy(EXAMPLE, moved)
    result = CliRunner().invoke(cli, ["export", str(path), "--workbook", str(moved)])
    assert result.exit_code == 0, result.output


def test_home_lists_answers_to_custom_workbooks_and_names_moved_ones(coach: Path) -> None:
    answers = coach / "answers"
    answer_once(coach / "odyssey.toml", answers)
    Session.open("work-your-network", answers).close()
    found, skipped = find_in_progress(answers)
    assert [(f.workbook.id, f.workbook_path) for f in found] == [
        ("odyssey-plan", answers / "../odyssey.toml"),
        ("work-your-network", find_workbook("work-your-network")),
    ]
    assert os.path.samefile(found[0].workbook_path, coach / "odyssey.toml")
    assert skipped == []
    (coach / "odyssey.toml").rename(coach / "gone.toml")
    found, skipped = find_in_progress(answers)
    assert [f.workbook.id for f in found] == ["work-your-network"]
    assert skipped == [
        f"{answers / 'odyssey-plan--ada.toml'}: this answer file's workbook 'odyssey-plan' was at ../odyssey.toml, "
        "which no longer exists; pass --workbook PATH"
    ]


def test_a_resumed_custom_workbook_opens_where_it_was_left(coach: Path) -> None:
    answers = coach / "answers"
    answer_once(coach / "odyssey.toml", answers)
    [item] = find_in_progress(answers)[0]
    session = Session.open(str(item.workbook_path), answers, item.person, answers_file=item.path)
    try:
        assert session.answer("plan-1", "title") == "Potter by the sea"
        assert session.walk.current.id == "welcome"
    finally:
        session.close()


def test_a_move_is_recorded_when_the_file_changed_on_disk_meanwhile(coach: Path) -> None:
    path = answer_once(coach / "odyssey.toml", coach / "answers")
    (coach / "odyssey.toml").rename(coach / "moved.toml")
    session = Session.open(coach / "moved.toml", coach / "answers", "Ada")
    try:
        edited = path.read_text(encoding="utf-8").replace("Potter by the sea", "Potter by the lake")
        path.write_text(edited + '\n[answers.next]\ntell = "My sister"\n', encoding="utf-8")
        session.set_answer("plan-2", "title", "Teacher in the mountains")
        result = session.save()
    finally:
        session.close()
    assert result.merged and result.wrote
    meta = header(path)
    answers = tomllib.loads(path.read_text(encoding="utf-8"))["answers"]
    assert meta["workbook_path"] == "../moved.toml"
    assert answers["plan-1"]["title"] == "Potter by the lake"
    assert answers["plan-2"]["title"] == "Teacher in the mountains"
    assert answers["next"]["tell"] == "My sister"


def test_an_answer_file_that_names_no_workbook_or_a_path_like_id_is_told_how_to_go_on(tmp_path: Path) -> None:
    from formative.answers.header import Header
    from formative.answers.workbook_path import workbook_of_answers

    path = tmp_path / "ada.toml"
    for header in (None, Header(person="Ada")):
        with pytest.raises(WorkbookError) as caught:
            workbook_of_answers(path, header)
        assert [str(p) for p in caught.value.problems] == [
            f'{path}: no [formative] workbook = "…" line; pass --workbook PATH'
        ]
    with pytest.raises(WorkbookError) as caught:
        workbook_of_answers(path, Header(workbook="../formative-community"))
    [problem] = caught.value.problems
    assert problem.source == str(path) and str(problem).endswith("pass --workbook PATH")
    assert workbook_of_answers(path, Header(workbook="formative-community")).name == "formative-community.toml"


def test_an_answer_file_cannot_open_a_file_of_its_workbooks_name_from_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only a bundled workbook is found by id: a file in the folder Formative runs from is never picked up."""
    from formative.answers.header import Header
    from formative.answers.workbook_path import workbook_of_answers

    monkeypatch.chdir(tmp_path)
    shutil.copy(EXAMPLE, tmp_path / "odyssey.toml")
    with pytest.raises(WorkbookError, match=r"workbook 'odyssey\.toml' is not bundled"):
        workbook_of_answers(tmp_path / "ada.toml", Header(workbook="odyssey.toml"))


def test_a_recorded_place_written_another_way_is_kept_when_the_workbook_is_there(coach: Path) -> None:
    path = answer_once(coach / "odyssey.toml", coach / "answers")
    path.write_text(path.read_text(encoding="utf-8").replace('"../odyssey.toml"', '"../answers/../odyssey.toml"'))
    before = path.read_bytes()
    session = Session.open(coach / "odyssey.toml", coach / "answers", "Ada")
    result = session.save()
    session.close()
    assert not result.wrote
    assert path.read_bytes() == before


def test_bundled_workbooks_are_found_beside_src_in_a_checkout() -> None:
    checkout = Path(formative.__file__).resolve().parents[2]
    assert linked.bundled_dir() == checkout / "workbooks"


def test_bundled_workbooks_are_found_inside_an_installed_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "workbooks").mkdir()
    monkeypatch.setattr(linked.resources, "files", lambda package: tmp_path)
    assert linked.bundled_dir() == tmp_path / "workbooks"


def test_a_name_with_a_slash_or_backslash_is_a_path_not_a_bundled_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "id.toml").write_text("", encoding="utf-8")
    (tmp_path / "a\\b.toml").write_text("", encoding="utf-8")
    (tmp_path / "id.toml").write_text("", encoding="utf-8")
    monkeypatch.setattr(linked, "bundled_dir", lambda: tmp_path)
    assert linked.find_workbook("sub/id") == Path("sub/id")
    assert linked.find_workbook("a\\b") == Path("a\\b")
    assert linked.find_workbook("id") == tmp_path / "id.toml"
    assert linked.find_workbook("no-such-id") == Path("no-such-id")
