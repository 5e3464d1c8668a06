"""Helpers for the `serve ssh` tests: a real server (as a process, or in this event loop) and clients.

Every server binds 127.0.0.1 on a free port, stops itself, and every wait is bounded.
OpenSSH clients run with a throwaway HOME and no config; asyncssh clients never use an
agent or known_hosts.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import re
import signal
import socket
import struct
import subprocess
import termios
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import asyncssh

from formative.serve.guard import Limits
from formative.serve.spawn import Spawner
from formative.serve.ssh import ServeConfig, serve
from formative.workshop.folder import Workshop, create_workshop, save_state
from tests.functional.tmux import FORMATIVE

PASSCODE = "river-otter-42"
FIRST_STEP = "Step 1 of"


@dataclass
class Server:
    port: int
    workshop: Path
    log: Path
    home: Path
    keys: Path
    process: subprocess.Popen[bytes]

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def app_pid(self, name: str, after: int = 0) -> int:
        """The pid of the latest app started for name (after the first `after` of them)."""
        return app_pid(self.log_text, name, after)

    def ssh(self, user: str, *options: str, key: str | None = "ada") -> list[str]:
        identity = ["-i", str(self.keys / key)] if key else ["-o", "IdentityFile=/nonexistent"]
        return [
            "ssh",
            "-F",
            "/dev/null",
            "-p",
            str(self.port),
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "LogLevel=ERROR",
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "IdentityAgent=none",
            "-o",
            "ConnectTimeout=10",
            *identity,
            *options,
            f"{user}@127.0.0.1",
        ]

    def with_passcode(self, user: str, *options: str, passcode: str = PASSCODE) -> list[str]:
        """An OpenSSH command that types the passcode at the server's Passcode: prompt (sshpass)."""
        return ["sshpass", "-P", "Passcode", "-p", passcode, *self.ssh(user, *options, key=None)]

    def run_ssh(
        self, user: str, *options: str, key: str | None = "ada", command: tuple[str, ...] = ()
    ) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "HOME": str(self.home)}
        return subprocess.run(
            [*self.ssh(user, *options, key=key), *command],
            capture_output=True,
            text=True,
            timeout=30,
            env=env,
            check=False,
        )

    def key(self, name: str) -> asyncssh.SSHKey:
        return asyncssh.read_private_key(str(self.keys / name))


def app_pid(log_text: object, name: str, after: int = 0, timeout: float = 15) -> int:
    """The pid of the latest app the log says started for name; log_text() reads the log afresh."""
    read = log_text if callable(log_text) else (lambda: str(log_text))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pids = [int(p) for p in re.findall(rf"started app (\d+) for '{re.escape(name)}'", read(), re.IGNORECASE)]
        if len(pids) > after:
            return pids[-1]
        time.sleep(0.1)
    raise AssertionError(f"no app started for {name}; the server said:\n{read()}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def keygen(path: Path) -> None:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True, timeout=30)


def make_workshop(
    workshop: Path,
    roster: list[str] | None = None,
    keys: dict[str, list[str]] | None = None,
    workbook: str = "community-design-workshop",
) -> None:
    """A workshop (on the bundled workshop workbook unless told), at free pace, with a roster and roster keys."""
    if (workshop / "workshop.toml").exists():
        return
    create_workshop(workshop, workbook, "SSH test", roster or [])
    opened = Workshop.open(workshop)
    save_state(opened, opened.state.model_copy(update={"pace": "free"}))  # each moves on their own
    if keys:
        with (workshop / "workshop.toml").open("a", encoding="utf-8") as file:
            file.write("\n[keys]\n")
            for name, lines in keys.items():
                quoted = ", ".join(f'"{line}"' for line in lines)
                file.write(f'"{name}" = [{quoted}]\n')


def make_keys(keys: Path, *names: str) -> None:
    keys.mkdir(exist_ok=True)
    for name in names:
        if not (keys / name).exists():
            keygen(keys / name)


def start_server(root: Path, *flags: str, env: dict[str, str] | None = None) -> Server:
    """`formative serve ssh` on root/workshop (made if missing), keys ada and bo, the passcode in a file."""
    workshop, keys, home = root / "workshop", root / "keys", root / "home"
    for folder in (workshop, home):
        folder.mkdir(exist_ok=True)
    make_workshop(workshop)
    make_keys(keys, "ada", "bo")
    if not (keys / "authorized_keys").exists():
        (keys / "authorized_keys").write_text((keys / "ada.pub").read_text())
    (keys / "passcode").write_text(PASSCODE + "\n")
    log = root / f"server-{uuid.uuid4().hex[:8]}.log"
    # Port 0: the system picks a free port as the server binds it, so parallel tests never race for one.
    command = [FORMATIVE, "serve", "ssh", str(workshop), "--host", "127.0.0.1", "--port", "0", *flags]
    with log.open("wb") as sink:
        process = subprocess.Popen(
            command, stdout=sink, stderr=sink, env={**os.environ, "HOME": str(home), **(env or {})}
        )
    server = Server(0, workshop, log, home, keys, process)
    deadline = time.monotonic() + 30
    while not (bound := SERVING.search(server.log_text())):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"the server did not start:\n{server.log_text()}")
        time.sleep(0.1)
    server.port = int(bound.group(1))
    return server


SERVING = re.compile(r"over SSH on 127\.0\.0\.1:(\d+)")
"""The line `serve ssh` logs once it listens, with the port it was given."""


def stop_server(server: Server) -> None:
    server.process.send_signal(signal.SIGTERM)
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=10)


# In this event loop -------------------------------------------------------------------------


@dataclass
class LocalServer:
    """A `serve()` running as a task in the test's own loop; its log is this process's stderr."""

    port: int
    workshop: Path
    config: ServeConfig
    stop: asyncio.Event
    task: asyncio.Task[None]


@contextlib.asynccontextmanager
async def local_server(
    root: Path,
    *,
    passcode: str | None = PASSCODE,
    authorized_keys: Path | None = None,
    limits: Limits | None = None,
    login_timeout: float = 30.0,
    prompt_timeout: float = 90.0,
    spawner: Spawner | None = None,
    zygote: bool = False,
    allow_anonymous: bool = False,
) -> AsyncIterator[LocalServer]:
    workshop = root / "workshop"
    workshop.mkdir(exist_ok=True)
    make_workshop(workshop)
    config = ServeConfig(
        workshop_dir=workshop,
        host="127.0.0.1",
        port=free_port(),  # probed: the serving file's port is what test_serving_files checks against it
        host_key=root / "host_key",
        authorized_keys=authorized_keys,
        passcode=passcode,
        allow_anonymous=allow_anonymous,
        zygote=zygote,
        login_timeout=login_timeout,
        prompt_timeout=prompt_timeout,
        limits=limits,
    )
    ready, stop = asyncio.Event(), asyncio.Event()
    task = asyncio.get_running_loop().create_task(serve(config, ready, stop=stop, spawner=spawner))
    await asyncio.wait_for(ready.wait(), 30)
    try:
        yield LocalServer(config.port, workshop, config, stop, task)
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)


# Clients --------------------------------------------------------------------------------------


@dataclass
class Screen(asyncssh.SSHClientSession[bytes]):
    """What one asyncssh client's terminal received."""

    output: bytearray = field(default_factory=bytearray)
    closed: asyncio.Event = field(default_factory=asyncio.Event)

    def data_received(self, data: bytes, datatype: asyncssh.DataType) -> None:
        self.output += data

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed.set()

    async def wait_for(self, text: bytes, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output:
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} did not arrive within {timeout}s; got:\n{bytes(self.output[-3000:])!r}")
            await asyncio.sleep(0.05)


async def open_session(
    port: int,
    user: str,
    *,
    key: asyncssh.SSHKey | None = None,
    password: str | None = None,
    size: tuple[int, int] = (80, 24),
    source: str = "127.0.0.1",
) -> tuple[asyncssh.SSHClientConnection, asyncssh.SSHClientChannel[bytes], Screen]:
    """Log in (by key, by passcode, or with nothing) and open a session with a pty."""
    conn = await asyncio.wait_for(
        asyncssh.connect(
            "127.0.0.1",
            port,
            local_addr=(source, 0),
            username=user,
            client_keys=[key] if key else None,
            password=password,
            agent_path=None,
            known_hosts=None,
            preferred_auth="publickey" if key else "password,keyboard-interactive" if password else "none",
        ),
        30,
    )
    chan, screen = await conn.create_session(Screen, term_type="xterm-256color", term_size=size, encoding=None)
    return conn, chan, screen


class Staller(asyncssh.SSHClient):
    """Starts a keyboard-interactive login and never answers the passcode prompt."""

    def kbdint_auth_requested(self) -> str:
        return ""

    async def kbdint_challenge_received(
        self, name: str, instructions: str, lang: str, prompts: asyncssh.KbdIntPrompts
    ) -> asyncssh.KbdIntResponse | None:
        await asyncio.Event().wait()
        return None


async def stall(port: int, source: str) -> float:
    """Connect from source and stall at the passcode prompt; seconds until the server ends it."""
    start = time.monotonic()
    with contextlib.suppress(OSError, asyncssh.Error):
        conn, _ = await asyncssh.create_connection(
            Staller,
            "127.0.0.1",
            port,
            local_addr=(source, 0),
            username="stalled",
            client_keys=None,
            agent_path=None,
            known_hosts=None,
            preferred_auth="keyboard-interactive",
        )
        conn.close()
    return time.monotonic() - start


# What a process sees ----------------------------------------------------------------------------


def terminal_size(pid: int) -> tuple[int, int]:
    """The (columns, rows) of pid's terminal, as its app sees it."""
    fd = os.open(os.readlink(f"/proc/{pid}/fd/0"), os.O_RDONLY | os.O_NOCTTY)
    try:
        rows, cols, _, _ = struct.unpack("HHHH", fcntl.ioctl(fd, termios.TIOCGWINSZ, bytes(8)))
    finally:
        os.close(fd)
    return cols, rows


def rss_mib(pid: int) -> float:
    """Resident memory of pid in MiB (0 once it is gone)."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    match = re.search(r"^VmRSS:\s+(\d+) kB", text, re.M)
    return int(match.group(1)) / 1024 if match else 0.0


def environment_names(pid: int) -> set[str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes()
    return {entry.split(b"=", 1)[0].decode() for entry in raw.split(b"\0") if entry}


def gone(pid: int) -> bool:
    """True once pid has ended and been reaped (or is a zombie nobody will run again)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state == "Z"
