"""Section 7 timings: calculator and cascade callbacks, and the cascade's Monte Carlo.

Each figure is a median, printed with a ratio against a baseline measured in the same run:
the widget callbacks against the core functions they call, and the vectorised Monte Carlo
against the same simulation as a pure-Python loop over requests (on 10,000 requests, scaled).
Bars: callbacks < 20 ms; Monte Carlo of 100,000 requests < 200 ms.
"""

from __future__ import annotations

import random
import sys

from mlsd import cascade, estimates, timing
from mlsd.widgets.cascade import cascade_simulator
from mlsd.widgets.estimates import estimate_calculator


def median_ms(action, repeat=21) -> float:
    return timing.median_ms(action, repeat)


def python_loop(tiers, n, seed=0) -> list:
    rng = random.Random(seed)
    served = []
    for _ in range(n):
        up = [rng.random() < t.availability for t in tiers]
        lat = [t.median_ms * 2.718281828459045 ** (t.sigma * rng.gauss(0, 1)) for t in tiers]
        served.append(cascade.serve_one([t.timeout_ms for t in tiers], up, lat))
    return served


def main() -> int:
    calc = estimate_calculator()
    sim = cascade_simulator(n_requests=100_000)
    core_calc = median_ms(lambda i: estimates.estimate_all(daily_active_users=1e6 + i))
    widget_calc = median_ms(lambda i: setattr(calc.daily_active_users, "value", 1e6 + i))
    core_cascade = median_ms(lambda i: cascade.analyse(cascade.GUIDE_CASCADE))
    widget_cascade = median_ms(lambda i: setattr(sim.availability[0], "value", 0.9 + i / 1000))
    mc = median_ms(lambda i: cascade.simulate(cascade.GUIDE_CASCADE, 100_000, seed=i), 11)
    loop = median_ms(lambda i: python_loop(cascade.GUIDE_CASCADE, 10_000, seed=i), 5) * 10
    rows = [
        ("calculator callback", widget_calc, 20, f"{widget_calc / core_calc:.1f}x core alone"),
        ("cascade callback", widget_cascade, 20, f"{widget_cascade / core_cascade:.1f}x core"),
        ("Monte Carlo, 100,000 requests", mc, 200, f"{loop / mc:.0f}x faster than a Python loop"),
    ]
    for name, value, bar, ratio in rows:
        verdict = "ok" if value < bar else "OVER"
        print(f"{name:32s} median {value:8.2f} ms (bar {bar} ms: {verdict}); {ratio}")
    print(f"{'(baseline) core estimate_all':32s} median {core_calc:8.2f} ms")
    print(f"{'(baseline) core analyse':32s} median {core_cascade:8.2f} ms")
    print(f"{'(baseline) Python loop, scaled':32s} median {loop:8.0f} ms")
    return 0 if all(value < bar for _n, value, bar, _r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
