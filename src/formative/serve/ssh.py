"""`formative serve ssh`: a room joins a workshop with a plain SSH client.

Each connection gets one isolated app process in its own pseudo-terminal and
nothing else: no shell, no commands, no subsystems (sftp), no forwarding of ports,
agents or X11. The SSH user name (or an answer to a prompt) names the participant,
and the app only ever opens that participant's own answer file.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import signal
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncssh

from formative.serve.common import participant_command, participant_env, participant_name
from formative.serve.hostkey import load_or_create_host_key
from formative.serve.name_prompt import NamePrompt
from formative.serve.spawn import FreshSpawner, Spawner
from formative.serve.terminal import Terminal
from formative.workbook.load import MAX_ANSWER_BYTES, read_text

SHUTDOWN_GRACE = 5.0
"""Seconds the apps get to save after SIGHUP when the server stops, before SIGKILL."""


def log(message: str) -> None:
    """One line per event on stderr, for the coach's terminal. Never secrets."""
    print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


@dataclass
class ServeConfig:
    workshop_dir: Path
    host: str
    port: int
    host_key: Path
    authorized_keys: Path | None = None
    passcode: str | None = None
    allow_anonymous: bool = False
    max_connections: int = 40
    zygote: bool = True


class Room:
    """What the whole server shares: the settings, the spawner, every running app."""

    def __init__(self, config: ServeConfig, spawner: Spawner, authorized_keys: Any) -> None:
        self.config = config
        self.spawner = spawner
        self.authorized_keys = authorized_keys
        self.admitted = 0
        self.terminals: set[Terminal] = set()

    async def stop_apps(self) -> None:
        """Hang up every app so each saves its answers, wait for them, kill stragglers."""
        running = [t for t in self.terminals if t.child is not None and not t.child.exited.done()]
        for terminal in running:
            terminal.hangup()
        waits = [t.child.exited for t in running if t.child is not None]
        if waits:
            log(f"stopping: asked {len(waits)} app(s) to save and exit")
            _, late = await asyncio.wait(waits, timeout=SHUTDOWN_GRACE)
            for terminal in running:
                if terminal.child is not None and terminal.child.exited in late:
                    terminal.kill()
            if late:
                await asyncio.wait(late, timeout=2)


class WorkshopServer(asyncssh.SSHServer):
    """One SSH connection: who may come in, and the one session they may open."""

    def __init__(self, room: Room) -> None:
        self.room = room
        self.conn: Any = None
        self.peer = "?"
        self.user = ""
        self.admitted = False
        self.sessions = 0

    def connection_made(self, conn: Any) -> None:
        self.conn = conn
        peer = conn.get_extra_info("peername") or ("?", 0)
        self.peer = f"{peer[0]}:{peer[1]}"

    def connection_lost(self, exc: Exception | None) -> None:
        if self.admitted:
            self.room.admitted -= 1
            log(f"disconnected {self.peer} ({self.user or 'no name'})")

    def begin_auth(self, username: str) -> bool:
        """Admit within the connection limit; say whether credentials are needed."""
        self.user = username
        if not self.admitted:
            if self.room.admitted >= self.room.config.max_connections:
                log(f"refused {self.peer}: the workshop is full")
                self.conn.disconnect(
                    asyncssh.DISC_TOO_MANY_CONNECTIONS,
                    f"The workshop is full ({self.room.config.max_connections} people); try again later.",
                )
                return True
            self.admitted = True
            self.room.admitted += 1
        if self.room.authorized_keys is not None:
            self.conn.set_authorized_keys(self.room.authorized_keys)
        return not self.room.config.allow_anonymous

    def auth_completed(self) -> None:
        log(f"connected {self.peer} as {self.user!r}")

    def password_auth_supported(self) -> bool:
        return self.room.config.passcode is not None

    def validate_password(self, username: str, password: str) -> bool:
        passcode = self.room.config.passcode
        return passcode is not None and hmac.compare_digest(password.encode(), passcode.encode())

    def kbdint_auth_supported(self) -> bool:
        return self.room.config.passcode is not None

    def get_kbdint_challenge(self, username: str, lang: str, submethods: str) -> Any:
        return ("Formative workshop", "Type the passcode the coach gave you.", "", [("Passcode: ", False)])

    def validate_kbdint_response(self, username: str, responses: Sequence[str]) -> bool:
        return len(responses) == 1 and self.validate_password(username, responses[0])

    def connection_requested(self, *args: object) -> bool:
        return False  # no TCP forwarding: the server is not a way into the network

    def server_requested(self, *args: object) -> bool:
        return False

    def unix_connection_requested(self, *args: object) -> bool:
        return False

    def unix_server_requested(self, *args: object) -> bool:
        return False

    def session_requested(self) -> Any:
        """One session per connection: a multiplexing client cannot open a second app."""
        self.sessions += 1
        if self.sessions > 1:
            return False
        return ParticipantSession(self.room, self.user, self.peer)


class ParticipantSession(asyncssh.SSHServerSession[bytes]):
    """The participant's channel: a name if needed, then their app in a pty."""

    def __init__(self, room: Room, user: str, peer: str) -> None:
        self.room = room
        self.user = user
        self.peer = peer
        self.chan: Any = None
        self.term: str | None = None
        self.size = (80, 24)
        self.has_pty = False
        self.command: str | None = None
        self.prompt: NamePrompt | None = None
        self.terminal: Terminal | None = None
        self.gone = False

    def connection_made(self, chan: Any) -> None:
        self.chan = chan

    def pty_requested(self, term_type: str, term_size: tuple[int, int, int, int], term_modes: Any) -> bool:
        self.has_pty = True
        self.term = term_type
        if term_size[0] and term_size[1]:
            self.size = (term_size[0], term_size[1])
        return True

    def shell_requested(self) -> bool:
        return True  # the "shell" is the participant's app, never a system shell

    def exec_requested(self, command: str) -> bool:
        self.command = command  # accepted only to explain the refusal, in session_started
        return True

    def subsystem_requested(self, subsystem: str) -> bool:
        log(f"refused subsystem {subsystem!r} for {self.peer}")
        return False

    def session_started(self) -> None:
        if self.command is not None:
            self._refuse("This server runs only the Formative workshop, no commands. Connect with: ssh -t HOST")
        elif not self.has_pty:
            self._refuse("Formative needs a terminal. Connect with: ssh -t HOST")
        elif (name := participant_name(self.user)) is not None:
            self._start_app(name)
        else:
            self.prompt = NamePrompt(self._send, self._named)
            self.prompt.start()

    def _send(self, data: bytes) -> None:
        """To the participant's screen, unless they have already gone."""
        if not self.gone and not self.chan.is_closing():
            self.chan.write(data)

    def _refuse(self, message: str) -> None:
        log(f"refused {self.peer}: {'exec' if self.command is not None else 'no pty'}")
        self.chan.write_stderr((message + "\r\n").encode())
        self.chan.exit(1)

    def _named(self, name: str | None) -> None:
        if name is None:
            self.chan.exit(0)
        elif not self.gone:
            self.chan.write(b"\r\n")
            self._start_app(name)

    def _start_app(self, name: str) -> None:
        task = asyncio.get_running_loop().create_task(self._run_app(name))
        _tasks.add(task)
        task.add_done_callback(_tasks.discard)

    async def _run_app(self, name: str) -> None:
        workshop = self.room.config.workshop_dir
        terminal = Terminal(self._send, self._app_exited, self._input_full)
        try:
            await terminal.start(
                self.room.spawner, participant_command(workshop, name), participant_env(self.term), workshop, self.size
            )
        except OSError as error:
            log(f"could not start the app for {self.peer}: {error}")
            self.chan.write_stderr(b"The workshop app could not start; tell the coach.\r\n")
            self.chan.exit(1)
            return
        self.terminal = terminal
        self.room.terminals.add(terminal)
        log(f"started app {terminal.pid} for {name!r} ({self.peer})")
        if self.gone:
            terminal.hangup()

    def _input_full(self, full: bool) -> None:
        if full:
            self.chan.pause_reading()
        else:
            self.chan.resume_reading()

    def _app_exited(self, status: int) -> None:
        if self.terminal is not None:
            self.room.terminals.discard(self.terminal)
        if not self.gone:
            self.chan.exit(status if status >= 0 else 128 - status)

    def data_received(self, data: bytes, datatype: Any) -> None:
        if self.terminal is not None:
            self.terminal.write(data)
        elif self.prompt is not None:
            self.prompt.feed(data)

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        if width and height:
            self.size = (width, height)
            if self.terminal is not None:
                self.terminal.resize(width, height)

    def pause_writing(self) -> None:
        if self.terminal is not None:
            self.terminal.pause_output()

    def resume_writing(self) -> None:
        if self.terminal is not None:
            self.terminal.resume_output()

    def eof_received(self) -> bool:
        return True  # keep the channel: the app decides when it is over

    def connection_lost(self, exc: Exception | None) -> None:
        """Channel closed or connection dropped: the app saves on SIGHUP and exits."""
        self.gone = True
        if self.terminal is not None:
            self.terminal.hangup()


_tasks: set[asyncio.Task[None]] = set()


def make_spawner(config: ServeConfig) -> Spawner:
    if config.zygote:
        from formative.serve.zygote_client import ZygoteSpawner

        return ZygoteSpawner()
    return FreshSpawner()


async def serve(config: ServeConfig, ready: asyncio.Event | None = None) -> None:
    """Run until SIGINT, SIGTERM or SIGHUP; then every app saves before the server ends."""
    host_key = load_or_create_host_key(config.host_key)
    keys = (
        asyncssh.import_authorized_keys(read_text(config.authorized_keys, MAX_ANSWER_BYTES))
        if config.authorized_keys
        else None
    )
    spawner = make_spawner(config)
    room = Room(config, spawner, keys)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(signum, stop.set)
    try:
        server = await asyncssh.create_server(
            lambda: WorkshopServer(room),
            config.host,
            config.port,
            server_host_keys=[host_key],
            encoding=None,
            line_editor=False,  # raw bytes to the app; NamePrompt edits the one line we ask for
            allow_pty=True,
            agent_forwarding=False,
            x11_forwarding=False,
            public_key_auth=keys is not None,
            password_auth=config.passcode is not None,
            kbdint_auth=config.passcode is not None,
            login_timeout=60,
            keepalive_interval=30,
        )
        try:
            port = server.sockets[0].getsockname()[1]
            log(f"serving {config.workshop_dir} over SSH on {config.host}:{port}")
            log(f"join with: ssh -t -p {port} NAME@HOST")
            if ready is not None:
                ready.set()
            await stop.wait()
            log("stopping")
            server.close()
            await room.stop_apps()
        finally:
            server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(server.wait_closed(), 2)
    finally:
        spawner.close()
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            loop.remove_signal_handler(signum)
