"""The starter workbook that `formative new` writes: valid, commented, every prompt kind once."""

from __future__ import annotations

from importlib import resources

import tomlkit


def starter_workbook(workbook_id: str, title: str) -> str:
    template = resources.files("formative.workbook").joinpath("templates/starter.toml").read_text("utf-8")
    title_toml = tomlkit.string(title).as_string()
    return template.format(id=workbook_id, title=title_toml[1:-1], filename=f"{workbook_id}.toml")
