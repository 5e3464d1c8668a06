"""Shared fixtures: the starter workbook, which uses every prompt kind."""

from __future__ import annotations

import pytest

from formative.workbook.load import load_workbook_text
from formative.workbook.model import Workbook
from formative.workbook.starter import starter_workbook


@pytest.fixture
def starter() -> Workbook:
    """Steps welcome (note, short name, long story), people (list names, records contacts),
    choose (rhythm, ways, first, order, energy) and boost (shown when energy is 1)."""
    return load_workbook_text(starter_workbook("demo", "Demo"))


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test away from the developer's own answers folder and editor."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("FORMATIVE_ANSWERS", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
