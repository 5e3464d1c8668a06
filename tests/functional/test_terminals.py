"""The real command under different terminals: TERM values, NO_COLOR, a dumb terminal."""

from __future__ import annotations

import os
import subprocess
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from formative.workbook.starter import starter_workbook
from tests.functional.tmux import FORMATIVE, Pane, have_tmux


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


@pytest.mark.skipif(not have_tmux(), reason="tmux is not installed (.ci/run installs it)")
@pytest.mark.parametrize(
    ("term", "extra"),
    [
        ("xterm-256color", {}),
        ("screen", {}),
        ("tmux-256color", {}),
        ("xterm-256color", {"NO_COLOR": "1"}),
    ],
)
def test_terminal_types(tmp_path: Path, workbook: Path, panes: list[Pane], term: str, extra: dict[str, str]) -> None:
    """Each TERM shows the first step, takes typing and saves it."""
    answers = tmp_path / "answers"
    command = [FORMATIVE, "run", str(workbook), "--answers", str(answers)]
    pane = Pane(command, {"TERM": term, "HOME": str(tmp_path), **extra})
    panes.append(pane)
    pane.wait_for("What should we call this community?")
    pane.type("Typed under " + term)
    pane.wait_for("Typed under " + term)
    pane.keys("C-q")
    pane.wait_closed()
    saved = tomllib.loads((answers / "demo.toml").read_text(encoding="utf-8"))
    assert saved["answers"]["welcome"]["name"] == "Typed under " + term


def test_dumb_terminal_gets_plain_prompts(tmp_path: Path, workbook: Path) -> None:
    """TERM=dumb walks the same workbook line by line and writes the same answer file."""
    answers = tmp_path / "answers"
    result = subprocess.run(
        [FORMATIVE, "run", str(workbook), "--answers", str(answers)],
        input="Thursday [/] circle [@click=app.quit]\nWhy not\n.\n:quit\n",
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "TERM": "dumb", "HOME": str(tmp_path)},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Step 1 of 3: Welcome" in result.stdout
    assert "\x1b[" not in result.stdout, "plain mode must not send escape sequences"
    saved = tomllib.loads((answers / "demo.toml").read_text(encoding="utf-8"))
    assert saved["answers"]["welcome"]["name"] == "Thursday [/] circle [@click=app.quit]"
    assert saved["answers"]["welcome"]["story"] == "Why not"
