"""`serve web` against attackers and careless users: the real server, aiohttp clients, /proc.

Each test plays a browser or an attacker on the wire against `formative serve web` on
127.0.0.1, started as a coach would: its own when it needs an option (a passcode, a
capacity, an environment) or kills the server, else the shared one (conftest.shared_web),
under a name no other test uses.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import re
import signal
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import pytest

from formative.workshop.folder import create_workshop
from tests.functional.web_client import (
    SHARED_SECRETS,
    SharedWebServer,
    Visitor,
    WebServer,
    alive,
    answers_of,
    arriving,
    is_fork_server,
    parent_of,
    screen_text,
    start_answer,
    wait_until,
)

ECHO_TO_ANSWER = 0.2
"""Seconds between a key's echo and the answer holding it: Textual draws the input before its change
message reaches the screen that records the answer. Shorter than the autosave's pause (0.6 s)."""


@pytest.fixture
def workshop(tmp_path: Path) -> Path:
    folder = tmp_path / "workshop"
    create_workshop(folder, "community-design-workshop", None, ["Ada", "Ben"])
    return folder


@pytest.fixture
def servers() -> Iterator[list[WebServer]]:
    started: list[WebServer] = []
    yield started
    for server in started:
        server.stop()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def visitor(http: aiohttp.ClientSession, server: WebServer | SharedWebServer) -> Visitor:
    return Visitor(http, server.origin, server.port, origin=server.origin)


async def test_fifty_raw_websockets_start_nothing_and_the_room_still_gets_in(
    shared_web: SharedWebServer, http: aiohttp.ClientSession
) -> None:
    server = shared_web
    stranger = visitor(http, server)
    forged = Visitor(http, server.origin, server.port, origin=server.origin, cookie="eyJuIjoiQWRhIn0.AAAA")

    started = time.monotonic()
    statuses = await asyncio.gather(*(stranger.refused_status() for _ in range(45)))
    statuses += await asyncio.gather(*(forged.refused_status() for _ in range(5)))
    elapsed = time.monotonic() - started
    print(f"50 websockets without a valid session refused in {elapsed * 1000:.0f} ms")

    assert statuses == [403] * 50
    assert server.apps() == []
    assert "started" not in server.log()

    ada = visitor(http, server)
    assert (await ada.log_in("Fifi", "2468", server.passcode)).status == 303
    socket = await ada.open_app()
    await screen_text(socket, "Getting everyone in")
    assert len(server.apps()) == 1
    await socket.close()


async def test_a_page_with_a_foreign_host_cannot_make_a_foreign_origin_acceptable(
    shared_web: SharedWebServer, http: aiohttp.ClientSession
) -> None:
    """textual-serve's page followed the Host of the last request: one request made any site 'ours'."""
    server = shared_web
    ada = visitor(http, server)
    assert (await ada.log_in("Flora", "2468", server.passcode)).status == 303
    for foreign in ("localhost:1", "rebound.example", f"attacker.example:{server.port}"):
        assert (await ada.get("/", host=foreign)).status == 403
        assert await ada.refused_status(origin=f"http://{foreign}") == 403
    assert await ada.refused_status(origin="null") == 403
    assert server.apps() == []

    socket = await ada.open_app()  # its own page still works
    await screen_text(socket, "Getting everyone in")
    await socket.close()


async def test_logins_post_only_from_the_workshops_own_page(
    shared_web: SharedWebServer, http: aiohttp.ClientSession
) -> None:
    """Cross-site form posts (CSRF) would let any page log a visitor in as someone, or burn their PIN tries."""
    server = shared_web
    form = {"name": "Csilla", "passcode": server.passcode, "pin": "2468"}  # only where it comes from is wrong
    for origin in ("http://attacker.example", f"http://localhost:{server.port + 1}", "null"):
        reply = await visitor(http, server).post("/login", form, origin=origin)
        assert reply.status == 403
        assert reply.cookie is None
    no_origin = Visitor(http, server.origin, server.port)
    assert (await no_origin.post("/login", form)).status == 403
    people = server.workshop / ".formative" / "people.toml"
    assert "csilla" not in (
        people.read_text(encoding="utf-8").lower() if people.exists() else ""
    )  # nobody took the name
    first_visit = await visitor(http, server).post("/login", {**form, "pin": "1357"})  # from its own page
    assert first_visit.status == 200 and 'name="pending"' in first_visit.text  # a new name: the PIN is asked again


async def test_one_app_per_person_and_capacity_counts_people_not_sockets(
    servers: list[WebServer], http: aiohttp.ClientSession, workshop: Path, tmp_path: Path
) -> None:
    servers.append(server := WebServer(workshop, tmp_path / "server.log", "--max-participants", "2"))
    stranger = visitor(http, server)
    assert await asyncio.gather(*(stranger.refused_status() for _ in range(10))) == [403] * 10

    ada, ben, cleo = visitor(http, server), visitor(http, server), visitor(http, server)
    for person, name in ((ada, "Ada"), (ben, "Ben"), (cleo, "Cleo")):
        assert (await person.log_in(name, "2468")).status == 303
    ada_socket = await ada.open_app()
    await screen_text(ada_socket, "Getting everyone in")

    second_tab = await ada.get("/")
    assert second_tab.status == 409
    assert "already open in another tab" in second_tab.text
    assert await ada.refused_status() == 409

    ben_socket = await ben.open_app()
    await screen_text(ben_socket, "Getting everyone in")
    full = await cleo.get("/")
    assert full.status == 503
    assert "full" in full.text
    assert await cleo.refused_status() == 503
    assert len(server.apps()) == 2

    await ben_socket.close()  # Ben leaves: his app saves and ends, and Cleo's turn comes
    wait_until(lambda: len(server.apps()) == 1, what="Ben's app to end")
    cleo_socket = await cleo.open_app()
    await screen_text(cleo_socket, "Getting everyone in")
    await ada_socket.close()
    await cleo_socket.close()


async def test_a_reload_waits_for_the_old_app_to_save_instead_of_refusing(
    shared_web: SharedWebServer, http: aiohttp.ClientSession
) -> None:
    server, workshop = shared_web, shared_web.workshop
    ada = visitor(http, server)
    await ada.log_in("Rhea", "2468", server.passcode)
    socket = await ada.open_app()
    await screen_text(socket, "Getting everyone in")
    await start_answer(socket, "steady")
    await screen_text(socket, "steady")
    await socket.close()  # as a reload does; the new page arrives before the old app has gone
    assert (await ada.get("/")).status == 200
    again = await ada.open_app()
    assert arriving(workshop, "rhea") == "steady"  # saved by the old app as it quit, before this one began
    await screen_text(again, "Getting everyone in")
    await again.close()


async def test_the_app_gets_its_name_from_the_session_and_an_allow_listed_environment(
    shared_web: SharedWebServer, http: aiohttp.ClientSession
) -> None:
    """Enzo's token opens Enzo's file whatever the page asks for; the app's environment is not the server's
    (the shared server's holds SHARED_SECRETS)."""
    server, workshop = shared_web, shared_web.workshop
    ada = visitor(http, server)
    await ada.log_in("Enzo", "2468", server.passcode)
    socket = await ada.open_app("?width=80&height=24&name=Ben&person=Ben&as=Ben")
    await screen_text(socket, "Getting everyone in")
    await start_answer(socket, "mine")
    await screen_text(socket, "mine")
    (app,) = server.apps()
    environ = dict(
        entry.split("=", 1) for entry in Path(f"/proc/{app}/environ").read_text().split("\0") if "=" in entry
    )
    command_line = Path(f"/proc/{app}/cmdline").read_text()
    forked = is_fork_server(parent_of(app))
    await socket.close()
    wait_until(lambda: arriving(workshop, "enzo") == "mine", what="Enzo's answer")

    # Forked from the warm process, whose own environment (allow-listed too) is what /proc shows;
    # the name reached the app with the request, as the answers below show.
    assert forked
    assert "Enzo" not in command_line
    assert server.passcode not in command_line
    unexpected = {k for k in environ if k != "PYTHONPATH" and not k.startswith(("LC_", "TEXTUAL_", "TERM_PROGRAM"))}
    assert unexpected <= {"LANG", "LANGUAGE", "COLUMNS", "ROWS", "FORMATIVE_PARTICIPANT", "TERM", "COLORTERM"}
    assert SHARED_SECRETS["COACH_SECRET"] not in "".join(environ.values())
    assert not (workshop / "answers" / "ben.toml").exists()


async def test_a_huge_terminal_request_is_clamped(shared_web: SharedWebServer, http: aiohttp.ClientSession) -> None:
    ada = visitor(http, shared_web)
    await ada.log_in("Hugh", "2468", shared_web.passcode)
    socket = await ada.open_app("?width=30000&height=30000")
    seen = await screen_text(socket, "Next →")  # the step screen, drawn across a 500x200 screen
    await socket.send_json(["resize", {"width": 30000, "height": 30000}])
    await socket.close()
    rows = [int(row) for row in re.findall(r"\x1b\[(\d+);\d+H", seen)]
    assert max(rows) == 200
    # A whole row as drawn (escapes taken out): as wide as the clamped screen, not 30000 columns.
    drawn = [
        re.sub(r"\x1b\[[0-9;]*m", "", line)
        for line in re.findall(r"\x1b\[\d+;1H([^\x1b\n]*(?:\x1b\[[0-9;]*m[^\x1b\n]*)*)", seen)
    ]
    assert max(len(line) for line in drawn) == 500


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM])
async def test_a_signalled_web_app_saves_what_was_typed(
    shared_web: SharedWebServer, http: aiohttp.ClientSession, signum: int
) -> None:
    server, workshop = shared_web, shared_web.workshop
    name = f"Sig {signum}"  # a file of its own for each signal: sig-1, sig-15
    ada = visitor(http, server)
    await ada.log_in(name, "2468", server.passcode)
    socket = await ada.open_app()
    await screen_text(socket, "Getting everyone in")
    await start_answer(socket, "hopeful and ready")
    await screen_text(socket, "hopeful and ready")  # the whole answer: a word alone may be in the question
    await asyncio.sleep(ECHO_TO_ANSWER)
    (app,) = server.apps()
    os.kill(app, signum)  # before the autosave's pause has passed
    wait_until(lambda: not alive(app), what="the app to exit")
    await socket.close()
    assert arriving(workshop, f"sig-{signum}") == "hopeful and ready"
    wait_until(lambda: "ended (exit code 0)" in server.log(), what="a clean exit in the server's log")


async def test_an_orphaned_app_saves_and_exits_when_its_server_is_killed(
    servers: list[WebServer], http: aiohttp.ClientSession, workshop: Path, tmp_path: Path
) -> None:
    servers.append(server := WebServer(workshop, tmp_path / "server.log"))
    ada = visitor(http, server)
    await ada.log_in("Ada", "2468")
    socket = await ada.open_app()
    await screen_text(socket, "Getting everyone in")
    await start_answer(socket, "still here")
    await screen_text(socket, "still here")  # not "here": the question already says "Where"
    await asyncio.sleep(ECHO_TO_ANSWER)
    (app,) = server.apps()
    assert is_fork_server(parent_of(app)), "the app was not forked from the warm process"
    assert "Max data size             536870912" in Path(f"/proc/{app}/limits").read_text()
    server.process.kill()
    started = time.monotonic()
    wait_until(lambda: not alive(app), timeout=10, what="the orphaned app to exit")
    print(f"orphan exited {time.monotonic() - started:.2f} s after its server was killed")
    assert arriving(workshop, "ada") == "still here"
    lock = workshop / "answers" / ".ada.toml.lock"
    if lock.exists():  # the file may remain (see answers/lock.py): what matters is that nobody holds it
        held = os.open(lock, os.O_RDWR)
        try:
            fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises BlockingIOError while the app holds it
        finally:
            os.close(held)
    assert answers_of(workshop, "ada")
