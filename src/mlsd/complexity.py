"""The model complexity spectrum of guide section 6.3: the claimed steps, and a measurement.

The guide climbs a ladder from logistic regression to a deep ensemble; each rung buys some
accuracy and costs some latency. ``claimed_spectrum`` lays those claims out cumulatively,
from a baseline we state (``BASELINE_ACCURACY_PCT``, ``BASELINE_LATENCY_MS``: the guide
gives only the steps, not where the ladder starts). ``measure_spectrum`` trains five real
models on scikit-learn's breast-cancer data set and times one-row predictions, so the
learner can compare the claims with what this machine does. ``pick_model`` is the reference
rule the exercise asks for: the most accurate model that fits the latency budget.
"""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mlsd.validation import require_choice, require_int, require_number


@dataclass(frozen=True)
class Step:
    """One rung of the guide's ladder: what moving up to ``model`` adds."""

    model: str
    accuracy_gain_pct: float
    latency_cost_ms: float


# The guide's steps. The last rung is unnamed there ("and beyond"); we call it a larger
# ensemble. The starting model (logistic regression) has no step of its own.
START_MODEL = "logistic regression"
CLAIMED_STEPS = (
    Step("random forest", 10.0, 1.0),
    Step("gradient boosting", 5.0, 5.0),
    Step("neural network", 3.0, 20.0),
    Step("deep ensemble", 2.0, 50.0),
    Step("larger ensemble", 1.0, 100.0),
)
# Our assumption, not the guide's: where logistic regression starts.
BASELINE_ACCURACY_PCT = 75.0
BASELINE_LATENCY_MS = 1.0

RULE_OF_THUMB = (
    "Start with the simplest model and make it the baseline.",
    "Move up a rung only when the extra accuracy is worth its cost (ROI),",
    "the latency budget still holds,",
    "and the team can run and maintain the result.",
)

DATASETS = ("breast_cancer",)
MEASURED_COLUMNS = (
    "model",
    "family",
    "accuracy_pct",
    "p50_ms",
    "p99_ms",
    "cpu_p50_ms",
    "rank_500_ms",
    "train_s",
)
FOREST_TREES = 50  # half of scikit-learn's default, to keep the measurement under a few seconds
BOOSTING_ROUNDS = 50
MLP_EPOCHS = 200
# 200 calls: enough for a p99 that is not just the slowest call (it sits near the third
# slowest), few enough to keep the notebook fast (~7 ms a round for the five models).
DEFAULT_REPEATS = 200
WARM_UP_CALLS = 10  # first calls pay for lazy set-up (caches, allocations); not timed
CANDIDATES_PER_REQUEST = 500  # a hybrid system's request-time ranking of precomputed candidates

# The guide's families, as its model chooser (section 6.1) names them.
FAMILIES = ("simple", "medium", "complex")
FAMILY_OF = {
    "logistic regression": "simple",
    "random forest": "medium",
    "gradient boosting": "medium",
    "neural network (MLP)": "complex",
    "soft-voting ensemble": "complex",
}
# The guide's tier rule: what it lets a latency budget use (complex models between 50 and
# 200 ms only once optimised, which the measured models are not).
SIMPLE_ONLY_BELOW_MS = 50.0
MEDIUM_BELOW_MS = 200.0

# When the measurement says the machine was busy (see ``measurement_note``).
BUSY_WALL_OVER_CPU = 1.3  # calls waited for a core: wall time well above the CPU time used
BUSY_TAIL_RATIO = 5.0  # the slowest 1 % far above the median


def claimed_spectrum(
    baseline_accuracy_pct: float = BASELINE_ACCURACY_PCT,
    baseline_latency_ms: float = BASELINE_LATENCY_MS,
) -> pd.DataFrame:
    """The guide's ladder as a table: per-step gains and the running totals.

    The guide states only the steps; the starting point is ours (75 % accuracy and 1 ms for
    logistic regression by default). Columns: ``model``, ``step_accuracy_pct``,
    ``step_latency_ms``, ``accuracy_pct``, ``latency_ms`` (cumulative).
    """
    total_gain = sum(s.accuracy_gain_pct for s in CLAIMED_STEPS)
    accuracy = require_number(
        "baseline_accuracy_pct", baseline_accuracy_pct, 0, 100 - total_gain, unit="%"
    )
    latency = require_number(
        "baseline_latency_ms", baseline_latency_ms, 0, None, low_inclusive=False, unit="ms"
    )
    rows = [(START_MODEL, 0.0, 0.0, accuracy, latency)]
    for step in CLAIMED_STEPS:
        accuracy += step.accuracy_gain_pct
        latency += step.latency_cost_ms
        rows.append((step.model, step.accuracy_gain_pct, step.latency_cost_ms, accuracy, latency))
    return pd.DataFrame(
        rows,
        columns=["model", "step_accuracy_pct", "step_latency_ms", "accuracy_pct", "latency_ms"],
    )


def _models(seed: int):
    """The five candidates, simplest first; imported here so the module loads quickly."""
    from sklearn.ensemble import (
        GradientBoostingClassifier,
        RandomForestClassifier,
        VotingClassifier,
    )
    from sklearn.frozen import FrozenEstimator
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    members = {
        "logistic regression": make_pipeline(
            StandardScaler(), LogisticRegression(max_iter=1000, random_state=seed)
        ),
        # n_jobs=1: with more workers, thread start-up dominates the time of a single row.
        "random forest": RandomForestClassifier(
            n_estimators=FOREST_TREES, n_jobs=1, random_state=seed
        ),
        # 50 boosting rounds and 200 MLP epochs: the same hold-out accuracy as 100 and 500
        # on this data set, in about two thirds of the training time.
        "gradient boosting": GradientBoostingClassifier(
            n_estimators=BOOSTING_ROUNDS, random_state=seed
        ),
        "neural network (MLP)": make_pipeline(
            StandardScaler(),
            MLPClassifier(hidden_layer_sizes=(64, 32), max_iter=MLP_EPOCHS, random_state=seed),
        ),
    }

    def ensemble():
        # Soft voting over the members already trained: average their probabilities.
        return VotingClassifier(
            [(name, FrozenEstimator(model)) for name, model in members.items()], voting="soft"
        )

    return members, ensemble


def _load(dataset: str):
    from sklearn.datasets import load_breast_cancer

    loaders = {"breast_cancer": load_breast_cancer}
    return loaders[dataset](return_X_y=True)


def _time_one_row(models: dict, rows: np.ndarray, repeats: int) -> dict[str, np.ndarray]:
    """Wall and CPU milliseconds per ``predict_proba`` call on one row, for each model.

    Returns ``{name: array of shape (2, repeats)}``: row 0 wall-clock time, row 1 the CPU
    time of this thread. On an idle core the two agree; when other processes hold the cores
    the call waits, and wall time grows while CPU time does not: that gap is how the
    notebook tells a busy machine from a slow model. The models take turns, one call each
    per round, so a burst of load from elsewhere slows them all alike instead of inflating
    whichever model was being timed then.
    """
    for model in models.values():
        for i in range(WARM_UP_CALLS):
            model.predict_proba(rows[i % len(rows)][None, :])
    times = {name: np.empty((2, repeats), dtype=np.int64) for name in models}
    wall, cpu = time.perf_counter_ns, time.thread_time_ns
    for i in range(repeats):
        row = rows[i % len(rows)][None, :]
        for name, model in models.items():
            start_wall, start_cpu = wall(), cpu()
            model.predict_proba(row)
            end_cpu, end_wall = cpu(), wall()
            times[name][:, i] = (end_wall - start_wall, end_cpu - start_cpu)
    return {name: ns / 1e6 for name, ns in times.items()}


def _time_candidates(model, rows: np.ndarray, calls: int = 3) -> float:
    """Median wall milliseconds to score ``CANDIDATES_PER_REQUEST`` rows in one call."""
    batch = np.resize(rows, (CANDIDATES_PER_REQUEST, rows.shape[1]))
    seconds = []
    for _ in range(calls):
        start = time.perf_counter()
        model.predict_proba(batch)
        seconds.append(time.perf_counter() - start)
    return float(np.median(seconds)) * 1000.0


def _linear_arithmetic_ms(n_features: int, calls: int = 2000) -> float:
    """Median milliseconds of logistic regression's own arithmetic for one row (scale, dot
    product, sigmoid) in plain numpy: what is left once the library's checks are gone."""
    rng = np.random.default_rng(0)
    row, mean, scale, weights = rng.random((4, n_features))
    seconds = np.empty(calls)
    for i in range(calls):
        start = time.perf_counter()
        1.0 / (1.0 + np.exp(-(((row - mean) / scale) @ weights + 0.1)))
        seconds[i] = time.perf_counter() - start
    return float(np.median(seconds)) * 1000.0


def _load_per_core() -> float | None:
    try:
        return os.getloadavg()[0] / (os.cpu_count() or 1)
    except (AttributeError, OSError):  # not on this platform
        return None


def measure_spectrum(
    dataset: str = "breast_cancer", seed: int = 0, repeats: int = DEFAULT_REPEATS
) -> pd.DataFrame:
    """Train five models of rising complexity and measure accuracy and one-row latency.

    Models: logistic regression (scaled), a random forest, gradient boosting, an MLP
    (scaled) and a soft-voting ensemble of those four, each with the guide's family
    (``FAMILY_OF``). Accuracy is on a stratified 30 % hold-out. Latency is
    ``predict_proba`` on a single row, ``repeats`` times after a warm-up: ``p50_ms`` and
    ``p99_ms`` of wall-clock time, ``cpu_p50_ms`` of the CPU time those calls used.
    ``rank_500_ms`` is one call scoring 500 rows (a hybrid system ranking its precomputed
    candidates). ``train_s`` of the ensemble is the sum of its members' training times.

    ``table.attrs`` keeps ``calls`` (= repeats), ``lr_arithmetic_ms`` (logistic
    regression's arithmetic alone, in numpy) and ``load_per_core`` (the 1-minute load
    average per core when the measurement ended, None where unknown); see
    ``measurement_note``. Takes about 2-3 s on an idle core.
    """
    dataset = require_choice("dataset", dataset, DATASETS)
    seed = require_int("seed", seed, 0, 2**32 - 1)
    repeats = require_int("repeats", repeats, 10, 100_000)

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.model_selection import train_test_split
    from threadpoolctl import threadpool_limits

    X, y = _load(dataset)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, random_state=seed, stratify=y
    )
    members, make_ensemble = _models(seed)
    fitted, train_s = {}, {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for name, model in members.items():
            start = time.perf_counter()
            fitted[name] = model.fit(X_train, y_train)
            train_s[name] = time.perf_counter() - start
        start = time.perf_counter()
        ensemble = make_ensemble().fit(X_train, y_train)
    name = "soft-voting ensemble"
    fitted[name] = ensemble
    train_s[name] = time.perf_counter() - start + sum(train_s.values())

    # One BLAS/OpenMP thread, as a serving worker usually runs: on a shared machine extra
    # threads fight the neighbours for cores (the MLP's 500-row call took 20x longer).
    with threadpool_limits(limits=1):
        latency_ms = _time_one_row(fitted, X_test, repeats)
        rank_ms = {name: _time_candidates(model, X_test) for name, model in fitted.items()}
    rows = []
    for name, model in fitted.items():
        accuracy = float(np.mean(model.predict(X_test) == y_test)) * 100.0
        wall, cpu = latency_ms[name]
        rows.append(
            (
                name,
                FAMILY_OF[name],
                round(accuracy, 2),
                float(np.percentile(wall, 50)),
                float(np.percentile(wall, 99)),
                float(np.percentile(cpu, 50)),
                rank_ms[name],
                train_s[name],
            )
        )
    table = pd.DataFrame(rows, columns=list(MEASURED_COLUMNS))
    table.attrs.update(
        calls=repeats,
        lr_arithmetic_ms=_linear_arithmetic_ms(X.shape[1]),
        load_per_core=_load_per_core(),
    )
    return table


def _slowest_rank(calls: int, percentile: float = 99.0) -> int:
    """Which slowest sample numpy's percentile mostly reads for ``calls`` samples (1 = max)."""
    return calls - int(round(percentile / 100 * (calls - 1)))


def measurement_note(table: pd.DataFrame) -> str:
    """Was the machine quiet enough to trust the latency columns? One or two sentences.

    Two signals, both from the table itself: wall time over CPU time of the median calls,
    summed over the models (calls that waited for a core; about 1.0 on an idle machine;
    the slower models are the ones a time slice interrupts, so they weigh most), and p99
    over p50 (a long tail). Either above its limit (``BUSY_WALL_OVER_CPU``,
    ``BUSY_TAIL_RATIO``) means the p99 column measured the neighbours as much as the models.
    """
    _validate_table(table, "p99_ms")
    if "cpu_p50_ms" not in table.columns or "p50_ms" not in table.columns or table.empty:
        return "No note: the table has no CPU-time column to compare the wall-clock times with."
    waited = float(table["p50_ms"].sum() / table["cpu_p50_ms"].sum())
    tail = table["p99_ms"] / table["p50_ms"]
    worst = table.loc[tail.idxmax(), "model"]
    calls = table.attrs.get("calls")
    load = table.attrs.get("load_per_core")
    sample = (
        f" With {calls} calls, p99 is about the {_ordinal(_slowest_rank(calls))}-slowest call, "
        "so one hiccup moves it; production p99s rest on thousands of requests."
        if isinstance(calls, int)
        else ""
    )
    load_text = f"; load {load:.1f} per core" if load is not None else ""
    if waited > BUSY_WALL_OVER_CPU or tail.max() > BUSY_TAIL_RATIO:
        return (
            f"⚠ The machine was busy while measuring: the median calls took {waited:.1f}x the "
            f"CPU time they used (waiting for a core), and p99 reached {tail.max():.0f}x p50 "
            f"({worst}){load_text}. Compare the models by cpu_p50_ms, and re-run this cell "
            "on an idle machine before trusting p99." + sample
        )
    return (
        f"The machine was quiet enough: the median calls took {waited:.2f}x their CPU time, "
        f"and p99 stayed within {tail.max():.1f}x p50 ({worst}){load_text}." + sample
    )


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def allowed_families(latency_budget_ms) -> tuple[str, ...]:
    """The families the guide's tier rule lets a budget use (complex from 200 ms up; between
    50 and 200 ms only once optimised, which measured off-the-shelf models are not)."""
    budget = require_number(
        "latency_budget_ms", latency_budget_ms, 0, None, low_inclusive=False, unit="ms"
    )
    if budget < SIMPLE_ONLY_BELOW_MS:
        return ("simple",)
    if budget < MEDIUM_BELOW_MS:
        return ("simple", "medium")
    return FAMILIES


def tier_counterexamples(
    table: pd.DataFrame, latency_budget_ms, latency_col: str = "p99_ms"
) -> list[str]:
    """Models the guide's tier rule forbids at this budget that fit it all the same.

    A model counts when its ``family`` is not in ``allowed_families(budget)`` and its
    ``latency_col`` is at most the budget. Most accurate first; ties go to the faster model,
    then to the earlier row. An empty list: the measurements do not contradict the rule.
    """
    allowed = allowed_families(latency_budget_ms)
    _validate_table(table, latency_col)
    if "family" not in table.columns:
        raise ValueError("table must have a 'family' column (simple, medium or complex).")
    budget = float(latency_budget_ms)
    forbidden = table[~table["family"].isin(allowed) & (table[latency_col] <= budget)]
    ranked = forbidden.sort_values(
        ["accuracy_pct", latency_col], ascending=[False, True], kind="stable"
    )
    return [str(name) for name in ranked["model"]]


@dataclass(frozen=True)
class Claim:
    """A rule of thumb from the guide, the learner's prediction key and how we measure it."""

    key: str
    claim: str
    guide_says: str
    unit: str
    measure: Callable[[pd.DataFrame], float]


def _row(table: pd.DataFrame, model: str) -> pd.Series:
    return table[table["model"] == model].iloc[0]


def _non_simple_under_50(table: pd.DataFrame) -> float:
    others = table[table["family"] != "simple"]
    return float((others["p99_ms"] < SIMPLE_ONLY_BELOW_MS).sum())


CLAIMS = (
    Claim(
        "forest_gain_points",
        "logistic regression -> random forest: accuracy gained",
        "+10 points",
        "points",
        lambda t: float(
            _row(t, "random forest")["accuracy_pct"]
            - _row(t, "logistic regression")["accuracy_pct"]
        ),
    ),
    Claim(
        "ensemble_gain_points",
        "logistic regression -> deep ensemble: accuracy gained",
        "+20 points (10 + 5 + 3 + 2)",
        "points",
        lambda t: float(
            _row(t, "soft-voting ensemble")["accuracy_pct"]
            - _row(t, "logistic regression")["accuracy_pct"]
        ),
    ),
    Claim(
        "non_simple_under_50ms",
        "models other than 'simple' answering under 50 ms (p99)",
        "none: 'under 50 ms only a simple model'",
        "models",
        _non_simple_under_50,
    ),
    Claim(
        "lr_p99_ms",
        "logistic regression, one prediction (p99)",
        "50 ms (practical tip 3)",
        "ms",
        lambda t: float(_row(t, "logistic regression")["p99_ms"]),
    ),
    Claim(
        "rank_500_ms",
        "hybrid request step: rank 500 precomputed candidates with gradient boosting",
        "seconds ('hybrid latency: seconds')",
        "ms",
        lambda t: float(_row(t, "gradient boosting")["rank_500_ms"]),
    ),
)
PREDICTION_KEYS = tuple(c.key for c in CLAIMS)


def claims_vs_measured(table: pd.DataFrame, predictions: dict | None = None) -> pd.DataFrame:
    """The guide's rules of thumb next to the learner's predictions and this machine's numbers.

    ``predictions`` maps keys of ``PREDICTION_KEYS`` to numbers (None or missing: no
    prediction made). Columns: ``claim``, ``the guide says``, ``you predicted``,
    ``measured here``, ``unit``.
    """
    _validate_table(table, "p99_ms")
    predictions = {} if predictions is None else predictions
    if not isinstance(predictions, dict):
        raise ValueError(
            f"predictions must be a dict of {', '.join(PREDICTION_KEYS)}; "
            f"got {type(predictions).__name__}."
        )
    unknown = sorted(set(predictions) - set(PREDICTION_KEYS), key=str)
    if unknown:
        raise ValueError(
            f"predictions keys must be among {', '.join(PREDICTION_KEYS)}; got {unknown}."
        )
    rows = []
    for claim in CLAIMS:
        guess = predictions.get(claim.key)
        if guess is not None:
            guess = require_number(f"predictions[{claim.key!r}]", guess)
        try:
            measured = f"{claim.measure(table):.3g}"
        except (KeyError, IndexError):  # a table without that model or column
            measured = "—"
        rows.append(
            (
                claim.claim,
                claim.guide_says,
                "—" if guess is None else f"{guess:g}",
                measured,
                claim.unit,
            )
        )
    return pd.DataFrame(
        rows, columns=["claim", "the guide says", "you predicted", "measured here", "unit"]
    )


def spectrum_summary(table: pd.DataFrame, latency_col: str = "p50_ms") -> str:
    """One sentence on what a measured table shows: accuracy spread vs latency spread."""
    _validate_table(table, latency_col)
    if table.empty:
        return "The table is empty: nothing was measured."
    acc, lat = table["accuracy_pct"], table[latency_col]
    ratio = lat.max() / lat.min() if lat.min() > 0 else float("inf")
    return (
        f"Accuracy spans {acc.min():.1f}-{acc.max():.1f} % ({acc.max() - acc.min():.1f} points) "
        f"while {latency_col.removesuffix('_ms')} latency spans {lat.min():.2f}-{lat.max():.2f} ms "
        f"(x{ratio:.0f}). Most accurate: {table.loc[acc.idxmax(), 'model']}; "
        f"fastest: {table.loc[lat.idxmin(), 'model']}."
    )


def _validate_table(table, latency_col) -> None:
    if not isinstance(table, pd.DataFrame):
        raise ValueError(f"table must be a pandas DataFrame; got {type(table).__name__}.")
    if not isinstance(latency_col, str):
        raise ValueError(f"latency_col must be a column name (a string); got {latency_col!r}.")
    missing = [c for c in ("model", "accuracy_pct") if c not in table.columns]
    if missing:
        raise ValueError(
            f"table must have the columns 'model' and 'accuracy_pct'; missing {missing}."
        )
    if latency_col not in table.columns:
        listed = ", ".join(repr(c) for c in table.columns if str(c).endswith("_ms"))
        raise ValueError(
            f"latency_col must name a latency column of table (such as {listed or 'p99_ms'}); "
            f"got {latency_col!r}."
        )


def _fitting(table: pd.DataFrame, budget: float, latency_col: str) -> pd.DataFrame:
    return table[table[latency_col] <= budget]


def pick_model(table: pd.DataFrame, latency_budget_ms, latency_col: str = "p99_ms"):
    """The most accurate model whose ``latency_col`` is within the budget (``<=``).

    Ties on accuracy go to the faster model (then to the earlier row). Returns the value of
    the ``model`` column, or ``None`` when no model fits.
    """
    budget = require_number(
        "latency_budget_ms", latency_budget_ms, 0, None, low_inclusive=False, unit="ms"
    )
    _validate_table(table, latency_col)
    fits = _fitting(table, budget, latency_col)
    if fits.empty:
        return None
    best = fits.sort_values(
        ["accuracy_pct", latency_col], ascending=[False, True], kind="stable"
    ).iloc[0]
    return best["model"]


def explain_pick(table: pd.DataFrame, latency_budget_ms, latency_col: str = "p99_ms") -> str:
    """Why ``pick_model`` chose what it chose, in one or two sentences."""
    chosen = pick_model(table, latency_budget_ms, latency_col)
    budget = float(latency_budget_ms)
    label = latency_col.removesuffix("_ms")
    if chosen is None:
        if table.empty:
            return "No model to choose from: the table is empty."
        fastest = table.loc[table[latency_col].idxmin()]
        return (
            f"Nothing fits: even the fastest model, {fastest['model']}, needs "
            f"{fastest[latency_col]:.2f} ms at {label}, more than the {budget:g} ms budget."
        )
    row = table[table["model"] == chosen].iloc[0]
    text = (
        f"{chosen}: {row['accuracy_pct']:.1f} % at {label} {row[latency_col]:.2f} ms "
        f"<= {budget:g} ms, the most accurate model that fits."
    )
    better = table[table["accuracy_pct"] > row["accuracy_pct"]]
    if not better.empty:
        shown = ", ".join(
            f"{r['model']} ({r['accuracy_pct']:.1f} %, {r[latency_col]:.2f} ms)"
            for _, r in better.iterrows()
        )
        text += f" More accurate but over budget: {shown}."
    tied = table[
        (table["accuracy_pct"] == row["accuracy_pct"])
        & (table["model"] != chosen)
        & (table[latency_col] <= budget)
    ]
    if not tied.empty:
        text += f" Tied on accuracy but slower: {', '.join(tied['model'])}."
    return text
