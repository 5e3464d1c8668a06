"""Every step mode has its words for every audience, from one table."""

from __future__ import annotations

from typing import get_args

from formative.workbook.model import Mode
from formative.workbook.modes import GROUP_TITLE, MODE_HINTS, MODE_LABELS, MODE_TEXT, MODES


def test_every_mode_has_words_for_every_screen() -> None:
    modes = set(get_args(Mode))
    assert set(MODES) == modes
    for table in (MODE_HINTS, MODE_LABELS, MODE_TEXT, GROUP_TITLE):
        assert set(table) == modes
    for words in MODES.values():
        assert all(str(getattr(words, field)).strip() for field in words.__dataclass_fields__)
    assert MODE_TEXT["group"] == ("WHOLE ROOM", "together") and MODE_LABELS["table"] == "Tables of 4–6"
