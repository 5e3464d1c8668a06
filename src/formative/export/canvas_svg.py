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
from typing import Any

from formative.answers.values import UNANSWERED, is_answered
from formative.walk import AnswerReader, Walk
from formative.workbook.model import CanvasCell, Prompt, Ranking, Records, Scale, Workbook

WIDTH, HEIGHT = 1190, 842  # A4 landscape in points; printed as 297 × 210 mm.
MARGIN, GAP, PAD = 40, 18, 20
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
INK, MUTED, ACCENT, RULE = "#1d2430", "#5b6670", "#2b6f77", "#c5d1d8"
TEXT_SIZE, LINE = 14, 20
INDENT = 18
BOLD = 1.12
"""How much wider bold glyphs run; headings are measured at size × BOLD."""
"""How far bullet and numbered items are indented, in points."""


class NoCanvasError(ValueError):
    """The workbook defines no [canvas] table, so there is nothing to draw."""


def clean(text: str) -> str:
    """Drop control characters (ESC, NUL…) and anything XML 1.0 cannot hold; tabs become spaces."""
    text = text.replace("\t", " ").replace("\r\n", "\n")
    return "".join(
        c for c in text if c == "\n" or (unicodedata.category(c) not in ("Cc", "Cs") and c not in "\ufffe\uffff")
    )


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


def _items(value: Any, prompt: Prompt | None) -> list[str] | None:
    """An answer as separate items (lists, rankings, records), or None for one piece of text."""
    if not isinstance(value, list):
        return None
    items = []
    for item in value:
        if isinstance(item, dict):
            keys = [f.id for f in prompt.fields] if isinstance(prompt, Records) else list(item)
            keys += [k for k in item if k not in keys]
            parts = [str(item[k]).strip() for k in keys if k in item and str(item[k]).strip()]
            items.append(" – ".join(parts))
        elif str(item).strip():
            items.append(str(item).strip())
    return [clean(i).replace("\n", " ") for i in items if i]


def _single(value: Any, prompt: Prompt | None) -> str:
    if isinstance(prompt, Scale) and isinstance(value, int) and not isinstance(value, bool):
        ends = [
            f"{n} = {label}" for n, label in ((prompt.min, prompt.min_label), (prompt.max, prompt.max_label)) if label
        ]
        return f"{value} of {prompt.max}" + (f" ({', '.join(ends)})" if ends else "")
    if isinstance(value, dict):
        return " – ".join(str(v) for v in value.values())
    return clean(str(value)).strip()


Line = tuple[str, str, str]
"""One line of a cell: (marker such as '•' or '2.', text, style: 'text' | 'missing' | 'gap')."""


def _cell_lines(walk: Walk, cell: CanvasCell, width: float) -> list[Line]:
    lines: list[Line] = []
    for ref in cell.answers:
        step_id, prompt_id = ref.split(".")
        step = walk.workbook.step(step_id)
        prompt = step.prompt(prompt_id) if step else None
        value = walk.answers.get(step_id, prompt_id)
        if step is not None and not walk.is_visible(step):
            value = None
        if lines:
            lines.append(("", "", "gap"))
        if not is_answered(value):
            lines.append(("", f"{UNANSWERED} not answered yet", "missing"))
            continue
        items = _items(value, prompt)
        if items is None:
            lines += [("", text, "text") for text in wrap(_single(value, prompt), width, TEXT_SIZE)]
            continue
        for number, item in enumerate(items, 1):
            marker = f"{number}." if isinstance(prompt, Ranking) else "•"
            for n, text in enumerate(wrap(item, width - INDENT, TEXT_SIZE)):
                lines.append((marker if n == 0 else "", text, "item"))
    return lines


def _fit(lines: list[Line], room: int, width: float) -> list[Line]:
    """Keep the lines that fit in room; the last one kept ends in '…' when some are cut."""
    while lines and lines[-1][2] == "gap":
        lines.pop()
    if len(lines) <= room:
        return lines
    kept = lines[: max(room, 1)]
    while len(kept) > 1 and kept[-1][2] == "gap":
        kept.pop()
    marker, text, style = kept[-1]
    indent = INDENT if style == "item" else 0
    kept[-1] = (marker, _ellipsize(text + " ", width - indent, TEXT_SIZE), style)
    return kept


def _grid(count: int) -> list[int]:
    """Cells per row: 2×2 for four, one row for up to three, otherwise two rows."""
    if count <= 3:
        return [count]
    top = math.ceil(count / 2)
    return [top, count - top]


def _text(x: float, y: float, text: str, size: float, fill: str, extra: str = "") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{fill}"{extra}>{html.escape(text)}</text>'


def _draw_cell(walk: Walk, cell: CanvasCell, number: int, x: float, y: float, w: float, h: float) -> list[str]:
    inner = w - 2 * PAD
    box = f'x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="10"'
    out = [
        f'<clipPath id="cell-{number}"><rect {box}/></clipPath>',
        f'<rect {box} fill="#ffffff" stroke="{RULE}" stroke-width="1.5"/>',
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
    room = int((y + h - PAD - cursor) // LINE)
    cursor += 6
    for marker, text, style in _fit(_cell_lines(walk, cell, inner), room, inner):
        cursor += LINE if style != "gap" else LINE // 2
        if style == "gap":
            continue
        if style == "missing":
            out.append(_text(x + PAD, cursor, text, TEXT_SIZE, MUTED, ' font-style="italic"'))
            continue
        if marker:
            out.append(_text(x + PAD, cursor, marker, TEXT_SIZE, ACCENT))
        offset = INDENT if style == "item" else 0
        out.append(_text(x + PAD + offset, cursor, text, TEXT_SIZE, INK))
    return out


def render_canvas_svg(workbook: Workbook, answers: AnswerReader, person: str | None = None) -> str:
    """The canvas as an SVG document; person defaults to answers.person when it has one.

    Raises NoCanvasError (a ValueError) when the workbook has no canvas.
    """
    if workbook.canvas is None:
        raise NoCanvasError(f"The workbook '{workbook.id}' has no canvas to export.")
    walk = Walk(workbook, answers)
    person = person if person is not None else getattr(answers, "person", None)
    title = _one_line(walk.text(workbook.canvas.title), WIDTH - 2 * MARGIN, 28 * BOLD)
    byline = " · ".join(clean(p).replace("\n", " ").strip() for p in (person or "", workbook.title) if p.strip())
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="297mm" height="210mm" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'font-family="{FONT}" role="img">',
        f"<title>{html.escape(title)}</title>",
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        _text(MARGIN, MARGIN + 26, title, 28, INK, ' font-weight="bold"'),
    ]
    if byline:
        byline = _one_line(byline, WIDTH - 2 * MARGIN, 15)
        out.append(_text(MARGIN, MARGIN + 52, byline, 15, MUTED))
    top = MARGIN + 72
    out.append(f'<rect x="{MARGIN}" y="{top}" width="64" height="4" rx="2" fill="{ACCENT}"/>')
    top += 20
    rows = _grid(len(workbook.canvas.cells))
    row_height = (HEIGHT - MARGIN - top - GAP * (len(rows) - 1)) / len(rows)
    cells = enumerate(workbook.canvas.cells, 1)
    for r, count in enumerate(rows):
        cell_width = (WIDTH - 2 * MARGIN - GAP * (count - 1)) / count
        for c in range(count):
            x, y = MARGIN + c * (cell_width + GAP), top + r * (row_height + GAP)
            number, cell = next(cells)
            out += _draw_cell(walk, cell, number, x, y, cell_width, row_height)
    out.append("</svg>")
    return "\n".join(out) + "\n"
