"""Checks for ``serve_request`` (section 7, tip 4): one request through a cascade.

``serve_request(timeouts_ms, up, latency_ms)`` returns ``(index of the serving tier, total
ms)``, or ``(None, total ms)`` when every tier fails. Down tiers cost nothing; a tier that is
up but slower than its timeout costs the whole timeout; an answer at exactly the timeout is
in time.
"""

from __future__ import annotations

import math

from mlsd.cascade import serve_one
from mlsd.checks.engine import Case, run

EXERCISE = "serve_request"
INF = math.inf


def case(timeouts, up, latency, why, expected=None) -> Case:
    """A probe; ``expected`` defaults to the core's answer (visible cases only: hidden ones
    state theirs in the notebook)."""
    return Case(
        (list(timeouts), list(up), list(latency)),
        serve_one(timeouts, up, latency) if expected is None else expected,
        why,
        rel_tol=1e-9,
        abs_tol=1e-12,
        label=f"serve_request({list(timeouts)}, {list(up)}, {list(latency)})",
    )


VISIBLE = (
    ([80, 30, 10, INF], [True, True, True, True], [40, 15, 2, 1],
     "the first tier is up and answers in 40 ms <= 80 ms."),
    ([80, 30, 10, INF], [False, True, True, True], [40, 15, 2, 1],
     "tier 0 is down (skipped at no cost); tier 1 answers in 15 ms."),
    ([80, 30, 10, INF], [True, True, True, True], [120, 15, 2, 1],
     "tier 0 times out after 80 ms, then tier 1 answers: 80 + 15 = 95 ms."),
    ([80, 30, 10, INF], [True, True, True, True], [80, 15, 2, 1],
     "80 ms is exactly the timeout, which is still in time."),
    ([80, 30, 10, 5], [True, True, False, False], [90, 31, 2, 1],
     "0 and 1 time out (80 + 30 ms), 2 and 3 are down: nothing serves after 110 ms."),
)  # fmt: skip


def likely_cause(c: Case, actual) -> str | None:
    timeouts, up, latency = c.args
    if actual is None:
        return None
    if not isinstance(actual, tuple | list) or len(actual) != 2:
        return "return a pair: (index of the serving tier or None, total milliseconds)."
    index, total = actual
    expected_index, expected_total = c.expected
    if expected_index is not None and index == expected_index + 1 and total == expected_total:
        return "tiers are numbered from 0, like Python lists."
    if index != expected_index:
        if expected_index is not None and latency[expected_index] == timeouts[expected_index]:
            return "an answer arriving exactly at the timeout is in time: use <=, not <."
        if expected_index is None and index is not None:
            return "a tier that is down or too slow cannot serve; when all fail, return None."
        return "try the tiers in order and stop at the first one that is up and in time."
    down_charged = sum(
        t for t, u, lat in zip(timeouts, up, latency, strict=True) if not u and math.isfinite(t)
    )
    if math.isclose(total, expected_total + down_charged) and down_charged:
        return "a tier that is down is skipped at once: it costs no time, not its timeout."
    if expected_index is not None and math.isclose(total, latency[expected_index]):
        return "add the timeouts already spent on the tiers that timed out before this one."
    if expected_index is None and math.isclose(total, 0):
        return "a failed request still spent the timeouts: return the time spent, not 0."
    stop = len(timeouts) if expected_index is None else expected_index
    charged_latency = sum(
        lat if u and lat > t else 0 for t, u, lat in zip(timeouts[:stop], up, latency, strict=False)
    ) + (latency[expected_index] if expected_index is not None else 0)
    if math.isclose(total, charged_latency):
        return "a tier that times out costs its timeout, not its (longer) latency."
    return None


def check_serve_request(fn) -> None:
    """Visible check: served first, down tier, timeout then fallback, the boundary, all fail."""
    run(EXERCISE, fn, [case(*v) for v in VISIBLE], likely_cause=likely_cause)


def expect_served(fn, cases) -> None:
    """Hidden-test helper: (timeouts, up, latency, expected pair, why) tuples."""
    run(
        EXERCISE,
        fn,
        [case(t, u, lat, why, expected) for t, u, lat, expected, why in cases],
        likely_cause=likely_cause,
        quiet=True,
    )
