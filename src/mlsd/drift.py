"""Monitoring (guide section 7, tip 5): drift scores, latency percentiles, alert or roll back.

PSI (population stability index) compares the share of a feature's values in each bin of a
*reference* sample (training data, or last week) with a *current* sample. The bins are the
reference's quantiles, so each holds about the same share of reference values; the outer bins
are open-ended so no current value is dropped. A share of zero is floored at 1e-4 so the log
stays finite. Conventional reading, a rule of thumb from credit scoring (Siddiqi, *Credit
Risk Scorecards*, Wiley 2006): below 0.1 no significant change, 0.1 to 0.25 moderate (alert,
investigate), 0.25 and above major (act: retrain, or roll back a fresh release).

Where the rule breaks: PSI has no sample size in it, but its noise does. With no change at
all, PSI of samples of sizes n and m over B bins is about (1/n + 1/m) x chi-square(B - 1)
(Yurdakul, PhD thesis, Western Michigan University 2018; ``psi_null_quantile``): at 100 vs
100 rows the 0.1 line is crossed by noise alone most of the time, at a million rows a PSI of
0.01 is already a real (if perhaps harmless) shift. ``psi_noise_table`` measures it.

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


def psi_null_quantile(n_expected, n_actual, bins: int = 10, q: float = 0.95) -> float:
    """The PSI that noise alone reaches with probability ``1 - q`` when nothing changed:
    (1/n + 1/m) x the ``q`` quantile of chi-square with ``bins - 1`` degrees of freedom."""
    n = require_int("n_expected", n_expected, 2)
    m = require_int("n_actual", n_actual, 2)
    bins = require_int("bins", bins, 2, 100)
    q = require_number("q", q, 0, 1, low_inclusive=False, high_inclusive=False)
    return float((1 / n + 1 / m) * stats.chi2.ppf(q, bins - 1))


def psi_noise_table(sizes=(100, 200, 1_000, 10_000), bins: int = 10, trials: int = 200,
                    seed: int = 0):  # fmt: skip
    """Measure PSI between two samples of ONE distribution (no drift) at several sizes.

    Per size n (both samples n normal values): the measured 95th percentile of PSI over
    ``trials`` pairs, the chi-square approximation of it, and how often noise alone crosses
    the 0.1 and 0.25 lines.
    """
    import pandas as pd

    bins = require_int("bins", bins, 2, 100)
    trials = require_int("trials", trials, 20, 100_000)
    rng = np.random.default_rng(seed)
    rows = []
    for size in sizes:
        n = require_int("sizes", size, 10, 1_000_000)
        values = np.array(
            [psi(rng.normal(size=n), rng.normal(size=n), bins) for _ in range(trials)]
        )
        rows.append(
            {
                "rows per sample": n,
                "measured 95th pct of PSI": round(float(np.quantile(values, 0.95)), 4),
                "(1/n + 1/m) χ² approximation": round(psi_null_quantile(n, n, bins), 4),
                "no-drift pairs above 0.1": f"{np.mean(values >= PSI_MODERATE):.0%}",
                "above 0.25": f"{np.mean(values >= PSI_MAJOR):.0%}",
            }
        )
    return pd.DataFrame(rows)


def p99_spread(sizes=(100, 1_000, 10_000), median_ms=40.0, p99_ms=90.0, trials: int = 200,
               seed: int = 0):  # fmt: skip
    """How much the p99 measured from n samples wanders: per size, the 5th and 95th
    percentile of ``np.percentile(sample, 99)`` over ``trials`` log-normal samples whose true
    p99 is ``p99_ms``, and how many samples lie above the p99 (the estimate rests on them)."""
    import pandas as pd

    trials = require_int("trials", trials, 20, 100_000)
    rng = np.random.default_rng(seed)
    median = require_number("median_ms", median_ms, 0, None, low_inclusive=False, unit="ms")
    p99 = require_number("p99_ms", p99_ms, median, None, unit="ms (>= median_ms)")
    sigma = math.log(p99 / median) / 2.3263478740408408
    rows = []
    for size in sizes:
        n = require_int("sizes", size, 10, 1_000_000)
        draws = median * np.exp(sigma * rng.standard_normal((trials, n)))
        estimates = np.percentile(draws, 99, axis=1)
        low, high = np.quantile(estimates, [0.05, 0.95])
        rows.append(
            {
                "samples": n,
                "values above the p99": max(n // 100, 0),
                "measured p99, 90 % of the time between (ms)": f"{low:.0f} and {high:.0f}",
                "true p99 (ms)": round(p99),
            }
        )
    return pd.DataFrame(rows)


def latency_percentiles(samples_ms) -> dict[str, float]:
    """p50, p95 and p99 (numpy's default linear interpolation)."""
    samples = _sample("samples_ms", samples_ms)
    p50, p95, p99 = np.percentile(samples, [50, 95, 99])
    return {"p50": float(p50), "p95": float(p95), "p99": float(p99)}


MIN_SAMPLES = 1000  # a p99 from n samples rests on the n / 100 slowest: 10 at least


def latency_alert(samples_ms, slo_ms, rollback_factor=1.5, min_samples=MIN_SAMPLES) -> str:
    """'insufficient data', 'ok', 'alert' (p99 > SLO) or 'rollback' (p99 > factor x SLO).

    Fewer than ``min_samples`` samples are 'insufficient data': the p99 of 100 samples is
    decided by the two slowest (numpy interpolates between them), so one slow request can
    page someone; 1,000 samples put ten values above the p99 (``p99_spread`` measures it).
    """
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

    Roll back only what a rollback can fix. ``new_version``: a release (model, or feature
    code) went out just before the change began. A model cannot change its own inputs, so a
    major input shift that starts with a release points at the release's feature code (a
    unit bug, a renamed field); rolling back is the cheapest test and the fastest fix. The
    same shift with no release is the world changing: the previous version would see the
    same inputs, so alert, investigate and plan a retrain.
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
        reasons.append(
            f"PSI {value:.3f} ≥ {PSI_MAJOR} starting with a release: roll the release back "
            "(its feature code is the prime suspect), then investigate"
        )
        action = "rollback"
    elif value >= PSI_MODERATE:
        reasons.append(
            f"PSI {value:.3f} ≥ {PSI_MODERATE} with no release to blame: the world changed "
            "(or an upstream source did); investigate the feature pipeline"
            + ("; plan a retrain" if value >= PSI_MAJOR else "")
            if not new_version
            else f"PSI {value:.3f} ≥ {PSI_MODERATE} after a release: investigate"
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
