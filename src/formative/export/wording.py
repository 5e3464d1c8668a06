"""How answers read in exports, as plain words: scales with their end labels, votes as counts.

Shared by the Markdown documents and the SVG canvas, so a scale reads "4 of 5 (cosy …
challenging)" wherever it is shown. Nothing here escapes: callers do, for their format.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from formative.workbook.model import Records, Scale

_EXAMPLE = re.compile(r"\s*\((e\.g\.|for example|such as)[^()]*\)\s*$", re.IGNORECASE)


def is_whole_number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def scale_ends(prompt: Scale) -> str:
    """'(cosy … challenging)', or '' when the scale has no end labels."""
    if not (prompt.min_label or prompt.max_label):
        return ""
    return f"({prompt.min_label or prompt.min} … {prompt.max_label or prompt.max})"


def scale_text(value: int, prompt: Scale) -> str:
    """'4 of 5 (cosy … challenging)': the value, the top of the scale and what the ends mean."""
    ends = scale_ends(prompt)
    return f"{value} of {prompt.max}" + (f" {ends}" if ends else "")


def scale_point(value: int, prompt: Scale, of_top: bool = False) -> str:
    """One point of the scale as a tally names it: '1 (drained)', '3', '5 (energised)'.

    of_top names the top of the scale too: '1 of 5 (drained)'.
    """
    label = prompt.min_label if value == prompt.min else prompt.max_label if value == prompt.max else None
    number = f"{value} of {prompt.max}" if of_top else str(value)
    return f"{number} ({label})" if label else number


def short_label(label: str) -> str:
    """A label without its trailing example, '(e.g. …)': the example helps while writing, not in a summary."""
    return _EXAMPLE.sub("", label).strip() or label


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def people(count: int) -> str:
    """'1 person', '3 people', 'nobody'."""
    return "nobody" if count == 0 else plural(count, "person", "people")


def vote_counts(votes: list[Any]) -> list[tuple[str, int]]:
    """One person's dots as (option, how many), in the order first given: a 2-dot vote is one line."""
    counts = Counter(str(v) for v in votes if str(v).strip())
    return list(counts.items())


def record_fields(record: dict[str, Any], prompt: Any) -> list[tuple[str, str]]:
    """A record's non-blank fields as (label, text), in the workbook's field order, extra keys last."""
    labels = {f.id: short_label(f.label) for f in prompt.fields} if isinstance(prompt, Records) else {}
    keys = [k for k in labels if k in record] + [k for k in record if k not in labels]
    return [(labels.get(k, k), str(record[k]).strip()) for k in keys if str(record[k]).strip()]
