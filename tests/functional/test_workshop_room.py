"""A whole workshop as separate processes: one facilitator and three participants in tmux.

Answers reach the facilitator's screen, participants follow the facilitator's pace,
votes tally, a killed participant or facilitator loses nothing, and the export has it all.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.functional.tmux import FORMATIVE, Pane, have_tmux
from tests.unit.rendered import read

pytestmark = pytest.mark.skipif(not have_tmux(), reason="tmux is not installed (.ci/run installs it)")

WORKBOOK = """\
format = 1
id = "room-test"
title = "Room test"
minutes = 6

[[sections]]
id = "main"
title = "Together"

[[sections.steps]]
id = "ideas"
title = "Ideas for the room"
mode = "group"
timebox = 2
shared = true

[[sections.steps.prompts]]
id = "idea"
kind = "short_text"
label = "One idea for our community"

[[sections.steps]]
id = "vote"
title = "Vote on the ideas"
mode = "solo"
timebox = 2

[[sections.steps.prompts]]
id = "dots"
kind = "dot_vote"
label = "Spend your votes"
options_from = "ideas.idea"
votes = 2

[[sections.steps]]
id = "close"
title = "Closing round"
mode = "group"
timebox = 2

[[sections.steps.prompts]]
id = "word"
kind = "short_text"
label = "One word to close"
"""

PEOPLE = {
    "Ada": "Supper club on Thursdays",
    "Bo": "A walking group",
    "Cy": "[@click=app.quit] [/] literal",
}


@pytest.fixture
def panes() -> Iterator[list[Pane]]:
    opened: list[Pane] = []
    yield opened
    for pane in opened:
        pane.close()


def start(panes: list[Pane], home: Path, *args: str, width: int = 80, height: int = 24) -> Pane:
    pane = Pane([FORMATIVE, *args], {"TERM": "xterm-256color", "HOME": str(home)}, width, height)
    panes.append(pane)
    return pane


def answers_of(folder: Path, name: str) -> dict[str, object]:
    """Someone's saved answers; empty before their first save (files are written whole, by rename)."""
    path = folder / "answers" / f"{name.lower()}.toml"
    if not path.exists():
        return {}
    answers = tomllib.loads(path.read_text(encoding="utf-8")).get("answers", {})
    assert isinstance(answers, dict)
    return answers


def test_facilitator_and_three_participants(tmp_path: Path, panes: list[Pane]) -> None:
    workbook = tmp_path / "room-test.toml"
    workbook.write_text(WORKBOOK, encoding="utf-8")
    folder = tmp_path / "ws"
    roster = tmp_path / "names.txt"
    roster.write_text("\n".join(PEOPLE), encoding="utf-8")
    subprocess.run(
        [FORMATIVE, "workshop", "new", str(workbook), str(folder), "--title", "Room test", "--roster", str(roster)],
        check=True,
        timeout=60,
        capture_output=True,
    )
    facilitator = start(panes, tmp_path, "facilitate", str(folder), width=100, height=30)
    facilitator.wait_for("Step 1/3")  # the title itself is drawn in block letters
    people = {name: start(panes, tmp_path, "join", str(folder), "--as", name) for name in PEOPLE}

    # Everyone answers the shared step; the facilitator reveals and sees each answer, literally.
    for name, pane in people.items():
        pane.wait_for("One idea for our community")
        pane.type(PEOPLE[name])
        pane.wait_for(PEOPLE[name])
    facilitator.keys("r")
    for text in PEOPLE.values():
        facilitator.wait_for(text[:24], timeout=10)
    assert facilitator.alive(), "a shared answer with markup must not act on the facilitator's app"

    # The facilitator moves on; every participant follows.
    facilitator.keys("Right")
    for pane in people.values():
        pane.wait_for("Vote on the ideas", timeout=10)

    # Everyone gives one vote to the first idea; the tally reaches the export.
    for pane in people.values():
        pane.wait_for("Spend your votes")
        pane.keys("+")
    vote = {"dots": [PEOPLE["Ada"]]}
    wait_until(lambda: all(answers_of(folder, name).get("vote") == vote for name in PEOPLE), "every vote autosaved")
    facilitator.keys("r")
    deadline = time.monotonic() + 10
    tally = re.compile(re.escape(PEOPLE["Ada"]) + r" +█+ 3\b")
    while not tally.search(facilitator.screen()):
        assert time.monotonic() < deadline, "the tally did not reach the projector:\n" + facilitator.screen()
        time.sleep(0.1)

    # Killing a participant after their autosave loses nothing of theirs.
    facilitator.keys("Right")
    people["Bo"].wait_for("One word to close", timeout=10)
    people["Bo"].type("grateful")
    people["Bo"].wait_for("grateful")
    wait_until(lambda: answers_of(folder, "Bo").get("close") == {"word": "grateful"}, "Bo's word autosaved")
    os.kill(people["Bo"].pid(), signal.SIGKILL)
    people["Bo"].wait_closed()
    assert answers_of(folder, "Bo")["close"] == {"word": "grateful"}

    # Killing the facilitator loses nothing either: a restart resumes on the same step.
    os.kill(facilitator.pid(), signal.SIGKILL)
    facilitator.wait_closed()
    again = start(panes, tmp_path, "facilitate", str(folder), width=100, height=30)
    again.wait_for("Step 3/3")

    result = subprocess.run([FORMATIVE, "export", str(folder)], check=True, timeout=60, capture_output=True, text=True)
    report = result.stdout
    assert report.startswith("# Room test")
    shown = read(report).text  # as a Markdown viewer shows it: the answers' brackets are literal text
    for text in PEOPLE.values():
        assert text in shown
    assert f"3 votes · {PEOPLE['Ada']}" in shown


def wait_until(check: Callable[[], bool], what: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"{what} did not happen within {timeout}s"
        time.sleep(0.05)


def test_presence_and_the_privacy_badge_with_real_processes(tmp_path: Path, panes: list[Pane]) -> None:
    """A real facilitator and two real participants: each arrives (a presence file), sees that the
    step is shared without their name, then leaves, one by quitting and one by SIGTERM (an SSH drop)."""
    workbook = tmp_path / "room-test.toml"
    workbook.write_text(WORKBOOK, encoding="utf-8")
    folder = tmp_path / "ws"
    subprocess.run(
        [FORMATIVE, "workshop", "new", str(workbook), str(folder), "--title", "Room test"],
        check=True,
        timeout=60,
        capture_output=True,
    )
    presence = folder / "answers" / ".presence"
    facilitator = start(panes, tmp_path, "facilitate", str(folder), width=100, height=30)
    facilitator.wait_for("Step 1/3")  # the title itself is drawn in block letters
    ada = start(panes, tmp_path, "join", str(folder), "--as", "Ada")
    bo = start(panes, tmp_path, "join", str(folder), "--as", "Bo")
    for name, pane in (("ada", ada), ("bo", bo)):
        pane.wait_for("Shared with the room — without your name")
        wait_until(lambda name=name: (presence / f"{name}.toml").exists(), f"{name} arriving")
        assert 'step = "ideas"' in (presence / f"{name}.toml").read_text(encoding="utf-8")

    ada.keys("C-q")
    ada.wait_closed()
    wait_until(lambda: not (presence / "ada.toml").exists(), "Ada leaving")
    assert (presence / "bo.toml").exists()
    os.kill(bo.pid(), signal.SIGTERM)
    bo.wait_closed()
    wait_until(lambda: not (presence / "bo.toml").exists(), "Bo leaving on SIGTERM")
