"""Git off the UI thread: jobs queue per repository and run in one Textual thread worker.

Typing never waits for git. Textual's exclusive worker groups cancel older workers
instead of queueing them (and a thread cannot really be cancelled), so ordering is
kept by the repository's GitQueue: the first job starts a worker that drains the
queue; later jobs join the queue. Each job reports back with a message, which is
thread-safe to post.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual.app import App
from textual.message import Message
from textual.message_pump import MessagePump

from formative.answers.git import GitQueue, Outcome, SyncReport, pull, queue_for, sync_root


@dataclass
class GitDone(Message):
    """A background commit finished: committed, nothing to do, or failed (outcome.error)."""

    outcome: Outcome


@dataclass
class SyncDone(Message):
    """A background pull finished."""

    report: SyncReport


def run_git_job(app: App[Any], queue: GitQueue, job: Callable[[], object]) -> None:
    """Queue job for its repository; start the worker that drains the queue if none is running."""
    if queue.submit(job):
        app.run_worker(queue.drain, name="git", group="git", thread=True)


def commit_in_background(app: App[Any], queue: GitQueue, commit: Callable[[], Outcome], reply_to: MessagePump) -> None:
    """Run a commit in the repository's queue; reply_to receives GitDone."""
    run_git_job(app, queue, lambda: reply_to.post_message(GitDone(commit())))


def pull_in_background(app: App[Any], root: Path, reply_to: MessagePump) -> None:
    """Bring in the upstream's commits (fast-forward only); reply_to receives SyncDone."""
    run_git_job(app, queue_for(root), lambda: reply_to.post_message(SyncDone(pull(root))))


def start_sync(app: App[Any], folder: Path) -> None:
    """When the answers folder syncs (`formative sync on`), pull in the background; the app gets SyncDone."""
    root = sync_root(folder, no_git=not getattr(app, "git", True))
    if root is not None:
        pull_in_background(app, root, app)
