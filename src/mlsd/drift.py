"""Monitoring (guide section 7, tip 5): drift scores, latency percentiles, alert or roll back.

PSI (population stability index) compares the share of a feature's values in each bin of a
*reference* sample (training data, or last week) with a *current* sample. The bins are the
reference's quantiles, so each holds about the same share of reference values; the outer bins
are open-ended so no current value is dropped. A share of zero is floored at 1e-4 so the log
stays finite. Conventional reading: below 0.1 no significant change, 0.1 to 0.25 moderate
(alert, investigate), 0.25 and above major (act: retrain, or roll back a fresh deploy).

The two-sample Kolmogorov-Smirnov test (scipy) asks whether both samples could come from one
distribution; with many samples it flags shifts too small to matter, which is why alerts use
an effect size such as PSI and treat the p-value as supporting evidence.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np
from scipy import stats

from mlsd.validation import require_int, require_number

PSI_FLOOR = 1e-4
PSI_MODERATE, PSI_MAJOR = 0.10, 0.25
KS_ALPHA = 0.01
LATENCY_STATUSES = ("insufficient data", "ok", "alert", "rollback")
ACTIONS = ("ok", "alert", "rollback")


def _sample(name: str, values, minimum: int = 1) -> np.ndarray:
    try:
        array = np.asarray(values, dtype=float).ravel()
    except (TypeError, ValueError):
        kind = type(values).__name__
        raise ValueError(f"{name} must be a sequence of numbers; got {kind}.") from None
    if array.size < minimum:
        raise ValueError(f"{name} must hold at least {minimum} value(s); got {array.size}.")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must hold finite numbers only; found NaN or infinity.")
    return array


def psi_bins(expected, bins: int = 10) -> np.ndarray:
    """Bin edges: the reference's quantiles (``bins + 1`` of them)."""
    reference = _sample("expected", expected)
    bins = require_int("bins", bins, 2, 100)
    return np.quantile(reference, np.linspace(0, 1, bins + 1))


def bin_shares(values, edges: np.ndarray) -> np.ndarray:
    """Share of ``values`` per bin; the first and last bins are open-ended."""
    values = np.asarray(values, dtype=float)
    index = np.searchsorted(edges[1:-1], values, side="right")
    return np.bincount(index, minlength=len(edges) - 1) / values.size


def psi(expected, actual, bins: int = 10) -> float:
    """Population stability index of ``actual`` against the reference ``expected``."""
    reference = _sample("expected", expected)
    current = _sample("actual", actual)
    edges = psi_bins(reference, bins)
    e = np.maximum(bin_shares(reference, edges), PSI_FLOOR)
    a = np.maximum(bin_shares(current, edges), PSI_FLOOR)
    return float(np.sum((a - e) * np.log(a / e)))


def psi_level(value) -> str:
    value = require_number("psi", value, 0, None)
    if value < PSI_MODERATE:
        return "no significant change"
    if value < PSI_MAJOR:
        return "moderate change"
    return "major change"


def ks_test(expected, actual) -> tuple[float, float]:
    """Two-sample KS statistic and p-value (scipy.stats.ks_2samp)."""
    result = stats.ks_2samp(_sample("expected", expected), _sample("actual", actual))
    return float(result.statistic), float(result.pvalue)


def latency_percentiles(samples_ms) -> dict[str, float]:
    """p50, p95 and p99 (numpy's default linear interpolation)."""
    samples = _sample("samples_ms", samples_ms)
    p50, p95, p99 = np.percentile(samples, [50, 95, 99])
    return {"p50": float(p50), "p95": float(p95), "p99": float(p99)}


def latency_alert(samples_ms, slo_ms, rollback_factor=1.5, min_samples=100) -> str:
    """'insufficient data', 'ok', 'alert' (p99 > SLO) or 'rollback' (p99 > factor x SLO)."""
    samples = _sample("samples_ms", samples_ms, minimum=0)
    slo = require_number("slo_ms", slo_ms, 0, None, low_inclusive=False, unit="ms")
    factor = require_number("rollback_factor", rollback_factor, 1, None)
    minimum = require_int("min_samples", min_samples, 1)
    if samples.size < minimum:
        return "insufficient data"
    p99 = float(np.percentile(samples, 99))
    if p99 > factor * slo:
        return "rollback"
    if p99 > slo:
        return "alert"
    return "ok"


@dataclass(frozen=True)
class Decision:
    action: str
    reasons: tuple[str, ...]


def decide(psi_value, latency_status, new_version=False) -> Decision:
    """When to alert and when to roll back, from a drift score and the latency status.

    Roll back only what a rollback can fix: a fresh deploy (``new_version``) that breaks the
    latency SLO badly or shifts the inputs/predictions majorly. Drift in the world with no new
    version is an alert (investigate, retrain), since the previous model sees the same data.
    """
    value = require_number("psi_value", psi_value, 0, None)
    if latency_status not in LATENCY_STATUSES:
        raise ValueError(
            f"latency_status must be one of {', '.join(map(repr, LATENCY_STATUSES))}; "
            f"got {latency_status!r}."
        )
    reasons, action = [], "ok"
    if latency_status == "rollback":
        reasons.append("p99 latency is far above the SLO: roll back to the last good version")
        action = "rollback"
    elif latency_status == "alert":
        reasons.append("p99 latency is above the SLO: page the on-call engineer")
        action = "alert"
    if value >= PSI_MAJOR and new_version:
        reasons.append(f"PSI {value:.3f} ≥ {PSI_MAJOR} right after a deploy: roll back")
        action = "rollback"
    elif value >= PSI_MODERATE:
        reasons.append(
            f"PSI {value:.3f} ≥ {PSI_MODERATE}: investigate the feature pipeline"
            + ("; plan a retrain" if value >= PSI_MAJOR else "")
        )
        action = action if action == "rollback" else "alert"
    if latency_status == "insufficient data":
        reasons.append("too few latency samples to judge p99 yet")
    if not reasons:
        reasons.append("drift and latency are within their thresholds")
    return Decision(action, tuple(reasons))


@cache
def _breast_cancer():
    from sklearn.datasets import load_breast_cancer

    frame = load_breast_cancer(as_frame=True).frame
    return frame


FEATURE = "mean radius"


def reference_feature(name: str = FEATURE) -> np.ndarray:
    """A real feature: scikit-learn's bundled breast-cancer data (569 tumours, UCI WDBC)."""
    frame = _breast_cancer()
    if name not in frame.columns or name == "target":
        raise ValueError(f"name must be a feature of the breast-cancer data; got {name!r}.")
    return frame[name].to_numpy(dtype=float)


def current_feature(
    shift_sd=0.0, malignant_share=None, n=2000, seed=0, name: str = FEATURE
) -> np.ndarray:
    """Today's traffic: a bootstrap of the real rows, optionally with a different mix of
    malignant cases (a change in the population) and shifted by ``shift_sd`` standard
    deviations (a change in the measurement, e.g. a recalibrated instrument or a unit bug)."""
    shift = require_number("shift_sd", shift_sd, -5, 5, unit="standard deviations")
    n = require_int("n", n, 10, 1_000_000)
    frame = _breast_cancer()
    values = reference_feature(name)
    malignant = (frame["target"] == 0).to_numpy()  # sklearn: 0 = malignant
    rng = np.random.default_rng(seed)
    if malignant_share is None:
        picks = rng.integers(0, values.size, n)
    else:
        share = require_number("malignant_share", malignant_share, 0, 1, unit="(fraction)")
        n_bad = int(round(share * n))
        bad, good = np.flatnonzero(malignant), np.flatnonzero(~malignant)
        picks = np.concatenate([rng.choice(bad, n_bad), rng.choice(good, n - n_bad)])
    return values[picks] + shift * values.std()


def latency_samples(n=5000, median_ms=40.0, p99_ms=90.0, seed=0) -> np.ndarray:
    """Log-normal request latencies with the given median and p99."""
    n = require_int("n", n, 1, 10_000_000)
    median = require_number("median_ms", median_ms, 0, None, low_inclusive=False, unit="ms")
    p99 = require_number("p99_ms", p99_ms, median, None, unit="ms (>= median_ms)")
    sigma = math.log(p99 / median) / 2.3263478740408408
    rng = np.random.default_rng(seed)
    return median * np.exp(sigma * rng.standard_normal(n))
