"""The fork server: import the app once, then fork one participant's app per request.

Starting Python and importing Textual, pydantic and the app costs most of a
second of CPU per process; twenty people arriving together on two cores waited
over two seconds. Forked from a process that has already imported everything (and
frozen its objects out of the garbage collector's reach, so pages stay shared),
a child paints at once and shares most of its memory with its siblings.

This process never starts an event loop or a thread: forking one that had would
copy held locks into the child. It talks to the server over a SOCK_SEQPACKET
socket: JSON requests, each carrying the pty slave descriptor (SCM_RIGHTS), or for a
browser participant ("web": true) the three ends of its stdin, stdout and stderr pipes
that textual-serve speaks through; and JSON replies: {"ready"} once preloaded, {"id",
"pid"} once forked, {"exited": pid, "status"} when reaped.

Run as: python -m formative.serve.zygote FD [--app FILE:FUNCTION]

--app replaces the participant's app with FUNCTION(workshop_dir, name, log=...) from
FILE, for benchmarks that compare against a one-label app forked the same way.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import importlib.util
import inspect
import json
import os
import pkgutil
import select
import signal
import socket
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from formative.serve.child import default_signals, limit_memory, take_terminal, yield_to_server

Participant = Callable[..., int]
"""run(workshop_dir, name, *, log) -> exit code: what a forked child runs."""


def app_from(spec: str) -> Participant:
    """FUNCTION from the file FILE, given as 'FILE:FUNCTION' (benchmarks' reference apps)."""
    path, _, function = spec.rpartition(":")
    module_spec = importlib.util.spec_from_file_location("formative_reference_app", path)
    if module_spec is None or module_spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    run: Participant = getattr(module, function)
    return run


def preload() -> None:
    """Import everything a participant's app will need, and load the workshop workbook once."""
    import anyio._backends._asyncio  # what the workshop watcher runs on (watchfiles.awatch)
    import anyio.to_thread
    import textual.drivers.linux_driver
    import textual.scrollbar
    import watchfiles

    import formative.serve.participant
    import formative.tui.app
    import formative.tui.screens.problem
    import formative.tui.screens.step
    from formative.serve.common import WORKSHOP_WORKBOOK
    from formative.workbook.bundled import find_workbook
    from formative.workbook.load import load_workbook

    del anyio, formative, textual, watchfiles

    for package in ("formative.tui", "formative.workshop"):  # screens and widgets imported lazily by the app
        with contextlib.suppress(ImportError):
            module = importlib.import_module(package)
            for info in pkgutil.walk_packages(module.__path__, package + "."):
                with contextlib.suppress(ImportError):
                    importlib.import_module(info.name)
    load_workbook(find_workbook(WORKSHOP_WORKBOOK))


def rehearse(workbook: str | None = None) -> None:
    """Run the workshop's workbook off-screen in throwaway folders, as a participant's app would, then close it.

    Textual and Rich fill caches the first time an app styles and draws (parsed CSS, see
    tui/css_memo.py; selectors and declarations, cell widths, compiled patterns…). Filled
    here, every forked app shares them instead of building its own: less CPU before the first
    paint and fewer private pages each. First a participant joins a workshop, up to their
    first paint: their app registers its widgets in the order a forked app will (Textual's
    parsed CSS depends on that order). Then the same workbook runs alone to its step screen
    (a workshop's step screen watches its folder from a thread, which must not be left
    behind). The event loop is closed and no thread is left when it returns (forking with a
    live thread would copy its held locks into the child).
    """
    import asyncio
    import tempfile

    from textual import on

    from formative.serve.common import WORKSHOP_WORKBOOK
    from formative.tui.app import FormativeApp
    from formative.tui.screens.first_paint import FirstPaintScreen
    from formative.tui.screens.step import StepScreen
    from formative.workbook.bundled import find_workbook
    from formative.workshop.folder import Workshop, create_workshop

    workbook_path = str(find_workbook(workbook or WORKSHOP_WORKBOOK))

    class FirstPaintOnly(FormativeApp):
        CSS_PATH = str(Path(inspect.getfile(FormativeApp)).with_name(str(FormativeApp.CSS_PATH)))
        """The app's own stylesheet (a relative CSS_PATH would be looked for beside this file)."""
        painted = False

        @on(FirstPaintScreen.Painted)
        def first_paint_only(self, event: FirstPaintScreen.Painted) -> None:
            event.prevent_default()  # no step screen after it (FormativeApp's handler; its folder watch is a thread)
            self.painted = True

    async def until(app: FormativeApp, done: Callable[[], bool]) -> None:
        async with app.run_test(size=(80, 24), tooltips=True, notifications=True) as pilot:  # as on a terminal
            for _ in range(200):
                if done():
                    break
                await pilot.pause(0.01)
            await pilot.pause()

    with tempfile.TemporaryDirectory(prefix="formative-rehearsal-") as folder:
        create_workshop(Path(folder) / "workshop", workbook_path, None, [])
        participant = FirstPaintOnly.joining(Workshop.open(Path(folder) / "workshop"), "rehearsal", hosted=True)
        assert isinstance(participant, FirstPaintOnly)
        asyncio.run(until(participant, lambda: participant.painted))
        alone = FormativeApp(workbook_path, answers_dir=Path(folder) / "alone", hosted=True, git=False)
        asyncio.run(until(alone, lambda: isinstance(alone.screen, StepScreen) and alone.screen.is_mounted))
    if threading.active_count() != 1:
        raise RuntimeError(f"the rehearsal left {threading.active_count() - 1} thread(s) running")


def send(sock: socket.socket, message: dict[str, Any]) -> None:
    with contextlib.suppress(OSError):
        sock.send(json.dumps(message).encode())


def reap(sock: socket.socket) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        send(sock, {"exited": pid, "status": os.waitstatus_to_exitcode(status)})


def become_participant(fds: list[int], request: dict[str, Any]) -> None:
    """In the child: own the pty as controlling terminal (or, on the web, the pipes in a session of
    its own), default signals, the request's env and cwd."""
    if request.get("web"):
        os.setsid()
        streams = fds
    else:
        take_terminal(fds[0])
        streams = fds * 3
    for fd, stream in zip((0, 1, 2), streams, strict=True):
        os.dup2(stream, fd)
    for fd in set(fds) - {0, 1, 2}:
        os.close(fd)
    default_signals()
    # A browser's app works in / (nothing of the coach's), as web_service.py starts it fresh.
    os.chdir("/" if request.get("web") else request["workshop"])
    os.environ.clear()
    os.environ.update(request["env"])
    # Textual reads its settings (TEXTUAL_DRIVER: the web driver, for a browser) when imported,
    # which was in the fork server: read them again from this app's environment.
    import textual.constants

    importlib.reload(textual.constants)
    # Textual reads sys.__stdin__ and writes sys.__stderr__: point them at the pty.
    sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False, buffering=1)  # noqa: SIM115
    sys.stderr = open(2, "w", encoding="utf-8", closefd=False, buffering=1)  # noqa: SIM115
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = sys.stdin, sys.stdout, sys.stderr  # type: ignore[misc]


def run_web_participant(workshop: Path, name: str, *, log: TextIO) -> int:
    """A browser participant's app (web_entry.py), which must not outlive the fork server (nor so its server)."""
    from formative.serve.web_config import PARTICIPANT_ENV
    from formative.serve.web_entry import hang_up_when_orphaned
    from formative.serve.web_entry import run_participant as run_web

    os.environ.pop(PARTICIPANT_ENV, None)  # as web_entry.main does: the name came with the request
    hang_up_when_orphaned(os.getppid())
    return run_web(workshop, name)


def fork_participant(
    sock: socket.socket, wakeup: tuple[int, int], request: dict[str, Any], fds: list[int], run: Participant | None
) -> None:
    pid = os.fork()
    if pid:
        for fd in fds:
            os.close(fd)
        send(sock, {"id": request["id"], "pid": pid})
        return
    code = 1
    log = sys.stderr
    try:
        signal.set_wakeup_fd(-1)
        sock.close()
        for fd in wakeup:
            os.close(fd)
        # The server's stderr, kept before the pty takes fd 2: crash reports go there.
        log = open(os.dup(2), "w", encoding="utf-8", errors="replace")  # noqa: SIM115
        # gc stays frozen: collecting the zygote's objects would copy every page they sit on.
        become_participant(fds, request)
        limit_memory(request.get("memory_limit"))
        yield_to_server()
        from formative.serve.participant import run_participant

        default = run_web_participant if request.get("web") else run_participant
        code = (run or default)(Path(request["workshop"]), request["name"], log=log)
    except BaseException:
        with contextlib.suppress(Exception):
            log.write(traceback.format_exc())
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            log.flush()
        os._exit(code)


def serve_forks(sock: socket.socket, run: Participant | None = None) -> None:
    """Fork on request until the server closes its end; each child runs run (None: the participant's app)."""
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_read, False)
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda signum, frame: None)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server decides when we stop
    while True:
        try:
            ready, _, _ = select.select([sock.fileno(), wake_read], [], [])
        except InterruptedError:
            continue
        if wake_read in ready:
            with contextlib.suppress(BlockingIOError):
                os.read(wake_read, 4096)
            reap(sock)
        if sock.fileno() in ready:
            try:
                data, fds, _, _ = socket.recv_fds(sock, 1 << 20, 3)
            except OSError:
                return
            if not data:
                return
            request = json.loads(data)
            if len(fds) != (3 if request.get("web") else 1):
                for fd in fds:
                    os.close(fd)
                send(sock, {"id": request.get("id"), "error": "no terminal was passed"})
                continue
            try:
                fork_participant(sock, (wake_read, wake_write), request, fds, run)
            except OSError as error:
                send(sock, {"id": request["id"], "error": str(error)})


def main() -> None:
    sock = socket.socket(fileno=int(sys.argv[1]))
    run = app_from(sys.argv[3]) if sys.argv[2:3] == ["--app"] else None
    preload()
    if run is None:
        try:
            rehearse()
        except Exception as error:  # only a faster start is lost: forking still works
            print(f"the fork server's rehearsal failed ({error!r}); apps start a little slower", file=sys.stderr)
    if threading.active_count() != 1:  # a fork would copy the thread's held locks into every app
        raise SystemExit("the fork server has a thread running and cannot fork safely; apps start fresh instead")
    gc.collect()
    gc.freeze()
    send(sock, {"ready": True})
    serve_forks(sock, run)


if __name__ == "__main__":
    main()
