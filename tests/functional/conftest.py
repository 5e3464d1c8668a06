"""A `formative serve web` shared by the web tests that need no option of their own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from formative.workshop.folder import create_workshop
from tests.functional.web_client import SharedWebServer, WebServer


@pytest.fixture(scope="session")
def _web_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[WebServer, Path]]:
    """Started once per test worker, on first use: 127.0.0.1, no passcode, the bundled workshop workbook."""
    root = tmp_path_factory.mktemp("shared-web")
    workshop = root / "workshop"
    create_workshop(workshop, "community-design-workshop", "Thursday circle", [])
    server = WebServer(workshop, root / "server.log")
    try:
        yield server, workshop
    finally:
        server.stop()


@pytest.fixture
def shared_web(_web_server: tuple[WebServer, Path]) -> SharedWebServer:
    """The shared server once it is idle; the test must use names (and so answer files) of its own."""
    return SharedWebServer(*_web_server)
