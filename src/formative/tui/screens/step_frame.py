"""What the step screen and its first paint share: the frame around a step, and its lines.

The first paint (screens/first_paint.py) shows a fresh sitting's first step before the
workbook is validated; it must look exactly like the step screen that replaces it, so
both build the header, the mode line and the frame here.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.reactive import var
from textual.widgets import Button, ProgressBar, Static

from formative.tui.widgets.guidance import Guidance
from formative.tui.widgets.key_footer import KeyFooter
from formative.tui.widgets.safe_text import answers_markdown, answers_text
from formative.tui.widgets.status import SaveStatus
from formative.workbook.modes import MODE_HINTS

if TYPE_CHECKING:
    from formative.tui.widgets.safe_text import FillsText


class StepBody(VerticalScroll):
    """The step's scrolling body, focused when its guidance is long so the arrows read on.

    Textual restyles a widget and everything inside it when its focus changes, in case a rule
    styles what is inside by the container's focus (`#step-content:focus Guidance`). No rule
    the app loads does (tests/tui/test_step_body.py checks them all), and this body holds the
    whole step: so only the body itself and its scrollbars are restyled, a sixth of a step
    change's CPU when the focus starts or ends here.
    """

    def watch_has_focus(self, _has_focus: bool) -> None:
        self.app.stylesheet.update_nodes([self], animate=True)


class StepHeader(Static):
    """Section, step title and position: the person always knows where they are.

    Its words are a reactive (set `heading`): showing the same step again repaints nothing.
    A new title may wrap onto more lines, so a change lays the screen out.
    """

    heading: var[Content] = var(Content(""))

    def __init__(self, heading: Content | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        if heading is not None:
            self.heading = heading

    def watch_heading(self, heading: Content) -> None:
        self.update(heading)


class NavHint(Static):
    """Between Back and Next: how many answers stop the person going on ('' when none).

    It has a fixed size, so a new count repaints this line alone; typing that leaves the
    count as it was (every key while a warning stands) repaints nothing.
    """

    attention: var[int] = var(0)

    def watch_attention(self, count: int) -> None:
        noun = "answer needs" if count == 1 else "answers need"
        self.update(Content(f"{count} {noun} attention" if count else ""), layout=False)


def header_content(texts: FillsText, position: int, visible: int, section_title: str, title: str) -> Content:
    """'Step 2 of 9 · Section' over the step's title, answers filled in as literal text."""
    where = Content.assemble(f"Step {position} of {visible}  ·  ", answers_text(texts, section_title)).stylize(
        "$text-muted"
    )
    return Content.assemble(where, "\n", answers_text(texts, title).stylize("bold"))


def meta_line(mode: str | None, timebox: int | None, has_example: bool) -> Static | None:
    """The line over the guidance: how to work (solo, pair…), about how long, and the F2 offer."""
    meta = []
    if mode:
        meta.append(MODE_HINTS.get(mode, mode))
    if timebox:
        meta.append(f"about {timebox} min")
    if not meta and not has_example:
        return None
    line = Content("  ·  ".join(meta))
    if has_example:  # quieter than the mode: an offer, not an instruction
        line += Content(("  ·  " if meta else "") + "F2 for an example").stylize("$text-muted not bold")
    return Static(line, classes="step-meta")


def guidance_widgets(texts: FillsText, intro: str | None, body: str) -> list[Guidance]:
    """The section's intro (given on its first step only) and the step's body, each one widget."""
    widgets = []
    if intro:
        widgets.append(Guidance(answers_markdown(texts, intro), classes="section-intro"))
    if body.strip():
        widgets.append(Guidance(answers_markdown(texts, body), classes="step-body"))
    return widgets


def compose_top() -> ComposeResult:
    """The header and the progress bar (a workshop's bar and badge go below them)."""
    yield StepHeader(id="step-header")
    yield ProgressBar(total=100, show_eta=False, show_percentage=False, id="progress")


def compose_bottom(answers_path: Path) -> ComposeResult:
    """The step's scrolling content, Back / Next, the save line and the keys."""
    yield StepBody(id="step-content")
    with Horizontal(id="nav"):
        yield Button("← Back", id="back", variant="default")
        yield NavHint(id="nav-hint")
        yield Button("Next →", id="next", variant="primary")
    yield SaveStatus(answers_path, id="save-status")
    yield KeyFooter()
