"""Block letters for the wall: a 3×5 pixel font drawn with half blocks, three terminal rows high.

Titles on a projector must read from the back of a room, as the timer's digits do.
Each glyph is five rows of pixels ('#' on), two pixel rows per terminal row (▀ ▄ █),
so a letter is three cells high like Textual's Digits, with half a row of air below.
Lower case is drawn as capitals; a text with any other character has no block form
(`block_lines` returns None) and the caller shows it as plain bold text instead.
"""

from __future__ import annotations

HEIGHT = 3
"""Terminal rows of one line of block letters."""

_GLYPHS: dict[str, str] = {
    "A": ".#. #.# ### #.# #.#",
    "B": "##. #.# ##. #.# ##.",
    "C": ".## #.. #.. #.. .##",
    "D": "##. #.# #.# #.# ##.",
    "E": "### #.. ##. #.. ###",
    "F": "### #.. ##. #.. #..",
    "G": ".## #.. #.# #.# .##",
    "H": "#.# #.# ### #.# #.#",
    "I": "### .#. .#. .#. ###",
    "J": "..# ..# ..# #.# .#.",
    "K": "#.# #.# ##. #.# #.#",
    "L": "#.. #.. #.. #.. ###",
    "M": "#...# ##.## #.#.# #...# #...#",
    "N": "#..# ##.# #.## #..# #..#",
    "O": ".#. #.# #.# #.# .#.",
    "P": "##. #.# ##. #.. #..",
    "Q": ".#. #.# #.# ##. .##",
    "R": "##. #.# ##. #.# #.#",
    "S": ".## #.. .#. ..# ##.",
    "T": "### .#. .#. .#. .#.",
    "U": "#.# #.# #.# #.# ###",
    "V": "#.# #.# #.# #.# .#.",
    "W": "#...# #...# #.#.# ##.## #...#",
    "X": "#.# #.# .#. #.# #.#",
    "Y": "#.# #.# .#. .#. .#.",
    "Z": "### ..# .#. #.. ###",
    "0": "### #.# #.# #.# ###",
    "1": ".#. ##. .#. .#. ###",
    "2": "##. ..# .#. #.. ###",
    "3": "##. ..# .#. ..# ##.",
    "4": "#.# #.# ### ..# ..#",
    "5": "### #.. ##. ..# ##.",
    "6": ".## #.. ### #.# ###",
    "7": "### ..# .#. .#. .#.",
    "8": "### #.# ### #.# ###",
    "9": "### #.# ### ..# ##.",
    " ": ".. .. .. .. ..",
    ".": ". . . . #",
    ",": ". . . # #",
    ":": ". # . # .",
    ";": ". # . # #",
    "!": "# # # . #",
    "?": "##. ..# .#. ... .#.",
    "-": "... ... ### ... ...",
    "'": "# # . . .",
    '"': "#.# #.# ... ... ...",
    "(": ".# #. #. #. .#",
    ")": "#. .# .# .# #.",
    "/": "..# ..# .#. #.. #..",
    "&": ".#. #.# .#. #.# .##",
    "+": "... .#. ### .#. ...",
    "=": "... ### ... ### ...",
    "…": "..... ..... ..... ..... #.#.#",
}
_SAME = {"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "×": "X"}

_HALF = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def _pixels(char: str) -> list[str] | None:
    glyph = _GLYPHS.get(_SAME.get(char, char).upper())
    return glyph.split() if glyph is not None else None


def block_width(text: str) -> int | None:
    """Cells the text takes in block letters (one blank column between glyphs); None if it has none."""
    widths = []
    for char in text:
        pixels = _pixels(char)
        if pixels is None:
            return None
        widths.append(len(pixels[0]))
    return sum(widths) + max(len(widths) - 1, 0)


def block_lines(text: str) -> list[str] | None:
    """The text as HEIGHT rows of half blocks, or None when a character has no glyph."""
    glyphs = [_pixels(char) for char in text]
    if any(g is None for g in glyphs):
        return None
    rows = [""] * 5
    for n, glyph in enumerate(g for g in glyphs if g is not None):
        for r in range(5):
            rows[r] += ("." if n else "") + glyph[r]
    rows.append("." * len(rows[0]))
    return [
        "".join(_HALF[(top == "#", bottom == "#")] for top, bottom in zip(rows[r], rows[r + 1], strict=True))
        for r in range(0, 6, 2)
    ]


def wrap_blocks(text: str, width: int, max_lines: int) -> list[str] | None:
    """Words of text in block letters, wrapped to width, in at most max_lines lines; None if it cannot be."""
    words = text.split()
    if not words or block_width(text) is None:
        return None
    lines: list[str] = []
    for word in words:
        candidate = f"{lines[-1]} {word}" if lines else word
        width_needed = block_width(candidate)
        if lines and width_needed is not None and width_needed <= width:
            lines[-1] = candidate
            continue
        if (block_width(word) or 0) > width:
            return None
        lines.append(word)
    if len(lines) > max_lines:
        return None
    rows: list[str] = []
    for line in lines:
        rows += block_lines(line) or []
    return rows
