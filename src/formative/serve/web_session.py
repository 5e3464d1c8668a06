"""Signed tokens for `serve web`: who logged in (the session cookie), and a PIN half chosen.

A token is `payload.mac`: the payload is JSON (base64url), the mac an HMAC-SHA256 of
the token's purpose and the payload under a secret drawn when the server starts. Only
this server process can make one, nobody can change the name inside one, and each
carries its own expiry.

The secret lives only in the server's memory, on purpose: nothing on disk can leak it
(the workshop folder is often kept in git or synced), and stopping the server ends
every session at once. The cost is small: after a restart people log in again with
their name and PIN; the apps themselves always stop with the server anyway.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

SESSION_SECONDS = 12 * 3600
"""A workshop day: long enough that nobody is logged out mid-session."""
PENDING_SECONDS = 10 * 60
"""Time to type a new PIN a second time."""
MAX_TOKEN = 2048
"""Longer tokens are refused before any work."""


@dataclass(frozen=True)
class SessionToken:
    name: str
    """The person, as the room sees the name (the bound spelling)."""
    stamp: str
    """Which binding of the name it was issued for: a released name's tokens die with it."""
    expires: float


@dataclass(frozen=True)
class PendingPin:
    """A first visit between "choose a PIN" and "type it again": the passcode was right."""

    name: str
    pin_mac: str | None
    """A keyed hash of the PIN typed first (None: ask for the PIN twice)."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Signer:
    """Makes and checks this server's tokens."""

    def __init__(self, secret: bytes | None = None, clock: Callable[[], float] = time.time) -> None:
        self._secret = secret or secrets.token_bytes(32)
        self.clock = clock

    def _mac(self, purpose: str, payload: bytes) -> bytes:
        return hmac.new(self._secret, purpose.encode() + b"\0" + payload, hashlib.sha256).digest()

    def _seal(self, purpose: str, fields: dict[str, Any], seconds: float) -> str:
        payload = json.dumps({**fields, "e": int(self.clock() + seconds)}, separators=(",", ":")).encode()
        return f"{_b64(payload)}.{_b64(self._mac(purpose, payload))}"

    def _open(self, purpose: str, token: str | None) -> dict[str, Any] | None:
        """The token's fields when this server made it for this purpose and it has not expired."""
        if not token or len(token) > MAX_TOKEN or token.count(".") != 1:
            return None
        body, mac = token.split(".")
        try:
            payload, given = _unb64(body), _unb64(mac)
        except (binascii.Error, ValueError):
            return None
        if not hmac.compare_digest(given, self._mac(purpose, payload)):
            return None
        fields = json.loads(payload)  # ours, since the mac matched
        if not isinstance(fields, dict) or not isinstance(fields.get("e"), int) or fields["e"] <= self.clock():
            return None
        return fields

    def session(self, name: str, stamp: str) -> str:
        return self._seal("session", {"n": name, "s": stamp}, SESSION_SECONDS)

    def read_session(self, token: str | None) -> SessionToken | None:
        fields = self._open("session", token)
        if fields is None:
            return None
        return SessionToken(str(fields["n"]), str(fields["s"]), float(fields["e"]))

    def pending(self, name: str, pin: str | None) -> str:
        return self._seal("pending", {"n": name, "p": self.pin_mac(pin) if pin is not None else None}, PENDING_SECONDS)

    def read_pending(self, token: str | None) -> PendingPin | None:
        fields = self._open("pending", token)
        if fields is None:
            return None
        pin_mac = fields.get("p")
        return PendingPin(str(fields["n"]), pin_mac if isinstance(pin_mac, str) else None)

    def pin_mac(self, pin: str) -> str:
        """The PIN typed first, keyed: the page carries it, and it cannot be guessed offline from there."""
        return _b64(self._mac("pin", pin.encode()))

    def same_pin(self, pin: str, pin_mac: str) -> bool:
        return hmac.compare_digest(self.pin_mac(pin), pin_mac)
