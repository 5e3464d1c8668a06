"""Find where each key of a TOML document sits, so errors can name a line and column.

tomllib and tomlkit do not report positions of parsed values, so this scans the
source once, following table headers, arrays of tables, dotted keys, inline tables
and arrays. Every key gets the position of its first character, every array element
the position where it starts, every table its header. It runs only when something is
wrong, and only on text a TOML parser already accepted.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from formative.workbook.errors import FieldPath

Position = tuple[int, int]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_BLANK = re.compile(r"[ \t]*")
_SPACE_AND_COMMENTS = re.compile(r"(?:[ \t\r\n]+|#[^\n]*)*")
_STRINGS = {
    '"""': re.compile(r'"""(?:[^"\\]|\\[\s\S]|"(?!""))*"""(?:"{1,2}(?!"))?'),
    "'''": re.compile(r"'''(?:[^']|'(?!''))*'''(?:'{1,2}(?!'))?"),
    '"': re.compile(r'"(?:[^"\\\n]|\\.)*"'),
    "'": re.compile(r"'[^'\n]*'"),
}
_SCALAR = re.compile(r"[^,\]}\n#]*")


class _Scanner:
    """One pass over a TOML text, recording the position of every key, table and array element."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.line_starts = [0] + [match.end() for match in re.finditer("\n", text)]
        self.positions: dict[FieldPath, Position] = {}
        self.aot_length: dict[FieldPath, int] = {}
        """How many [[tables]] each array of tables has so far: where the next header goes."""

    def position(self, index: int) -> Position:
        line = bisect_right(self.line_starts, index)
        return line, index - self.line_starts[line - 1] + 1

    def skip(self, index: int, pattern: re.Pattern[str] = _SPACE_AND_COMMENTS) -> int:
        match = pattern.match(self.text, index)
        return match.end() if match else index

    def record(self, path: FieldPath, index: int) -> None:
        self.positions[path] = self.position(index)

    # Keys ---------------------------------------------------------------------------------

    def key(self, index: int) -> tuple[list[str], int]:
        """A (dotted) key at index: its parts and the index after it."""
        parts: list[str] = []
        while True:
            index = self.skip(index, _BLANK)
            quote = self.text[index : index + 1]
            if quote in ('"', "'"):
                match = _STRINGS[quote].match(self.text, index)
                end = match.end() if match else len(self.text)
                parts.append(self.text[index + 1 : end - 1])
            else:
                match = _BARE_KEY.match(self.text, index)
                if not match:
                    return parts, index
                end = match.end()
                parts.append(match.group(0))
            index = self.skip(end, _BLANK)
            if self.text.startswith(".", index):
                index += 1
                continue
            return parts, index

    def key_value(self, index: int, table: FieldPath) -> int:
        """`key = value` at index, inside table; returns the index after the value."""
        parts, after = self.key(index)
        if not parts:
            return index + 1  # not a key: step over one character, whatever it is
        for end in range(1, len(parts)):
            self.positions.setdefault((*table, *parts[:end]), self.position(index))
        path = (*table, *parts)
        self.record(path, index)
        after = self.skip(after, _BLANK)
        if self.text.startswith("=", after):
            return self.value(self.skip(after + 1, _BLANK), path)
        return after

    # Values -------------------------------------------------------------------------------

    def value(self, index: int, path: FieldPath) -> int:
        """Step over the value at index, recording the keys and elements inside it."""
        text = self.text
        char = text[index : index + 1]
        if char == "[":
            return self.array(index + 1, path)
        if char == "{":
            return self.inline_table(index + 1, path)
        for opening in ('"""', "'''", '"', "'"):
            if text.startswith(opening, index):
                match = _STRINGS[opening].match(text, index)
                return match.end() if match else len(text)
        match = _SCALAR.match(text, index)
        return match.end() if match and match.end() > index else index + 1

    def array(self, index: int, path: FieldPath) -> int:
        element = 0
        while index < len(self.text):
            index = self.skip(index)
            if self.text.startswith("]", index):
                return index + 1
            if self.text.startswith(",", index):
                index += 1
                continue
            self.record((*path, element), index)
            index = self.value(index, (*path, element))
            element += 1
        return index

    def inline_table(self, index: int, path: FieldPath) -> int:
        while index < len(self.text):
            index = self.skip(index)
            if self.text.startswith("}", index):
                return index + 1
            if self.text.startswith(",", index):
                index += 1
                continue
            index = self.key_value(index, path)
        return index

    # Tables -------------------------------------------------------------------------------

    def resolve(self, names: list[str]) -> FieldPath:
        """A header's names as a path: each array of tables on the way means its latest table."""
        concrete: FieldPath = ()
        for name in names:
            concrete = (*concrete, name)
            if concrete in self.aot_length:
                concrete = (*concrete, self.aot_length[concrete] - 1)
        return concrete

    def header(self, index: int) -> tuple[FieldPath, int]:
        """A [table] or [[array.of.tables]] header at index: the table it opens, and where it ends."""
        double = self.text.startswith("[[", index)
        names, after = self.key(index + (2 if double else 1))
        after = self.skip(after, _BLANK)
        after += 2 if double else 1
        if not double:
            table = self.resolve(names)
        else:
            parent = self.resolve(names[:-1])
            array = (*parent, names[-1]) if names else parent
            number = self.aot_length.get(array, 0)
            self.aot_length[array] = number + 1
            self.positions.setdefault(array, self.position(index))
            table = (*array, number)
        for end in range(1, len(names)):
            self.positions.setdefault(self.resolve(names[:end]), self.position(index))
        self.record(table, index)
        return table, after

    def document(self) -> dict[FieldPath, Position]:
        table: FieldPath = ()
        index = 0
        while True:
            index = self.skip(index)
            if index >= len(self.text):
                return self.positions
            if self.text.startswith("[", index):
                table, index = self.header(index)
            else:
                index = self.key_value(index, table)


def key_positions(source: str) -> dict[FieldPath, Position]:
    """Map each key, table and array element in the document to its 1-based (line, column)."""
    return _Scanner(source).document()


def locate(positions: dict[FieldPath, Position], path: FieldPath) -> Position | None:
    """The position of path, or of its nearest ancestor that appears in the source."""
    for end in range(len(path), -1, -1):
        if path[:end] in positions:
            return positions[path[:end]]
    return None
