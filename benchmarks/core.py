"""Core figures (no UI): loading workbooks and saving answer files.

Run: .venv/bin/python benchmarks/core.py [--tiny] [--json PATH]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from figures import Figure, add_options, figure, write
from generate import big_workbook_text, repeated_workbook_text

from formative.answers import AnswerStore
from formative.workbook import load_workbook, load_workbook_text
from formative.workbook.bundled import bundled_paths


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    """Wall times of fn in milliseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def report(figures: list[Figure], name: str, samples: list[float]) -> None:
    print(f"{name:<52} median {statistics.median(samples):8.2f} ms   worst {max(samples):8.2f} ms   n={len(samples)}")
    figures.append(figure(name, samples, "ms"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    add_options(parser)
    args = parser.parse_args(argv)
    steps, repeat = (50, 3) if args.tiny else (500, 10)
    figures: list[Figure] = []
    largest = max(bundled_paths(), key=lambda p: p.stat().st_size)
    report(figures, f"load + validate {largest.name}", timed(lambda: load_workbook(largest), 3 * repeat))
    big = big_workbook_text(steps)
    report(figures, f"load + validate generated {steps}-step workbook", timed(lambda: load_workbook_text(big), repeat))
    repeated = repeated_workbook_text(steps // 25, 25)
    assert len(load_workbook_text(repeated).steps) == steps
    name = f"load + validate {steps} steps as a section repeated {steps // 25}x"
    report(figures, name, timed(lambda: load_workbook_text(repeated), repeat))
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

            report(figures, "autosave of a 200-answer file (one answer changed)", timed(change_and_save, 5 * repeat))
            size = path.stat().st_size
        print(f"{'200-answer file size':<52} {size:,} bytes")
    figures.append(Figure("200-answer file size", size, "bytes", 1))
    write(args.json, figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
