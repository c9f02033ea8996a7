"""Discussing trade-offs explicitly (guide section 7, tip 3): filter options, then pick.

An option passes when its latency fits the budget (``latency_ms <= budget``) and its accuracy
meets the requirement (``accuracy_pct >= requirement``). Among the options that pass, the
cheapest wins (lowest ``cost_rank``); equal cost goes to the more accurate, then the faster,
then the name that sorts first. When nothing passes there is nothing to pick: ``None``, and
the explanation says which requirement each option broke.

The guide's numbers (50 / 100 / 200 ms) are an illustration, not measurements.
``measure_options`` trains the three kinds of model on a real data set and times one
prediction on this machine, so a learner can predict, then measure, then say in an
interview where the milliseconds of a real request go.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from mlsd.validation import require_int, require_number

COLUMNS = ("option", "latency_ms", "accuracy_pct", "cost_rank")
COST_LABELS = {1: "cheap", 2: "moderate", 3: "expensive"}


def guide_options() -> pd.DataFrame:
    """The guide's three options (latency, accuracy, cost rank: 1 = cheapest)."""
    return pd.DataFrame(
        {
            "option": ["logistic regression", "gradient boosting (XGBoost)", "neural network"],
            "latency_ms": [50.0, 100.0, 200.0],
            "accuracy_pct": [85.0, 90.0, 92.0],
            "cost_rank": [1, 2, 3],
        }
    )


def _validate(table, latency_budget_ms, accuracy_requirement_pct):
    if not isinstance(table, pd.DataFrame):
        raise ValueError(f"table must be a pandas DataFrame; got {type(table).__name__}.")
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"table must have the columns {list(COLUMNS)}; missing {missing}.")
    budget = require_number(
        "latency_budget_ms", latency_budget_ms, 0, None, low_inclusive=False, unit="ms"
    )
    requirement = require_number(
        "accuracy_requirement_pct", accuracy_requirement_pct, 0, 100, unit="%"
    )
    return budget, requirement


def evaluate_options(table, latency_budget_ms, accuracy_requirement_pct) -> pd.DataFrame:
    """The table with ``fits_latency``, ``meets_accuracy``, ``passes`` and a ``why`` per row,
    ranked: passing options first in the order the rule prefers them."""
    budget, requirement = _validate(table, latency_budget_ms, accuracy_requirement_pct)
    out = table.loc[:, list(COLUMNS)].copy()
    out["fits_latency"] = out["latency_ms"] <= budget
    out["meets_accuracy"] = out["accuracy_pct"] >= requirement
    out["passes"] = out["fits_latency"] & out["meets_accuracy"]
    why = []
    for row in out.itertuples():
        parts = [
            f"{row.latency_ms:g} ms {'≤' if row.fits_latency else '>'} {budget:g} ms budget",
            f"{row.accuracy_pct:g}% {'≥' if row.meets_accuracy else '<'} {requirement:g}% bar",
            COST_LABELS.get(row.cost_rank, f"cost rank {row.cost_rank}"),
        ]
        why.append(("✓ " if row.passes else "✗ ") + "; ".join(parts))
    out["why"] = why
    out = out.sort_values(
        ["passes", "cost_rank", "accuracy_pct", "latency_ms", "option"],
        ascending=[False, True, False, True, True],
        kind="mergesort",
    )
    return out.reset_index(drop=True)


def pick_ranked(ranked: pd.DataFrame) -> str | None:
    """The pick from an ``evaluate_options`` result: its first row, if that one passes."""
    if ranked.empty or not ranked["passes"].iloc[0]:
        return None
    return str(ranked["option"].iloc[0])


def pick_option(table, latency_budget_ms, accuracy_requirement_pct) -> str | None:
    """The option the rule picks, or ``None`` when nothing meets both requirements."""
    return pick_ranked(evaluate_options(table, latency_budget_ms, accuracy_requirement_pct))


def explain_pick(table, latency_budget_ms, accuracy_requirement_pct) -> str:
    """One paragraph, in the shape of the guide's good answer."""
    ranked = evaluate_options(table, latency_budget_ms, accuracy_requirement_pct)
    return explain_ranked(ranked, latency_budget_ms, accuracy_requirement_pct)


def explain_ranked(ranked: pd.DataFrame, latency_budget_ms, accuracy_requirement_pct) -> str:
    """``explain_pick`` for a table already evaluated (widgets evaluate once per move)."""
    choice = pick_ranked(ranked)
    if choice is None:
        fixes = []
        if not ranked["fits_latency"].any():
            fixes.append("no option fits the latency budget: optimise a model or relax the SLO")
        if not ranked["meets_accuracy"].any():
            fixes.append("no option reaches the accuracy bar: better data or features first")
        if not fixes:
            fixes.append(
                "the fast options are not accurate enough and the accurate ones are too slow: "
                "negotiate one requirement, or make an accurate model faster"
            )
        return "Nothing fits. " + "; ".join(fixes) + "."
    row = ranked.iloc[0]
    passing = int(ranked["passes"].sum())
    same_cost = int((ranked.loc[ranked["passes"], "cost_rank"] == row["cost_rank"]).sum())
    if passing == 1:
        tail = "It is the only option meeting both requirements."
    elif same_cost > 1:
        tail = f"{passing} options meet both; it is the cheapest (a cost tie, broken by accuracy)."
    else:
        tail = f"{passing} options meet both; it is the cheapest of them."
    return (
        f"Choose {choice}: {row['latency_ms']:g} ms ≤ {latency_budget_ms:g} ms and "
        f"{row['accuracy_pct']:g}% ≥ {accuracy_requirement_pct:g}%. {tail}"
    )


# The guide's option -> what is measured for it. scikit-learn's gradient boosting stands in for
# XGBoost (the same kind of model; XGBoost is a faster implementation of it).
MEASURED_AS = {
    "logistic regression": "logistic regression",
    "gradient boosting (XGBoost)": "gradient boosting",
    "neural network": "neural network (MLP)",
}
RAW_LINEAR = "logistic regression as one numpy dot product"
BUSY_RATIO = 5.0  # p99 / p50 above this: the machine was busy while timing


def _tip3_models(seed: int) -> dict:
    from sklearn.ensemble import GradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return {
        "logistic regression": make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)),
        # 50 trees and 100 MLP epochs (half and a third of the defaults): the same hold-out
        # accuracy here, half the training time, and the notebook stays under 15 s.
        "gradient boosting": GradientBoostingClassifier(n_estimators=50, random_state=seed),
        "neural network (MLP)": make_pipeline(
            StandardScaler(),
            MLPClassifier(hidden_layer_sizes=(64, 32), max_iter=100, random_state=seed),
        ),
    }


def _linear_scorer(pipeline):
    """The fitted scaler + logistic regression folded into one weight vector and a bias."""
    scaler, model = pipeline[0], pipeline[1]
    weights = model.coef_[0] / scaler.scale_
    bias = model.intercept_[0] - float(weights @ scaler.mean_)
    return lambda row: 1.0 / (1.0 + np.exp(-(row @ weights + bias)))


def measure_options(repeats: int = 200, seed: int = 0) -> pd.DataFrame:
    """Train the guide's three kinds of model on scikit-learn's breast-cancer data (569
    tumours, 30 features) and time them on this machine.

    One row per model: the guide's claimed latency and accuracy, the measured hold-out
    accuracy (30 % stratified), the p50 and p99 of ``predict_proba`` on ONE row (``repeats``
    calls, the models taking turns so a burst of load elsewhere hits all alike), and the
    cost per row when the 171 hold-out rows are scored in one call (best of five). A last
    row times logistic regression as the arithmetic it is, one dot product. Takes 1-2 s.
    """
    import time
    import warnings

    from sklearn.datasets import load_breast_cancer
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.model_selection import train_test_split

    repeats = require_int("repeats", repeats, 20, 100_000)
    seed = require_int("seed", seed, 0, 2**32 - 1)
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, random_state=seed, stratify=y
    )
    models = _tip3_models(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for model in models.values():
            model.fit(X_train, y_train)
    scorers = {name: model.predict_proba for name, model in models.items()}
    scorers[RAW_LINEAR] = _linear_scorer(models["logistic regression"])
    for score in scorers.values():  # warm-up: the first calls pay for lazy set-up
        score(X_test[:1] if score is not scorers[RAW_LINEAR] else X_test[0])
    times = {name: np.empty(repeats) for name in scorers}
    for i in range(repeats):
        row = X_test[i % len(X_test)]
        for name, score in scorers.items():
            arg = row if name == RAW_LINEAR else row[None, :]
            start = time.perf_counter()
            score(arg)
            times[name][i] = time.perf_counter() - start
    guide = guide_options().set_index("option")
    rows = []
    for option, measured in [*MEASURED_AS.items(), (None, RAW_LINEAR)]:
        ms = times[measured] * 1000
        batch_s = []
        for _ in range(5):  # best of five, as timeit does: the least disturbed run
            start = time.perf_counter()
            proba = scorers[measured](X_test)
            batch_s.append(time.perf_counter() - start)
        batch_us = min(batch_s) / len(X_test) * 1e6
        malignant_or_not = proba >= 0.5 if measured == RAW_LINEAR else proba[:, 1] >= 0.5
        accuracy = float(np.mean(malignant_or_not == y_test) * 100)
        rows.append(
            {
                "model": measured,
                "guide latency (ms)": guide.loc[option, "latency_ms"] if option else math.nan,
                "guide accuracy (%)": guide.loc[option, "accuracy_pct"] if option else math.nan,
                "measured accuracy (%)": round(accuracy, 1),
                "one row p50 (ms)": round(float(np.percentile(ms, 50)), 4),
                "one row p99 (ms)": round(float(np.percentile(ms, 99)), 4),
                "per row in a batch (µs)": round(batch_us, 2),
            }
        )
    return pd.DataFrame(rows)


def compare_predictions(measured: pd.DataFrame, predicted_ms: dict) -> pd.DataFrame:
    """Your predicted one-row latency per model next to the measured p50, and how far off.

    ``predicted_ms`` maps the guide's option names (or the measured model names) to a number
    of milliseconds; ``None`` means not predicted.
    """
    if not isinstance(predicted_ms, dict):
        raise ValueError(
            f"predicted_ms must be a dict of model name -> milliseconds; got "
            f"{type(predicted_ms).__name__}."
        )
    names = {MEASURED_AS.get(k, k): v for k, v in predicted_ms.items()}
    unknown = sorted(set(names) - set(measured["model"]))
    if unknown:
        raise ValueError(
            f"predicted_ms names {unknown}; use the guide's options {sorted(MEASURED_AS)}."
        )
    rows = []
    for row in measured.itertuples(index=False):
        guess = names.get(row[0])
        p50 = row[4]
        if guess is None:
            off = "not predicted"
        else:
            guess = require_number(f"predicted_ms[{row[0]!r}]", guess, 0, None,
                                   low_inclusive=False, unit="ms")  # fmt: skip
            ratio = guess / p50
            off = f"{ratio:,.0f}x too high" if ratio >= 1 else f"{1 / ratio:,.0f}x too low"
        rows.append({"model": row[0], "your prediction (ms)": "—" if guess is None else guess,
                     "measured p50 (ms)": round(p50, 4), "you were": off})  # fmt: skip
    return pd.DataFrame(rows)


def timing_note(measured: pd.DataFrame) -> str:
    """One sentence: was the machine quiet while timing (p99 / p50), and what to trust."""
    ratio = float((measured["one row p99 (ms)"] / measured["one row p50 (ms)"]).max())
    if ratio > BUSY_RATIO:
        return (
            f"The machine was busy while timing: a p99 up to {ratio:.0f}x the p50. Trust the "
            "p50 columns; the p99 here measures the other programs, not the models."
        )
    return f"The machine was quiet while timing (p99 at most {ratio:.1f}x the p50)."
