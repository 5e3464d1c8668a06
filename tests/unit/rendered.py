"""Markdown as a reader sees it: rendered to HTML by markdown-it, then taken apart.

The renderer runs with raw HTML allowed and GFM tables and strikethrough on, the
most permissive settings a coach's Markdown viewer is likely to have.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from markdown_it import MarkdownIt

_MD = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def to_html(markdown: str) -> str:
    return _MD.render(markdown)


@dataclass
class Rendered:
    """What a browser would build from the HTML: the tags in order, the text, and any comments."""

    tags: list[str] = field(default_factory=list)
    text: str = ""
    comments: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found = Rendered()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.tags.append("<" + " ".join([tag, *(f"{k}={v}" for k, v in attrs)]) + ">")

    def handle_endtag(self, tag: str) -> None:
        self.found.tags.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.found.text += data

    def handle_comment(self, data: str) -> None:
        self.found.comments.append(data)

    def handle_decl(self, decl: str) -> None:
        self.found.comments.append(decl)

    def unknown_decl(self, data: str) -> None:
        self.found.comments.append(data)


def read(markdown: str) -> Rendered:
    reader = _Reader()
    reader.feed(to_html(markdown))
    reader.close()
    return reader.found


def plain(text: str) -> str:
    """Text with whitespace runs made single spaces (HTML shows them so)."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def look_alike(text: str) -> str:
    """Harmless text of the same shape: letters, digits and whitespace kept, everything else an 'x'."""
    return re.sub(r"[^\w\s]|_", "x", text)
