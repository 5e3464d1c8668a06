"""The examples in docs/workbook-format.md stay true: every full example loads, and
every prompt kind is documented with an example."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from formative.workbook import load_workbook_text
from formative.workbook.model import PROMPT_KINDS

DOC = Path(__file__).resolve().parents[2] / "docs" / "workbook-format.md"
_TOML_BLOCK = re.compile(r"^```toml[ \t]*\n(.*?)^```", re.MULTILINE | re.DOTALL)

# A prompt fragment ("[[sections.steps.prompts]] ...") is checked inside this workbook.
_FRAGMENT_WRAPPER = """\
format = 1
id = "fragment"
title = "Fragment"

[[sections]]
id = "section"
title = "Section"

[[sections.steps]]
id = "step"
title = "Step"

"""


def _toml_blocks() -> list[str]:
    return _TOML_BLOCK.findall(DOC.read_text(encoding="utf-8"))


def _full_examples() -> list[str]:
    return [block for block in _toml_blocks() if block.lstrip().startswith("format = 1")]


def _prompt_fragments() -> list[str]:
    return [block for block in _toml_blocks() if block.lstrip().startswith("[[sections.steps.prompts]]")]


def _example_id(block: str) -> str:
    """The first id in a block, such as 'first-circle', to name its test."""
    found = re.search(r'^id = "([^"]*)"', block, re.MULTILINE)
    return found.group(1) if found else "example"


def test_the_doc_has_full_examples() -> None:
    assert len(_full_examples()) >= 3


@pytest.mark.parametrize("example", _full_examples(), ids=_example_id)
def test_full_example_loads(example: str) -> None:
    load_workbook_text(example, "docs/workbook-format.md")


@pytest.mark.parametrize("fragment", _prompt_fragments(), ids=_example_id)
def test_prompt_fragment_loads_inside_a_minimal_workbook(fragment: str) -> None:
    load_workbook_text(_FRAGMENT_WRAPPER + fragment, "docs/workbook-format.md")


def test_every_prompt_kind_has_an_example() -> None:
    documented = set(re.findall(r'^kind = "([a-z_]+)"', DOC.read_text(encoding="utf-8"), re.MULTILINE))
    missing = [kind for kind in PROMPT_KINDS if kind not in documented]
    assert not missing, f'no `kind = "..."` example in {DOC.name} for: {", ".join(missing)}'
