"""End to end: the real `formative` command in tmux, typed at like a person would."""

from __future__ import annotations

import os
import signal
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from formative.workbook.starter import starter_workbook
from tests.functional.tmux import FORMATIVE, Pane, have_tmux

pytestmark = pytest.mark.skipif(not have_tmux(), reason="tmux is not installed (.ci/run installs it)")

HOSTILE = "Thursday [/] circle [@click=app.quit] [bold]"


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    path = tmp_path / "demo.toml"
    path.write_text(starter_workbook("demo", "Demo"), encoding="utf-8")
    return path


@pytest.fixture
def panes() -> Iterator[list[Pane]]:
    opened: list[Pane] = []
    yield opened
    for pane in opened:
        pane.close()


def launch(panes: list[Pane], workbook: Path, answers: Path, **env: str) -> Pane:
    command = [FORMATIVE, "run", str(workbook), "--answers", str(answers)]
    pane = Pane(command, {"TERM": "xterm-256color", "HOME": str(answers.parent), **env})
    panes.append(pane)
    return pane


def answers_in(folder: Path) -> dict[str, object]:
    return tomllib.loads((folder / "demo.toml").read_text(encoding="utf-8"))["answers"]


def test_type_quit_relaunch_and_resume(tmp_path: Path, workbook: Path, panes: list[Pane]) -> None:
    answers = tmp_path / "answers"
    pane = launch(panes, workbook, answers)
    pane.wait_for("What should we call this community?")
    pane.type(HOSTILE)
    pane.wait_for(HOSTILE)
    pane.keys("C-n")
    pane.wait_for("Who is in it")
    assert pane.alive(), "typed markup must not trigger app.quit"
    pane.keys("C-q")
    pane.wait_closed()
    assert answers_in(answers)["welcome"] == {"name": HOSTILE}

    again = launch(panes, workbook, answers)
    screen = again.wait_for("Who is in it")
    assert "Step 2 of" in screen
    assert "You called it Thursday [/] circle [@click=app.quit] [bold]" in screen
    again.keys("C-b")
    screen = again.wait_for("Step 1 of")
    assert HOSTILE in again.wait_for("What should we call")
    again.keys("C-q")
    again.wait_closed()
    assert answers_in(answers)["welcome"] == {"name": HOSTILE}


def test_sigkill_mid_typing_keeps_all_but_the_last_second(tmp_path: Path, workbook: Path, panes: list[Pane]) -> None:
    answers = tmp_path / "answers"
    pane = launch(panes, workbook, answers)
    pane.wait_for("What should we call this community?")
    pane.type("Saved part")
    deadline = time.monotonic() + 20
    while not (answers / "demo.toml").exists() or "Saved part" not in (answers / "demo.toml").read_text("utf-8"):
        assert time.monotonic() < deadline, "the autosave did not come within 20 s"
        time.sleep(0.05)
    pane.type(" and the last second")
    os.kill(pane.pid(), signal.SIGKILL)
    pane.wait_closed()
    saved = answers_in(answers)["welcome"]
    assert isinstance(saved, dict)
    assert saved["name"].startswith("Saved part")


def test_sigterm_saves_before_exit(tmp_path: Path, workbook: Path, panes: list[Pane]) -> None:
    answers = tmp_path / "answers"
    pane = launch(panes, workbook, answers)
    pane.wait_for("What should we call this community?")
    pane.type("Typed just before the connection dropped")
    pane.wait_for("connection dropped")  # on screen, so in the app, but not yet autosaved
    os.kill(pane.pid(), signal.SIGTERM)
    pane.wait_closed()
    assert answers_in(answers)["welcome"] == {"name": "Typed just before the connection dropped"}
