"""The `formative` command, through click's CliRunner and once as a real process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from formative.answers import AnswerStore
from formative.cli import cli
from formative.workbook import load_workbook
from formative.workbook.bundled import bundled_paths, find_workbook
from tests.unit.rendered import read

BUNDLED = [
    "formative-community",
    "network-to-community",
    "work-your-network",
    "community-design-workshop",
    "tend-your-community",
]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "formative", *args], capture_output=True, text=True, timeout=60, check=False
    )


def test_list_shows_the_four_bundled_workbooks() -> None:
    result = CliRunner().invoke(cli, ["list"])
    assert result.exit_code == 0, result.output
    for workbook_id in BUNDLED:
        assert workbook_id in result.output
    assert "steps" in result.output and "min" in result.output


def test_validate_bundled_workbooks_passes() -> None:
    result = CliRunner().invoke(cli, ["validate", *map(str, bundled_paths())])
    assert result.exit_code == 0, result.output
    assert result.output.count("ok  ") == len(BUNDLED)


def test_validate_reports_problems_on_stderr_without_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text('format = 1\nid = "x"\ntitle = "unclosed\n', encoding="utf-8")
    typo = tmp_path / "typo.toml"
    source = find_workbook("formative-community").read_text(encoding="utf-8")
    typo.write_text(source.replace("\ntitle = ", "\ntitel = ", 1), encoding="utf-8")
    result = run("validate", str(broken), str(typo), str(find_workbook("work-your-network")))
    assert result.returncode == 1
    assert f"{broken}:3:" in result.stderr
    assert f"{typo}:" in result.stderr and "titel: unknown key" in result.stderr
    assert "Traceback" not in result.stderr
    assert "ok  " in result.stdout and "work-your-network" in result.stdout


def test_validate_missing_file_exits_1() -> None:
    result = run("validate", "/no/such/workbook.toml")
    assert result.returncode == 1
    assert "no such file" in result.stderr and "Traceback" not in result.stderr


def test_schema_prints_json_schema() -> None:
    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0
    assert '"additionalProperties": false' in result.output


def test_new_writes_a_valid_starter_and_refuses_to_overwrite(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["new", "Thursday Circle", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    path = tmp_path / "thursday-circle.toml"
    workbook = load_workbook(path)
    assert workbook.title == "Thursday Circle"
    assert path.read_text(encoding="utf-8").startswith("#:schema ./formative-workbook.schema.json")
    assert (tmp_path / "formative-workbook.schema.json").is_file()
    again = runner.invoke(cli, ["new", "Thursday Circle", "--dir", str(tmp_path)])
    assert again.exit_code == 1
    assert "already exists" in again.output


def test_export_markdown_in_workbook_order(tmp_path: Path) -> None:
    path = tmp_path / "ada.toml"
    workbook = load_workbook(find_workbook("formative-community"))
    steps = [
        s for s in workbook.steps if not s.show_if and any(p.kind in ("short_text", "long_text") for p in s.prompts)
    ]
    first, last = steps[0], steps[-1]
    first_prompt = next(p for p in first.prompts if p.kind in ("short_text", "long_text"))
    last_prompt = next(p for p in last.prompts if p.kind in ("short_text", "long_text"))
    with AnswerStore.open(path, workbook, person="Ada") as store:
        store.set(last.id, last_prompt.id, "LAST ANSWER [/] [@click=app.quit]")
        store.set(first.id, first_prompt.id, "FIRST ANSWER")
        store.set("retired-step", "old", "kept from an older version")
    out = tmp_path / "ada.md"
    result = CliRunner().invoke(cli, ["export", str(path), "--format", "md", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith(f"# {workbook.title} — Ada")
    shown = read(text).text  # as a Markdown viewer shows it: brackets are literal text
    assert shown.index("FIRST ANSWER") < shown.index("LAST ANSWER [/] [@click=app.quit]")
    assert "kept from an older version" in text
    assert "_Not answered._" in text


def test_export_of_unparseable_answers_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[formative\nworkbook = 1\n", encoding="utf-8")
    result = run("export", str(path))
    assert result.returncode == 1
    assert f"{path}:1:" in result.stderr and "Traceback" not in result.stderr


def test_list_counts_steps_as_the_header_and_progress_do() -> None:
    """`formative list` (and the home screen) name the N of 'Step 1 of N' (every step shown, the
    flagship's opening page too) and, where fewer, the N of 'n of N steps answered'."""
    from formative.walk import Walk
    from formative.workbook.bundled import bundled_workbooks

    class NoAnswers:
        def get(self, step_id: str, prompt_id: str) -> None:
            return None

    result = CliRunner().invoke(cli, ["list"])
    assert result.exit_code == 0, result.output
    for bundled in bundled_workbooks():
        line = next(line for line in result.output.splitlines() if line.startswith(bundled.workbook.id + " "))
        shown = Walk(bundled.workbook, NoAnswers()).visible_steps()
        asking = [step for step in shown if step.answer_prompts]
        expected = (
            f" {len(shown)} steps, {len(asking)} to answer " if len(asking) < len(shown) else f" {len(shown)} steps "
        )
        assert expected in line, line
    flagship = next(line for line in result.output.splitlines() if line.startswith("formative-community "))
    assert "to answer" in flagship  # its opening page asks nothing
