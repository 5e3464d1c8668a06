"""Ctrl+E's editor: $VISUAL, then $EDITOR, then nano, then vi; a variable naming a missing program is said."""

from __future__ import annotations

from pathlib import Path

from formative.editor import find_editor


def tool(folder: Path, name: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    path.chmod(0o755)
    return path


def test_visual_before_editor(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    tool(bin_dir, "code")
    tool(bin_dir, "emacs")
    editor = find_editor({"PATH": str(bin_dir), "VISUAL": "code --wait", "EDITOR": "emacs"})
    assert editor.argv == ("code", "--wait") and editor.name == "code"
    assert find_editor({"PATH": str(bin_dir), "EDITOR": "emacs"}).name == "emacs"


def test_nano_before_vi_when_nothing_is_set(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    tool(bin_dir, "vi")
    assert find_editor({"PATH": str(bin_dir)}).name == "vi"
    tool(bin_dir, "nano")
    assert find_editor({"PATH": str(bin_dir), "EDITOR": " "}).name == "nano"


def test_a_missing_editor_is_named(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    tool(bin_dir, "nano")
    editor = find_editor({"PATH": str(bin_dir), "EDITOR": "no-such-editor"})
    assert editor.argv == () and editor.problem is not None and "no-such-editor" in editor.problem
    assert find_editor({"PATH": str(tmp_path / "empty")}).problem is not None
