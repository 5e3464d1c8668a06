"""The room's countdown: start, pause, add a minute, and what is left at any moment."""

from __future__ import annotations

from formative.workshop.model import RoomTimer


def remaining(timer: RoomTimer, at: float) -> float:
    """Seconds left at time `at` (never below zero)."""
    if timer.ends_at is not None:
        return max(0.0, timer.ends_at - at)
    return timer.remaining


def running(timer: RoomTimer) -> bool:
    return timer.ends_at is not None


def set_minutes(minutes: int) -> RoomTimer:
    """A stopped timer for a step's timebox."""
    seconds = minutes * 60
    return RoomTimer(seconds=seconds, remaining=seconds)


def start(timer: RoomTimer, at: float) -> RoomTimer:
    if running(timer):
        return timer
    return timer.model_copy(update={"ends_at": at + timer.remaining})


def pause(timer: RoomTimer, at: float) -> RoomTimer:
    if not running(timer):
        return timer
    return timer.model_copy(update={"ends_at": None, "remaining": remaining(timer, at)})


def add(timer: RoomTimer, seconds: int, at: float) -> RoomTimer:
    """Add time; a finished timer starts again from the added time."""
    if running(timer):
        assert timer.ends_at is not None
        return timer.model_copy(update={"ends_at": max(timer.ends_at, at) + seconds})
    return timer.model_copy(update={"remaining": timer.remaining + seconds})


def clock(seconds: float) -> str:
    """'4:05' for what is left; rounds up so 0:00 means really over."""
    whole = int(seconds) + (0 if seconds == int(seconds) else 1)
    return f"{whole // 60}:{whole % 60:02d}"


def phase(seconds: float, total: int) -> str:
    """'ok', 'warning' (last minute or last fifth), or 'over', for colouring the big digits."""
    if seconds <= 0:
        return "over"
    if seconds <= 60 or (total and seconds <= total / 5):
        return "warning"
    return "ok"


def take(timer: RoomTimer, seconds: int, at: float) -> RoomTimer:
    """Take time off; never below zero (a timer cannot owe the room time)."""
    if running(timer):
        assert timer.ends_at is not None
        return timer.model_copy(update={"ends_at": max(at, timer.ends_at - seconds)})
    return timer.model_copy(update={"remaining": max(0.0, timer.remaining - seconds)})
