"""Hosting a workshop for a room: over SSH (asyncssh) and in browsers.

Nothing here is imported by `formative.cli` at start-up: each `serve` command
imports its server lazily, so the everyday commands stay fast and need no
network libraries.
"""
