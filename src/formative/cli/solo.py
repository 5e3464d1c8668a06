"""One person's own answers: `run` a workbook, read an answer file's `history`, `sync` it with another machine."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from formative.answers.store import AnswerStore
from formative.cli.common import (
    after_sitting,
    answers_option,
    fail,
    no_git_option,
    plain_wanted,
    theme_option,
    workbook_path_for,
)
from formative.session import Session, default_answers_dir
from formative.workbook.bundled import find_workbook
from formative.workbook.load import load_workbook


def before_sitting(folder: Path, no_git: bool) -> None:
    """Plain mode, when sync is on: bring in the upstream's answers before the first question."""
    from formative.answers.git import pull, sync_root

    root = sync_root(folder, no_git)
    if root is not None:
        report = pull(root)
        if report.note:
            click.echo(report.note, err=True)


@click.command()
@click.argument("workbook")
@click.option("--as", "person", help="Whose answers these are; each person gets their own file.")
@answers_option
@theme_option
@click.option("--plain", is_flag=True, help="Simple line-by-line prompts (screen readers, dumb terminals).")
@click.option(
    "--again",
    is_flag=True,
    help="Begin a new sitting: the answers start empty, the last ones stay in git and show as 'Last time'.",
)
@no_git_option
def run(
    workbook: str, person: str | None, answers_dir: Path | None, theme: str, plain: bool, again: bool, no_git: bool
) -> None:
    """Walk WORKBOOK (a bundled id such as formative-community, or a .toml file)."""
    folder = answers_dir or default_answers_dir()
    if again:
        from formative.session import SittingError, begin_sitting

        try:
            click.echo(begin_sitting(workbook, folder, person, no_git=no_git), err=True)
        except SittingError as error:
            fail(str(error))
    if plain_wanted(plain):
        from formative.plain import run_plain

        before_sitting(folder, no_git)
        session = Session.open(workbook, folder, person, git=not no_git)
        messages: list[str] = []
        try:
            run_plain(session)
        finally:
            messages = session.close()
        after_sitting(messages, folder, no_git)
        return
    from formative.tui.app import FormativeApp

    app = FormativeApp(workbook, answers_dir=folder, person=person, theme=theme, git=not no_git)
    app.run()
    after_sitting(app.farewell, folder, no_git)
    sys.exit(app.return_code or 0)


@click.command()
@click.argument("answers", metavar="ANSWERS")
@click.option("--prompt", "prompt_ref", metavar="STEP.PROMPT", help="Show one answer through time, e.g. aim.aim.")
@click.option("--as", "person", help="With a workbook id: whose answers.")
@answers_option
@click.option("-w", "--workbook", help="Workbook id or file (default: the one named in the answer file).")
def history(
    answers: str, prompt_ref: str | None, person: str | None, answers_dir: Path | None, workbook: str | None
) -> None:
    """Show how ANSWERS moved: its sittings and commits, or with --prompt one answer through time.

    ANSWERS is an answer file, or a workbook id for your own answers to it.
    """
    from formative.answers.git import GitError, git_off_reason, work_tree
    from formative.answers.history import answer_timeline, file_versions, render_log, render_timeline
    from formative.session import answers_path
    from formative.walk import Walk

    path = Path(answers)
    if not path.exists() and not answers.endswith(".toml"):
        path = answers_path(answers_dir or default_answers_dir(), load_workbook(find_workbook(answers)), person)
    if not path.is_file():
        fail(f"{path}: no such answer file.")
    reason = git_off_reason()
    if reason is not None:
        fail(f"Cannot show the history: {reason}.")
    model = load_workbook(workbook_path_for(path, workbook))
    step_id, _, prompt_id = (prompt_ref or "").partition(".")
    step = model.step(step_id)
    prompt = step.prompt(prompt_id) if step is not None else None
    if prompt_ref is not None and prompt is None:
        fail(f"--prompt {prompt_ref}: {model.title} has no such question; write STEP.PROMPT as in the answer file.")
    try:
        if work_tree(path.parent) is None:
            fail(f"{path} is not in a git repository, so it has no history. See `formative --help`.")
        versions = file_versions(path)
    except GitError as error:
        fail(f"Cannot show the history: {error}")
    walk = Walk(model, AnswerStore.open(path, model, lock=False))
    if prompt_ref is None:
        click.echo(f"{model.title} · {path}\n")
        click.echo(render_log(versions, lambda s: walk.text(found.title) if (found := model.step(s)) else s), nl=False)
        return
    click.echo(f"{model.title} · {walk.text(getattr(prompt, 'label', prompt_id))}\n")
    click.echo(render_timeline(answer_timeline(versions, step_id, prompt_id)), nl=False)


@click.command()
@click.argument("action", type=click.Choice(["status", "on", "off", "now"]), default="status")
@answers_option
def sync(action: str, answers_dir: Path | None) -> None:
    """Keep your answers on another machine: with sync on, pull on start and push after a sitting.

    The answers folder must be a git repository with an upstream branch (a remote you
    can push to without typing a password: an ssh agent or a credential helper).
    """
    from formative.answers.git import GitError, git_off_reason, pull, push, set_sync, sync_on, upstream, work_tree

    folder = answers_dir or default_answers_dir()
    reason = git_off_reason()
    if reason is not None:
        fail(f"Sync needs git: {reason}.")
    try:
        root = work_tree(folder)
    except GitError as error:
        fail(str(error))
    if root is None:
        fail(f"{folder} is not a git repository. Make it one with `git -C {folder} init`, then add a remote.")
    up = upstream(root)
    how = (
        f"Give it an upstream: git -C {root} remote add origin URL && git -C {root} push -u origin HEAD"
        if up is None
        else ""
    )
    if action in ("on", "off"):
        set_sync(root, action == "on")
        click.echo(f"Sync is {action} for {root}" + (f" (upstream {up.tracking})." if up else "."))
        if action == "on" and how:
            click.echo(how)
        return
    if action == "now":
        if up is None:
            fail(how)
        for report in (pull(root), push(root)):
            click.echo(report.note or "Nothing to do.")
            if report.problem:
                sys.exit(1)
        return
    click.echo(f"Answers: {root}")
    click.echo(f"Sync: {'on' if sync_on(root) else 'off'}" + (f" · upstream {up.tracking}" if up else ""))
    if how:
        click.echo(how)
