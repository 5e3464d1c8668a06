"""Who is connecting: a name when the SSH user name says nothing, then a PIN, before any app starts.

This runs on the raw SSH channel (the client asked for a pty, so its terminal is in raw
mode): echo and editing are ours. LineEditor turns bytes into lines (printable text,
Backspace, Ctrl-U, Enter; Ctrl-C or Ctrl-D leave; escape sequences such as arrow keys
are skipped; PINs echo as '*'). identify() is the conversation, and Door answers its
questions from the workshop's name bindings (People) and the server's AuthGuard:

- a key login is its key's person; a new key is bound to the name it first uses;
- a passcode (or anonymous) login under a free name chooses a PIN, typed twice;
- a passcode login under a taken name must give that name's PIN (or the coach's
  printed code): each wrong PIN waits the guard's growing delay, three end the visit.
"""

from __future__ import annotations

import asyncio
import codecs
import unicodedata
from collections import deque
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal, TypeVar

from formative.serve.guard import AuthGuard
from formative.workshop.identity import MIN_PIN, Admission, People, PeopleFileError, key_only, pin_problem
from formative.workshop.names import MAX_NAME, clean_name, is_generic

WELCOME = "Welcome to the workshop."
NAME_PROMPT = "Your name (as the room should see it): "
MAX_PIN_LENGTH = 64
WRONG_PINS = 3
"""Wrong PINs one connection may type before it is closed (the guard also counts per address)."""
T = TypeVar("T")
TYPE_AHEAD = 4096
"""Characters kept when someone types (or pastes) ahead of the prompt; the rest are dropped."""


class LineEditor:
    """Feed it the channel's bytes; ask() shows a prompt and returns the line typed (None: they left)."""

    def __init__(self, write: Callable[[bytes], None]) -> None:
        self._write = write
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="ignore")
        self._typed: deque[str] = deque()
        self._chars: list[str] = []
        self._escape = ""
        self._after_cr = False
        self._masked = False
        self._limit = MAX_NAME
        self._line: asyncio.Future[str | None] | None = None
        self.closed = False

    def feed(self, data: bytes) -> None:
        text = self._decoder.decode(data)
        self._typed.extend(text[: max(0, TYPE_AHEAD - len(self._typed))])
        self._pump()

    def close(self) -> None:
        """The participant has gone (or ran out of time): any question waiting gets None."""
        self.closed = True
        self._answer(None)

    def say(self, message: str) -> None:
        self._write(f"{message}\r\n".encode())

    async def ask(self, prompt: str, *, masked: bool = False, limit: int = MAX_NAME) -> str | None:
        if self.closed:
            return None
        self._chars.clear()
        self._masked, self._limit = masked, limit
        self._line = asyncio.get_running_loop().create_future()
        self._write(prompt.encode())
        self._pump()
        try:
            return await self._line
        finally:
            self._line = None

    def _pump(self) -> None:
        while self._typed and self._line is not None and not self._line.done():
            self._key(self._typed.popleft())

    def _answer(self, line: str | None) -> None:
        if self._line is not None and not self._line.done():
            self._line.set_result(line)

    def _key(self, char: str) -> None:
        after_cr, self._after_cr = self._after_cr, char == "\r"
        if self._escape:
            self._escape += char
            # ESC [ params final, or ESC O x: done at the first letter or ~ after the opener.
            if (len(self._escape) >= 3 and (char.isalpha() or char == "~")) or self._escape[1] not in "[O":
                self._escape = ""
            return
        if char == "\x1b":
            self._escape = char
        elif char == "\n" and after_cr:
            return  # the \n of a \r\n: the line has ended already
        elif char in "\r\n":
            self._write(b"\r\n")
            self._answer("".join(self._chars))
        elif char in "\x03\x04":
            self._write(b"\r\n")
            self.close()
        elif char in "\x7f\x08":
            if self._chars:
                self._chars.pop()
                self._write(b"\b \b")
        elif char == "\x15":
            self._write(b"\b \b" * len(self._chars))
            self._chars.clear()
        elif unicodedata.category(char)[0] != "C" and len(self._chars) < self._limit:
            self._chars.append(char)
            self._write(b"*" if self._masked else char.encode())


@dataclass(frozen=True)
class Verdict:
    """What a login under a name must do next."""

    need: Literal["admitted", "choose_pin", "pin", "refused"]
    name: str
    """The name as the room sees it (the roster's spelling, or as bound)."""
    reason: str = ""


NAME_THREADS = ThreadPoolExecutor(max_workers=32, thread_name_prefix="names")
"""Where the name questions run, off the event loop: one thread per login arriving together.

A new PIN waits, in its thread, for the write that binds it (written together with the
others queued, see People): with the event loop's default pool of a few threads, a room
of thirty waited in line for a free thread before even hashing. The threads spend their
time waiting on the disk or in scrypt (which runs without the GIL)."""


class Leave(Exception):
    """The visit ends here; the message (if any) is for the participant."""


class Door:
    """One connection's questions about names, answered from People and the AuthGuard.

    People does file I/O under a lock and scrypt for PINs (about 16 ms), so every call
    runs in a thread (NAME_THREADS), off the server's event loop.
    """

    def __init__(
        self,
        people: People,
        guard: AuthGuard,
        address: str,
        key: str | None,
        *,
        log: Callable[[str], None] = lambda message: None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.people = people
        self.guard = guard
        self.address = address
        self.key = key
        """The SHA256 fingerprint of the key this connection logged in with; None for a passcode."""
        self.log = log
        self.sleep = sleep
        self.wrong_pins = 0

    async def _call(self, function: Callable[..., T], *args: object) -> T:
        try:
            return await asyncio.get_running_loop().run_in_executor(NAME_THREADS, function, *args)
        except (PeopleFileError, OSError) as error:
            self.log(f"cannot read the workshop's names: {error}")
            raise Leave("The coach's list of names cannot be read right now; tell the coach.") from None

    async def recognise(self) -> str | None:
        """The person this connection's key belongs to, if it logged in with a key that has one."""
        if self.key is None:
            return None
        admission: Admission = await self._call(self.people.admit_key, None, self.key)
        return admission.name

    async def about(self, name: str) -> Verdict:
        if self.key is not None:
            admission: Admission = await self._call(self.people.admit_key, name, self.key)
            if admission.name is not None:
                return Verdict("admitted", admission.name)
            return Verdict("refused", name, admission.reason)
        need, reason = await self._call(self.people.need, name)
        spelled: str = await self._call(self.people.spelling, name)
        if need == "key":
            need, reason = "refused", reason or key_only(spelled)
        return Verdict(need, spelled, reason)

    async def choose_pin(self, name: str, pin: str) -> Admission:
        admission: Admission = await self._call(self.people.choose_pin, name, pin)
        return admission

    async def check_pin(self, name: str, pin: str) -> Admission:
        """Check a PIN no faster than the guard allows this address; a wrong one waits its delay."""
        while (wait := self.guard.penalty_left(self.address)) > 0:
            await self.sleep(wait)
        if self.guard.locked_out(self.address):
            raise Leave("Too many wrong attempts from your address; try again in a few minutes.")
        admission: Admission = await self._call(self.people.check_pin, name, pin)
        if admission.ok:
            self.guard.succeeded(self.address)
            return admission
        self.wrong_pins += 1
        await self.sleep(self.guard.failed(self.address, f"PIN for {name!r}"))
        return admission


async def identify(editor: LineEditor, door: Door, name: str | None) -> str | None:
    """Talk with the person until they are admitted under a name (returned), or leave (None)."""
    try:
        if name is None:
            name = await door.recognise()
            if name is not None:
                return name
            editor.say(WELCOME)
        while True:
            if name is None:
                name = await _ask_name(editor)
            verdict = await door.about(name)
            if verdict.need == "admitted":
                return verdict.name
            if verdict.need == "refused":
                editor.say(verdict.reason)
                admitted = None
            elif verdict.need == "choose_pin":
                admitted = await _choose_pin(editor, door, verdict.name)
            else:
                admitted = await _enter_pin(editor, door, verdict.name)
            if admitted is not None:
                return admitted
            name = None
    except Leave as leaving:
        if str(leaving):
            editor.say(str(leaving))
        return None


async def _ask(editor: LineEditor, prompt: str, *, masked: bool = False) -> str:
    line = await editor.ask(prompt, masked=masked, limit=MAX_PIN_LENGTH if masked else MAX_NAME)
    if line is None:
        raise Leave()
    return line


async def _ask_name(editor: LineEditor) -> str:
    while True:
        name = clean_name(await _ask(editor, NAME_PROMPT))
        if name and not is_generic(name):
            return name
        if name:
            editor.say("Type your own name, please.")


async def _choose_pin(editor: LineEditor, door: Door, name: str) -> str | None:
    """A free name: the person picks a PIN (twice). Returns the name, or None to pick another name."""
    while True:
        prompt = f"Choose a PIN ({MIN_PIN}+ characters) — you'll need it to come back as {name}: "
        pin = await _ask(editor, prompt, masked=True)
        if problem := pin_problem(pin):
            editor.say(problem)
            continue
        if await _ask(editor, "Type the same PIN again: ", masked=True) != pin:
            editor.say("Those two were not the same; choose again.")
            continue
        admission = await door.choose_pin(name, pin)
        if admission.name is not None:
            return admission.name
        editor.say(admission.reason)
        return None


async def _enter_pin(editor: LineEditor, door: Door, name: str) -> str | None:
    """A taken name: its PIN (or the coach's printed code). Returns the name, or None to pick another name."""
    editor.say(f"{name} has a PIN. Not you? Press Enter to give another name.")
    while True:
        pin = await _ask(editor, f"PIN for {name}: ", masked=True)
        if not pin:
            return None
        admission = await door.check_pin(name, pin)
        if admission.name is not None:
            return admission.name
        if door.wrong_pins >= WRONG_PINS:
            raise Leave(f"{WRONG_PINS} wrong PINs. If you forgot yours, the coach can release your name.")
        editor.say("That PIN is not right.")
