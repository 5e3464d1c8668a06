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

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token


@cache
def _parser() -> MarkdownIt:
    """markdown-it, imported on first need: plain guidance never needs it (see simple_blocks)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False})


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


Run = tuple[str, tuple[str, ...]]
"""A stretch of text and the styles on it, outermost first."""


def runs_content(runs: list[Run]) -> Content:
    """Styled text from runs, neighbours with the same styles merged (so both parsers build equal Content)."""
    merged: list[Run] = []
    for text, styles in runs:
        if merged and merged[-1][1] == styles:
            merged[-1] = (merged[-1][0] + text, styles)
        elif text:
            merged.append((text, styles))
    parts = []
    for text, styles in merged:
        piece = Content(text)
        for style in styles:
            piece = piece.stylize(style)
        parts.append(piece)
    return Content("").join(parts)


def inline_content(tokens: list[Token]) -> Content:
    """The styled text of an inline run: emphasis, strong, code and links; HTML as literal text."""
    runs: list[Run] = []
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
            runs.append((text, (*styles, style) if style else tuple(styles)))
    return runs_content(runs)


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
    simple = simple_blocks(markdown)
    return simple if simple is not None else parsed_blocks(markdown)


def parsed_blocks(markdown: str) -> list[Block]:
    """guidance_blocks through markdown-it: any CommonMark."""
    blocks: list[Block] = []
    lists: list[_List] = []
    quote = 0
    group: int | None = None
    groups = 0
    heading = ""
    tokens = _parser().parse(markdown)
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


# Plain guidance without markdown-it ----------------------------------------------------------
#
# Most guidance is paragraphs, "- " and "1. " lists, *emphasis*, **strong** and `code`. Read
# here, it needs no markdown-it (whose import is a tenth of Textual's own start, on the way
# to the first paint). Anything else, or anything this reading is not sure of, is None, and
# markdown-it reads the text: a test checks both give the same blocks on every bundled text.

_BULLET = re.compile(r"- (?=\S)")
_NUMBER = re.compile(r"(\d{1,9})\. (?=\S)")
_INTERRUPTS = re.compile(
    r" {0,3}(?:[-+*] |[-+*]$|\d{1,9}[.)](?: |$)|#|>|```|~~~|<|={2,}\s*$|-{2,}\s*$|([-*_])(?: *\1){2,} *$)"
)
_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_UNSURE = frozenset("_[]<&")
"""Underscore emphasis, links and images, HTML and entities: left to markdown-it."""


def simple_blocks(markdown: str) -> list[Block] | None:
    """The blocks of plain guidance, as parsed_blocks gives them; None when markdown-it must read it."""
    if "\t" in markdown or "\r" in markdown:
        return None  # tabs count as spaces to a column in CommonMark; not worth doing twice
    chunks: list[list[str]] = [[]]
    for line in markdown.split("\n"):
        if line.strip():
            chunks[-1].append(line)
        elif chunks[-1]:
            chunks.append([])
    blocks: list[Block] = []
    groups = 0
    last_list = ""
    for lines in (chunk for chunk in chunks if chunk):
        if lines[0].startswith((" ", "\t")):
            return None  # indented: code, or a list item's continuation across a blank line
        kind = "bullet" if _BULLET.match(lines[0]) else "number" if _NUMBER.match(lines[0]) else ""
        if kind and kind == last_list:
            return None  # a list across a blank line is one loose list
        last_list = kind
        if not kind:
            if any(_INTERRUPTS.match(line) for line in lines):
                return None
            content = _simple_inline(lines)
            if content is None:
                return None
            blocks.append(Block(content, "", "", None))
            continue
        groups += 1
        items: list[list[str]] = []
        marker = _BULLET if kind == "bullet" else _NUMBER
        for line in lines:
            found = marker.match(line)
            if found:
                if _INTERRUPTS.match(line[found.end() :]):
                    return None  # a list or a heading inside the item
                items.append([line[found.end() :]])
            elif _INTERRUPTS.match(line) or (line.startswith((" ", "\t")) and _INTERRUPTS.match(line.strip())):
                return None
            else:
                items[-1].append(line)
        number_match = _NUMBER.match(lines[0])
        start = int(number_match.group(1)) if number_match else 0
        width = len(f"{start + len(items) - 1}. ") + 1
        for index, item in enumerate(items):
            content = _simple_inline(item)
            if content is None:
                return None
            if kind == "bullet":
                first = BULLETS[0]
                blank = " " * len(first)
            else:
                first = f"{start + index}. ".rjust(width)
                blank = " " * width
            blocks.append(Block(content, first, blank, groups))
    return blocks


def _simple_inline(lines: list[str]) -> Content | None:
    """A paragraph's lines as styled text: escapes, *em*, **strong**, `code`; None when unsure."""
    text = "\n".join(line.strip() for line in lines)
    if any(line != line.rstrip() or line.endswith("\\") for line in lines):
        return None  # a hard line break, or spaces CommonMark keeps or drops by rules not worth repeating
    runs: list[Run] = []
    styles: list[str] = []
    opened: list[int] = []
    index, plain = 0, ""
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text) and text[index + 1] in _PUNCTUATION:
            plain += text[index + 1]
            index += 2
        elif char in _UNSURE:
            return None
        elif char == "\n":
            plain += " "
            index += 1
        elif char == "`":
            end = text.find("`", index + 1)
            code = text[index + 1 : end]
            closed_twice = end + 1 < len(text) and text[end + 1] == "`"
            if end < 0 or not code or "\n" in code or code[0] == " " or code[-1] == " " or closed_twice:
                return None
            runs.append((plain, tuple(styles)))
            runs.append((code, (*styles, CODE_STYLE)))
            plain = ""
            index = end + 1
        elif char == "*":
            length = len(text[index:]) - len(text[index:].lstrip("*"))
            before = text[index - 1] if index else " "
            after = text[index + length] if index + length < len(text) else " "
            left = not after.isspace() and (after not in _PUNCTUATION or before.isspace() or before in _PUNCTUATION)
            right = not before.isspace() and (before not in _PUNCTUATION or after.isspace() or after in _PUNCTUATION)
            if length > 2 or left == right:
                return None
            runs.append((plain, tuple(styles)))
            plain = ""
            if left:
                if length in opened:
                    return None
                opened.append(length)
                styles.append("bold" if length == 2 else "italic")
            else:
                if not opened or opened[-1] != length:
                    return None
                opened.pop()
                styles.pop()
            index += length
        else:
            plain += char
            index += 1
    if opened:
        return None
    runs.append((plain, tuple(styles)))
    return runs_content(runs)


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
