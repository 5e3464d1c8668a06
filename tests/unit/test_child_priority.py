"""A participant's app lowers its priority below the server's: as a process, and as a session.

Linux shares the CPU between sessions first (autogroup): a nice value set only on the
process counted for nothing against the server, since every app leads a session of its
own. These run in a child process: priorities can only go down, so this test process
keeps its own.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from formative.serve.child import ARRIVING_NICE, NICE

HAS_AUTOGROUP = Path("/proc/self/autogroup").exists()

REPORT = """
import os, sys
from pathlib import Path
from formative.serve import child
if sys.argv[1] == "leader":
    os.setsid()
def autogroup():
    # Empty in the boot session's group (a container's, often), absent without autogroup.
    text = Path("/proc/self/autogroup").read_text() if child.AUTOGROUP.exists() else "none"
    return (text.split() or ["default"])[-1]
steps = [(os.getpriority(os.PRIO_PROCESS, 0), autogroup())]
child.yield_to_server()
steps.append((os.getpriority(os.PRIO_PROCESS, 0), autogroup()))
child.yield_to_arrivals()
steps.append((os.getpriority(os.PRIO_PROCESS, 0), autogroup()))
child.yield_to_arrivals()  # once more: it never goes lower than NICE, nor back up
steps.append((os.getpriority(os.PRIO_PROCESS, 0), autogroup()))
print(steps)
"""


def steps_in_child(role: str) -> list[tuple[int, str]]:
    done = subprocess.run([sys.executable, "-c", REPORT, role], capture_output=True, text=True, timeout=30, check=True)
    return ast.literal_eval(done.stdout)


@pytest.mark.skipif(not HAS_AUTOGROUP, reason="this kernel does not group the CPU by session")
def test_a_session_leader_lowers_its_session_too() -> None:
    base = steps_in_child("leader")[0][0]
    assert steps_in_child("leader") == [
        (base, "0"),
        (base + ARRIVING_NICE, str(base + ARRIVING_NICE)),
        (base + NICE, str(base + NICE)),
        (base + NICE, str(base + NICE)),
    ]


def test_a_process_in_someone_elses_session_lowers_only_itself() -> None:
    """Run inside the server's session (a web app started without a session of its own), it must
    not lower the server's session with it."""
    steps = steps_in_child("member")
    base, session = steps[0]
    assert [nice for nice, _ in steps] == [base, base + ARRIVING_NICE, base + NICE, base + NICE]
    assert {group for _, group in steps} == {session}
