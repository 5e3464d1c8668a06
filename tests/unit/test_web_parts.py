"""The parts of `serve web` that need no server: origins, tokens, pages, the app's environment."""

from __future__ import annotations

import re

import pytest

from formative.serve.web_origins import Origin, allowed_origins, parse_host, parse_origin
from formative.serve.web_pages import app_page, confirm_page, login_page, message_page
from formative.serve.web_service import clamp_size, participant_web_env
from formative.serve.web_session import Signer


def test_loopback_origins_are_fixed_and_exact() -> None:
    origins = allowed_origins("127.0.0.1", 8000, None)
    assert str(origins.primary) == "http://127.0.0.1:8000"
    for ours in ("http://127.0.0.1:8000", "http://localhost:8000", "http://[::1]:8000", "HTTP://LOCALHOST:8000"):
        assert origins.allows(ours), ours
    for foreign in (
        "http://localhost:8001",
        "https://127.0.0.1:8000",
        "http://attacker.example",
        "http://127.0.0.1.attacker.example:8000",
        "null",
        "",
        None,
    ):
        assert not origins.allows(foreign), foreign


def test_host_headers_name_our_origin_or_nothing() -> None:
    origins = allowed_origins("127.0.0.1", 8000, "https://room.example.org")
    assert origins.for_host("127.0.0.1:8000") == Origin("http", "127.0.0.1", 8000)
    assert origins.for_host("room.example.org") == Origin("https", "room.example.org", 443)
    assert origins.for_host("Room.Example.Org.:443") == Origin("https", "room.example.org", 443)
    for foreign in ("rebound.example:8000", "localhost:9", "room.example.org:8000", "", "a@127.0.0.1:8000", "[::1"):
        assert origins.for_host(foreign) is None, foreign
    assert str(origins.primary) == "https://room.example.org"


def test_every_interface_accepts_the_machines_own_addresses_only() -> None:
    origins = allowed_origins("0.0.0.0", 8000, None, addresses=lambda: {"192.168.1.5", "laptop.local", "2001:db8::5"})
    assert str(origins.primary) == "http://192.168.1.5:8000"  # what the room types
    assert origins.allows("http://laptop.local:8000")
    assert origins.allows("http://[2001:db8::5]:8000")
    assert origins.for_host("192.168.1.5:8000") is not None
    assert origins.for_host("10.0.0.9:8000") is None
    assert not origins.allows("http://192.168.1.6:8000")


@pytest.mark.parametrize("bad", ["ftp://room.example", "room.example", "https://room.example/workshop", "http://"])
def test_public_url_must_be_an_origin(bad: str) -> None:
    with pytest.raises(ValueError, match="--public-url"):
        allowed_origins("127.0.0.1", 8000, bad)


def test_origin_and_host_parsing() -> None:
    assert parse_origin("http://[::1]:80") == Origin("http", "::1", 80)
    assert str(Origin("http", "::1", 80)) == "http://[::1]"
    assert parse_origin("http://x:99999") is None
    assert parse_host("127.0.0.1") == ("127.0.0.1", None)
    assert parse_host("127.0.0.1:8000/path") is None


def test_session_tokens_carry_name_and_expiry_and_cannot_be_changed() -> None:
    now = [1_000_000.0]
    signer = Signer(b"k" * 32, clock=lambda: now[0])
    token = signer.session("Ada", "stamp")
    session = signer.read_session(token)
    assert session is not None
    assert (session.name, session.stamp) == ("Ada", "stamp")
    assert signer.read_pending(token) is None  # a session is not a pending PIN, nor the reverse
    assert signer.read_session(signer.pending("Ada", "2468")) is None
    assert Signer(b"j" * 32, clock=lambda: now[0]).read_session(token) is None
    assert signer.read_session(token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]) is None
    for junk in ("", ".", "a.b.c", "!!!.???", "x" * 5000, None):
        assert signer.read_session(junk) is None
    now[0] += 12 * 3600 + 1
    assert signer.read_session(token) is None


def test_pending_pin_is_keyed_not_stored() -> None:
    signer = Signer(b"k" * 32)
    pending = signer.read_pending(signer.pending("Ada", "2468"))
    assert pending is not None
    assert pending.pin_mac is not None
    assert "2468" not in pending.pin_mac
    assert signer.same_pin("2468", pending.pin_mac)
    assert not signer.same_pin("2469", pending.pin_mac)


HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)> $name ${x}'


def test_pages_escape_everything_they_are_given() -> None:
    pages = [
        login_page(HOSTILE, asks_passcode=True, name=HOSTILE, problem=HOSTILE, field="pin"),
        confirm_page(HOSTILE, name=HOSTILE, pending=HOSTILE, twice=True, problem=HOSTILE),
        message_page(HOSTILE, HOSTILE, HOSTILE, HOSTILE),
        app_page(HOSTILE, HOSTILE, 16),
    ]
    for page in pages:
        assert "<script>" not in page
        assert "<img" not in page
        assert '"><script' not in page
        assert "&quot;&gt;&lt;script&gt;" in page
        assert "$name" in page  # user text is not a template either


def test_login_page_asks_for_the_passcode_only_when_there_is_one_and_focuses_the_field_to_fix() -> None:
    assert 'id="passcode"' not in login_page("Room", asks_passcode=False)
    page = login_page("Room", asks_passcode=True, name="Ada", problem="wrong", field="passcode")
    assert re.search(r'id="passcode"[^>]*autofocus', page)
    assert page.count("autofocus") == 1
    assert 'role="alert"' in page


def test_the_apps_environment_is_an_allow_list() -> None:
    built = {
        "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver",
        "COLUMNS": "80",
        "ROWS": "24",
        "LC_CTYPE": "en_GB.UTF-8",
        "HOME": "/home/coach",
        "PATH": "/usr/bin",
        "SSH_AUTH_SOCK": "/tmp/agent",
        "EDITOR": "vi",
        "FORMATIVE_WEB_PASSCODE": "secret",
    }
    env = participant_web_env(built, "Ada")
    assert env == {
        "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver",
        "COLUMNS": "80",
        "ROWS": "24",
        "LC_CTYPE": "en_GB.UTF-8",
        "LANG": "C.UTF-8",
        "FORMATIVE_PARTICIPANT": "Ada",
    }


def test_terminal_sizes_are_clamped() -> None:
    assert clamp_size(30000, 30000) == (500, 200)
    assert clamp_size(-5, 0) == (10, 5)
    assert clamp_size(80, 24) == (80, 24)
