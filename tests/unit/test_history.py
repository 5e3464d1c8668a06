"""`formative history`: the sittings and commits of an answer file, and one answer through time."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from formative.answers.history import (
    Version,
    ago,
    answer_timeline,
    day,
    file_versions,
    is_long_text,
    last_written,
    render_log,
    render_timeline,
    steps_changed,
    word_diff,
)
from formative.cli import cli
from formative.session import Session, begin_sitting, find_in_progress
from formative.workbook.starter import starter_workbook
from tests.gitutil import git

STORY_1 = (
    "Working alone got quiet. I want people to think out loud with, people who run a small "
    "business like mine and know what a slow month feels like, and who will tell me the truth."
)
STORY_2 = STORY_1.replace("the truth", "the truth kindly").replace("slow month", "slow quarter")


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    path = tmp_path / "demo.toml"
    path.write_text(starter_workbook("demo", "Demo"), encoding="utf-8")
    return path


def answer(demo: Path, answers: Path, when: str, values: dict[tuple[str, str], object], step: str) -> None:
    """One visit: set the answers and commit them as leaving step would, dated when."""
    import os

    os.environ["GIT_AUTHOR_DATE"] = when
    try:
        session = Session.open(demo, answers)
        for (step_id, prompt_id), value in values.items():
            session.set_answer(step_id, prompt_id, value)  # type: ignore[arg-type]
        session.save()
        session.commit(session.workbook.step(step))
        session.close()
    finally:
        del os.environ["GIT_AUTHOR_DATE"]


@pytest.fixture
def two_sittings(demo: Path, tmp_path: Path) -> Path:
    answers = tmp_path / "answers"
    answer(demo, answers, "2026-06-01T09:00:00+00:00", {("welcome", "name"): "Thursday circle"}, "welcome")
    answer(demo, answers, "2026-06-01T09:20:00+00:00", {("welcome", "story"): STORY_1}, "welcome")
    answer(demo, answers, "2026-06-01T09:40:00+00:00", {("people", "names"): ["Ada", "Grace"]}, "people")
    begin_sitting(demo, answers)
    answer(demo, answers, "2026-09-03T10:00:00+00:00", {("welcome", "story"): STORY_2}, "welcome")
    return answers


def test_history_lists_sittings_and_what_each_commit_changed(demo: Path, two_sittings: Path) -> None:
    result = CliRunner().invoke(cli, ["history", str(two_sittings / "demo.toml"), "-w", str(demo)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Demo · ")
    sitting_1 = lines.index("Sitting 1")
    sitting_2 = next(n for n, line in enumerate(lines) if line.startswith("Sitting 2 · started "))
    assert sitting_1 < sitting_2
    first = "\n".join(lines[sitting_1:sitting_2])
    assert "1 Jun 2026 09:00" in first and "Welcome" in first
    assert "1 Jun 2026 09:40" in first and "Who is in it" in first
    second = "\n".join(lines[sitting_2:])
    assert "(a new sitting begins: the answers start empty)" in second
    assert "3 Sep 2026 10:00" in second
    commits = git(two_sittings, "log", "--format=%H", "--", "demo.toml").split()
    assert len(commits) == 5 and all(f"  {commit[:8]}  " in result.output for commit in commits), "as git names them"


def test_history_of_one_prompt_shows_each_value_and_a_word_diff_for_long_text(demo: Path, two_sittings: Path) -> None:
    result = CliRunner().invoke(
        cli, ["history", str(two_sittings / "demo.toml"), "-w", str(demo), "--prompt", "welcome.story"]
    )
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.startswith("Demo · Why does it matter to you right now?")
    assert "1 Jun 2026 09:20 · sitting 1" in text
    assert STORY_1 in text  # the first version in full
    assert "sitting 2" in text and "(no answer)" in text  # the new sitting started empty
    assert "3 Sep 2026 10:00 · sitting 2" in text
    assert "… know what a slow [-month-] {+quarter+} feels like" in text
    assert "[-truth.-] {+truth kindly.+}" in text


def test_history_by_workbook_id_and_for_a_list(demo: Path, two_sittings: Path) -> None:
    result = CliRunner().invoke(
        cli, ["history", str(two_sittings / "demo.toml"), "-w", str(demo), "--prompt", "people.names"]
    )
    assert result.exit_code == 0, result.output
    assert "• Ada\n  • Grace" in result.output


def test_history_refuses_a_file_outside_git_and_an_unknown_prompt(demo: Path, tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    session = Session.open(demo, folder)
    session.set_answer("welcome", "name", "x")
    session.close()
    result = CliRunner().invoke(cli, ["history", str(folder / "demo.toml"), "-w", str(demo)])
    assert result.exit_code == 1
    assert "is not in a git repository" in result.output
    git(folder, "init", "-q")
    result = CliRunner().invoke(cli, ["history", str(folder / "demo.toml"), "-w", str(demo), "--prompt", "nope.x"])
    assert result.exit_code == 1
    assert "has no such question" in result.output


def test_answer_timeline_keeps_only_changes(demo: Path, two_sittings: Path) -> None:
    versions = file_versions(two_sittings / "demo.toml")
    names = answer_timeline(versions, "welcome", "name")
    assert [entry.value for entry in names] == ["Thursday circle", None]  # given, then the new sitting
    assert [entry.sitting for entry in names] == [1, 2]


def test_word_diff_marks_changes_and_shortens_what_stayed() -> None:
    diff = word_diff(STORY_1, STORY_2)
    assert "[-month-]" in diff and "{+quarter+}" in diff
    assert "…" in diff  # the long unchanged middle is shortened
    assert word_diff("a b c", "a b c") == "a b c"


def test_word_diff_of_a_long_story_marks_only_the_word_that_changed() -> None:
    """Past 200 words difflib's "popular word" shortcut (autojunk) would treat 'the', 'and'
    and 'we' as junk and mark the whole rest of the story as rewritten."""
    old = " ".join([STORY_1] * 8)  # 264 words, the common ones repeated
    new = old.replace("a slow month", "a slow quarter", 1)
    assert len(old.split()) > 200
    diff = word_diff(old, new)
    assert diff == "… know what a slow [-month-] {+quarter+} feels like, and who …"


def test_ago_reads_like_a_person() -> None:
    now = datetime(2026, 12, 4, 12, 0).astimezone()
    assert ago(now, now) == "today"
    assert ago(now - timedelta(days=3), now) == "3 days ago"
    assert ago(now - timedelta(days=21), now) == "3 weeks ago"
    assert ago(now - timedelta(days=125), now) == "4 months ago"
    assert ago(now - timedelta(days=800), now) == "2 years ago"


def test_days_are_written_with_the_months_short_name_in_every_locale() -> None:
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    assert [day(date(2026, month, 3)) for month in range(1, 13)] == [f"3 {name} 2026" for name in names]
    assert day(datetime(2027, 12, 31, 23, 59)) == "31 Dec 2027"


def test_last_written_is_the_commit_time_in_git_and_the_files_own_time_when_told_not_to_use_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    git(tmp_path, "init", "-q")
    path = tmp_path / "ada.toml"
    path.write_text("x = 1\n", encoding="utf-8")
    git(tmp_path, "add", "ada.toml")
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2026-06-01T09:00:00+00:00")
    git(tmp_path, "commit", "-q", "-m", "answers")
    os.utime(path, (1_700_000_000, 1_700_000_000))
    committed = last_written(path)
    assert committed is not None and committed.isoformat() == "2026-06-01T09:00:00+00:00"
    on_disk = last_written(path, git=False)
    assert on_disk is not None and on_disk.timestamp() == 1_700_000_000


def test_the_home_screen_knows_when_a_review_is_due(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    answers = tmp_path / "answers"
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2026-06-01T09:00:00+00:00")
    session = Session.open("work-your-network", answers)
    step = session.workbook.steps[1]
    session.set_answer(step.id, step.answer_prompts[0].id, "To learn how product teams work")
    session.close()
    found, _ = find_in_progress(answers)
    item = found[0]
    assert item.workbook.review_every_days == 90
    assert item.last_written is not None and item.last_written.date().isoformat() == "2026-06-01"
    assert not item.due_for_review(datetime(2026, 8, 1).astimezone())
    assert item.due_for_review(datetime(2026, 10, 1).astimezone())


def test_a_day_reads_the_same_in_every_locale() -> None:
    assert [day(date(2026, m, d)) for m, d in ((1, 3), (6, 30), (12, 31))] == [
        "3 Jan 2026",
        "30 Jun 2026",
        "31 Dec 2026",
    ]
    assert day(datetime(2025, 9, 3, 23, 59)) == "3 Sep 2025"


def test_ago_at_each_boundary() -> None:
    now = datetime(2026, 3, 1, 12, 0)
    expected = {0: "today", 1: "1 day ago", 13: "13 days ago", 14: "2 weeks ago", 59: "8 weeks ago", 60: "2 months ago"}
    expected |= {729: "24 months ago", 730: "2 years ago", 365 * 3: "3 years ago"}
    for days, words in expected.items():
        assert ago(now - timedelta(days=days), now) == words, days
    assert ago(now + timedelta(days=2), now) == "today", "a clock set back counts as today"


def version(n: int, values: dict[str, dict[str, object]] | None, sitting: int = 1) -> Version:
    return Version(f"c{n}", datetime(2026, 1, n, 9, 0), f"commit {n}", values, sitting, None)


def test_the_timeline_skips_unreadable_versions_and_blank_answers_read_as_none() -> None:
    newest_first = [
        version(5, {"a": {"x": "three"}}, sitting=2),
        version(4, {"a": {"x": "  "}}, sitting=2),  # a new sitting starts empty
        version(3, None),  # a version that did not parse: skipped, the story goes on
        version(2, {"a": {"x": "two"}}),
        version(1, {"a": {"x": "two"}, "b": {"y": "other"}}),
    ]
    timeline = answer_timeline(newest_first, "a", "x")
    assert [(t.commit, t.value, t.sitting) for t in timeline] == [("c1", "two", 1), ("c4", None, 2), ("c5", "three", 2)]
    assert answer_timeline([version(1, {"a": {}})], "a", "x") == [], "never answered: nothing to show"


def test_steps_changed_in_the_newer_files_order_including_removed_steps() -> None:
    older = {"a": {"x": "1"}, "gone": {"y": "2"}, "same": {"z": "3"}}
    newer = {"new": {"w": "4"}, "a": {"x": "changed"}, "same": {"z": "3"}}
    assert steps_changed(older, newer) == ["new", "a", "gone"]
    assert steps_changed(None, {"a": {}}) == [] and steps_changed(None, {"a": {"x": "1"}}) == ["a"]
    assert steps_changed({"a": {}}, None) == [], "an empty step that is gone changed no answer"


def test_last_written_without_git_is_the_files_own_time(tmp_path: Path) -> None:
    path = tmp_path / "ada.toml"
    assert last_written(path, git=False) is None
    path.write_text("x = 1\n", encoding="utf-8")
    os.utime(path, (1_700_000_000, 1_700_000_000))
    when = last_written(path, git=False)
    assert when is not None and when.timestamp() == 1_700_000_000 and when.tzinfo is not None


def commit(
    n: int, values: dict[str, dict[str, object]] | None, sitting: int = 1, started: date | None = None
) -> Version:
    return Version(f"abcdef{n}0123", datetime(2026, 1, n, 9, n), f"c{n}", values, sitting, started)


def test_the_log_tells_each_sittings_commits_and_what_changed() -> None:
    newest_first = [
        commit(8, {"a": {"x": "3"}, "b": {}}, sitting=2),
        commit(7, {"a": {}, "b": {}}, sitting=2, started=date(2026, 1, 7)),
        commit(6, None),
        commit(5, {"a": {}, "b": {}}),
        commit(4, {"a": {"x": "2"}, "b": {"y": "1"}}),
        commit(3, {"a": {"x": "2"}}),
        commit(2, {"a": {"x": "2"}}),
        commit(1, {}, started=date(2026, 1, 1)),
    ]
    assert render_log(newest_first, str.upper) == (
        "Sitting 1 · started 1 Jan 2026\n"
        "  1 Jan 2026 09:01  abcdef10  (no answers yet)\n"
        "  2 Jan 2026 09:02  abcdef20  A\n"
        "  3 Jan 2026 09:03  abcdef30  (no answers changed)\n"
        "  4 Jan 2026 09:04  abcdef40  B\n"
        "  5 Jan 2026 09:05  abcdef50  A, B\n"  # every answer cleared within the sitting: a change
        "  6 Jan 2026 09:06  abcdef60  (the file could not be read at this commit)\n"
        "\n"
        "Sitting 2 · started 7 Jan 2026\n"
        "  7 Jan 2026 09:07  abcdef70  (a new sitting begins: the answers start empty)\n"
        "  8 Jan 2026 09:08  abcdef80  A\n"
    )
    assert render_log([], str) == "No commits of this file yet.\n"


def test_a_long_answer_shows_whole_then_only_its_changes_across_a_sittings_empty_start() -> None:
    first = "one two three four five six seven eight nine ten eleven twelve\nline\nline"
    later = first.replace("twelve", "TWELVE")
    newest_first = [
        commit(4, {"a": {"x": later}}, sitting=2),
        commit(3, {"a": {}}, sitting=2),
        commit(2, {"a": {"x": first}}),
        commit(1, {"a": {"x": ["i", "j"]}}),
    ]
    assert render_timeline(answer_timeline(newest_first, "a", "x")) == (
        "1 Jan 2026 09:01 · sitting 1 · abcdef10\n  • i\n  • j\n"
        "2 Jan 2026 09:02 · sitting 1 · abcdef20\n"
        "  one two three four five six seven eight nine ten eleven twelve\n  line\n  line\n"
        "3 Jan 2026 09:03 · sitting 2 · abcdef30\n  (no answer)\n"
        "4 Jan 2026 09:04 · sitting 2 · abcdef40\n  … eight nine ten eleven [-twelve-] {+TWELVE+} line line\n"
    )
    assert render_timeline([]) == "This answer has no committed versions yet.\n"


def test_a_word_diff_keeps_context_only_beside_a_change() -> None:
    assert word_diff("a b c d e f g h i j k l", "a b c d e f g h i j k L", context=2) == "… j k [-l-] {+L+}"
    assert word_diff("x a b c d e f g h", "y a b c d e f g h", context=2) == "[-x-] {+y+} a b …"
    assert word_diff("a b c d", "a b c d e", context=2) == "a b c d {+e+}", "a short stretch is kept whole"
    assert word_diff("we meet on Thursday evenings", "we meet evenings") == "we meet [-on Thursday-] evenings"
    assert word_diff("we meet evenings", "we meet on Thursday evenings") == "we meet {+on Thursday+} evenings"


def test_a_long_text_is_over_160_characters_or_three_lines() -> None:
    assert not is_long_text("x" * 160) and is_long_text("x" * 161)
    assert not is_long_text("one\ntwo") and is_long_text("one\ntwo\nthree")
    assert not is_long_text(["x" * 200])


def test_history_of_answers_kept_in_a_folder_of_a_bigger_repository(demo: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    answers = notes / "community" / "answers"
    answers.mkdir(parents=True)
    git(notes, "init", "-q")
    answer(demo, answers, "2026-06-01T09:00:00+00:00", {("welcome", "name"): "Thursday circle"}, "welcome")
    answer(demo, answers, "2026-06-02T09:00:00+00:00", {("welcome", "name"): "Friday circle"}, "welcome")
    assert git(notes, "rev-parse", "--show-toplevel").strip() == str(notes.resolve())
    versions = file_versions(answers / "demo.toml")
    assert [v.values["welcome"]["name"] for v in versions if v.values] == ["Friday circle", "Thursday circle"]


def test_a_commit_that_removed_the_file_stays_in_its_history(demo: Path, tmp_path: Path) -> None:
    answers = tmp_path / "answers"
    answer(demo, answers, "2026-06-01T09:00:00+00:00", {("welcome", "name"): "Thursday circle"}, "welcome")
    git(answers, "rm", "-q", "demo.toml")
    git(answers, "commit", "-q", "-m", "start afresh")
    answer(demo, answers, "2026-06-02T09:00:00+00:00", {("welcome", "name"): "Friday circle"}, "welcome")
    versions = file_versions(answers / "demo.toml")
    assert [v.values is None for v in versions] == [False, True, False]
    log = render_log(versions, str)
    assert log.count("(the file could not be read at this commit)") == 1
    assert [entry.value for entry in answer_timeline(versions, "welcome", "name")] == [
        "Thursday circle",
        "Friday circle",
    ]


def test_each_version_tells_its_commits_subject_even_for_a_name_with_a_space_gone_at_a_commit(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    path = repo / "my answers.toml"
    path.write_text('[answers.welcome]\nname = "Ada"\n', encoding="utf-8")
    git(repo, "add", "--", path.name)
    git(repo, "commit", "-qm", "Wrote my name")
    git(repo, "rm", "-q", "--", path.name)
    git(repo, "commit", "-qm", "Took it away")
    versions = file_versions(path)
    assert [(v.subject, v.values) for v in versions] == [
        ("Took it away", None),
        ("Wrote my name", {"welcome": {"name": "Ada"}}),
    ]
