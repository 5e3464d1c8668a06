"""Watching what a screen asks to draw: Textual's own Layout and Update messages, by widget.

A widget that wants the screen laid out again posts `messages.Layout`; one that wants
only its own lines painted again posts `messages.Update`. run_test(message_hook=...)
sees both, so a test can say exactly which widgets redrew while something happened.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from textual import messages
from textual.message import Message
from textual.pilot import Pilot
from textual.widget import Widget


class Requests:
    """Layout and repaint requests, by the kind of widget that made them."""

    def __init__(self) -> None:
        self.layouts: Counter[str] = Counter()
        self.repaints: Counter[str] = Counter()
        self.widgets: list[Widget] = []
        self.on = False

    def hook(self, message: Message) -> None:
        if not self.on:
            return
        if isinstance(message, messages.Layout):
            self.layouts[type(message.widget).__name__] += 1
            self.widgets.append(message.widget)
        elif isinstance(message, messages.Update):
            self.repaints[type(message.widget).__name__] += 1
            self.widgets.append(message.widget)

    def clear(self) -> None:
        self.layouts.clear()
        self.repaints.clear()
        self.widgets.clear()

    def named(self) -> set[str]:
        """Every widget that asked, as '#id' (or its type's name when it has no id)."""
        return {f"#{w.id}" if w.id else type(w).__name__ for w in self.widgets}

    async def settle(self, pilot: Pilot[Any], rounds: int = 50) -> None:
        """Pause until a whole pause passes with no layout asked for: what a change set going (a line
        appearing, a scrollbar after it) has run its course before the requests that count are watched."""
        for _ in range(rounds):
            self.clear()
            self.on = True
            await pilot.pause()
            self.on = False
            if not self.layouts:
                self.clear()
                return
        raise AssertionError(f"still laying out after {rounds} pauses: {self.layouts}")
