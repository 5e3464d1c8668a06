"""The example Odyssey Plan workbook: validated, walked end to end, exported to SVG (issue 13).

It is written with the format's newer keys: a section repeated three times, a ranking
whose options come from the three titles, and word limits.
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

from click.testing import CliRunner

from formative.cli import cli
from formative.session import Session
from formative.workbook import load_workbook
from formative.workbook.model import ListPrompt, LongText, Ranking, Scale, ShortText

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "odyssey-plan.toml"

LIVES = {
    "plan-1": ("Design lead, calmer team, same city", "Year one: lead the new studio.\nYear two: hire well."),
    "plan-2": ("Potter and teacher by the sea", "Year one: evening classes and a shared studio by the harbour."),
    "plan-3": ("Walking the Camino, writing about it", "Year one: walk. Year two: write the book I keep promising."),
}


def test_the_example_validates() -> None:
    result = CliRunner().invoke(cli, ["validate", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"ok  {EXAMPLE}  (9 steps)")


def test_the_three_lives_are_plain_steps_with_the_same_questions() -> None:
    workbook = load_workbook(EXAMPLE)
    assert [s.id for s in workbook.steps] == [
        "welcome",
        *("plan-1", "gauge-1", "plan-2", "gauge-2", "plan-3", "gauge-3"),
        "rank",
        "next",
    ]
    assert [s.title for s in workbook.sections[1:4]] == [
        "Life one: the road you're on",
        "Life two: if that road closed",
        "Life three: if money and opinion didn't matter",
    ]
    plans = [workbook.step(f"plan-{n}") for n in (1, 2, 3)]
    assert all(p is not None and [q.id for q in p.prompts] == ["title", "years", "questions"] for p in plans)
    title = workbook.steps[1].prompts[0]
    assert isinstance(title, ShortText) and title.max_words == 6
    gauges = workbook.step("gauge-2")
    assert gauges is not None and gauges.title == "Gauge life 2"
    assert gauges.body == "Four quick readings for “{plan-2.title}”. Go with your first answer."
    assert all(isinstance(p, Scale) and p.min_label and p.max_label for p in gauges.prompts)


def walk_the_plan(workbook_path: Path, answers: Path) -> Session:
    """Answer every step as a person would, with the walk's own checks on each move."""
    session = Session.open(workbook_path, answers, "Ada")
    walk = session.walk
    assert walk.current.id == "welcome"
    session.set_answer("welcome", "now", "Product designer in a big company, restless, two kids at school.")
    assert walk.go_next() == []
    for number, (step_id, (title, years)) in enumerate(LIVES.items(), start=1):
        assert walk.current.id == step_id
        assert walk.section_of(walk.current).title.startswith(("Life one", "Life two", "Life three")[number - 1])
        session.set_answer(step_id, "title", "Potter, teacher and gardener in a small town by the sea")
        [problem] = walk.go_next()
        assert problem.message == "Keep this to six words (it has eleven)."
        session.set_answer(step_id, "title", title)
        session.set_answer(step_id, "years", years + " Then see how it feels to live like this for real.")
        session.set_answer(step_id, "questions", ["Could we live on less?", "Who has done this already?"])
        assert walk.go_next() == []
        assert walk.current.id == f"gauge-{number}"
        assert walk.text(walk.current.body).startswith(f"Four quick readings for “{title}”.")
        for offset, prompt in enumerate(walk.current.answer_prompts):
            session.set_answer(walk.current.id, prompt.id, 1 + (number + offset) % 5)
        assert walk.go_next() == []
    assert walk.current.id == "rank"
    ranking = walk.current.prompts[0]
    assert isinstance(ranking, Ranking)
    titles = [title for title, _ in LIVES.values()]
    assert walk.options(ranking) == titles
    assert walk.go_next()[0].message == "This one needs an answer before you go on."
    session.set_answer("rank", "order", [titles[1], titles[2], titles[0]])
    noticed = walk.current.prompts[1]
    assert isinstance(noticed, LongText)
    session.set_answer("rank", "noticed", "Too short.")
    assert [p.message for p in walk.go_next()] == ["Write at least ten words (it has two)."]
    session.set_answer("rank", "noticed", "All three lives have teaching in them, and none has a long commute.")
    assert walk.go_next() == []
    session.set_answer("next", "experiment", "A Saturday in Ana's pottery studio, asking how she pays the rent.")
    session.set_answer("next", "tell", "My sister")
    assert walk.go_next() == []
    assert walk.finished
    assert walk.progress().answered == walk.progress().answerable == 9
    session.save()
    return session


def test_a_person_walks_the_three_lives_to_the_end(tmp_path: Path) -> None:
    session = walk_the_plan(EXAMPLE, tmp_path / "answers")
    session.close()
    saved = tomllib.loads(session.path.read_text(encoding="utf-8"))
    assert saved["formative"]["workbook"] == "odyssey-plan"
    assert [saved["answers"][f"plan-{n}"]["title"] for n in (1, 2, 3)] == [t for t, _ in LIVES.values()]
    assert saved["answers"]["gauge-3"] == {"resources": 4, "like": 5, "confidence": 1, "coherence": 2}
    questions = load_workbook(EXAMPLE).steps[1].prompts[2]
    assert isinstance(questions, ListPrompt) and questions.max_words == 15


def test_the_walked_plan_exports_to_svg_without_naming_the_workbook(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE, tmp_path / "odyssey-plan.toml")
    session = walk_the_plan(tmp_path / "odyssey-plan.toml", tmp_path / "answers")
    session.close()
    out = tmp_path / "lives.svg"
    result = CliRunner().invoke(cli, ["export", str(session.path), "--format", "svg", "-o", str(out)])
    assert result.exit_code == 0, result.output
    svg = out.read_text(encoding="utf-8")
    assert svg.startswith("<svg") or svg.startswith("<?xml")
    for heading in ("Three lives", "Life one", "Life two", "Life three", "The pull", "Next"):
        assert f">{heading}<" in svg, heading
    for title, _ in LIVES.values():
        assert title in svg
    assert "pottery studio" in svg
    # Every answer is named, and the four readings are gauges with their end words.
    for label in ("Title", "Questions it raises", "Resources", "Appeal", "Confidence", "Coherence"):
        assert f">{label}<" in svg, label
    assert svg.count("<circle") == 3 * 4 * 5 and "(almost none … all of them)" in svg
