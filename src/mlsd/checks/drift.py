"""Checks for ``psi`` and ``latency_alert`` (section 7, tip 5)."""

from __future__ import annotations

import math

import numpy as np

from mlsd import drift
from mlsd.checks.engine import Case, run

PSI_EXERCISE = "psi"
ALERT_EXERCISE = "latency_alert"
PSI_TOL = 1e-6


def psi_samples(seed: int, n_expected: int, n_actual: int, shift: float, scale: float = 1.0):
    """Seeded normal samples: the reference N(0, 1) and a current one shifted and scaled."""
    rng = np.random.default_rng(seed)
    return rng.normal(0, 1, n_expected), rng.normal(shift, scale, n_actual)


def _variants(expected, actual, bins):
    """What common slips return, by the slip's description."""
    e, a = np.asarray(expected, float), np.asarray(actual, float)
    q_edges = np.quantile(e, np.linspace(0, 1, bins + 1))
    w_edges = np.linspace(e.min(), e.max(), bins + 1)
    a_edges = np.quantile(a, np.linspace(0, 1, bins + 1))

    def score(pe, pa, floor=drift.PSI_FLOOR):
        pe, pa = np.maximum(pe, floor), np.maximum(pa, floor)
        return float(np.sum((pa - pe) * np.log(pa / pe)))

    with np.errstate(divide="ignore", invalid="ignore"):
        return {
            "used equal-width bins; the bins are the reference's quantiles "
            "(np.quantile(expected, np.linspace(0, 1, bins + 1)))": score(
                drift.bin_shares(e, w_edges), drift.bin_shares(a, w_edges)
            ),
            "took the bin edges from `actual`; they come from the reference, `expected`": score(
                drift.bin_shares(e, a_edges), drift.bin_shares(a, a_edges)
            ),
            "dropped the values outside the reference's range (np.histogram with the edges "
            "does that): make the outer bins open-ended": score(
                np.histogram(e, q_edges)[0] / e.size, np.histogram(a, q_edges)[0] / a.size
            ),
            "used counts instead of shares: divide each bin's count by the sample size": score(
                drift.bin_shares(e, q_edges) * e.size, drift.bin_shares(a, q_edges) * a.size
            ),
            "left the (a - e) factor out: PSI sums (a - e) x ln(a / e)": float(
                np.sum(
                    np.maximum(drift.bin_shares(a, q_edges), 1e-4)
                    * np.log(
                        np.maximum(drift.bin_shares(a, q_edges), 1e-4)
                        / np.maximum(drift.bin_shares(e, q_edges), 1e-4)
                    )
                )
            ),
        }


def psi_cause(case: Case, actual) -> str | None:
    if actual is None:
        return None
    if isinstance(actual, bool) or not isinstance(actual, int | float | np.floating):
        return f"return one float; you returned a {type(actual).__name__}."
    if not math.isfinite(float(actual)):
        return "an empty bin gives log(0): floor every share at 1e-4 before the formula."
    expected, sample, *rest = case.args
    bins = case.kwargs.get("bins", rest[0] if rest else 10)
    for slip, value in _variants(expected, sample, bins).items():
        if math.isfinite(value) and math.isclose(float(actual), value, rel_tol=1e-6):
            return slip
    return None


def psi_case(label, expected, sample, bins, value, why) -> Case:
    kwargs = {} if bins == 10 else {"bins": bins}
    return Case(
        (expected, sample), value, why, kwargs=kwargs, rel_tol=PSI_TOL, abs_tol=1e-12, label=label
    )


def visible_psi_cases():
    same = psi_samples(1, 2000, 2000, 0.0)
    shifted = psi_samples(2, 2000, 2000, 0.5)
    wide = psi_samples(3, 2000, 1000, 0.0, 2.0)
    return (
        psi_case("psi(N(0,1), N(0,1))", *same, 10, drift.psi(*same),
                 "two samples of one distribution: PSI near 0 (only noise)."),
        psi_case("psi(N(0,1), N(0.5,1))", *shifted, 10, drift.psi(*shifted),
                 "a half-standard-deviation shift moves many values to other deciles."),
        psi_case("psi(N(0,1), N(0,2), bins=5)", *wide, 5, drift.psi(*wide, bins=5),
                 "a wider spread fills the open-ended outer bins; 5 quantile bins."),
        psi_case("psi(N(0,1), everything above the reference)", same[0],
                 same[0].max() + 1 + np.arange(50.0), 10,
                 drift.psi(same[0], same[0].max() + 1 + np.arange(50.0)),
                 "all current values land in the last bin: nine empty bins need the 1e-4 floor."),
    )  # fmt: skip


def check_psi(fn) -> None:
    """Visible check: no drift, a shift, a wider spread with 5 bins, and empty bins."""
    run(PSI_EXERCISE, fn, visible_psi_cases(), likely_cause=psi_cause)


def expect_psi(fn, cases) -> None:
    """Hidden-test helper: (label, expected sample, actual sample, bins, psi, why) tuples."""
    run(PSI_EXERCISE, fn, [psi_case(*c) for c in cases], likely_cause=psi_cause, quiet=True)


def alert_case(label, samples, slo, expected, why, **kwargs) -> Case:
    return Case((samples, slo), expected, why, kwargs=kwargs, label=label)


def alert_cause(case: Case, actual) -> str | None:
    if actual is None:
        return None
    if actual not in drift.LATENCY_STATUSES:
        allowed = ", ".join(map(repr, drift.LATENCY_STATUSES))
        return f"return exactly one of {allowed}."
    samples, slo = case.args
    factor = case.kwargs.get("rollback_factor", 1.5)
    minimum = case.kwargs.get("min_samples", drift.MIN_SAMPLES)
    samples = np.asarray(samples, float)
    if case.expected == "insufficient data" or actual == "insufficient data":
        if len(samples) == minimum:
            return (
                f"exactly min_samples ({minimum}) samples are enough: only fewer is "
                "'insufficient data' (use <, not <=)."
            )
        return (
            f"judge only with at least min_samples ({minimum}) samples (the default is "
            f"{drift.MIN_SAMPLES}): fewer is too few, more are enough. Use the argument, not a "
            "fixed number."
        )
    p99 = float(np.percentile(samples, 99))
    if math.isclose(p99, slo) or math.isclose(p99, factor * slo):
        return "the thresholds are strict: p99 exactly at the limit is not above it (use >)."
    for name, value in (
        ("the mean", samples.mean()),
        ("the median (p50)", np.percentile(samples, 50)),
        ("p95", np.percentile(samples, 95)),
        ("the maximum", samples.max()),
    ):
        status = "rollback" if value > factor * slo else "alert" if value > slo else "ok"
        if status == actual:
            return f"the alert is on p99 (np.percentile(samples, 99)); this matches {name}."
    if case.expected == "rollback" and actual == "alert":
        if case.kwargs.get("rollback_factor") not in (None, 1.5):
            return "use the rollback_factor argument; 1.5 is only its default."
        return "check the rollback threshold (factor x SLO) before the alert threshold."
    if case.kwargs.get("rollback_factor") not in (None, 1.5):
        return "use the rollback_factor argument; 1.5 is only its default."
    return None


def visible_alert_cases():
    fast = np.linspace(10, 60, 2000)
    spiky = np.concatenate([np.full(980, 20.0), np.full(20, 130.0)])
    return (
        alert_case("latency_alert(2,000 samples from 10 to 60 ms, 100)", fast, 100, "ok",
                   "p99 is about 59.5 ms, under the 100 ms SLO."),
        alert_case("latency_alert(98% at 20 ms + 2% at 130 ms, 100)", spiky, 100, "alert",
                   "p99 is 130 ms > 100 ms (the mean, 22 ms, hides the tail), under 150 ms."),
        alert_case("latency_alert(1,000 samples at 200 ms, 100)", np.full(1000, 200.0), 100,
                   "rollback", "exactly min_samples (1,000) samples are enough to judge, and "
                   "p99 = 200 ms is above 1.5 x 100 = 150 ms."),
        alert_case("latency_alert(1,000 samples at exactly 100 ms, 100)", np.full(1000, 100.0),
                   100, "ok", "p99 equal to the SLO is not above it."),
        alert_case("latency_alert(1,500 samples at exactly 150 ms, 100)", np.full(1500, 150.0),
                   100, "alert", "p99 = 150 ms is above the SLO but not above 1.5 x 100."),
        alert_case("latency_alert(999 samples at 500 ms, 100)", np.full(999, 500.0), 100,
                   "insufficient data", "999 samples are fewer than min_samples = 1,000."),
        alert_case("latency_alert(1,000 at 130 ms, 100, rollback_factor=1.2)",
                   np.full(1000, 130.0), 100, "rollback",
                   "130 ms is above 1.2 x 100 = 120 ms.", rollback_factor=1.2),
        alert_case("latency_alert(50 samples at 90 ms, 80, min_samples=50)",
                   [90.0] * 50, 80, "alert",
                   "min_samples=50 and there are 50 (a plain list works like an array).",
                   min_samples=50),
    )  # fmt: skip


def check_latency_alert(fn) -> None:
    """Visible check: every rule of the prompt: ok, a tail the mean hides, rollback, both
    strict boundaries, too few and exactly enough samples, both keyword arguments."""
    run(ALERT_EXERCISE, fn, visible_alert_cases(), likely_cause=alert_cause)


def expect_alerts(fn, cases) -> None:
    """Hidden-test helper: (label, samples, slo, expected, why, kwargs) tuples."""
    run(
        ALERT_EXERCISE,
        fn,
        [alert_case(label, s, slo, exp, why, **kw) for label, s, slo, exp, why, kw in cases],
        likely_cause=alert_cause,
        quiet=True,
    )
