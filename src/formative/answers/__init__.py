"""Answer files: values and checks, TOML layout, atomic writes, locks, file names.

The names below load on first use (PEP 562), so a light submodule such as
`answers.naming` can be imported on the way to the first paint without pydantic.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from formative.answers.lock import LockedError
    from formative.answers.store import AnswerFileError, AnswerStore
    from formative.answers.values import AnswerValue, check_answer, format_answer, is_answered

_HOMES = {
    "LockedError": "formative.answers.lock",
    "AnswerFileError": "formative.answers.store",
    "AnswerStore": "formative.answers.store",
    "AnswerValue": "formative.answers.values",
    "check_answer": "formative.answers.values",
    "format_answer": "formative.answers.values",
    "is_answered": "formative.answers.values",
}

__all__ = [
    "AnswerFileError",
    "AnswerStore",
    "AnswerValue",
    "LockedError",
    "check_answer",
    "format_answer",
    "is_answered",
]


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(import_module(_HOMES[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
