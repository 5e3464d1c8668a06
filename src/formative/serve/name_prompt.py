"""Ask a participant their name on the raw SSH channel, before their app starts.

The client's terminal is in raw mode (a pty was requested), so echo and editing
are ours: printable text, Backspace, Ctrl-U, Enter; Ctrl-C or Ctrl-D leave.
Escape sequences (arrow keys) are skipped rather than taken as part of the name.
"""

from __future__ import annotations

import codecs
import unicodedata
from collections.abc import Callable

from formative.serve.common import MAX_NAME, clean_name

PROMPT = "\r\nWelcome to the workshop. Your name (as the room should see it): "


class NamePrompt:
    """Feed it bytes; it echoes through write and calls done(name) or done(None) once."""

    def __init__(self, write: Callable[[bytes], None], done: Callable[[str | None], None]) -> None:
        self._write = write
        self._done = done
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="ignore")
        self._chars: list[str] = []
        self._escape = ""
        self.finished = False

    def start(self) -> None:
        self._write(PROMPT.encode())

    def feed(self, data: bytes) -> None:
        for char in self._decoder.decode(data):
            if self.finished:
                return
            self._key(char)

    def _key(self, char: str) -> None:
        if self._escape:
            self._escape += char
            # ESC [ params final, or ESC O x: done at the first letter or ~ after the opener.
            if (len(self._escape) >= 3 and (char.isalpha() or char == "~")) or self._escape[1] not in "[O":
                self._escape = ""
            return
        if char == "\x1b":
            self._escape = char
        elif char in "\r\n":
            name = clean_name("".join(self._chars))
            if name:
                self._finish(name)
            else:
                self._write(PROMPT.encode())
        elif char in "\x03\x04":
            self._write(b"\r\n")
            self._finish(None)
        elif char in "\x7f\x08":
            if self._chars:
                self._chars.pop()
                self._write(b"\b \b")
        elif char == "\x15":
            self._write(b"\b \b" * len(self._chars))
            self._chars.clear()
        elif unicodedata.category(char)[0] != "C" and len(self._chars) < MAX_NAME:
            self._chars.append(char)
            self._write(char.encode())

    def _finish(self, name: str | None) -> None:
        self.finished = True
        self._done(name)
