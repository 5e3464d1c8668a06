"""The coach's roster: who is here, gone or not come, who has answered, in as many columns as it needs.

Thirty names at 100×30 and sixty at 160×45 fit without scrolling: the panel asks for
the width its columns need at the height it has (get_content_width). It repaints only
when a row changes (a reactive; a heartbeat changes none), laying out only for a new width.
"""

from __future__ import annotations

import math

from textual.app import RenderResult
from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive, var
from textual.widget import Widget

from formative.tui.widgets.safe_text import literal
from formative.workshop.roster import RosterRow, headcount

NAME_WIDTH = 12
"""Longest name shown whole; longer ones are cut with '…'."""
MARK_WIDTH = 2
GAP = 2
MIN_WIDTH = 22
MOST_OF_SCREEN = 0.45
"""The roster never takes more than this share of the screen's width."""
LEGEND = ["✓ answered", "• here", "○ gone", "· not come", "+ not on roster"]
BEST_SIZE = "100×30 fits 30 names, 160×45 fits 60"


def headline(rows: list[RosterRow]) -> list[str]:
    """'22 here · 14 answered', then '5 not come · 3 gone' when there are such people."""
    count = headcount(rows)
    first = f"{count.here} here · {count.answered} answered"
    rest = [f"{count.expected} not come"] * bool(count.expected) + [f"{count.gone} gone"] * bool(count.gone)
    return [first, " · ".join(rest)] if rest else [first]


def legend(width: int) -> list[str]:
    """The marks explained, in as few lines as the width allows."""
    lines: list[str] = []
    for item in LEGEND:
        if lines and len(lines[-1]) + 2 + len(item) <= width:
            lines[-1] += "  " + item
        else:
            lines.append(item)
    return lines


class RosterPanel(Widget):
    """Everyone expected or present, marked by presence and by their answer to the room's step."""

    DEFAULT_CSS = """
    RosterPanel { width: auto; height: 1fr; }
    """

    rows: var[list[RosterRow]] = var(list)
    room_step: reactive[str | None] = reactive(None, init=False)
    """The room's step: people on another one get its number beside their name."""

    def __init__(self, numbers: dict[str, int], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.numbers = numbers  # step id -> its number

    def watch_rows(self, before: list[RosterRow], rows: list[RosterRow]) -> None:
        resize = len(rows) != len(before) or self.column_width(rows) != self.column_width(before)
        self.refresh(layout=resize)

    def column_width(self, rows: list[RosterRow]) -> int:
        longest = max((len(row.name) for row in rows), default=4)
        return MARK_WIDTH + min(longest, NAME_WIDTH) + 4  # ' +', ' 12'

    def lines_free(self, height: int, width: int = 28) -> int:
        return max(1, height - 3 - len(legend(width)))  # headline (up to two lines and a blank), legend

    def get_content_width(self, container: Size, viewport: Size) -> int:
        least = max(MIN_WIDTH, *(len(line) for line in headline(self.rows)))
        columns = math.ceil(len(self.rows) / self.lines_free(container.height, least)) or 1
        wanted = columns * self.column_width(self.rows) + (columns - 1) * GAP
        return max(least, min(wanted, int(viewport.width * MOST_OF_SCREEN)))

    def entry(self, row: RosterRow, width: int) -> Content:
        if row.status == "here":
            mark = Content("✓ ").stylize("bold $success") if row.answered else Content("• ").stylize("$success")
        elif row.status == "gone":
            mark = Content("✓ " if row.answered else "○ ").stylize("$foreground-muted")
        else:
            mark = Content("· ").stylize("$foreground-muted")
        extra = Content("")
        if not row.on_roster:
            extra += Content(" +").stylize("bold $accent")
        if row.status == "here" and row.step and row.step != self.room_step and row.step in self.numbers:
            extra += Content(f" step {self.numbers[row.step]}").stylize("$foreground-muted")
        name = literal(row.name).truncate(max(3, width - MARK_WIDTH - extra.cell_length), ellipsis=True)
        if row.status != "here":
            name = name.stylize("$foreground-muted")
        return mark + name + extra

    def render(self) -> RenderResult:
        width, height = self.content_region.width, self.content_region.height
        lines = [Content(line).stylize("bold") for line in headline(self.rows)] + [Content("")]
        free = self.lines_free(height, width)
        column = self.column_width(self.rows)
        fitting = max(1, (width + GAP) // (column + GAP))
        columns = min(fitting, max(1, math.ceil(len(self.rows) / free)))
        if columns == 1:
            column = width
        shown = self.rows
        more = 0
        if len(shown) > columns * free:
            keep = columns * free - 1
            shown, more = shown[:keep], len(shown) - keep
        per_column = math.ceil(len(shown) / columns) if shown else 0
        grid = [shown[c * per_column : (c + 1) * per_column] for c in range(columns)]
        for r in range(per_column):
            parts = []
            for c, entries in enumerate(grid):
                if r < len(entries):
                    cell = self.entry(entries[r], column)
                    padding = column - cell.cell_length + (GAP if c < columns - 1 else 0)
                    parts.append(cell.pad_right(max(0, padding)))
            lines.append(Content("").join(parts))
        if more:
            note = Content(f"+{more} more: a larger window shows all ({BEST_SIZE})").stylize("$warning")
            lines += note.wrap(max(width, 1))
        legend_lines = [Content(line).stylize("$foreground-muted") for line in legend(width)]
        filler = height - len(lines) - len(legend_lines)
        lines += [Content("")] * max(0, filler)
        lines += legend_lines
        return Content("\n").join(lines)
