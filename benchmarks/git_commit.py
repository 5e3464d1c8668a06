"""What committing to git adds to leaving a step: nothing felt on the UI thread, a little in the background.

Prints, over n steps left with a changed answer (n >= 20 unless --tiny):
- the UI thread's time for Ctrl+N (save, commit queued, next step drawn), with a commit and without;
- the event loop's lag (what a keypress would wait) while the commit runs, against the same without;
- how long each background commit takes (git status, add, commit, rev-parse), as a worker runs it;
- how many commits landed (one per step left with git on).

Git runs with an empty global configuration and a fixed identity, so the figures do not
depend on the developer's hooks or signing.

Run: .venv/bin/python benchmarks/git_commit.py [--tiny]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

import figures as bench_figures

from formative.answers.git import Outcome
from formative.tui.app import FormativeApp
from formative.tui.screens.step import StepScreen
from formative.tui.widgets.prompts import PromptInput


def workbook_text(steps: int) -> str:
    lines = ["format = 1", 'id = "steps"', 'title = "Steps"', "", "[[sections]]", 'id = "s"', 'title = "S"', ""]
    for n in range(steps):
        lines += ["[[sections.steps]]", f'id = "st{n}"', f'title = "Step {n}"', f'body = "Step {n}."', ""]
        lines += ["[[sections.steps.prompts]]", 'id = "p"', 'kind = "short_text"', f'label = "Question {n}"', ""]
    return "\n".join(lines)


def timed_commits(commit: Callable[..., Outcome], samples: list[float]) -> Callable[..., Outcome]:
    def run(*args: Any) -> Outcome:
        start = time.perf_counter()
        try:
            return commit(*args)
        finally:
            samples.append((time.perf_counter() - start) * 1000)

    return run


PROBE_SECONDS = 0.6
"""How long after each Ctrl+N the event loop is probed: the commit starts 0.3 s after it (COMMIT_DELAY)."""


async def loop_lag(until: float, samples: list[float]) -> None:
    """How late a 5 ms sleep wakes up on the UI's event loop: what a keypress would wait for."""
    while time.perf_counter() < until:
        start = time.perf_counter()
        await asyncio.sleep(0.005)
        samples.append((time.perf_counter() - start - 0.005) * 1000)


@dataclass
class Figures:
    """Milliseconds per sample, for steps left with a commit and steps left without."""

    ui: dict[bool, list[float]] = field(default_factory=lambda: {True: [], False: []})
    lag: dict[bool, list[float]] = field(default_factory=lambda: {True: [], False: []})
    commits: list[float] = field(default_factory=list)


async def leave_steps(folder: Path, steps: int) -> Figures:
    """Ctrl+N through steps, changing each answer first; every other step is left with git off.

    Alternating in one app keeps both kinds of step under the same load (the machine is
    shared), so the difference is what a commit adds. Each step starts with no earlier
    commit still running.
    """
    workbook = folder / "steps.toml"
    workbook.write_text(workbook_text(steps + 1), encoding="utf-8")
    app = FormativeApp(str(workbook), answers_dir=folder / "answers")
    app.animation_level = "none"
    figures = Figures()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StepScreen)
        session = screen.session
        commits = session.commits
        assert commits is not None, "the answers folder should be a git repository"
        session.commit = timed_commits(session.commit, figures.commits)  # type: ignore[method-assign]
        for n in range(steps):
            with_git = n % 2 == 1
            session.commits = commits if with_git else None
            screen.query_one(PromptInput).focus_input()
            await pilot.press(*f"answer {n}".replace(" ", "-"))  # typed, as a person changes an answer
            await pilot.pause()
            start = time.perf_counter()
            await screen.action_next()  # runs on the UI thread, as the key binding does
            figures.ui[with_git].append((time.perf_counter() - start) * 1000)
            await loop_lag(time.perf_counter() + PROBE_SECONDS, figures.lag[with_git])
            await asyncio.to_thread(commits.queue.wait_idle)
        session.commits = commits
        await pilot.press("ctrl+q")
    return figures


def count_commits(folder: Path) -> int:
    done = subprocess.run(["git", "-C", str(folder), "rev-list", "--count", "HEAD"], capture_output=True, text=True)
    return int(done.stdout.strip() or 0)


def line(name: str, samples: list[float]) -> str:
    bench_figures.record(name, samples, "ms")
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"{name:<46} median {statistics.median(samples):7.2f} ms   p95 {p95:7.2f} ms   worst {max(samples):7.2f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    bench_figures.add_options(parser)
    args = parser.parse_args(argv)
    steps = 4 if args.tiny else 50
    with tempfile.TemporaryDirectory() as home:
        os.environ.update(
            HOME=home,
            GIT_CONFIG_GLOBAL=os.path.join(home, "gitconfig"),
            GIT_CONFIG_NOSYSTEM="1",
            GIT_AUTHOR_NAME="Bench",
            GIT_AUTHOR_EMAIL="bench@example.org",
            GIT_COMMITTER_NAME="Bench",
            GIT_COMMITTER_EMAIL="bench@example.org",
        )
        Path(home, "gitconfig").write_text("", encoding="utf-8")
        figures = asyncio.run(leave_steps(Path(home), steps))
        made = count_commits(Path(home) / "answers") - 1  # the first commit holds only .gitignore
    print(f"steps left with a changed answer: {steps // 2} with a commit, {steps // 2} without, alternating")
    print(line("Ctrl+N on the UI thread, no commit", figures.ui[False]))
    print(line("Ctrl+N on the UI thread, commit queued", figures.ui[True]))
    print(line("event-loop lag after Ctrl+N, no commit", figures.lag[False]))
    print(line("event-loop lag while the commit runs", figures.lag[True]))
    print(line("background commit, in a worker thread", figures.commits))
    print(f"commits made: {made} of {steps // 2}")
    bench_figures.write(args.json, bench_figures.RECORDED)
    return 0 if made == steps // 2 else 1


if __name__ == "__main__":
    sys.exit(main())
