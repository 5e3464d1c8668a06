"""Answer files are made for git: one changed answer changes only its own lines."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from formative.answers import AnswerStore
from formative.workbook.model import Workbook

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

STORY = """\
We started meeting because each of us worked alone and missed having colleagues.
The first evening was awkward; by the third we were finishing each other's plans.

What matters now is keeping the rhythm going through the busy months.
Nobody wants another obligation, so it has to stay light.

Last, it should be fun: "a circle", not a committee.
We will see how it goes."""


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "HOME": str(repo),
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.com",
    }
    done = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path, starter: Workbook) -> Path:
    """A repository with one committed answer file holding several steps."""
    git(tmp_path, "init", "-q")
    with AnswerStore.open(tmp_path / "ada.toml", starter, person="Ada") as store:
        store.set("welcome", "name", "Thursday founders' circle")
        store.set("welcome", "story", STORY)
        store.set("people", "names", ["Ann", "Bo", "Cy"])
        store.set("people", "contacts", [{"person": "Ann", "role": "Chef", "met": "School"}])
        store.set("choose", "rhythm", "Weekly")
        store.set("choose", "ways", ["In person", "Video call"])
        store.set("choose", "order", ["Bo", "Ann", "Cy"])
        store.set("choose", "energy", 4)
    git(tmp_path, "add", "ada.toml")
    git(tmp_path, "commit", "-q", "-m", "answers")
    assert git(tmp_path, "status", "--porcelain") == ""
    return tmp_path


def numstat(repo: Path) -> tuple[int, int]:
    out = git(repo, "diff", "--numstat").split()
    assert out[2:] == ["ada.toml"], out
    return int(out[0]), int(out[1])


def changed_lines(repo: Path) -> tuple[list[str], list[str]]:
    """The removed and added lines of `git diff -U0`."""
    removed, added = [], []
    for line in git(repo, "diff", "-U0").splitlines():
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("-"):
            removed.append(line[1:])
        elif line.startswith("+"):
            added.append(line[1:])
    return removed, added


def hunks(repo: Path) -> list[str]:
    return re.findall(r"^@@ .* @@", git(repo, "diff", "-U0"), flags=re.MULTILINE)


def test_changing_one_line_of_long_text_changes_one_line(repo: Path, starter: Workbook) -> None:
    new_story = STORY.replace("Nobody wants another obligation", "Nobody wants one more obligation")
    with AnswerStore.open(repo / "ada.toml", starter) as store:
        store.set("welcome", "story", new_story)
    assert numstat(repo) == (1, 1)
    removed, added = changed_lines(repo)
    assert removed == ["Nobody wants another obligation, so it has to stay light."]
    assert added == ["Nobody wants one more obligation, so it has to stay light."]
    assert len(hunks(repo)) == 1


def test_changing_the_last_line_of_long_text_keeps_the_closing_quotes_on_it(repo: Path, starter: Workbook) -> None:
    with AnswerStore.open(repo / "ada.toml", starter) as store:
        store.set("welcome", "story", STORY.replace("We will see how it goes.", "We will see."))
    assert numstat(repo) == (1, 1)
    removed, added = changed_lines(repo)
    assert removed == ['We will see how it goes."""']
    assert added == ['We will see."""']


def test_adding_a_paragraph_only_adds_lines(repo: Path, starter: Workbook) -> None:
    addition = "\n\nA new paragraph.\nWith two lines."
    with AnswerStore.open(repo / "ada.toml", starter) as store:
        store.set("welcome", "story", STORY.replace("light.", "light." + addition))
    insertions, deletions = numstat(repo)
    assert deletions == 0
    assert insertions == 3
    assert sorted(changed_lines(repo)[1]) == ["", "A new paragraph.", "With two lines."]


def test_changing_one_short_answer_changes_one_line(repo: Path, starter: Workbook) -> None:
    with AnswerStore.open(repo / "ada.toml", starter) as store:
        store.set("choose", "rhythm", "Monthly")
    assert numstat(repo) == (1, 1)
    assert changed_lines(repo) == (['rhythm = "Weekly"'], ['rhythm = "Monthly"'])


def test_changing_a_scale_changes_one_line(repo: Path, starter: Workbook) -> None:
    with AnswerStore.open(repo / "ada.toml", starter) as store:
        store.set("choose", "energy", 2)
    assert changed_lines(repo) == (["energy = 4"], ["energy = 2"])


def test_adding_a_list_item_adds_one_line(repo: Path, starter: Workbook) -> None:
    with AnswerStore.open(repo / "ada.toml", starter) as store:
        store.set("people", "names", ["Ann", "Bo", "Cy", "Dee"])
    assert numstat(repo) == (1, 0)
    assert changed_lines(repo) == ([], ['    "Dee",'])


def test_reordering_a_ranking_moves_only_those_lines(repo: Path, starter: Workbook) -> None:
    with AnswerStore.open(repo / "ada.toml", starter) as store:
        store.set("choose", "order", ["Ann", "Bo", "Cy"])
    removed, added = changed_lines(repo)
    assert sorted(removed) == sorted(added)
    assert set(removed) <= {'    "Ann",', '    "Bo",'}


def test_answering_a_new_prompt_only_adds_its_lines(repo: Path, starter: Workbook) -> None:
    with AnswerStore.open(repo / "ada.toml", starter) as store:
        store.set("choose", "first", "Ann")
    assert numstat(repo) == (1, 0)
    assert changed_lines(repo) == ([], ['first = "Ann"'])


def test_answering_a_new_step_only_adds_lines(repo: Path, starter: Workbook) -> None:
    with AnswerStore.open(repo / "ada.toml", starter) as store:
        store.set("boost", "small-move", "Call Ann")
    assert numstat(repo) == (3, 0)
    assert changed_lines(repo) == ([], ["", "[answers.boost]", 'small-move = "Call Ann"'])


def test_clearing_and_re_answering_restores_the_committed_file(repo: Path, starter: Workbook) -> None:
    for _ in range(3):
        with AnswerStore.open(repo / "ada.toml", starter) as store:
            store.set("welcome", "name", None)
            store.set("welcome", "story", None)
        with AnswerStore.open(repo / "ada.toml", starter) as store:
            store.set("welcome", "story", STORY)
            store.set("welcome", "name", "Thursday founders' circle")
        assert git(repo, "status", "--porcelain") == ""
        with AnswerStore.open(repo / "ada.toml", starter) as store:
            store.set("choose", "rhythm", None)
        with AnswerStore.open(repo / "ada.toml", starter) as store:
            store.set("choose", "rhythm", "Weekly")
        assert git(repo, "status", "--porcelain") == ""


def test_saving_again_without_changes_leaves_git_clean(repo: Path, starter: Workbook) -> None:
    for _ in range(3):
        with AnswerStore.open(repo / "ada.toml", starter) as store:
            store.set("welcome", "story", STORY)
            store.set("choose", "energy", 4)
            store.save()
    assert git(repo, "status", "--porcelain") == ""
    assert git(repo, "diff") == ""


def test_changing_and_changing_back_leaves_git_clean(repo: Path, starter: Workbook) -> None:
    with AnswerStore.open(repo / "ada.toml", starter) as store:
        store.set("welcome", "story", "Something else entirely.")
        store.set("people", "names", ["Zed"])
        store.save()
    with AnswerStore.open(repo / "ada.toml", starter) as store:
        store.set("welcome", "story", STORY)
        store.set("people", "names", ["Ann", "Bo", "Cy"])
    assert git(repo, "status", "--porcelain") == ""
