"""What a stranger can make `formative serve web` do before logging in, and how fast they can guess.

Run: .venv/bin/python benchmarks/web_login.py [--sockets 50] [--refusals 200] [--guess-seconds 40] [--tiny]

Loopback only, bounded and self-stopping: a real server process on a throwaway
workshop with a passcode; the clients are aiohttp connections in this process.
Reported:

- refusal time: from opening a websocket without a session until its 403 arrives
  (median and 95th percentile, one at a time);
- processes started by raw websockets: the server's child processes, sampled while
  that many websockets without a session arrive at once, and the apps it logged;
- guess rate: wrong passcodes from one address, as fast as the server answers, with
  as many in flight as the server allows from one address (6), for a fixed time;
  then whether the address is locked out.
The last line shows that a real participant still gets in afterwards, from another address.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import aiohttp
import figures

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.functional.browser import free_port, wait_for_http
from tests.functional.web_client import Visitor, apps_of, screen_text

PASSCODE = "tangerine-orbit-42"


async def refusal_times(visitor: Visitor, count: int) -> list[float]:
    times = []
    for _ in range(count):
        started = time.perf_counter()
        status = await visitor.refused_status()
        times.append(time.perf_counter() - started)
        assert status == 403, status
    return times


async def raw_sockets(visitor: Visitor, server_pid: int, count: int) -> tuple[int, int]:
    """Open count websockets without a session at once; the most apps seen, and how many were refused."""
    most = 0

    async def sample() -> None:
        nonlocal most
        while True:
            most = max(most, len(apps_of(server_pid)))
            await asyncio.sleep(0.01)

    sampler = asyncio.create_task(sample())
    statuses = await asyncio.gather(*(visitor.refused_status() for _ in range(count)))
    await asyncio.sleep(0.5)  # anything started late would show now
    most = max(most, len(apps_of(server_pid)))
    sampler.cancel()
    return most, statuses.count(403)


async def guess(visitor: Visitor, seconds: float, in_flight: int) -> tuple[int, int]:
    """Wrong passcodes for `seconds`; returns (guesses answered "wrong" in that time, attempts refused outright)."""
    answered = refused = 0

    async def guesser(number: int) -> None:
        nonlocal answered, refused
        for attempt in range(10_000):
            reply = await visitor.log_in("Mallory", "2468", f"guess-{number}-{attempt}")
            if reply.status == 403:
                answered += 1
            else:
                refused += 1
                await asyncio.sleep(0.2)

    tasks = [asyncio.create_task(guesser(n)) for n in range(in_flight)]
    await asyncio.wait(tasks, timeout=seconds)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return answered, refused


async def measure(base: str, port: int, server_pid: int, options: argparse.Namespace) -> None:
    async with aiohttp.ClientSession() as http:
        stranger = Visitor(http, base, port, origin=base)
        times = sorted(await refusal_times(stranger, options.refusals))
        figures.record("tokenless websocket refused", [t * 1000 for t in times], "ms")
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(
            f"tokenless websocket refused in {statistics.median(times) * 1000:.1f} ms median, "
            f"{p95 * 1000:.1f} ms p95 ({len(times)} tries)"
        )
        most, refused = await raw_sockets(stranger, server_pid, options.sockets)
        print(f"{options.sockets} raw websockets at once: {refused} refused, {most} processes started")
        figures.record(f"processes started by {options.sockets} raw websockets", [most], "")

        answered, locked = await guess(stranger, options.guess_seconds, 6)
        figures.record("wrong passcodes answered per second, one address", [answered / options.guess_seconds], "/s")
        print(
            f"wrong passcodes from one address, 6 at a time: {answered} answered in {options.guess_seconds:.0f} s "
            f"({answered / options.guess_seconds:.2f} guesses/s), {locked} attempts refused outright (locked out)"
        )

        # Another address for the real participant: 127.0.0.2 is loopback too, and not locked out.
        connector = aiohttp.TCPConnector(local_addr=("127.0.0.2", 0))
        async with aiohttp.ClientSession(connector=connector) as other:
            ada = Visitor(other, base, port, origin=base)
            started = time.perf_counter()
            reply = await ada.log_in("Ada", "2468", PASSCODE)
            assert reply.status == 303, reply.status
            socket = await ada.open_app()
            await screen_text(socket, "Getting everyone in")
            took = time.perf_counter() - started
            print(f"a real participant then logged in and saw their first screen in {took:.2f} s")
            figures.record("a participant's login to first screen, after the attacks", [took], "s")
            await socket.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sockets", type=int, default=50)
    parser.add_argument("--refusals", type=int, default=200)
    parser.add_argument("--guess-seconds", type=float, default=40.0)
    figures.add_options(parser, "a few seconds in all: for the test suite")
    options = parser.parse_args(argv)
    if options.tiny:
        options.sockets, options.refusals, options.guess_seconds = 10, 10, 2.5

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "workshop"
        formative = [sys.executable, "-m", "formative"]
        subprocess.run([*formative, "workshop", "new", "community-design-workshop", str(folder)], check=True)
        passcode = Path(scratch) / "passcode"
        passcode.write_text(PASSCODE, encoding="utf-8")
        port = free_port()
        log = (Path(scratch) / "server.log").open("wb")
        command = [*formative, "serve", "web", str(folder), "--port", str(port), "--passcode-file", str(passcode)]
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for_http(base + "/")
            asyncio.run(asyncio.wait_for(measure(base, port, server.pid, options), options.guess_seconds + 120))
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            log.close()
        lines = (Path(scratch) / "server.log").read_text(encoding="utf-8").splitlines()
        print(f"server log: {sum('failed passcode' in line for line in lines)} failed passcodes logged, "
              f"{sum('locked out' in line for line in lines)} lockout(s), "
              f"{sum('started the app' in line for line in lines)} app(s) started")  # fmt: skip
    figures.write(options.json, figures.RECORDED)
    return 0


if __name__ == "__main__":
    sys.exit(main())
