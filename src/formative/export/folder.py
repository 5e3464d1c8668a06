"""Where the app writes exports: an `exports` folder beside the answer files, never among them.

Answer files are what a person keeps and edits; a Markdown copy or a canvas beside them
would read as one more answer file (and land in the same listings and git status).
"""

from __future__ import annotations

from pathlib import Path

EXPORTS = "exports"


def export_path(answer_file: Path, suffix: str) -> Path:
    """'answers/exports/NAME.md' for 'answers/NAME.toml' (suffix such as '.md' or '-canvas.svg').

    The folder is made when needed, here, at the moment of exporting.
    """
    folder = answer_file.parent / EXPORTS
    folder.mkdir(exist_ok=True)
    return folder / f"{answer_file.stem}{suffix}"
