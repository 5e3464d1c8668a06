"""Answers on two machines: with sync on, pull on start and push after a sitting, against a local bare repository.

A divergence (both sides moved) is reported and nothing is changed on either side.
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from formative.answers.git import SyncReport, pull, push, sync_root
from formative.cli import cli
from formative.session import Session
from formative.workbook.starter import starter_workbook
from tests.gitutil import git


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    path = tmp_path / "demo.toml"
    path.write_text(starter_workbook("demo", "Demo"), encoding="utf-8")
    return path


@pytest.fixture
def machines(demo: Path, tmp_path: Path) -> tuple[Path, Path, Path]:
    """(remote, here, there): a bare remote, this machine's answers (sync on), another machine's clone."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    here = tmp_path / "here"
    session = Session.open(demo, here)
    session.set_answer("welcome", "name", "Thursday circle")
    session.close()
    git(here, "remote", "add", "origin", str(remote))
    git(here, "push", "-q", "-u", "origin", "HEAD")
    result = CliRunner().invoke(cli, ["sync", "on", "--answers", str(here)])
    assert result.exit_code == 0, result.output
    there = tmp_path / "there"
    git(tmp_path, "clone", "-q", str(remote), str(there))
    return remote, here, there


def name_in(text: str) -> str:
    return str(tomllib.loads(text)["answers"]["welcome"]["name"])


def change_there(there: Path, name: str) -> None:
    path = there / "demo.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("Thursday circle", name), encoding="utf-8")
    git(there, "commit", "-qam", "from the other machine")
    git(there, "push", "-q")


def test_sync_on_is_kept_in_the_repository_s_own_config(machines: tuple[Path, Path, Path]) -> None:
    _, here, _ = machines
    assert git(here, "config", "--local", "--get", "formative.sync").strip() == "true"
    result = CliRunner().invoke(cli, ["sync", "--answers", str(here)])
    assert "Sync: on · upstream origin/" in result.output
    CliRunner().invoke(cli, ["sync", "off", "--answers", str(here)])
    assert git(here, "config", "--local", "--get", "formative.sync").strip() == "false"


def test_a_sitting_is_pushed_when_it_ends(demo: Path, machines: tuple[Path, Path, Path]) -> None:
    remote, here, _ = machines
    result = CliRunner().invoke(
        cli, ["run", str(demo), "--answers", str(here), "--plain"], input=":next\nSupper club\n.\n:quit\n"
    )
    assert result.exit_code == 0, result.output
    assert "Sent 1 commit to origin/" in result.output
    pushed = git(remote, "show", "HEAD:demo.toml")
    assert "Supper club" in pushed


def test_answers_from_the_other_machine_come_in_on_start(demo: Path, machines: tuple[Path, Path, Path]) -> None:
    _, here, there = machines
    change_there(there, "Renamed on the laptop")
    result = CliRunner().invoke(cli, ["run", str(demo), "--answers", str(here), "--plain"], input=":back\n:quit\n")
    assert result.exit_code == 0, result.output
    assert "Brought in 1 commit from origin/" in result.output
    assert "Current answer: Renamed on the laptop" in result.output
    assert name_in((here / "demo.toml").read_text(encoding="utf-8")) == "Renamed on the laptop"


def test_a_divergence_is_reported_and_nothing_is_lost(
    demo: Path, machines: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    remote, here, there = machines
    change_there(there, "Named there")
    session = Session.open(demo, here)  # this machine moves on too, offline
    session.set_answer("welcome", "name", "Named here")
    session.close()
    mine = git(here, "rev-parse", "HEAD").strip()
    theirs = git(remote, "rev-parse", "HEAD").strip()
    result = CliRunner().invoke(cli, ["sync", "now", "--answers", str(here)])
    assert result.exit_code == 1
    assert "both moved; nothing was changed" in result.output
    assert f"git -C {here} pull" in result.output
    assert git(here, "rev-parse", "HEAD").strip() == mine
    assert git(remote, "rev-parse", "HEAD").strip() == theirs
    assert name_in((here / "demo.toml").read_text(encoding="utf-8")) == "Named here"
    assert name_in(git(remote, "show", "HEAD:demo.toml")) == "Named there"
    run = CliRunner().invoke(cli, ["run", str(demo), "--answers", str(here), "--plain"], input=":back\n:quit\n")
    assert run.output.count("both moved") == 2  # on start and after the sitting, and the sitting still ran
    for report in (pull(here), push(here)):
        assert report.problem and f"Run `git -C {here.resolve()} pull` and resolve what differs" in (report.note or "")
    assert "Current answer: Named here" in run.output


def test_sync_on_without_an_upstream_says_how(demo: Path, tmp_path: Path) -> None:
    answers = tmp_path / "answers"
    Session.open(demo, answers).close()
    result = CliRunner().invoke(cli, ["sync", "on", "--answers", str(answers)])
    assert result.exit_code == 0
    assert "remote add origin URL" in result.output
    now = CliRunner().invoke(cli, ["sync", "now", "--answers", str(answers)])
    assert now.exit_code == 1


def test_sync_needs_a_repository(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    result = CliRunner().invoke(cli, ["sync", "on", "--answers", str(folder)])
    assert result.exit_code == 1
    assert "is not a git repository" in result.output


def test_pull_and_push_say_how_many_commits_they_moved(demo: Path, machines: tuple[Path, Path, Path]) -> None:
    _, here, there = machines
    branch = git(here, "rev-parse", "--abbrev-ref", "HEAD").strip()
    change_there(there, "Once")
    path = there / "demo.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("Once", "Twice"), encoding="utf-8")
    git(there, "commit", "-qam", "again from the other machine")
    git(there, "push", "-q")
    assert pull(here) == SyncReport(f"Brought in 2 commits from origin/{branch}.", changed=True)
    assert name_in((here / "demo.toml").read_text(encoding="utf-8")) == "Twice"
    assert pull(here) == SyncReport(), "nothing new: nothing to say"
    for name in ("Here once", "Here twice"):
        session = Session.open(demo, here)
        session.set_answer("welcome", "name", name)
        session.close()
    assert push(here) == SyncReport(f"Sent 2 commits to origin/{branch}.")
    assert push(here) == SyncReport()


def test_pull_and_push_without_an_upstream_or_a_remote_are_problems_that_change_nothing(
    demo: Path, machines: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    remote, here, _ = machines
    branch = git(here, "rev-parse", "--abbrev-ref", "HEAD").strip()
    head = git(here, "rev-parse", "HEAD").strip()
    shutil.rmtree(remote)
    pulled, pushed = pull(here), push(here)
    assert pulled.problem and pushed.problem and not pulled.changed
    assert pulled.note is not None and pulled.note.startswith(f"Could not bring in answers from origin/{branch}: ")
    assert pulled.note.endswith(". Nothing was changed.") and ".." not in pulled.note  # git's own full stop, once
    assert pushed.note is not None and pushed.note.startswith(f"Could not send your answers to origin/{branch}: ")
    assert pushed.note.endswith(". They are committed here.") and ".." not in pushed.note
    assert git(here, "rev-parse", "HEAD").strip() == head
    alone = tmp_path / "alone"
    Session.open(demo, alone).close()
    assert pull(alone) == SyncReport(f"Sync is on, but {alone} has no upstream branch to pull from.", problem=True)
    assert push(alone) == SyncReport(f"Sync is on, but {alone} has no upstream branch to push to.", problem=True)


def test_only_a_repository_with_sync_turned_on_syncs(demo: Path, machines: tuple[Path, Path, Path]) -> None:
    _, here, there = machines
    assert sync_root(here) == here.resolve()
    assert sync_root(here, no_git=True) is None, "--no-git: no git at all"
    assert sync_root(there) is None, "sync was never turned on there"
    assert sync_root(demo.parent / "not-a-repository") is None


@pytest.mark.parametrize("way", ["pull", "push"])
def test_a_remote_that_does_not_answer_is_given_up_on_in_time(
    demo: Path, machines: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch, way: str
) -> None:
    """Offline on a train: a fetch or push is stopped at NETWORK_TIMEOUT, not left to hang the app."""
    _, here, _ = machines
    if way == "pull":
        git(here, "remote", "set-url", "origin", "ssh://nobody.invalid/answers.git")
    else:  # the fetch reaches the remote; only the push goes to the silent one
        git(here, "remote", "set-url", "--push", "origin", "ssh://nobody.invalid/answers.git")
        session = Session.open(demo, here)
        session.set_answer("welcome", "name", "Friday circle")
        session.close()
    monkeypatch.setenv("GIT_SSH_COMMAND", "sleep 3; true")  # an ssh that does not answer (for 3 s)
    monkeypatch.setattr("formative.answers.git.NETWORK_TIMEOUT", 1.0)
    report = pull(here) if way == "pull" else push(here)
    assert report.problem
    assert f"git {'fetch' if way == 'pull' else 'push'} took longer than 1 s and was stopped." in (report.note or "")
