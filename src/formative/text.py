"""User text made safe to show, in one place: control and invisible characters made visible or dropped.

Answers, names and vote options reach terminals, Markdown, SVG and plain output. Each
output needs the same decisions, made here once:

- Control characters (ESC, BEL, …; C0 but newline and tab, DEL, C1) are shown as the
  symbols terminals use for them (ESC as ␛), never passed on: an escape sequence in an
  answer must not drive the coach's terminal.
- Invisible characters that can hide or reorder text (zero-width spaces, bidi overrides
  such as U+202E) are shown by name in documents, ⟨U+202E⟩. The zero-width joiner and
  non-joiner are kept: emoji and Persian or Indic words need them.
- Plain mode drops escape sequences and controls instead (its output is read as a line
  of text, often by a screen reader).
- Names drop every control and format character (they are keys as well as labels).

No formative imports: every layer may use it. Textual's markup is escaped separately, in
tui/widgets/safe_text.py (which uses `visible_controls` from here).
"""

from __future__ import annotations

import re
import unicodedata

CONTROL_SYMBOLS: dict[int, str] = {c: chr(0x2400 + c) for c in range(0x20) if chr(c) not in "\n\t"}
CONTROL_SYMBOLS[0x7F] = "\u2421"
CONTROL_SYMBOLS.update({c: "\ufffd" for c in range(0x80, 0xA0)})
"""Each control character and the symbol shown in its place (␛ for ESC, ␇ for BEL, � for C1)."""

_INVISIBLE = [0x061C, 0x180E, 0x200B, 0x200E, 0x200F, 0x2028, 0x2029, 0xFEFF, 0xFFF9, 0xFFFA, 0xFFFB]
_INVISIBLE += [*range(0x202A, 0x202F), *range(0x2060, 0x2065), *range(0x2066, 0x206A)]
DOCUMENT_SYMBOLS: dict[int, str] = {
    **CONTROL_SYMBOLS,
    **{c: f"\u27e8U+{c:04X}\u27e9" for c in _INVISIBLE},
    0xFFFE: "\ufffd",
    0xFFFF: "\ufffd",
}
"""For documents (Markdown, SVG): controls as symbols, and invisible characters by name."""

_CONTROL_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in CONTROL_SYMBOLS) + "]")
_ESCAPE_SEQUENCE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")


def visible_controls(text: str) -> str:
    """Text with control characters (ESC, BEL, …) replaced by visible symbols such as ␛: for terminals."""
    return text.translate(CONTROL_SYMBOLS) if _CONTROL_RE.search(text) else text


def has_controls(text: str) -> bool:
    return _CONTROL_RE.search(text) is not None


def visible(text: str) -> str:
    """Text with control and invisible characters replaced by symbols a reader can see: for documents."""
    return text.replace("\r\n", "\n").translate(DOCUMENT_SYMBOLS)


def xml_text(text: str) -> str:
    """Text XML 1.0 can hold, shown as typed: `visible`, tabs as spaces, no lone surrogates."""
    text = visible(text.replace("\t", " "))
    return "".join(c for c in text if unicodedata.category(c) != "Cs")


def without_controls(text: str) -> str:
    """Text safe to print as a plain line: escape sequences and other control characters removed."""
    text = _ESCAPE_SEQUENCE.sub("", text)
    return "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc")


def without_format_characters(text: str) -> str:
    """Text with every control and format character removed (bidi overrides, zero-width): for names."""
    return "".join(c for c in text if unicodedata.category(c)[0] != "C")
