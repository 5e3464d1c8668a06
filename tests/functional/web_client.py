"""Driving `formative serve web` without a browser: the real server process, aiohttp clients, /proc.

A `Visitor` behaves as a browser does on the wire (an Origin on every post and
websocket, its session cookie kept by hand) or, when a test says so, as an attacker
does (no cookie, a forged one, a foreign Origin or Host).
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

import aiohttp

from tests.functional.browser import free_port, wait_for_http


class WebServer:
    """`formative serve web` on a free loopback port, run as a coach would; stop() is bounded."""

    def __init__(self, workshop: Path, log: Path, *options: str, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        command = [
            sys.executable, "-m", "formative", "serve", "web", str(workshop), "--port", str(self.port), *options
        ]  # fmt: skip
        self.log_path = log
        self._log = log.open("wb")
        self.process = subprocess.Popen(
            command, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True, env=env
        )
        self.origin = f"http://127.0.0.1:{self.port}"
        self.url = self.origin + "/"
        wait_for_http(self.url)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def apps(self) -> list[int]:
        return apps_of(self.process.pid)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log.close()


SHARED_PASSCODE = "tangerine-orbit-42"
SHARED_SECRETS = {"COACH_SECRET": "s3cret-token", "EDITOR": "vi", "SSH_AUTH_SOCK": "/tmp/agent"}
"""What the shared server's own environment holds, that no participant's app may see."""


class SharedWebServer:
    """One test's view of a `WebServer` that several tests use in turn (see conftest.shared_web).

    Starting `serve web` costs about 1.5 s of CPU (the server, and its fork server's rehearsal):
    tests that need no option of their own share one, each with names nobody else uses. A test
    begins once every earlier test's app has ended, and sees only the log written since.
    """

    def __init__(self, server: WebServer, workshop: Path) -> None:
        assert server.process.poll() is None, f"the shared server has stopped:\n{server.log()}"
        wait_until(lambda: server.apps() == [], what="the previous test's apps to end")
        self.server, self.workshop, self.passcode = server, workshop, SHARED_PASSCODE
        self.port, self.origin, self.url = server.port, server.origin, server.url
        self._log_start = server.log_path.stat().st_size

    def log(self) -> str:
        """What the server logged since this test began."""
        with self.server.log_path.open("rb") as log:
            log.seek(self._log_start)
            return log.read().decode("utf-8", errors="replace")

    def apps(self) -> list[int]:
        return self.server.apps()


def children(pid: int) -> list[int]:
    """The live child processes of pid (every thread's), from /proc."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue  # the thread ended meanwhile
    return found


def apps_of(server: int) -> list[int]:
    """The participants' apps: the server's children, and those of its fork server (not it)."""
    found = []
    for child in children(server):
        found += children(child) if is_fork_server(child) else [child]
    return found


def parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def is_fork_server(pid: int) -> bool:
    """The server's warm process (zygote.py): its apps share its command line, but not its parent."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        parent = parent_of(pid)
    except (OSError, ValueError, IndexError):
        return False
    return b"formative.serve.zygote" in command and not is_fork_server(parent)


def alive(pid: int) -> bool:
    """True while any thread of pid runs (a zombie waiting for its parent counts as gone).

    The main thread turns zombie before the process's other threads have ended, and the
    last of them closes its files (and so frees its locks): all must have gone."""
    states = []
    for task in Path(f"/proc/{pid}/task").glob("*/stat"):
        try:
            states.append(task.read_text().rsplit(")", 1)[1].split()[0])
        except OSError:
            continue  # this thread ended while we looked
    return any(state != "Z" for state in states)


def wait_until(condition: Callable[[], bool], timeout: float = 20.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def answers_of(workshop: Path, stem: str) -> dict[str, object]:
    """One participant's answers, or {} before their file exists."""
    path = workshop / "answers" / f"{stem}.toml"
    if not path.exists():
        return {}
    answers = tomllib.loads(path.read_text(encoding="utf-8")).get("answers", {})
    assert isinstance(answers, dict)
    return answers


def arriving(workshop: Path, stem: str) -> object:
    """The answer on the workshop's first step ('where are you joining from'), or None."""
    joining = answers_of(workshop, stem).get("join", {})
    return joining.get("from") if isinstance(joining, dict) else None


PENDING = re.compile(r'name="pending" value="([^"]*)"')


@dataclass
class Reply:
    status: int
    text: str
    cookie: str | None = None
    """The session cookie's value when the reply set one."""


@dataclass
class Visitor:
    """One browser's worth of requests to one server; `origin` is what its pages claim to be."""

    http: aiohttp.ClientSession
    base: str
    port: int
    origin: str | None = None
    cookie: str | None = None
    received: list[str] = field(default_factory=list)

    @property
    def cookie_name(self) -> str:
        return f"formative-session-{self.port}"

    def headers(self, origin: str | None = None, host: str | None = None) -> dict[str, str]:
        headers = {}
        if (origin or self.origin) is not None:
            headers["Origin"] = origin or self.origin or ""
        if self.cookie is not None:
            headers["Cookie"] = f"{self.cookie_name}={self.cookie}"
        if host is not None:
            headers["Host"] = host
        return headers

    async def get(self, path: str = "/", host: str | None = None) -> Reply:
        async with self.http.get(self.base + path, headers=self.headers(host=host), allow_redirects=False) as reply:
            return Reply(reply.status, await reply.text())

    async def post(self, path: str, form: dict[str, str], origin: str | None = None) -> Reply:
        async with self.http.post(
            self.base + path, data=form, headers=self.headers(origin), allow_redirects=False
        ) as reply:
            cookie = SimpleCookie(reply.headers.get("Set-Cookie", ""))
            morsel = cookie.get(self.cookie_name)
            return Reply(reply.status, await reply.text(), morsel.value if morsel else None)

    async def log_in(self, name: str, pin: str, passcode: str = "", pin_again: str | None = None) -> Reply:
        """The login form, and for a first visit the PIN again; keeps the cookie on success."""
        reply = await self.post("/login", {"name": name, "passcode": passcode, "pin": pin})
        pending = PENDING.search(reply.text)
        if reply.status == 200 and pending:
            again = pin if pin_again is None else pin_again
            reply = await self.post("/confirm", {"pending": pending.group(1), "pin": "", "pin_again": again})
        if reply.cookie is not None:
            self.cookie = reply.cookie
        return reply

    async def open_app(
        self, query: str = "?width=80&height=24", origin: str | None = None
    ) -> aiohttp.ClientWebSocketResponse:
        """The websocket the app page opens; raises aiohttp.WSServerHandshakeError when refused."""
        url = self.base.replace("http://", "ws://") + "/ws" + query
        return await self.http.ws_connect(url, headers=self.headers(origin), timeout=aiohttp.ClientWSTimeout(10))

    async def refused_status(self, query: str = "?width=80&height=24", origin: str | None = None) -> int:
        """The HTTP status a websocket is refused with (0 if it was accepted, then closed)."""
        try:
            socket = await self.open_app(query, origin)
        except aiohttp.WSServerHandshakeError as error:
            return error.status
        await socket.close()
        return 0


async def screen_text(socket: aiohttp.ClientWebSocketResponse, text: str, timeout: float = 20.0) -> str:
    """Read the app's output until it shows text; returns all read so far."""
    seen = ""
    deadline = asyncio.get_running_loop().time() + timeout
    while text not in seen:
        remaining = deadline - asyncio.get_running_loop().time()
        assert remaining > 0, f"{text!r} never appeared; the app showed:\n{seen[-1500:]!r}"
        try:
            message = await socket.receive(timeout=remaining)
        except TimeoutError:
            continue
        if message.type == aiohttp.WSMsgType.BINARY:
            seen += message.data.decode("utf-8", errors="replace")
        elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
            raise AssertionError(f"the app closed before showing {text!r}:\n{seen[-1500:]!r}")
    return seen


async def type_keys(socket: aiohttp.ClientWebSocketResponse, text: str) -> None:
    """Keys as textual-serve's page sends them."""
    await socket.send_json(["stdin", text])


FIRST_KEY_PAUSE = 0.3
"""On a fresh step the first key moves the focus into the answer and is replayed there; keys
that follow within a few milliseconds can be lost (a burst no person types). Tests pause after it."""


async def start_answer(socket: aiohttp.ClientWebSocketResponse, text: str) -> None:
    """Type the first answer on a fresh step: the first key, a pause, the rest."""
    await type_keys(socket, text[0])
    await asyncio.sleep(FIRST_KEY_PAUSE)
    await type_keys(socket, text[1:])
