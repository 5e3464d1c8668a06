"""formative.text: the one place that decides how hostile characters in user text are shown."""

from __future__ import annotations

from formative.text import (
    has_controls,
    visible,
    visible_controls,
    without_controls,
    without_format_characters,
    xml_text,
)

HOSTILE = "a\x1b[2Jb\x07c\x7fd\x9be\u202ef\u200bg\u200dh\r\ni\tj"


def test_terminals_see_controls_as_symbols_and_keep_the_rest() -> None:
    assert visible_controls(HOSTILE) == "a␛[2Jb␇c\u2421d\ufffde\u202ef\u200bg\u200dh␍\ni\tj"
    assert visible_controls("plain text\n\tindented") == "plain text\n\tindented"
    assert has_controls("bell\x07") and has_controls("\x9b") and not has_controls("tab\tnewline\n\u202e")


def test_documents_also_name_invisible_characters_but_keep_joiners() -> None:
    assert visible(HOSTILE) == "a␛[2Jb␇c\u2421d\ufffde⟨U+202E⟩f⟨U+200B⟩g\u200dh\ni\tj"
    assert visible("\ufeff\u2066x\u2069\ufffe") == "⟨U+FEFF⟩⟨U+2066⟩x⟨U+2069⟩\ufffd"


def test_svg_text_has_no_tabs_and_no_lone_surrogates() -> None:
    assert xml_text("a\tb\ud800c\x1b") == "a b" + "c␛"


def test_plain_lines_drop_escape_sequences_and_controls() -> None:
    assert without_controls("\x1b[31mred\x1b[0m \x07bell\ttab\nline") == "red bell\ttab\nline"
    assert without_controls("\u202ekept for plain") == "\u202ekept for plain"


def test_names_drop_controls_and_format_characters() -> None:
    assert without_format_characters("A\u202eda\u200b\x1b\n") == "Ada"
    assert without_format_characters("Zoë 李") == "Zoë 李"
