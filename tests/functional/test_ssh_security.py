"""`formative serve ssh` against strangers: containment, one person per name, guessing, stalling, huge pty, crashes.

Servers bind 127.0.0.1 on a free port and stop themselves. Real OpenSSH clients (ssh,
sshpass) run in tmux with a throwaway HOME; asyncssh clients connect from chosen
loopback addresses (127.0.0.2, …) to play other machines. Figures (guess rate, time to
turn a stalled login away, memory under a huge terminal) are printed: run with -s.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import asyncssh
import pytest

from formative.serve.child import NICE
from formative.serve.common import is_allowed_variable
from formative.serve.guard import Limits
from formative.serve.participant import APOLOGY
from formative.serve.spawn import FreshSpawner
from formative.serve.terminal import MAX_SIZE, MIN_SIZE
from formative.workbook.starter import starter_workbook
from formative.workshop.identity import People
from tests.functional.ssh_server import (
    FIRST_STEP,
    PASSCODE,
    Screen,
    Server,
    environment_names,
    gone,
    local_server,
    make_keys,
    make_workshop,
    open_session,
    rss_mib,
    stall,
    start_server,
    stop_server,
    terminal_size,
)
from tests.functional.tmux import FORMATIVE, Pane, have_tmux

pytestmark = [
    pytest.mark.skipif(shutil.which("ssh") is None, reason="ssh is not installed (.ci/run installs openssh-client)"),
    pytest.mark.timeout(180),
]
needs_tmux = pytest.mark.skipif(not have_tmux(), reason="tmux is not installed (.ci/run installs it)")
needs_sshpass = pytest.mark.skipif(shutil.which("sshpass") is None, reason="sshpass is not installed (.ci/run has it)")

SECRET = "FORMATIVE_TEST_SECRET_TOKEN"
F1 = b"\x1bOP"


@pytest.fixture
def panes() -> Iterator[list[Pane]]:
    opened: list[Pane] = []
    yield opened
    for pane in opened:
        pane.close()


def connect(server: Server, panes: list[Pane], command: list[str], width: int = 100, height: int = 30) -> Pane:
    pane = Pane(command, {"HOME": str(server.home), "TERM": "xterm-256color"}, width, height)
    panes.append(pane)
    return pane


def wait_until(check: object, what: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not (check() if callable(check) else check):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout}s")
        time.sleep(0.1)


# Containment ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def contained(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server whose own environment holds a secret and an EDITOR that would leave a marker file.

    Its workshop runs the starter workbook: the first step has a long answer.
    """
    root = tmp_path_factory.mktemp("contained")
    (root / "demo.toml").write_text(starter_workbook("demo", "Demo"))
    make_workshop(root / "workshop", workbook=str(root / "demo.toml"))
    marker = root / "editor-ran"
    editor = root / "editor.sh"
    editor.write_text(f"#!/bin/sh\ntouch {marker}\n")
    editor.chmod(0o755)
    env = {"EDITOR": str(editor), "VISUAL": str(editor), SECRET: "hunter2", "TEXTUAL": "devtools"}
    make_keys(root / "keys", "ada", "bo")  # ada's for the containment test, bo's for the huge terminal's
    (root / "keys" / "authorized_keys").write_text(
        "".join((root / "keys" / f"{n}.pub").read_text() for n in ("ada", "bo"))
    )
    server = start_server(root, "--authorized-keys", str(root / "keys" / "authorized_keys"), env=env)
    yield server
    stop_server(server)


@needs_tmux
def test_hosted_participant_gets_no_editor_no_screenshot_and_no_server_paths(
    contained: Server, panes: list[Pane]
) -> None:
    marker = contained.workshop.parent / "editor-ran"
    pane = connect(contained, panes, contained.ssh("ada", "-t"))
    pane.wait_for(FIRST_STEP)
    pane.type("Otters")  # the first answer is short: a name for the community
    pane.wait_for("Otters")
    pane.keys("Tab")  # on to the long answer
    pane.type("a long answer")
    pane.wait_until(lambda s: "a long answer" in s.split("Why does it matter", 1)[-1], "typing into the long answer")
    pane.keys("C-e")
    pane.wait_for("no outside editor")
    assert not marker.exists(), "Ctrl+E ran the server's $EDITOR"

    screen = pane.wait_for("answers/ada.toml")  # the save line names the file within the workshop…
    assert str(contained.workshop) not in screen and str(contained.home) not in screen  # …never the server's path

    pane.keys("C-p")
    pane.type("Screensh")
    pane.wait_until(lambda s: "No matches" in s or "Screenshot" in s, "the palette answering")
    assert "Screenshot" not in pane.screen()
    pane.keys("C-u")
    pane.type("Export")
    pane.wait_until(lambda s: "No matches" in s or "Export Markdown" in s, "the palette answering")
    assert "Export Markdown" not in pane.screen()
    pane.keys("C-u")
    pane.type("Theme")
    pane.wait_for("Projector theme")  # the safe commands are still there

    names = environment_names(contained.app_pid("ada"))
    assert all(is_allowed_variable(name) for name in names), names
    assert {"TERM", "COLORTERM"} <= names
    # The app runs below the server that relays everyone (and the coach's own app).
    assert niceness(contained.app_pid("ada")) == niceness(contained.process.pid) + NICE
    # And so does its session, where Linux shares the CPU by sessions first (autogroup).
    autogroup = Path(f"/proc/{contained.app_pid('ada')}/autogroup")
    if autogroup.exists():
        assert autogroup.read_text().split()[-1] == str(niceness(contained.process.pid) + NICE)


async def test_a_fresh_app_process_gets_only_allowed_variables(tmp_path: Path) -> None:
    """The fresh-process spawner too: this test process's HOME, PATH and secrets stay out."""
    os.environ[SECRET] = "hunter2"
    try:
        async with local_server(tmp_path, passcode=None, allow_anonymous=True) as server:
            conn, chan, screen = await open_session(server.port, "ada")
            await screen.wait_for(b"Choose a PIN")
            chan.write(b"fresh-pin\rfresh-pin\r")
            await screen.wait_for(FIRST_STEP.encode())
            names = environment_names(_latest_child_pid())
            nice = niceness(_latest_child_pid())
            conn.close()
    finally:
        del os.environ[SECRET]
    assert all(is_allowed_variable(name) for name in names), names
    assert nice == os.nice(0) + NICE


def niceness(pid: int) -> int:
    """A process's nice value, from /proc/PID/stat (the 19th field)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return int(fields[16])


def _latest_child_pid() -> int:
    """The app a FreshSpawner started: this test process's newest child running the participant's module.

    Not merely the highest pid: a worker's other children (a server shared by its tests) may
    have a higher one once pids wrap around."""
    children = Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").read_text().split()
    apps = [int(pid) for pid in children if b"formative.serve.participant" in _cmdline(int(pid))]
    assert apps, f"no participant's app among this process's children {children}"
    return max(apps)


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


# One person per name -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def names_room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Roster Carol and Bo; workshop.toml lists Bo's key; ada's key is in --authorized-keys; a passcode."""
    root = tmp_path_factory.mktemp("names")
    make_keys(root / "keys", "ada", "bo")
    bo_key = (root / "keys" / "bo.pub").read_text().strip()
    make_workshop(root / "workshop", roster=["Carol", "Bo"], keys={"Bo": [bo_key]})
    server = start_server(
        root,
        "--authorized-keys",
        str(root / "keys" / "authorized_keys"),
        "--passcode-file",
        str(root / "keys" / "passcode"),
    )
    yield server
    stop_server(server)


def started(server: Server, name: str) -> int:
    return server.log_text().count(f" for {name!r} (")


async def leave(server: Server, conn: asyncssh.SSHClientConnection, name: str) -> None:
    """Hang up, and wait until name's app has saved and gone (its lock with it)."""
    pid = server.app_pid(name)
    conn.close()
    await _until(lambda: gone(pid), f"{name}'s app {pid} ending")


@needs_tmux
@needs_sshpass
def test_a_name_is_bound_to_the_pin_its_first_user_chose(names_room: Server, panes: list[Pane]) -> None:
    server = names_room
    first = connect(server, panes, server.with_passcode("carol", "-t"))
    first.wait_for("Choose a PIN (4+ characters) — you'll need it to come back as Carol")
    first.type("otter-7")
    first.keys("Enter")
    first.type("otter-7")
    first.keys("Enter")
    first.wait_for(FIRST_STEP)
    assert "otter-7" not in first.screen()
    first.keys("C-q")
    first.wait_closed()
    assert started(server, "Carol") == 1

    # The passcode alone no longer makes you Carol: three wrong PINs, each slower, then the door closes.
    intruder = connect(server, panes, server.with_passcode("carol", "-t"))
    intruder.wait_for("PIN for Carol")
    begun = time.monotonic()
    for guess in ("1111", "2222", "3333"):
        intruder.type(guess)
        intruder.keys("Enter")
        if guess != "3333":
            intruder.wait_for("That PIN is not right")
    intruder.wait_closed()  # "3 wrong PINs…", and the connection ends
    elapsed = time.monotonic() - begun
    assert elapsed >= 1 + 2 + 4 - 0.5, f"three wrong PINs took only {elapsed:.1f} s"
    assert started(server, "Carol") == 1
    assert server.log_text().count("failed PIN for 'Carol' from 127.0.0.1") == 3

    back = connect(server, panes, server.with_passcode("carol", "-t"))
    back.wait_for("PIN for Carol")
    back.type("otter-7")
    back.keys("Enter")
    back.wait_for(FIRST_STEP)
    assert started(server, "Carol") == 2
    pid = server.app_pid("Carol", after=1)
    back.keys("C-q")
    back.wait_closed()
    wait_until(lambda: gone(pid), "Carol's app ending")


async def test_lookalikes_keys_roster_keys_and_release(names_room: Server) -> None:
    server = names_room
    people = People(server.workshop)
    if people.find("Carol") is None:  # when run alone, Carol takes her name first
        conn, chan, screen = await open_session(server.port, "Carol", password=PASSCODE)
        await screen.wait_for(b"Choose a PIN")
        chan.write(b"otter-7\rotter-7\r")
        await screen.wait_for(FIRST_STEP.encode())
        await leave(server, conn, "Carol")

    # "Cаrol" with a Cyrillic а is Carol, so it must give Carol's PIN: no second Carol appears.
    conn, chan, screen = await open_session(server.port, "C\u0430rol", password=PASSCODE)
    await screen.wait_for(b"PIN for Carol")
    chan.write(b"\r")  # not me: another name
    await screen.wait_for(b"Your name")
    chan.write(b"\x04")
    await asyncio.wait_for(screen.closed.wait(), 10)
    assert [p.name for p in People(server.workshop).everyone() if "rol" in p.name] == ["Carol"]

    # Bo's key is listed for him in workshop.toml: it logs in as Bo, and only as Bo.
    bo = server.key("bo")
    conn, chan, screen = await open_session(server.port, "bo", key=bo)
    await screen.wait_for(FIRST_STEP.encode())
    await leave(server, conn, "Bo")
    assert started(server, "Bo") == 1
    conn, chan, screen = await open_session(server.port, "dora", key=bo)
    await screen.wait_for(b"This key belongs to Bo")
    conn.close()
    conn, chan, screen = await open_session(server.port, "bo", password=PASSCODE)
    await screen.wait_for(b"Bo joins with their own SSH key")
    conn.close()

    # ada's key (from --authorized-keys) is bound to the first name it uses.
    ada = server.key("ada")
    conn, chan, screen = await open_session(server.port, "dora", key=ada)
    await screen.wait_for(FIRST_STEP.encode())
    await leave(server, conn, "dora")
    conn, chan, screen = await open_session(server.port, "ada", key=ada)
    await screen.wait_for(b"This key belongs to dora")
    conn.close()
    conn, chan, screen = await open_session(server.port, "guest", key=ada)  # a key needs no name
    await screen.wait_for(FIRST_STEP.encode())
    await leave(server, conn, "dora")
    assert started(server, "dora") == 2

    # The coach releases Carol: the next Carol chooses a new PIN.
    released = subprocess.run(
        [FORMATIVE, "workshop", "release", str(server.workshop), "carol"],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert "Released Carol" in released.stdout
    conn, chan, screen = await open_session(server.port, "carol", password=PASSCODE)
    await screen.wait_for(b"Choose a PIN")
    chan.write(b"heron-9\rheron-9\r")
    await screen.wait_for(FIRST_STEP.encode())
    await leave(server, conn, "Carol")

    # Printed codes: the coach replaces Carol's PIN with a code on a slip; the code lets her in.
    codes = subprocess.run(
        [FORMATIVE, "workshop", "codes", str(server.workshop), "--replace"],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    line = next(line for line in codes.stdout.splitlines() if "Carol" in line)
    code = line.split("code:")[1].strip()
    assert "Bo" in codes.stderr  # Bo joins with his key: no code
    conn, chan, screen = await open_session(server.port, "carol", password=PASSCODE)
    await screen.wait_for(b"PIN for Carol")
    chan.write(code.encode() + b"\r")
    await screen.wait_for(FIRST_STEP.encode())
    await leave(server, conn, "Carol")
    people_file = server.workshop / ".formative" / "people.toml"
    assert stat.S_IMODE(people_file.stat().st_mode) == 0o600


# Guessing and stalling ------------------------------------------------------------------------------


async def wrong_passcode(port: int, source: str) -> str:
    try:
        conn = await asyncio.wait_for(
            asyncssh.connect(
                "127.0.0.1",
                port,
                local_addr=(source, 0),
                username="mallory",
                password="not-the-passcode",
                client_keys=None,
                agent_path=None,
                known_hosts=None,
                preferred_auth="password",
            ),
            60,
        )
    except asyncssh.PermissionDenied:
        return "denied"
    except (OSError, asyncssh.Error):
        return "refused"
    conn.close()
    return "admitted"


async def test_wrong_passcodes_wait_longer_each_time_then_lock_the_address_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    limits = Limits(
        first_delay=0.1, max_delay=0.8, lockout_after=5, lockout_seconds=60
    )  # short: the doubling, cap and lockout are what count
    delays = [0.1, 0.2, 0.4, 0.8, 0.8]
    async with local_server(tmp_path, limits=limits) as server:
        begun = time.monotonic()
        outcomes = [await wrong_passcode(server.port, "127.0.0.5") for _ in delays]
        elapsed = time.monotonic() - begun
        assert outcomes == ["denied"] * len(delays)
        assert elapsed >= sum(delays) * 0.95, f"{len(delays)} wrong passcodes took only {elapsed:.2f} s"
        assert await wrong_passcode(server.port, "127.0.0.5") == "refused"  # locked out: not even asked
        with pytest.raises((OSError, asyncssh.Error)):
            await open_session(server.port, "ada", password=PASSCODE, source="127.0.0.5")
        conn, _, screen = await open_session(server.port, "ada", password=PASSCODE)  # another address
        await screen.wait_for(b"Choose a PIN")
        conn.close()

        # Many connections from one address at once gain nothing: one answer per delay.
        begun = time.monotonic()
        outcomes = await asyncio.gather(*(wrong_passcode(server.port, "127.0.0.6") for _ in range(4)))
        parallel = time.monotonic() - begun
        assert outcomes == ["denied"] * 4
        assert parallel >= (0.1 + 0.2 + 0.4 + 0.8) * 0.95, f"4 parallel guesses took only {parallel:.2f} s"
    log = capsys.readouterr().err
    assert log.count("failed passcode from 127.0.0.5") == len(delays)
    assert "locked out 127.0.0.5" in log
    assert "refused 127.0.0.5" in log
    print(
        f"\nguess rate: {len(delays)} wrong passcodes in {elapsed:.2f} s ({len(delays) / elapsed:.2f}/s) "
        f"with delays {delays}, then locked out; 4 parallel guesses from one address: {parallel:.2f} s"
    )


async def test_stalled_logins_do_not_keep_the_room_out(tmp_path: Path) -> None:
    """45 logins from one address stall at the passcode prompt; a real participant still comes in."""
    make_keys(tmp_path / "keys", "ada")
    (tmp_path / "keys" / "authorized_keys").write_text((tmp_path / "keys" / "ada.pub").read_text())
    server = start_server(
        tmp_path, "--authorized-keys", str(tmp_path / "keys" / "authorized_keys"), "--passcode", PASSCODE
    )
    stalls = [asyncio.ensure_future(stall(server.port, "127.0.0.2")) for _ in range(45)]
    try:
        await asyncio.wait(stalls, timeout=10, return_when=asyncio.FIRST_COMPLETED)
        deadline = time.monotonic() + 10
        while sum(task.done() for task in stalls) < 39 and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        turned_away = sorted(task.result() for task in stalls if task.done())
        assert len(turned_away) >= 39, f"only {len(turned_away)} of 45 stalled logins were turned away"
        begun = time.monotonic()
        conn, _, screen = await open_session(server.port, "ada", key=server.key("ada"))
        await screen.wait_for(FIRST_STEP.encode())
        joined = time.monotonic() - begun
        conn.close()
    finally:
        for task in stalls:
            task.cancel()
        stop_server(server)
    log = server.log_text()
    assert log.count("too many logins in progress from 127.0.0.2") >= 39
    median = turned_away[len(turned_away) // 2] * 1000
    print(
        f"\n45 stalled logins: {len(turned_away)} turned away, median in {median:.0f} ms;"
        f" a real participant saw the first screen in {joined:.2f} s"
    )


async def test_a_stalled_login_and_a_silent_name_prompt_time_out(tmp_path: Path) -> None:
    async with local_server(tmp_path, login_timeout=1.0, prompt_timeout=1.5) as server:
        held = await asyncio.wait_for(stall(server.port, "127.0.0.3"), 15)
        assert held < 5, f"a stalled login was held {held:.1f} s"
        conn, _, screen = await open_session(server.port, "guest", password=PASSCODE)
        await screen.wait_for(b"Your name")
        await asyncio.wait_for(screen.closed.wait(), 10)
        assert b"Time is up" in screen.output
        conn.close()
        # Logged in but no session at all (ssh -N): the connection is cut too.
        idle = await asyncssh.connect(
            "127.0.0.1",
            server.port,
            username="ada",
            password=PASSCODE,
            client_keys=None,
            agent_path=None,
            known_hosts=None,
            preferred_auth="password",
        )
        await asyncio.wait_for(idle.wait_closed(), 10)
    print(f"\na stalled login was dropped after {held:.2f} s (login timeout 1 s in this test; 30 s by default)")


async def test_a_second_session_on_one_connection_is_refused(tmp_path: Path) -> None:
    """A multiplexing client (ssh -M, or a library) opens one session per login: one app, one seat."""
    async with local_server(tmp_path) as server:
        conn, chan, screen = await open_session(server.port, "guest", password=PASSCODE)
        await screen.wait_for(b"Your name")
        with pytest.raises(asyncssh.ChannelOpenError):
            await asyncio.wait_for(conn.create_session(Screen, term_type="xterm", encoding=None), 10)
        assert not screen.closed.is_set(), "refusing the second session ended the first"
        chan.write(b"Dora\r")
        await screen.wait_for(b"Choose a PIN")
        conn.close()
        await asyncio.wait_for(screen.closed.wait(), 10)


# Huge terminals ---------------------------------------------------------------------------------


async def test_a_huge_terminal_is_clamped_and_memory_stays_bounded(contained: Server) -> None:
    """On the contained server, as bo (a key of their own): bo's app, measured while it runs."""
    server = contained
    conn, chan, screen = await open_session(server.port, "bo", key=server.key("bo"), size=(30000, 30000))
    try:
        await screen.wait_for(FIRST_STEP.encode(), timeout=30)
        pid = server.app_pid("bo")
        assert terminal_size(pid) == MAX_SIZE
        chan.change_terminal_size(3, 1)
        await _until(lambda: terminal_size(pid) == MIN_SIZE, "the tiny size clamped")
        chan.change_terminal_size(30000, 30000)
        await _until(lambda: terminal_size(pid) == MAX_SIZE, "the huge resize clamped")
        app_peak = server_peak = 0.0
        for _ in range(20):
            app_peak = max(app_peak, rss_mib(pid))
            server_peak = max(server_peak, rss_mib(server.process.pid))
            await asyncio.sleep(0.25)
        limits = Path(f"/proc/{pid}/limits").read_text()
    finally:
        conn.close()
    assert app_peak < 300 and server_peak < 200, (app_peak, server_peak)
    data_limit = next(line for line in limits.splitlines() if line.startswith("Max data size"))
    assert str(512 * 1024 * 1024) in data_limit
    print(f"\n30000x30000 pty: app sees {MAX_SIZE}, app RSS peak {app_peak:.0f} MiB, server {server_peak:.0f} MiB")


async def _until(check: object, what: str, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not (check() if callable(check) else check):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout}s")
        await asyncio.sleep(0.05)


# Crashes -----------------------------------------------------------------------------------------


async def test_a_crash_shows_an_apology_and_logs_the_traceback(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    crashing = FreshSpawner(entry=[sys.executable, str(Path(__file__).with_name("crashing_participant.py"))])
    async with local_server(tmp_path, passcode=None, allow_anonymous=True, spawner=crashing) as server:
        conn, chan, screen = await open_session(server.port, "ada")
        await screen.wait_for(b"Choose a PIN")
        chan.write(b"crash-pin\rcrash-pin\r")
        await screen.wait_for(FIRST_STEP.encode(), timeout=30)
        chan.write(b"kept")
        answers = server.workshop / "answers" / "ada.toml"
        await _until(lambda: answers.exists() and "kept" in answers.read_text(), "the answer saved")
        chan.write(F1)
        await screen.wait_for(APOLOGY.encode(), timeout=20)
        await asyncio.wait_for(screen.closed.wait(), 10)
        conn.close()
    shown = bytes(screen.output)
    assert b"Traceback" not in shown and b"injected crash" not in shown and str(tmp_path).encode() not in shown
    log = capfd.readouterr().err
    assert "crashed:" in log and "Traceback" in log and "injected crash for the test" in log
    assert "kept" in answers.read_text()


def test_the_abuse_benchmark_runs_in_its_tiny_mode() -> None:
    """benchmarks/ssh_abuse.py prints its three figures (the full run is for the closing note)."""
    script = Path(__file__).parents[2] / "benchmarks" / "ssh_abuse.py"
    done = subprocess.run(
        [sys.executable, str(script), "--tiny"], capture_output=True, text=True, timeout=150, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "guess rate: {" in done.stdout and "'checked': " in done.stdout
    assert "'app_terminal': '500x200'" in done.stdout
    assert "'real_participant': 'first screen in" in done.stdout
