"""A `formative serve web` shared by the web tests that need no option of their own.

It asks for a passcode, and its own environment holds secrets (SHARED_SECRETS): the
tests that check a passcode is needed, or that the apps' environment is allow-listed,
use it too."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from formative.workshop.folder import create_workshop
from tests.functional.web_client import SHARED_PASSCODE, SHARED_SECRETS, SharedWebServer, WebServer


@pytest.fixture(scope="session")
def _web_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[WebServer, Path]]:
    """Started once per test worker, on first use: 127.0.0.1, a passcode, the bundled workshop workbook."""
    root = tmp_path_factory.mktemp("shared-web")
    workshop = root / "workshop"
    create_workshop(workshop, "community-design-workshop", "Thursday circle", [])
    passcode = root / "passcode"
    passcode.write_text(SHARED_PASSCODE + "\n", encoding="utf-8")
    env = {**os.environ, **SHARED_SECRETS}
    server = WebServer(workshop, root / "server.log", "--passcode-file", str(passcode), env=env)
    try:
        yield server, workshop
    finally:
        server.stop()


@pytest.fixture
def shared_web(_web_server: tuple[WebServer, Path]) -> SharedWebServer:
    """The shared server once it is idle; the test must use names (and so answer files) of its own."""
    return SharedWebServer(*_web_server)
