"""Guessing passcodes and PINs, and forging sessions, against `serve web` in this process.

The server runs here (aiohttp on 127.0.0.1) so the guard's delays can be recorded
instead of waited for: every delay the server would sleep is appended to a list, and
the log lines it would print are kept.
"""

from __future__ import annotations

import asyncio
import base64
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from formative.serve.guard import AuthGuard
from formative.serve.web import WebConfig
from formative.serve.web_server import WebHosting
from formative.serve.web_session import Signer
from formative.workshop.folder import create_workshop
from formative.workshop.identity import People
from tests.functional.browser import free_port
from tests.functional.web_client import Visitor, screen_text

PASSCODE = "tangerine-orbit-42"


@dataclass
class Room:
    """A running server and what it did: delays it would have slept, lines it logged."""

    server: WebHosting
    base: str
    port: int
    workshop: Path
    sleeps: list[float] = field(default_factory=list)
    logs: list[str] = field(default_factory=list)


@pytest.fixture
async def room(tmp_path: Path) -> AsyncIterator[Room]:
    folder = tmp_path / "workshop"
    create_workshop(folder, "community-design-workshop", None, ["Ada", "Ben"])
    port = free_port()
    config = WebConfig(folder, host="127.0.0.1", port=port, passcode=PASSCODE, public_url=None, max_participants=5)
    logs: list[str] = []
    sleeps: list[float] = []

    async def record(seconds: float) -> None:
        sleeps.append(seconds)

    # No fork server: its start and rehearsal cost about a second of CPU, and only one test here opens an
    # app (started fresh instead; the forked apps are test_web_login's).
    server = WebHosting(config, guard=AuthGuard(log=logs.append), sleep=record, log=logs.append, zygote=False)
    runner = web.AppRunner(server.make_app())
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield Room(server, f"http://127.0.0.1:{port}", port, folder, sleeps, logs)
    finally:
        await runner.cleanup()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def visitor(http: aiohttp.ClientSession, room: Room) -> Visitor:
    return Visitor(http, room.base, room.port, origin=room.base)


async def test_wrong_passcodes_wait_longer_each_time_then_lock_the_address_out(
    room: Room, http: aiohttp.ClientSession
) -> None:
    guesser = visitor(http, room)
    for guess in range(10):
        reply = await guesser.log_in("Ada", "2468", f"guess-{guess}")
        assert reply.status == 403
        assert "not the workshop passcode" in reply.text
    assert room.sleeps == [1, 2, 4, 8, 16, 30, 30, 30, 30, 30]

    for _ in range(20):
        locked = await guesser.log_in("Ada", "2468", PASSCODE)  # even the right passcode, now
        assert locked.status == 429
        assert locked.cookie is None
        assert "Wait a few minutes" in locked.text
    failures = [line for line in room.logs if line.startswith("failed passcode from 127.0.0.1")]
    assert len(failures) == 10
    assert any("locked out 127.0.0.1" in line for line in room.logs)
    assert len([line for line in room.logs if line.startswith("refused logins from 127.0.0.1")]) == 1
    assert not (room.workshop / ".formative" / "people.toml").exists()


async def test_a_bound_name_needs_its_pin_and_lookalikes_are_the_same_name(
    room: Room, http: aiohttp.ClientSession
) -> None:
    ada = visitor(http, room)
    first = await ada.log_in("Ada", "2468", PASSCODE)
    assert first.status == 303
    assert first.cookie is not None
    assert room.sleeps == []

    mallory = visitor(http, room)
    wrong = await mallory.log_in("Ada", "1357", PASSCODE)
    assert wrong.status == 403
    assert "already taken here" in wrong.text
    cyrillic = await mallory.log_in("\u0410da", "1357", PASSCODE)  # А: Cyrillic capital A
    assert cyrillic.status == 403
    assert mallory.cookie is None
    assert room.sleeps == [1, 2]
    assert any(line.startswith("failed PIN for 'Ada' from 127.0.0.1") for line in room.logs)
    assert [person.name for person in People(room.workshop).everyone()] == ["Ada"]

    again = visitor(http, room)
    back = await again.log_in("ada", "2468", PASSCODE)  # another browser, lower case
    assert back.status == 303
    session = room.server.doorkeeper.signer.read_session(back.cookie)
    assert session is not None
    assert session.name == "Ada"


async def test_a_first_pin_is_typed_twice_and_a_mismatch_binds_nothing(room: Room, http: aiohttp.ClientSession) -> None:
    ben = visitor(http, room)
    reply = await ben.log_in("Ben", "2468", PASSCODE, pin_again="2486")
    assert reply.status == 200
    assert "not the same" in reply.text
    assert 'name="pin"' in reply.text  # now asked twice
    assert ben.cookie is None
    assert not (room.workshop / ".formative" / "people.toml").exists()
    too_short = await ben.log_in("Ben", "12", PASSCODE)
    assert "at least 4" in too_short.text
    assert (await ben.log_in("Ben", "2468", PASSCODE)).status == 303


async def test_only_genuine_unexpired_current_sessions_open_an_app(room: Room, http: aiohttp.ClientSession) -> None:
    ada = visitor(http, room)
    await ada.log_in("Ada", "2468", PASSCODE)
    await visitor(http, room).log_in("Ben", "1357", PASSCODE)
    genuine = ada.cookie
    assert genuine is not None
    signer = room.server.doorkeeper.signer
    stamp = signer.read_session(genuine)
    assert stamp is not None

    body, mac = genuine.split(".")
    payload = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).replace(b'"Ada"', b'"Ben"')
    tampered = base64.urlsafe_b64encode(payload).decode().rstrip("=") + "." + mac  # Ben, with Ada's signature
    as_ben = Signer().session("Ben", stamp.stamp)  # another server's secret
    expired = Signer(signer._secret, clock=lambda: time.time() - 13 * 3600).session("Ada", stamp.stamp)
    pending = signer.pending("Ada", "2468")  # a half-finished first visit is not a session
    for forged in (tampered, as_ben, expired, pending, genuine + "x", "", "." * 3000):
        ada.cookie = forged
        assert await ada.refused_status() == 403, forged
        assert (await ada.get("/")).text.count('action="/login"') == 1  # the login page, not the app
    assert room.server.running == {}

    People(room.workshop).release("Ada")  # the coach frees the name: its sessions end
    ada.cookie = genuine
    assert await ada.refused_status() == 403
    assert await visitor(http, room).refused_status() == 403  # and nobody without a cookie gets in


async def test_an_unreadable_names_file_admits_nobody(room: Room, http: aiohttp.ClientSession) -> None:
    ada = visitor(http, room)
    await ada.log_in("Ada", "2468", PASSCODE)
    (room.workshop / ".formative" / "people.toml").write_text("person = [", encoding="utf-8")
    assert await ada.refused_status() == 403
    reply = await visitor(http, room).log_in("Ben", "2468", PASSCODE)
    assert reply.status == 503
    assert "tell your facilitator" in reply.text
    assert any("cannot read the names file" in line for line in room.logs)


async def test_the_app_opens_under_the_sessions_name(room: Room, http: aiohttp.ClientSession) -> None:
    ada = visitor(http, room)
    await ada.log_in("ADA", "2468", PASSCODE)  # the roster spells it Ada
    socket = await ada.open_app("?width=80&height=24&as=Ben")
    await screen_text(socket, "Getting everyone in")
    answers = room.workshop / "answers"
    assert (answers / ".ada.toml.lock").exists()
    assert not list(answers.glob("*ben*"))
    await socket.close()
    for _ in range(100):
        if not room.server.running:
            break
        await asyncio.sleep(0.1)
    assert room.server.running == {}
