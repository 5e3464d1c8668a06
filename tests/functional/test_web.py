"""`formative serve web` end to end: the real server, a real headless Chromium, an answer on disk."""

from __future__ import annotations

import http.client
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from formative.cli import cli
from formative.serve.web import is_loopback
from formative.workshop.folder import create_workshop
from tests.functional.browser import ENTER, Browser, have_chromium
from tests.functional.web_client import FIRST_KEY_PAUSE, SharedWebServer, WebServer, alive, arriving, wait_until

SCREENSHOT_DIR = os.environ.get("FORMATIVE_SCREENSHOTS")
"""Set to a folder to keep the browser's screenshots for a person to look at."""

PASSCODE = "tangerine-orbit-42"


@pytest.fixture
def workshop(tmp_path: Path) -> Path:
    folder = tmp_path / "workshop"
    create_workshop(folder, "community-design-workshop", "Thursday circle", [])
    return folder


@pytest.fixture
def passcode_file(tmp_path: Path) -> Path:
    path = tmp_path / "passcode"
    path.write_text(PASSCODE + "\n", encoding="utf-8")
    return path


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    return Path(SCREENSHOT_DIR) if SCREENSHOT_DIR else tmp_path


@pytest.fixture
def servers() -> Iterator[list[WebServer]]:
    started: list[WebServer] = []
    yield started
    for server in started:
        server.stop()


@pytest.fixture(scope="module")
def _chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """One Chromium for this module's browser tests (about 0.8 s of CPU to start each): its cookies
    are named by the server's port, and every test here starts a server of its own or uses a
    name of its own on the shared one."""
    folder = tmp_path_factory.mktemp("chromium")
    profile = folder / "chromium-profile"
    profile.mkdir()
    opened = Browser(profile, folder / "chromedriver.log")
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def browser(_chromium: Browser) -> Browser:
    _chromium.blank()
    return _chromium


NO_CHROMIUM = "chromium and chromedriver are not installed (.ci/run installs them)"
needs_chromium = pytest.mark.skipif(not have_chromium(), reason=NO_CHROMIUM)


def start_answer(browser: Browser, text: str) -> None:
    """Type the first answer on a fresh step: the first key, a pause, the rest (see web_client.FIRST_KEY_PAUSE)."""
    browser.type(text[0])
    time.sleep(FIRST_KEY_PAUSE)
    browser.type(text[1:])


def log_in_first_time(browser: Browser, name: str, pin: str, passcode: str | None = None) -> None:
    """What a new participant does on the login page: name, passcode, a new PIN, the PIN again."""
    browser.wait_for_page("Join the workshop")
    browser.fill("#name", name)
    if passcode is not None:
        browser.fill("#passcode", passcode)
    browser.fill("#pin", pin)
    browser.click("button[type=submit]")
    browser.wait_for_page("Type your new PIN again")
    browser.fill("#pin_again", pin)
    browser.click("button[type=submit]")


@needs_chromium
def test_browser_walk_through_login_page_app_answer_saved(
    servers: list[WebServer], browser: Browser, workshop: Path, tmp_path: Path, passcode_file: Path, shots: Path
) -> None:
    """You should see, in the screenshots: the login page (workshop title, name, passcode and PIN fields,
    a Join button) at phone and desktop width; the PIN confirmation; then the workshop's 'Getting
    everyone in' step with "hopeful" as where you join from."""
    options = ("--passcode-file", str(passcode_file))
    servers.append(server := WebServer(workshop, tmp_path / "server.log", *options))
    browser.viewport(390, 844, phone=True)
    browser.open(server.url)
    browser.wait_for_page("Join the workshop")
    assert browser.focused() == "name"
    browser.screenshot(shots / "web-login-phone.png")
    browser.viewport(1280, 800)
    browser.screenshot(shots / "web-login-desktop.png")

    browser.fill("#name", "Ana Web")
    browser.fill("#passcode", "a wrong guess")
    browser.fill("#pin", "2468")
    browser.click("button[type=submit]")
    browser.wait_for_page("not the workshop passcode")
    assert browser.focused() == "passcode"
    assert server.apps() == []
    browser.screenshot(shots / "web-login-wrong-passcode.png")

    browser.fill("#passcode", PASSCODE)
    browser.fill("#pin", "2468")
    browser.click("button[type=submit]")
    browser.wait_for_page("Type your new PIN again")
    browser.screenshot(shots / "web-login-confirm.png")
    assert server.apps() == []  # still no process: nobody is in yet
    browser.fill("#pin_again", "2468")
    browser.click("button[type=submit]")

    browser.wait_for_output("Getting everyone in")
    start_answer(browser, "hopeful")
    wait_until(lambda: arriving(workshop, "ana-web") == "hopeful", what="the answer on disk")
    browser.screenshot(shots / "web-answered.png")
    assert 'person = "Ana Web"' in (workshop / "answers" / "ana-web.toml").read_text(encoding="utf-8")

    browser.type(", calm")
    browser.wait_for_output("calm")
    server.stop()  # before the autosave: stopping the server must save every open app
    assert arriving(workshop, "ana-web") == "hopeful, calm"


@needs_chromium
def test_sigterm_to_a_browser_participants_app_saves_what_they_typed(
    shared_web: SharedWebServer, browser: Browser, shots: Path
) -> None:
    """You should see, in the screenshot: a dark page saying the session has ended and everything is saved,
    with an "Open it again" button."""
    server, workshop = shared_web, shared_web.workshop
    browser.open(server.url)
    log_in_first_time(browser, "Bo", "1357", shared_web.passcode)
    browser.wait_for_output("Getting everyone in")
    start_answer(browser, "typed then terminated")
    browser.wait_for_output("terminated")
    time.sleep(0.2)  # from the echo to the answer (see test_web_login.ECHO_TO_ANSWER); the autosave waits 0.6 s
    (app,) = server.apps()
    os.kill(app, signal.SIGTERM)
    wait_until(lambda: not alive(app), what="the app to exit")
    assert arriving(workshop, "bo") == "typed then terminated"
    browser.wait_for_page("Your session has ended")
    browser.screenshot(shots / "web-session-ended.png")


@needs_chromium
def test_returning_participant_needs_only_name_and_pin_and_nothing_is_on_command_lines(
    servers: list[WebServer], browser: Browser, workshop: Path, tmp_path: Path, passcode_file: Path
) -> None:
    options = ("--passcode-file", str(passcode_file))
    servers.append(server := WebServer(workshop, tmp_path / "server.log", *options))
    browser.open(server.url)
    log_in_first_time(browser, "Cleo Zuñiga", "cleo-pin", PASSCODE)
    browser.wait_for_output("Getting everyone in")
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes()
        except OSError:
            continue  # the process ended meanwhile
        assert PASSCODE.encode() not in text, f"passcode visible in {cmdline}"
        assert "Zuñiga".encode() not in text, f"name visible in {cmdline}"
        assert b"cleo-pin" not in text
    start_answer(browser, "here" + ENTER)
    # On disk before the server stops: "here" is on the screen already ("Where are you joining from").
    wait_until(lambda: arriving(workshop, "cleo-zuñiga") == "here", what="the answer on disk")
    server.stop()

    servers.append(server := WebServer(workshop, tmp_path / "server2.log", *options))
    browser.open(server.url)  # a new server: the old session is void, the name stays Cleo's
    browser.wait_for_page("Join the workshop")
    browser.fill("#name", "cleo zuñiga")
    browser.fill("#passcode", PASSCODE)
    browser.fill("#pin", "cleo-pin")
    browser.click("button[type=submit]")
    browser.wait_for_output("Getting everyone in")
    assert arriving(workshop, "cleo-zuñiga") == "here"


def test_websocket_from_another_site_is_refused(shared_web: SharedWebServer) -> None:
    server = shared_web
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
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


def test_loopback_server_refuses_other_host_names(shared_web: SharedWebServer) -> None:
    """A page from a name rebound to 127.0.0.1 (DNS rebinding) is same-origin with itself: refuse the name."""
    server = shared_web
    for path in ("/", "/static/js/textual.js"):
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        connection.request("GET", path, headers={"Host": f"rebound.example:{server.port}"})
        assert connection.getresponse().status == 403, path
        connection.close()


def test_open_host_without_passcode_is_refused(workshop: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "web", str(workshop), "--host", "0.0.0.0"])
    assert result.exit_code != 0
    assert "--passcode" in result.output


def test_public_url_must_be_an_http_address(workshop: Path) -> None:
    for bad in ("ftp://room.example", "room.example", "https://room.example/some/path"):
        result = CliRunner().invoke(cli, ["serve", "web", str(workshop), "--public-url", bad])
        assert result.exit_code != 0
        assert "--public-url" in result.output


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
