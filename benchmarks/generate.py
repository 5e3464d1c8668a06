"""Generated workbooks for benchmarks: as large as a real one could plausibly get."""

from __future__ import annotations

KINDS = [
    ('kind = "short_text"', ""),
    ('kind = "long_text"', ""),
    ('kind = "single_choice"', 'options = ["Weekly", "Monthly", "Yearly"]\nallow_other = true'),
    ('kind = "multiple_choice"', 'options = ["In person", "Video", "Chat", "Letters"]\nmax_picks = 2'),
    ('kind = "scale"', 'min_label = "low"\nmax_label = "high"'),
    ('kind = "list"', "max_items = 20"),
]


def big_workbook_text(steps: int = 500, per_section: int = 25) -> str:
    """A valid workbook with `steps` steps, each with one prompt of a rotating kind."""
    lines = ["format = 1", 'id = "big"', f'title = "Generated, {steps} steps"', "minutes = 600", ""]
    for n in range(steps):
        if n % per_section == 0:
            lines += ["[[sections]]", f'id = "s{n // per_section}"', f'title = "Section {n // per_section}"', ""]
        body = f"Step {n} of a long workbook. Earlier you said: {{st{n - 1}.p}}" if n else "The first step."
        kind, extra = KINDS[n % len(KINDS)]
        lines += ["[[sections.steps]]", f'id = "st{n}"', f'title = "Step {n}"', f'body = "{body}"', ""]
        lines += ["[[sections.steps.prompts]]", 'id = "p"', kind, f'label = "Question {n}"']
        lines += [extra, ""] if extra else [""]
    return "\n".join(lines)


def repeated_workbook_text(copies: int = 20, per_section: int = 25) -> str:
    """The same size as big_workbook_text(copies * per_section), written as one section repeated.

    Each step shows the previous step's answer, so every copy's references are renamed too.
    """
    lines = ["format = 1", 'id = "big"', f'title = "Generated, {copies} copies"', "minutes = 600", ""]
    lines += ["[[sections]]", 'id = "s"', 'title = "Section {n}"', f"repeat = {copies}", ""]
    for n in range(per_section):
        body = f"Step {n} of copy {{n}}. Earlier you said: {{st{n - 1}.p}}" if n else "The first step of copy {n}."
        kind, extra = KINDS[n % len(KINDS)]
        lines += ["[[sections.steps]]", f'id = "st{n}"', f'title = "Step {n}"', f'body = "{body}"', ""]
        lines += ["[[sections.steps.prompts]]", 'id = "p"', kind, f'label = "Question {n} of copy {{n}}"']
        lines += [extra, ""] if extra else [""]
    return "\n".join(lines)
