"""Core figures (no UI): loading workbooks and saving answer files.

Run: .venv/bin/python benchmarks/core.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from generate import big_workbook_text, repeated_workbook_text

from formative.answers import AnswerStore
from formative.workbook import load_workbook, load_workbook_text
from formative.workbook.bundled import bundled_paths


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median and worst wall time of fn in milliseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), max(samples)


def report(name: str, figures: tuple[float, float]) -> None:
    print(f"{name:<52} median {figures[0]:8.2f} ms   worst {figures[1]:8.2f} ms")


def main() -> None:
    largest = max(bundled_paths(), key=lambda p: p.stat().st_size)
    report(f"load + validate {largest.name}", timed(lambda: load_workbook(largest), 30))
    big = big_workbook_text(500)
    report("load + validate generated 500-step workbook", timed(lambda: load_workbook_text(big), 10))
    repeated = repeated_workbook_text(20, 25)
    assert len(load_workbook_text(repeated).steps) == 500
    report("load + validate 500 steps as a section repeated 20×", timed(lambda: load_workbook_text(repeated), 10))
    workbook = load_workbook_text(big_workbook_text(200))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "answers.toml"
        with AnswerStore.open(path, workbook) as store:
            for n, step in enumerate(workbook.steps):
                prompt = step.prompts[0]
                value: object = {
                    "short_text": f"Answer {n}",
                    "long_text": f"Line one of answer {n}\nLine two\n",
                    "single_choice": "Weekly",
                    "multiple_choice": ["Video", "Chat"],
                    "scale": 3,
                    "list": ["Ada", "Grace", "Linus"],
                }[prompt.kind]
                store.set(step.id, prompt.id, value)  # type: ignore[arg-type]
            store.save()
            counter = iter(range(10**6))

            def change_and_save() -> None:
                store.set("st0", "p", f"changed {next(counter)}")
                store.save()

            report("autosave of a 200-answer file (one answer changed)", timed(change_and_save, 50))
            size = path.stat().st_size
        print(f"{'200-answer file size':<52} {size:,} bytes")


if __name__ == "__main__":
    main()
