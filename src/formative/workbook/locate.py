"""Find where each key of a TOML document sits, so errors can name a line and column.

tomllib and tomlkit do not report positions of parsed values, so this scans the
source once, line by line, following table headers, arrays of tables and dotted
keys. It runs only when something is wrong, and only on text tomllib already parsed.
"""

from __future__ import annotations

import re

from formative.workbook.errors import FieldPath

Position = tuple[int, int]
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _parse_key(text: str, start: int) -> tuple[list[str], int]:
    """Parse a (dotted) key at text[start:]; return its parts and the index after it."""
    parts: list[str] = []
    i = start
    while True:
        while i < len(text) and text[i] in " \t":
            i += 1
        if i < len(text) and text[i] in "\"'":
            quote = text[i]
            end = text.find(quote, i + 1)
            while quote == '"' and end > 0 and text[end - 1] == "\\":
                end = text.find(quote, end + 1)
            if end < 0:
                return parts, len(text)
            parts.append(text[i + 1 : end])
            i = end + 1
        else:
            match = _BARE_KEY.match(text, i)
            if not match:
                return parts, i
            parts.append(match.group(0))
            i = match.end()
        while i < len(text) and text[i] in " \t":
            i += 1
        if i < len(text) and text[i] == ".":
            i += 1
            continue
        return parts, i


def _scan_value(text: str, depth: int, in_string: str | None) -> tuple[int, str | None]:
    """Follow brackets and strings through one line of a value.

    Returns the bracket depth at the end of the line and the multi-line string
    delimiter still open there, if any.
    """
    i = 0
    while i < len(text):
        if in_string:
            end = text.find(in_string, i)
            if end < 0:
                return depth, in_string
            i = end + 3
            in_string = None
            continue
        ch = text[i]
        if ch == "#":
            break
        if text.startswith('"""', i) or text.startswith("'''", i):
            in_string = text[i : i + 3]
            i += 3
            continue
        if ch in "\"'":
            i += 1
            while i < len(text) and text[i] != ch:
                i += 2 if ch == '"' and text[i] == "\\" else 1
            i += 1
            continue
        if ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        i += 1
    return depth, in_string


def key_positions(source: str) -> dict[FieldPath, Position]:
    """Map each key and table path in the document to its 1-based (line, column)."""
    positions: dict[FieldPath, Position] = {}
    aot_length: dict[FieldPath, int] = {}
    table: FieldPath = ()
    depth = 0
    in_string: str | None = None

    def resolve(names: list[str]) -> FieldPath:
        concrete: FieldPath = ()
        for name in names:
            concrete = (*concrete, name)
            if concrete in aot_length:
                concrete = (*concrete, aot_length[concrete] - 1)
        return concrete

    for number, line in enumerate(source.splitlines(), start=1):
        if in_string or depth > 0:
            depth, in_string = _scan_value(line, depth, in_string)
            continue
        stripped = line.lstrip()
        column = len(line) - len(stripped) + 1
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("[["):
            names, _ = _parse_key(stripped, 2)
            parent = resolve(names[:-1])
            array = (*parent, names[-1]) if names else parent
            index = aot_length.get(array, 0)
            aot_length[array] = index + 1
            table = (*array, index)
            positions.setdefault(array, (number, column))
            positions[table] = (number, column)
        elif stripped.startswith("["):
            names, _ = _parse_key(stripped, 1)
            table = resolve(names)
            positions[table] = (number, column)
        else:
            names, after = _parse_key(stripped, 0)
            if not names:
                continue
            positions[(*table, *names)] = (number, column)
            rest = stripped[after:].lstrip()
            if rest.startswith("="):
                depth, in_string = _scan_value(rest[1:], 0, None)
    return positions


def locate(positions: dict[FieldPath, Position], path: FieldPath) -> Position | None:
    """The position of path, or of its nearest ancestor that appears in the source."""
    for end in range(len(path), -1, -1):
        if path[:end] in positions:
            return positions[path[:end]]
    return None
