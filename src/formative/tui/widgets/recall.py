"""Two small read-only blocks around a prompt: an earlier answer to another workbook, and an example.

Both show workbook or answer text literally (never as markup). The example stays hidden
until the person asks for it (F2 on the step screen), so it informs without leading.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from formative.recall import Recalled
from formative.tui.widgets.safe_text import literal
from formative.workbook.model import ListPrompt, MultipleChoice, Prompt, Records


class EarlierAnswer(Static):
    """'In Design a Formative Community you wrote: …', muted, above the question it informs."""

    DEFAULT_CSS = """
    EarlierAnswer {
        height: auto;
        color: $text-muted;
        border-left: outer $secondary 50%;
        padding: 0 0 0 1;
        margin: 0 0 1 0;
    }
    """

    def __init__(self, recalled: Recalled) -> None:
        super().__init__(self.describe(recalled), classes="-missing" if recalled.missing else "")
        self.recalled = recalled

    @staticmethod
    def describe(recalled: Recalled) -> Content:
        if recalled.missing:
            return literal(recalled.missing).stylize("italic")
        asked = f" ({recalled.label})" if recalled.label else ""
        heading = literal(f"In {recalled.workbook_title}{asked} you wrote:").stylize("italic")
        return Content("\n").join([heading, *(literal(line) for line in recalled.lines)])


class ExampleAnswer(Static):
    """A worked example under its prompt; hidden until the screen adds the -shown class."""

    DEFAULT_CSS = """
    ExampleAnswer {
        display: none;
        height: auto;
        color: $text-muted;
        border-left: outer $accent 50%;
        padding: 0 0 0 1;
        margin: 0 0 1 0;
    }
    ExampleAnswer.-shown { display: block; }
    """

    def __init__(self, example: str) -> None:
        text = Content("\n").join([Content("Example").stylize("bold"), literal(example.strip())])
        super().__init__(text)


def earlier_answers(recalled: list[Recalled]) -> list[EarlierAnswer]:
    return [EarlierAnswer(item) for item in recalled]


def example_for(prompt: Prompt) -> list[ExampleAnswer]:
    """The prompt's example block, or nothing when it has none.

    An example of a list keeps one item per line; prose is reflowed to the width of the
    screen (the TOML file breaks it at 80 columns, which is not where the terminal does).
    """
    example = getattr(prompt, "example", None)
    if not example:
        return []
    if not isinstance(prompt, ListPrompt | Records | MultipleChoice):
        example = "\n\n".join(" ".join(p.split()) for p in example.strip().split("\n\n"))
    return [ExampleAnswer(example)]
