"""User text as literal Markdown: it shows exactly as typed and never changes the document.

Every piece of text a person wrote (names, answers, record fields, vote options) enters
a Markdown export through this module, and it takes one approach: escape. Markdown
punctuation is backslash-escaped, `&`, `<` and `>` become entities (so no raw HTML,
comment or autolink can start), characters that start a block at the beginning of a
line (`-`, `+`, `=`, `1.`) are escaped there, and leading spaces become no-break spaces
(so indentation shows but makes no code block). Escaping rather than code fences keeps
prose reading as prose.

Control and invisible characters are made visible by formative.text.visible (ESC as ␛,
U+202E as ⟨U+202E⟩), as on every other output.
"""

from __future__ import annotations

import re

from formative.text import visible as visible  # controls and invisible characters: formative.text

_PUNCTUATION = re.compile(r"([\\`*_\[\]#|~$])")
_BLOCK_START = re.compile(r"^(\u00a0*)([-+=]|\d{1,9}(?=[.)]))")
_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_HTML_ONLY = str.maketrans({"&": "&amp;", "<": "&lt;"})


def _escape_line(line: str) -> str:
    """One line of user text as Markdown that renders as exactly that line."""
    stripped = line.lstrip(" \t")
    indent = line[: len(line) - len(stripped)].replace("\t", "    ").replace(" ", "\u00a0")
    text = _PUNCTUATION.sub(r"\\\1", indent + stripped.rstrip()).translate(_ENTITIES)
    match = _BLOCK_START.match(text)
    if match is None:
        return text
    marker = match.group(2)
    if marker.isdigit():  # '1.' or '2)': escape the punctuation after the number
        end = match.end()
        return f"{text[:end]}\\{text[end:]}"
    return f"{match.group(1)}\\{text[match.start(2) :]}"


def literal_line(text: str) -> str:
    """User text for one line (a name, a heading, a table of votes): line breaks shown as ␊."""
    return _escape_line(visible(text.strip()).replace("\n", "\u240a"))


def literal_lines(text: str) -> list[str]:
    """User text as escaped lines, one per line typed, without leading or trailing blank lines."""
    lines = [_escape_line(line) for line in visible(text).split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def prose(text: str) -> list[str]:
    """User prose as Markdown lines: each line typed stays a line, blank lines part paragraphs.

    A line followed by another line of the same paragraph ends in a backslash, Markdown's
    hard line break, so an answer typed as a list or a poem keeps its shape.
    """
    out: list[str] = []
    for line in literal_lines(text):
        if not line:
            if out and out[-1]:
                out.append("")
            continue
        if out and out[-1]:
            out[-1] += "\\"
        out.append(line)
    return out


def bullet(lines: list[str], marker: str = "-") -> list[str]:
    """Lines as one list item: the first after the marker, the rest hanging under it.

    A blank line (a paragraph break in prose) becomes two hard line breaks, so the
    break shows but the list stays tight, its items as close as a list's should be.
    """
    if not lines:
        return []
    tight = list(lines)
    for n, line in enumerate(tight):
        if not line and 0 < n < len(tight) - 1:
            tight[n - 1] += "\\"
            tight[n] = "\\"
    pad = " " * (len(marker) + 1)
    return [f"{marker} {tight[0]}", *(f"{pad}{line}" for line in tight[1:] if line)]


def workbook_text(text: str) -> str:
    """Workbook text kept as the author's Markdown (emphasis, strong), but never as HTML.

    Workbooks are data: their text may style itself, never add tags, scripts or comments.
    Line breaks are joined, as this text goes into one heading or label line.
    """
    return " ".join(visible(text).translate(_HTML_ONLY).split())
