"""Both servers tell the coach's screen how to join: a private file while they run, gone when they stop."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from formative.workshop.serving import read_serving, serving_path
from tests.functional.ssh_server import PASSCODE, local_server
from tests.functional.web_client import WebServer


@pytest.mark.timeout(60)
async def test_serve_ssh_writes_its_file_while_it_runs(tmp_path: Path) -> None:
    async with local_server(tmp_path) as server:
        path = serving_path(server.workshop, "ssh")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        serving = read_serving(server.workshop)["ssh"]
        assert serving.address == f"ssh -t -p {server.port} YOURNAME@127.0.0.1"
        assert serving.passcode == PASSCODE
    assert not path.exists()
    assert read_serving(server.workshop) == {}


@pytest.mark.timeout(60)
def test_serve_web_writes_its_file_while_it_runs(tmp_path: Path) -> None:
    from formative.workshop.folder import create_workshop

    folder = tmp_path / "ws"
    create_workshop(folder, "community-design-workshop", "Web room", ["Ada"])
    (tmp_path / "code.txt").write_text("otter-7\n", encoding="utf-8")
    server = WebServer(folder, tmp_path / "web.log", "--passcode-file", str(tmp_path / "code.txt"))
    try:
        serving = read_serving(folder)["web"]
        assert serving.address == f"http://127.0.0.1:{server.port}"
        assert serving.also == [f"http://localhost:{server.port}"]
        assert serving.passcode == "otter-7"
        assert stat.S_IMODE(serving_path(folder, "web").stat().st_mode) == 0o600
    finally:
        server.stop()
    assert read_serving(folder) == {}
