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

import time
import warnings
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
MEASURED_COLUMNS = ("model", "accuracy_pct", "p50_ms", "p99_ms", "train_s")
FOREST_TREES = 50  # half of scikit-learn's default, to keep the measurement under a few seconds


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
        "gradient boosting": GradientBoostingClassifier(random_state=seed),
        "neural network (MLP)": make_pipeline(
            StandardScaler(),
            MLPClassifier(hidden_layer_sizes=(64, 32), max_iter=500, random_state=seed),
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
    """Milliseconds per ``predict_proba`` call on one row, for each model, cycling through ``rows``.

    The models take turns, one call each per round, so a burst of load from elsewhere on the
    machine slows them all alike instead of inflating whichever model was being timed then.
    """
    for model in models.values():
        for i in range(3):  # warm-up: first calls pay for lazy set-up
            model.predict_proba(rows[i % len(rows)][None, :])
    times = {name: np.empty(repeats) for name in models}
    for i in range(repeats):
        row = rows[i % len(rows)][None, :]
        for name, model in models.items():
            start = time.perf_counter()
            model.predict_proba(row)
            times[name][i] = time.perf_counter() - start
    return {name: seconds * 1000.0 for name, seconds in times.items()}


def measure_spectrum(dataset: str = "breast_cancer", seed: int = 0, repeats: int = 100):
    """Train five models of rising complexity and measure accuracy and one-row latency.

    Models: logistic regression (scaled), a random forest, gradient boosting, an MLP
    (scaled) and a soft-voting ensemble of those four. Accuracy is on a stratified 30 %
    hold-out; latency is ``predict_proba`` on a single row, ``repeats`` times, reported
    as the median (p50) and the 99th percentile (p99) in milliseconds. ``train_s`` of the
    ensemble is the sum of its members' training times. Takes about 1-3 s.
    """
    dataset = require_choice("dataset", dataset, DATASETS)
    seed = require_int("seed", seed, 0, 2**32 - 1)
    repeats = require_int("repeats", repeats, 10, 100_000)

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.model_selection import train_test_split

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

    latency_ms = _time_one_row(fitted, X_test, repeats)
    rows = []
    for name, model in fitted.items():
        accuracy = float(np.mean(model.predict(X_test) == y_test)) * 100.0
        times = latency_ms[name]
        rows.append(
            (
                name,
                round(accuracy, 2),
                float(np.percentile(times, 50)),
                float(np.percentile(times, 99)),
                train_s[name],
            )
        )
    return pd.DataFrame(rows, columns=list(MEASURED_COLUMNS))


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
