"""What a hosted participant may be shown of the coach's disk: paths within the workshop, nothing above it."""

from __future__ import annotations

from pathlib import Path

from formative.workshop.hosted import redact_paths, relative_path

ROOT = Path("/home/coach/workshops/thursday")


def test_files_in_the_workshop_are_shown_from_its_folder() -> None:
    assert relative_path(ROOT / "answers" / "ada.toml", ROOT) == "answers/ada.toml"
    assert relative_path(Path("/etc/passwd"), ROOT) == "passwd"


def test_messages_lose_the_servers_folders() -> None:
    message = (
        "/home/coach/workshops/thursday/answers/ada.toml:3:7: expected a value\n"
        "/home/coach/.venv/lib/python3.11/site-packages/formative/workbooks/a.toml:1:1: bad\n"
        "[Errno 13] Permission denied: '/home/coach/workshops/thursday/answers/.ada.toml.tmp'"
    )
    shown = redact_paths(message, ROOT)
    assert shown == (
        "answers/ada.toml:3:7: expected a value\na.toml:1:1: bad\n[Errno 13] Permission denied: 'answers/.ada.toml.tmp'"
    )
    assert "coach" not in shown


def test_text_without_absolute_paths_is_untouched() -> None:
    text = "answers/ada.toml is fine; 3/4 of the room; and/or; ~/notes"
    assert redact_paths(text, ROOT) == text
