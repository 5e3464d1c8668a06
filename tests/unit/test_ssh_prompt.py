"""The sign-in conversation on the raw SSH channel: bytes in, screen bytes and the admitted name out.

A real People file in a temporary workshop folder; the guard's clock and sleeps are fake
(a sleep advances the clock), so the growing PIN delays are checked without waiting.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from formative.serve.common import participant_env
from formative.serve.guard import AuthGuard, Limits
from formative.serve.name_prompt import TYPE_AHEAD, Door, LineEditor, identify
from formative.workshop.identity import People, fingerprint

ADA_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJa/YSO6V5C88VRsYaYrQBKQCZ++yzOvNphnwiCm0/Ag ada@laptop"
BO_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB8bOHaOXbAxzAMLlVwJ0mRWZgmfh+RSRl9UJzW2WGn4 bo@laptop"


class Talk:
    """One sign-in: what the participant types, what their screen shows, and the outcome."""

    def __init__(self, people: People, *, name: str | None = None, key: str | None = None) -> None:
        self.screen = bytearray()
        self.clock = [1000.0]
        self.delays: list[float] = []
        self.guard = AuthGuard(limits=Limits(first_delay=1.0, max_delay=8.0), clock=lambda: self.clock[0])
        self.editor = LineEditor(self.screen.extend)
        self.door = Door(people, self.guard, "192.0.2.7", fingerprint(key) if key else None, sleep=self.sleep)
        self.task = asyncio.get_running_loop().create_task(identify(self.editor, self.door, name))

    async def sleep(self, seconds: float) -> None:
        self.delays.append(seconds)
        self.clock[0] += seconds

    @property
    def text(self) -> str:
        return self.screen.decode()

    async def expect(self, text: str) -> None:
        for _ in range(500):
            if text in self.text:
                return
            await asyncio.sleep(0.01)
        raise AssertionError(f"{text!r} not on the screen:\n{self.text}")

    async def says(self, text: str, then: bytes) -> None:
        """Wait for text, then type; later expectations look only after it."""
        await self.expect(text)
        del self.screen[: self.screen.index(text.encode()) + len(text.encode())]
        self.editor.feed(then)

    async def outcome(self) -> str | None:
        return await asyncio.wait_for(self.task, 10)


@pytest.fixture
def people(tmp_path: Path) -> People:
    return People(tmp_path, roster=["Carol", "Ada"], roster_keys={"Bo": [BO_KEY]})


# The line editor ---------------------------------------------------------------------------------


async def test_line_editor_echoes_edits_and_skips_escape_sequences() -> None:
    screen = bytearray()
    editor = LineEditor(screen.extend)
    line = asyncio.ensure_future(editor.ask("Name: "))
    await asyncio.sleep(0)
    editor.feed(b"Cy\x1b[Ax\x7f\x15Ada")  # arrow up skipped, Backspace, Ctrl-U clears the line
    editor.feed("\u00e9".encode()[:1])  # half of a UTF-8 character waits for the rest…
    editor.feed("\u00e9".encode()[1:] + b"\r\n")  # …and \r\n is one Enter, not two
    assert await line == "Ada\u00e9"
    assert bytes(screen) == "Name: Cyx\b \b\b \b\b \bAda\u00e9\r\n".encode()
    second = asyncio.ensure_future(editor.ask("Next: "))
    await asyncio.sleep(0)
    assert not second.done()  # the \n of the \r\n did not answer the next question
    editor.feed(b"\x03")
    assert await second is None and editor.closed


async def test_masked_lines_echo_stars_and_long_input_is_bounded() -> None:
    screen = bytearray()
    editor = LineEditor(screen.extend)
    editor.feed(b"x" * (TYPE_AHEAD * 3) + b"\r")  # a huge paste before any question: the part past the bound is lost
    line = asyncio.ensure_future(editor.ask("PIN: ", masked=True, limit=64))
    await asyncio.sleep(0)
    editor.feed(b"\r")
    assert await asyncio.wait_for(line, 5) == "x" * 64  # a line keeps at most its limit
    assert bytes(screen) == b"PIN: " + b"*" * 64 + b"\r\n"


# Passcode logins: PINs -------------------------------------------------------------------------


async def test_a_free_roster_name_chooses_a_pin_typed_twice(people: People) -> None:
    talk = Talk(people, name="carol")
    await talk.says("Choose a PIN (4+ characters) — you'll need it to come back as Carol: ", b"12\r")
    await talk.says("Use at least 4 characters.", b"")
    await talk.says("Choose a PIN", b"otter-7\r")
    assert "otter-7" not in talk.text and "*******" in talk.text
    await talk.says("Type the same PIN again: ", b"otter-8\r")
    await talk.says("Those two were not the same; choose again.", b"")
    await talk.says("Choose a PIN", b"otter-7\rotter-7\r")
    assert await talk.outcome() == "Carol"
    assert people.check_pin("Carol", "otter-7").ok


async def test_a_generic_user_name_asks_for_a_name_first(people: People) -> None:
    talk = Talk(people)
    await talk.says("Welcome to the workshop.\r\nYour name (as the room should see it): ", b"guest\r")
    await talk.says("Type your own name, please.", b"")
    await talk.says("Your name", b"  Dee  \r")
    await talk.says("come back as Dee", b"dee-pin\rdee-pin\r")
    assert await talk.outcome() == "Dee"


async def test_a_taken_name_needs_its_pin_and_three_wrong_ones_end_the_visit(people: People) -> None:
    people.choose_pin("Carol", "otter-7")
    talk = Talk(people, name="carol")
    await talk.says("PIN for Carol: ", b"1111\r")
    for guess in (b"2222\r", b"3333\r"):
        await talk.says("That PIN is not right.", b"")
        await talk.says("PIN for Carol: ", guess)
    assert await talk.outcome() is None
    assert "3 wrong PINs. If you forgot yours, the coach can release your name." in talk.text
    assert talk.delays == [1.0, 2.0, 4.0]  # each wrong PIN waits longer


async def test_the_right_pin_or_a_printed_code_lets_them_back_in(people: People) -> None:
    people.choose_pin("Carol", "otter-7")
    talk = Talk(people, name="CAROL")
    await talk.says("PIN for Carol: ", b"otter-7\r")
    assert await talk.outcome() == "Carol"
    code = people.print_codes(["Ada"])["Ada"]
    talk = Talk(people, name="ada")
    await talk.says("PIN for Ada: ", code.encode() + b"\r")
    assert await talk.outcome() == "Ada"


async def test_a_lookalike_name_is_the_same_person_and_enter_gives_another_name(people: People) -> None:
    people.choose_pin("Carol", "otter-7")
    talk = Talk(people, name="C\u0430rol")  # Cyrillic а
    await talk.says("PIN for Carol: ", b"\r")  # not me
    await talk.says("Your name", b"\x04")  # Ctrl-D: leave
    assert await talk.outcome() is None
    assert [person.name for person in people.everyone()] == ["Carol"]


async def test_a_name_whose_keys_the_coach_listed_is_not_for_passcodes(people: People) -> None:
    talk = Talk(people, name="bo")
    await talk.says("Bo joins with their own SSH key; choose another name.", b"")
    await talk.says("Your name", b"\x03")
    assert await talk.outcome() is None


async def test_a_locked_out_address_is_told_to_wait(people: People) -> None:
    people.choose_pin("Carol", "otter-7")
    talk = Talk(people, name="carol")
    for _ in range(talk.guard.limits.lockout_after):
        talk.guard.failed("192.0.2.7", "passcode")
    talk.clock[0] += 100  # the penalty is served; the lockout is not
    await talk.says("PIN for Carol: ", b"otter-7\r")
    assert await talk.outcome() is None
    assert "Too many wrong attempts from your address" in talk.text


async def test_an_unreadable_names_file_admits_nobody(people: People) -> None:
    people.path.parent.mkdir(parents=True, exist_ok=True)
    people.path.write_text("[[person]\nname = ")
    talk = Talk(people, name="carol")
    assert await talk.outcome() is None
    assert "The coach's list of names cannot be read right now; tell the coach." in talk.text


# Key logins ------------------------------------------------------------------------------------


async def test_a_new_key_is_bound_to_the_name_it_first_uses_without_a_prompt(people: People) -> None:
    talk = Talk(people, name="ada", key=ADA_KEY)
    assert await talk.outcome() == "Ada"
    assert talk.text == ""
    talk = Talk(people, key=ADA_KEY)  # a generic user name: the key says who
    assert await talk.outcome() == "Ada"


async def test_a_key_cannot_take_someone_elses_name(people: People) -> None:
    people.admit_key("Ada", fingerprint(ADA_KEY) or "")
    talk = Talk(people, name="bo", key=ADA_KEY)
    await talk.says("This key belongs to Ada: connect as them, or with a passcode.", b"")
    await talk.says("Your name", b"\x04")
    assert await talk.outcome() is None
    talk = Talk(people, name="bo", key=BO_KEY)  # the roster lists this key for Bo
    assert await talk.outcome() == "Bo"


async def test_a_new_key_asks_for_a_name_when_the_user_name_says_nothing(people: People) -> None:
    talk = Talk(people, key=ADA_KEY)
    await talk.says("Your name", b"Carol\r")
    assert await talk.outcome() == "Carol"
    assert people.name_for_key(fingerprint(ADA_KEY) or "") == "Carol"


# The environment ---------------------------------------------------------------------------------


def test_participant_env_is_an_allow_list() -> None:
    server = {
        "HOME": "/home/coach",
        "PATH": "/usr/bin",
        "SSH_AUTH_SOCK": "/tmp/agent",
        "GITHUB_TOKEN": "x",
        "TEXTUAL": "devtools",
        "LANG": "en_GB.UTF-8",
        "LC_TIME": "en_GB.UTF-8",
        "LC_EVIL": "a\x1b[31m",
    }
    assert participant_env("xterm-kitty", server) == {
        "LANG": "en_GB.UTF-8",
        "LC_TIME": "en_GB.UTF-8",
        "TERM": "xterm-kitty",
        "COLORTERM": "truecolor",
    }
    assert participant_env("x; rm -rf /", {})["TERM"] == "xterm-256color"
    assert participant_env(None, {})["LANG"] == "C.UTF-8"
