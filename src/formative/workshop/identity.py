"""One person per name in a hosted workshop: each name is bound to a key or a PIN on first use.

Anyone who knows the room's passcode could otherwise type "carol" and read Carol's
private answers, or take her name before she arrives. So the first login under a name
binds it: to the SSH key that logged in, or to a personal PIN the person chooses (or a
code the coach printed for them). Later logins under that name must present the same
key or PIN. The coach can release a name (a lost laptop, a forgotten PIN).

The bindings live in WORKSHOP/.formative/people.toml (private to the coach's user, kept
out of git). Every change is a locked read-modify-write, so `serve ssh`, `serve web`
and the facilitator can share the file. PINs are stored as salted scrypt hashes; the
servers, not this module, limit how fast anyone may guess.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import fcntl
import hashlib
import hmac
import os
import secrets
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import tomlkit

from formative.answers.atomic import atomic_write_text
from formative.workbook.errors import WorkbookError
from formative.workbook.load import parse_toml, read_text
from formative.workshop.names import clean_name, same_person

PEOPLE_FILE = "people.toml"
PRIVATE_FOLDER = ".formative"
MIN_PIN = 4
MAX_PIN = 64
SCRYPT_N = 2**12
"""scrypt's cost: about 16 ms and 4 MiB a hash on a laptop core.

The hash keeps a PIN unreadable in people.toml; it cannot make a 4-digit PIN uncrackable
for someone who has that file (who has the coach's disk, and so every answer too): at
2**14 such a PIN falls in 11 minutes instead of 3. What the cost does decide is how long
thirty people arriving together wait: each new PIN is hashed once, each return once more,
on the coach's laptop. Guessing online is slowed by the servers (serve/guard.py), not by
this. The prompts ask for a PIN used nowhere else."""
SCRYPT_R, SCRYPT_P = 8, 1
MAX_SCRYPT_N = 2**16
"""The costliest hash a people.toml may name (a hand-edited one cannot make each check take minutes)."""
_LEGACY_N = 2**14
"""Hashes stored as 'scrypt$SALT$DIGEST' (no parameters) were made with this cost."""


def fingerprint(public_key_line: str) -> str | None:
    """The SHA256 fingerprint OpenSSH prints for a public key line ('ssh-ed25519 AAAA… comment')."""
    parts = public_key_line.split()
    if len(parts) < 2:
        return None
    try:
        blob = base64.b64decode(parts[1], validate=True)
    except (binascii.Error, ValueError):
        return None
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    """'scrypt:N:R:P$SALT$DIGEST': the parameters travel with the hash, so a later change of cost keeps old PINs."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    kind = f"scrypt:{SCRYPT_N}:{SCRYPT_R}:{SCRYPT_P}"
    return f"{kind}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def _scrypt_cost(kind: str) -> tuple[int, int, int] | None:
    """(n, r, p) from a stored hash's kind, or None when it is not one of ours or costs too much."""
    if kind == "scrypt":
        return _LEGACY_N, 8, 1
    name, _, params = kind.partition(":")
    numbers = params.split(":")
    if name != "scrypt" or len(numbers) != 3 or not all(n.isascii() and n.isdigit() for n in numbers):
        return None
    n, r, p = (int(x) for x in numbers)
    if not (2 <= n <= MAX_SCRYPT_N and n & (n - 1) == 0 and r == SCRYPT_R and p == SCRYPT_P):
        return None
    return n, r, p


def pin_matches(pin: str, stored: str) -> bool:
    try:
        kind, salt, digest = stored.split("$")
        cost = _scrypt_cost(kind)
        if cost is None:
            return False
        n, r, p = cost
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(pin.encode(), salt=base64.b64decode(salt), n=n, r=r, p=p)
    except (ValueError, binascii.Error):
        return False
    return hmac.compare_digest(actual, expected)


def key_only(name: str) -> str:
    """Why a passcode login cannot take a name that is someone's SSH key's."""
    return f"{name} joins with their own SSH key; choose another name."


def pin_problem(pin: str) -> str | None:
    """Why a new PIN cannot be used, or None."""
    if len(pin) < MIN_PIN:
        return f"Use at least {MIN_PIN} characters."
    if len(pin) > MAX_PIN:
        return f"Use at most {MAX_PIN} characters."
    return None


@dataclass
class Person:
    """A name taken in this workshop, and what proves it is them."""

    name: str
    keys: list[str] = field(default_factory=list)
    """SHA256 fingerprints of the SSH keys that log in as this person."""
    pin: str | None = None
    """The scrypt hash of their PIN (or of the code the coach printed for them)."""
    coach_code: bool = False
    """True when the PIN is a code the coach handed out, not one the person chose."""


@dataclass(frozen=True)
class Admission:
    """The answer to "may this login be this person?": the name to use, or why not."""

    name: str | None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.name is not None


Need = Literal["choose_pin", "pin", "key", "refused"]


class People:
    """The name bindings of one workshop folder."""

    def __init__(self, workshop_folder: Path, roster: list[str] | None = None, roster_keys: Any = None) -> None:
        self.folder = workshop_folder / PRIVATE_FOLDER
        self.path = self.folder / PEOPLE_FILE
        self.roster = list(roster or [])
        """Names as the coach spelled them: 'ada' over SSH is shown as the roster's 'Ada'."""
        self.roster_keys: dict[str, list[str]] = {
            name: [fp for line in lines if (fp := fingerprint(line))] for name, lines in dict(roster_keys or {}).items()
        }
        """Names whose keys the coach listed in workshop.toml: only those keys are that person."""

    # Reading and writing ------------------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self) -> Iterator[list[Person]]:
        """The bindings, locked against other processes; changes to the list are written back."""
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(self.folder / ".people.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            people = self._read()
            before = [_as_dict(p) for p in people]
            yield people
            if [_as_dict(p) for p in people] != before:
                self._write(people)
        finally:
            os.close(fd)

    def _read(self) -> list[Person]:
        if not self.path.exists():
            return []
        try:
            data = parse_toml(read_text(self.path), str(self.path))
        except WorkbookError as error:
            # Never start over silently: an unreadable file would free every name in the room.
            raise PeopleFileError(str(error)) from None
        people = []
        for entry in data.get("person", []):
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                keys = [k for k in entry.get("keys", []) if isinstance(k, str)]
                pin = entry.get("pin") if isinstance(entry.get("pin"), str) else None
                people.append(Person(entry["name"], keys, pin, bool(entry.get("coach_code", False))))
        return people

    def _write(self, people: list[Person]) -> None:
        doc = tomlkit.document()
        doc.add(tomlkit.comment("Who answers under which name in this workshop; written by Formative."))
        doc.add(tomlkit.comment("Keep this file private. Free a name with: formative workshop release FOLDER NAME"))
        tables = tomlkit.aot()
        for person in people:
            tables.append(tomlkit.item(_as_dict(person)))
        doc["person"] = tables
        atomic_write_text(self.path, doc.as_string())
        os.chmod(self.path, 0o600)

    def _current(self) -> list[Person]:
        """The bindings as the file holds them now, for questions: no lock, parsed once per version.

        Every write replaces the file whole (a rename), so a reader without the lock sees
        one version or the next, never half of one. Thirty logins asking at once no longer
        wait in line behind each write, and nobody parses an unchanged file again.
        """
        try:
            info = os.stat(self.path)
        except FileNotFoundError:
            return []
        except OSError as error:
            raise PeopleFileError(f"{self.path}: {error.strerror}") from None
        version = (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
        with _QUEUES_LOCK:
            cached = _READ_CACHE.get(self.path.absolute())
        if cached is not None and cached[0] == version:
            return [replace(person, keys=list(person.keys)) for person in cached[1]]
        people = self._read()
        with _QUEUES_LOCK:
            _READ_CACHE[self.path.absolute()] = (version, people)
        return [replace(person, keys=list(person.keys)) for person in people]

    # Questions ------------------------------------------------------------------------------

    def everyone(self) -> list[Person]:
        return self._current()

    def find(self, name: str) -> Person | None:
        return _find(self._current(), name)

    def _listed_keys(self, name: str) -> list[str] | None:
        return next((keys for listed, keys in self.roster_keys.items() if same_person(listed, name) and keys), None)

    def _listed_owner(self, key: str) -> str | None:
        return next((name for name, keys in self.roster_keys.items() if key in keys), None)

    def spelling(self, name: str, people: list[Person] | None = None) -> str:
        """How the room sees this name: as bound, else as on the roster, else as typed (cleaned)."""
        bound = _find(people, name) if people is not None else self.find(name)
        if bound is not None:
            return bound.name
        listed = [*self.roster, *self.roster_keys]
        return next((other for other in listed if same_person(other, name)), clean_name(name))

    def name_for_key(self, key: str) -> str | None:
        """The person this key already belongs to (bound, or listed by the coach), if any."""
        bound = next((p.name for p in self._current() if key in p.keys), None)
        return bound or self._listed_owner(key)

    def need(self, name: str) -> tuple[Need, str]:
        """What a passcode login under this name must do next, and a sentence for the person."""
        if self._listed_keys(name) is not None:
            return "refused", key_only(self.spelling(name))
        person = self.find(name)
        if person is None:
            return "choose_pin", ""
        if person.pin is not None:
            return "pin", ""
        return "refused", key_only(person.name)

    # Changes --------------------------------------------------------------------------------

    def admit_key(self, name: str | None, key: str) -> Admission:
        """A key login: the key's own person, or `name` bound to this key on first use.

        name None means the login did not say (a generic user name such as guest): the
        key's person, if it has one, else the caller must ask for a name and call again.
        """
        owner = self._listed_owner(key)
        with self._locked() as people:
            bound = next((p for p in people if key in p.keys), None)
            owner = bound.name if bound is not None else owner
            if owner is not None:
                if name is None or same_person(owner, name):
                    return Admission(owner)
                return Admission(None, f"This key belongs to {owner}: connect as them, or with a passcode.")
            if name is None:
                return Admission(None, "")
            listed = self._listed_keys(name)
            if listed is not None:
                return Admission(None, f"{self.spelling(name, people)} joins with another key.")
            person = _find(people, name)
            if person is not None:
                return Admission(None, f"The name {person.name} is taken; choose another (or ask the coach).")
            spelled = self.spelling(name, people)
            people.append(Person(spelled, keys=[key]))
            return Admission(spelled)

    def choose_pin(self, name: str, pin: str) -> Admission:
        """Bind a free name to a new PIN (a passcode login's first visit)."""
        problem = pin_problem(pin)
        if problem:
            return Admission(None, problem)
        if self._listed_keys(name) is not None:
            return Admission(None, key_only(self.spelling(name)))
        digest = hash_pin(pin)  # slow on purpose: outside the lock

        def bind(people: list[Person]) -> Admission:
            taken = _find(people, name)
            if taken is not None and taken.pin is None:
                return Admission(None, key_only(taken.name))
            if taken is not None:
                return Admission(None, "Someone took this name a moment ago; choose another.")
            spelled = self.spelling(name, people)
            people.append(Person(spelled, pin=digest))
            return Admission(spelled)

        return self._change_together(bind)

    def _change_together(self, change: Callable[[list[Person]], Admission]) -> Admission:
        """Apply change under the lock, in one write with the changes other threads are waiting to make.

        Thirty people choosing their PINs at once each waited for every write before theirs
        (a read, a write and two fsyncs, one at a time under the lock): seconds for the
        last. Here the first thread to arrive writes for everyone queued behind it, in one
        locked read-modify-write; each change still sees the ones before it.
        """
        queue = _queue_for(self.path)
        waiting: Future[Admission] = Future()
        with queue.lock:
            queue.changes.append((change, waiting))
            leads = not queue.writing
            queue.writing = True
        while leads:
            with queue.lock:
                batch, queue.changes = queue.changes, []
                if not batch:
                    queue.writing = False
                    break
            try:
                with self._locked() as people:
                    answers = [one(people) for one, _ in batch]
            except BaseException as error:  # not read, or not written: nobody in this batch is bound
                for _, result in batch:
                    result.set_exception(error)
            else:  # written: each learns the answer to their change
                for (_, result), answer in zip(batch, answers, strict=True):
                    result.set_result(answer)
        return waiting.result()

    def check_pin(self, name: str, pin: str) -> Admission:
        """A returning passcode login: the name's PIN (or printed code) must match."""
        person = self.find(name)
        if person is None or person.pin is None:
            return Admission(None, "That name has no PIN; choose another name.")
        if pin_matches(pin, person.pin):
            return Admission(person.name)
        return Admission(None, "That PIN is not right.")

    def release(self, name: str) -> str | None:
        """Free a name (a lost key, a forgotten PIN); returns the name freed, or None if it was free."""
        with self._locked() as people:
            person = _find(people, name)
            if person is None:
                return None
            people.remove(person)
            return person.name

    def print_codes(self, names: list[str], replace: bool = False) -> dict[str, str]:
        """Give each name a code the coach prints and hands out (used as that person's PIN).

        Names already bound are skipped unless replace is set; returns name -> code for the new ones.
        """
        codes: dict[str, str] = {}
        with self._locked() as people:
            for name in names:
                person = _find(people, name)
                if person is not None and not replace:
                    continue
                if person is not None:
                    people.remove(person)
                code = "-".join(f"{secrets.randbelow(1000):03d}" for _ in range(2))
                spelled = self.spelling(name, people)
                people.append(Person(spelled, pin=hash_pin(code), coach_code=True))
                codes[spelled] = code
        return codes


class _Queue:
    """Changes to one people.toml waiting for the thread that writes them (see People._change_together)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.changes: list[tuple[Callable[[list[Person]], Admission], Future[Admission]]] = []
        self.writing = False


_QUEUES: dict[Path, _Queue] = {}
_QUEUES_LOCK = threading.Lock()
_READ_CACHE: dict[Path, tuple[tuple[int, int, int, int], list[Person]]] = {}
"""The last version of each people.toml read in this process (see People._current), under _QUEUES_LOCK."""


def _queue_for(path: Path) -> _Queue:
    """One queue per file in this process (each login makes its own People; they share the file)."""
    with _QUEUES_LOCK:
        return _QUEUES.setdefault(path.absolute(), _Queue())


class PeopleFileError(Exception):
    """people.toml cannot be read; nobody is admitted until it is fixed (names would be free)."""


def _find(people: list[Person], name: str) -> Person | None:
    return next((p for p in people if same_person(p.name, name)), None)


def _as_dict(person: Person) -> dict[str, Any]:
    data: dict[str, Any] = {"name": person.name}
    if person.keys:
        data["keys"] = list(person.keys)
    if person.pin is not None:
        data["pin"] = person.pin
    if person.coach_code:
        data["coach_code"] = True
    return data
