"""Median widget callback times, against the pure core function measured in the same run.

    .venv/bin/python bench/bench_widgets.py [--moves 50]

Prints one line per interaction with its median, and the ratio to the baseline (calling
``mlsd.chooser.choose_model`` alone). Exits 1 if any median exceeds the 20 ms budget a
callback has to feel instant.
"""

from __future__ import annotations

import argparse
import sys

from mlsd.timing import median_ms

BUDGET_MS = 20.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=50, help="moves per interaction")
    n = parser.parse_args(argv).moves

    from mlsd.chooser import PRESETS, choose_model
    from mlsd.widgets.chooser import model_chooser
    from mlsd.widgets.processing import processing_tree

    chooser, tree = model_chooser(), processing_tree()
    latencies = [5 + 7.3 * i for i in range(n)]
    accuracies = [60 + (i % 80) * 0.5 for i in range(n)]

    def move_latency(v):
        chooser.latency_ms.value = v

    def move_accuracy(v):
        chooser.accuracy_pct.value = v

    def pick_preset(i):
        chooser.preset.value = PRESETS[i % len(PRESETS)]

    def toggle(i):
        tree.immediate.value = i % 2 == 0

    baseline = median_ms(lambda v: choose_model(v, 85, "medium"), latencies)
    rows = [
        ("chooser: latency move", median_ms(move_latency, latencies)),
        ("chooser: accuracy move", median_ms(move_accuracy, accuracies)),
        ("chooser: preset", median_ms(pick_preset, range(n))),
        ("processing: toggle", median_ms(toggle, range(n))),
    ]

    print(f"median over {n} moves each; budget {BUDGET_MS:g} ms per callback")
    print(f"{'baseline: choose_model() alone':32s} {baseline:9.4f} ms")
    for name, median in rows:
        flag = "" if median <= BUDGET_MS else "  OVER BUDGET"
        print(f"{name:32s} {median:9.4f} ms   {median / baseline:8.0f}x core{flag}")
    return 1 if any(median > BUDGET_MS for _, median in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
