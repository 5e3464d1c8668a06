"""The facilitator pack: what a coach prints before running a workbook with a room.

Everything comes from the workbook: the agenda from the steps' timeboxes (with clock
times from a start time, and the slack left before the workbook's minutes run out), the
scripts from the facilitator notes, each step's paper fallback, the `[pack]` table
(materials, set-up, room sizes, the cut list, the invitation and follow-up texts) and a
paper canvas to write on. It renders as Markdown, or as HTML laid out for A4 paper.

Workbook text is Markdown written by the coach; it is rendered with raw HTML switched
off, so anything that looks like a tag is printed as text, never interpreted.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

from formative.workbook.model import Canvas, Note, Records, Step, Workbook
from formative.workbook.modes import MODE_LABELS
from formative.workbook.text import interpolate

"""How the pack names each step mode: the words a coach says to the room."""

_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def parse_clock(text: str) -> int:
    """Minutes after midnight for 'HH:MM'; ValueError with a sentence for anything else."""
    found = _CLOCK.match(text.strip())
    if not found:
        raise ValueError(f"'{text}' is not a time of day; write it as HH:MM, such as 14:00")
    return int(found.group(1)) * 60 + int(found.group(2))


def clock(minutes: int, start: int | None) -> str:
    """A wall-clock time ('14:05') from a start time, or time elapsed ('0:05') without one."""
    if start is None:
        return f"{minutes // 60}:{minutes % 60:02d}"
    at = (start + minutes) % (24 * 60)
    return f"{at // 60:02d}:{at % 60:02d}"


@dataclass(frozen=True)
class AgendaRow:
    step: Step
    section: str
    starts: int | None
    """Minutes from the start of the session; None once a step without a timebox is reached."""


@dataclass(frozen=True)
class Agenda:
    rows: list[AgendaRow]
    timed: int
    """The sum of the timeboxes."""
    minutes: int | None
    """The workbook's length, if it gives one."""

    @property
    def slack(self) -> int | None:
        """Minutes not given to any step (negative when the timeboxes overrun the length)."""
        return self.minutes - self.timed if self.minutes is not None and self.timed else None


def agenda(workbook: Workbook) -> Agenda:
    rows = []
    elapsed: int | None = 0
    for section in workbook.sections:
        for step in section.steps:
            rows.append(AgendaRow(step, section.title, elapsed))
            elapsed = elapsed + step.timebox if elapsed is not None and step.timebox else None
    timed = sum(step.timebox or 0 for step in workbook.steps)
    return Agenda(rows, timed, workbook.minutes)


# Building the pack ------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """One block of the pack, as Markdown; the HTML wraps it in a <section class=…>."""

    markdown: str
    css_class: str = "block"


@dataclass(frozen=True)
class PaperCell:
    title: str
    subtitle: str | None
    questions: list[str]


@dataclass(frozen=True)
class PaperCanvas:
    title: str
    cells: list[PaperCell] = field(default_factory=list)


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell: one line, pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def _blank(step_id: str, prompt_id: str) -> str:
    return "……"


_CUE = re.compile(r"^([A-Z][A-Z0-9 '-]{1,40}(?: \([^)\n]{1,40}\))?):", re.MULTILINE)


def _cue_words(notes: str) -> str:
    """Bold the cue that opens a paragraph of a script ('SAY:', 'TIMING:'), so the eye finds it on paper."""
    paragraphs = notes.split("\n\n")
    return "\n\n".join(_CUE.sub(r"**\1:**", p, count=1) if _CUE.match(p) else p for p in paragraphs)


def _plain(text: str) -> str:
    """Workbook text with references to answers shown as blanks: the pack is printed before anyone answers."""
    return interpolate(text, _blank)


class Pack:
    """The pack of one workbook, built once and rendered as Markdown or HTML."""

    def __init__(self, workbook: Workbook, start: int | None = None) -> None:
        self.workbook = workbook
        self.start = start
        self.agenda = agenda(workbook)

    def time_of(self, row: AgendaRow) -> str:
        return clock(row.starts, self.start) if row.starts is not None and self.agenda.timed else ""

    def parts(self) -> list[Part]:
        parts = [self.front(), self.agenda_part()]
        parts += self.preparation()
        parts += self.scripts()
        parts += self.texts()
        return [part for part in parts if part.markdown.strip()]

    def front(self) -> Part:
        workbook = self.workbook
        lines = [f"# {_plain(workbook.title)}", "", "*Facilitator pack*", ""]
        if workbook.summary:
            lines += [_plain(workbook.summary), ""]
        agenda_ = self.agenda
        if workbook.minutes:
            length = f"**Length:** {workbook.minutes} minutes"
            if self.start is not None:
                length += f", {clock(0, self.start)} to {clock(workbook.minutes, self.start)}"
            if agenda_.slack is not None and agenda_.slack > 0:
                length += f": {agenda_.timed} planned in the steps' timeboxes, {agenda_.slack} of slack."
            elif agenda_.slack == 0:
                length += f": all {agenda_.timed} planned in the steps' timeboxes, with no slack."
            elif agenda_.slack is not None:
                length += (
                    f". **The steps' timeboxes add up to {agenda_.timed} minutes: "
                    f"{-agenda_.slack} more than the session has.**"
                )
            else:
                length += "."
            lines += [length, ""]
        pack = workbook.pack
        if pack and pack.overview:
            lines += [_plain(pack.overview).strip(), ""]
        return Part("\n".join(lines), "front")

    def agenda_part(self) -> Part:
        agenda_ = self.agenda
        timed = bool(agenda_.timed)
        head = "| Time | Min | Step | How |" if timed else "| Step | Section | How |"
        lines = ["## Agenda", "", head, "|---|---|---|---|" if timed else "|---|---|---|"]
        for row in agenda_.rows:
            step = row.step
            how = MODE_LABELS.get(step.mode or "", "")
            if step.show_if is not None:
                how = f"{how} (only for some)".strip()
            title = _cell(_plain(step.title))
            if timed:
                minutes = str(step.timebox) if step.timebox else ""
                lines.append(f"| {self.time_of(row)} | {minutes} | {title} | {how} |")
            else:
                lines.append(f"| {title} | {_cell(_plain(row.section))} | {how} |")
        if timed and agenda_.minutes:
            if agenda_.slack and agenda_.slack > 0:
                at = clock(agenda_.timed, self.start)
                lines.append(f"| {at} | {agenda_.slack} | *Slack: kept in hand for overruns* | |")
            lines.append(f"| {clock(agenda_.minutes, self.start)} | | **End** | |")
        return Part("\n".join(lines), "agenda")

    def preparation(self) -> list[Part]:
        pack = self.workbook.pack
        if pack is None:
            return []
        parts = []
        if pack.materials:
            parts.append(Part("\n".join(["## Materials", "", *(f"- {_plain(m)}" for m in pack.materials)])))
        if pack.setup:
            parts.append(Part(f"## Room set-up\n\n{_plain(pack.setup).strip()}"))
        # One block per entry, so that printing never parts a heading from its advice.
        for n, size in enumerate(pack.room_sizes):
            heading = "## Room sizes\n\n" if n == 0 else ""
            parts.append(Part(f"{heading}### About {size.people} people\n\n{_plain(size.notes).strip()}", "block keep"))
        for n, cut in enumerate(pack.running_late):
            heading = "## The cut list: when you are running late\n\n" if n == 0 else ""
            parts.append(Part(f"{heading}### {cut.minutes} minutes behind\n\n{_plain(cut.cut).strip()}", "block keep"))
        return parts

    def scripts(self) -> list[Part]:
        parts = [Part("## Step by step", "heading")]
        for row in self.agenda.rows:
            step = row.step
            facts = [self.time_of(row), _plain(step.title)]
            if step.timebox:
                facts.append(f"{step.timebox} min")
            if step.mode:
                facts.append(MODE_LABELS[step.mode])
            if step.shared:
                facts.append("shared with the room")
            lines = [f"### {' · '.join(f for f in facts if f)}", ""]
            if step.show_if is not None:
                lines += ["*Shown only to people whose earlier answer calls for it.*", ""]
            questions = self.questions(step)
            if questions:
                lines += ["**They answer:**", "", *(f"- {q}" for q in questions), ""]
            if step.facilitator_notes:
                lines += ["**Script:**", "", _cue_words(_plain(step.facilitator_notes).strip()), ""]
            if step.paper:
                lines += ["**On paper:**", "", _plain(step.paper).strip(), ""]
            parts.append(Part("\n".join(lines), "block step"))
        return parts

    @staticmethod
    def questions(step: Step) -> list[str]:
        found = []
        for prompt in step.prompts:
            if isinstance(prompt, Note):
                continue
            label = " ".join(_plain(prompt.label).split())
            if isinstance(prompt, Records):
                label += " (" + "; ".join(" ".join(_plain(f.label).split()) for f in prompt.fields) + ")"
            found.append(label)
        return found

    def texts(self) -> list[Part]:
        pack = self.workbook.pack
        if pack is None:
            return []
        parts = []
        if pack.invitation:
            parts.append(Part(f"## The invitation: send before the session\n\n{_plain(pack.invitation).strip()}"))
        if pack.follow_up:
            parts.append(Part(f"## Two weeks later: the follow-up\n\n{_plain(pack.follow_up).strip()}"))
        return [Part(p.markdown, "block text") for p in parts]

    def paper_canvas(self) -> PaperCanvas | None:
        canvas: Canvas | None = self.workbook.canvas
        if canvas is None:
            return None
        cells = []
        for cell in canvas.cells:
            questions = []
            for ref in cell.answers:
                step_id, prompt_id = ref.split(".")
                step = self.workbook.step(step_id)
                prompt = step.prompt(prompt_id) if step else None
                if prompt is not None and not isinstance(prompt, Note):
                    questions.append(" ".join(_plain(prompt.label).split()))
            cells.append(PaperCell(cell.title, cell.subtitle, questions))
        return PaperCanvas(_plain(canvas.title), cells)


# Rendering ------------------------------------------------------------------------------------


def render_pack_markdown(workbook: Workbook, start: int | None = None) -> str:
    pack = Pack(workbook, start)
    chunks = [part.markdown.strip() for part in pack.parts()]
    paper = pack.paper_canvas()
    if paper is not None:
        lines = ["## The paper canvas", "", f"**{paper.title}**", ""]
        for cell in paper.cells:
            heading = f"### {cell.title}" + (f": {cell.subtitle}" if cell.subtitle else "")
            lines += [heading, "", *(f"- *{q}*" for q in cell.questions), "", "&nbsp;", "", "&nbsp;", ""]
        chunks.append("\n".join(lines).strip())
    return "\n\n".join(chunks) + "\n"


_MARKDOWN = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")

PRINT_CSS = """
@page { size: A4; margin: 15mm 16mm 17mm; }
@page canvas { size: A4 landscape; margin: 10mm; }
* { box-sizing: border-box; }
body { font: 10pt/1.45 "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #1d2430; margin: 0; }
h1 { font-size: 21pt; margin: 0 0 2pt; color: #2b6f77; }
h2 { font-size: 14pt; margin: 14pt 0 6pt; padding-bottom: 2pt; border-bottom: 1.2pt solid #2b6f77;
     break-after: avoid; }
h3 { font-size: 11pt; margin: 10pt 0 4pt; break-after: avoid; }
p, ul, ol { margin: 0 0 6pt; }
li { margin-bottom: 2pt; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; }
th { text-align: left; border-bottom: 1.2pt solid #1d2430; padding: 2pt 5pt; }
td { border-bottom: 0.5pt solid #c5d1d8; padding: 1.5pt 5pt; vertical-align: top; }
td:first-child, th:first-child { white-space: nowrap; }
tr { break-inside: avoid; }
section.front p:first-of-type em { color: #5b6670; font-style: normal; letter-spacing: 0.05em; }
section.step { border-left: 2.5pt solid #c5d1d8; padding: 0 0 2pt 8pt; margin: 0 0 10pt; orphans: 3; widows: 3; }
section.step p:has(> strong:only-child) { margin: 5pt 0 2pt; break-after: avoid; }
section.keep, section.agenda table { break-inside: avoid; }
section.step h3 { margin-top: 0; color: #2b6f77; }
section.step strong { color: #2b6f77; }
section.text { break-inside: avoid; }
section.heading { break-before: page; }
section.canvas { page: canvas; break-before: page; height: 188mm; display: flex; flex-direction: column; }
section.canvas h2 { margin-top: 0; }
.canvas-title { font-size: 13pt; margin: 0 0 5mm; }
.canvas-title .blank { display: inline-block; min-width: 70mm; border-bottom: 1pt solid #1d2430; }
.canvas-grid { flex: 1; display: grid; gap: 5mm; grid-auto-rows: 1fr; }
.canvas-grid.cols-2 { grid-template-columns: 1fr 1fr; }
.canvas-grid.cols-3 { grid-template-columns: 1fr 1fr 1fr; }
.cell { border: 1.5pt solid #2b6f77; border-radius: 3mm; padding: 3mm 4mm; }
.cell h3 { margin: 0; font-size: 12.5pt; color: #2b6f77; }
.cell .subtitle { margin: 0 0 2mm; color: #5b6670; font-style: italic; }
.cell ul { margin: 0; padding-left: 4mm; color: #5b6670; font-size: 8.5pt; }
@media screen { body { max-width: 190mm; margin: 10mm auto; } }
"""


def _canvas_html(paper: PaperCanvas) -> str:
    title = html.escape(paper.title).replace(html.escape("……"), '<span class="blank"></span>')
    columns = 2 if len(paper.cells) in (1, 2, 4) else 3
    cells = []
    for cell in paper.cells:
        subtitle = f'<p class="subtitle">{html.escape(cell.subtitle)}</p>' if cell.subtitle else ""
        questions = "".join(f"<li>{html.escape(q)}</li>" for q in cell.questions)
        cells.append(
            f'<div class="cell"><h3>{html.escape(cell.title)}</h3>{subtitle}'
            + (f"<ul>{questions}</ul>" if questions else "")
            + "</div>"
        )
    return (
        '<section class="canvas"><h2>The paper canvas</h2>'
        f'<p class="canvas-title">{title}</p>'
        f'<div class="canvas-grid cols-{columns}">{"".join(cells)}</div></section>'
    )


def render_pack_html(workbook: Workbook, start: int | None = None) -> str:
    """A self-contained HTML page (no scripts, fonts or images to fetch) that prints on A4."""
    pack = Pack(workbook, start)
    body = [f'<section class="{part.css_class}">\n{_MARKDOWN.render(part.markdown)}</section>' for part in pack.parts()]
    paper = pack.paper_canvas()
    if paper is not None:
        body.append(_canvas_html(paper))
    title = html.escape(f"{_plain(workbook.title)}: facilitator pack")
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n"
        f"<style>{PRINT_CSS}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )
