"""`formative serve ssh`: a room joins a workshop with a plain SSH client.

Each connection gets one isolated app process in its own pseudo-terminal and
nothing else: no shell, no commands, no subsystems (sftp), no forwarding of ports,
agents or X11. Who may come in, and as whom:

- Before authentication a connection costs almost nothing and is capped: per
  address and overall (AuthGuard, as OpenSSH's MaxStartups), with a short login
  timeout. Capacity (--max-connections) counts only people whose app is running.
- Keys come from --authorized-keys and from the roster's keys in workshop.toml; a
  passcode is checked no faster than the guard's growing per-address delay, and
  ten failures lock the address out for a while. Every failure is logged.
- Then one person per name (name_prompt.py): a key is its person; a passcode login
  chooses a PIN for a free name, or gives the PIN of a taken one.
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

from formative.serve.child import MEMORY_LIMIT
from formative.serve.common import participant_env, participant_name
from formative.serve.guard import AuthGuard, Limits
from formative.serve.hostkey import load_or_create_host_key
from formative.serve.joining import ssh_serving
from formative.serve.name_prompt import Door, LineEditor, identify
from formative.serve.spawn import AppRequest, FreshSpawner, Spawner
from formative.serve.terminal import Terminal, clamp_size
from formative.workbook.errors import WorkbookError
from formative.workbook.load import MAX_ANSWER_BYTES, read_text
from formative.workshop.folder import load_workshop_file
from formative.workshop.identity import People, fingerprint
from formative.workshop.model import WORKSHOP_FILE
from formative.workshop.serving import remove_serving, write_serving

SHUTDOWN_GRACE = 5.0
"""Seconds the apps get to save after SIGHUP when the server stops, before SIGKILL."""


def log(message: str) -> None:
    """One line per event on stderr, for the coach's terminal. Never secrets."""
    print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


def room_limits(max_connections: int) -> Limits:
    """The guard's caps for a room of this size: the whole room may be signing in at once."""
    return Limits(unauthenticated_start=max(10, max_connections), unauthenticated_full=max(30, max_connections + 30))


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
    """People with a running app at once; logins in progress are capped by the guard instead."""
    zygote: bool = True
    login_timeout: float = 30.0
    """Seconds to authenticate (LoginGraceTime): a stalled login is dropped after this."""
    prompt_timeout: float = 90.0
    """Seconds after authenticating to give a name and PIN before the app starts."""
    limits: Limits | None = None
    """The guard's caps and delays; by default room_limits(max_connections)."""
    memory_limit: int | None = MEMORY_LIMIT
    """Bytes of data memory each participant's app may use (None: no limit)."""


class SshHosting:
    """What the whole SSH server shares: the settings, the spawner, the guard, every running app."""

    def __init__(self, config: ServeConfig, spawner: Spawner, file_keys: Any, guard: AuthGuard) -> None:
        self.config = config
        self.spawner = spawner
        self.file_keys = file_keys
        """The --authorized-keys file, as asyncssh reads it (options such as from= apply), or None."""
        self.guard = guard
        self.running = 0
        """People whose app is running (or starting): what --max-connections counts."""
        self.terminals: set[Terminal] = set()
        self._roster: tuple[list[str], dict[str, list[str]]] = ([], {})
        self._roster_mtime = -1

    def roster(self) -> tuple[list[str], dict[str, list[str]]]:
        """The roster's names and SSH keys, from workshop.toml (re-read when it changes; the last good kept)."""
        path = self.config.workshop_dir / WORKSHOP_FILE
        with contextlib.suppress(OSError, WorkbookError):
            mtime = path.stat().st_mtime_ns
            if mtime != self._roster_mtime:
                data = load_workshop_file(path)
                self._roster, self._roster_mtime = (list(data.roster), dict(data.keys)), mtime
        return self._roster

    def roster_fingerprints(self) -> set[str]:
        return {fp for lines in self.roster()[1].values() for line in lines if (fp := fingerprint(line))}

    def people(self) -> People:
        names, keys = self.roster()
        return People(self.config.workshop_dir, names, keys)

    @property
    def full(self) -> bool:
        return self.running >= self.config.max_connections

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


class SshConnection(asyncssh.SSHServer):
    """One SSH connection: who may come in, and the one session they may open."""

    def __init__(self, hosting: SshHosting) -> None:
        self.hosting = hosting
        self.conn: Any = None
        self.peer = "?"
        self.address = "?"
        self.user = ""
        self.key: str | None = None
        """The fingerprint of the key this connection authenticated with (None: passcode or anonymous)."""
        self.logging_in = False
        """Holding one of the guard's places for logins in progress (until the app starts or we part)."""
        self.authenticated = False
        self.session: ParticipantSession | None = None
        self.sessions = 0
        self._deadline: asyncio.TimerHandle | None = None

    def connection_made(self, conn: Any) -> None:
        self.conn = conn
        peer = conn.get_extra_info("peername") or ("?", 0)
        self.address, self.peer = str(peer[0]), f"{peer[0]}:{peer[1]}"
        refused = self.hosting.guard.start(self.address)
        if refused:
            log(f"refused {self.peer}: {refused}")
            asyncio.get_running_loop().call_soon(conn.abort)
            return
        self.logging_in = True

    def connection_lost(self, exc: Exception | None) -> None:
        self.logged_in()
        if self.authenticated:
            log(f"disconnected {self.peer} ({self.user or 'no name'})")

    def logged_in(self) -> None:
        """The login is over (the app starts, or the connection ends): free its place and its deadline."""
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None
        if self.logging_in:
            self.logging_in = False
            self.hosting.guard.finish(self.address)

    def begin_auth(self, username: str) -> bool:
        self.user = username
        return not self.hosting.config.allow_anonymous

    def auth_completed(self) -> None:
        self.authenticated = True
        how = "key" if self.key else "anonymous" if self.hosting.config.allow_anonymous else "passcode"
        log(f"authenticated {self.peer} as {self.user!r} ({how})")
        if self.logging_in:
            self._deadline = asyncio.get_running_loop().call_later(self.hosting.config.prompt_timeout, self._too_slow)

    def _too_slow(self) -> None:
        self._deadline = None
        log(f"timed out {self.peer}: no name or PIN within {self.hosting.config.prompt_timeout:.0f} s")
        if self.session is not None:
            self.session.leave("Time is up for signing in; connect again when you are ready.")
        asyncio.get_running_loop().call_later(2, self.conn.abort)

    # Keys ---------------------------------------------------------------------------------

    def public_key_auth_supported(self) -> bool:
        return self.hosting.file_keys is not None or bool(self.hosting.roster_fingerprints())

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        """A key from --authorized-keys (with its options) or listed for someone in workshop.toml."""
        address, file_keys = self.address, self.hosting.file_keys
        listed = file_keys is not None and file_keys.validate(key, address, address) is not None
        found = key.get_fingerprint("sha256")
        if listed or found in self.hosting.roster_fingerprints():
            self.key = found
            return True
        return False

    # Passcodes ----------------------------------------------------------------------------

    def password_auth_supported(self) -> bool:
        return self.hosting.config.passcode is not None

    async def validate_password(self, username: str, password: str) -> bool:
        """The passcode, checked no faster than this address's penalty allows; a wrong one waits longer."""
        passcode = self.hosting.config.passcode
        guard = self.hosting.guard
        if passcode is None:
            return False
        while (wait := guard.penalty_left(self.address)) > 0:
            await asyncio.sleep(wait)
        if guard.locked_out(self.address):
            self.conn.disconnect(asyncssh.DISC_NO_MORE_AUTH_METHODS_AVAILABLE, "Too many failed attempts; try later.")
            return False
        if hmac.compare_digest(password.encode(), passcode.encode()):
            guard.succeeded(self.address)
            self.key = None
            return True
        await asyncio.sleep(guard.failed(self.address, "passcode"))
        return False

    def kbdint_auth_supported(self) -> bool:
        return self.hosting.config.passcode is not None

    def get_kbdint_challenge(self, username: str, lang: str, submethods: str) -> Any:
        return ("Formative workshop", "Type the passcode the coach gave you.", "", [("Passcode: ", False)])

    async def validate_kbdint_response(self, username: str, responses: Sequence[str]) -> bool:
        return len(responses) == 1 and await self.validate_password(username, responses[0])

    # Everything else is refused -----------------------------------------------------------

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
        self.session = ParticipantSession(self)
        return self.session


class ParticipantSession(asyncssh.SSHServerSession[bytes]):
    """The participant's channel: who they are (if we must ask), then their app in a pty."""

    def __init__(self, server: SshConnection) -> None:
        self.server = server
        self.hosting = server.hosting
        self.peer = server.peer
        self.chan: Any = None
        self.term: str | None = None
        self.size = (80, 24)
        self.has_pty = False
        self.command: str | None = None
        self.editor: LineEditor | None = None
        self.terminal: Terminal | None = None
        self.counted = False
        self.gone = False
        self.ended = False

    def connection_made(self, chan: Any) -> None:
        self.chan = chan

    def pty_requested(self, term_type: str, term_size: tuple[int, int, int, int], term_modes: Any) -> bool:
        self.has_pty = True
        self.term = term_type
        if term_size[0] and term_size[1]:
            self.size = clamp_size(term_size[0], term_size[1])
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
            self._refuse("exec", "This server runs only the Formative workshop, no commands. Connect with: ssh -t HOST")
        elif not self.has_pty:
            self._refuse("no pty", "Formative needs a terminal. Connect with: ssh -t HOST")
        else:
            _run_soon(self._admit())

    def _send(self, data: bytes) -> None:
        """To the participant's screen, unless they have already gone."""
        if not self.gone and not self.chan.is_closing():
            self.chan.write(data)

    def _refuse(self, why: str, message: str) -> None:
        log(f"refused {self.peer}: {why}")
        self.leave(message)

    def leave(self, message: str, status: int = 1) -> None:
        """End the visit before any app runs, with a line for the participant."""
        if self.editor is not None:
            self.editor.close()
        if not self.ended and not self.gone and self.terminal is None:
            self.ended = True
            self.chan.write_stderr(f"{message}\r\n".encode())
            self.chan.exit(status)

    def _full_message(self) -> str:
        return f"The workshop is full ({self.hosting.config.max_connections} people); try again later."

    async def _admit(self) -> None:
        """Ask who they are if we must, then start their app."""
        if self.hosting.full:
            self._refuse("the workshop is full", self._full_message())
            return
        self.editor = LineEditor(self._send)
        door = Door(self.hosting.people(), self.hosting.guard, self.server.address, self.server.key, log=log)
        name = await identify(self.editor, door, participant_name(self.server.user))
        if name is None:
            self.leave("Goodbye.")
            return
        if self.gone or self.ended:
            return
        if self.hosting.full:
            self._refuse("the workshop is full", self._full_message())
            return
        self.editor = None
        await self._run_app(name)

    async def _run_app(self, name: str) -> None:
        self.server.logged_in()
        self.hosting.running += 1
        self.counted = True
        terminal = Terminal(self._send, self._app_exited, self._input_full)
        request = AppRequest(
            self.hosting.config.workshop_dir, name, participant_env(self.term), self.hosting.config.memory_limit
        )
        try:
            await terminal.start(self.hosting.spawner, request, self.size)
        except OSError as error:
            log(f"could not start the app for {self.peer}: {error}")
            self._uncount()
            self.leave("The workshop app could not start; tell the coach.")
            return
        self.terminal = terminal
        self.hosting.terminals.add(terminal)
        log(f"started app {terminal.pid} for {name!r} ({self.peer})")
        if self.gone:
            terminal.hangup()

    def _uncount(self) -> None:
        if self.counted:
            self.counted = False
            self.hosting.running -= 1

    def _input_full(self, full: bool) -> None:
        if full:
            self.chan.pause_reading()
        else:
            self.chan.resume_reading()

    def _app_exited(self, status: int) -> None:
        if self.terminal is not None:
            self.hosting.terminals.discard(self.terminal)
        self._uncount()
        if not self.gone:
            self.chan.exit(status if status >= 0 else 128 - status)

    def data_received(self, data: bytes, datatype: Any) -> None:
        if self.terminal is not None:
            self.terminal.write(data)
        elif self.editor is not None:
            self.editor.feed(data)

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        if width and height:
            self.size = clamp_size(width, height)
            if self.terminal is not None:
                self.terminal.resize(*self.size)

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
        if self.editor is not None:
            self.editor.close()
        if self.terminal is not None:
            self.terminal.hangup()


_tasks: set[asyncio.Task[None]] = set()


def _run_soon(coroutine: Any) -> None:
    task = asyncio.get_running_loop().create_task(coroutine)
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


def make_spawner(config: ServeConfig) -> Spawner:
    if config.zygote:
        from formative.serve.zygote_client import ZygoteSpawner

        return ZygoteSpawner()
    return FreshSpawner()


async def serve(
    config: ServeConfig,
    ready: asyncio.Event | None = None,
    *,
    stop: asyncio.Event | None = None,
    spawner: Spawner | None = None,
) -> None:
    """Run until SIGINT, SIGTERM or SIGHUP (or stop is set); then every app saves before the server ends.

    spawner replaces the one config asks for (tests use one whose apps crash on purpose).
    """
    host_key = load_or_create_host_key(config.host_key)
    file_keys = (
        asyncssh.import_authorized_keys(read_text(config.authorized_keys, MAX_ANSWER_BYTES))
        if config.authorized_keys
        else None
    )
    spawner = spawner or make_spawner(config)
    guard = AuthGuard(limits=config.limits or room_limits(config.max_connections), log=log)
    hosting = SshHosting(config, spawner, file_keys, guard)
    loop = asyncio.get_running_loop()
    stop = stop or asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(signum, stop.set)
    try:
        server = await asyncssh.create_server(
            lambda: SshConnection(hosting),
            config.host,
            config.port,
            server_host_keys=[host_key],
            encoding=None,
            line_editor=False,  # raw bytes to the app; LineEditor edits the lines we ask for
            allow_pty=True,
            agent_forwarding=False,
            x11_forwarding=False,
            public_key_auth=True,
            password_auth=config.passcode is not None,
            kbdint_auth=config.passcode is not None,
            login_timeout=config.login_timeout,
            keepalive_interval=30,
        )
        try:
            port = server.sockets[0].getsockname()[1]
            log(f"serving {config.workshop_dir} over SSH on {config.host}:{port}")
            log(f"join with: ssh -t -p {port} NAME@HOST")
            write_serving(config.workshop_dir, ssh_serving(config.host, port, config.passcode))
            if ready is not None:
                ready.set()
            await stop.wait()
            log("stopping")
            server.close()
            await hosting.stop_apps()
        finally:
            remove_serving(config.workshop_dir, "ssh")
            server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(server.wait_closed(), 2)
    finally:
        spawner.close()
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            loop.remove_signal_handler(signum)
