"""Safe interpolation of earlier answers into workbook text.

A reference is '{step_id.prompt_id}'; '{{' and '}}' stand for literal braces. This is
plain substitution with a fixed pattern, never a template language: nothing in a
workbook can run code or reach anything but the person's own answers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

UNANSWERED = "…"
"""What a reference to a prompt nobody has answered shows."""

_TOKEN = re.compile(r"\{\{|\}\}|\{([a-z0-9][a-z0-9_-]*)\.([a-z0-9][a-z0-9_-]*)\}")


def find_refs(text: str) -> Iterator[tuple[str, str]]:
    """Yield (step_id, prompt_id) for every reference in text."""
    for match in _TOKEN.finditer(text):
        if match.group(1):
            yield match.group(1), match.group(2)


def interpolate(text: str, lookup: Callable[[str, str], str]) -> str:
    """Replace each reference with lookup(step_id, prompt_id); unescape doubled braces."""

    def replace(match: re.Match[str]) -> str:
        if match.group(1):
            return lookup(match.group(1), match.group(2))
        return match.group(0)[0]

    return _TOKEN.sub(replace, text)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


def escape_markdown(text: str) -> str:
    """Backslash-escape Markdown punctuation so a person's answer shows exactly as typed."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
