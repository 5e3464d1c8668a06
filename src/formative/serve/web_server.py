"""The aiohttp server of `serve web`: a login page first, then one app per person.

- Nobody costs a process before logging in: the login page is plain HTML served here,
  and the websocket that would start an app is refused (403, nothing spawned) unless
  it carries a genuine, unexpired session cookie whose name is still bound the same way.
- The name comes from that session, never from the participant inside the app, and
  reaches the app in its environment.
- Capacity (`--max-participants`) counts running apps, that is people logged in.
  One app per name: a second tab of the same person waits a moment (a reload closes
  the old one) and otherwise gets a page saying where their answers already are open.
- Origins and Host names come from the configuration (web_origins.py), never from a
  request: a form post or websocket from any other page is refused (CSRF, cross-site
  websockets), and so is a Host name that is not ours (DNS rebinding).
- A quick, saving stop: on Ctrl+C or SIGTERM every app is told to quit (each saves),
  and any app still running after a few seconds is killed.

textual-serve provides the app's page script, its static files and AppService (the
process and its framed pipe); its Server class is not used, because its index page
follows the request's Host and its websocket starts a process for anyone.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import WSMsgType, web
from aiohttp.typedefs import Handler
from textual_serve.download_manager import DownloadManager

from formative.serve.guard import AuthGuard
from formative.serve.joining import web_serving
from formative.serve.web_config import WebConfig
from formative.serve.web_login import ConfirmPin, Doorkeeper, Outcome, TryAgain, Welcome
from formative.serve.web_origins import Origin, Origins, allowed_origins
from formative.serve.web_pages import STATIC, app_page, confirm_page, login_page, message_page
from formative.serve.web_service import ParticipantService, entry_command
from formative.serve.web_session import SESSION_SECONDS, SessionToken
from formative.serve.zygote_client import ZygoteSpawner
from formative.workshop.folder import Workshop
from formative.workshop.identity import People
from formative.workshop.names import name_key
from formative.workshop.serving import remove_serving, write_serving

SHUTDOWN_GRACE = 5.0
"""Seconds the apps get to save and exit when the server stops, before they are killed."""
REOPEN_WAIT = 4.0
"""Seconds a new tab waits for the same person's previous app to save and exit (a reload)."""
MAX_FORM = 16 * 1024
"""Largest request body accepted: a login form is a few hundred bytes."""

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
FORM_POLICY = "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"


def log(message: str) -> None:
    """One line per event on stderr, for the coach's terminal. Never secrets."""
    print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


class WebHosting:
    """Everything one `serve web` shares: settings, the login desk, the running apps."""

    def __init__(
        self,
        config: WebConfig,
        *,
        guard: AuthGuard | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        log: Callable[[str], None] = log,
        zygote: bool = True,
    ) -> None:
        self.config = config
        self.log = log
        self.use_zygote = zygote
        """Fork apps from a warm process (zygote.py), started with the server; else a fresh process each."""
        self.zygote: ZygoteSpawner | None = None
        self.stopping = asyncio.Event()
        workshop = Workshop.open(config.workshop_dir)
        self.title = workshop.data.workshop.title
        self.origins: Origins = allowed_origins(config.host, config.port, config.public_url)
        people = People(config.workshop_dir, workshop.data.roster, workshop.data.keys)
        guard = guard or AuthGuard(log=log)
        self.doorkeeper = Doorkeeper(people, config.passcode, guard, sleep=sleep or self.penalty, log=log)
        self.command = entry_command(config.workshop_dir)
        self.cookie = f"formative-session-{config.port}"
        """Cookies are shared by every port of a host: one name per server keeps two rooms apart."""
        self.running: dict[str, asyncio.Event] = {}
        """Running apps by folded name; each event is set when that app has ended."""
        self.connections: dict[int, web.Request] = {}
        """The websocket requests of running apps, by id (a Request is a mapping, so not hashable)."""

    # The application ------------------------------------------------------------------------

    def make_app(self) -> web.Application:
        from textual_serve import server as textual_serve_server

        textual_static = Path(textual_serve_server.__file__).with_name("static")
        app = web.Application(client_max_size=MAX_FORM, middlewares=[self.only_our_host_names])
        app.add_routes(
            [
                web.get("/", self.handle_index),
                web.post("/login", self.handle_login),
                web.post("/confirm", self.handle_confirm),
                web.get("/ws", self.handle_websocket),
                web.static("/static", textual_static),
                web.static("/formative", STATIC),
            ]
        )
        app.on_response_prepare.append(self._security_headers)
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    def serve(self) -> None:
        """Serve until Ctrl+C or SIGTERM (aiohttp turns both into a graceful stop)."""
        web.run_app(
            self.make_app(),
            host=self.config.host,
            port=self.config.port,
            print=None,
            shutdown_timeout=SHUTDOWN_GRACE + 5,
            access_log=None,
        )

    async def on_startup(self, app: web.Application) -> None:
        if self.use_zygote:
            self.zygote = ZygoteSpawner()
        also = self.origins.listing()[1:]
        self.log(f"Formative workshop: participants open {self.origins.primary}   (Ctrl+C stops; answers are saved)")
        if also:
            self.log("also accepted: " + ", ".join(also))
        write_serving(self.config.workshop_dir, web_serving(self.origins, self.config.passcode))

    async def on_shutdown(self, app: web.Application) -> None:
        """Close every browser connection, so each app is told to quit and saves; then wait, bounded."""
        self.stopping.set()
        remove_serving(self.config.workshop_dir, "web")
        for request in list(self.connections.values()):
            if request.transport is not None:
                request.transport.close()
        waits = [event.wait() for event in self.running.values()]
        if waits:
            self.log(f"stopping: asked {len(waits)} app(s) to save and exit")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.gather(*waits), SHUTDOWN_GRACE + 2)
        if self.zygote is not None:
            zygote, self.zygote = self.zygote, None
            zygote.close()

    async def penalty(self, seconds: float) -> None:
        """The wait before answering a failed login; cut short when the server stops (nothing to protect then)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stopping.wait(), seconds)

    @staticmethod
    async def _security_headers(request: web.Request, response: web.StreamResponse) -> None:
        for header, value in SECURITY_HEADERS.items():
            response.headers.setdefault(header, value)

    # Checks every request passes ---------------------------------------------------------------

    @web.middleware
    async def only_our_host_names(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Every request, static files included, must name one of our hosts (DNS rebinding)."""
        self.own_origin(request)
        return await handler(request)

    def own_origin(self, request: web.Request) -> Origin:
        """The origin of ours the request's Host names; a foreign or rebound name is refused."""
        origin = self.origins.for_host(request.host)
        if origin is None:
            raise web.HTTPForbidden(text=f"This workshop is at {self.origins.primary}")
        return origin

    def check_origin(self, request: web.Request) -> None:
        """A form post or websocket must come from one of our pages (browsers always say where from)."""
        if not self.origins.allows(request.headers.get("Origin")):
            raise web.HTTPForbidden(text="This workshop only accepts its own pages.")

    def address(self, request: web.Request) -> str:
        return request.remote or "unknown"

    # Pages -------------------------------------------------------------------------------------

    def page(self, text: str, status: int = 200) -> web.Response:
        response = web.Response(text=text, status=status, content_type="text/html", charset="utf-8")
        response.headers["Content-Security-Policy"] = FORM_POLICY
        return response

    def login(self, problem: str = "", name: str = "", status: int = 200, field: str = "name") -> web.Response:
        asks = self.doorkeeper.asks_passcode
        return self.page(login_page(self.title, asks_passcode=asks, name=name, problem=problem, field=field), status)

    async def handle_index(self, request: web.Request) -> web.Response:
        """The app's page for someone logged in; the login page for everyone else."""
        origin = self.own_origin(request)
        session = await self.doorkeeper.session(request.cookies.get(self.cookie))
        if session is None:
            response = self.login()
            if self.cookie in request.cookies:
                response.del_cookie(self.cookie, path="/")
            return response
        if not await self._wait_for_turn(session):
            text = (
                f"{session.name}, your workbook is already open in another tab or window. "
                "Carry on there, or close it and then open this page again."
            )
            return self.page(message_page(self.title, "Already open", text, "Open it here"), 409)
        if len(self.running) >= self.config.max_participants:
            text = f"The workshop is full ({self.config.max_participants} people). Ask your facilitator."
            return self.page(message_page(self.title, "The workshop is full", text), 503)
        font_size = max(8, min(_to_int(request.query.get("fontsize", "16"), 16), 40))
        websocket_url = f"{origin.websocket_scheme}://{request.host}/ws"
        response = web.Response(
            text=app_page(self.title, websocket_url, font_size), content_type="text/html", charset="utf-8"
        )
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self'; "
            f"img-src 'self' data:; connect-src 'self' {websocket_url}; frame-ancestors 'none'; base-uri 'none'"
        )
        return response

    async def _form(self, request: web.Request, *fields: str) -> list[str]:
        self.check_origin(request)
        form = await request.post()
        return [value if isinstance(value := form.get(field, ""), str) else "" for field in fields]

    async def handle_login(self, request: web.Request) -> web.Response:
        name, passcode, pin = await self._form(request, "name", "passcode", "pin")
        return self.answer(await self.doorkeeper.login(self.address(request), name, passcode, pin))

    async def handle_confirm(self, request: web.Request) -> web.Response:
        pending, pin, pin_again = await self._form(request, "pending", "pin", "pin_again")
        return self.answer(await self.doorkeeper.confirm(self.address(request), pending, pin, pin_again))

    def answer(self, outcome: Outcome) -> web.Response:
        if isinstance(outcome, Welcome):
            response = web.Response(status=303, headers={"Location": "/"})
            response.set_cookie(
                self.cookie,
                outcome.token,
                max_age=SESSION_SECONDS,
                path="/",
                httponly=True,
                samesite="Strict",
                secure=self.origins.primary.scheme == "https",
            )
            return response
        if isinstance(outcome, ConfirmPin):
            text = confirm_page(
                self.title, name=outcome.name, pending=outcome.pending, twice=outcome.twice, problem=outcome.problem
            )
            return self.page(text)
        assert isinstance(outcome, TryAgain)
        return self.login(outcome.problem, outcome.name, outcome.status, outcome.field)

    # The app -----------------------------------------------------------------------------------

    async def _wait_for_turn(self, session: SessionToken) -> bool:
        """False when this person's app is still running after a short wait (a reload ends the old one)."""
        key = name_key(session.name).folded
        deadline = asyncio.get_running_loop().time() + REOPEN_WAIT
        while (ended := self.running.get(key)) is not None:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                return False
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(ended.wait(), remaining)
        return True

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        """Start this person's app, only for a genuine session; refusals cost no process."""
        self.check_origin(request)
        session = await self.doorkeeper.session(request.cookies.get(self.cookie))
        if session is None:
            raise web.HTTPForbidden(text="Log in first.")
        if not await self._wait_for_turn(session):
            raise web.HTTPConflict(text="Already open in another tab.")
        if len(self.running) >= self.config.max_participants:
            raise web.HTTPServiceUnavailable(text="This workshop is full; ask your facilitator.")
        key = name_key(session.name).folded
        ended = self.running[key] = asyncio.Event()  # no await since the checks: nobody else got in between
        try:
            return await self._run_app(request, session)
        finally:
            del self.running[key]
            ended.set()

    async def _run_app(self, request: web.Request, session: SessionToken) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(heartbeat=15, max_msg_size=64 * 1024)
        await socket.prepare(request)
        self.connections[id(request)] = request
        width = _to_int(request.query.get("width", "80"), 80)
        height = _to_int(request.query.get("height", "24"), 24)
        service = ParticipantService(
            self.command,
            session.name,
            zygote=self.zygote,
            workshop_dir=self.config.workshop_dir.resolve(),
            write_bytes=socket.send_bytes,
            write_str=socket.send_str,
            close=socket.close,
            download_manager=DownloadManager(),
        )
        self.log(f"started the app of {session.name!r} for {self.address(request)}")
        try:
            await service.start(width, height)
            await self._relay(socket, service)
        finally:
            del self.connections[id(request)]
            code = await service.wait_stopped(SHUTDOWN_GRACE)
            self.log(f"the app of {session.name!r} ended (exit code {code})")
        return socket

    async def _relay(self, socket: web.WebSocketResponse, service: ParticipantService) -> None:
        """The browser's messages to the app, as textual-serve's page sends them; anything else is ignored."""
        async for message in socket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
            except ValueError:
                continue
            if not isinstance(envelope, list) or not envelope:
                continue
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str):
                await service.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                width, height = data.get("width"), data.get("height")
                if isinstance(width, int) and isinstance(height, int):
                    await service.set_terminal_size(width, height)
            elif kind == "ping" and isinstance(data, str):
                await socket.send_json(["pong", data[:32]])
            elif kind == "blur":
                await service.blur()
            elif kind == "focus":
                await service.focus()


def _to_int(text: str, default: int) -> int:
    try:
        return int(text)
    except ValueError:
        return default


def serve(config: WebConfig) -> None:
    WebHosting(config).serve()
