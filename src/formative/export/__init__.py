"""Exports of a person's answers: Markdown documents (and, with the UI, SVG canvases)."""
