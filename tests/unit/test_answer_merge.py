"""Never lose words: the answer file changes on disk while it is open, or holds odd shapes.

A hand edit (a second write to the same file), a `git pull` (a new file renamed over
it), a half-edited file that no longer parses, a deleted file, inline tables, values
of the wrong type and a format from a newer release. Each case checks the file on
disk with tomllib, not only what the store says.
"""

from __future__ import annotations

import itertools
import os
import random
import re
import time
import tomllib
from pathlib import Path
from typing import Any

import pytest

from formative.answers import AnswerFileError, AnswerStore
from formative.answers.store import SaveResult, _comment_lines, is_side_file
from formative.session import find_in_progress
from formative.workbook.model import Workbook
from tests.unit.test_answer_store import HOSTILE


def read_toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def answers_on_disk(path: Path) -> dict[str, Any]:
    return read_toml(path).get("answers", {})


def all_values(store: AnswerStore) -> dict[str, dict[str, Any]]:
    return {step: store.step_values(step) for step in store.step_ids()}


def hand_edit(path: Path, old: str, new: str) -> None:
    """Edit the file in place, as an editor that writes over the same file does."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in the file"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(text.replace(old, new))


def git_pull(path: Path, old: str, new: str) -> None:
    """Replace the file by a new one renamed over it, as `git pull` or `git checkout` do."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in the file"
    incoming = path.with_name(".incoming")
    incoming.write_text(text.replace(old, new), encoding="utf-8")
    os.replace(incoming, path)


def side_files(folder: Path, kind: str) -> list[Path]:
    return sorted(p for p in folder.iterdir() if f".{kind}-" in p.name)


@pytest.fixture
def opened(tmp_path: Path, starter: Workbook) -> Any:
    """An answer file with a few answers, open in a store (as the app holds it)."""
    path = tmp_path / "demo--ada.toml"
    with AnswerStore.open(path, starter, person="Ada") as store:
        store.set("welcome", "name", "Thursday circle")
        store.set("welcome", "story", "Line one.\nLine two.")
        store.set("people", "names", ["Ann", "Bo"])
        store.set("choose", "energy", 3)
    store = AnswerStore.open(path, starter)
    yield store
    store.close()


# Both sides changed different answers -----------------------------------------------------

EDITS = [hand_edit, git_pull]


@pytest.mark.parametrize("edit", EDITS, ids=["hand-edit", "git-pull"])
def test_disk_changed_one_answer_and_the_app_another_both_are_kept(opened: AnswerStore, edit: Any) -> None:
    path = opened.path
    edit(path, 'name = "Thursday circle"', 'name = "Friday circle"  # renamed by hand\n# a note of mine')
    opened.set("choose", "energy", 5)
    result = opened.sync()

    assert result.wrote and result.merged
    assert result.conflicts == () and result.side_file is None
    assert result.changed_on_disk == {("welcome", "name")}
    text = path.read_text(encoding="utf-8")
    assert 'name = "Friday circle"  # renamed by hand\n# a note of mine' in text  # layout and comments survive
    on_disk = answers_on_disk(path)
    assert on_disk["welcome"]["name"] == "Friday circle"
    assert on_disk["choose"]["energy"] == 5
    assert on_disk["welcome"]["story"] == "Line one.\nLine two."
    # What the app holds is what the file holds.
    assert all_values(opened) == on_disk
    assert opened.get("welcome", "name") == "Friday circle"
    assert "Took in changes" in (result.notice or "")
    assert side_files(path.parent, "conflict") == []


@pytest.mark.parametrize("edit", EDITS, ids=["hand-edit", "git-pull"])
def test_a_step_added_on_disk_and_an_answer_removed_in_the_app(opened: AnswerStore, edit: Any) -> None:
    path = opened.path
    edit(path, "[answers.choose]", '[answers.boost]\nsmall-move = "Call Ann"\n\n[answers.choose]')
    opened.set("people", "names", None)
    opened.save()
    on_disk = answers_on_disk(path)
    assert on_disk["boost"] == {"small-move": "Call Ann"}
    assert "people" not in on_disk
    assert all_values(opened) == on_disk


def test_an_answer_removed_on_disk_is_removed_in_the_app_too(opened: AnswerStore) -> None:
    path = opened.path
    hand_edit(path, "energy = 3\n", "")
    opened.set("welcome", "name", "Changed in the app")
    result = opened.sync()
    assert result.changed_on_disk == {("choose", "energy")}
    assert opened.get("choose", "energy") is None
    assert "energy" not in answers_on_disk(path).get("choose", {})
    assert answers_on_disk(path)["welcome"]["name"] == "Changed in the app"


def test_both_sides_making_the_same_change_is_no_conflict(opened: AnswerStore) -> None:
    path = opened.path
    git_pull(path, "energy = 3", "energy = 4")
    opened.set("choose", "energy", 4)
    result = opened.sync()
    assert result.conflicts == () and result.side_file is None
    assert answers_on_disk(path)["choose"]["energy"] == 4


# Both sides changed the same answer ---------------------------------------------------------


@pytest.mark.parametrize("edit", EDITS, ids=["hand-edit", "git-pull"])
def test_a_real_conflict_keeps_the_apps_version_in_the_file_and_the_disks_beside_it(
    opened: AnswerStore, edit: Any
) -> None:
    path = opened.path
    edit(path, "Line one.\nLine two.", "Line one, as edited by hand.\nLine two.")
    edit(path, 'name = "Thursday circle"', 'name = "Renamed on disk"')
    opened.set("welcome", "story", "Line one, as typed in the app.\nLine two.")
    opened.set("people", "names", ["Ann", "Bo", "Cy"])  # only the app changed this one
    result = opened.sync()

    assert result.conflicts == (("welcome", "story"),)
    assert result.side_file is not None and result.side_file.exists()
    assert result.side_file.parent == path.parent
    assert re.fullmatch(r"demo--ada\.conflict-\d{8}-\d{6}\.toml", result.side_file.name)
    assert is_side_file(result.side_file)
    notice = result.notice or ""
    assert result.side_file.name in notice and path.name in notice

    # The main file: the app's version of the conflict, the disk's other change, the app's other change.
    on_disk = answers_on_disk(path)
    assert on_disk["welcome"]["story"] == "Line one, as typed in the app.\nLine two."
    assert on_disk["welcome"]["name"] == "Renamed on disk"
    assert on_disk["people"]["names"] == ["Ann", "Bo", "Cy"]
    assert all_values(opened) == on_disk

    # The side file: a valid answer file with the disk's version of the conflicting answer only.
    side = read_toml(result.side_file)
    assert side["formative"] == {"format": 1, "workbook": "demo", "person": "Ada"}
    assert side["answers"] == {"welcome": {"story": "Line one, as edited by hand.\nLine two."}}
    side_text = result.side_file.read_text(encoding="utf-8")
    assert re.match(
        r"# demo--ada\.toml changed on disk while Formative had it open, and these answers were changed\n"
        r"# both there and in the app\. The file now holds the app's version; this is the\n"
        r"# version that was on disk \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\)\. Copy into demo--ada\.toml what you\n"
        r"# want to keep, then delete this file\.\n",
        side_text,
    ), side_text
    assert 'story = """\nLine one, as edited by hand.\nLine two."""' in side_text


def test_an_answer_removed_in_the_app_but_changed_on_disk_keeps_the_disks_text(opened: AnswerStore) -> None:
    path = opened.path
    hand_edit(path, '"Bo",', '"Bob",')
    opened.set("people", "names", None)
    result = opened.sync()
    assert result.conflicts == (("people", "names"),)
    assert result.side_file is not None
    assert "people" not in answers_on_disk(path)
    assert read_toml(result.side_file)["answers"] == {"people": {"names": ["Ann", "Bob"]}}


def test_conflicts_in_several_steps_are_kept_aside_in_the_workbooks_order(opened: AnswerStore) -> None:
    path = opened.path
    hand_edit(path, 'name = "Thursday circle"', 'name = "Named on disk"')
    hand_edit(path, "energy = 3", "energy = 4")
    opened.set("choose", "energy", 5)
    opened.set("welcome", "name", "Named in the app")
    result = opened.sync()
    assert result.side_file is not None
    text = result.side_file.read_text(encoding="utf-8")
    assert text.index("[answers.welcome]") < text.index("[answers.choose]"), "welcome comes first in the workbook"
    assert read_toml(result.side_file)["answers"] == {"welcome": {"name": "Named on disk"}, "choose": {"energy": 4}}


def test_conflicts_in_the_same_second_never_overwrite_an_earlier_side_file(
    opened: AnswerStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    frozen = time.localtime()
    real_strftime = time.strftime
    monkeypatch.setattr(time, "strftime", lambda pattern, *when: real_strftime(pattern, frozen))
    path = opened.path
    files = []
    for n in range(3):
        git_pull(path, f'name = "{opened.get("welcome", "name")}"', f'name = "disk {n}"')
        opened.set("welcome", "name", f"app {n}")
        result = opened.sync()
        assert result.side_file is not None
        files.append(result.side_file)
    assert len(set(files)) == 3
    stem = files[0].name.removesuffix(".toml")
    assert [f.name for f in files] == [f"{stem}.toml", f"{stem}-2.toml", f"{stem}-3.toml"]
    assert [read_toml(f)["answers"]["welcome"]["name"] for f in files] == ["disk 0", "disk 1", "disk 2"]
    assert answers_on_disk(path)["welcome"]["name"] == "app 2"


# A file that changed on disk while nothing changed in the app ------------------------------


def test_a_change_on_disk_alone_is_taken_in_without_rewriting_the_file(opened: AnswerStore) -> None:
    path = opened.path
    hand_edit(path, "energy = 3", "energy = 2  # a quiet week")
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    before = path.read_bytes()
    result = opened.sync()
    assert not result.wrote
    assert result.changed_on_disk == {("choose", "energy")}
    assert opened.get("choose", "energy") == 2
    assert path.read_bytes() == before
    assert path.stat().st_mtime_ns == 1_000_000_000
    # Then an app change is written over the hand edit's layout, not over the hand edit.
    opened.set("welcome", "name", "Later")
    assert opened.sync().wrote
    assert "energy = 2  # a quiet week" in path.read_text(encoding="utf-8")


def test_a_touched_file_with_the_same_content_is_not_a_merge(opened: AnswerStore) -> None:
    path = opened.path
    os.utime(path, ns=(2_000_000_000, 2_000_000_000))
    result = opened.sync()
    assert result == SaveResult(path)
    assert result.notice is None


def test_changing_one_answer_after_a_merge_changes_only_its_lines(opened: AnswerStore) -> None:
    path = opened.path
    hand_edit(path, "energy = 3", "energy = 2")
    opened.sync()
    before = path.read_text(encoding="utf-8").splitlines()
    opened.set("welcome", "name", "One line changes")
    opened.sync()
    after = path.read_text(encoding="utf-8").splitlines()
    assert len(before) == len(after)
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [('name = "Thursday circle"', 'name = "One line changes"')]


# A file that does not parse, or is no longer ours --------------------------------------------


def test_a_file_that_stops_parsing_is_left_alone_and_the_apps_answers_go_to_a_recovery_file(
    opened: AnswerStore,
) -> None:
    path = opened.path
    hand_edit(path, 'name = "Thursday circle"', 'name = "Thursday circle')  # mid-edit: unterminated
    broken = path.read_bytes()
    opened.set("welcome", "story", "Typed while the file was broken.")
    result = opened.sync()

    assert not result.wrote
    assert path.read_bytes() == broken
    assert result.problem is not None
    assert re.search(re.escape(str(path)) + r":\d+:\d+: this answer file is not valid TOML", result.problem)
    recovery = result.recovery_file
    assert recovery is not None and recovery.exists() and is_side_file(recovery)
    assert recovery.name in (result.notice or "")
    kept = read_toml(recovery)
    assert kept["formative"]["workbook"] == "demo"
    header = recovery.read_text("utf-8").split("\n\n")[0]
    comments = [line.removeprefix("# ") for line in header.splitlines()]
    assert comments[0] == f"Formative kept your answers here because {path.name} could not be read:"
    assert comments[-1].startswith(f"Once {path.name} is fixed")
    why = comments[1:-1]
    assert " ".join(why) == " ".join(result.problem.split()), "the whole problem, word for word"
    assert len(why) > 1 and all(len(line) <= 88 or " " not in line for line in why), "wrapped at 88 (a long path alone)"
    assert all(len(line) + 1 + len(after.split()[0]) > 88 for line, after in itertools.pairwise(why))
    assert kept["answers"]["welcome"] == {"name": "Thursday circle", "story": "Typed while the file was broken."}
    assert opened.dirty  # so the next save tries again

    # More typing while it is still broken updates the same recovery file.
    opened.set("choose", "energy", 1)
    again = opened.sync()
    assert again.recovery_file == recovery
    assert read_toml(recovery)["answers"]["choose"]["energy"] == 1
    assert side_files(path.parent, "recovered") == [recovery]

    # Fixed by hand: the next save merges, and the recovery copy has done its job.
    hand_edit(path, 'name = "Thursday circle', 'name = "Thursday circle, fixed"')
    fixed = opened.sync()
    assert fixed.wrote and fixed.problem is None
    on_disk = answers_on_disk(path)
    assert on_disk["welcome"] == {"name": "Thursday circle, fixed", "story": "Typed while the file was broken."}
    assert on_disk["choose"]["energy"] == 1
    assert not recovery.exists()


def test_a_broken_file_with_nothing_unsaved_is_reported_and_nothing_is_written(opened: AnswerStore) -> None:
    path = opened.path
    hand_edit(path, "[answers.choose]", "[answers.choose")
    result = opened.sync()
    assert result.problem is not None and result.recovery_file is None
    assert result.path == path and not result.wrote
    assert side_files(path.parent, "recovered") == []


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('workbook = "demo"', 'workbook = "another"', "another"),
        ("format = 1", "format = 99", "written by a newer Formative (format 99)"),
        ("[formative]", "[something-else]", "no [formative] table"),
        ("[answers.welcome]", "[[answers.welcome]]", "one table per step"),
    ],
)
def test_a_file_replaced_by_something_else_is_not_overwritten(
    opened: AnswerStore, old: str, new: str, message: str
) -> None:
    path = opened.path
    git_pull(path, old, new)
    before = path.read_bytes()
    opened.set("choose", "energy", 2)
    result = opened.sync()
    assert message in (result.problem or "")
    assert path.read_bytes() == before
    assert result.recovery_file is not None
    assert read_toml(result.recovery_file)["answers"]["choose"]["energy"] == 2


def test_a_kill_while_the_file_is_broken_points_to_the_recovery_copy_on_the_next_open(
    opened: AnswerStore, starter: Workbook
) -> None:
    path = opened.path
    hand_edit(path, "[answers.choose]", "[answers.choose")
    opened.set("choose", "energy", 2)
    recovery = opened.sync().recovery_file
    assert recovery is not None
    opened._lock.release()  # type: ignore[union-attr]  # as a SIGKILL would
    with pytest.raises(AnswerFileError) as caught:
        AnswerStore.open(path, starter)
    assert recovery.name in str(caught.value)


# A file deleted on disk --------------------------------------------------------------------


def test_a_deleted_file_is_written_anew_with_every_answer(opened: AnswerStore) -> None:
    path = opened.path
    everything = all_values(opened)
    path.unlink()
    opened.set("choose", "energy", 4)
    result = opened.sync()
    assert result.wrote and result.recreated
    assert "deleted" in (result.notice or "")
    everything["choose"]["energy"] = 4
    assert answers_on_disk(path) == everything
    assert read_toml(path)["formative"]["person"] == "Ada"


def test_a_deleted_file_is_written_anew_at_the_next_save_even_with_nothing_unsaved(opened: AnswerStore) -> None:
    """The answers in memory may be the only copy left (an `rm` by mistake, a checkout)."""
    path = opened.path
    everything = all_values(opened)
    path.unlink()
    result = opened.sync()
    assert result.recreated
    assert answers_on_disk(path) == everything


def test_a_file_deleted_after_changes_from_disk_were_taken_in_is_written_anew(opened: AnswerStore) -> None:
    """A pull brings a change (taken in, nothing of the app's to write), then a checkout removes the file."""
    path = opened.path
    git_pull(path, "Thursday circle", "Friday circle")
    assert opened.sync().merged
    path.unlink()
    result = opened.sync()
    assert result.recreated
    assert answers_on_disk(path)["welcome"]["name"] == "Friday circle"


def test_a_reader_never_writes_a_file_deleted_under_it(tmp_path: Path, starter: Workbook, opened: AnswerStore) -> None:
    reader = AnswerStore.open(opened.path, starter, lock=False)
    opened.path.unlink()
    reader.close()
    assert not opened.path.exists()


# Many rounds of changes on both sides --------------------------------------------------------

PROMPTS: list[tuple[str, str, Any]] = [
    ("welcome", "name", lambda n: f"name {n}"),
    ("welcome", "story", lambda n: f"story {n}\nline two"),
    ("people", "names", lambda n: [f"p{n}", "q"]),
    ("choose", "energy", lambda n: n % 5 + 1),
    ("boost", "small-move", lambda n: f"move {n}"),
]


def test_random_rounds_of_edits_on_both_sides_lose_nothing(opened: AnswerStore, starter: Workbook) -> None:
    """Whatever either side changes, each change is in the file or in a side file."""
    rng = random.Random(9)
    path = opened.path
    for round_number in range(40):
        disk_key = rng.choice(PROMPTS)
        app_key = rng.choice(PROMPTS)
        disk_value = disk_key[2](1000 + round_number)
        app_value = app_key[2](round_number)
        # The disk side: rewrite the whole file with one answer changed, via a second store.
        with AnswerStore.open(path.with_name("scratch.toml"), starter) as scratch:
            for step_id, prompts in tomllib.loads(path.read_text(encoding="utf-8")).get("answers", {}).items():
                for prompt_id, value in prompts.items():
                    scratch.set(step_id, prompt_id, value)
            scratch.set(disk_key[0], disk_key[1], disk_value)
        os.replace(path.with_name("scratch.toml"), path)
        app_changed = opened.get(app_key[0], app_key[1]) != app_value  # setting the same value is no change
        opened.set(app_key[0], app_key[1], app_value)
        result = opened.sync()
        on_disk = answers_on_disk(path)
        assert all_values(opened) == on_disk
        same_answer = disk_key[:2] == app_key[:2]
        if app_changed:
            assert on_disk[app_key[0]][app_key[1]] == app_value
        if same_answer and app_changed and disk_value != app_value:
            assert result.side_file is not None
            assert answers_on_disk(result.side_file)[disk_key[0]][disk_key[1]] == disk_value
        elif not same_answer or not app_changed:
            assert on_disk[disk_key[0]][disk_key[1]] == disk_value
            assert result.side_file is None


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_text_survives_a_merge_byte_for_byte(opened: AnswerStore, name: str) -> None:
    path = opened.path
    text = HOSTILE[name]
    git_pull(path, "energy = 3", "energy = 2")
    opened.set("welcome", "story", text)
    opened.set("people", "names", ["before", text])
    result = opened.sync()
    assert result.merged
    on_disk = answers_on_disk(path)
    assert on_disk["welcome"]["story"] == text
    assert on_disk["people"]["names"] == ["before", text]
    assert on_disk["choose"]["energy"] == 2
    assert not re.search(rb"[\x00-\x08\x0b-\x1f\x7f]", path.read_bytes())


# Shapes a hand-written file may have -----------------------------------------------------------

HEADER = '[formative]\nformat = 1\nworkbook = "demo"\n\n'
SHAPES = {
    "inline-step": HEADER
    + '[answers]\nwelcome = { name = "Ada", story = "kept" }  # mine\npeople = { names = ["Ann"] }\n',
    "inline-answers": 'answers = { welcome = { name = "Ada", story = "kept" }, people = { names = ["Ann"] } }\n\n'
    + HEADER,
    "dotted-in-answers": HEADER + '[answers]\nwelcome.name = "Ada"\nwelcome.story = "kept"\npeople.names = ["Ann"]\n',
    "dotted-top": 'answers.welcome.name = "Ada"\nanswers.welcome.story = "kept"\nanswers.people.names = ["Ann"]\n\n'
    + HEADER,
    "mixed": HEADER + '[answers]\nwelcome = { name = "Ada", story = "kept" }\n\n[answers.people]\nnames = ["Ann"]\n',
    "out-of-order": HEADER + '[answers.people]\nnames = ["Ann"]\n\n[answers.welcome]\nname = "Ada"\nstory = "kept"\n',
    "split": '[answers.welcome]\nname = "Ada"\nstory = "kept"\n\n' + HEADER + '[answers.people]\nnames = ["Ann"]\n',
}
START = {"welcome": {"name": "Ada", "story": "kept"}, "people": {"names": ["Ann"]}}
CHANGES: list[tuple[str, str, Any]] = [
    ("welcome", "name", "Ada Lovelace"),
    ("welcome", "name", None),
    ("welcome", "story", "line\ntwo"),
    ("people", "contacts", [{"person": "Ann"}]),
    ("people", "names", None),
    ("choose", "energy", 2),
    ("welcome", "story", None),
    ("boost", "small-move", "x"),
]


@pytest.mark.parametrize("shape", list(SHAPES))
def test_inline_and_dotted_tables_open_change_and_save_without_losing_anything(
    tmp_path: Path, starter: Workbook, shape: str
) -> None:
    path = tmp_path / "a.toml"
    path.write_text(SHAPES[shape], encoding="utf-8")
    assert answers_on_disk(path) == START
    expected: dict[str, dict[str, Any]] = {step: dict(prompts) for step, prompts in START.items()}
    with AnswerStore.open(path, starter) as store:
        assert all_values(store) == START
        for step_id, prompt_id, value in CHANGES:
            store.set(step_id, prompt_id, value)
            if value is None:
                expected.get(step_id, {}).pop(prompt_id, None)
            else:
                expected.setdefault(step_id, {})[prompt_id] = value
            expected = {s: p for s, p in expected.items() if p}
            store.save()
            assert answers_on_disk(path) == expected, path.read_text(encoding="utf-8")
            assert all_values(store) == expected


RANDOM_ANSWERS: list[tuple[str, str, Any]] = [
    ("welcome", "name", lambda n: f"name {n}"),
    ("welcome", "story", lambda n: f"story {n}\nmore"),
    ("people", "names", lambda n: [f"p{n}"]),
    ("people", "contacts", lambda n: [{"person": f"c{n}"}]),
    ("choose", "energy", lambda n: n % 5 + 1),
    ("choose", "rhythm", lambda n: f"r{n}"),
    ("boost", "small-move", lambda n: f"m{n}"),
    ("gone-step", "old", lambda n: f"o{n}"),
]


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("shape", list(SHAPES))
def test_random_changes_to_every_shape_land_in_the_file(
    tmp_path: Path, starter: Workbook, shape: str, seed: int
) -> None:
    rng = random.Random(seed)
    path = tmp_path / "a.toml"
    path.write_text(SHAPES[shape], encoding="utf-8")
    expected: dict[str, dict[str, Any]] = {step: dict(prompts) for step, prompts in START.items()}
    with AnswerStore.open(path, starter) as store:
        for n in range(30):
            step_id, prompt_id, make = rng.choice(RANDOM_ANSWERS)
            value = None if rng.random() < 0.3 else make(n)
            store.set(step_id, prompt_id, value)
            if value is None:
                expected.get(step_id, {}).pop(prompt_id, None)
            else:
                expected.setdefault(step_id, {})[prompt_id] = value
            expected = {s: p for s, p in expected.items() if p}
            if rng.random() < 0.5:
                store.save()
                assert answers_on_disk(path) == expected, path.read_text(encoding="utf-8")
            assert all_values(store) == expected
    assert answers_on_disk(path) == expected


def test_an_inline_step_the_app_changes_becomes_a_table_and_the_others_stay_inline(
    tmp_path: Path, starter: Workbook
) -> None:
    path = tmp_path / "a.toml"
    path.write_text(SHAPES["inline-step"], encoding="utf-8")
    with AnswerStore.open(path, starter) as store:
        store.set("welcome", "name", "Ada L.")
        store.set("choose", "energy", 2)
    text = path.read_text(encoding="utf-8")
    assert 'people = { names = ["Ann"] }' in text
    assert '[answers.welcome] # mine\nname = "Ada L."\nstory = "kept"\n' in text
    assert answers_on_disk(path) == {
        "welcome": {"name": "Ada L.", "story": "kept"},
        "people": {"names": ["Ann"]},
        "choose": {"energy": 2},
    }


def test_a_disk_file_turned_inline_merges(opened: AnswerStore) -> None:
    path = opened.path
    path.write_text(
        HEADER + '[answers]\nwelcome = { name = "Inline now", story = "Line one.\\nLine two." }\n', encoding="utf-8"
    )
    opened.set("welcome", "story", "App story")
    opened.sync()
    on_disk = answers_on_disk(path)
    assert on_disk["welcome"] == {"name": "Inline now", "story": "App story"}
    assert "people" not in on_disk  # removed on disk, untouched in the app


def test_wrong_typed_values_are_read_as_they_are_and_kept(tmp_path: Path, starter: Workbook) -> None:
    path = tmp_path / "a.toml"
    path.write_text(
        HEADER + '[answers.welcome]\nname = 42\nstory = ["a", "list"]\n\n[answers.people]\nnames = { a = "table" }\n',
        encoding="utf-8",
    )
    with AnswerStore.open(path, starter) as store:
        assert store.get("welcome", "name") == 42
        assert store.get("welcome", "story") == ["a", "list"]
        assert store.get("people", "names") == {"a": "table"}
        store.set("choose", "energy", 3)
    on_disk = answers_on_disk(path)
    assert on_disk["welcome"] == {"name": 42, "story": ["a", "list"]}
    assert on_disk["people"] == {"names": {"a": "table"}}


def test_a_conflict_over_a_wrong_typed_value_keeps_it_in_the_side_file(opened: AnswerStore) -> None:
    git_pull(opened.path, 'name = "Thursday circle"', "name = 42")
    opened.set("welcome", "name", "Typed")
    result = opened.sync()
    assert result.side_file is not None
    assert read_toml(result.side_file)["answers"] == {"welcome": {"name": 42}}
    assert answers_on_disk(opened.path)["welcome"]["name"] == "Typed"


# The format number ---------------------------------------------------------------------------


def test_a_file_from_a_newer_formative_is_refused_and_left_untouched(tmp_path: Path, starter: Workbook) -> None:
    path = tmp_path / "a.toml"
    path.write_text('[formative]\nformat = 99\nworkbook = "demo"\n\n[answers.welcome]\nname = "x"\n', encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(AnswerFileError) as caught:
        AnswerStore.open(path, starter)
    message = str(caught.value)
    assert "written by a newer Formative (format 99); update Formative to open it" in message
    assert f"{path}:2:1" in message
    assert path.read_bytes() == before


@pytest.mark.parametrize("value", ['"1"', "1.0", "true", "0", "-3", "[1]"])
def test_a_format_that_is_not_a_whole_number_is_an_error(tmp_path: Path, starter: Workbook, value: str) -> None:
    path = tmp_path / "a.toml"
    path.write_text(f'[formative]\nworkbook = "demo"\nformat = {value}\n', encoding="utf-8")
    with pytest.raises(AnswerFileError, match=re.escape(f"{path}:3:1: [formative] format must be a whole number")):
        AnswerStore.open(path, starter)


def test_a_format_key_the_scanner_cannot_place_is_still_refused_naming_the_file(
    tmp_path: Path, starter: Workbook
) -> None:
    """A key spelt with an escape ("form\\u0061t" is "format") has no line to point at: the file is named."""
    path = tmp_path / "a.toml"
    path.write_text('[formative]\nworkbook = "demo"\n"form\\u0061t" = 0\n', encoding="utf-8")
    with pytest.raises(AnswerFileError) as caught:
        AnswerStore.open(path, starter)
    assert str(caught.value).startswith(f"{path}: [formative] format must be a whole number")


def test_a_missing_format_is_read_as_format_1(tmp_path: Path, starter: Workbook) -> None:
    path = tmp_path / "a.toml"
    path.write_text('[formative]\nworkbook = "demo"\n\n[answers.welcome]\nname = "old file"\n', encoding="utf-8")
    with AnswerStore.open(path, starter) as store:
        assert store.get("welcome", "name") == "old file"
        store.set("choose", "energy", 1)
    assert answers_on_disk(path)["welcome"]["name"] == "old file"


# Side files are not sittings ------------------------------------------------------------------


def test_side_files_are_not_listed_as_answer_files_in_progress(tmp_path: Path) -> None:
    from formative.workbook.bundled import bundled_workbooks

    workbook = bundled_workbooks()[0].workbook
    folder = tmp_path / "answers"
    main = folder / f"{workbook.id}.toml"
    with AnswerStore.open(main, workbook) as store:
        store.set(workbook.steps[0].id, "anything", "x")
    for name in (f"{workbook.id}.conflict-20250101-120000.toml", f"{workbook.id}.recovered-20250101-120000-2.toml"):
        (folder / name).write_bytes(main.read_bytes())
    found, skipped = find_in_progress(folder)
    assert [f.path for f in found] == [main]
    assert skipped == []


# The last line of defence: never write a file that does not hold the answers -----------------


def test_a_layout_edit_that_loses_an_answer_is_caught_and_the_answers_laid_out_afresh(
    opened: AnswerStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should tomlkit ever mis-edit a hand-made layout, the answers are written, not lost."""

    def loses_the_item(self: AnswerStore, table: Any, key: str, item: Any, order: Any = None) -> None:
        pass  # as if the edit went nowhere

    monkeypatch.setattr(AnswerStore, "_insert_in_order", loses_the_item)
    opened.set("boost", "small-move", "Call Ann")
    opened.set("welcome", "name", "Still here")
    assert opened.save()
    on_disk = answers_on_disk(opened.path)
    assert on_disk["boost"] == {"small-move": "Call Ann"}
    assert on_disk["welcome"]["name"] == "Still here"
    assert all_values(opened) == on_disk
    assert read_toml(opened.path)["formative"] == {"format": 1, "workbook": "demo", "person": "Ada"}


def test_a_layout_tomlkit_refuses_to_edit_is_laid_out_afresh(
    opened: AnswerStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tomlkit.exceptions import TOMLKitError

    def refuses(*args: Any) -> None:
        raise TOMLKitError("Redefinition of an existing table")

    monkeypatch.setattr(AnswerStore, "_edit", refuses)
    opened.set("choose", "energy", 1)
    opened.save()
    assert answers_on_disk(opened.path)["choose"] == {"energy": 1}
    assert answers_on_disk(opened.path)["people"] == {"names": ["Ann", "Bo"]}


def test_answers_given_after_a_fresh_layout_are_saved_too(opened: AnswerStore, monkeypatch: pytest.MonkeyPatch) -> None:
    from tomlkit.exceptions import TOMLKitError

    def refuses(*args: Any) -> None:
        raise TOMLKitError("Redefinition of an existing table")

    monkeypatch.setattr(AnswerStore, "_edit", refuses)
    opened.set("choose", "energy", 1)
    assert opened.save()
    opened.set("welcome", "name", "Friday circle")
    assert opened.save()
    assert answers_on_disk(opened.path)["choose"]["energy"] == 1
    assert answers_on_disk(opened.path)["welcome"]["name"] == "Friday circle"


def test_side_files_in_a_workshop_are_not_extra_participants(tmp_path: Path) -> None:
    from formative.workshop.folder import Workshop, create_workshop
    from formative.workshop.room import Room

    create_workshop(tmp_path / "ws", "community-design-workshop", "Room", ["Ada"])
    workshop = Workshop.open(tmp_path / "ws")
    path = workshop.participant_file("Ada")
    step = workshop.workbook.steps[0]
    with AnswerStore.open(path, workshop.workbook, person="Ada") as store:
        store.set(step.id, "x", "mine")
    (path.parent / f"{path.stem}.conflict-20250101-120000.toml").write_bytes(path.read_bytes())
    room = Room(workshop)
    room.refresh()
    assert [p.name for p in room.participants] == ["Ada"]


# Plain mode says so too ------------------------------------------------------------------------


def test_plain_mode_names_the_side_file_of_a_conflict(tmp_path: Path, starter: Workbook) -> None:
    import io

    from formative.plain import run_plain
    from formative.session import Session
    from formative.workbook.starter import starter_workbook

    workbook_path = tmp_path / "demo.toml"
    workbook_path.write_text(starter_workbook("demo", "Demo"), encoding="utf-8")
    session = Session.open(workbook_path, tmp_path / "answers", "Ada")
    session.set_answer("welcome", "name", "First")
    session.save()
    lines = iter(["From the app", "."])

    def read(prompt: str = "") -> str:
        if prompt and "From the app" not in session.path.read_text(encoding="utf-8"):
            git_pull(session.path, 'name = "First"', 'name = "From git"')
        try:
            return next(lines)
        except StopIteration:
            raise EOFError from None

    output = io.StringIO()
    try:
        run_plain(session, read, output)
    finally:
        session.close()
    side = side_files(tmp_path / "answers", "conflict")
    assert len(side) == 1
    assert side[0].name in output.getvalue()
    assert answers_on_disk(session.path)["welcome"]["name"] == "From the app"
    assert answers_on_disk(side[0])["welcome"]["name"] == "From git"


def test_a_failed_write_after_a_merge_is_retried_without_a_second_side_file(
    opened: AnswerStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    import formative.answers.atomic as atomic_module

    path = opened.path
    git_pull(path, 'name = "Thursday circle"', 'name = "From git"')
    opened.set("welcome", "name", "From the app")
    real_replace = atomic_module.os.replace

    def disk_full(src: Any, dst: Any) -> None:
        if Path(dst) == path:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(atomic_module.os, "replace", disk_full)
    with pytest.raises(OSError, match="No space"):
        opened.sync()
    assert answers_on_disk(path)["welcome"]["name"] == "From git"
    assert len(side_files(path.parent, "conflict")) == 1
    assert opened.dirty
    monkeypatch.undo()
    result = opened.sync()
    assert result.wrote and result.side_file is None
    assert answers_on_disk(path)["welcome"]["name"] == "From the app"
    assert len(side_files(path.parent, "conflict")) == 1


def test_an_inline_steps_comment_is_kept_word_for_word_when_it_becomes_a_table(
    tmp_path: Path, starter: Workbook
) -> None:
    path = tmp_path / "a.toml"
    path.write_text(SHAPES["inline-step"].replace("# mine", "# XL, mine"), encoding="utf-8")
    with AnswerStore.open(path, starter) as store:
        store.set("welcome", "name", "Ada L.")
    assert '[answers.welcome] # XL, mine\nname = "Ada L."\n' in path.read_text(encoding="utf-8")


def test_a_comment_is_wrapped_into_lines_of_at_most_88_characters() -> None:
    assert _comment_lines("") == []
    exactly = " ".join(["abcdefghi"] * 8) + " abcdefgh"  # 8 * 10 + 8 = 88 characters
    assert len(exactly) == 88 and _comment_lines(exactly) == [exactly]
    assert _comment_lines(exactly + "i") == [exactly.rsplit(" ", 1)[0], "abcdefghi"]


def test_an_answer_added_on_disk_is_told_as_changed_there(opened: AnswerStore) -> None:
    hand_edit(opened.path, "energy = 3", 'energy = 3\nrhythm = "Weekly"')
    opened.set("welcome", "name", "Named in the app")
    result = opened.sync()
    assert result.changed_on_disk == frozenset({("choose", "rhythm")})
    assert answers_on_disk(opened.path)["choose"] == {"energy": 3, "rhythm": "Weekly"}
