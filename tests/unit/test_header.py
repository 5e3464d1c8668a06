"""The answer file's [formative] table, read leniently in one place (answers/header.py)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from formative.answers.header import Header, read_answer_file
from formative.workbook.errors import WorkbookError


def test_a_full_header_is_read_as_written() -> None:
    meta = {
        "workbook": "demo",
        "person": "Ada",
        "workbook_path": "../wb.toml",
        "sitting": 3,
        "started": date(2025, 3, 1),
    }
    assert Header.of(meta) == Header("demo", "Ada", "../wb.toml", 3, date(2025, 3, 1))


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ({}, Header()),
        ({"workbook": 7, "person": 42, "workbook_path": "", "sitting": True}, Header(person="42")),
        ({"sitting": 0, "started": "yesterday"}, Header()),
        ({"sitting": -2}, Header()),
        ({"sitting": 2, "started": datetime(2025, 3, 1, 9, 30)}, Header(sitting=2, started=date(2025, 3, 1))),
    ],
)
def test_hand_edits_of_the_wrong_type_count_as_missing(meta: dict[str, object], expected: Header) -> None:
    assert Header.of(meta) == expected


def test_no_table_is_no_header() -> None:
    assert Header.of(None) is None and Header.of("formative") is None and Header.of([1]) is None


def test_a_file_is_read_through_the_safe_reader(tmp_path: Path) -> None:
    path = tmp_path / "ada.toml"
    path.write_text('[formative]\nworkbook = "demo"\nperson = "Ada"\n\n[answers.a]\nx = 1\n', encoding="utf-8")
    assert read_answer_file(path) == (Header("demo", "Ada"), {"a": {"x": 1}})
    path.write_text('[answers.a]\nx = "unterminated\n', encoding="utf-8")
    with pytest.raises(WorkbookError, match=r"ada\.toml:2"):
        read_answer_file(path)
    path.write_text("[answers.a]\nx = 1\n", encoding="utf-8")
    assert read_answer_file(path) == (None, {"a": {"x": 1}})
    path.write_text('[formative]\nworkbook = "demo"\n', encoding="utf-8")
    assert read_answer_file(path) == (Header("demo"), {}), "a file begun but not yet answered holds no answers"
