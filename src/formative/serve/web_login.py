"""The login desk of `serve web`: passcode, name and PIN, checked before any app exists.

Every attempt goes through the guard first (logins in progress per address and in
all, lockout), every wrong passcode or PIN waits longer than the last before its
answer, and only a full success forgives an address its failures. A first visit under
a name is two steps: the PIN typed once, then again, so nobody leaves with a PIN they
mistyped and will need next time. No web framework here: the server turns outcomes
into pages.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from formative.serve.guard import MAX_ADDRESSES, AuthGuard
from formative.serve.web_session import SessionToken, Signer
from formative.workshop.identity import People, PeopleFileError, pin_problem
from formative.workshop.names import clean_name, is_generic


@dataclass(frozen=True)
class Welcome:
    """Admitted: the session token to keep, for this name."""

    token: str
    name: str


@dataclass(frozen=True)
class ConfirmPin:
    """A first visit: the PIN again (or, after a mismatch, twice)."""

    pending: str
    name: str
    twice: bool = False
    problem: str = ""


@dataclass(frozen=True)
class TryAgain:
    """Not admitted: the login form again, with a sentence for the person."""

    problem: str
    name: str = ""
    status: int = 200
    field: str = "name"
    """The form field to fix: name, passcode or pin."""


Outcome = Welcome | ConfirmPin | TryAgain

REFUSAL_LOG_EVERY = 60.0
"""Seconds between log lines about one address's refused logins: a locked-out loop must not flood the log."""

PEOPLE_UNREADABLE = "The list of names cannot be read just now. Please tell your facilitator."


def binding_stamp(pin_hash: str | None) -> str:
    """Names the binding a token was issued for; a released and re-chosen name gets a new one."""
    return hashlib.sha256((pin_hash or "").encode()).hexdigest()[:16]


class Doorkeeper:
    def __init__(
        self,
        people: People,
        passcode: str | None,
        guard: AuthGuard,
        signer: Signer | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        log: Callable[[str], None] = lambda message: None,
    ) -> None:
        self.people = people
        self._passcode = hashlib.sha256(passcode.encode()).digest() if passcode else None
        self.guard = guard
        self.signer = signer or Signer()
        self.sleep = sleep
        self.log = log
        self._last_refusal_logged: dict[str, float] = {}

    @property
    def asks_passcode(self) -> bool:
        return self._passcode is not None

    def _passcode_ok(self, typed: str) -> bool:
        if self._passcode is None:
            return True
        return hmac.compare_digest(hashlib.sha256(typed.encode()).digest(), self._passcode)

    async def login(self, address: str, name: str, passcode: str, pin: str) -> Outcome:
        """The login form: passcode (when the room has one), name, PIN."""
        refusal = self.guard.start(address)
        if refusal is not None:
            return self._refused(address, refusal)
        try:
            cleaned = clean_name(name)
            if not self._passcode_ok(passcode):
                problem = "That is not the workshop passcode. Ask your facilitator."
                return await self._failed(address, "passcode", problem, cleaned, "passcode")
            if not cleaned or is_generic(cleaned):
                return TryAgain("Type your own name, as the room should see it.", cleaned)
            try:
                need, reason = await asyncio.to_thread(self.people.need, cleaned)
                if need == "refused":
                    return TryAgain(reason, cleaned)
                if need == "choose_pin":
                    weak = pin_problem(pin)
                    if weak:
                        return TryAgain(f"Choose a PIN for next time. {weak}", cleaned, field="pin")
                    return ConfirmPin(self.signer.pending(cleaned, pin), cleaned)
                admission = await asyncio.to_thread(self.people.check_pin, cleaned, pin)
                if admission.name is None:
                    spelled = await asyncio.to_thread(self.people.spelling, cleaned)
                    return await self._failed(
                        address,
                        f"PIN for {spelled!r}",
                        f"{spelled} is already taken here, and that is not its PIN. If you are {spelled}, "
                        "check your PIN; if not, use another name. The facilitator can free a name.",
                        spelled,
                        "pin",
                    )
                return await self._welcome(address, admission.name)
            except PeopleFileError as error:
                self.log(f"cannot read the names file, admitting nobody: {error}")
                return TryAgain(PEOPLE_UNREADABLE, cleaned, status=503)
        finally:
            self.guard.finish(address)

    async def confirm(self, address: str, pending: str, pin: str, pin_again: str) -> Outcome:
        """The second step of a first visit: the PIN typed again (both, after a mismatch)."""
        refusal = self.guard.start(address)
        if refusal is not None:
            return self._refused(address, refusal)
        try:
            chosen = self.signer.read_pending(pending)
            if chosen is None:
                return TryAgain("That took too long, or the server restarted. Please start again.")
            if chosen.pin_mac is not None:
                same = self.signer.same_pin(pin_again, chosen.pin_mac)
                pin = pin_again
            else:
                problem = pin_problem(pin)
                if problem:
                    return self._choose_twice(chosen.name, problem)
                same = hmac.compare_digest(pin.encode(), pin_again.encode())
            if not same:
                return self._choose_twice(chosen.name, "The two PINs were not the same. Choose one and type it twice.")
            try:
                admission = await asyncio.to_thread(self.people.choose_pin, chosen.name, pin)
                if admission.name is None:
                    return TryAgain(admission.reason, chosen.name)
                return await self._welcome(address, admission.name)
            except PeopleFileError as error:
                self.log(f"cannot read the names file, admitting nobody: {error}")
                return TryAgain(PEOPLE_UNREADABLE, chosen.name, status=503)
        finally:
            self.guard.finish(address)

    def _refused(self, address: str, refusal: str) -> TryAgain:
        """Turned away before any check (locked out, too many at once); logged once a minute per address."""
        now = time.monotonic()
        if now - self._last_refusal_logged.get(address, -REFUSAL_LOG_EVERY) >= REFUSAL_LOG_EVERY:
            if len(self._last_refusal_logged) >= MAX_ADDRESSES:
                self._last_refusal_logged.clear()
            self._last_refusal_logged[address] = now
            self.log(f"refused logins from {address}: {refusal} (logged once a minute)")
        return TryAgain("Too many attempts from your network. Wait a few minutes, then try again.", status=429)

    def _choose_twice(self, name: str, problem: str) -> ConfirmPin:
        return ConfirmPin(self.signer.pending(name, None), name, twice=True, problem=problem)

    async def _failed(self, address: str, what: str, problem: str, name: str, field: str) -> TryAgain:
        """A wrong passcode or PIN: logged with the address, answered only after the guard's delay."""
        await self.sleep(self.guard.failed(address, what))
        return TryAgain(problem, name, status=403, field=field)

    async def _welcome(self, address: str, name: str) -> Welcome:
        self.guard.succeeded(address)
        person = await asyncio.to_thread(self.people.find, name)
        token = self.signer.session(name, binding_stamp(person.pin if person else None))
        self.log(f"logged in {name!r} from {address}")
        return Welcome(token, name)

    async def session(self, token: str | None) -> SessionToken | None:
        """The session a cookie carries, when it is genuine, unexpired and its name is still bound the same way."""
        session = self.signer.read_session(token)
        if session is None:
            return None
        try:
            person = await asyncio.to_thread(self.people.find, session.name)
        except PeopleFileError as error:
            self.log(f"cannot read the names file, admitting nobody: {error}")
            return None
        if person is None or binding_stamp(person.pin) != session.stamp:
            return None
        return session
