"""Limits before anyone is let in, as OpenSSH has them, shared by `serve ssh` and `serve web`.

A stranger on the network must cost the coach's laptop nothing until they prove they
belong, and must not be able to guess a passcode or a PIN:
- unauthenticated connections are capped per address and in total, with random early
  drop between the start and the full cap (OpenSSH's MaxStartups 10:30:60);
- every failed passcode or PIN waits longer than the last (1 s, 2 s, 4 s … 30 s) before
  its answer, per address (PerSourcePenalties), and ten failures lock the address out
  for five minutes; each failure is logged with the address;
- capacity (how many people the room holds) counts authenticated people only, so
  stalled logins cannot keep the room out.
The clock is injectable so tests need no sleeps.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

MAX_ADDRESSES = 10_000
"""Addresses remembered at once; idle ones are forgotten first."""


@dataclass
class Limits:
    unauthenticated_per_address: int = 6
    """Logins in progress from one address (a classroom may share one NAT address: not 1)."""
    unauthenticated_start: int = 10
    """In-progress logins overall before random early drop begins."""
    unauthenticated_full: int = 30
    """In-progress logins overall at which every new one is refused."""
    first_delay: float = 1.0
    """Seconds before answering the first failed attempt from an address."""
    max_delay: float = 30.0
    lockout_after: int = 10
    """Failures from one address before it is locked out."""
    lockout_seconds: float = 300.0
    forget_after: float = 900.0
    """Seconds without a failure after which an address starts afresh."""


@dataclass
class _Address:
    logging_in: int = 0
    failures: int = 0
    last_failure: float = 0.0
    locked_until: float = 0.0


@dataclass
class AuthGuard:
    """Per-address and overall pre-authentication limits; one per server."""

    limits: Limits = field(default_factory=Limits)
    clock: Callable[[], float] = time.monotonic
    rng: random.Random = field(default_factory=random.Random)
    log: Callable[[str], None] = lambda message: None
    _addresses: dict[str, _Address] = field(default_factory=dict)
    logging_in: int = 0
    """Logins in progress overall."""

    def _get(self, address: str) -> _Address:
        if address not in self._addresses and len(self._addresses) >= MAX_ADDRESSES:
            self._forget_idle()
        state = self._addresses.setdefault(address, _Address())
        now = self.clock()
        if state.failures and not state.logging_in and now - state.last_failure > self.limits.forget_after:
            state.failures = 0
        return state

    def _forget_idle(self) -> None:
        """Keep memory bounded however many addresses knock: drop those with nothing pending."""
        now = self.clock()
        for address, state in list(self._addresses.items()):
            if not state.logging_in and state.locked_until <= now:
                del self._addresses[address]

    def locked_out(self, address: str) -> float:
        """Seconds this address must still wait before any login is considered (0: none)."""
        return max(0.0, self._get(address).locked_until - self.clock())

    def start(self, address: str) -> str | None:
        """A login begins; returns why it is refused, or None (then call finish() once it ends)."""
        state = self._get(address)
        wait = self.locked_out(address)
        if wait:
            return f"too many failed attempts from {address}; try again in {int(wait) + 1} s"
        if state.logging_in >= self.limits.unauthenticated_per_address:
            return f"too many logins in progress from {address}"
        limits = self.limits
        if self.logging_in >= limits.unauthenticated_full:
            return "too many logins in progress"
        if self.logging_in >= limits.unauthenticated_start:
            span = limits.unauthenticated_full - limits.unauthenticated_start
            drop = 0.3 + 0.7 * (self.logging_in - limits.unauthenticated_start) / span
            if self.rng.random() < drop:
                return "too many logins in progress (dropped early)"
        state.logging_in += 1
        self.logging_in += 1
        return None

    def finish(self, address: str) -> None:
        """A login ended: admitted, refused or abandoned."""
        state = self._get(address)
        if state.logging_in:
            state.logging_in -= 1
            self.logging_in -= 1

    def _delay(self, failures: int) -> float:
        return min(self.limits.first_delay * 2.0 ** (failures - 1), self.limits.max_delay) if failures else 0.0

    def penalty_left(self, address: str) -> float:
        """Seconds before another attempt from this address may be checked: the last failure's delay, unserved.

        Waiting this out before checking (not only before answering) is what makes the
        delay bind: an attacker who pipelines attempts on one connection, or spreads them
        over several from one address, still gets one answer per delay.
        """
        state = self._get(address)
        return max(0.0, state.last_failure + self._delay(state.failures) - self.clock())

    def failed(self, address: str, what: str) -> float:
        """Record a failed passcode or PIN; returns the seconds to wait before answering."""
        state = self._get(address)
        state.failures += 1
        state.last_failure = self.clock()
        delay = self._delay(state.failures)
        if state.failures >= self.limits.lockout_after:
            state.locked_until = state.last_failure + self.limits.lockout_seconds
            self.log(f"locked out {address} for {int(self.limits.lockout_seconds)} s after {state.failures} failures")
        self.log(f"failed {what} from {address} (failure {state.failures}; answering in {delay:.0f} s)")
        return delay

    def succeeded(self, address: str) -> None:
        """A good passcode or PIN: the address's failures are forgiven."""
        state = self._get(address)
        state.failures = 0
        state.locked_until = 0.0
