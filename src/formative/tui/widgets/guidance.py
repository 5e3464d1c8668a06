"""A step's guidance (workbook Markdown) drawn by one widget.

Textual's Markdown widget mounts a widget per block (a paragraph, each list item and its
bullet): 20 to 30 widgets for a step's guidance, each styled and laid out, which was most
of the cost of drawing a step. Guidance is short prose with emphasis and lists, so here
it is parsed once (markdown-it, as Textual does) into styled lines that one widget wraps
to its width, with list items' lines hanging under their text.

Text reaches this widget already made safe (answers escaped, control codes visible: see
safe_text.answers_markdown); nothing in it is read as Textual markup, and HTML shows as
the text it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

_PARSER = MarkdownIt("commonmark", {"html": False})
_INLINE_STYLES = {
    "strong": "bold",
    "em": "italic",
    "s": "strike",
    "link": "underline",
}
CODE_STYLE = "$text-warning 95% on $warning 10%"
"""Inline code, as Textual's Markdown shows it on a dark theme."""
BULLETS = ["• ", "▪ ", "‣ ", "⭑ ", "◦ "]
"""By list depth, as Textual's Markdown."""


@dataclass(frozen=True)
class Block:
    """One paragraph (or heading, code block, rule): its text and what stands before its lines."""

    content: Content
    first: str
    """Before its first line: indentation and a bullet or number for a list item's first paragraph."""
    rest: str
    """Before each following line: the same width, blank, so wrapped lines hang under the text."""
    group: int | None
    """Blocks of one top-level list share a group: no blank line between them."""


def inline_content(tokens: list[Token]) -> Content:
    """The styled text of an inline run: emphasis, strong, code and links; HTML as literal text."""
    parts: list[Content] = []
    styles: list[str] = []
    for token in tokens:
        kind = token.type
        if kind.endswith("_open") and kind[: -len("_open")] in _INLINE_STYLES:
            styles.append(_INLINE_STYLES[kind[: -len("_open")]])
        elif kind.endswith("_close") and kind[: -len("_close")] in _INLINE_STYLES:
            if styles:
                styles.pop()
        else:
            text, style = _inline_text(token)
            piece = Content(text)
            for outer in [*styles, style]:
                if outer:
                    piece = piece.stylize(outer)
            parts.append(piece)
    return Content("").join(parts)


def _inline_text(token: Token) -> tuple[str, str]:
    if token.type == "softbreak":
        return " ", ""
    if token.type == "hardbreak":
        return "\n", ""
    if token.type == "code_inline":
        return token.content, CODE_STYLE
    if token.type == "image":
        return token.content or "", "italic"
    return token.content, ""


def guidance_blocks(markdown: str) -> list[Block]:
    """The blocks of a Markdown text, in order, with the prefixes their lists give them."""
    blocks: list[Block] = []
    lists: list[_List] = []
    quote = 0
    group: int | None = None
    groups = 0
    heading = ""
    tokens = _PARSER.parse(markdown)
    for index, token in enumerate(tokens):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            if not lists:
                groups += 1
                group = groups
            lists.append(_open_list(tokens, index, lists))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
            if not lists:
                group = None
        elif kind == "list_item_open":
            lists[-1].fresh_item = True
        elif kind == "list_item_close":
            lists[-1].number += 1
        elif kind == "blockquote_open":
            quote += 1
        elif kind == "blockquote_close":
            quote -= 1
        elif kind == "heading_open":
            heading = token.tag
        elif kind == "heading_close":
            heading = ""
        elif kind == "inline":
            content = inline_content(token.children or [])
            if heading:
                content = content.stylize("bold underline" if heading == "h1" else "bold")
            blocks.append(_block(content, lists, quote, group))
        elif kind in ("fence", "code_block"):
            content = Content(token.content.rstrip("\n")).stylize(CODE_STYLE)
            blocks.append(_block(content, lists, quote, group))
        elif kind == "hr":
            blocks.append(_block(Content("─" * 20).stylize("$text-muted"), lists, quote, group))
    return blocks


@dataclass
class _List:
    """An open list: its next number (None for bullets), its bullet, and its markers' width."""

    number: int
    ordered: bool
    bullet: str
    width: int
    fresh_item: bool = False
    """The current item's first paragraph is still to come: it gets the marker."""

    def marker(self) -> str:
        return f"{self.number}. ".rjust(self.width) if self.ordered else self.bullet


def _open_list(tokens: list[Token], index: int, lists: list[_List]) -> _List:
    """As Textual's Markdown: numbers right-aligned one wider than the longest; bullets by depth."""
    token = tokens[index]
    if token.type == "bullet_list_open":
        depth = sum(1 for open_list in lists if not open_list.ordered)
        bullet = BULLETS[depth % len(BULLETS)]
        return _List(0, False, bullet, len(bullet))
    start = int(str(token.attrGet("start") or 1))
    items = 0
    for later in tokens[index + 1 :]:
        if later.level == token.level and later.type == "ordered_list_close":
            break
        items += later.type == "list_item_open" and later.level == token.level + 1
    return _List(start, True, "", len(f"{start + max(items, 1) - 1}. ") + 1)


def _block(content: Content, lists: list[_List], quote: int, group: int | None) -> Block:
    """A block with the prefixes of the lists and quotes it sits in."""
    indent = "".join(" " * open_list.width for open_list in lists[:-1])
    bar = "▌ " * quote
    if not lists:
        return Block(content, bar, bar, group)
    innermost = lists[-1]
    blank = " " * innermost.width
    first = innermost.marker() if innermost.fresh_item else blank
    innermost.fresh_item = False
    return Block(content, bar + indent + first, bar + indent + blank, group)


def guidance_lines(blocks: list[Block], width: int) -> list[Content]:
    """The blocks wrapped to width: list items' lines hang under their text; a blank line after each
    paragraph and after each list, as Textual's Markdown spaces them."""
    lines: list[Content] = []
    for index, block in enumerate(blocks):
        room = max(width - len(block.first), 1)
        for number, line in enumerate(block.content.wrap(room) or [Content("")]):
            prefix = block.first if number == 0 else block.rest
            lines.append(Content.assemble(_styled_prefix(prefix), line))
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if following is None or block.group is None or following.group != block.group:
            lines.append(Content(""))
    return lines


def _styled_prefix(prefix: str) -> Content:
    """Bullets and numbers in the primary text colour, quote bars muted."""
    return Content(prefix).stylize("$text-primary").stylize("$text-muted", 0, prefix.count("▌ ") * 2)


class Guidance(Widget):
    """Workbook Markdown (already made safe) as one widget: paragraphs, lists, emphasis, code."""

    DEFAULT_CSS = """
    Guidance {
        height: auto;
    }
    """

    def __init__(self, markdown: str = "", *, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self.markdown = markdown
        self._blocks = guidance_blocks(markdown)
        self._lines: tuple[int, list[Content]] | None = None

    def update(self, markdown: str) -> None:
        self.markdown = markdown
        self._blocks = guidance_blocks(markdown)
        self._lines = None
        self.refresh(layout=True)

    def lines_for(self, width: int) -> list[Content]:
        if self._lines is None or self._lines[0] != width:
            self._lines = (width, guidance_lines(self._blocks, width))
        return self._lines[1]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines_for(width))

    def render(self) -> Content:
        return Content("\n").join(self.lines_for(self.size.width))
