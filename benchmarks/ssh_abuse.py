"""SSH abuse: what a stranger on the network can make `formative serve ssh` do.

Run: .venv/bin/python benchmarks/ssh_abuse.py [--tiny] [--only guess|stall|huge]

Loopback only, bounded (every wait has a timeout) and self-stopping. A real server
process hosts a throwaway workshop with an authorized key and a passcode. Reported:

- guess rate: passcodes the server checks per second while 6 parallel connections
  from one address guess, over a fixed time budget, and when the address is locked
  out;
- stalled logins: 45 connections from 127.0.0.2 that stop at the passcode prompt, then
  a real participant (with a key, from 127.0.0.1): whether and how fast they see their
  first screen, how fast a login over the per-address cap is turned away, and how
  long the server holds the stalled ones;
- huge terminal: one participant asks for a 30000x30000 pty; the largest RSS of the
  server and of the app over the sampling window, and the size the app was given.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncssh

sys.path.insert(0, str(Path(__file__).resolve().parent))

import figures

FORMATIVE = str(Path(sys.executable).with_name("formative"))
PASSCODE = "river-otter-42"
MARKER = b"Step 1 of"


@dataclass
class Server:
    port: int
    folder: Path
    log: Path
    process: subprocess.Popen[bytes]
    key: asyncssh.SSHKey

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def terminal_size(pid: int) -> tuple[int, int] | None:
    """The (columns, rows) of pid's terminal, as the app sees it."""
    try:
        fd = os.open(os.readlink(f"/proc/{pid}/fd/0"), os.O_RDONLY | os.O_NOCTTY)
    except OSError:
        return None
    try:
        rows, cols, _, _ = struct.unpack("HHHH", fcntl.ioctl(fd, termios.TIOCGWINSZ, bytes(8)))
    finally:
        os.close(fd)
    return cols, rows


def rss_kib(pid: int) -> int:
    """Resident memory of pid, 0 once it is gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(r"^VmRSS:\s+(\d+) kB", text, re.M)
    return int(match.group(1)) if match else 0


@contextlib.contextmanager
def running_server(folder: Path) -> Iterator[Server]:
    workshop = folder / "workshop"
    subprocess.run(
        [FORMATIVE, "workshop", "new", "community-design-workshop", str(workshop)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    key = asyncssh.generate_private_key("ssh-ed25519")
    (folder / "authorized_keys").write_bytes(key.export_public_key())
    (folder / "passcode").write_text(PASSCODE + "\n")
    port = free_port()
    log = folder / "server.log"
    command = [FORMATIVE, "serve", "ssh", str(workshop), "--port", str(port)]
    command += ["--authorized-keys", str(folder / "authorized_keys"), "--passcode-file", str(folder / "passcode")]
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=sink, env={**os.environ, "HOME": str(folder)})
    server = Server(port, workshop, log, process, key)
    try:
        deadline = time.monotonic() + 60
        while "the fork server is ready" not in server.log_text():  # it loads Formative once, then forks apps
            if time.monotonic() > deadline or process.poll() is not None:
                raise SystemExit(f"server did not start:\n{server.log_text()}")
            time.sleep(0.1)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def one_guess(server: Server, source: str) -> str:
    """One connection, one wrong passcode: 'denied', 'refused' (turned away before asking) or 'error'."""
    try:
        conn = await asyncio.wait_for(
            asyncssh.connect(
                "127.0.0.1",
                server.port,
                local_addr=(source, 0),
                username="mallory",
                password="wrong-guess",
                client_keys=None,
                agent_path=None,
                known_hosts=None,
                preferred_auth="password",
            ),
            60,
        )
    except asyncssh.PermissionDenied:
        return "denied"
    except (OSError, asyncssh.Error, TimeoutError):
        return "refused"
    conn.close()
    return "admitted?!"


async def guess_rate(server: Server, seconds: float, workers: int = 6) -> dict[str, float | str]:
    """Passcodes the server checked per second for `workers` parallel connections guessing from one address.

    Checked, not answered: a guess the server checked but answers only after a delay
    longer than the login timeout is still a guess spent (the server logs each one).
    """
    counts: dict[str, int] = {}
    deadline = time.monotonic() + seconds
    locked_at: list[float] = []
    start = time.monotonic()

    async def worker() -> None:
        while time.monotonic() < deadline:
            outcome = await one_guess(server, "127.0.0.3")
            counts[outcome] = counts.get(outcome, 0) + 1
            if not locked_at and "locked out 127.0.0.3" in server.log_text():
                locked_at.append(time.monotonic() - start)
            if outcome == "refused":
                await asyncio.sleep(0.5)

    tasks = [asyncio.ensure_future(worker()) for _ in range(workers)]
    await asyncio.wait(tasks, timeout=seconds)
    for task in tasks:
        task.cancel()  # guesses still waiting out their delay are abandoned
    await asyncio.gather(*tasks, return_exceptions=True)
    elapsed = time.monotonic() - start
    checked = server.log_text().count("failed passcode from 127.0.0.3")
    return {
        "seconds": round(elapsed, 1),
        "checked": float(checked),
        "checked_per_s": round(checked / elapsed, 3),
        "answered_wrong": float(counts.get("denied", 0)),
        "turned_away": float(counts.get("refused", 0)),
        "locked_out_after_s": round(locked_at[0], 1) if locked_at else "no",
    }


class Screen(asyncssh.SSHClientSession[bytes]):
    def __init__(self) -> None:
        self.tail = b""
        self.painted = asyncio.Event()

    def data_received(self, data: bytes, datatype: asyncssh.DataType) -> None:
        self.tail = (self.tail + data)[-65536:]
        if MARKER in self.tail:
            self.painted.set()


async def participant(
    server: Server, name: str, size: tuple[int, int] = (80, 24)
) -> tuple[asyncssh.SSHClientConnection, Screen]:
    conn = await asyncssh.connect(
        "127.0.0.1",
        server.port,
        username=name,
        client_keys=[server.key],
        agent_path=None,
        known_hosts=None,
        preferred_auth="publickey",
    )
    _, screen = await conn.create_session(Screen, term_type="xterm-256color", term_size=size, encoding=None)
    return conn, screen


class Staller(asyncssh.SSHClient):
    """A client that starts keyboard-interactive login and never answers the passcode prompt."""

    def kbdint_auth_requested(self) -> str:
        return ""

    async def kbdint_challenge_received(
        self, name: str, instructions: str, lang: str, prompts: asyncssh.KbdIntPrompts
    ) -> asyncssh.KbdIntResponse | None:
        await asyncio.Event().wait()
        return None


async def stall(server: Server, source: str) -> float:
    """Seconds until the server turns this stalled login away."""
    start = time.monotonic()
    with contextlib.suppress(OSError, asyncssh.Error):
        conn, _ = await asyncssh.create_connection(
            Staller,
            "127.0.0.1",
            server.port,
            local_addr=(source, 0),
            username="stalled",
            client_keys=None,
            agent_path=None,
            known_hosts=None,
            preferred_auth="keyboard-interactive",
        )
        conn.close()
    return time.monotonic() - start


async def stalled_logins(server: Server, stalls: int, hold_wait: float) -> dict[str, float | str]:
    """Fill the doors with logins that stall at the passcode prompt; can a real person still come in?"""
    tasks = [asyncio.ensure_future(stall(server, "127.0.0.2")) for _ in range(stalls)]
    await asyncio.wait(tasks, timeout=3)
    refused = sorted(task.result() for task in tasks if task.done())
    result: dict[str, float | str] = {"stalls": float(stalls), "turned_away_within_3s": float(len(refused))}
    if refused:
        result["turned_away_median_ms"] = round(refused[len(refused) // 2] * 1000, 1)
    start = time.monotonic()
    try:
        conn, screen = await asyncio.wait_for(participant(server, "ada"), 30)
        await asyncio.wait_for(screen.painted.wait(), 30)
        result["real_participant"] = f"first screen in {time.monotonic() - start:.2f} s"
        conn.close()
    except (OSError, asyncssh.Error, TimeoutError) as error:
        result["real_participant"] = f"refused ({type(error).__name__}: {error})"
    done, pending = await asyncio.wait(tasks, timeout=hold_wait)
    if done:
        result["stalled_held_max_s"] = round(max(task.result() for task in done), 1)
    result[f"still_stalled_after_{hold_wait:.0f}s"] = float(len(pending))
    for task in pending:
        task.cancel()
    return result


async def huge_terminal(server: Server, seconds: float, until_painted: bool = False) -> dict[str, float | str]:
    """A 30000x30000 pty request: the most memory the server and the app use while it runs.

    until_painted (--tiny): stop as soon as the app has painted and its size is read.
    """
    server_peak = app_peak = 0
    conn, screen = await asyncio.wait_for(participant(server, "ada", size=(30000, 30000)), 30)
    app_pid = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not app_pid and (found := re.findall(r"started app (\d+)", server.log_text())):
            app_pid = int(found[-1])
        server_peak = max(server_peak, rss_kib(server.process.pid))
        if app_pid:
            app_peak = max(app_peak, rss_kib(app_pid))
            if until_painted and screen.painted.is_set():
                break
        await asyncio.sleep(0.25)
    size = terminal_size(app_pid) if app_pid else None
    conn.close()
    return {
        "server_peak_mib": round(server_peak / 1024, 1),
        "app_peak_mib": round(app_peak / 1024, 1),
        "app_terminal": f"{size[0]}x{size[1]}" if size else "?",
        "painted": str(screen.painted.is_set()),
    }


def record(what: str, result: dict[str, float | str]) -> None:
    """Print one measure, and keep its numbers as figures (each a single sample)."""
    print(f"{what}: {result}")
    for key, value in result.items():
        if isinstance(value, int | float):
            figures.record(f"{what}: {key}", [float(value)], "")


async def measure(tiny: bool, only: str, guess_seconds: float) -> None:
    with tempfile.TemporaryDirectory() as folder, running_server(Path(folder)) as server:
        if only in ("all", "guess"):
            record(
                "guess rate",
                await guess_rate(server, 2, workers=3) if tiny else await guess_rate(server, guess_seconds),
            )
        if only in ("all", "huge"):
            record(
                "huge pty",
                await huge_terminal(server, 3, until_painted=True) if tiny else await huge_terminal(server, 15),
            )
        if only in ("all", "stall"):
            record("stalled logins", await stalled_logins(server, 5 if tiny else 45, 1 if tiny else 90))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    figures.add_options(parser, "a few seconds per measure (for the test suite)")
    parser.add_argument("--only", choices=["all", "guess", "stall", "huge"], default="all")
    parser.add_argument("--guess-seconds", type=float, default=180, help="how long to guess (lockout needs ~150 s)")
    args = parser.parse_args(argv)
    asyncio.run(measure(args.tiny, args.only, args.guess_seconds))
    figures.write(args.json, figures.RECORDED)
    return 0


if __name__ == "__main__":
    sys.exit(main())
