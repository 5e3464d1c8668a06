"""A participant entry whose app crashes when F1 is pressed: only for the crash test.

FreshSpawner runs it as a script in place of `python -m formative.serve.participant`;
production code has no way to crash on purpose.
"""

from __future__ import annotations

from pathlib import Path

import formative.tui.app
from formative.serve.participant import main
from formative.tui.app import FormativeApp


class CrashingApp(FormativeApp):
    CSS_PATH = str(Path(formative.tui.app.__file__).with_name(FormativeApp.CSS_PATH))  # type: ignore[arg-type]

    def action_help(self) -> None:
        raise RuntimeError("injected crash for the test")


if __name__ == "__main__":
    main(app_class=CrashingApp)
