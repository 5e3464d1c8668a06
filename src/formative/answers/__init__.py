"""Answer files: values and checks, TOML layout, atomic writes, locks, file names."""

from formative.answers.lock import LockedError
from formative.answers.store import AnswerFileError, AnswerStore
from formative.answers.values import AnswerValue, check_answer, format_answer, is_answered

__all__ = [
    "AnswerFileError",
    "AnswerStore",
    "AnswerValue",
    "LockedError",
    "check_answer",
    "format_answer",
    "is_answered",
]
