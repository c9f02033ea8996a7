"""Uncertainty for offline metrics: bootstrap intervals and the sample a test needs.

A metric computed on 150 queries or 2,000 impressions is an estimate. Before saying one
system beats another, put an interval on the difference:

- ``bootstrap_mean``: percentile bootstrap interval for the mean of per-unit values (per
  query NDCG, per impression click), resampling the units with replacement (Efron &
  Tibshirani, *An Introduction to the Bootstrap*, 1993).
- ``paired_difference``: the same for the mean difference between two systems scored on the
  *same* units (each query scored by both), which is far tighter than comparing two
  separate intervals, because the per-query difficulty cancels.
- ``proportion_interval``: the exact binomial interval for a rate, which stays honest when
  the events are few (a bootstrap of 0 clicks says [0, 0]).
- ``sample_size_two_proportions``: units per arm an A/B test needs to detect a change of a
  rate (a CTR) with a given significance and power (the normal-approximation formula
  found in Fleiss, Levin & Paik, *Statistical Methods for Rates and Proportions*, 2003).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.stats import binomtest, norm

from mlsd.validation import require_int, require_number


@dataclass(frozen=True)
class Interval:
    estimate: float
    low: float
    high: float
    level: float
    n: int  # units the estimate rests on

    def excludes_zero(self) -> bool:
        return self.low > 0 or self.high < 0

    def __str__(self) -> str:
        return f"{self.estimate:.4f} [{self.low:.4f}, {self.high:.4f}]"


def _values(name: str, values) -> np.ndarray:
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers; got {values!r}.") from None
    if array.ndim != 1 or array.size < 2:
        raise ValueError(f"{name} must be a 1-D list of at least 2 numbers; got {values!r}.")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must hold finite numbers.")
    return array


def _percentile_interval(values: np.ndarray, n_boot, level, seed) -> Interval:
    n_boot = require_int("n_boot", n_boot, 100, 100_000)
    level = require_number("level", level, 0, 1, low_inclusive=False, high_inclusive=False)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, values.size, size=(n_boot, values.size))
    means = values[picks].mean(axis=1)
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return Interval(float(values.mean()), float(low), float(high), level, int(values.size))


def bootstrap_mean(values, n_boot=2000, level=0.95, seed=0) -> Interval:
    """Percentile bootstrap interval for the mean of ``values`` (one value per unit)."""
    return _percentile_interval(_values("values", values), n_boot, level, seed)


def paired_difference(before, after, n_boot=2000, level=0.95, seed=0) -> Interval:
    """Bootstrap interval for mean(after - before), the units scored by both systems."""
    a, b = _values("before", before), _values("after", after)
    if a.shape != b.shape:
        raise ValueError(
            f"after must score the same units as before ({a.size}); got {b.size} values."
        )
    return _percentile_interval(b - a, n_boot, level, seed)


def proportion_interval(successes, trials, level=0.95) -> Interval:
    """Exact (Clopper-Pearson) interval for a rate from ``successes`` out of ``trials``.

    Use it for click rates with few clicks: a bootstrap can only resample what it saw, so
    with 0 clicks its interval is [0, 0], while the exact interval's upper end is about
    3 / trials (the "rule of three").
    """
    trials = require_int("trials", trials, 1, None)
    successes = require_int("successes", successes, 0, trials)
    level = require_number("level", level, 0, 1, low_inclusive=False, high_inclusive=False)
    ci = binomtest(successes, trials).proportion_ci(confidence_level=level, method="exact")
    return Interval(successes / trials, float(ci.low), float(ci.high), level, trials)


def sample_size_two_proportions(base_rate, relative_lift, alpha=0.05, power=0.8) -> int:
    """Units per arm to detect a change of a rate from ``base_rate`` to
    ``base_rate x (1 + relative_lift)`` with a two-sided test at ``alpha`` and ``power``.

    n = (z_(1-alpha/2) sqrt(2 p q) + z_power sqrt(p1 q1 + p2 q2))^2 / (p2 - p1)^2, with p the
    mean of the two rates. For p1 = 0.10, p2 = 0.15 it gives 686, the textbook value.
    """
    p1 = require_number("base_rate", base_rate, 0, 1, low_inclusive=False, high_inclusive=False)
    lift = require_number("relative_lift", relative_lift, -1, None, low_inclusive=False)
    if lift == 0:
        raise ValueError("relative_lift must not be 0: no sample detects a change of nothing.")
    p2 = p1 * (1 + lift)
    if not 0 < p2 < 1:
        raise ValueError(
            f"relative_lift must keep the rate inside (0, 1); {p1:g} x (1 + {lift:g}) = {p2:g}."
        )
    alpha = require_number("alpha", alpha, 0, 1, low_inclusive=False, high_inclusive=False)
    power = require_number("power", power, 0, 1, low_inclusive=False, high_inclusive=False)
    mean = (p1 + p2) / 2
    z_alpha, z_power = norm.ppf(1 - alpha / 2), norm.ppf(power)
    spread = z_alpha * math.sqrt(2 * mean * (1 - mean)) + z_power * math.sqrt(
        p1 * (1 - p1) + p2 * (1 - p2)
    )
    return math.ceil(spread**2 / (p2 - p1) ** 2)
