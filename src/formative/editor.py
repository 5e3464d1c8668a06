"""Which outside editor Ctrl+E opens: $VISUAL, else $EDITOR, else nano, else vi.

nano before vi because a newcomer who lands in vi cannot get out; the name is shown
beside the key, so nobody is surprised by what opens.
"""

from __future__ import annotations

import os
import shlex
import shutil
from collections.abc import Mapping
from dataclasses import dataclass

FALLBACKS = ("nano", "vi")


@dataclass(frozen=True)
class Editor:
    """The command to run (argv without the file), or why there is none."""

    argv: tuple[str, ...] = ()
    problem: str | None = None

    @property
    def name(self) -> str:
        """The program's own name, as the key hint shows it: 'nano', 'code'."""
        return os.path.basename(self.argv[0]) if self.argv else ""


def find_editor(environ: Mapping[str, str] | None = None) -> Editor:
    """The editor a person asked for ($VISUAL, then $EDITOR), else the friendliest one installed.

    A variable that names a program not found is reported, not skipped: the person set it on purpose.
    """
    env = os.environ if environ is None else environ
    path = env.get("PATH")
    for variable in ("VISUAL", "EDITOR"):
        command = env.get(variable, "").strip()
        if not command:
            continue
        try:
            argv = shlex.split(command)
        except ValueError:
            argv = []
        if not argv or shutil.which(argv[0], path=path) is None:
            return Editor(problem=f"No editor found (${variable} is {command}). Set $EDITOR to one you have.")
        return Editor(tuple(argv))
    for name in FALLBACKS:
        if shutil.which(name, path=path) is not None:
            return Editor((name,))
    return Editor(problem="No editor found: set $EDITOR, or install nano.")
