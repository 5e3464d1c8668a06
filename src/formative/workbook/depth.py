"""Find TOML nested absurdly deep, before a parser spends its stack or minutes on it.

tomllib recurses once per nested array or inline table and dies with RecursionError
near 450 levels; a dotted key of thousands of parts makes it quadratic (50,000 parts
in a 100 kB file take 40 s). No workbook or answer file comes near MAX_DEPTH levels,
so one pass over the text, token by token (a regular expression steps over strings
and comments whole), finds where too deep a nesting starts.
"""

from __future__ import annotations

import re

MAX_DEPTH = 100
"""Levels of tables, dotted keys, arrays and inline tables together (tomlkit stops at 100 too)."""

_BARE = r"[A-Za-z0-9_-]+"
_SIMPLE_VALUE = r"""(?:"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[A-Za-z0-9_.:+-]+)"""
_TOKEN = re.compile(
    # Most lines of a real file, whole: `key = "a string"` and `[[a.table.header]]`.
    rf"^[ \t]*({_BARE}[ \t]*=[ \t]*{_SIMPLE_VALUE})[ \t]*(?:#[^\n]*)?$"
    rf"|^[ \t]*(\[\[?[ \t]*{_BARE}(?:[ \t]*\.[ \t]*{_BARE})*[ \t]*\]\]?)[ \t]*(?:#[^\n]*)?$"
    r'|"""(?:[^\\]|\\[\s\S])*?"""|"""[\s\S]*'  # multi-line basic string (or an unclosed one, to the end)
    r"|'''[\s\S]*?'''|'''[\s\S]*"  # multi-line literal string
    r'|"(?:[^"\\\n]|\\.)*"?'  # basic string (an unclosed one ends with its line)
    r"|'[^'\n]*'?"  # literal string
    r"|#[^\n]*"  # comment
    r"|[\[\]{}=,.\n]",  # what opens and closes levels, separates keys, ends lines
    re.MULTILINE,
)


def too_deep(text: str, limit: int = MAX_DEPTH) -> int | None:
    """The index where nesting deeper than limit starts, or None when the text is shallow enough.

    Levels are counted as the parsed document has them: each part of a [table] header,
    each part of a dotted key, each array and inline table.
    """
    header = 0  # key parts of the current [table] or [[array]] header
    stack: list[tuple[int, int, str]] = []  # open brackets: (index, levels it adds, bracket)
    depth = 0  # levels the open brackets add together
    in_key, in_header = True, False
    dots = 0  # dots so far in the key being read
    pending = 0  # key parts of the key whose value may open a bracket
    key_start = 0
    for token in _TOKEN.finditer(text):
        whole_line = token.lastindex
        if whole_line == 1:  # key = "value": one level below the table, never too deep itself
            continue
        index = token.start()
        if whole_line == 2 and not stack:  # [table.header]
            header = token.group(2).count(".") + 1
            if header > limit:
                return index
            continue
        if whole_line == 2:  # a row such as [[1]] inside a multi-line array: its brackets count
            for offset, bracket in enumerate(token.group()):
                if bracket == "[":
                    stack.append((index + offset, 1, bracket))
                    depth += 1
                    if header + depth > limit:
                        return stack[0][0]
                elif bracket == "]" and stack:
                    depth -= stack.pop()[1]
            continue
        char = token.group()[0]
        if char in "\"'#":
            continue
        if char == "\n":
            if not stack:
                in_key, dots, key_start = True, 0, index + 1
        elif in_key:
            if char == ".":
                dots += 1
                outer = 0 if in_header else header + depth
                if outer + dots + 1 > limit:
                    return stack[0][0] if stack else key_start
            elif char == "[" and not stack:
                if not in_header:
                    in_header, dots = True, 0
            elif char == "]" and in_header:
                header, in_header = dots + 1, False
            elif char == "=":
                in_key, pending, dots = False, dots + 1, 0
            elif char == "}" and stack:
                depth -= stack.pop()[1]
                in_key, pending = False, 0
        elif char in "[{":
            stack.append((index, 1 + pending, char))
            depth += 1 + pending
            pending = 0
            if header + depth > limit:
                return stack[0][0]
            if char == "{":
                in_key, dots = True, 0
        elif char in "]}":
            if stack:
                depth -= stack.pop()[1]
            pending = 0
        elif char == ",":
            pending = 0
            if stack and stack[-1][2] == "{":
                in_key, dots = True, 0
    return None
