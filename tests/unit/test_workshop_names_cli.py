"""`formative workshop codes` and `formative workshop release`: the coach's hands on who is who."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from formative.cli import cli
from formative.workshop.folder import create_workshop
from formative.workshop.identity import People

BO_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB8bOHaOXbAxzAMLlVwJ0mRWZgmfh+RSRl9UJzW2WGn4 bo@laptop"


def workshop(tmp_path: Path, roster: list[str]) -> Path:
    folder = tmp_path / "thursday"
    create_workshop(folder, "community-design-workshop", "Thursday", roster)
    return folder


def test_codes_prints_a_slip_per_roster_name_that_works_as_their_pin(tmp_path: Path) -> None:
    folder = workshop(tmp_path, ["Ada", "Carol", "Bo"])
    with (folder / "workshop.toml").open("a") as file:
        file.write(f'\n[keys]\nBo = ["{BO_KEY}"]\n')
    People(folder).choose_pin("Carol", "otter-7")
    result = CliRunner().invoke(cli, ["workshop", "codes", str(folder)])
    assert result.exit_code == 0, result.output
    codes = dict(re.findall(r"^  (\S+)\s+code: (\d{3}-\d{3})$", result.stdout, re.M))
    assert list(codes) == ["Ada"]  # Carol keeps her PIN; Bo joins with his key
    assert People(folder).check_pin("Ada", codes["Ada"]).ok
    assert "Carol" in result.stderr and "Bo" in result.stderr

    replaced = CliRunner().invoke(cli, ["workshop", "codes", str(folder), "--replace"])
    again = dict(re.findall(r"^  (\S+)\s+code: (\d{3}-\d{3})$", replaced.stdout, re.M))
    assert set(again) == {"Ada", "Carol"}
    assert People(folder).check_pin("Carol", again["Carol"]).ok
    assert not People(folder).check_pin("Carol", "otter-7").ok


def test_codes_needs_a_roster(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["workshop", "codes", str(workshop(tmp_path, []))])
    assert result.exit_code == 1
    assert "no roster" in result.output


def test_release_frees_a_name_whatever_its_case(tmp_path: Path) -> None:
    folder = workshop(tmp_path, ["Carol"])
    People(folder, ["Carol"]).choose_pin("carol", "otter-7")
    result = CliRunner().invoke(cli, ["workshop", "release", str(folder), "CAROL"])
    assert result.exit_code == 0, result.output
    assert "Released Carol" in result.output
    assert People(folder).find("Carol") is None
    again = CliRunner().invoke(cli, ["workshop", "release", str(folder), "carol"])
    assert again.exit_code == 0 and "nothing to release" in again.output


def test_a_broken_names_file_is_reported_not_replaced(tmp_path: Path) -> None:
    folder = workshop(tmp_path, ["Carol"])
    people = People(folder)
    people.folder.mkdir(parents=True, exist_ok=True)
    people.path.write_text("[[person]\n")
    result = CliRunner().invoke(cli, ["workshop", "release", str(folder), "carol"])
    assert result.exit_code == 1
    assert "people.toml" in result.output
    assert people.path.read_text() == "[[person]\n"
