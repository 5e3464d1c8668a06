"""What a server tells the room about joining: the ssh line or the URL, for each address of this machine.

The addresses come from web_origins (the same list the web server accepts pages from):
on 0.0.0.0 the machine's own addresses, the one a room's laptops most likely reach
first; on one address, that address. IPv6 addresses are left out of the room's lines
(nobody types them), and at most a few others are offered.
"""

from __future__ import annotations

import ipaddress
import os

from formative.serve.web_origins import LOOPBACK_NAMES, Origins, allowed_origins
from formative.workshop.serving import Serving

MORE_ADDRESSES = 3
"""Other addresses shown beside the best one (another network, the machine's name)."""


def _typeable(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).version == 4
    except ValueError:
        return True  # a name


def _hosts(origins: Origins) -> list[str]:
    """The best host first, then other typeable ones (not the loopback names, unless that is all there is)."""
    primary = origins.primary.host
    others = sorted(
        {o.host for o in origins.allowed if o.host != primary and o.host not in LOOPBACK_NAMES and _typeable(o.host)}
    )
    return [primary, *others[:MORE_ADDRESSES]]


def ssh_line(port: int, host: str) -> str:
    option = "" if port == 22 else f"-p {port} "
    return f"ssh -t {option}YOURNAME@{host}"


def ssh_serving(host: str, port: int, passcode: str | None) -> Serving:
    hosts = _hosts(allowed_origins(host, port, None))
    lines = [ssh_line(port, h) for h in hosts]
    return Serving("ssh", lines[0], lines[1:], passcode, os.getpid())


def web_serving(origins: Origins, passcode: str | None) -> Serving:
    primary = str(origins.primary)
    others = [str(o) for o in sorted(origins.allowed) if o != origins.primary and _typeable(o.host)]
    others = [o for o in others if not any(name in o for name in LOOPBACK_NAMES)] or others
    return Serving("web", primary, others[:MORE_ADDRESSES], passcode, os.getpid())
