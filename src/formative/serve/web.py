"""`formative serve web`: the participant app in browsers, one process per person, through textual-serve.

This module stays light (no aiohttp, no Textual) so the command can check its options
before loading the server. The rest, one job each:
- web_config.py: the options (WebConfig), shared by the server and the app's process;
- web_origins.py: which addresses are ours, fixed at start from the options;
- web_session.py: signed session tokens;
- web_login.py: passcode, name and PIN, behind the guard;
- web_pages.py (+ web_pages/, web_static/): the login page and the app's page;
- web_service.py: one participant's app process, with an allow-listed environment;
- web_server.py: the aiohttp server tying these together;
- web_entry.py: what runs in the participant's process.
"""

from __future__ import annotations

from formative.serve.web_config import PARTICIPANT_ENV, WebConfig
from formative.serve.web_origins import allowed_origins, is_loopback

__all__ = ["PARTICIPANT_ENV", "WebConfig", "allowed_origins", "is_loopback", "serve_web"]


def serve_web(config: WebConfig) -> None:
    """Serve until Ctrl+C or SIGTERM; each open app saves its answers as the server stops."""
    from formative.serve.web_server import serve

    serve(config)
