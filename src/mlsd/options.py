"""Discussing trade-offs explicitly (guide section 7, tip 3): filter options, then pick.

An option passes when its latency fits the budget (``latency_ms <= budget``) and its accuracy
meets the requirement (``accuracy_pct >= requirement``). Among the options that pass, the
cheapest wins (lowest ``cost_rank``); equal cost goes to the more accurate, then the faster,
then the name that sorts first. When nothing passes there is nothing to pick: ``None``, and
the explanation says which requirement each option broke.
"""

from __future__ import annotations

import pandas as pd

from mlsd.validation import require_number

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
