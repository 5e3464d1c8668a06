"""Turn a person's name into a safe file name (any alphabet, no path tricks), and name answer files with it."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from formative.workbook.model import Workbook

ANSWERS_ENV = "FORMATIVE_ANSWERS"

_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def safe_stem(name: str, fallback: str = "person") -> str:
    """A file-name stem from name: letters and digits of any script, '-' between words.

    'Ada Lovelace' -> 'ada-lovelace', '../etc/passwd' -> 'etc-passwd', 'Zoë' -> 'zoë',
    '李小龙' -> '李小龙'. Never empty, never a dot file, never a reserved device name.
    """
    text = unicodedata.normalize("NFKC", name).casefold()
    # Combining marks (Devanagari and Tamil vowel signs, accents) belong to the letters
    # before them, so they stay: dropping them would cut 'हिन्दी' into 'ह-न-द'.
    words = "".join(c if c.isalnum() or unicodedata.category(c).startswith("M") else " " for c in text).split()
    stem = "-".join(words)[:60].strip("-")
    if not stem:
        return fallback
    if stem in _RESERVED:
        stem += "-1"
    return stem


def default_answers_dir() -> Path:
    """Where answers go unless --answers says otherwise: $FORMATIVE_ANSWERS or ~/formative-answers."""
    configured = os.environ.get(ANSWERS_ENV)
    return Path(configured).expanduser() if configured else Path.home() / "formative-answers"


def answer_file(answers_dir: Path, workbook_id: str, person: str | None) -> Path:
    """The answer file of one person for one workbook: 'WORKBOOK.toml' or 'WORKBOOK--PERSON.toml'."""
    name = workbook_id if not person else f"{workbook_id}--{safe_stem(person)}"
    return answers_dir / f"{name}.toml"


def answers_path(answers_dir: Path, workbook: Workbook, person: str | None) -> Path:
    """The answer file of one person for one workbook (answer_file, from the loaded workbook)."""
    return answer_file(answers_dir, workbook.id, person)
