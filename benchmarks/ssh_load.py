"""SSH load: 30 participants connect at once to `formative serve ssh` and type.

Run: .venv/bin/python benchmarks/ssh_load.py [--spawn fork|fresh|both] [--people 30] [--tiny] [--json PATH]

Loopback only, bounded (every wait has a timeout) and self-stopping. A real server
process hosts a throwaway workshop with --allow-anonymous; the clients are asyncssh
connections in this process, each asking for an 80x24 pty. Reported:

- time to first screen: from opening the TCP connection until the app's output
  contains "Step 1 of" (SSH handshake, choosing a PIN, spawn and first paint included);
  each participant connects from its own loopback address, as laptops on a LAN do;
- memory per participant: PSS of each app process (/proc/PID/smaps_rollup), which
  shares pages fairly between the processes that use them;
- every step screen built: from the first connection until the apps' CPU falls to
  idle (each paints its step first, then builds its step screen with the answers);
- keystroke echo, once the room has settled: from sending a letter until output
  carrying it arrives, while everyone types a letter every 150 ms (80 words a minute,
  all thirty at once, without a pause: a harsh room); --key-every 0.3 is a brisk
  typist's 40 words a minute.

The reference is the same server forking a one-label app (label_app.py) from the same
fork server: what SSH, the server and Textual cost anyway.

Targets (issue 11): all painted within 2 s, median 1 s; under 20 MiB PSS each; echo p95
under 50 ms. --tiny: 1 person, a few keys, fork and reference only.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import asyncssh
from figures import Figure, add_options, figure, write

FORMATIVE = str(Path(sys.executable).with_name("formative"))
MARKER = b"Step 1 of"
LETTERS = b"qwxyz"
HERE = Path(__file__).resolve().parent
PIN = b"pin-1234\r"


class Participant(asyncssh.SSHClientSession[bytes]):
    """Watches one participant's screen output for the first paint and for echoes.

    Anonymous logins still choose a PIN for their name (typed twice) before their app
    starts: this participant types it as soon as it is asked, so the time to first
    screen includes the PIN's round trips and its scrypt hash on the server.
    """

    def __init__(self) -> None:
        self.tail = b""
        self.painted = asyncio.Event()
        self.painted_at = 0.0
        self.waiting: tuple[int, float, asyncio.Future[float]] | None = None
        self.chan: asyncssh.SSHClientChannel[bytes] | None = None
        self.pin_typed = 0
        self.pin_done_at = 0.0
        """When the PIN was typed the second time (0: never asked, as with an old server)."""

    def connection_made(self, chan: asyncssh.SSHClientChannel[bytes]) -> None:  # type: ignore[override]
        self.chan = chan

    def data_received(self, data: bytes, datatype: asyncssh.DataType) -> None:
        now = time.perf_counter()
        if not self.painted.is_set():
            self.tail = (self.tail + data)[-65536:]
            for number, question in enumerate((b"Choose a PIN", b"same PIN again")):
                if self.pin_typed == number and question in self.tail and self.chan is not None:
                    self.chan.write(PIN)
                    self.pin_typed += 1
                    self.pin_done_at = time.perf_counter()
            if MARKER in self.tail:
                self.painted_at = now
                self.painted.set()
        if self.waiting is not None and bytes([self.waiting[0]]) in data:
            _, sent, future = self.waiting
            self.waiting = None
            if not future.done():
                future.set_result(now - sent)


async def join(
    port: int, index: int
) -> tuple[asyncssh.SSHClientConnection, asyncssh.SSHClientChannel[bytes], Participant, float]:
    start = time.perf_counter()
    conn = await asyncssh.connect(
        "127.0.0.1",
        port,
        local_addr=(f"127.0.0.{10 + index}", 0),  # one machine each, as in a room on a LAN
        username=f"p{index:02d}",
        known_hosts=None,
        client_keys=None,
        agent_path=None,
    )
    chan, session = await conn.create_session(
        Participant, term_type="xterm-256color", term_size=(80, 24), encoding=None
    )
    return conn, chan, session, start


async def type_letters(
    chan: asyncssh.SSHClientChannel[bytes], session: Participant, keys: int, every: float
) -> list[float]:
    latencies: list[float] = []
    loop = asyncio.get_running_loop()
    for i in range(keys):
        letter = LETTERS[i % len(LETTERS)]
        future: asyncio.Future[float] = loop.create_future()
        session.waiting = (letter, time.perf_counter(), future)
        chan.write(bytes([letter]))
        with contextlib.suppress(TimeoutError):
            latencies.append(await asyncio.wait_for(future, 5))
        await asyncio.sleep(every)
    return latencies


def pss_kib(pid: int) -> int | None:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return None
    match = re.search(r"^Pss:\s+(\d+) kB", text, re.M)
    return int(match.group(1)) if match else None


def cpu_ms(pid: int) -> float | None:
    """CPU time (user + system) a process has used so far, from /proc/PID/stat."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_command(spawn: str, workshop: Path, port: int, people: int) -> list[str]:
    """The real `formative serve ssh`, or (spawn == "reference") the same server forking label_app.py."""
    if spawn == "reference":
        return [sys.executable, str(Path(__file__).resolve()), "--serve-reference", str(workshop), str(port)]
    command = [FORMATIVE, "serve", "ssh", str(workshop), "--port", str(port), "--allow-anonymous"]
    return [*command, "--max-connections", str(people + 5), "--spawn", spawn]


def serve_reference(workshop: Path, port: int) -> None:
    from formative.serve.ssh import ServeConfig, serve
    from formative.serve.zygote_client import ZygoteSpawner

    async def run() -> None:
        config = ServeConfig(workshop, "127.0.0.1", port, workshop / "host_key", allow_anonymous=True)
        await serve(config, spawner=ZygoteSpawner(app=f"{HERE / 'label_app.py'}:run"))

    asyncio.run(run())


async def measure(spawn: str, people: int, keys: int, every: float) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory() as folder:
        workshop = Path(folder) / "workshop"
        subprocess.run(
            [FORMATIVE, "workshop", "new", "community-design-workshop", str(workshop)],
            check=True,
            capture_output=True,
            timeout=60,
        )
        log = Path(folder) / "server.log"
        port = free_port()
        command = server_command(spawn, workshop, port, people)
        with log.open("wb") as sink:
            server = subprocess.Popen(command, stdout=sink, stderr=sink, env={**os.environ, "HOME": folder})
        try:
            deadline = time.monotonic() + 30
            ready = b"serving" if spawn == "fresh" else b"fork server is ready"
            while ready not in log.read_bytes():  # a room arrives after the server has settled
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit(f"server did not start:\n{log.read_text()}")
                await asyncio.sleep(0.1)
            joined = await asyncio.wait_for(asyncio.gather(*(join(port, i) for i in range(people))), 60)
            await asyncio.wait_for(asyncio.gather(*(s.painted.wait() for _, _, s, _ in joined)), 60)
            first = sorted(s.painted_at - start for _, _, s, start in joined)
            after_pin = sorted(s.painted_at - (s.pin_done_at or start) for _, _, s, start in joined)
            pids = [int(p) for p in re.findall(r"started app (\d+)", log.read_text())]
            # CPU so far: the apps' to paint their first screen (and a little after), the server's for
            # every handshake, PIN and byte relayed: what 30 arrivals cost the laptop, per person.
            app_cpu = [c for c in (cpu_ms(p) for p in pids) if c is not None]
            server_cpu = [(cpu_ms(server.pid) or 0.0) / people]
            settled = [await settle(pids) - min(start for _, _, _, start in joined)]
            pss = [k for k in (pss_kib(p) for p in pids) if k is not None]
            typing = (type_letters(c, s, keys, every) for _, c, s, _ in joined)
            typed = await asyncio.wait_for(asyncio.gather(*typing), 120)
            echoes = sorted(x for one in typed for x in one)
            for conn, _, _, _ in joined:
                conn.close()
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    return {
        "first": first,
        "after_pin": after_pin,
        "pss": [k / 1024 for k in pss],
        "echo": [e * 1000 for e in echoes],
        "app_cpu": app_cpu,
        "server_cpu": server_cpu,
        "settled": settled,
    }


async def settle(pids: list[int], quiet_ms_per_s: float = 15.0, bound: float = 20.0) -> float:
    """When the apps had built their step screens (perf_counter): their CPU fell to an idle app's.

    Each app paints its step first and builds the step screen after (at a lower priority
    while others still arrive), so typing measured straight after the last first paint
    would measure the builds, not the echo. Returns the start of the first quarter second
    in which the apps used no more than quiet_ms_per_s each (and two clock ticks, the
    resolution of /proc's CPU times). Bounded: a room that never settles types anyway.
    """
    window = 0.25
    deadline = time.monotonic() + bound
    before, since = sum(cpu_ms(p) or 0.0 for p in pids), time.perf_counter()
    while time.monotonic() < deadline:
        await asyncio.sleep(window)
        now = sum(cpu_ms(p) or 0.0 for p in pids)
        if now - before <= max(quiet_ms_per_s * len(pids) * window, 2000 / os.sysconf("SC_CLK_TCK")):
            break
        before, since = now, time.perf_counter()
    await asyncio.sleep(0.5)
    return since


def median_or_nan(samples: list[float]) -> float:
    return statistics.median(samples) if samples else float("nan")


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[int(0.95 * (len(ordered) - 1))] if ordered else float("nan")


def figures_of(mode: str, r: dict[str, list[float]]) -> list[Figure]:
    ref = mode != "reference"

    def name(what: str, of: str | None = mode) -> str:
        return f"{what}, {'one-label app' if of == 'reference' else of}"

    return [
        figure(name("first screen s"), r["first"], "s", None if not ref else name("first screen s", "reference")),
        Figure(name("first screen worst s"), max(r["first"]), "s", len(r["first"])),
        figure(name("first screen after the PIN s"), r["after_pin"], "s"),
        figure(
            name("app CPU by the last first screen ms"),
            r["app_cpu"],
            "ms",
            None if not ref else name("app CPU by the last first screen ms", "reference"),
        ),
        figure(name("server CPU per arrival ms"), r["server_cpu"], "ms"),
        Figure(name("every step screen built s"), r["settled"][0], "s", 1),
        figure(name("PSS per app MiB"), r["pss"], "MiB", None if not ref else name("PSS per app MiB", "reference")),
        figure(name("echo ms"), r["echo"], "ms", None if not ref else name("echo ms", "reference")),
        Figure(
            name("echo p95 ms"),
            p95(r["echo"]),
            "ms",
            len(r["echo"]),
            None if not ref else name("echo p95 ms", "reference"),
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--spawn", choices=["fork", "fresh", "both"], default="fork")
    parser.add_argument("--people", type=int, default=30)
    parser.add_argument("--keys", type=int, default=20, help="keystrokes each participant types")
    parser.add_argument("--key-every", type=float, default=0.15, help="seconds between one person's keys")
    parser.add_argument("--serve-reference", nargs=2, metavar=("WORKSHOP", "PORT"), help=argparse.SUPPRESS)
    add_options(parser, "1 person, 3 keys, fork and reference")
    args = parser.parse_args(argv)
    if args.serve_reference:
        serve_reference(Path(args.serve_reference[0]), int(args.serve_reference[1]))
        return 0
    if args.tiny:
        args.people, args.keys = 1, 3
    modes = ["fresh", "fork"] if args.spawn == "both" else [args.spawn]
    print(
        f"{args.people} participants at once over SSH on loopback, {os.cpu_count()} CPUs, "
        f"a key every {args.key_every * 1000:.0f} ms each"
    )
    figures: list[Figure] = []
    for mode in [*modes, "reference"]:
        r = asyncio.run(measure(mode, args.people, args.keys, args.key_every))
        figures += figures_of(mode, r)
        first, echo, pss = sorted(r["first"]), r["echo"], r["pss"]
        print(
            f"{mode:>9}: first screen median {statistics.median(first):.2f} s, worst {first[-1]:.2f} s "
            f"(after the PIN: median {statistics.median(r['after_pin']):.2f} s) | "
            f"CPU per arrival: app (by the last first screen) median {median_or_nan(r['app_cpu']):.0f} ms, "
            f"server {r['server_cpu'][0]:.0f} ms | every step screen built by {r['settled'][0]:.2f} s | "
            f"PSS per app mean {statistics.mean(pss) if pss else float('nan'):.1f} MiB ({len(pss)} apps) | "
            f"echo median {statistics.median(echo) if echo else float('nan'):.1f} ms, p95 {p95(echo):.1f} ms "
            f"({len(echo)} keys)"
        )
    print("targets: all painted within 2 s, median 1 s; under 20 MiB PSS each; echo p95 under 50 ms")
    write(args.json, figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
