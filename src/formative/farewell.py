"""What a sitting leaves in the shell once the app has closed, for both ways in (entry.py and cli/)."""

from __future__ import annotations

import sys
from pathlib import Path


def after_sitting(messages: list[str], folder: Path, no_git: bool) -> None:
    """Once the app has closed: what the person should still read, then the push when sync is on."""
    for message in messages:
        print(message, file=sys.stderr)
    from formative.answers.git import push, sync_root

    root = sync_root(folder, no_git)
    if root is None:
        return
    print(f"Sending your answers from {root} …", file=sys.stderr)
    report = push(root)
    print(report.note or "Nothing new to send.", file=sys.stderr)
