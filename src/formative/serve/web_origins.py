"""Which web addresses are this workshop's own, decided once at start from the options.

Browsers let any page open a websocket or post a form to any address, and only say
where the page came from (the Origin header). So the server must know its own
origins, and know them from its configuration: a list that a request could change
(as textual-serve's `public_url` followed the Host header of the last page request)
lets one request make a foreign site "ours".

The same list answers a second question: which Host names a request may use. A site
whose name an attacker points at this machine (DNS rebinding) is same-origin with
itself, so its page could drive the server unless the Host is one of ours.

- `--public-url` (a proxy in front, or a name the room types): that origin.
- A loopback address: http://127.0.0.1:PORT, http://localhost:PORT, http://[::1]:PORT.
- 0.0.0.0 or :: (every interface): the machine's own addresses and names, listed
  when the server starts (a laptop that joins another network needs a restart).
- Any other address or name: exactly that one.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
EVERY_INTERFACE = ("0.0.0.0", "::", "")


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach: localhost, 127.0.0.0/8, ::1."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, order=True)
class Origin:
    scheme: str
    host: str
    """Lower case, without brackets for IPv6."""
    port: int

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        if DEFAULT_PORTS.get(self.scheme) == self.port:
            return f"{self.scheme}://{host}"
        return f"{self.scheme}://{host}:{self.port}"

    @property
    def websocket_scheme(self) -> str:
        return "wss" if self.scheme == "https" else "ws"


def _normal_host(host: str) -> str:
    return host.strip("[]").lower().rstrip(".")


def parse_origin(text: str) -> Origin | None:
    """An Origin header or a URL as an Origin; None when it is not an http(s) origin."""
    try:
        parts = urlsplit(text.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return Origin(scheme, _normal_host(parts.hostname), port or DEFAULT_PORTS[scheme])


def parse_host(header: str) -> tuple[str, int | None] | None:
    """A Host header as (host, port or None); None when it is not a host name."""
    try:
        parts = urlsplit(f"//{header.strip()}")
        port = parts.port
    except ValueError:
        return None
    if not parts.hostname or parts.path or parts.query or parts.username is not None:
        return None
    return _normal_host(parts.hostname), port


@dataclass(frozen=True)
class Origins:
    """This server's own origins: fixed at start, read by every request."""

    allowed: frozenset[Origin]
    primary: Origin
    """The address to tell the room."""

    def allows(self, origin_header: str | None) -> bool:
        """Whether a browser's Origin header names one of our pages (absent: no)."""
        origin = parse_origin(origin_header) if origin_header else None
        return origin is not None and origin in self.allowed

    def for_host(self, host_header: str) -> Origin | None:
        """Our origin that a request's Host header names, or None (a foreign or rebound name)."""
        parsed = parse_host(host_header)
        if parsed is None:
            return None
        host, port = parsed
        for origin in sorted(self.allowed):
            if origin.host == host and origin.port in (port, None if port else DEFAULT_PORTS[origin.scheme]):
                return origin
        return None

    def listing(self) -> list[str]:
        return [str(self.primary), *sorted(str(o) for o in self.allowed if o != self.primary)]


def allowed_origins(
    host: str, port: int, public_url: str | None, addresses: Callable[[], Iterable[str]] | None = None
) -> Origins:
    """The origins of a server listening on host:port, and behind public_url when given.

    Raises ValueError for a public URL that is not http(s)://host[:port].
    """
    names: list[str]
    if host.lower() in EVERY_INTERFACE:
        names = [*LOOPBACK_NAMES, *sorted((addresses or machine_addresses)(), key=_room_first)]
    elif is_loopback(host):
        names = [host, *LOOPBACK_NAMES]
    else:
        names = [host]
    own = [Origin("http", _normal_host(name), port) for name in names if _normal_host(name)]
    public = None
    if public_url is not None:
        public = parse_origin(public_url)
        if public is None or urlsplit(public_url).path.strip("/"):
            raise ValueError(f"--public-url {public_url!r}: give an address such as https://room.example.org")
    if public is not None:
        primary = public
    elif host.lower() in EVERY_INTERFACE:
        primary = own[len(LOOPBACK_NAMES)] if len(own) > len(LOOPBACK_NAMES) else own[0]
    else:
        primary = own[0]
    return Origins(frozenset([*own, *([public] if public else [])]), primary)


def _room_first(name: str) -> tuple[int, str]:
    """Private IPv4 addresses first (what a room's laptops reach), then names, then the rest."""
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return (2, name)
    if address.version == 4 and address.is_private:
        return (0, name)
    return (1 if address.version == 4 else 3, name)


def machine_addresses() -> set[str]:
    """This machine's own IP addresses and names (not loopback ones), from every source at hand."""
    found: set[str] = set()
    found |= _linux_ipv4()
    found |= _linux_ipv6()
    with contextlib.suppress(OSError):
        found.add(socket.gethostname().lower())
        for info in socket.getaddrinfo(socket.gethostname(), None):
            found.add(str(info[4][0]))
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing address
        found.add(str(probe.getsockname()[0]))
    hostname = next((n for n in found if not _is_ip(n)), None)
    if hostname and "." not in hostname:
        found.add(f"{hostname}.local")  # the name macOS and Avahi announce on a LAN
    return {name for name in found if name and not is_loopback(name) and name not in EVERY_INTERFACE}


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _linux_ipv4() -> set[str]:
    """Every local IPv4 address (Linux: the LOCAL entries of /proc/net/fib_trie)."""
    try:
        lines = Path("/proc/net/fib_trie").read_text(encoding="ascii").splitlines()
    except OSError:
        return set()
    found, last = set(), ""
    for line in lines:
        text = line.strip()
        if text.startswith("|--"):
            last = text[3:].strip()
        elif "host LOCAL" in text and last:
            found.add(last)
    return found


def _linux_ipv6() -> set[str]:
    """Every global IPv6 address (Linux: /proc/net/if_inet6); link-local ones need a zone a URL cannot carry."""
    try:
        lines = Path("/proc/net/if_inet6").read_text(encoding="ascii").splitlines()
    except OSError:
        return set()
    found = set()
    for line in lines:
        with contextlib.suppress(ValueError, IndexError):
            address = ipaddress.IPv6Address(int(line.split()[0], 16))
            if not address.is_link_local:
                found.add(str(address))
    return found
