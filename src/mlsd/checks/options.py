"""Checks for ``pick_option`` (section 7, tip 3): filter by both requirements, then the
cheapest; ties by accuracy then latency; ``None`` when nothing passes."""

from __future__ import annotations

import pandas as pd

from mlsd.checks.engine import Case, run
from mlsd.options import guide_options

EXERCISE = "pick_option"


def tables() -> dict[str, pd.DataFrame]:
    """The tables the checks use, by the label messages show."""
    guide = guide_options()
    tie = pd.DataFrame(
        {
            "option": ["random forest", "gradient boosting", "linear", "small net"],
            "latency_ms": [30.0, 25.0, 5.0, 120.0],
            "accuracy_pct": [89.0, 89.0, 84.0, 91.0],
            "cost_rank": [2, 2, 1, 2],
        }
    )
    reordered = guide.iloc[::-1][["cost_rank", "accuracy_pct", "option", "latency_ms"]]
    return {"guide table": guide, "tie table": tie, "guide table reversed": reordered}


def case(table_label, budget, bar, expected, why, extra_tables=None) -> Case:
    known = tables() | dict(extra_tables or {})
    if table_label not in known:
        raise ValueError(f"table_label must be one of {sorted(known)}; got {table_label!r}.")
    return Case(
        (known[table_label].copy(), budget, bar),
        expected,
        why,
        label=f"pick_option({table_label}, {budget!r}, {bar!r})",
    )


VISIBLE = (
    ("guide table", 150, 88, "gradient boosting (XGBoost)",
     "the guide's case: only XGBoost is both fast enough and accurate enough."),
    ("guide table", 300, 80, "logistic regression",
     "all three pass, and the rule takes the cheapest that passes."),
    ("guide table", 40, 80, None, "no option answers in 40 ms: nothing fits."),
    ("guide table", 50, 85, "logistic regression",
     "50 ms fits a 50 ms budget (<=) and 85% meets an 85% bar (>=)."),
    ("tie table", 100, 85, "gradient boosting",
     "two cost-2 options tie on accuracy (89%); the faster one (25 ms) wins."),
    ("tie table", 150, 85, "small net",
     "three cost-2 options pass; a cost tie goes to the most accurate (91%)."),
    ("guide table reversed", 150, 88, "gradient boosting (XGBoost)",
     "the rows come in another order and the columns too: find them by name."),
)  # fmt: skip


def likely_cause(c: Case, actual) -> str | None:
    table, budget, bar = c.args
    names = set(table["option"])
    if actual is not None and actual not in names:
        return f"return the option's name from the 'option' column (one of {sorted(names)})."
    if c.expected is None:
        return "when no option meets both requirements, return None instead of a near miss."
    if actual is None:
        row = table.set_index("option").loc[c.expected]
        if row["latency_ms"] == budget or row["accuracy_pct"] == bar:
            return (
                "an option whose latency equals the budget fits (<=), and one whose accuracy "
                "equals the bar meets it (>=)."
            )
        return None  # the engine's "no return statement, or nothing qualifies" applies
    row = table.set_index("option").loc[actual]
    if row["latency_ms"] > budget:
        return "this option is slower than the budget: filter on latency_ms <= budget first."
    if row["accuracy_pct"] < bar:
        return "this option misses the accuracy bar: filter on accuracy_pct >= requirement."
    if row["cost_rank"] > table.set_index("option").loc[c.expected, "cost_rank"]:
        return "among the options that pass, the rule takes the cheapest (lowest cost_rank)."
    return "equal cost: prefer higher accuracy, then lower latency (sort by several columns)."


def check_pick_option(fn) -> None:
    """Visible check: the guide's case, cost, nothing fits, both boundaries, both tie-breaks,
    rows and columns in another order: every rule the prompt states."""
    run(EXERCISE, fn, [case(*v) for v in VISIBLE], likely_cause=likely_cause)


def expect_picks(fn, cases, tables=None) -> None:
    """Hidden-test helper: (table label, budget, bar, expected, why) tuples; ``tables`` adds
    tables (label -> DataFrame) the learner has never seen to the built-in ones."""
    run(
        EXERCISE,
        fn,
        [case(*v, extra_tables=tables) for v in cases],
        likely_cause=likely_cause,
        quiet=True,
    )
