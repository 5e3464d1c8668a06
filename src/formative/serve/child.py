"""What a participant's process does to itself before its app starts, however it was started.

The app must own its terminal: a new session with the pty as controlling tty, so the
kernel sends it SIGWINCH on resize and SIGHUP when the server side closes. It must get
default signal dispositions back: a server started under nohup ignores SIGHUP, and an
ignored signal survives fork and exec, so a dropped participant's app would run on.
And it gets a memory ceiling: a stranger must not be able to make one app eat the
coach's machine; and a lower priority than the server, which serves everyone.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import resource
import signal
import termios
from pathlib import Path

MEMORY_LIMIT = 512 * 1024 * 1024
"""Bytes of data memory (RLIMIT_DATA) one participant's app may use.

Measured: a participant's app uses about 70 MiB of data memory (VmData) on an 80x24
terminal and about the same on a 500x200 one, the largest we allow. Seven times that
leaves room for long answers and a long workshop, and stops a runaway app (before
sizes were clamped, a 30000x30000 terminal took one app to 3.9 GB in 15 s) long
before the machine suffers."""

NICE = 10
"""How much lower a participant's app runs than the server that relays it, once painted.

One server process does every handshake, PIN check and byte of output for the whole
room; at equal priority, thirty busy apps would leave it a thirty-first of the machine
and slow everyone's typing through it. Lower, the apps still take all the CPU the
server leaves, and the coach's own app, at normal priority, stays quick on the wall."""

ARRIVING_NICE = 5
"""How much lower an app runs than the server until its first paint is out (see yield_to_arrivals).

Still below the server, but above the apps already painted: when thirty arrive at once,
the early ones build their step screens (100-150 ms of CPU each) while later ones still
wait for their first paint (about 70 ms). At one priority the builds came first and the
last arrival waited 3.0-3.3 s for their first screen; this way the first paints come
first, the builds use what is left, and the last first screen comes at 2.1 s (median
unchanged, about 1.8 s: the server's handshakes and PINs set it). benchmarks/ssh_load.py."""

AUTOGROUP = Path("/proc/self/autogroup")

DEFAULT_SIGNALS = (signal.SIGHUP, signal.SIGTERM, signal.SIGQUIT, signal.SIGCHLD)


def take_terminal(fd: int) -> None:
    """Become a session leader with fd (a pty slave) as the controlling terminal."""
    if os.getsid(0) != os.getpid():
        os.setsid()
    fcntl.ioctl(fd, termios.TIOCSCTTY, 0)


def default_signals() -> None:
    """No signal ignored or blocked just because the server had it so; Ctrl+C as Python has it."""
    for signum in DEFAULT_SIGNALS:
        signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.pthread_sigmask(signal.SIG_SETMASK, set())


def yield_to_server() -> None:
    """Run this arriving app ARRIVING_NICE below the server's priority; a process may always lower its own."""
    lower_priority_by(ARRIVING_NICE)


_painted = False


def yield_to_arrivals() -> None:
    """Once this app's first paint is out: step down to NICE below the server, below the apps still arriving.

    A process cannot raise its priority again, so this is done once, after the paint."""
    global _painted
    if not _painted:
        _painted = True
        lower_priority_by(NICE - ARRIVING_NICE)


def lower_priority_by(step: int) -> None:
    """This process's nice value step higher, and its session's to match.

    Where Linux groups processes by session (autogroup, on by default in most desktop
    distributions), the CPU is shared between sessions first and a process's nice value
    counts only inside its own: an app in a session of its own (as every participant's
    is) competed with the server as an equal whatever its nice value said. The session's
    nice value, in /proc/self/autogroup, is what ranks it against the server; its owner
    may always raise it. Elsewhere the file is missing and the process's own nice value
    does the work. Only the session's leader changes it: a process in someone else's
    session (the server's) would lower theirs too."""
    nice = os.nice(step)
    if os.getsid(0) == os.getpid():
        with contextlib.suppress(OSError):
            AUTOGROUP.write_text(f"{nice}\n", encoding="ascii")


def limit_memory(limit: int | None) -> None:
    """Cap this process's data memory (an allocation past it fails: the app crashes, politely); no core dumps."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if limit:
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
