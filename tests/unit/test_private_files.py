"""Answers stay private on a shared machine, and secrets stay out of git.

New answer files and lock files are 0600, folders Formative makes for answers 0700;
what already exists keeps its owner's mode. A workshop folder ignores lock files,
temporary files and .formative/ (the SSH host key), checked with real git.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from formative.answers import AnswerStore
from formative.answers.atomic import atomic_write_text
from formative.cli import cli
from formative.serve.hostkey import default_host_key_path, load_or_create_host_key
from formative.session import Session
from formative.workbook.model import Workbook
from formative.workshop.folder import Workshop, create_workshop, state_folder, write_gitignore
from formative.workshop.participant import open_participant


@pytest.fixture(autouse=True)
def usual_umask() -> object:
    """The modes below are what Formative asks for; a umask of 022 (the usual one) keeps them."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_answer_file_is_private(tmp_path: Path, starter: Workbook) -> None:
    path = tmp_path / "a.toml"
    with AnswerStore.open(path, starter) as store:
        store.set("welcome", "name", "Ada")
        assert mode(path.with_name(".a.toml.lock")) == 0o600, "the lock file names its holder: private too"
        store.save()
    assert mode(path) == 0o600


def test_an_existing_answer_file_keeps_its_mode(tmp_path: Path, starter: Workbook) -> None:
    path = tmp_path / "a.toml"
    with AnswerStore.open(path, starter) as store:
        store.set("welcome", "name", "Ada")
        store.save()
    path.chmod(0o640)  # the owner's choice, e.g. to share with a group
    with AnswerStore.open(path, starter) as store:
        store.set("welcome", "name", "Ada Lovelace")
        store.save()
    assert mode(path) == 0o640


def test_a_stale_temp_file_does_not_lend_its_mode(tmp_path: Path) -> None:
    """A crash can leave .a.toml.PID.tmp behind; the next write must not inherit its 0666."""
    path = tmp_path / "a.toml"
    stale = tmp_path / f".a.toml.{os.getpid()}.tmp"
    stale.write_text("old", encoding="utf-8")
    stale.chmod(0o666)
    atomic_write_text(path, "new = 1\n")
    assert mode(path) == 0o600 and not stale.exists()


def test_the_answers_folder_formative_makes_is_private(tmp_path: Path) -> None:
    answers = tmp_path / "home" / "formative-answers"
    session = Session.open("formative-community", answers)
    session.close()
    assert mode(answers) == 0o700


def test_an_existing_answers_folder_is_not_chmodded(tmp_path: Path) -> None:
    answers = tmp_path / "shared-answers"
    answers.mkdir()
    answers.chmod(0o755)
    session = Session.open("formative-community", answers)
    session.close()
    assert mode(answers) == 0o755


def test_a_new_workshop_has_a_private_answers_folder(tmp_path: Path) -> None:
    create_workshop(tmp_path / "ws", "community-design-workshop", None, ["Ada"])
    workshop = Workshop.open(tmp_path / "ws")
    assert mode(workshop.answers_dir) == 0o700
    assert mode(workshop.path) == 0o644, "workshop.toml holds no answers and is meant to be shared"
    session = open_participant(workshop, "Ada")
    try:
        session.set_answer(workshop.workbook.steps[1].id, "x", None)
        session.store.dirty = True
        session.save()
    finally:
        session.close()
    assert mode(workshop.answers_dir / "ada.toml") == 0o600


def test_the_state_folder_is_private_and_ignores_itself(tmp_path: Path) -> None:
    folder = state_folder(tmp_path)
    assert folder == tmp_path / ".formative" == default_host_key_path(tmp_path).parent
    assert mode(folder) == 0o700
    assert (folder / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    load_or_create_host_key(default_host_key_path(tmp_path))
    assert mode(default_host_key_path(tmp_path)) == 0o600


def test_workshop_new_writes_a_gitignore(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    result = CliRunner().invoke(cli, ["workshop", "new", "community-design-workshop", str(folder)])
    assert result.exit_code == 0, result.output
    assert ".gitignore" in result.output
    lines = (folder / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert {".*.lock", ".*.tmp", ".formative/"} <= set(lines)
    assert mode(folder / ".gitignore") == 0o644


def test_an_existing_gitignore_gains_only_the_missing_lines(tmp_path: Path) -> None:
    path = tmp_path / ".gitignore"
    path.write_text("notes/\n.*.lock", encoding="utf-8")
    write_gitignore(tmp_path)
    write_gitignore(tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[:2] == ["notes/", ".*.lock"]
    assert lines.count(".*.lock") == 1 and lines.count(".*.tmp") == 1 and lines.count(".formative/") == 1


def _git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=True).stdout


def _ignored(folder: Path) -> set[str]:
    """What `git status` leaves out of a commit, as paths."""
    out = _git(folder, "status", "--porcelain", "--ignored", "--untracked-files=all")
    return {line[3:] for line in out.splitlines() if line.startswith("!! ")}


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_git_commits_answers_but_not_locks_temp_files_or_the_host_key(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    CliRunner().invoke(cli, ["workshop", "new", "community-design-workshop", str(folder)], catch_exceptions=False)
    _git(folder, "init", "-q")
    (folder / "answers" / "ada.toml").write_text("[formative]\n", encoding="utf-8")
    (folder / "answers" / ".ada.toml.lock").write_text("process 1", encoding="utf-8")
    (folder / "answers" / ".ada.toml.123.tmp").write_text("half", encoding="utf-8")
    load_or_create_host_key(default_host_key_path(folder))
    ignored = _ignored(folder)
    assert "answers/.ada.toml.lock" in ignored and "answers/.ada.toml.123.tmp" in ignored
    assert ".formative/ssh_host_ed25519_key" in ignored
    assert "answers/ada.toml" not in ignored and "workshop.toml" not in ignored


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_an_older_workshop_without_gitignore_still_keeps_the_key_out(tmp_path: Path) -> None:
    """serve ssh calls state_folder: its own .gitignore hides the key, whatever the folder has."""
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "workshop.toml").write_text("# made before .gitignore files\n", encoding="utf-8")
    _git(folder, "init", "-q")
    state_folder(folder)
    load_or_create_host_key(default_host_key_path(folder))
    assert not (folder / ".gitignore").exists(), "the coach's own folder is not written to"
    out = _git(folder, "status", "--porcelain", "--untracked-files=all")
    assert ".formative" not in out and "workshop.toml" in out


def test_serve_ssh_refuses_a_fifo_passcode_file_at_once(tmp_path: Path) -> None:
    create_workshop(tmp_path / "ws", "community-design-workshop", None, [])
    fifo = tmp_path / "passcode.txt"
    os.mkfifo(fifo)
    result = CliRunner().invoke(cli, ["serve", "ssh", str(tmp_path / "ws"), "--passcode-file", str(fifo)])
    assert result.exit_code == 1
    assert "named pipe" in result.output


def test_a_fifo_host_key_is_refused(tmp_path: Path) -> None:
    from formative.serve.hostkey import HostKeyError

    key = tmp_path / "key"
    os.mkfifo(key, 0o600)
    with pytest.raises(HostKeyError, match="named pipe"):
        load_or_create_host_key(key)
