"""Find TOML nested absurdly deep, before a parser spends its stack or minutes on it.

tomllib recurses once per nested array or inline table and dies with RecursionError
near 450 levels; a dotted key of thousands of parts makes it quadratic (50,000 parts
in a 100 kB file take 40 s). No workbook or answer file comes near MAX_DEPTH levels,
so one pass over the text, hopping from one bracket, quote, dot or newline to the
next and stepping over strings and comments, finds where too deep a nesting starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_DEPTH = 100
"""Levels of tables, dotted keys, arrays and inline tables together (tomlkit stops at 100 too)."""

_SIGNIFICANT = re.compile(r"[\"'#\[\]{}=,.\n]")


def _string_end(text: str, start: int) -> int:
    """The index just after the TOML string that opens at text[start]."""
    quote = text[start]
    if text.startswith(quote * 3, start):
        end = start + 3
        while True:
            end = text.find(quote * 3, end)
            if end < 0:
                return len(text)
            if quote == "'" or _unescaped(text, end):
                end += 3
                while end < len(text) and text[end] == quote and end - start < 8:
                    end += 1  # up to two quotes may end the content: """a""""" is 'a""'
                return end
            end += 1
    end = start + 1
    while end < len(text) and text[end] not in (quote, "\n"):
        end += 2 if quote == '"' and text[end] == "\\" else 1
    return end + 1


def _unescaped(text: str, index: int) -> bool:
    """Whether the character at index is preceded by an even number of backslashes."""
    backslashes = 0
    while index - backslashes > 0 and text[index - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 0


@dataclass
class _Scan:
    header: int = 0
    """Key parts of the current [table] or [[array]] header."""
    stack: list[tuple[int, int, str]] = field(default_factory=list)
    """Open brackets: (index in the text, levels it adds, the bracket)."""
    depth: int = 0
    """Levels the open brackets add together."""
    in_key: bool = True
    in_header: bool = False
    dots: int = 0
    pending: int = 0
    """Key parts of the key whose value is about to open a bracket."""
    key_start: int = 0


def too_deep(text: str, limit: int = MAX_DEPTH) -> int | None:
    """The index where nesting deeper than limit starts, or None when the text is shallow enough."""
    scan = _Scan()
    pos = 0
    while (match := _SIGNIFICANT.search(text, pos)) is not None:
        index, char = match.start(), match.group()
        pos = index + 1
        if char == "#":
            end = text.find("\n", index)
            pos = len(text) if end < 0 else end
        elif char in "\"'":
            pos = _string_end(text, index)
        elif char == "\n":
            if not scan.stack:
                scan.in_key, scan.dots, scan.key_start = True, 0, pos
        elif scan.in_key:
            found = _key_char(scan, index, char, limit)
            if found is not None:
                return found
            if char == "[" and text.startswith("[[", index) and scan.in_header:
                pos = index + 2
        else:
            found = _value_char(scan, index, char, limit)
            if found is not None:
                return found
    return None


def _key_char(scan: _Scan, index: int, char: str, limit: int) -> int | None:
    """One significant character in a key or a [table] header."""
    if char == ".":
        scan.dots += 1
        outer = 0 if scan.in_header else scan.header + scan.depth
        if outer + scan.dots + 1 > limit:
            return scan.stack[0][0] if scan.stack else scan.key_start
    elif char == "[" and not scan.stack and not scan.in_header:
        scan.in_header, scan.dots = True, 0
    elif char == "]" and scan.in_header:
        scan.header, scan.in_header = scan.dots + 1, False
    elif char == "=":
        scan.in_key, scan.pending, scan.dots = False, scan.dots + 1, 0
    elif char == "}" and scan.stack:
        _close(scan)
        scan.in_key = False
    return None


def _value_char(scan: _Scan, index: int, char: str, limit: int) -> int | None:
    """One significant character in a value: brackets open and close levels."""
    if char in "[{":
        weight = 1 + scan.pending
        scan.stack.append((index, weight, char))
        scan.depth += weight
        scan.pending = 0
        if scan.header + scan.depth > limit:
            return scan.stack[0][0]
        if char == "{":
            scan.in_key, scan.dots = True, 0
    elif char in "]}":
        _close(scan)
    elif char == ",":
        scan.pending = 0
        if scan.stack and scan.stack[-1][2] == "{":
            scan.in_key, scan.dots = True, 0
    return None


def _close(scan: _Scan) -> None:
    if scan.stack:
        scan.depth -= scan.stack.pop()[1]
    scan.pending = 0
