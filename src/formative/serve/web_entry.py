"""What runs in a browser participant's process: their own workbook in the workshop, hosted.

The server starts it (through textual-serve) only for someone who logged in on the
page, and hands it the name from their signed session in the environment; nothing
asks for a name or a passcode in here. The app is `FormativeApp(..., hosted=True)`,
whose mount installs the SIGTERM/SIGHUP handlers that save before exiting.

The process must not outlive its server: an orphan would hold the person's answer
file locked and keep running for nobody. On Linux the kernel sends SIGHUP the moment
the server dies (prctl PR_SET_PDEATHSIG): the app saves and exits, with no thread
and no polling. Elsewhere a small thread notices the parent change and sends the
same SIGHUP. Either way the signal reaches the app's own handler, so it saves first.

Run as `python -m formative.serve.web_entry WORKSHOP_DIR SERVER_PID`.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time
from pathlib import Path

from formative.serve.web_config import PARTICIPANT_ENV

PR_SET_PDEATHSIG = 1


def hang_up_when_orphaned(server_pid: int) -> None:
    """Arrange a SIGHUP to this process when the server dies (and now, if it already has)."""
    watched = False
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            watched = libc.prctl(PR_SET_PDEATHSIG, signal.SIGHUP, 0, 0, 0) == 0
    if not watched:
        threading.Thread(target=_watch_parent, args=(server_pid,), name="parent-watch", daemon=True).start()
    if os.getppid() != server_pid:  # it died before the watch began
        os.kill(os.getpid(), signal.SIGHUP)


def _watch_parent(server_pid: int) -> None:
    while os.getppid() == server_pid:
        time.sleep(0.5)
    os.kill(os.getpid(), signal.SIGHUP)


def run_participant(workshop_dir: Path, name: str) -> int:
    """The participant's app on the workshop, until they leave or the server stops it."""
    from formative.serve.child import yield_to_arrivals
    from formative.tui.app import FormativeApp
    from formative.workshop.folder import Workshop

    workshop = Workshop.open(workshop_dir)
    app = FormativeApp.joining(workshop, name, hosted=True)
    app.after_first_paint = yield_to_arrivals
    app.run()
    return app.return_code or 0


def main() -> None:
    if len(sys.argv) != 3 or not sys.argv[2].isdigit():
        sys.exit("usage: python -m formative.serve.web_entry WORKSHOP_DIR SERVER_PID")
    hang_up_when_orphaned(int(sys.argv[2]))
    name = os.environ.pop(PARTICIPANT_ENV, "")
    if not name:
        sys.exit(f"no participant: the server sets {PARTICIPANT_ENV}")
    sys.exit(run_participant(Path(sys.argv[1]), name))


if __name__ == "__main__":
    main()
