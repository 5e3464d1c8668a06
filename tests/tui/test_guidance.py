"""The guidance widget: workbook Markdown drawn by one widget, lists hanging, answers literal."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Markdown

from formative.tui.screens.step import StepScreen
from formative.tui.widgets.guidance import Guidance, guidance_blocks, guidance_lines
from formative.tui.widgets.safe_text import answers_markdown
from formative.walk import Walk

from .driving import SIZE, make_app


def plain(markdown: str, width: int) -> list[str]:
    return [line.plain for line in guidance_lines(guidance_blocks(markdown), width)]


def test_paragraphs_are_wrapped_and_spaced_like_textuals_markdown() -> None:
    assert plain("One two three four.\nFive six.\n\nSeven.", 12) == [
        "One two",
        "three four.",
        "Five six.",
        "",
        "Seven.",
        "",
    ]


def test_list_items_hang_under_their_text_and_numbers_align() -> None:
    markdown = "Before:\n\n- **Container**: who belongs, and why them.\n- Short\n\n" + "".join(
        f"{n}. Item number {n} is here\n" for n in range(1, 11)
    )
    lines = plain(markdown, 24)
    assert lines[:6] == ["Before:", "", "• Container: who", "  belongs, and why them.", "• Short", ""]
    assert lines[2].startswith("• Container:") and lines[3].startswith("  ") and not lines[3].startswith("   ")
    assert "  1. Item number 1 is" in lines and " 10. Item number 10 is" in lines
    assert "     here" in lines  # the wrapped line hangs under the item's text, past ' 10. '


def test_nested_lists_and_quotes() -> None:
    lines = plain("1. Speaker\n2. Listener:\n   - What would help?\n\n> Said once.", 40)
    assert lines[:3] == [" 1. Speaker", " 2. Listener:", "    • What would help?"]
    assert "▌ Said once." in lines


def test_emphasis_is_styled_and_not_shown_as_asterisks() -> None:
    (block,) = guidance_blocks("A **strong** and *quiet* `code` word.")
    assert block.content.plain == "A strong and quiet code word."
    styles = {str(span.style) for span in block.content.spans}
    assert "bold" in styles and "italic" in styles


class Answers(dict[tuple[str, str], str]):
    def get(self, step_id: str, prompt_id: str) -> str | None:  # type: ignore[override]
        return super().get((step_id, prompt_id))


def test_an_answer_in_the_guidance_stays_literal(starter: object) -> None:
    """Answers are escaped before parsing: their stars, brackets and markup show as typed."""
    walk = Walk(starter, Answers({("welcome", "name"): "**Not bold** [@click=app.quit] <b>x</b> `y`"}))  # type: ignore[arg-type]
    markdown = answers_markdown(walk, "You called it {welcome.name}.")
    (block,) = guidance_blocks(markdown)
    assert block.content.plain == "You called it **Not bold** [@click=app.quit] <b>x</b> `y`."
    assert not block.content.spans


class OneGuidance(App[None]):
    def __init__(self, markdown: str) -> None:
        super().__init__()
        self.markdown = markdown

    def compose(self) -> ComposeResult:
        yield Guidance(self.markdown)


async def test_the_widget_is_as_tall_as_its_lines_at_its_width() -> None:
    app = OneGuidance("word " * 40 + "\n\n- item one\n- item two")
    async with app.run_test(size=(40, 20)) as pilot:
        await pilot.pause()
        guidance = app.query_one(Guidance)
        assert guidance.size.height == len(guidance.lines_for(40))
        assert not list(guidance.children)
        await pilot.resize_terminal(20, 30)
        await pilot.pause()
        assert guidance.size.height == len(guidance.lines_for(20)) > len(guidance.lines_for(40))


async def test_the_step_screen_draws_each_guidance_text_as_one_widget(tmp_path: Path) -> None:
    """Not a widget per paragraph and bullet (27 on the first step before): one per text."""
    app = make_app("formative-community", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StepScreen)
        guidance = list(screen.query(Guidance))
        assert [sorted(widget.classes) for widget in guidance] == [["section-intro"], ["step-body"]]
        assert all(not list(widget.children) for widget in guidance)
        assert not list(screen.query(Markdown))
        assert len(list(screen.walk_children())) < 40
