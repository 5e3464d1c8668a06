"""The serving files: written private, read back, ignored when their server is gone."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from formative.serve.joining import ssh_line, ssh_serving, web_serving
from formative.serve.web_origins import allowed_origins
from formative.workshop.serving import Serving, read_serving, remove_serving, serving_path, write_serving


def test_written_private_and_read_back(tmp_path: Path) -> None:
    serving_path(tmp_path, "ssh").parent.mkdir(mode=0o755)
    old = serving_path(tmp_path, "ssh")
    old.write_text("address = 'old'\npid = 1\n", encoding="utf-8")
    old.chmod(0o644)
    serving = Serving("ssh", "ssh -t -p 2222 YOURNAME@10.0.0.5", ["ssh -t -p 2222 YOURNAME@box.local"], "otter", 0)
    path = write_serving(tmp_path, serving)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600, "an older, readable file is replaced by a private one"
    found = read_serving(tmp_path)["ssh"]
    assert found.address == serving.address and found.also == serving.also and found.passcode == "otter"
    assert found.pid == os.getpid()
    remove_serving(tmp_path, "ssh")
    assert read_serving(tmp_path) == {}


def test_a_killed_servers_file_is_ignored_and_not_removed_by_another(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    write_serving(tmp_path, Serving("web", "http://127.0.0.1:8000", [], None, pid))
    assert read_serving(tmp_path) == {}
    remove_serving(tmp_path, "web")  # not ours: left alone
    assert serving_path(tmp_path, "web").exists()


def test_broken_files_are_ignored(tmp_path: Path) -> None:
    path = serving_path(tmp_path, "ssh")
    path.parent.mkdir()
    path.write_text("address = [", encoding="utf-8")
    assert read_serving(tmp_path) == {}
    os.mkfifo(serving_path(tmp_path, "web"))
    assert read_serving(tmp_path) == {}


def test_the_room_gets_lines_it_can_type() -> None:
    assert ssh_line(2222, "10.0.0.5") == "ssh -t -p 2222 YOURNAME@10.0.0.5"
    assert ssh_line(22, "10.0.0.5") == "ssh -t YOURNAME@10.0.0.5"
    assert ssh_serving("127.0.0.1", 2222, None).address == "ssh -t -p 2222 YOURNAME@127.0.0.1"
    origins = allowed_origins("0.0.0.0", 8000, None, addresses=lambda: ["192.168.1.20", "fe80::1", "box.local"])
    web = web_serving(origins, "otter")
    assert web.address == "http://192.168.1.20:8000"
    assert web.also == ["http://box.local:8000"], "no IPv6 and no loopback names for the room"
    assert web.passcode == "otter"
