"""Answers in git: the `git` command as the person has it, always with explicit paths.

Formative runs the user's own `git` (not a library) so that their configuration,
identity, hooks, commit signing and credential helpers apply exactly as when they
type git themselves. Every call names the files it touches (`git add -- FILE`,
`git commit --only -- FILE`): another file in the repository, staged or not, is never
committed. Background calls get no terminal (a new session, `GIT_TERMINAL_PROMPT=0`),
so git never stops to ask for a password on the app's screen; ssh agents and
credential helpers still work. No UI here: the app runs these in a worker thread.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from formative.answers.atomic import PUBLIC_FILE, atomic_write_text
from formative.workbook.errors import WorkbookError
from formative.workbook.load import MAX_ANSWER_BYTES, read_text

GIT_ENV = "FORMATIVE_GIT"
"""Set to 0 (or off, no, false) to keep Formative from running git at all."""

FALLBACK_NAME = "Formative"
FALLBACK_EMAIL = "formative@localhost"
"""Who commits when git knows no name or email for the person (git would refuse otherwise)."""

LOCAL_TIMEOUT = 30.0
"""Seconds a local git command (status, add, commit with its hooks) may take."""
NETWORK_TIMEOUT = 60.0
"""Seconds a fetch or push may take before Formative gives up on it (nothing is lost)."""

LOCK_RETRIES = 3
LOCK_WAIT = 0.2
"""Seconds between tries while another git holds the repository's index.lock."""

GITIGNORE_LINES = {
    ".*.lock": "lock files: one sits beside each answer file an app has open",
    ".*.tmp": "half-written files a crash can leave behind",
    "/exports/": "Markdown and SVG exports: made again from the answers at any time",
}
"""What an answers folder Formative creates keeps out of git, and why.

Conflict and recovery copies (NAME.conflict-….toml, NAME.recovered-….toml) are not
ignored: they hold words that are in no other file, so `git status` should show them
until the person has dealt with them. Formative never commits them itself."""


T = TypeVar("T")


class GitError(Exception):
    """A git command failed or could not run; the message is for people."""


def git_off_reason(no_git: bool = False) -> str | None:
    """Why Formative will not run git here, or None when it will."""
    if no_git:
        return "--no-git was given"
    if os.environ.get(GIT_ENV, "").strip().lower() in ("0", "off", "no", "false"):
        return f"{GIT_ENV}={os.environ[GIT_ENV]} is set"
    if shutil.which("git") is None:
        return "git is not installed"
    return None


def run_git_bytes(
    folder: Path, args: Sequence[str], *, timeout: float = LOCAL_TIMEOUT, stdin: bytes | None = None
) -> bytes:
    """Run `git -C folder ARGS…` and return its raw output; raise GitError with git's own words."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args],
            input=stdin,
            stdin=None if stdin is not None else subprocess.DEVNULL,
            capture_output=True,
            env=env,
            timeout=timeout,
            start_new_session=True,  # no controlling terminal: git and ssh cannot prompt over the app
            check=False,
        )
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH)") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took longer than {timeout:.0f} s and was stopped") from None
    except OSError as error:
        raise GitError(f"git could not run: {error}") from None
    if done.returncode != 0:
        words = done.stderr.decode("utf-8", "replace").strip() or done.stdout.decode("utf-8", "replace").strip()
        raise GitError(f"git {args[0]} failed: {_gist(words) or f'exit status {done.returncode}'}")
    return done.stdout


def _gist(words: str, limit: int = 300) -> str:
    """The lines of git's complaint that say what went wrong (its fatal: and error: lines, else the first).

    Without a closing full stop: the message is set inside our sentences ("…: GIST. Nothing
    was changed."), where git's own would make two."""
    lines = [line.strip() for line in words.splitlines() if line.strip() and not line.startswith("hint:")]
    marked = [line.split(": ", 1)[1] for line in lines if line.startswith(("fatal: ", "error: "))]
    gist = " ".join(marked or lines[:3]).rstrip(".")
    return gist if len(gist) <= limit else gist[: limit - 1] + "…"


def run_git(folder: Path, args: Sequence[str], *, timeout: float = LOCAL_TIMEOUT) -> str:
    """run_git_bytes, its output as text."""
    return run_git_bytes(folder, args, timeout=timeout).decode("utf-8", "replace")


def work_tree(folder: Path) -> Path | None:
    """The top of the git work tree holding folder, or None when it is in none.

    A folder git refuses to use for another reason (owned by someone else, say)
    raises GitError, so the person learns why nothing is committed.
    """
    if not folder.is_dir():
        return None
    try:
        top = run_git(folder, ["rev-parse", "--show-toplevel"]).strip()
    except GitError:
        # git words this in the person's language, so look for a repository ourselves
        if not any(os.path.lexists(parent / ".git") for parent in (folder.resolve(), *folder.resolve().parents)):
            return None
        raise
    return Path(top) if top else None  # empty inside a .git folder or a bare repository


def write_gitignore(folder: Path, lines: dict[str, str] = GITIGNORE_LINES) -> Path:
    """Make folder/.gitignore ignore each pattern in lines, adding only the ones it lacks."""
    path = folder / ".gitignore"
    text = read_text(path, MAX_ANSWER_BYTES) if os.path.lexists(path) else ""
    present = {line.strip() for line in text.splitlines()}
    missing = [(pattern, why) for pattern, why in lines.items() if pattern not in present]
    if missing:
        added = "".join(f"# Formative: {why}\n{pattern}\n" for pattern, why in missing)
        separator = "\n" if text and not text.endswith("\n") else ""
        atomic_write_text(path, text + separator + added, new_mode=PUBLIC_FILE)
    return path


def init_repository(folder: Path, message: str = "Formative: a new answers folder") -> None:
    """Make folder a git repository with a .gitignore for lock and temporary files, committed."""
    run_git(folder, ["init", "--quiet"])
    try:
        path = write_gitignore(folder)
    except WorkbookError as error:  # a .gitignore that is not a readable text file
        raise GitError(str(error.problems[0])) from None
    commit_paths(folder, [path], message)


# Committing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Committed:
    """What a commit did."""

    commit: str | None
    """The new commit's id; None when the files already matched the last commit."""
    fallback_identity: bool = False
    """Git knew no name or email for the person, so the commit was made as Formative's."""


def _configured(folder: Path, key: str) -> bool:
    try:
        return bool(run_git(folder, ["config", "--get", key]).strip())
    except GitError:
        return False  # `git config --get` exits 1 when the key is not set


def identity_args(folder: Path) -> list[str]:
    """`-c user.name=… -c user.email=…` for what git lacks; [] when the person has set both.

    Git's own environment variables count as set, as they do for git itself.
    """
    args: list[str] = []
    for key, variables, fallback in (
        ("user.name", ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"), FALLBACK_NAME),
        ("user.email", ("GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL", "EMAIL"), FALLBACK_EMAIL),
    ):
        if not any(os.environ.get(v) for v in variables) and not _configured(folder, key):
            args += ["-c", f"{key}={fallback}"]
    return args


IDENTITY_HINT = (
    f"Your answers were committed as {FALLBACK_NAME} <{FALLBACK_EMAIL}> because git knows no name for you. "
    'Set yours with: git config --global user.name "Your Name"; git config --global user.email you@example.org'
)


def commit_message(text: str) -> str:
    """One clean line: no control characters, no newlines that would start a commit body."""
    line = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return line[:200] or "Formative"


def changed_paths(root: Path, paths: Sequence[Path]) -> list[str]:
    """Those of paths (relative to root) that differ from the last commit, new files included."""
    root = root.resolve()
    relative = [os.path.relpath(p.parent.resolve() / p.name, root) for p in paths]
    if not relative:
        return []
    out = run_git(root, ["status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *relative])
    changed: list[str] = []
    entries = iter(out.split("\0"))
    for entry in entries:
        if len(entry) < 4:
            continue
        if entry[0] in "RC":  # a rename names its source next; skip it
            next(entries, None)
        changed.append(entry[3:])
    return changed


def commit_paths(root: Path, paths: Sequence[Path], message: str) -> Committed:
    """Commit exactly these files (when they changed), whatever else is staged or dirty.

    `git add -- FILE` puts a new file in the index; `git commit --only -- FILE…`
    commits those files alone, leaving anything else the person staged staged and
    uncommitted. The person's hooks and signing run as usual.
    """
    root = root.resolve()
    for attempt in range(LOCK_RETRIES + 1):
        try:
            changed = changed_paths(root, paths)
            if not changed:
                return Committed(None)
            run_git(root, ["add", "--", *changed])
            identity = identity_args(root)
            run_git(root, [*identity, "commit", "--quiet", "--only", "-m", commit_message(message), "--", *changed])
            break
        except GitError as error:
            # Another git in this repository (a second Formative, the person's own) holds the
            # index for a moment; one that stays means a crashed git, which the message names.
            if "index.lock" not in str(error) or attempt == LOCK_RETRIES:
                raise
            time.sleep(LOCK_WAIT)
    commit = run_git(root, ["rev-parse", "HEAD"]).strip()
    return Committed(commit, fallback_identity=bool(identity))


@dataclass(frozen=True)
class Outcome:
    """How a background git job went, for the person: nothing, a note, or a failure."""

    committed: str | None = None
    error: str | None = None
    """Why git failed (nothing was lost: the files are saved)."""
    note: str | None = None
    """Something worth telling once (the fallback identity, what a sync brought)."""


def commit_outcome(root: Path, paths: Sequence[Path], message: str) -> Outcome:
    """commit_paths, with a failure turned into words instead of an exception."""
    try:
        done = commit_paths(root, paths, message)
    except GitError as error:
        return Outcome(error=str(error))
    return Outcome(done.commit, note=IDENTITY_HINT if done.fallback_identity else None)


# One job at a time per repository ---------------------------------------------------------


class GitQueue:
    """Runs git jobs for one repository one at a time: background jobs in the order they came.

    Two gits at once in one repository fight over its index lock, and Textual's
    exclusive worker groups cancel older workers rather than queue them. So the app
    submits jobs here and, when submit() says so, starts one worker thread to drain();
    that thread runs every queued job in turn and stops when none is left. Code that
    must run git now, in its own thread (a new sitting, the commit on quit), uses
    run_now(), which waits for the job in progress and keeps the next one waiting.
    """

    def __init__(self) -> None:
        self._jobs: deque[Callable[[], object]] = deque()
        self._state = threading.Condition()
        self._draining = False
        self._busy = threading.RLock()
        """Held while a job runs; reentrant, so a queued job may itself call run_now()."""

    def submit(self, job: Callable[[], object]) -> bool:
        """Queue job; True when no thread is draining, so the caller must start drain() in one."""
        with self._state:
            self._jobs.append(job)
            if self._draining:
                return False
            self._draining = True
            return True

    def drain(self) -> None:
        """Run queued jobs until none is left (in a worker thread)."""
        while True:
            with self._state:
                if not self._jobs:
                    self._draining = False
                    self._state.notify_all()
                    return
                job = self._jobs.popleft()
            try:
                self.run_now(job)
            except BaseException:
                with self._state:  # a job that raises (a bug) must not leave the queue stuck
                    self._draining = False
                    self._state.notify_all()
                raise

    def run_now(self, job: Callable[[], T]) -> T:
        """Run job in this thread, alone in the repository (after the job in progress)."""
        with self._busy:
            return job()

    def wait_idle(self, timeout: float = LOCAL_TIMEOUT * 2) -> bool:
        """Wait until every queued job has run; False if that took longer than timeout."""
        with self._state:
            return self._state.wait_for(lambda: not self._draining, timeout)


_queues: dict[Path, GitQueue] = {}
_queues_lock = threading.Lock()


def queue_for(root: Path) -> GitQueue:
    """The one queue of the repository at root, shared by everything in this process."""
    with _queues_lock:
        return _queues.setdefault(root.resolve(), GitQueue())


def is_committed(root: Path, path: Path) -> bool:
    """Whether the file's content on disk is exactly what the last commit holds (tracked, unchanged)."""
    relative = os.path.relpath(path.parent.resolve() / path.name, root.resolve())
    tracked = run_git(root, ["ls-files", "--", relative]).strip()
    return bool(tracked) and not changed_paths(root, [path])


class FileCommits:
    """Commits one answer file into the git work tree around it, one job at a time."""

    def __init__(self, path: Path, root: Path) -> None:
        self.path = path
        self.root = root
        self.queue = queue_for(root)
        self._told: set[str] = set()

    def commit(self, message: str) -> Outcome:
        """Commit the file if it changed (blocking: call it from a worker or at the end).

        A note (the fallback identity) is given once per file; a failure every time.
        """
        outcome = self.queue.run_now(lambda: commit_outcome(self.root, [self.path], message))
        note = outcome.note
        if note is None:
            return outcome
        if note in self._told:
            return Outcome(outcome.committed, outcome.error)
        self._told.add(note)
        return outcome


# Keeping answers on another machine ------------------------------------------------------

SYNC_KEY = "formative.sync"
"""Set to true in a repository's own git config (`formative sync on`) to pull on start and push after a sitting."""


def sync_on(root: Path) -> bool:
    try:
        return run_git(root, ["config", "--bool", "--get", SYNC_KEY]).strip() == "true"
    except GitError:
        return False  # not set


def set_sync(root: Path, on: bool) -> None:
    run_git(root, ["config", "--local", SYNC_KEY, "true" if on else "false"])


@dataclass(frozen=True)
class Upstream:
    """Where the current branch pulls from and pushes to."""

    remote: str
    branch: str
    """The branch on the remote, as refs/heads/NAME."""
    tracking: str
    """Its local name, e.g. origin/main."""


def upstream(root: Path) -> Upstream | None:
    """The current branch's upstream, or None when it has none (or HEAD is detached)."""
    try:
        branch = run_git(root, ["symbolic-ref", "--short", "HEAD"]).strip()
        remote = run_git(root, ["config", "--get", f"branch.{branch}.remote"]).strip()
        merge = run_git(root, ["config", "--get", f"branch.{branch}.merge"]).strip()
        tracking = run_git(root, ["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}"]).strip()
    except GitError:
        return None
    return Upstream(remote, merge, tracking)


@dataclass(frozen=True)
class SyncReport:
    """What a pull or push did; note is None when there is nothing worth saying."""

    note: str | None = None
    problem: bool = False
    changed: bool = False
    """A pull brought in new commits (the answer files on disk may have changed)."""


def _diverged(root: Path, up: Upstream) -> SyncReport:
    return SyncReport(
        f"Your answers on this machine and on {up.tracking} have both moved; nothing was changed. "
        f"Run `git -C {root} pull` and resolve what differs, then Formative syncs again.",
        problem=True,
    )


def _counts(root: Path, up: Upstream) -> tuple[int, int]:
    """(commits only here, commits only on the upstream), after fetching it."""
    run_git(root, ["fetch", "--quiet", up.remote], timeout=NETWORK_TIMEOUT)
    ahead, behind = run_git(root, ["rev-list", "--left-right", "--count", "HEAD...@{u}"]).split()
    return int(ahead), int(behind)


def pull(root: Path) -> SyncReport:
    """Bring in the upstream's new commits, only by fast-forward; report a divergence, change nothing."""
    up = upstream(root)
    if up is None:
        return SyncReport(f"Sync is on, but {root} has no upstream branch to pull from.", problem=True)
    try:
        ahead, behind = _counts(root, up)
        if behind == 0:
            return SyncReport()
        if ahead > 0:
            return _diverged(root, up)
        run_git(root, ["merge", "--ff-only", "--quiet", "@{u}"])
    except GitError as error:
        return SyncReport(f"Could not bring in answers from {up.tracking}: {error}. Nothing was changed.", problem=True)
    noun = "commit" if behind == 1 else "commits"
    return SyncReport(f"Brought in {behind} {noun} from {up.tracking}.", changed=True)


def push(root: Path) -> SyncReport:
    """Send this machine's commits to the upstream; a divergence is reported, never forced."""
    up = upstream(root)
    if up is None:
        return SyncReport(f"Sync is on, but {root} has no upstream branch to push to.", problem=True)
    try:
        ahead, behind = _counts(root, up)
        if ahead == 0:
            return SyncReport()
        if behind > 0:
            return _diverged(root, up)
        run_git(root, ["push", "--quiet", up.remote, f"HEAD:{up.branch}"], timeout=NETWORK_TIMEOUT)
    except GitError as error:
        return SyncReport(
            f"Could not send your answers to {up.tracking}: {error}. They are committed here.", problem=True
        )
    noun = "commit" if ahead == 1 else "commits"
    return SyncReport(f"Sent {ahead} {noun} to {up.tracking}.")


def sync_root(folder: Path, no_git: bool = False) -> Path | None:
    """The repository of an answers folder when it syncs, else None (git off, no repository, sync off)."""
    if git_off_reason(no_git) is not None:
        return None
    try:
        root = work_tree(folder)
    except GitError:
        return None
    return root if root is not None and sync_on(root) else None
