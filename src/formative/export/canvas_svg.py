"""The workbook's one-page canvas as a self-contained, print-friendly SVG.

SVG because it is one plain text file that any browser opens, prints at A4 landscape
and converts to PNG or PDF, with no fonts, images or scripts to fetch. There is no
text layout engine in SVG, so lines are wrapped here with an estimate of glyph widths
(on the wide side, so text stays inside its box with any of the fallback fonts).
Every piece of user text is cleaned and escaped, so the file always parses.
"""

from __future__ import annotations

import html
import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from formative.answers.values import UNANSWERED, is_answered
from formative.export.wording import is_whole_number, record_fields, scale_text, vote_counts
from formative.text import xml_text as clean
from formative.walk import AnswerReader, Walk
from formative.workbook.model import CanvasCell, DotVote, Prompt, Ranking, Scale, Workbook

WIDTH, HEIGHT = 1190, 842  # A4 landscape in points; printed as 297 × 210 mm.
MARGIN, GAP, PAD = 40, 18, 20
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
INK, MUTED, ACCENT, RULE = "#1d2430", "#5b6670", "#2b6f77", "#c5d1d8"
TEXT_SIZE, LINE = 14, 20
INDENT = 18
"""How far bullet and numbered items are indented, in points (at TEXT_SIZE)."""
BOLD = 1.12
"""How much wider bold glyphs run; headings are measured at size × BOLD."""


class NoCanvasError(ValueError):
    """The workbook defines no [canvas] table, so there is nothing to draw."""


def _em(char: str) -> float:
    """Rough advance width of one character in ems (DejaVu Sans is among the widest)."""
    if unicodedata.combining(char) or unicodedata.category(char) == "Cf":
        return 0.0
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.15
    if char in "iljfrt.,:;'|!()[] ":
        return 0.36
    if char in "mwMW@%—":
        return 0.95
    return 0.73 if char.isupper() else 0.64


def text_width(text: str, size: float) -> float:
    return sum(_em(c) for c in text) * size


def wrap(text: str, width: float, size: float) -> list[str]:
    """Break text into lines no wider than width; words too long for a line are split."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if text_width(candidate, size) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            for char in word:
                if line and text_width(line + char, size) > width:
                    lines.append(line)
                    line = ""
                line += char
        lines.append(line)
    return lines


def _ellipsize(text: str, width: float, size: float) -> str:
    """The text cut short enough to end in '…' within width."""
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _one_line(text: str, width: float, size: float) -> str:
    """Text for a heading: one line, ending in '…' when it does not fit."""
    lines = wrap(clean(text).replace("\n", " "), width, size)
    return lines[0] if len(lines) == 1 else _ellipsize(lines[0] + " ", width, size)


@dataclass(frozen=True)
class Shown:
    """What a canvas box shows for one answer: one piece of text, or separate items.

    label, when given, is shown above it (the room's canvas names each question).
    """

    text: str | None = None
    items: tuple[str, ...] = ()
    numbered: bool = False
    label: str | None = None


Reader = Callable[[str, str], "Shown | None"]
"""What a box shows for one reference (step_id, prompt_id); None when nothing is answered."""


def _items(value: Any, prompt: Prompt | None) -> list[str] | None:
    """An answer as separate items (lists, rankings, records, votes), or None for one piece of text."""
    if not isinstance(value, list):
        return None
    if isinstance(prompt, DotVote):
        return [f"{count} × {option}" for option, count in vote_counts(value)]
    items = []
    for item in value:
        if isinstance(item, dict):
            items.append(" – ".join(text for _, text in record_fields(item, prompt)))
        elif str(item).strip():
            items.append(str(item).strip())
    return [i for i in items if i]


def _single(value: Any, prompt: Prompt | None) -> str:
    if isinstance(prompt, Scale) and is_whole_number(value):
        return scale_text(value, prompt)
    if isinstance(value, dict):
        return " – ".join(str(v) for v in value.values())
    return str(value).strip()


def person_reader(walk: Walk) -> Reader:
    """A box's content from one person's answers (hidden steps count as unanswered)."""

    def shown(step_id: str, prompt_id: str) -> Shown | None:
        step = walk.workbook.step(step_id)
        prompt = step.prompt(prompt_id) if step else None
        value = walk.answers.get(step_id, prompt_id)
        if (step is not None and not walk.is_visible(step)) or not is_answered(value):
            return None
        items = _items(value, prompt)
        if items is None:
            return Shown(text=_single(value, prompt))
        return Shown(items=tuple(items), numbered=isinstance(prompt, Ranking))

    return shown


Line = tuple[str, str, str]
"""One line of a cell: (marker such as '•' or '2.', text, style: 'text' | 'item' | 'label' | 'missing' | 'gap')."""

SIZES = (14, 13, 12, 11, 10)
"""Text sizes a box tries, largest first, until its answers fit."""
ROOM_SIZE = 12
"""The text size of the room's canvas, which grows taller rather than smaller."""


def _line_height(style: str, size: float) -> float:
    return size * LINE / TEXT_SIZE * (0.5 if style == "gap" else 1)


def _cell_lines(cell: CanvasCell, width: float, size: float, read: Reader, missing: str) -> list[Line]:
    lines: list[Line] = []
    indent = INDENT * size / TEXT_SIZE
    for ref in cell.answers:
        step_id, prompt_id = ref.split(".")
        shown = read(step_id, prompt_id)
        if lines:
            lines.append(("", "", "gap"))
        if shown is not None and shown.label:
            lines += [("", text, "label") for text in wrap(clean(shown.label).replace("\n", " "), width, size)]
        if shown is None or (shown.text is None and not shown.items):
            lines.append(("", f"{UNANSWERED} {missing}", "missing"))
            continue
        if shown.text is not None:
            lines += [("", text, "text") for text in wrap(clean(shown.text), width, size)]
        for number, item in enumerate(shown.items, 1):
            marker = f"{number}." if shown.numbered else "•"
            for n, text in enumerate(wrap(clean(item).replace("\n", " "), width - indent, size)):
                lines.append((marker if n == 0 else "", text, "item"))
    return lines


def _height(lines: list[Line], size: float) -> float:
    return sum(_line_height(style, size) for _, _, style in lines)


def _fit(lines: list[Line], room: float, width: float, size: float) -> list[Line]:
    """Keep the lines that fit in room (points).

    When some are cut, the last line says how many answers are left out ('+ 3 more'), or,
    when only the end of one answer is cut, the last line kept ends in '…'.
    """
    while lines and lines[-1][2] == "gap":
        lines.pop()
    if _height(lines, size) <= room:
        return lines
    step = _line_height("text", size)
    kept: list[Line] = []
    for reserve in (0.0, step):
        kept = []
        used = 0.0
        for line in lines:
            used += _line_height(line[2], size)
            if used > room - reserve and kept:
                break
            kept.append(line)
        left_out = sum(1 for marker, _, _ in lines[len(kept) :] if marker)
        if not left_out or reserve:
            break
    while len(kept) > 1 and kept[-1][2] == "gap":
        kept.pop()
    cut_short = len(kept) < len(lines) and not lines[len(kept)][0] and lines[len(kept)][2] in ("item", "text")
    if cut_short:
        marker, text, style = kept[-1]
        indent = INDENT * size / TEXT_SIZE if style == "item" else 0
        kept[-1] = (marker, _ellipsize(text + " ", width - indent, size), style)
    if left_out:
        kept.append(("", f"+ {left_out} more", "missing"))
    return kept


def _grid(count: int) -> list[int]:
    """Cells per row: 2×2 for four, one row for up to three, otherwise two rows."""
    if count <= 3:
        return [count]
    top = math.ceil(count / 2)
    return [top, count - top]


Box = tuple[float, float, float, float]
"""x, y, width, height of one cell."""


def _boxes(count: int, top: float, row_heights: list[float] | None = None) -> list[Box]:
    """The cells' boxes: rows sharing the page's height, or rows of the heights given."""
    rows = _grid(count)
    even = (HEIGHT - MARGIN - top - GAP * (len(rows) - 1)) / len(rows)
    heights = row_heights or [even] * len(rows)
    boxes = []
    y = top
    for in_row, row_height in zip(rows, heights, strict=True):
        cell_width = (WIDTH - 2 * MARGIN - GAP * (in_row - 1)) / in_row
        for c in range(in_row):
            boxes.append((MARGIN + c * (cell_width + GAP), y, cell_width, row_height))
        y += row_height + GAP
    return boxes


def _grown(cells: list[CanvasCell], boxes: list[Box], size: float, read: Reader, missing: str) -> list[float]:
    """Row heights that hold every answer at size: at least the page's own, taller where needed."""
    heights: list[float] = []
    index = 0
    for in_row in _grid(len(cells)):
        row = range(index, index + in_row)
        index += in_row
        needed = [
            _header(cells[n]) + PAD + _height(_cell_lines(cells[n], boxes[n][2] - 2 * PAD, size, read, missing), size)
            for n in row
        ]
        heights.append(max([boxes[row.start][3], *needed]))
    return heights


def _header(cell: CanvasCell) -> float:
    """How far below a cell's top its answers start: title, subtitle, rule."""
    return PAD + 20 + (22 if cell.subtitle else 0) + 12 + 6


def _answer_room(cell: CanvasCell, box: Box) -> float:
    return box[3] - _header(cell) - PAD


def _best_size(cell: CanvasCell, box: Box, read: Reader, missing: str) -> float:
    """The largest text size at which the cell's answers fit, or the smallest size."""
    for size in SIZES:
        if _height(_cell_lines(cell, box[2] - 2 * PAD, size, read, missing), size) <= _answer_room(cell, box):
            return size
    return SIZES[-1]


def _text(x: float, y: float, text: str, size: float, fill: str, extra: str = "") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{fill}"{extra}>{html.escape(text)}</text>'


def _draw_cell(cell: CanvasCell, number: int, box: Box, size: float, read: Reader, missing: str) -> list[str]:
    x, y, w, h = box
    inner = w - 2 * PAD
    rect = f'x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="10"'
    out = [
        f'<clipPath id="cell-{number}"><rect {rect}/></clipPath>',
        f'<rect {rect} fill="#ffffff" stroke="{RULE}" stroke-width="1.5"/>',
        f'<rect x="{x:.1f}" y="{y:.1f}" width="6" height="{h:.1f}" fill="{ACCENT}" clip-path="url(#cell-{number})"/>',
    ]
    title = _one_line(cell.title, inner, 21 * BOLD)
    cursor = y + PAD + 20
    out.append(_text(x + PAD, cursor, title, 21, ACCENT, ' font-weight="bold"'))
    if cell.subtitle:
        cursor += 22
        out.append(_text(x + PAD, cursor, _one_line(cell.subtitle, inner, 13), 13, MUTED, ' font-style="italic"'))
    cursor += 12
    out.append(
        f'<line x1="{x + PAD:.1f}" y1="{cursor:.1f}" x2="{x + w - PAD:.1f}" y2="{cursor:.1f}" '
        f'stroke="{RULE}" stroke-width="1"/>'
    )
    cursor += 6
    indent = INDENT * size / TEXT_SIZE
    lines = _cell_lines(cell, inner, size, read, missing)
    for marker, text, style in _fit(lines, _answer_room(cell, box), inner, size):
        cursor += _line_height(style, size)
        if style == "gap":
            continue
        if style in ("missing", "label"):
            out.append(_text(x + PAD, cursor, text, size, MUTED, ' font-style="italic"'))
            continue
        if marker:
            out.append(_text(x + PAD, cursor, marker, size, ACCENT))
        offset = indent if style == "item" else 0
        out.append(_text(x + PAD + offset, cursor, text, size, INK))
    return out


def draw_canvas(workbook: Workbook, title: str, byline: str, read: Reader, missing: str, grow: bool = False) -> str:
    """The canvas page: a title, a byline and the workbook's boxes filled by read.

    One A4 landscape page: every box uses one text size, the largest at which all of
    them fit (down to SIZES[-1]; below that, a box says how many answers it leaves out).
    grow (the room's canvas, with everyone's answers) keeps the text at a readable size
    and makes the page as tall as the answers need instead, so nothing is left out.
    Raises NoCanvasError (a ValueError) when the workbook has no canvas.
    """
    if workbook.canvas is None:
        raise NoCanvasError(f"The workbook '{workbook.id}' has no canvas to export.")
    cells = workbook.canvas.cells
    top = MARGIN + 72
    boxes = _boxes(len(cells), top + 20)
    if grow:
        size: float = ROOM_SIZE
        boxes = _boxes(len(cells), top + 20, _grown(cells, boxes, size, read, missing))
    else:
        size = min(_best_size(cell, box, read, missing) for cell, box in zip(cells, boxes, strict=True))
    height = max(HEIGHT, max(y + h for _, y, _, h in boxes) + MARGIN)
    title = _one_line(title, WIDTH - 2 * MARGIN, 28 * BOLD)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="297mm" height="{210 * height / HEIGHT:.0f}mm" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" font-family="{FONT}" role="img">',
        f"<title>{html.escape(title)}</title>",
        f'<rect width="{WIDTH}" height="{height:.0f}" fill="#ffffff"/>',
        _text(MARGIN, MARGIN + 26, title, 28, INK, ' font-weight="bold"'),
    ]
    if byline.strip():
        out.append(_text(MARGIN, MARGIN + 52, _one_line(byline, WIDTH - 2 * MARGIN, 15), 15, MUTED))
    out.append(f'<rect x="{MARGIN}" y="{top}" width="64" height="4" rx="2" fill="{ACCENT}"/>')
    for number, (cell, box) in enumerate(zip(cells, boxes, strict=True), 1):
        out += _draw_cell(cell, number, box, size, read, missing)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def render_canvas_svg(workbook: Workbook, answers: AnswerReader, person: str | None = None) -> str:
    """One person's canvas as an SVG document; person defaults to answers.person when it has one.

    Raises NoCanvasError (a ValueError) when the workbook has no canvas.
    """
    if workbook.canvas is None:
        raise NoCanvasError(f"The workbook '{workbook.id}' has no canvas to export.")
    walk = Walk(workbook, answers)
    person = person if person is not None else getattr(answers, "person", None)
    byline = " · ".join(clean(p).replace("\n", " ").strip() for p in (person or "", workbook.title) if p.strip())
    return draw_canvas(workbook, walk.text(workbook.canvas.title), byline, person_reader(walk), "not answered yet")
