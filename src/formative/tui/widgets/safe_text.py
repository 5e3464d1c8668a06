"""Showing untrusted text safely: never as markup, never as raw terminal control codes.

Answers, and workbook text that interpolates answers, reach the screen only through
these helpers. Textual parses `str` as content markup in many widgets and passes ESC
through to the terminal untouched, so a saved answer such as `[@click=app.quit]` or
an escape sequence must be made literal and visible before it is shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Protocol

from textual.content import Content

from formative.text import has_controls as has_controls  # the rule lives in formative.text
from formative.text import visible_controls
from formative.workbook.text import escape_markdown


class FillsText(Protocol):
    """Fills earlier answers into workbook text: a Walk, or the first paint's FirstStep (nothing answered)."""

    def text(self, template: str, escape: Callable[[str], str] | None = None) -> str: ...


_INLINE = re.compile(r"\*\*(?P<strong>[^*\n]+)\*\*|\*(?P<em>[^*\n]+)\*|`(?P<code>[^`\n]+)`")
_INLINE_STYLES = {"strong": "bold", "em": "italic", "code": "$text-accent"}
_MARK = re.compile("\ue000(\\d+)\ue001")


visible = visible_controls
"""Control characters made visible (ESC as ␛): the terminal's rule, from formative.text."""


def literal(text: str) -> Content:
    """Text shown exactly as written: no markup, control codes made visible."""
    return Content(visible(text))


def answers_text(walk: FillsText, template: str) -> Content:
    """Workbook text with earlier answers filled in, as literal content.

    The workbook's own `*emphasis*`, `**strong**` and `` `code` `` are styled; the
    interpolated answers never are, whatever they contain.
    """
    found: list[str] = []

    def mark(answer: str) -> str:
        found.append(answer)
        return f"\ue000{len(found) - 1}\ue001"

    marked = visible(walk.text(template, mark))
    content = Content()
    position = 0
    for match in [*_INLINE.finditer(marked), None]:
        end = match.start() if match else len(marked)
        pieces = [(marked[position:end], "")]
        if match:
            kind = match.lastgroup or "em"
            pieces.append((match.group(kind), _INLINE_STYLES[kind]))
            position = match.end()
        for text, style in pieces:
            piece = Content(_MARK.sub(lambda m: _answer(found, m), text))
            content += piece.stylize(style) if style else piece
    return content


def _answer(found: list[str], match: re.Match[str]) -> str:
    index = int(match.group(1))
    return visible(found[index]) if index < len(found) else match.group(0)


def answers_markdown(walk: FillsText, template: str) -> str:
    """Workbook Markdown with earlier answers filled in as escaped, literal text."""
    return visible(walk.text(template, escape_markdown))
