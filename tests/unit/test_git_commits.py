"""Answers committed to git as the person goes: only their file, by explicit path, never locks.

Every test runs the real `git` in temporary repositories, with the isolated HOME and
empty global configuration that tests/conftest.py sets up.
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from formative.answers.git import (
    FALLBACK_EMAIL,
    FALLBACK_NAME,
    GITIGNORE_LINES,
    GitError,
    GitQueue,
    _gist,
    changed_paths,
    commit_message,
    commit_paths,
    git_off_reason,
    identity_args,
    init_repository,
    work_tree,
    write_gitignore,
)
from formative.session import Session
from formative.workbook.starter import starter_workbook
from formative.workshop.folder import Workshop, create_workshop
from formative.workshop.participant import open_participant
from tests.gitutil import changed_in, files_in, git, make_repo, subjects


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    path = tmp_path / "demo.toml"
    path.write_text(starter_workbook("demo", "Demo"), encoding="utf-8")
    return path


def test_a_new_answers_folder_becomes_a_repository_that_ignores_locks(demo: Path, tmp_path: Path) -> None:
    answers = tmp_path / "answers"
    session = Session.open(demo, answers)
    try:
        assert (answers / ".git").is_dir()
        assert session.commits is not None
        assert subjects(answers) == ["Formative: a new answers folder"]
        ignore = (answers / ".gitignore").read_text(encoding="utf-8")
        assert ".*.lock" in ignore and ".*.tmp" in ignore
        assert (answers / ".demo.toml.lock").exists()  # the app holds the file
        session.set_answer("welcome", "name", "Thursday circle")
        session.save()
        assert session.commit(session.workbook.step("welcome")).committed
    finally:
        session.close()
    tree = files_in(answers)
    assert tree == {".gitignore", "demo.toml"}  # never the lock file
    assert "Thursday circle" in git(answers, "show", "HEAD:demo.toml")


def test_exports_stay_out_of_git_status(demo: Path, tmp_path: Path) -> None:
    """An export is made again from the answers at any time: it is neither committed nor left as noise."""
    answers = tmp_path / "answers"
    Session.open(demo, answers).close()
    (answers / "exports").mkdir()
    (answers / "exports" / "demo.md").write_text("# Demo\n", encoding="utf-8")
    assert git(answers, "status", "--porcelain", "--untracked-files=all").strip() == ""


def test_commit_message_names_workbook_and_step_and_close_commits_the_rest(demo: Path, tmp_path: Path) -> None:
    answers = tmp_path / "answers"
    session = Session.open(demo, answers)
    session.set_answer("welcome", "name", "Thursday circle")
    session.save()
    outcome = session.commit(session.workbook.step("welcome"))
    assert outcome.error is None
    assert subjects(answers)[0] == "Demo: Welcome"
    again = session.commit(session.workbook.step("welcome"))
    assert again.committed is None  # nothing changed since: no empty commit
    session.walk.jump("people")
    session.set_answer("people", "names", ["Ada", "Grace"])
    assert session.close() == []  # saved and committed on the way out
    assert subjects(answers)[0] == "Demo: Who is in it"
    assert changed_in(answers) == {"demo.toml"}
    assert git(answers, "status", "--porcelain") == ""


def test_only_the_answer_file_is_committed_whatever_else_is_dirty_or_staged(demo: Path, tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "notes")
    (repo / "diary.md").write_text("day one\n", encoding="utf-8")
    git(repo, "add", "diary.md")
    git(repo, "commit", "-qm", "diary")
    (repo / "diary.md").write_text("day one\nday two, not for git yet\n", encoding="utf-8")  # dirty, unstaged
    (repo / "staged.md").write_text("staged on purpose\n", encoding="utf-8")
    git(repo, "add", "staged.md")  # staged by the person, for their own commit
    (repo / "scratch.txt").write_text("untracked\n", encoding="utf-8")
    answers = repo / "answers"
    session = Session.open(demo, answers)  # made inside an existing repository: no repository of its own
    assert not (answers / ".git").exists()
    session.set_answer("welcome", "name", "Thursday circle")
    session.close()
    assert changed_in(repo) == {"answers/demo.toml"}
    status = git(repo, "status", "--porcelain").splitlines()
    assert " M diary.md" in status  # still modified, still unstaged
    assert "A  staged.md" in status  # still staged, not committed
    assert "?? scratch.txt" in status
    assert "staged.md" not in files_in(repo)


def test_no_commit_in_a_folder_outside_git(demo: Path, tmp_path: Path) -> None:
    answers = tmp_path / "answers"
    answers.mkdir()  # the person's own folder: Formative did not create it, so it makes no repository
    session = Session.open(demo, answers)
    assert session.commits is None
    session.set_answer("welcome", "name", "Thursday circle")
    assert session.close() == []
    assert work_tree(answers) is None
    assert not (answers / ".git").exists()


@pytest.mark.parametrize("off", ["flag", "env"])
def test_no_git_at_all_when_turned_off(demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, off: str) -> None:
    answers = tmp_path / "answers"
    if off == "env":
        monkeypatch.setenv("FORMATIVE_GIT", "0")
        assert git_off_reason() == "FORMATIVE_GIT=0 is set"
    session = Session.open(demo, answers, git=off != "flag")
    session.set_answer("welcome", "name", "Thursday circle")
    session.close()
    assert session.commits is None
    assert not (answers / ".git").exists()
    assert 'name = "Thursday circle"' in (answers / "demo.toml").read_text(encoding="utf-8")


def test_the_persons_own_identity_is_used_when_git_has_one(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = Path(os.environ["GIT_CONFIG_GLOBAL"])
    config.write_text("[user]\n\tname = Ada Lovelace\n\temail = ada@example.org\n", encoding="utf-8")
    answers = tmp_path / "answers"
    session = Session.open(demo, answers)
    session.set_answer("welcome", "name", "Thursday circle")
    session.save()
    outcome = session.commit()
    session.close()
    assert outcome.note is None  # nothing to tell: git knew who they are
    assert git(answers, "log", "-1", "--format=%an <%ae>").strip() == "Ada Lovelace <ada@example.org>"


def test_without_an_identity_the_fallback_is_used_and_explained_once(demo: Path, tmp_path: Path) -> None:
    answers = tmp_path / "answers"
    session = Session.open(demo, answers)
    session.set_answer("welcome", "name", "One")
    session.save()
    first = session.commit()
    session.set_answer("welcome", "name", "Two")
    session.save()
    second = session.commit()
    session.close()
    assert git(answers, "log", "-1", "--format=%an <%ae>").strip() == f"{FALLBACK_NAME} <{FALLBACK_EMAIL}>"
    assert first.note is not None and "git config --global user.name" in first.note
    assert second.committed and second.note is None
    assert git(answers, "config", "--get", "user.name", check=False) == ""  # nothing written to their config


@pytest.mark.parametrize(
    "variable", ["GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL", "EMAIL"]
)
def test_gits_own_identity_variables_count_as_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    """As they do for git itself: no fallback (and no note about one) for what they set."""
    monkeypatch.setenv(variable, "ada@example.org" if "EMAIL" in variable else "Ada")
    given, fallback = ("user.name", "user.email") if variable.endswith("NAME") else ("user.email", "user.name")
    args = identity_args(tmp_path)
    assert [arg.split("=")[0] for arg in args[1::2]] == [fallback]
    assert given not in " ".join(args)


def test_a_commit_message_is_one_printable_line_of_at_most_200_characters() -> None:
    """Titles come from workbooks anyone can write: no body, no terminal codes, no empty message."""
    assert commit_message("Plan\n\nwith a body\x1b[2J and\ttabs") == "Plan with a body [2J and tabs"
    assert len(commit_message("x" * 500)) == 200
    assert commit_message("\x00\n\x07") == "Formative"


def test_several_changed_files_are_committed_together(tmp_path: Path) -> None:
    """A workshop room commits its answer files and its state in one commit."""
    repo = make_repo(tmp_path / "repo")
    for name in ("ada.toml", "bo.toml", "state.toml"):
        (repo / name).write_text(f"name = '{name}'\n", encoding="utf-8")
    commit_paths(repo, [repo / "ada.toml", repo / "bo.toml", repo / "state.toml"], "the room")
    assert changed_in(repo) == {"ada.toml", "bo.toml", "state.toml"}


@pytest.mark.parametrize("value", ["0", "off", " Off ", "no", "NO", "false", "False"])
def test_every_documented_way_of_turning_git_off_turns_it_off(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("FORMATIVE_GIT", value)
    assert git_off_reason() == f"FORMATIVE_GIT={value} is set"


@pytest.mark.parametrize("value", ["", "1", "on", "yes"])
def test_other_values_leave_git_on(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("FORMATIVE_GIT", value)
    assert git_off_reason() is None


def test_the_persons_hooks_run_and_a_failing_hook_costs_no_answer(demo: Path, tmp_path: Path) -> None:
    answers = tmp_path / "answers"
    session = Session.open(demo, answers)
    hook = answers / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'no commits on Fridays' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    session.set_answer("welcome", "name", "Thursday circle")
    session.save()
    outcome = session.commit()
    messages = session.close()
    assert outcome.error is not None and "no commits on Fridays" in outcome.error
    assert messages and "not committed" in messages[0] and "no commits on Fridays" in messages[0]
    assert 'name = "Thursday circle"' in (answers / "demo.toml").read_text(encoding="utf-8")
    assert subjects(answers) == ["Formative: a new answers folder"]


def test_a_stale_index_lock_costs_no_answer(demo: Path, tmp_path: Path) -> None:
    """Another git (or a crashed one) holds the index: git refuses, even for root, and the answer stays."""
    answers = tmp_path / "answers"
    session = Session.open(demo, answers)
    (answers / ".git" / "index.lock").write_text("", encoding="utf-8")
    session.set_answer("welcome", "name", "Thursday circle")
    session.save()
    outcome = session.commit()
    messages = session.close()
    assert outcome.error is not None and "index.lock" in outcome.error
    assert messages and "not committed" in messages[0]
    assert 'name = "Thursday circle"' in (answers / "demo.toml").read_text(encoding="utf-8")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders; the index.lock test stands in")
def test_a_read_only_repository_costs_no_answer(demo: Path, tmp_path: Path) -> None:
    answers = tmp_path / "answers"
    session = Session.open(demo, answers)
    dot_git = answers / ".git"
    modes = {path: path.stat().st_mode for path in [dot_git, *dot_git.rglob("*")] if path.is_dir()}
    for path in modes:
        path.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        session.set_answer("welcome", "name", "Thursday circle")
        session.save()
        outcome = session.commit()
        messages = session.close()
    finally:
        for path, mode in modes.items():
            path.chmod(mode)
    assert outcome.error is not None and outcome.error.startswith("git ")
    assert messages and "not committed" in messages[0]
    assert 'name = "Thursday circle"' in (answers / "demo.toml").read_text(encoding="utf-8")


def test_git_gone_from_path_mid_session_costs_no_answer(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = tmp_path / "answers"
    session = Session.open(demo, answers)
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    session.set_answer("welcome", "name", "Thursday circle")
    session.save()
    outcome = session.commit()
    messages = session.close()
    assert outcome.error == "git is not installed (or not on PATH)"
    assert messages == ["Your answers are saved, but were not committed: git is not installed (or not on PATH)"]
    assert 'name = "Thursday circle"' in (answers / "demo.toml").read_text(encoding="utf-8")


def test_without_git_on_path_nothing_is_tried(demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    assert git_off_reason() == "git is not installed"
    session = Session.open(demo, tmp_path / "answers")
    session.set_answer("welcome", "name", "Thursday circle")
    assert session.close() == []
    assert session.commits is None


def test_conflict_copies_are_not_ignored_and_not_committed(demo: Path, tmp_path: Path) -> None:
    answers = tmp_path / "answers"
    session = Session.open(demo, answers)
    session.set_answer("welcome", "name", "From the app")
    session.save()
    text = (answers / "demo.toml").read_text(encoding="utf-8")
    (answers / "demo.toml").write_text(text.replace("From the app", "From a hand edit"), encoding="utf-8")
    session.set_answer("welcome", "name", "From the app, again")
    result = session.save()
    assert result.side_file is not None
    session.close()
    assert result.side_file.name not in files_in(answers)
    assert f"?? {result.side_file.name}" in git(answers, "status", "--porcelain")  # shown, for the person to act on


def test_a_workshop_participant_never_commits(tmp_path: Path) -> None:
    folder = tmp_path / "thursday"
    create_workshop(folder, "community-design-workshop", None, ["Ada"])
    make_repo(folder)
    session = open_participant(Workshop.open(folder), "Ada")
    assert session.commits is None
    step = session.workbook.steps[1]
    session.set_answer(step.id, step.answer_prompts[0].id, "Hello")
    session.close()
    assert subjects(folder) == []


def test_commit_paths_commits_a_new_repository_s_first_file(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "fresh")
    (repo / "a.toml").write_text("a = 1\n", encoding="utf-8")
    done = commit_paths(repo, [repo / "a.toml"], "first\nsecond line\x1b[31m")
    assert done.commit is not None
    assert subjects(repo) == ["first second line [31m"]  # one line, no control characters


def test_a_folder_git_refuses_is_reported_not_ignored(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "broken")
    (repo / ".git" / "HEAD").write_text("garbage\n", encoding="utf-8")
    with pytest.raises(GitError):
        work_tree(repo)


def test_the_queue_runs_jobs_in_order_one_at_a_time() -> None:
    queue = GitQueue()
    ran: list[int] = []
    assert queue.submit(lambda: ran.append(1)) is True  # the caller starts a drain
    assert queue.submit(lambda: ran.append(2)) is False  # joins the queue
    queue.drain()
    assert ran == [1, 2]
    assert queue.wait_idle(timeout=0.1)
    assert queue.submit(lambda: ran.append(3)) is True  # idle again: a new drain is needed
    queue.drain()
    assert ran == [1, 2, 3]


def test_a_job_that_raises_does_not_leave_the_queue_stuck() -> None:
    queue = GitQueue()
    ran: list[str] = []

    def broken() -> None:
        raise RuntimeError("a bug in a job")

    assert queue.submit(broken) is True
    with pytest.raises(RuntimeError):
        queue.drain()
    assert queue.wait_idle(timeout=0.1), "the queue still looks busy"
    assert queue.submit(lambda: ran.append("next")) is True, "no drain runs: the next job needs one"
    queue.drain()
    assert ran == ["next"]


def test_waiting_for_a_stuck_job_gives_up_at_the_timeout() -> None:
    """Quitting waits for the last commit, but a git that hangs must not hang the app with it."""
    queue = GitQueue()
    started, release = threading.Event(), threading.Event()

    def stuck() -> None:
        started.set()
        release.wait(5)

    assert queue.submit(stuck)
    worker = threading.Thread(target=queue.drain)
    worker.start()
    assert started.wait(5)
    try:
        assert queue.wait_idle(timeout=0.1) is False
    finally:
        release.set()
        worker.join(5)
    assert queue.wait_idle(timeout=5)


def test_a_new_folder_whose_gitignore_is_a_folder_is_not_made_a_repository(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").mkdir()
    with pytest.raises(GitError) as caught:
        init_repository(tmp_path)
    assert str(caught.value) == f"{tmp_path / '.gitignore'}: this is a folder, not a file"


def test_run_now_waits_for_the_job_in_progress() -> None:
    queue = GitQueue()
    started, release = threading.Event(), threading.Event()
    order: list[str] = []

    def slow() -> None:
        started.set()
        release.wait(5)
        order.append("background")

    assert queue.submit(slow)
    worker = threading.Thread(target=queue.drain)
    worker.start()
    assert started.wait(5)
    waiting = threading.Thread(target=lambda: order.append(queue.run_now(lambda: "now")))
    waiting.start()
    waiting.join(0.2)
    assert order == []  # run_now is waiting for the background job
    release.set()
    worker.join(5)
    waiting.join(5)
    assert order == ["background", "now"]


def test_a_commit_waits_for_another_git_holding_the_index_for_a_moment(demo: Path, tmp_path: Path) -> None:
    """A second Formative (or the person's own git) in the same repository: the commit waits its turn."""
    answers = tmp_path / "answers"
    session = Session.open(demo, answers)
    lock = answers / ".git" / "index.lock"
    lock.write_text("", encoding="utf-8")
    threading.Timer(0.3, lock.unlink).start()  # the other git finishes
    session.set_answer("welcome", "name", "Thursday circle")
    session.save()
    outcome = session.commit()
    session.close()
    assert outcome.error is None and outcome.committed
    assert subjects(answers)[0] == "Demo: Welcome"


def test_a_gitignore_of_ones_own_is_kept_and_only_what_it_lacks_is_added(tmp_path: Path) -> None:
    path = tmp_path / ".gitignore"
    path.write_text("node_modules\n.*.lock", encoding="utf-8")  # no newline at the end
    write_gitignore(tmp_path)
    assert path.read_text(encoding="utf-8") == (
        "node_modules\n.*.lock\n"
        f"# Formative: {GITIGNORE_LINES['.*.tmp']}\n.*.tmp\n"
        f"# Formative: {GITIGNORE_LINES['/exports/']}\n/exports/\n"
    )
    before = path.read_bytes()
    write_gitignore(tmp_path)
    assert path.read_bytes() == before, "nothing lacking: nothing written"
    path.write_text("node_modules\n", encoding="utf-8")
    write_gitignore(tmp_path)
    assert path.read_text(encoding="utf-8").startswith("node_modules\n# Formative: "), "no blank line between"


def test_a_new_gitignore_holds_formatives_lines_only_and_is_readable_by_all(tmp_path: Path) -> None:
    path = write_gitignore(tmp_path)
    assert path.read_text(encoding="utf-8") == "".join(
        f"# Formative: {why}\n{pattern}\n" for pattern, why in GITIGNORE_LINES.items()
    )
    assert stat.S_IMODE(path.stat().st_mode) == 0o644, "a file to share, like the answers folder's other files"


def test_changed_paths_names_new_changed_and_renamed_files_among_those_asked_about(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    for name in ("kept.toml", "edited.toml", "old.toml", "-dash.toml", "a"):
        (repo / name).write_text(f"name = '{name}'\n", encoding="utf-8")
    commit_paths(repo, [repo / n for n in ("kept.toml", "edited.toml", "old.toml", "-dash.toml")], "first")
    (repo / "edited.toml").write_text("name = 'changed'\n", encoding="utf-8")
    (repo / "-dash.toml").write_text("name = 'changed'\n", encoding="utf-8")
    git(repo, "mv", "old.toml", "new.toml")
    (repo / "deep" / "er").mkdir(parents=True)
    (repo / "deep" / "er" / "new.toml").write_text("x = 1\n", encoding="utf-8")
    asked = ["kept.toml", "edited.toml", "old.toml", "new.toml", "-dash.toml", "a", "deep/er/new.toml"]
    changed = changed_paths(repo, [repo / name for name in asked])
    assert sorted(changed) == ["-dash.toml", "a", "deep/er/new.toml", "edited.toml", "new.toml"]
    assert changed_paths(repo, [repo / "kept.toml"]) == []


def test_gits_complaint_is_told_by_its_fatal_and_error_lines_without_hints_or_its_full_stop() -> None:
    words = (
        "Cloning into 'x'...\nhint: a hint\nfatal: unable to access 'https://h/r/': Could not resolve host: h\n"
        "error: failed to push some refs to 'r'.\n\nPlease make sure you have the correct access rights\n"
    )
    assert _gist(words) == "unable to access 'https://h/r/': Could not resolve host: h failed to push some refs to 'r'"


def test_without_fatal_or_error_lines_gits_first_three_lines_are_told_hints_left_out() -> None:
    words = "hint: look here\nhint: and here\none\n\ntwo\nthree\nfour\n"
    assert _gist(words) == "one two three"


def test_a_long_complaint_is_cut_to_the_limit_with_an_ellipsis() -> None:
    assert _gist("fatal: " + "x" * 300) == "x" * 300
    assert _gist("fatal: " + "x" * 301) == "x" * 299 + "…"
