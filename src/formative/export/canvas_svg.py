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
from pathlib import Path

from formative.answers.atomic import atomic_write_text
from formative.answers.store import AnswerStore
from formative.answers.values import UNANSWERED
from formative.export.canvas_content import Reader, Shown, cell_entries, person_reader
from formative.export.folder import export_path
from formative.text import xml_text as clean
from formative.walk import AnswerReader, Walk
from formative.workbook.model import CanvasCell, Workbook

__all__ = ["NoCanvasError", "Reader", "Shown", "draw_canvas", "export_canvas_svg", "render_canvas_svg"]

WIDTH, HEIGHT = 1190, 842  # A4 landscape in points; printed as 297 × 210 mm.
MARGIN, GAP, PAD = 40, 18, 20
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
INK, MUTED, ACCENT, RULE = "#1d2430", "#5b6670", "#2b6f77", "#c5d1d8"
TEXT_SIZE, LINE = 14, 20
INDENT = 18
"""How far bullet and numbered items are indented, in points (at TEXT_SIZE)."""
DOT_STEP = 0.85
"""The distance from one dot of a scale's gauge to the next, in ems."""
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


Line = tuple[str, str, str]
"""One line of a cell: (marker such as '•' or '2.', text, style: 'text' | 'item' | 'gauge' (a scale's
dots, '●●●●○') | 'label' | 'missing' | 'gap')."""

SIZES = (14, 13, 12, 11, 10)
"""Text sizes a box tries, largest first, until its answers fit."""
ROOM_SIZE = 12
"""The text size of the room's canvas, which grows taller rather than smaller."""


def _line_height(style: str, size: float) -> float:
    return size * LINE / TEXT_SIZE * (0.5 if style == "gap" else 1)


def _cell_lines(cell: CanvasCell, width: float, size: float, read: Reader, missing: str) -> list[Line]:
    """Each answer under its label: text wrapped, a scale as its gauge then its words, items with
    their wrapped lines hanging under the marker's indent."""
    lines: list[Line] = []
    indent = INDENT * size / TEXT_SIZE
    for shown in cell_entries(cell, read):
        if lines:
            lines.append(("", "", "gap"))
        if shown.label:
            lines += [("", text, "label") for text in wrap(clean(shown.label).replace("\n", " "), width, size)]
        if shown.empty:
            lines.append(("", f"{UNANSWERED} {missing}", "missing"))
            continue
        if shown.text is not None:
            if shown.gauge:  # the dots, then the words beside them (wrapped lines hang after the dots)
                offset = gauge_width(shown.gauge, size)
                for n, text in enumerate(wrap(clean(shown.text), width - offset, size)):
                    lines.append((shown.gauge if n == 0 else " " * len(shown.gauge), text, "gauge"))
            else:
                lines += [("", text, "text" if text else "gap") for text in wrap(clean(shown.text), width, size)]
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
        left_out = sum(1 for marker, _, _ in lines[len(kept) :] if marker.strip())
        if not left_out or reserve:
            break
    while len(kept) > 1 and kept[-1][2] == "gap":
        kept.pop()
    following = next((line for line in lines[len(kept) :] if line[2] != "gap"), None)
    cut_short = following is not None and not following[0].strip() and following[2] in ("item", "text", "gauge")
    if cut_short:
        marker, text, style = kept[-1]
        indent = INDENT * size / TEXT_SIZE if style == "item" else gauge_width(marker, size) if style == "gauge" else 0
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


def gauge_width(dots: str, size: float) -> float:
    """How far a scale's words start from its dots: one step per dot and a space. (A wrapped
    line of the words has spaces for dots, so it hangs at the same place.)"""
    return (len(dots) + 0.6) * size * DOT_STEP


def _gauge(x: float, baseline: float, dots: str, size: float) -> list[str]:
    """A scale's dots drawn as circles (no font needed): filled up to the answer, outlined after."""
    out = []
    radius = size * 0.32
    cy = baseline - size * 0.35
    for n, dot in enumerate(dots):
        if dot not in "●○":
            continue  # a wrapped line of the words: no dots again
        cx = x + radius + n * size * DOT_STEP
        fill = ACCENT if dot == "●" else "#ffffff"
        out.append(
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius:.1f}" fill="{fill}" stroke="{ACCENT}" stroke-width="1"/>'
        )
    return out


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
            look = ' font-style="italic"' if style == "missing" else ' font-weight="bold"'
            out.append(_text(x + PAD, cursor, text, size, MUTED, look))
            continue
        if style == "gauge":
            out += _gauge(x + PAD, cursor, marker, size)
            out.append(_text(x + PAD + gauge_width(marker, size), cursor, text, size, INK))
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


def export_canvas_svg(workbook: Workbook, answers: AnswerStore) -> Path:
    """Write the person's canvas into the exports folder (answers/exports/NAME-canvas.svg); returns its path."""
    path = export_path(answers.path, "-canvas.svg")
    atomic_write_text(path, render_canvas_svg(workbook, answers))
    return path
