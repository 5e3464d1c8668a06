"""textual-serve's server with the guards a room needs.

- A cap on open sessions: each browser tab is a process, and a page anyone can load
  must not be able to start processes without end.
- A same-origin check on the websocket: browsers let any site open a websocket to
  127.0.0.1, so without it a page open in the coach's browser could drive an app.
- On a loopback address, only loopback Host names: otherwise a site whose name an
  attacker points at 127.0.0.1 (DNS rebinding) would count as "same origin".
- A quick, saving stop: on Ctrl+C or SIGTERM every browser connection is closed, so
  each app is told to quit (and saves) instead of aiohttp waiting a minute for them.
- Page links that follow the address the browser used, so `--host 0.0.0.0` works
  without `--public-url` (textual-serve would otherwise send http://0.0.0.0:PORT).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from textual_serve.server import Server

from formative.serve.web import is_loopback


class WorkshopServer(Server):
    def __init__(self, command: str, *, host: str, port: int, public_url: str | None, max_participants: int) -> None:
        super().__init__(command, host=host, port=port, title="Formative workshop", public_url=public_url)
        self.follow_request = public_url is None
        self.max_participants = max_participants
        self.open_requests: dict[int, web.Request] = {}
        """The websocket requests being served, by id (a Request is a mapping, so not hashable)."""

    async def on_startup(self, app: web.Application) -> None:
        where = self.public_url if not self.follow_request else f"http://{self.host}:{self.port}"
        if self.host in ("0.0.0.0", "::"):
            where = f"http://<this machine's address>:{self.port}"
        self.console.print(f"Formative workshop: participants open {where}   (Ctrl+C stops; answers are saved)")

    def check_host(self, request: web.Request) -> None:
        """On loopback, refuse Host names that are not loopback (or the --public-url of a proxy in front)."""
        if not is_loopback(self.host):
            return
        name = urlsplit(f"//{request.host}").hostname or ""
        if not is_loopback(name) and (self.follow_request or name != urlsplit(self.public_url).hostname):
            raise web.HTTPForbidden(text="Open this workshop at http://127.0.0.1 or http://localhost.")

    async def handle_index(self, request: web.Request) -> Any:
        self.check_host(request)
        if self.follow_request:
            # No await between this and the page being rendered, so requests cannot mix their addresses.
            self.public_url = f"{request.scheme}://{request.host}"
        return await super().handle_index(request)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        self.check_host(request)
        origin = request.headers.get("Origin")
        allowed = {request.host.lower(), urlsplit(self.public_url).netloc.lower()}
        if origin is not None and urlsplit(origin).netloc.lower() not in allowed:
            raise web.HTTPForbidden(text="This workshop only accepts its own page.")
        if len(self.open_requests) >= self.max_participants:
            raise web.HTTPServiceUnavailable(text="This workshop is full; ask your facilitator.")
        self.open_requests[id(request)] = request
        try:
            response: web.WebSocketResponse = await super().handle_websocket(request)
            return response
        finally:
            del self.open_requests[id(request)]

    async def on_shutdown(self, app: web.Application) -> None:
        # textual-serve then sends each app "quit" and waits for it to save and exit.
        for request in list(self.open_requests.values()):
            if request.transport is not None:
                request.transport.close()
