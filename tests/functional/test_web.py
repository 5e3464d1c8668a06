"""`formative serve web` end to end: the real server, a real headless Chromium, an answer on disk."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from formative.cli import cli
from formative.serve.web import is_loopback
from formative.workshop.folder import create_workshop
from tests.functional.browser import ENTER, Browser, free_port, have_chromium, wait_for_http

SCREENSHOT_DIR = os.environ.get("FORMATIVE_SCREENSHOTS")
"""Set to a folder to keep the browser's screenshots for a person to look at."""


@pytest.fixture
def workshop(tmp_path: Path) -> Path:
    folder = tmp_path / "workshop"
    create_workshop(folder, "community-design-workshop", None, [])
    return folder


class WebServer:
    """`formative serve web` on a free loopback port, run as a coach would; stop() is bounded."""

    def __init__(self, workshop: Path, log: Path, *options: str) -> None:
        port = free_port()
        command = [sys.executable, "-m", "formative", "serve", "web", str(workshop), "--port", str(port), *options]
        self._log = log.open("wb")
        self.process = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)
        self.url = f"http://127.0.0.1:{port}/"
        wait_for_http(self.url)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log.close()


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[list[WebServer]]:
    started: list[WebServer] = []
    yield started
    for server in started:
        server.stop()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    profile = tmp_path / "chromium-profile"
    profile.mkdir()
    opened = Browser(profile, tmp_path / "chromedriver.log")
    try:
        yield opened
    finally:
        opened.close()


def arriving(workshop: Path) -> object:
    """The one participant's answer on the joining step ('where are you joining from'), or None before
    their file is written."""
    files = list((workshop / "answers").glob("*.toml"))
    if len(files) != 1:
        return None
    answers = tomllib.loads(files[0].read_text(encoding="utf-8")).get("answers", {})
    return answers.get("join", {}).get("from")


def wait_until(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


NO_CHROMIUM = "chromium and chromedriver are not installed (.ci/run installs them)"
needs_chromium = pytest.mark.skipif(not have_chromium(), reason=NO_CHROMIUM)


@needs_chromium
def test_browser_participant_names_themselves_answers_and_is_saved_on_stop(
    servers: list[WebServer], browser: Browser, workshop: Path, tmp_path: Path
) -> None:
    """You should see, in the screenshots: a centred box asking for your name with "Ana Web" typed,
    then the workshop's first step, 'Getting everyone in', with "hopeful" as where you join from."""
    shots = Path(SCREENSHOT_DIR) if SCREENSHOT_DIR else tmp_path
    server = WebServer(workshop, tmp_path / "server.log")
    servers.append(server)
    browser.open(server.url)
    browser.wait_for_output("Your name")
    browser.type("Ana Web")
    browser.screenshot(shots / "web-name.png")
    browser.type(ENTER)
    browser.wait_for_output("Getting everyone in")
    browser.type("hopeful")
    wait_until(lambda: arriving(workshop) == "hopeful")
    browser.screenshot(shots / "web-answered.png")
    (saved,) = (workshop / "answers").glob("*.toml")
    assert "Ana Web" in saved.read_text(encoding="utf-8")

    browser.type(", calm")
    browser.wait_for_output("calm")
    server.stop()  # before the autosave: stopping the server must save every open app
    assert arriving(workshop) == "hopeful, calm"


@needs_chromium
def test_passcode_is_asked_first_and_stays_off_command_lines(
    servers: list[WebServer], browser: Browser, workshop: Path, tmp_path: Path
) -> None:
    passcode = "tangerine-orbit-42"
    passcode_file = tmp_path / "passcode"
    passcode_file.write_text(passcode + "\n", encoding="utf-8")
    servers.append(server := WebServer(workshop, tmp_path / "server.log", "--passcode-file", str(passcode_file)))
    browser.open(server.url)
    browser.wait_for_output("Workshop passcode")
    browser.type("guess" + ENTER)
    browser.wait_for_output("not the passcode")
    browser.screenshot((Path(SCREENSHOT_DIR) if SCREENSHOT_DIR else tmp_path) / "web-passcode.png")
    assert "Your name" not in browser.output()
    browser.type(passcode + ENTER)
    browser.wait_for_output("Your name")
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            assert passcode.encode() not in cmdline.read_bytes(), f"passcode visible in {cmdline}"
        except OSError:
            continue  # the process ended meanwhile
    browser.type("Bo" + ENTER)
    browser.wait_for_output("Getting everyone in")


def test_websocket_from_another_site_is_refused(servers: list[WebServer], workshop: Path, tmp_path: Path) -> None:
    servers.append(server := WebServer(workshop, tmp_path / "server.log"))
    connection = http.client.HTTPConnection("127.0.0.1", int(server.url.rsplit(":", 1)[1].strip("/")), timeout=10)
    headers = {
        "Upgrade": "websocket",
        "Connection": "Upgrade",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version": "13",
        "Origin": "http://attacker.example",
    }
    connection.request("GET", "/ws?width=80&height=24", headers=headers)
    assert connection.getresponse().status == 403
    connection.close()


def test_loopback_server_refuses_other_host_names(servers: list[WebServer], workshop: Path, tmp_path: Path) -> None:
    """A page from a name rebound to 127.0.0.1 (DNS rebinding) is same-origin with itself: refuse the name."""
    servers.append(server := WebServer(workshop, tmp_path / "server.log"))
    port = int(server.url.rsplit(":", 1)[1].strip("/"))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/", headers={"Host": f"rebound.example:{port}"})
    assert connection.getresponse().status == 403
    connection.close()


def test_open_host_without_passcode_is_refused(workshop: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "web", str(workshop), "--host", "0.0.0.0"])
    assert result.exit_code != 0
    assert "--passcode" in result.output


def test_passcode_file_must_not_be_empty(workshop: Path, tmp_path: Path) -> None:
    empty = tmp_path / "passcode"
    empty.write_text("\n", encoding="utf-8")
    options = ["--host", "0.0.0.0", "--passcode-file", str(empty)]
    result = CliRunner().invoke(cli, ["serve", "web", str(workshop), *options])
    assert result.exit_code != 0
    assert "empty" in result.output


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("localhost", True), ("::1", True), ("0.0.0.0", False), ("192.168.1.5", False), ("", False)],
)
def test_which_hosts_need_a_passcode(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
