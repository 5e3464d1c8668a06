"""The fork server's warm-up: everything a participant's app uses is loaded before it forks.

A module first imported in a forked app costs that app the CPU to import it and the pages
it fills, thirty times over; a thread left running in the fork server would be copied into
every child with whatever lock it held. Both are checked in a separate Python process, as the
fork server runs. So is CSS parsed after the fork (tui/css_memo.py): Textual parses a source
again when widgets register in another order, so the rehearsal must arrive as a participant does.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from formative.workshop.folder import create_workshop

PROBE = textwrap.dedent(
    """
    import asyncio, json, sys, threading
    from pathlib import Path
    from formative.serve import zygote
    from formative.tui import app as app_module
    from formative.tui.screens import step

    built = []  # the apps that built a step screen during the rehearsal
    compose = step.StepScreen.compose
    step.StepScreen.compose = lambda screen: built.append(type(screen.app).__name__) or compose(screen)
    app_module.FRAME_TIME = 0.001  # the participant's step screen would come at once after its first paint

    zygote.preload()
    zygote.rehearse()
    step.StepScreen.compose = compose
    threads = threading.active_count()
    before = set(sys.modules)

    from formative.tui import css_memo
    from formative.tui.app import FormativeApp
    from formative.tui.screens.step import StepScreen
    from formative.workshop.folder import Workshop

    parsed = []
    textual_parse = css_memo._parse

    def parse(*args):
        parsed.append(args[2][1])  # the source's name, e.g. 'WorkshopBar.DEFAULT_CSS'
        return textual_parse(*args)

    css_memo._parse = parse

    async def arrive() -> str:
        workshop = Workshop.open(Path(sys.argv[1]))
        app = FormativeApp(
            str(workshop.workbook_path), answers_dir=workshop.answers_dir, person="ada",
            workshop=workshop, hosted=True, paint_first=True,
        )
        async with app.run_test(size=(80, 24), tooltips=True, notifications=True) as pilot:
            for _ in range(500):
                if isinstance(app.screen, StepScreen) and app.screen.is_mounted:
                    break
                await pilot.pause(0.01)
            await pilot.pause()
            return type(app.screen).__name__

    screen = asyncio.run(arrive())
    found = {
        "threads": threads, "built": built, "screen": screen, "new": sorted(set(sys.modules) - before), "parsed": parsed
    }
    print(json.dumps(found))
    """
)


def test_a_participant_app_imports_and_parses_nothing_new_and_the_rehearsal_leaves_no_thread(tmp_path: Path) -> None:
    import json

    create_workshop(tmp_path / "ws", "community-design-workshop", "Thursday", ["Ada"])
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "ws")], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["threads"] == 1  # only the main thread: safe to fork
    assert found["built"] == ["FormativeApp"]  # alone; the rehearsing participant stops at its first paint
    assert found["screen"] == "StepScreen"
    assert [name for name in found["new"] if name != "__mp_main__"] == []  # nothing left to import after the fork
    assert found["parsed"] == []  # nor CSS to parse: the rehearsal joined a workshop as a participant does


LINGERING = textwrap.dedent(
    """
    import socket, sys, threading, time
    from formative.serve import zygote

    def rehearse():
        threading.Thread(target=time.sleep, args=(30,), daemon=True).start()
        raise RuntimeError("the rehearsal left 1 thread(s) running")

    zygote.rehearse = rehearse
    server, client = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    sys.argv = ["zygote", str(client.fileno())]
    try:
        zygote.main()
    except SystemExit as stop:
        server.setblocking(False)
        try:
            said = server.recv(1000)
        except BlockingIOError:
            said = b""
        print(f"stopped: {stop} | said: {said!r}")
    """
)


def test_a_fork_server_left_with_a_thread_stops_instead_of_forking() -> None:
    """Forking with a live thread copies its held locks into every app: the server starts apps fresh instead."""
    done = subprocess.run([sys.executable, "-c", LINGERING], capture_output=True, text=True, timeout=120, check=False)
    assert "stopped: the fork server has a thread running" in done.stdout, done.stdout + done.stderr
    assert "said: b''" in done.stdout  # never said it was ready
