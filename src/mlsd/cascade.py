"""A fallback cascade (guide section 7, tip 4): what happens when the model fails or is slow.

A request tries the tiers in order. A tier is *up* with probability ``availability``; when
it is up its latency is log-normal (given by its median and p99). If the answer arrives within
the tier's timeout (``latency <= timeout``) that tier serves the request; if not, the request
has spent the whole timeout and moves on. A tier that is down is skipped at once (a health
check or circuit breaker already knows it is down), costing no time; without circuit breakers
(``circuit_breaker=False``) a down tier costs its whole timeout, as a host that stopped
answering does. If every tier fails the request fails.

The timeouts add up: a request that ends at the last tier has spent every earlier timeout
(``worst_case_ms``). An end-to-end latency budget therefore has to be split across the tiers
(or passed down as a deadline), not given to each tier whole.

Two ways to get the same numbers: ``analyse`` in closed form (a tier's share is
P(reached) x availability x P(latency <= timeout); latency percentiles solve the mixture's
CDF) and ``simulate`` by Monte Carlo; the tests hold them to agree.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace

import numpy as np
from scipy.special import ndtr

from mlsd.validation import require_int, require_number

Z99 = 2.3263478740408408  # the standard normal's 99th percentile
MAX_TIERS = 6


@dataclass(frozen=True)
class Tier:
    name: str
    availability: float  # probability the tier answers at all
    median_ms: float
    p99_ms: float
    timeout_ms: float  # math.inf: wait as long as it takes
    quality: float  # relative to the best tier (1.0)

    def __post_init__(self):
        label = f"{self.name}: " if self.name else ""
        try:
            require_number("availability", self.availability, 0, 1, unit="(fraction)")
            require_number("median_ms", self.median_ms, 0, None, low_inclusive=False, unit="ms")
            require_number("p99_ms", self.p99_ms, self.median_ms, None, unit="ms (>= median_ms)")
            require_number("quality", self.quality, 0, 1, unit="(fraction of the best)")
            if self.timeout_ms != math.inf:
                require_number(
                    "timeout_ms", self.timeout_ms, 0, None, low_inclusive=False, unit="ms"
                )
        except ValueError as exc:
            raise ValueError(label + str(exc)) from None

    @property
    def sigma(self) -> float:
        return math.log(self.p99_ms / self.median_ms) / Z99

    def cdf(self, x_ms):
        """P(latency <= x) for an up tier."""
        x = np.asarray(x_ms, dtype=float)
        if self.sigma == 0:
            return (x >= self.median_ms).astype(float)
        with np.errstate(divide="ignore"):
            z = (np.log(np.maximum(x, 0)) - math.log(self.median_ms)) / self.sigma
        return ndtr(z)

    @property
    def serves_when_reached(self) -> float:
        """P(this tier answers in time | the request reached it)."""
        return self.availability * float(self.cdf(self.timeout_ms))


GUIDE_CASCADE = (
    Tier("personalised model", 0.99, 40.0, 120.0, 80.0, 1.00),
    Tier("non-personalised model", 0.995, 15.0, 40.0, 30.0, 0.85),
    Tier("rules", 0.999, 2.0, 5.0, 10.0, 0.60),
    # 0.999, not 0.9999: the availability sliders step by 0.001, and a value off the step is
    # snapped in the browser, which silently changes the model the learner is looking at.
    Tier("popular items", 0.999, 1.0, 2.0, math.inf, 0.40),
)


def validate_tiers(tiers) -> tuple[Tier, ...]:
    tiers = tuple(tiers)
    if not 1 <= len(tiers) <= MAX_TIERS or not all(isinstance(t, Tier) for t in tiers):
        raise ValueError(f"tiers must be 1 to {MAX_TIERS} Tier objects; got {len(tiers)} item(s).")
    return tiers


def with_changes(tiers, index: int, **changes) -> tuple[Tier, ...]:
    """A copy of ``tiers`` with tier ``index`` changed (validated)."""
    tiers = validate_tiers(tiers)
    index = require_int("index", index, 0, len(tiers) - 1)
    return tiers[:index] + (replace(tiers[index], **changes),) + tiers[index + 1 :]


def serve_one(timeouts_ms, up, latency_ms) -> tuple[int | None, float]:
    """One request through the cascade given each tier's outcome: (tier index or None, ms)."""
    spent = 0.0
    for i, (timeout, is_up, latency) in enumerate(zip(timeouts_ms, up, latency_ms, strict=True)):
        if not is_up:
            continue
        if latency <= timeout:
            return i, spent + latency
        spent += timeout
    return None, spent


@dataclass(frozen=True)
class CascadeResult:
    shares: tuple[float, ...]  # fraction of all requests each tier served
    availability: float  # fraction of requests served by some tier
    expected_quality: float  # mean quality over all requests (a failure scores 0)
    p50_ms: float  # percentiles over served requests
    p99_ms: float

    @property
    def failed(self) -> float:
        return 1.0 - self.availability


def worst_case_ms(tiers) -> float:
    """The slowest served request, roughly: every finite timeout before the last tier, plus
    the last tier's p99 (or its timeout, if it has one)."""
    tiers = validate_tiers(tiers)
    last = tiers[-1]
    spent = sum(t.timeout_ms for t in tiers[:-1] if math.isfinite(t.timeout_ms))
    return spent + min(last.p99_ms, last.timeout_ms)


def _paths(tiers, circuit_breaker=True):
    """For each serving tier: (probability of the failures before it, time they cost)."""
    out = []
    for i, tier in enumerate(tiers):
        probs, offsets = [], []
        for outcome in itertools.product((False, True), repeat=i):  # True = timed out
            p, spent = 1.0, 0.0
            for before, timed_out in zip(tiers[:i], outcome, strict=True):
                if timed_out:
                    p *= before.availability * (1 - float(before.cdf(before.timeout_ms)))
                    spent += before.timeout_ms
                else:
                    p *= 1 - before.availability
                    if not circuit_breaker:
                        spent += before.timeout_ms
            if p > 0 and math.isfinite(spent):
                probs.append(p)
                offsets.append(spent)
        out.append((tier, np.array(probs), np.array(offsets)))
    return out


def _served_cdf(paths, x: float) -> float:
    total = 0.0
    for tier, probs, offsets in paths:
        if probs.size == 0:
            continue
        within = tier.cdf(np.minimum(x - offsets, tier.timeout_ms))
        total += tier.availability * float(np.dot(probs, np.where(x > offsets, within, 0.0)))
    return total


def analyse(tiers, circuit_breaker=True) -> CascadeResult:
    """Closed form: shares, availability, expected quality and served p50/p99 latency.

    ``circuit_breaker``: a down tier is skipped at once (True) or costs its timeout (False).
    """
    tiers = validate_tiers(tiers)
    shares, reach = [], 1.0
    for tier in tiers:
        serve = tier.serves_when_reached
        shares.append(reach * serve)
        reach *= 1 - serve
    availability = float(sum(shares))
    quality = float(sum(s * t.quality for s, t in zip(shares, tiers, strict=True)))
    paths = _paths(tiers, circuit_breaker)
    p50, p99 = (_percentile(paths, tiers, q, availability) for q in (0.50, 0.99))
    return CascadeResult(tuple(shares), availability, quality, p50, p99)


def _percentile(paths, tiers, q, availability) -> float:
    if availability <= 0:
        return math.nan
    target = q * availability
    finite = [t.timeout_ms for t in tiers if math.isfinite(t.timeout_ms)]
    high = sum(finite) + max(t.median_ms * math.exp(8 * t.sigma) for t in tiers) + 1.0
    low = 0.0
    for _ in range(60):  # bisection to ~1e-15 of the range
        mid = 0.5 * (low + high)
        if _served_cdf(paths, mid) < target:
            low = mid
        else:
            high = mid
    return high


def simulate(tiers, n_requests=100_000, seed=0, circuit_breaker=True) -> CascadeResult:
    """Monte Carlo of ``n_requests`` independent requests (vectorised with numpy)."""
    tiers = validate_tiers(tiers)
    n = require_int("n_requests", n_requests, 1, 10_000_000)
    rng = np.random.default_rng(seed)
    k = len(tiers)
    availability = np.array([t.availability for t in tiers])
    mu = np.log([t.median_ms for t in tiers])
    sigma = np.array([t.sigma for t in tiers])
    timeout = np.array([t.timeout_ms for t in tiers])
    quality = np.array([t.quality for t in tiers])
    up = rng.random((n, k)) < availability
    latency = np.exp(mu + sigma * rng.standard_normal((n, k)))
    ok = up & (latency <= timeout)
    # A tier that does not serve costs its timeout when it was up and too slow, and also when
    # it was down unless a circuit breaker skips it. (An infinite timeout only matters for a
    # request that never gets served, which is left out of the latency percentiles.)
    failed = ~ok if not circuit_breaker else up & ~ok
    cost = np.where(failed, timeout, 0.0)
    spent_before = np.zeros_like(cost)  # exclusive running sum (inf - inf would give nan)
    spent_before[:, 1:] = np.cumsum(cost[:, :-1], axis=1)
    served = ok.any(axis=1)
    first = ok.argmax(axis=1)
    rows = np.arange(n)
    total = (spent_before[rows, first] + latency[rows, first])[served]
    counts = np.bincount(first[served], minlength=k)
    shares = counts / n
    p50, p99 = np.percentile(total, [50, 99]) if total.size else (math.nan, math.nan)
    return CascadeResult(
        tuple(float(s) for s in shares),
        float(served.mean()),
        float(np.dot(shares, quality)),
        float(p50),
        float(p99),
    )
