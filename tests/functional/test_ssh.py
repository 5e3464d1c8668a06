"""`formative serve ssh` against the real OpenSSH client, typed at in tmux.

The server runs as a real `formative serve ssh` process on 127.0.0.1 with a free
port, with an authorized-keys file (ada's key, not bo's) and a passcode. Every
client runs with a throwaway HOME and no config, so nothing of the developer's own
SSH set-up takes part.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.functional.ssh_server import FIRST_STEP, PASSCODE, Server, free_port, gone, start_server, stop_server
from tests.functional.tmux import FORMATIVE, Pane, have_tmux

pytestmark = [
    pytest.mark.skipif(not have_tmux(), reason="tmux is not installed (.ci/run installs it)"),
    pytest.mark.skipif(shutil.which("ssh") is None, reason="ssh is not installed (.ci/run installs openssh-client)"),
    pytest.mark.timeout(180),
]

ANSWER_FILE = "{}.toml"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("ssh")
    keys = root / "keys"
    running = start_server(
        root, "--authorized-keys", str(keys / "authorized_keys"), "--passcode-file", str(keys / "passcode")
    )
    yield running
    stop_server(running)


@pytest.fixture
def panes() -> Iterator[list[Pane]]:
    opened: list[Pane] = []
    yield opened
    for pane in opened:
        pane.close()


def connect(server: Server, panes: list[Pane], command: list[str], width: int = 80, height: int = 24) -> Pane:
    pane = Pane(command, {"HOME": str(server.home), "TERM": "xterm-256color"}, width, height)
    panes.append(pane)
    return pane


def wait_for_file_text(path: Path, text: str, timeout: float = 15) -> str:
    deadline = time.monotonic() + timeout
    content = ""
    while time.monotonic() < deadline:
        with contextlib.suppress(FileNotFoundError):
            content = path.read_text(encoding="utf-8")
        if text in content:
            return content
        time.sleep(0.1)
    raise AssertionError(f"{text!r} was not saved to {path} within {timeout}s:\n{content}")


def test_key_answer_resize_drop_then_resume(server: Server, panes: list[Pane]) -> None:
    """ada connects with her key, answers, resizes, loses the connection, comes back."""
    pane = connect(server, panes, server.ssh("ada", "-t"), width=100, height=40)
    pane.wait_for(FIRST_STEP)
    pid = server.app_pid("ada")
    pane.type("zesty")
    pane.wait_for("zesty")
    assert any("← Back" in line and len(line.rstrip()) > 60 for line in pane.screen().splitlines())

    pane.resize(50, 20)
    pane.wait_until(
        lambda s: (
            any("← Back" in line and line.rstrip().endswith("Next →") for line in s.splitlines())
            and all(len(line.rstrip()) <= 50 for line in s.splitlines())
        ),
        "the app re-laying itself out for 50 columns (Next → at the new right edge)",
    )

    os.kill(pane.pid(), signal.SIGKILL)  # the ssh client dies: the connection drops mid-answer
    content = wait_for_file_text(server.workshop / "answers" / ANSWER_FILE.format("ada"), 'from = "zesty"')
    assert 'person = "ada"' in content
    deadline = time.monotonic() + 10
    while not gone(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert gone(pid), f"the app {pid} outlived its connection"

    again = connect(server, panes, server.ssh("ada", "-t"), width=100, height=40)
    again.wait_for("Step 2 of")  # resumed after the answered step
    assert server.app_pid("ada", after=1) != pid
    again.keys("C-b")
    again.wait_for(FIRST_STEP)
    again.wait_for("zesty")


def test_refused_without_credentials(server: Server) -> None:
    """No key at all, or a key not in the authorized-keys file: refused, and no app runs."""
    before = server.log_text().count("started app")
    for key in (None, "bo"):
        done = server.run_ssh("bo", "-tt", "-o", "BatchMode=yes", key=key)
        assert done.returncode == 255, done
        assert "Permission denied" in done.stderr
    assert server.log_text().count("started app") == before


def test_commands_are_refused(server: Server) -> None:
    done = server.run_ssh("ada", command=("cat", "/etc/passwd"))
    assert done.returncode == 1
    assert "no commands" in done.stderr
    assert "root:" not in done.stdout


def test_no_terminal_is_refused_with_advice(server: Server) -> None:
    done = server.run_ssh("ada", "-T")
    assert done.returncode == 1
    assert "ssh -t" in done.stderr


def test_sftp_and_forwarding_are_refused(server: Server) -> None:
    sftp = server.run_ssh("ada", "-s", "-o", "BatchMode=yes", command=("sftp",))
    assert sftp.returncode != 0
    remote = server.run_ssh("ada", "-N", "-o", "ExitOnForwardFailure=yes", "-R", "0:127.0.0.1:22")
    assert remote.returncode == 255
    assert "forwarding failed" in remote.stderr
    tunnel = server.run_ssh("ada", "-W", "127.0.0.1:22")
    assert tunnel.returncode == 255
    assert "forwarding failed" in tunnel.stderr


def open_files(pid: int) -> dict[str, bool]:
    """{path: open for writing} for what pid holds open; an fd closed while we look is skipped."""
    paths = {}
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            flags = int(Path(f"/proc/{pid}/fdinfo/{fd}").read_text().split("flags:")[1].split()[0], 8)
            path = os.readlink(f"/proc/{pid}/fd/{fd}")
        except FileNotFoundError:
            continue
        paths[path] = paths.get(path, False) or bool(flags & (os.O_WRONLY | os.O_RDWR))
    return paths


def test_participant_reaches_only_their_own_file(server: Server, panes: list[Pane]) -> None:
    """ada's app writes ada's file only; bo's is untouched; a second ada session gets the lock message."""
    answers = server.workshop / "answers"
    answers.mkdir(exist_ok=True)
    bo_file = answers / ANSWER_FILE.format("bo")
    bo_file.write_text('[formative]\nformat = 1\nworkbook = "community-design-workshop"\nperson = "bo"\n')
    before = bo_file.read_bytes()

    first = connect(server, panes, server.ssh("Ada", "-t"))
    first.wait_for("Step ")
    pid = server.app_pid("ada")  # her key was bound to "ada" when she first came in
    held = open_files(pid)
    assert held.get(str(answers / ".ada.toml.lock")), held  # the lock on her answers
    # Anything else she writes, or reads among the answers, is hers: her presence file or answers
    # being written (name.toml.PID.tmp). Reading the room's own files (workshop.toml) is allowed.
    mine = [
        path for path, writing in held.items() if path.startswith(str(answers) if not writing else str(server.workshop))
    ]
    assert all(Path(path).name.startswith((".ada.toml", "ada.toml")) for path in mine), held
    second = connect(server, panes, server.ssh("ada", "-t"))
    second.wait_for("These answers are open elsewhere")
    screen = second.wait_for("already open in another window")
    assert "process" not in screen and " of " not in screen.split("elsewhere", 1)[1]  # no pid, user or host

    assert bo_file.read_bytes() == before
    names = {p.name for p in answers.glob("*.toml")}
    assert names <= {ANSWER_FILE.format("ada"), ANSWER_FILE.format("bo"), ANSWER_FILE.format("cy")}


@pytest.mark.skipif(shutil.which("sshpass") is None, reason="sshpass is not installed (.ci/run installs it)")
def test_passcode_and_name_prompt(server: Server, panes: list[Pane]) -> None:
    """A generic user name with the passcode: the server asks the name, and the file is theirs."""
    wrong = subprocess.run(
        ["sshpass", "-P", "Passcode", "-p", "not-it", *server.ssh("guest", "-tt", key=None)],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "HOME": str(server.home)},
        check=False,
    )
    assert wrong.returncode != 0
    pane = connect(
        server, panes, ["sshpass", "-P", "Passcode", "-p", PASSCODE, *server.ssh("guest", "-t", key=None)], 100, 40
    )
    pane.wait_for("Your name")
    pane.type("Cyx")
    pane.keys("BSpace")
    pane.keys("Enter")
    pane.wait_for("Choose a PIN")
    pane.type("tide-pool")
    pane.keys("Enter")
    pane.wait_for("again")
    assert "tide-pool" not in pane.screen()  # typed masked
    pane.type("tide-pool")
    pane.keys("Enter")
    pane.wait_for(FIRST_STEP)
    pane.type("buoyant")
    pane.wait_for("buoyant")
    os.kill(pane.pid(), signal.SIGKILL)
    content = wait_for_file_text(server.workshop / "answers" / ANSWER_FILE.format("cy"), 'from = "buoyant"')
    assert 'person = "Cy"' in content


def test_anonymous_only_when_asked_and_the_connection_limit(tmp_path: Path, panes: list[Pane]) -> None:
    refused = subprocess.run(
        [FORMATIVE, "serve", "ssh", str(tmp_path), "--port", str(free_port())],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert refused.returncode == 1
    assert "--allow-anonymous" in refused.stderr

    server = start_server(tmp_path, "--allow-anonymous", "--max-connections", "1", "--spawn", "fresh")
    try:
        first = connect(server, panes, server.ssh("dee", "-t", key=None))
        first.wait_for("Choose a PIN", timeout=30)  # anonymous still means one person per name
        first.type("dee-pin")
        first.keys("Enter")
        first.type("dee-pin")
        first.keys("Enter")
        first.wait_for(FIRST_STEP, timeout=30)
        full = server.run_ssh("eve", "-tt", key=None)
        assert full.returncode == 1
        assert "workshop is full" in full.stdout + full.stderr
    finally:
        stop_server(server)
    assert "stopping: asked 1 app(s) to save and exit" in server.log_text()
    assert (server.workshop / ".formative" / "ssh_host_ed25519_key").stat().st_mode & 0o777 == 0o600


def test_the_cli_does_not_import_asyncssh_or_textual() -> None:
    script = (
        "import sys, formative.cli; print(sorted(m for m in sys.modules if m.split('.')[0] in ('asyncssh', 'textual')))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "[]"


def test_the_host_key_is_private_and_ignored_by_git(server: Server) -> None:
    """`serve ssh` keeps its key in WORKSHOP/.formative (0700), which ignores itself in git,
    so committing the workshop folder never publishes the key, with or without a .gitignore."""
    state = server.workshop / ".formative"
    assert state.stat().st_mode & 0o777 == 0o700
    assert (state / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    if shutil.which("git") is None:
        return
    (server.workshop / ".gitignore").rename(server.workshop / "gitignore.aside")  # as in an older folder
    try:
        subprocess.run(["git", "init", "-q"], cwd=server.workshop, check=True, timeout=30)
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=all"],
            cwd=server.workshop,
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout
    finally:
        (server.workshop / "gitignore.aside").rename(server.workshop / ".gitignore")
        shutil.rmtree(server.workshop / ".git", ignore_errors=True)
    assert "workshop.toml" in status and ".formative" not in status
