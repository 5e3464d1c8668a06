"""Answer values: their shapes per prompt kind, and the checks a person sees.

An answer is plain data so it maps straight onto TOML: text is a string, a scale is
an integer, lists and rankings are lists of strings, records are lists of
string-to-string tables. Messages speak to the person, not to a programmer.
"""

from __future__ import annotations

import re
from typing import Any

from formative.workbook.model import (
    AnswerPrompt,
    DotVote,
    ListPrompt,
    LongText,
    MultipleChoice,
    Ranking,
    Records,
    Scale,
    ShortText,
    SingleChoice,
)
from formative.workbook.text import UNANSWERED as UNANSWERED  # what interpolated text shows for an answer not given yet

AnswerValue = str | int | list[str] | list[dict[str, str]]


def is_answered(value: Any) -> bool:
    """Whether a value counts as an answer (blank text and empty lists do not)."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list):
        return any(is_answered(v) if not isinstance(v, dict) else any(map(is_answered, v.values())) for v in value)
    return True


def format_answer(value: Any) -> str:
    """An answer as one plain line or paragraph, for interpolation and summaries."""
    if not is_answered(value):
        return UNANSWERED
    if isinstance(value, list):
        parts = []
        for item in value:
            if isinstance(item, dict):
                parts.append(" – ".join(str(v) for v in item.values() if str(v).strip()))
            elif str(item).strip():
                parts.append(str(item))
        return ", ".join(parts)
    return str(value).strip()


def _length_problem(text: str, limit: int | None) -> str | None:
    if limit is not None and len(text) > limit:
        return f"Keep this to {limit:,} characters (it has {len(text):,})."
    return None


_WORD = re.compile(r"\w")
_NUMBER_WORDS = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
)


def word_count(text: str) -> int:
    """Words as a person counts them: runs of text between spaces that hold a letter or digit.

    'five-year' and 'don't' are one word each; a dash or an ellipsis on its own is none.
    """
    return sum(1 for token in text.split() if _WORD.search(token))


def in_words(number: int) -> str:
    """'six' for 6, as people write small numbers; digits from 13 on."""
    return _NUMBER_WORDS[number] if 0 <= number < len(_NUMBER_WORDS) else f"{number:,}"


def _words(number: int) -> str:
    return f"{in_words(number)} word{'' if number == 1 else 's'}"


def words_problem(text: str, low: int | None, high: int | None, this: str = "this") -> str | None:
    """'Keep this to six words (it has eight).', or None when the count is within the limits."""
    count = word_count(text)
    if high is not None and count > high:
        return f"Keep {this} to {_words(high)} (it has {in_words(count)})."
    if low is not None and count < low:
        return f"Write at least {_words(low)} (it has {in_words(count)})."
    return None


def word_limit_hint(prompt: AnswerPrompt) -> str | None:
    """The prompt's word limits in words, e.g. 'Six words at most.', for a person about to answer."""
    if not isinstance(prompt, ShortText | LongText | ListPrompt):
        return None
    low, high = prompt.min_words, prompt.max_words
    if low is None and high is None:
        return None
    if low is not None and high is not None:
        limits = f"{in_words(low)} to {_words(high)}"
    elif high is not None:
        limits = f"{_words(high)} at most"
    else:
        limits = f"at least {_words(low or 0)}"
    if isinstance(prompt, ListPrompt):
        return f"Each {prompt.item_label.lower()}: {limits}."
    return limits[0].upper() + limits[1:] + "."


def _count_problem(count: int, low: int | None, high: int | None, noun: str) -> str | None:
    if low is not None and count < low:
        return f"Add at least {low} {noun} (you have {count})."
    if high is not None and count > high:
        return f"Keep it to {high} {noun} at most (you have {count})."
    return None


def expected_shape(prompt: AnswerPrompt) -> str:
    """What an answer to this prompt is, in words: 'text', 'a whole number', …"""
    if isinstance(prompt, ShortText | LongText | SingleChoice):
        return "text"
    if isinstance(prompt, Scale):
        return "a whole number"
    if isinstance(prompt, Records):
        return "a list of records"
    return "a list of text"


def fits_shape(prompt: AnswerPrompt, value: Any) -> bool:
    """Whether a value has the shape this prompt's answers have (a hand-edited file may hold anything)."""
    if isinstance(prompt, ShortText | LongText | SingleChoice):
        return isinstance(value, str)
    if isinstance(prompt, Scale):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(prompt, Records):
        return isinstance(value, list) and all(
            isinstance(r, dict) and all(isinstance(v, str) for v in r.values()) for r in value
        )
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _type_problem(prompt: AnswerPrompt, value: Any) -> str | None:
    """Explain a value of the wrong shape, as a hand-edited answer file might hold."""
    if fits_shape(prompt, value):
        return None
    return f"The answer file holds something else here; expected {expected_shape(prompt)}."


def check_answer(prompt: AnswerPrompt, value: Any, options: list[str] | None = None) -> list[str]:
    """What is wrong with this answer to this prompt, in words for the person; [] if fine.

    options are the choices currently offered (they may come from an earlier answer).
    """
    if not is_answered(value):
        return ["This one needs an answer before you go on."] if prompt.required else []
    shape = _type_problem(prompt, value)
    if shape:
        return [shape]
    problems: list[str | None] = []
    if isinstance(prompt, ShortText | LongText):
        problems.append(_length_problem(value, prompt.max_length))
        problems.append(words_problem(value, prompt.min_words, prompt.max_words))
    elif isinstance(prompt, SingleChoice):
        if not prompt.allow_other and options is not None and value not in options:
            problems.append("Pick one of the options.")
    elif isinstance(prompt, MultipleChoice):
        picked = [v for v in value if v.strip()]
        problems.append(_count_problem(len(picked), prompt.min_picks, prompt.max_picks, "picks"))
        if not prompt.allow_other and options is not None and any(v not in options for v in picked):
            problems.append("Pick only from the options.")
    elif isinstance(prompt, Scale):
        if not prompt.min <= value <= prompt.max:
            problems.append(f"Choose a number from {prompt.min} to {prompt.max}.")
    elif isinstance(prompt, ListPrompt):
        items = [v for v in value if v.strip()]
        noun = prompt.item_label.lower() + ("s" if not prompt.item_label.endswith("s") else "")
        problems.append(_count_problem(len(items), prompt.min_items, prompt.max_items, noun))
        problems.extend(_length_problem(item, prompt.max_length) for item in items)
        item_noun = prompt.item_label.lower()
        for number, item in enumerate(items, start=1):
            words = words_problem(item, prompt.min_words, prompt.max_words, this=f"each {item_noun}")
            if words:
                problems.append(f"{prompt.item_label} {number}: {words}")
    elif isinstance(prompt, Records):
        records = [r for r in value if any(v.strip() for v in r.values())]
        problems.append(_count_problem(len(records), prompt.min_items, prompt.max_items, "entries"))
        for number, record in enumerate(records, start=1):
            for field in prompt.fields:
                text = record.get(field.id, "")
                if field.required and not text.strip():
                    problems.append(f"Entry {number} needs a {field.label.lower()}.")
                length = _length_problem(text, field.max_length)
                if length:
                    problems.append(f"Entry {number}, {field.label.lower()}: {length}")
    elif isinstance(prompt, DotVote):
        votes = [v for v in value if v.strip()]
        if len(votes) > prompt.votes:
            problems.append(f"You have {prompt.votes} votes; you gave {len(votes)}.")
        if prompt.max_per_option is not None:
            most = max((votes.count(v) for v in votes), default=0)
            if most > prompt.max_per_option:
                problems.append(f"Give one option at most {prompt.max_per_option} votes.")
        if options is not None and any(v not in options for v in votes):
            problems.append("Vote only for the answers shown.")
    elif isinstance(prompt, Ranking) and options is not None and sorted(value) != sorted(options):
        problems.append("Put every option in order.")
    return [p for p in problems if p]


def answer_lines(value: Any) -> list[str]:
    """An answer as lines to show: text line by line, one line per item or record."""
    if not is_answered(value):
        return []
    if isinstance(value, list):
        lines = []
        for item in value:
            if isinstance(item, dict):
                text = " – ".join(str(v).strip() for v in item.values() if str(v).strip())
            else:
                text = str(item).strip()
            if text:
                lines.append(f"• {text}")
        return lines
    return [line.rstrip() for line in str(value).strip().splitlines()]
