"""The core (walk, answers, workbook, export, CLI) must not pull in Textual: startup stays fast."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE_MODULES = [
    "formative.walk",
    "formative.answers",
    "formative.workbook",
    "formative.export.markdown",
    "formative.export.canvas_svg",
    "formative.workshop.report",
    "formative.workshop.room_canvas",
    "formative.cli",
]


def imported_after(modules: list[str]) -> set[str]:
    script = "import sys\n" + "".join(f"import {m}\n" for m in modules) + "print('\\n'.join(sorted(sys.modules)))\n"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


def test_core_modules_do_not_import_textual() -> None:
    loaded = imported_after(CORE_MODULES)
    assert set(CORE_MODULES) <= loaded  # the imports really happened
    assert "textual" not in loaded
    assert not {m for m in loaded if m.startswith("textual.")}


@pytest.mark.parametrize("module", CORE_MODULES)
def test_each_core_module_alone_does_not_import_textual(module: str) -> None:
    loaded = imported_after([module])
    assert module in loaded
    assert not {m for m in loaded if m == "textual" or m.startswith("textual.")}
