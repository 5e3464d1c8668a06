"""Real git in temporary repositories, for tests: run it, read logs and trees, wait for commits."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

TESTER = {
    "GIT_AUTHOR_NAME": "Tester",
    "GIT_AUTHOR_EMAIL": "tester@example.org",
    "GIT_COMMITTER_NAME": "Tester",
    "GIT_COMMITTER_EMAIL": "tester@example.org",
}
"""Who commits when a test itself commits (Formative's own commits never see this)."""


def git(folder: Path, *args: str, check: bool = True) -> str:
    """Run git in folder (with the test's isolated configuration) and return its output."""
    env = {**os.environ, **TESTER}
    done = subprocess.run(
        ["git", "-C", str(folder), *args], capture_output=True, text=True, check=False, timeout=30, env=env
    )
    if check and done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {done.stderr}")
    return done.stdout


def subjects(folder: Path) -> list[str]:
    """Commit messages, newest first; [] before the first commit."""
    if git(folder, "rev-parse", "--verify", "-q", "HEAD", check=False).strip() == "":
        return []
    return git(folder, "log", "--format=%s").splitlines()


def files_in(folder: Path, rev: str = "HEAD") -> set[str]:
    """Every file a commit's tree holds, as paths from the top of the repository."""
    return set(git(folder, "ls-tree", "-r", "--name-only", rev).splitlines())


def changed_in(folder: Path, rev: str = "HEAD") -> set[str]:
    """The files one commit changed."""
    return set(git(folder, "show", "--format=", "--name-only", rev).splitlines())


def wait_for_commits(folder: Path, count: int, timeout: float = 20.0) -> list[str]:
    """Wait until the repository has at least count commits (a commit landed in another thread).

    This blocks: inside a Pilot test, use `await pilot_commits(...)`, which lets the app run.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = subjects(folder)
        if len(found) >= count:
            return found
        time.sleep(0.02)
    raise AssertionError(f"expected {count} commits in {folder}, found {subjects(folder)}")


def make_repo(folder: Path) -> Path:
    """An empty git repository at folder (made if missing)."""
    folder.mkdir(parents=True, exist_ok=True)
    git(folder, "init", "-q")
    return folder


async def pilot_commits(pilot: Pilot[Any], folder: Path, count: int, timeout: float = 20.0) -> list[str]:
    """Let the app run until the repository has at least count commits (its timers and workers too)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = subjects(folder)
        if len(found) >= count:
            return found
        await pilot.pause(0.05)
    raise AssertionError(f"expected {count} commits in {folder}, found {subjects(folder)}")
