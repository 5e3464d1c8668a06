"""The entry point: the common runs skip click, everything else goes through it unchanged."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from formative.entry import QuickRun, quick_run


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], QuickRun()),
        (["run", "formative-community"], QuickRun("formative-community")),
        (
            ["run", "--as", "Ada", "wb.toml", "--answers", "out", "--theme", "projector", "--no-git"],
            QuickRun("wb.toml", "Ada", Path("out"), "projector", no_git=True),
        ),
        (["run", "x", "--as=Bo", "--answers=a", "--theme=light"], QuickRun("x", "Bo", Path("a"), "light")),
        (["run", "x", "--as", "A", "--as", "B"], QuickRun("x", "B")),  # click keeps the last, too
    ],
)
def test_the_common_runs_take_the_fast_path(args: list[str], expected: QuickRun) -> None:
    assert quick_run(args) == expected


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["--version"],
        ["--answers", "x"],  # an option of the group before the command: click reads it
        ["list"],
        ["run"],
        ["run", "--help"],
        ["run", "x", "--plain"],
        ["run", "x", "--again"],
        ["run", "x", "y"],
        ["run", "x", "--theme", "neon"],
        ["run", "x", "--as"],
        ["run", "x", "--as", "--no-git"],
        ["run", "x", "--colour", "red"],
        ["run", "x", "--"],
        ["workshop", "new", "x", "y"],
    ],
)
def test_anything_else_goes_through_click(args: list[str]) -> None:
    assert quick_run(args) is None


def test_an_answers_folder_that_is_a_file_is_left_to_click_to_refuse(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("", encoding="utf-8")
    assert quick_run(["run", "x", "--answers", str(tmp_path / "file")]) is None
    assert quick_run(["run", "x", "--answers", str(tmp_path)]) == QuickRun("x", answers_dir=tmp_path)


def test_without_a_terminal_the_command_line_is_clicks(tmp_path: Path) -> None:
    """No terminal: `formative` lists the workbooks and `run` is the plain mode, as before."""
    done = subprocess.run(
        [sys.executable, "-m", "formative"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    assert "formative-community" in done.stdout
    assert "Start one with: formative run WORKBOOK" in done.stdout
    done = subprocess.run(
        [sys.executable, "-m", "formative", "run", "nope-no-such-workbook", "--answers", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "nope-no-such-workbook" in done.stderr
