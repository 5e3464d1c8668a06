"""One person per name: lookalike names, key and PIN bindings, release, printed codes, the guard."""

from __future__ import annotations

import base64
import fcntl
import hashlib
import os
import random
import stat
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from formative.serve.guard import AuthGuard, Limits
from formative.workshop import identity
from formative.workshop.identity import (
    SCRYPT_N,
    People,
    PeopleFileError,
    Person,
    fingerprint,
    hash_pin,
    pin_matches,
)
from formative.workshop.names import clean_name, is_generic, name_key, roster_spelling, same_person

ADA_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJa/YSO6V5C88VRsYaYrQBKQCZ++yzOvNphnwiCm0/Ag ada@laptop"


# Names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Carol", "carol"),
        ("Carol", "Cаrol"),  # Cyrillic а
        ("Carol", "CaroI"),  # capital i for l
        ("Carol", "Ｃａｒｏｌ"),  # fullwidth
        ("Carol", "Car\u200bol"),  # zero-width space
        ("Carol", "\u202eCarol"),  # right-to-left override
        ("Ada Lovelace", "ada  lovelace"),
        ("Ian", "ian"),
        ("Zoë", "ZOË"),
    ],
)
def test_names_that_read_alike_are_one_person(a: str, b: str) -> None:
    assert same_person(a, b)


@pytest.mark.parametrize(("a", "b"), [("Carol", "Carl"), ("Ana", "Anna"), ("Zoë", "Zoe"), ("李", "季"), ("Bob", "Rob")])
def test_different_names_stay_different(a: str, b: str) -> None:
    assert not same_person(a, b)


def test_clean_name_drops_controls_and_keeps_letters() -> None:
    assert clean_name("  Ada\x1b[31m \t Lovelace\u202e ") == "Ada[31m Lovelace"
    assert clean_name("x" * 500) == "x" * 60
    assert is_generic("Guest") and is_generic("room") and not is_generic("Ada")
    assert name_key("Аda").folded == name_key("ada").folded


def test_roster_spelling_wins() -> None:
    assert roster_spelling("ada", ["Ben", "Ada"]) == "Ada"
    assert roster_spelling("dmitri", ["Ada"]) == "dmitri"


# Bindings ------------------------------------------------------------------------------


def test_fingerprint_matches_openssh() -> None:
    # ssh-keygen -lf on ADA_KEY prints this fingerprint.
    assert fingerprint(ADA_KEY) == "SHA256:heEM0qIdm9BuKvVJMeUNg41H/AT1JuLftUx/8KBO764"
    assert fingerprint("not a key") is None
    assert fingerprint("ssh-ed25519 !!!") is None


def test_pin_hash_round_trip() -> None:
    stored = hash_pin("2468")
    assert pin_matches("2468", stored)
    assert not pin_matches("2469", stored)
    assert "2468" not in stored
    assert not pin_matches("2468", "garbage")


def test_a_pin_hash_names_its_cost_and_older_hashes_still_match() -> None:
    salt = b"s" * 16
    stored = hash_pin("2468", salt)
    kind, _, _ = stored.split("$")
    assert kind == f"scrypt:{SCRYPT_N}:8:1"
    digest = hashlib.scrypt(b"2468", salt=salt, n=SCRYPT_N, r=8, p=1)
    assert stored.endswith(base64.b64encode(digest).decode())
    # A binding made before the cost was named (2**14, 'scrypt$SALT$DIGEST') still lets its owner in.
    legacy = hashlib.scrypt(b"2468", salt=salt, n=2**14, r=8, p=1)
    old = f"scrypt${base64.b64encode(salt).decode()}${base64.b64encode(legacy).decode()}"
    assert pin_matches("2468", old)
    assert not pin_matches("2469", old)
    # The old hash read with the new cost would not match: the cost in the kind is what decides.
    assert not pin_matches("2468", old.replace("scrypt$", f"scrypt:{SCRYPT_N}:8:1$", 1))


@pytest.mark.parametrize(
    "kind",
    [
        "scrypt:1048576:8:1",
        "scrypt:4095:8:1",
        "scrypt:4096:16:1",
        "scrypt:4096:8:4",
        "scrypt:-4096:8:1",
        "md5",
        "scrypt:4096:8",
    ],
)
def test_a_hand_edited_cost_is_refused_not_computed(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A people.toml naming a huge cost must not make each login hash for minutes (or match at all)."""
    hashed: list[object] = []
    monkeypatch.setattr(hashlib, "scrypt", lambda *args, **kwargs: hashed.append(kwargs) or b"")
    salt = base64.b64encode(b"s" * 16).decode()
    assert not pin_matches("2468", f"{kind}${salt}$AAAA")
    assert hashed == []  # refused before hashing
    assert not pin_matches("2468", f"scrypt:4096:8:1${salt}$AAAA")
    assert hashed == [{"salt": b"s" * 16, "n": 4096, "r": 8, "p": 1}]  # the same check hashes a sane cost


def test_first_key_login_binds_the_name(tmp_path: Path) -> None:
    people = People(tmp_path, roster=["Carol"])
    assert people.admit_key("carol", "SHA256:one").name == "Carol"  # roster spelling
    assert people.admit_key("Carol", "SHA256:one").ok  # the same key again
    assert people.admit_key(None, "SHA256:one").name == "Carol"  # a generic login with her key
    refused = people.admit_key("Cаrol", "SHA256:two")  # a lookalike name, another key
    assert not refused.ok and "taken" in refused.reason
    assert not people.admit_key("Bob", "SHA256:one").ok  # her key cannot be someone else
    assert people.need("carol")[0] == "refused"  # nor can a passcode login take her name
    assert people.admit_key(None, "SHA256:three").name is None  # unknown key, no name: ask


def test_pin_binding_and_return(tmp_path: Path) -> None:
    people = People(tmp_path)
    assert people.need("Ben") == ("choose_pin", "")
    assert not people.choose_pin("Ben", "12").ok  # too short
    assert people.choose_pin("Ben", "4821").name == "Ben"
    assert people.need("BEN")[0] == "pin"
    assert not people.choose_pin("ben", "9999").ok  # cannot take it again
    assert not people.check_pin("ben", "0000").ok
    assert people.check_pin("ben", "4821").name == "Ben"
    assert not people.admit_key("Ben", "SHA256:k").ok  # a key cannot take a PIN's name


def test_release_frees_a_name(tmp_path: Path) -> None:
    people = People(tmp_path)
    people.choose_pin("Ben", "4821")
    assert people.release("BEN") == "Ben"
    assert people.release("Ben") is None
    assert people.choose_pin("Ben", "1357").ok


def test_roster_keys_reserve_a_name(tmp_path: Path) -> None:
    people = People(tmp_path, roster=["Ada"], roster_keys={"Ada": [ADA_KEY]})
    ada = fingerprint(ADA_KEY)
    assert ada is not None
    assert people.need("ada")[0] == "refused"
    assert not people.admit_key("ada", "SHA256:other").ok
    assert people.admit_key(None, ada).name == "Ada"
    assert people.admit_key("guest-less", ada).reason.startswith("This key belongs to Ada")


def test_printed_codes_work_as_pins(tmp_path: Path) -> None:
    people = People(tmp_path)
    people.choose_pin("Ben", "4821")
    codes = people.print_codes(["Ada", "Ben"])
    assert list(codes) == ["Ada"]  # Ben already chose a PIN
    assert people.check_pin("ada", codes["Ada"]).ok
    replaced = people.print_codes(["Ben"], replace=True)
    assert people.check_pin("Ben", replaced["Ben"]).ok and not people.check_pin("Ben", "4821").ok


def test_people_file_is_private_and_shared_between_instances(tmp_path: Path) -> None:
    People(tmp_path).choose_pin("Ben", "4821")
    path = tmp_path / ".formative" / "people.toml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert "4821" not in path.read_text()
    assert People(tmp_path).need("Ben")[0] == "pin"


def test_a_room_choosing_pins_at_once_is_written_together_and_each_name_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Thirty threads (a server's logins) bind thirty names, and two of them race for one name."""
    writes: list[int] = []
    original = People._write
    release = threading.Event()

    def slow_write(self: People, people: list[Person]) -> None:
        release.wait(5)  # the first write holds the lock while the others queue up behind it
        writes.append(len(people))
        original(self, people)

    monkeypatch.setattr(People, "_write", slow_write)
    names = [f"p{i:02d}" for i in range(30)] + ["p00"]
    with ThreadPoolExecutor(max_workers=len(names)) as pool:
        answers = [pool.submit(People(tmp_path).choose_pin, name, "pin-1234") for name in names]
        queue = identity._queue_for(tmp_path / ".formative" / "people.toml")
        deadline = time.monotonic() + 20
        while len(queue.changes) < len(names) - 1 and time.monotonic() < deadline:
            time.sleep(0.01)  # until every other thread has hashed its PIN and queued its change
        release.set()
        admitted = [a.result(timeout=30) for a in answers]
    assert sorted(a.name for a in admitted if a.ok) == sorted(set(names))  # p00 once
    assert [a.reason for a in admitted if not a.ok] == ["Someone took this name a moment ago; choose another."]
    assert writes == [1, len(names) - 1]  # the first alone, then everyone who queued behind it: not 30 in a row
    assert {p.name for p in People(tmp_path).everyone()} == set(names)


def test_questions_are_answered_while_a_write_holds_the_lock(tmp_path: Path) -> None:
    """Asking who holds a name never waits behind another process's write (a room arriving at once)."""
    People(tmp_path).choose_pin("Ben", "4821")
    lock = os.open(tmp_path / ".formative" / ".people.lock", os.O_RDWR)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)  # as a writer in another process holds it
        with ThreadPoolExecutor(max_workers=1) as pool:
            asked = pool.submit(lambda: (People(tmp_path).need("ben"), People(tmp_path).need("Ada")))
            assert asked.result(timeout=10) == (("pin", ""), ("choose_pin", ""))
    finally:
        os.close(lock)
    (tmp_path / ".formative" / "people.toml").write_text("person = [", encoding="utf-8")
    with pytest.raises(PeopleFileError):  # a new version of the file is read again, not served from memory
        People(tmp_path).need("Ben")


def test_a_failed_write_binds_nobody_in_its_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def failing_write(self: People, people: list[Person]) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(People, "_write", failing_write)
    with pytest.raises(OSError, match="No space"):
        People(tmp_path).choose_pin("Ben", "4821")
    monkeypatch.undo()
    assert People(tmp_path).need("Ben")[0] == "choose_pin"  # still free
    assert People(tmp_path).choose_pin("Ben", "4821").ok  # and the queue is not stuck


def test_unreadable_people_file_admits_nobody(tmp_path: Path) -> None:
    folder = tmp_path / ".formative"
    folder.mkdir()
    (folder / "people.toml").write_text("person = [", encoding="utf-8")
    with pytest.raises(PeopleFileError):
        People(tmp_path).need("Ben")
    assert (folder / "people.toml").read_text() == "person = ["  # left untouched


# The guard -----------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_failures_wait_longer_and_lock_out() -> None:
    clock, lines = Clock(), []
    guard = AuthGuard(clock=clock, log=lines.append)
    delays = [guard.failed("10.0.0.9", "passcode") for _ in range(10)]
    assert delays[:6] == [1, 2, 4, 8, 16, 30] and delays[-1] == 30
    assert guard.locked_out("10.0.0.9") == 300
    assert guard.start("10.0.0.9") is not None  # locked out
    assert guard.start("10.0.0.10") is None  # another address is not
    assert any("locked out 10.0.0.9" in line for line in lines)
    assert sum("failed passcode from 10.0.0.9" in line for line in lines) == 10
    clock.now += 301
    assert guard.start("10.0.0.9") is None


def test_success_forgives_and_time_forgets() -> None:
    clock = Clock()
    guard = AuthGuard(clock=clock)
    guard.failed("a", "PIN")
    guard.failed("a", "PIN")
    guard.succeeded("a")
    assert guard.failed("a", "PIN") == 1
    clock.now += 901
    assert guard.failed("a", "PIN") == 1


def test_logins_in_progress_are_capped_per_address_and_overall() -> None:
    limits = Limits(unauthenticated_per_address=2, unauthenticated_start=3, unauthenticated_full=4)
    guard = AuthGuard(limits=limits, rng=random.Random(1))
    assert guard.start("a") is None and guard.start("a") is None
    assert guard.start("a") == "too many logins in progress from a"
    guard.finish("a")
    assert guard.start("a") is None
    refused = [guard.start(f"b{n}") for n in range(20)]
    assert guard.logging_in == 4 and sum(reason is None for reason in refused) == 2
    assert refused[-1] == "too many logins in progress"


def test_early_drop_is_random_between_start_and_full() -> None:
    guard = AuthGuard(limits=Limits(unauthenticated_start=10, unauthenticated_full=30), rng=random.Random(7))
    outcomes = [guard.start(f"10.1.{n}.1") for n in range(200)]
    admitted = [n for n, reason in enumerate(outcomes) if reason is None]
    assert admitted[:10] == list(range(10))  # below the start, everyone
    assert admitted != list(range(len(admitted)))  # between start and full, some are dropped
    assert guard.logging_in == len(admitted) == 30  # and at full, everyone is


def test_memory_is_bounded_however_many_addresses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("formative.serve.guard.MAX_ADDRESSES", 100)
    guard = AuthGuard()
    for n in range(1000):
        guard.failed(f"fd00::{n:x}", "passcode")
    assert len(guard._addresses) <= 101


def test_concurrent_processes_share_bindings(tmp_path: Path) -> None:
    """Two servers (ssh and web) racing for one name: exactly one wins."""
    pid = os.fork()
    if pid == 0:
        code = 0 if People(tmp_path).choose_pin("Ben", "1111").ok else 3
        os._exit(code)
    mine = People(tmp_path).choose_pin("Ben", "2222").ok
    _, status = os.waitpid(pid, 0)
    theirs = os.waitstatus_to_exitcode(status) == 0
    assert mine != theirs
