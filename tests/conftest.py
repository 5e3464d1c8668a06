"""Shared fixtures: the starter workbook, which uses every prompt kind."""

from __future__ import annotations

import gc
import importlib
import json
import os
from pathlib import Path

import pytest
import textual.constants

from formative.workbook.load import load_workbook_text
from formative.workbook.model import Workbook
from formative.workbook.starter import starter_workbook

# No animations in the apps the tests run, in this process and in every app it starts (they
# inherit the environment): Pilot waits for each scroll or fade to end, and those waits were
# a fifth of the Pilot tests' wall time. Textual read its settings when the snapshot plugin
# imported it, before this file: read again (as the fork server does for each participant).
os.environ["TEXTUAL_ANIMATIONS"] = "none"
importlib.reload(textual.constants)


def pytest_configure(config: pytest.Config) -> None:
    """One full collection at the end of a worker's session, not pytest's five.

    pytest collects five times over before it reports objects whose `__del__` raised (a
    number from Trio's tests): about 0.2 s each in a worker that ran a few hundred Pilot
    apps, so a second of CPU per worker, at the very end of the run where nothing overlaps
    it. One full collection still finds them. The knob is pytest's own (its tests set it).
    """
    try:
        from _pytest.unraisableexception import gc_collect_iterations_key
    except ImportError:  # moved in a later pytest: its default is only slower
        return
    config.stash[gc_collect_iterations_key] = 1


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


_durations: dict[str, float] = {}
"""Each test's time in mutmut's clean run, once read."""


def _mutmut_durations(root: Path) -> dict[str, float]:
    """Read once, ideally in mutmut's main process before it forks a child per mutant."""
    stats = root / "mutmut-stats.json"
    if not _durations and "MUTANT_UNDER_TEST" in os.environ and stats.is_file():
        _durations.update(json.loads(stats.read_text(encoding="utf-8"))["duration_by_test"])
    return _durations


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under `make mutate`, run a mutant's tests fastest first.

    mutmut runs them with -x in no set order: the first failure ends the run, so putting the
    slow git and hostile-file tests last makes a caught mutant cost its cheapest failing test
    instead of whatever came first. Only the order changes; every test still runs for a
    mutant that survives. Outside mutmut there are no durations and nothing moves.
    """
    durations = _mutmut_durations(config.rootpath)
    if durations:
        items.sort(key=lambda item: durations.get(item.nodeid, 0.0))
