"""How to join, on the wall while a server hosts the workshop: the ssh line, the URL and its QR code.

The QR code is drawn with half blocks, two modules per terminal row, black on white
whatever the theme (scanners want dark modules on a light ground), with a quiet zone
of QUIET modules. The passcode is shown only while the coach asks for it.
"""

from __future__ import annotations

import segno
from textual.app import RenderResult
from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from formative.tui.widgets.safe_text import literal
from formative.workshop.serving import Kind, Serving

QUIET = 2
"""Light modules around the code; phone cameras read two well (the standard asks four of printers)."""
QR_STYLE = "#000000 on #ffffff"
_HALF = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}
GAP = 3


def qr_lines(text: str) -> list[str]:
    """The QR code of text as rows of half blocks (dark modules drawn), quiet zone included."""
    code = segno.make(text, micro=False)
    matrix = [[bool(module) for module in row] for row in code.matrix_iter(scale=1, border=QUIET)]
    if len(matrix) % 2:
        matrix.append([False] * len(matrix[0]))
    return [
        "".join(_HALF[(top, bottom)] for top, bottom in zip(matrix[r], matrix[r + 1], strict=True))
        for r in range(0, len(matrix), 2)
    ]


class JoinPanel(Widget):
    """The lines a participant needs, with the QR code of the URL beside them (or under them when narrow)."""

    DEFAULT_CSS = """
    JoinPanel { height: auto; }
    """

    serving: reactive[dict[Kind, Serving]] = reactive(dict, layout=True, init=False)  # who hosts it now
    passcode_shown: reactive[bool] = reactive(False, layout=True, init=False)

    def __init__(self, *, for_coach: bool, id: str | None = None) -> None:
        super().__init__(id=id)
        self.for_coach = for_coach
        """The coach's screen says which key shows the passcode; the wall says to ask."""
        self._qr: list[str] = []

    def watch_serving(self, serving: dict[Kind, Serving]) -> None:
        web = serving.get("web")
        self._qr = qr_lines(web.address) if web else []

    @property
    def passcode(self) -> str | None:
        return next((s.passcode for s in self.serving.values() if s.passcode), None)

    def text_lines(self, compact: bool = False) -> list[Content]:
        """compact: only what is needed, for a narrow screen where the code goes under the text."""
        lines = [Content("How to join").stylize("bold $accent")]
        ssh, web = self.serving.get("ssh"), self.serving.get("web")
        if ssh is not None:
            lines += [] if compact else [Content("In a terminal:").stylize("$foreground-muted")]
            lines.append(literal(ssh.address).stylize("bold"))
            lines += [] if compact else [literal(also).stylize("$foreground-muted") for also in ssh.also[:1]]
        if web is not None:
            lines += [] if compact else [Content("In a browser, or scan the code:").stylize("$foreground-muted")]
            lines.append(literal(web.address).stylize("bold"))
            lines += [] if compact else [literal(also).stylize("$foreground-muted") for also in web.also[:1]]
        if not compact:
            lines.append(Content("Your name is your user name." if ssh and not web else "Log in with your name."))
        passcode = self.passcode
        if passcode is not None:
            if self.passcode_shown:
                lines.append(Content("Passcode: ") + literal(passcode).stylize("bold $warning"))
            elif self.for_coach:
                lines.append(Content("Passcode: P shows it").stylize("$foreground-muted"))
            else:
                lines.append(Content("Passcode: ask the coach").stylize("$foreground-muted"))
        return lines

    def side_by_side(self, width: int) -> bool:
        text_width = max((line.cell_length for line in self.text_lines()), default=0)
        return not self._qr or text_width + GAP + len(self._qr[0]) <= width

    def layout_lines(self, width: int) -> list[Content]:
        text = self.text_lines()
        qr = [Content(line).stylize(QR_STYLE) for line in self._qr]
        if not qr:
            return text
        if not self.side_by_side(width):
            return [*self.text_lines(compact=True), *qr]
        text_width = max(line.cell_length for line in text)
        lines = []
        for n in range(max(len(text), len(qr))):
            left = text[n] if n < len(text) else Content("")
            right = qr[n] if n < len(qr) else Content("")
            lines.append(left.pad_right(text_width - left.cell_length + GAP) + right)
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.layout_lines(width))

    def render(self) -> RenderResult:
        return Content("\n").join(self.layout_lines(self.content_region.width))
