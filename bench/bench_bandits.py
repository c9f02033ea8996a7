"""Bandit simulation speed and bandit-explorer redraw time, with medians of several repeats.

    .venv/bin/python bench/bench_bandits.py [--repeats 7]

Prints one table:
* arm pulls per second of the fast built-in strategies (K = 5 arms, 1,000 runs vectorised,
  2,000 steps) and of the generic step-by-step simulator with the reference rules;
* the same strategies written as a plain per-step, per-run Python loop (``random`` module,
  lists), measured in this process on fewer pulls: the baseline for the speed-up ratio;
* the explorer's redraw with the defaults (3 strategies x 200 runs x 2,000 steps) from a
  cold cache, and after moving one knob (only that strategy is re-simulated).

Bars: epsilon-greedy >= 15 M pulls/s and >= 20x the Python loop; a redraw < 100 ms.
Exits 1 if a bar is missed. The machine is shared: quote the medians.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from collections.abc import Callable

RATES = (0.021, 0.034, 0.048, 0.029, 0.041)
PULLS_PER_SECOND_BAR = 15e6
SPEED_UP_BAR = 20.0
REDRAW_BAR_MS = 100.0


def median_seconds(action: Callable[[int], object], repeats: int) -> float:
    times = []
    for i in range(repeats):
        start = time.perf_counter()
        action(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# --- the pure-Python baselines: one run at a time, one step at a time --------------------


def python_epsilon_greedy(rates, horizon, runs, seed, epsilon=0.1):
    rng, k = random.Random(seed), len(rates)
    for _ in range(runs):
        counts, sums = [0] * k, [0] * k
        for _t in range(horizon):
            if rng.random() < epsilon:
                arm = rng.randrange(k)
            else:
                averages = [s / c if c else 0.0 for s, c in zip(sums, counts, strict=True)]
                arm = averages.index(max(averages))
            counts[arm] += 1
            sums[arm] += rng.random() < rates[arm]


def python_ucb1(rates, horizon, runs, seed, confidence=2.0):
    rng, k = random.Random(seed), len(rates)
    for _ in range(runs):
        counts, sums = [0] * k, [0] * k
        for t in range(1, horizon + 1):
            if t <= k:
                arm = t - 1
            else:
                bonus = confidence * math.log(t)
                scores = [s / c + math.sqrt(bonus / c) for s, c in zip(sums, counts, strict=True)]
                arm = scores.index(max(scores))
            counts[arm] += 1
            sums[arm] += rng.random() < rates[arm]


def python_thompson(rates, horizon, runs, seed):
    rng, k = random.Random(seed), len(rates)
    for _ in range(runs):
        counts, sums = [0] * k, [0] * k
        for _t in range(horizon):
            samples = [rng.betavariate(1 + s, 1 + c - s) for s, c in zip(sums, counts, strict=True)]
            arm = samples.index(max(samples))
            counts[arm] += 1
            sums[arm] += rng.random() < rates[arm]


PYTHON = {
    "epsilon_greedy": python_epsilon_greedy,
    "ucb1": python_ucb1,
    "thompson": python_thompson,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="repeats per measurement")
    repeats = parser.parse_args(argv).repeats

    from mlsd import bandits
    from mlsd.widgets.bandits import bandit_explorer

    horizon, runs = 2000, 1000
    pulls = horizon * runs
    py_horizon, py_runs = 2000, 20
    py_pulls = py_horizon * py_runs

    rows, failures = [], []
    for name in bandits.STRATEGIES:
        fast = median_seconds(
            lambda i, n=name: bandits.simulate_strategy(RATES, n, horizon, runs, i), repeats
        )
        generic = median_seconds(
            lambda i, n=name: bandits.simulate(
                RATES, bandits.REFERENCE_RULES[n], horizon, runs, i, points=200
            ),
            max(3, repeats // 2),
        )
        python = median_seconds(
            lambda i, n=name: PYTHON[n](RATES, py_horizon, py_runs, i), max(3, repeats // 2)
        )
        fast_rate, generic_rate, python_rate = pulls / fast, pulls / generic, py_pulls / python
        rows.append((name, fast_rate, generic_rate, python_rate, fast_rate / python_rate))
        if name == "epsilon_greedy":
            if fast_rate < PULLS_PER_SECOND_BAR:
                failures.append(f"epsilon-greedy {fast_rate / 1e6:.1f} M pulls/s < 15 M")
            if fast_rate / python_rate < SPEED_UP_BAR:
                failures.append(f"epsilon-greedy speed-up {fast_rate / python_rate:.0f}x < 20x")

    print(f"Bandit simulation, K = {len(RATES)} arms, {runs:,} runs x {horizon:,} steps")
    print(f"(Python loop: {py_runs} runs x {py_horizon:,} steps; medians of {repeats} repeats)")
    print(f"{'strategy':16}{'fast M pulls/s':>16}{'generic':>10}{'Python':>10}{'fast/Python':>13}")
    for name, fast_rate, generic_rate, python_rate, ratio in rows:
        print(
            f"{name:16}{fast_rate / 1e6:16.1f}{generic_rate / 1e6:10.1f}"
            f"{python_rate / 1e6:10.2f}{ratio:12.0f}x"
        )

    explorer = bandit_explorer()  # defaults: 3 strategies x 200 runs x 2,000 steps

    def cold(_):
        explorer.clear_cache()
        explorer.redraw()

    def epsilon_move(i):
        explorer.epsilon.value = 0.05 + 0.01 * (i % 10)

    def confidence_move(i):
        explorer.confidence.value = 1.0 + 0.1 * (i % 20)

    redraws = {
        "cold redraw, 3 strategies": median_seconds(cold, repeats) * 1000,
        "epsilon moved (1 strategy)": median_seconds(epsilon_move, repeats) * 1000,
        "confidence moved (1 strategy)": median_seconds(confidence_move, repeats) * 1000,
    }
    print("\nBandit explorer, defaults (3 strategies x 200 runs x 2,000 steps), median ms")
    for label, ms in redraws.items():
        mark = "ok" if ms < REDRAW_BAR_MS else f"over the {REDRAW_BAR_MS:.0f} ms bar"
        print(f"{label:34}{ms:8.1f}  {mark}")
        if ms >= REDRAW_BAR_MS:
            failures.append(f"{label}: {ms:.0f} ms >= {REDRAW_BAR_MS:.0f} ms")

    for failure in failures:
        print("MISSED:", failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
