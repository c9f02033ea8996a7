"""Wall-clock medians for benchmarks and widget-speed tests (the machines are noisy)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable


def median_ms(action: Callable[[object], object], values: Iterable | int = 21) -> float:
    """Median milliseconds of ``action(value)`` over ``values`` (an int n means 0 .. n-1)."""
    if isinstance(values, int):
        values = range(values)
    times = []
    for value in values:
        start = time.perf_counter()
        action(value)
        times.append(time.perf_counter() - start)
    if not times:
        raise ValueError("values must hold at least one value; got none.")
    return 1000 * statistics.median(times)
