"""The few HTML pages of `serve web`: login, PIN confirmation, messages, the app's page.

Plain HTML templates (web_pages/*.html, `$name` placeholders) and one rule: every
value is escaped unless it is an `Html` fragment that this module rendered itself, so
a name such as `<script>` or `"onfocus=` can only ever be text. No JavaScript of ours:
the forms work as forms, and the app's page runs textual-serve's own script.
"""

from __future__ import annotations

import html
from functools import cache
from pathlib import Path
from string import Template

PAGES = Path(__file__).with_name("web_pages")
STATIC = Path(__file__).with_name("web_static")


class Html(str):
    """Markup this module made: inserted as it is (everything else is escaped)."""


@cache
def _template(name: str) -> Template:
    return Template((PAGES / f"{name}.html").read_text(encoding="utf-8"))


def render(template: str, **values: object) -> Html:
    escaped = {key: value if isinstance(value, Html) else html.escape(str(value)) for key, value in values.items()}
    return Html(_template(template).substitute(escaped))


def _page(workshop: str, title: str, content: Html) -> str:
    return render("page", page_title=f"{title} · {workshop}", workshop=workshop, content=content)


def _problem(text: str) -> Html:
    return render("problem", text=text) if text else Html("")


FOCUS = Html(" autofocus")
NO_FOCUS = Html("")


def login_page(workshop: str, *, asks_passcode: bool, name: str = "", problem: str = "", field: str = "name") -> str:
    """Name, passcode (when the room has one), PIN; the cursor starts in `field`, the one to fix."""

    def focus(which: str) -> Html:
        return FOCUS if which == field else NO_FOCUS

    content = render(
        "login",
        problem=_problem(problem),
        name=name,
        name_focus=focus("name"),
        passcode=render("passcode", focus=focus("passcode")) if asks_passcode else Html(""),
        pin_focus=focus("pin"),
    )
    return _page(workshop, "Join", content)


def confirm_page(workshop: str, *, name: str, pending: str, twice: bool, problem: str = "") -> str:
    """A first visit: the PIN again, or after a mismatch the PIN twice."""
    content = render(
        "confirm",
        name=name,
        problem=_problem(problem),
        pending=pending,
        first=render("choose") if twice else Html(""),
        again_label="The same PIN again" if twice else "Type your new PIN again",
        again_focus=NO_FOCUS if twice else FOCUS,
    )
    return _page(workshop, "Choose your PIN", content)


def message_page(workshop: str, heading: str, text: str, action: str = "Try again") -> str:
    return _page(workshop, heading, render("message", heading=heading, text=text, action=action))


def app_page(workshop: str, websocket_url: str, font_size: int) -> str:
    return render("app", page_title=workshop, websocket_url=websocket_url, font_size=font_size)
