"""The guidance widget: workbook Markdown drawn by one widget, lists hanging, answers literal."""

from __future__ import annotations

import random
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Markdown

from formative.tui.screens.step import StepScreen
from formative.tui.widgets.guidance import Guidance, guidance_blocks, guidance_lines, parsed_blocks, simple_blocks
from formative.tui.widgets.safe_text import answers_markdown
from formative.walk import Walk
from formative.workbook.bundled import bundled_paths
from formative.workbook.text import escape_markdown, interpolate

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


def bundled_guidance() -> list[str]:
    texts = []
    for path in bundled_paths():
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for section in data["sections"]:
            texts.append(section.get("intro") or "")
            texts.extend(step.get("body", "") for step in section["steps"])
    return [text for text in texts if text.strip()]


@pytest.mark.parametrize("answer", ["…", "Ada's *[x]* <b> & `y`_z \\ {a.b}"])
def test_plain_guidance_read_without_markdown_it_is_what_markdown_it_reads(answer: str) -> None:
    """Every bundled text, with answers filled in: the quick reading declines or agrees block for block."""
    quick = 0
    for text in bundled_guidance():
        filled = interpolate(text, lambda _step, _prompt: escape_markdown(answer))
        simple = simple_blocks(filled)
        if simple is not None:
            quick += 1
            assert simple == parsed_blocks(filled), filled
    assert quick >= len(bundled_guidance()) // 2  # the quick reading is not declining everything


def test_random_markdown_read_without_markdown_it_agrees_or_declines() -> None:
    pieces = ["a", "b c", " ", "*", "**", "`", "\n", "\n\n", "- ", "1. ", "10. ", "\\*", ".", ":", "(", ")", "  "]
    pieces += ["\t", "+ ", "* ", "# ", "> ", "!", "\\", "é", "---", "\n  ", "\n   - ", "_", "[", "<"]
    generator = random.Random(11)
    agreed = 0
    for _ in range(20_000):
        text = "".join(generator.choice(pieces) for _ in range(generator.randint(1, 12)))
        simple = simple_blocks(text)
        if simple is not None:
            agreed += 1
            assert simple == parsed_blocks(text), repr(text)
    assert agreed > 1000


def test_the_first_paint_of_each_bundled_workbook_needs_no_markdown_it() -> None:
    """markdown-it costs a tenth of Textual's own start: plain guidance is read without it."""
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from formative.first_step import first_step\n"
        "from formative.workbook.linked import bundled_dir\n"
        "from formative.tui.screens.step_frame import guidance_widgets\n"
        "for path in sorted(bundled_dir().glob('*.toml')):\n"
        "    first = first_step(path.stem, Path('/nonexistent'), None)\n"
        "    assert guidance_widgets(first, first.intro, first.body)\n"
        "print('markdown_it' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "False"
