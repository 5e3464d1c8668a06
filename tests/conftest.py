"""Shared fixtures: the starter workbook, which uses every prompt kind."""

from __future__ import annotations

import gc

import pytest

from formative.workbook.load import load_workbook_text
from formative.workbook.model import Workbook
from formative.workbook.starter import starter_workbook


def pytest_collection_finish(session: pytest.Session) -> None:
    """Freeze what collection loaded (Textual, pydantic, every test module), and collect less often.

    A Pilot test makes and drops objects by the hundred thousand: the cyclic collector ran
    thousands of times per worker, its full passes walking everything ever imported, a fifth
    of the CPU of test_app.py (7.5 of 31.8 s; 3.4 s frozen, with a 10,000-object first
    generation). Objects are still collected; a test that needs them gone calls gc.collect().
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


@pytest.fixture(scope="session")
def starter() -> Workbook:
    """Steps welcome (note, short name, long story), people (list names, records contacts),
    choose (rhythm, ways, first, order, energy) and boost (shown when energy is 1).

    Loaded once per session (a Workbook is frozen): the hundreds of answer-file tests that use
    it then do not count as tests of the loader, so `make mutate` does not run them all for
    every mutant of the loader that the loader's own tests let live."""
    return load_workbook_text(starter_workbook("demo", "Demo"))


GIT_VARIABLES = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_AUTHOR_NAME",
    "GIT_AUTHOR_EMAIL",
    "GIT_COMMITTER_NAME",
    "GIT_COMMITTER_EMAIL",
    "EMAIL",
    "FORMATIVE_GIT",
)
"""Set by a git hook running the tests, or by the developer: they would point git elsewhere."""


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test away from the developer's own answers folder, editor and git configuration.

    Git reads only an empty global configuration in the test's HOME (no system one),
    so commits use Formative's fallback identity unless a test sets one.
    """
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("FORMATIVE_ANSWERS", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    (home / ".gitconfig").write_text("", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in GIT_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    editor = home / "texteditor"  # the same editor name on every machine, so screens name it alike
    editor.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    editor.chmod(0o755)
    monkeypatch.setenv("VISUAL", str(editor))
    monkeypatch.delenv("EDITOR", raising=False)
