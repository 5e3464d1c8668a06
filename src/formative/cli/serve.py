"""Hosting a workshop for a room: the `serve` group, over SSH and the web."""

from __future__ import annotations

from pathlib import Path

import click

from formative.cli.common import fail
from formative.workbook.errors import WorkbookError
from formative.workbook.load import MAX_SECRET_BYTES, read_text


@click.group()
def serve() -> None:
    """Host a workshop folder for a room: over SSH (and, where installed, the web)."""


@serve.command("ssh")
@click.argument("workshop_dir", metavar="DIR", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0 for the room).")
@click.option("--port", default=2222, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--authorized-keys",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Public keys allowed in, one a line, as in ~/.ssh/authorized_keys.",
)
@click.option("--passcode-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Passcode file.")
@click.option("--passcode", help="The workshop passcode (visible in `ps`: prefer --passcode-file).")
@click.option("--allow-anonymous", is_flag=True, help="Let anyone in with no key or passcode.")
@click.option("--max-connections", default=40, show_default=True, type=click.IntRange(1, 1000))
@click.option(
    "--host-key",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Server key file, made on first start [default: DIR/.formative/ssh_host_ed25519_key].",
)
@click.option(
    "--spawn",
    type=click.Choice(["fork", "fresh"]),
    default="fork",
    show_default=True,
    help="fork: apps forked from a process that loaded Formative once (fast); fresh: a new process each.",
)
def serve_ssh(
    workshop_dir: Path,
    host: str,
    port: int,
    authorized_keys: Path | None,
    passcode_file: Path | None,
    passcode: str | None,
    allow_anonymous: bool,
    max_connections: int,
    host_key: Path | None,
    spawn: str,
) -> None:
    """Host the workshop in DIR over SSH: each connection gets its own app, nothing else.

    People come in with a key (from --authorized-keys, or listed for them in workshop.toml)
    or the passcode; each name is then theirs alone, bound to their key or a PIN they choose.
    """
    from formative.workshop.folder import Workshop

    passcode = read_passcode(passcode, passcode_file)
    try:
        roster_keys, problem = Workshop.open(workshop_dir).data.keys, None
    except WorkbookError as error:
        roster_keys, problem = {}, error
    if authorized_keys is None and not passcode and not allow_anonymous and not roster_keys:
        fail(
            "No way to let people in: give --authorized-keys and/or --passcode-file, list keys in "
            "workshop.toml, or --allow-anonymous."
        )
    if problem is not None:
        fail(str(problem))  # now, clearly, rather than in every participant's app
    import asyncio

    from formative.serve.hostkey import HostKeyError, default_host_key_path
    from formative.serve.ssh import ServeConfig, serve
    from formative.workshop.folder import state_folder

    if host_key is None:
        state_folder(workshop_dir)  # private and ignored by git, even in an older workshop folder
    config = ServeConfig(
        workshop_dir=workshop_dir.resolve(),
        host=host,
        port=port,
        host_key=host_key or default_host_key_path(workshop_dir.resolve()),
        authorized_keys=authorized_keys,
        passcode=passcode or None,
        allow_anonymous=allow_anonymous,
        max_connections=max_connections,
        zygote=spawn == "fork",
    )
    try:
        asyncio.run(serve(config))
    except (HostKeyError, OSError, ValueError) as error:
        fail(f"Cannot serve: {error}")


def read_passcode(passcode: str | None, passcode_file: Path | None) -> str | None:
    """The workshop passcode from --passcode or --passcode-file (one, not both; never empty)."""
    if passcode_file is not None and passcode is not None:
        fail("Give --passcode or --passcode-file, not both.")
    if passcode_file is None:
        return passcode
    try:
        text = read_text(passcode_file, MAX_SECRET_BYTES).strip()
    except WorkbookError as error:
        fail(str(error))
    if not text:
        fail(f"{passcode_file} is empty.")
    return text


@serve.command("web")
@click.argument("workshop_dir", metavar="DIR", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0 for the room).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--passcode-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Passcode file.")
@click.option("--passcode", help="The workshop passcode (visible in `ps`: prefer --passcode-file).")
@click.option(
    "--public-url",
    help="The address the room types, when it is not this machine's own (a proxy or a DNS name): "
    "pages from it are accepted too.",
)
@click.option("--max-participants", default=40, show_default=True, type=click.IntRange(1, 1000))
def serve_web(
    workshop_dir: Path,
    host: str,
    port: int,
    passcode_file: Path | None,
    passcode: str | None,
    public_url: str | None,
    max_participants: int,
) -> None:
    """Host the workshop in DIR for browsers: a login page (name, passcode, PIN), then one app per person."""
    from formative.serve import web
    from formative.workshop.folder import Workshop

    passcode = read_passcode(passcode, passcode_file)
    if not passcode and not web.is_loopback(host):
        fail(f"--host {host} lets other machines in: give --passcode-file (or --passcode) for the room to type.")
    Workshop.open(workshop_dir)  # a clear error now rather than in every browser tab
    try:
        web.allowed_origins(host, port, public_url)
    except ValueError as error:
        fail(str(error))
    config = web.WebConfig(
        workshop_dir.resolve(),
        host=host,
        port=port,
        passcode=passcode or None,
        public_url=public_url,
        max_participants=max_participants,
    )
    try:
        web.serve_web(config)
    except OSError as error:
        fail(f"Cannot serve: {error}")
