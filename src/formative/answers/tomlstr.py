"""TOML items for answer values, chosen so that `git diff` reads like the prose itself."""

from __future__ import annotations

import tomlkit
from tomlkit.items import Item, String, StringType, Trivia

from formative.answers.values import AnswerValue

_NAMED_ESCAPES = {"\b": "\\b", "\t": "\t", "\f": "\\f", "\r": "\\r", "\\": "\\\\"}


def _escape_multiline(text: str) -> str:
    """Escape text for a multi-line basic string, keeping newlines and quotes readable.

    Control characters (escape sequences included) and carriage returns are escaped
    so the value reads back byte for byte; a quote is escaped only where three in a
    row, or one at the very end, would close the string early.
    """
    out: list[str] = []
    run = 0
    for index, char in enumerate(text):
        if char == '"':
            run += 1
            at_end = index == len(text) - 1
            out.append('\\"' if run % 3 == 0 or at_end else '"')
            continue
        run = 0
        if char == "\n":
            out.append(char)
        elif char in _NAMED_ESCAPES:
            out.append(_NAMED_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)


def multiline_string(text: str) -> String:
    """A TOML multi-line basic string: one line of text per line of file."""
    return String(StringType.MLB, text, "\n" + _escape_multiline(text), Trivia())


def answer_item(value: AnswerValue, multiline: bool) -> Item:
    """The TOML item for an answer; long text and lists spread over lines for clean diffs."""
    if isinstance(value, str):
        return multiline_string(value) if multiline or "\n" in value else tomlkit.string(value)
    if isinstance(value, int):
        return tomlkit.integer(value)
    array = tomlkit.array()
    for entry in value:
        if isinstance(entry, dict):
            table = tomlkit.inline_table()
            table.update({k: tomlkit.string(v) for k, v in entry.items()})
            array.append(table)
        else:
            array.append(tomlkit.string(entry))
    return array.multiline(bool(value))
