"""What a hosted participant may be shown about the coach's machine: no server paths.

A participant over SSH or the web is a stranger on the coach's computer. Paths such as
`/home/coach/workshops/thursday/answers/ada.toml` tell them the coach's user name and
how the disk is laid out, so anything the app shows them names files relative to the
workshop folder (`answers/ada.toml`), and any other absolute path by its last part.
"""

from __future__ import annotations

import re
from pathlib import Path

_ABSOLUTE_PATH = re.compile(r"(?<![\w.~/-])/(?:[^\s/'\"():,;]+/)+([^\s/'\"():,;]+)")
"""/a/b/c (two or more parts) not inside a word or a relative path; group 1 is the last part."""


def relative_path(path: Path, root: Path) -> str:
    """path as seen from the workshop folder root ('answers/ada.toml'), else only its name."""
    for base in (root, root.resolve()):
        for candidate in (path, path.resolve()):
            try:
                return str(candidate.relative_to(base))
            except ValueError:
                continue
    return path.name


def redact_paths(text: str, root: Path) -> str:
    """text with the workshop folder's paths made relative and every other absolute path cut to its name."""
    for base in sorted({str(root.resolve()), str(root.absolute())}, key=len, reverse=True):
        text = text.replace(base.rstrip("/") + "/", "")
    return _ABSOLUTE_PATH.sub(lambda match: match.group(1), text)
