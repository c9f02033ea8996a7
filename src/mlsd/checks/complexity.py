"""Checks for the exercises of section 6.3, the model complexity spectrum.

``pick_model(table, latency_budget_ms, latency_col="p99_ms")``: the most accurate model
whose latency in ``latency_col`` is within the budget (``<=``), the faster one on a tie,
``None`` when nothing fits.

``tier_counterexamples(table, latency_budget_ms, latency_col="p99_ms")``: the models the
guide's tier rule forbids at that budget (its ``family`` is not allowed: only "simple"
under 50 ms, "simple" and "medium" under 200 ms, every family from 200 ms) that fit it all
the same; most accurate first, the faster first on a tie; an empty list when there are none.

The probes use small tables built here, so the results do not depend on how fast the
learner's machine is; hidden tests bring tables of their own.
"""

from __future__ import annotations

import pandas as pd

from mlsd.checks.engine import Case, run

EXERCISE = "pick_model"
COUNTER_EXERCISE = "tier_counterexamples"


def _table(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["model", "accuracy_pct", "p50_ms", "p99_ms"])


def probe(
    function: str, table_name: str, table: pd.DataFrame, budget, latency_col, expected, why
) -> Case:
    """One call of ``function(table, budget[, latency_col=...])`` as an engine case.

    ``latency_col`` None calls without the argument, so the default (p99) must be right. The
    call is shown by the table's name (its repr is many lines) and the reason ends with the
    table itself, so a learner sees what was probed.
    """
    kwargs = {} if latency_col is None else {"latency_col": latency_col}
    extra = "" if latency_col is None else f", latency_col={latency_col!r}"
    return Case(
        (table, budget),
        expected,
        f"{why}\n{table_name}:\n{table.to_string(index=False)}",
        kwargs=kwargs,
        label=f"{function}({table_name}, {budget:g}{extra})",
    )


def _parts(case: Case) -> tuple[pd.DataFrame, float, str]:
    """(table, budget, latency column) of a probe, the default column filled in."""
    table, budget = case.args
    return table, budget, case.kwargs.get("latency_col", "p99_ms")


# A made-up spectrum: the most accurate models are the slowest, and p50 and p99 disagree.
LADDER = _table(
    [
        ("logreg", 92.0, 0.2, 0.4),
        ("forest", 94.5, 3.0, 8.0),
        ("boosting", 95.5, 0.8, 12.0),
        ("mlp", 95.0, 0.5, 2.0),
        ("ensemble", 96.5, 5.0, 20.0),
    ]
)
# Two models tie on accuracy; the slower one comes first, so "the first maximum" is wrong.
TIES = _table(
    [
        ("big-tree", 95.0, 1.5, 4.0),
        ("small-tree", 95.0, 1.0, 2.0),
        ("linear", 93.0, 0.3, 1.0),
        ("transformer", 97.0, 30.0, 50.0),
    ]
)


def _pick(budget, col, expected, why, table_name="LADDER") -> Case:
    table = {"LADDER": LADDER, "TIES": TIES}[table_name]
    return probe("pick_model", table_name, table, budget, col, expected, why)


VISIBLE_CASES = (
    _pick(
        4,
        None,
        "mlp",
        "by p99 (the default) only logreg (0.4 ms) and mlp (2 ms) fit within 4 ms; mlp is "
        "the more accurate of the two.",
    ),
    _pick(
        12,
        "p99_ms",
        "boosting",
        "boosting's p99 is exactly 12 ms, and a latency equal to the budget fits.",
    ),
    _pick(
        4,
        "p50_ms",
        "boosting",
        "by p50 everything except the ensemble (5 ms) fits in 4 ms; boosting is the most "
        "accurate of those.",
    ),
    _pick(
        5, "p50_ms", "ensemble", "by p50 the ensemble takes exactly 5 ms, which fits a 5 ms budget."
    ),
    _pick(0.1, None, None, "no model answers within 0.1 ms, so there is nothing to pick."),
    _pick(
        10,
        "p99_ms",
        "small-tree",
        "big-tree and small-tree tie at 95 %; the faster one (2 ms) wins the tie.",
        "TIES",
    ),
)


def _fits(table, budget, col, strict=False):
    return table[table[col] < budget] if strict else table[table[col] <= budget]


def _best(fits, col, tie="faster"):
    if fits.empty:
        return None
    if tie == "first":
        return fits.loc[fits["accuracy_pct"].idxmax(), "model"]
    ascending = tie == "faster"
    order = fits.sort_values(["accuracy_pct", col], ascending=[False, ascending], kind="stable")
    return order.iloc[0]["model"]


def _other(col: str) -> str:
    return {"p99_ms": "p50_ms", "p50_ms": "p99_ms"}.get(col, col)


# Plausible slips, each as the function it amounts to; the first that reproduces the
# learner's answer (and differs from the right one) names the likely cause.
def _mistakes(case: Case):
    t, b, col = _parts(case)
    asked, other = col.removesuffix("_ms"), _other(col).removesuffix("_ms")

    def fastest_fitting():
        fits = _fits(t, b, col)
        return None if fits.empty else fits.sort_values(col).iloc[0]["model"]

    def fastest_overall():
        return t.loc[t[col].idxmin(), "model"] if case.expected is None else _NEVER

    return (
        (
            lambda: _best(_fits(t, b, col, strict=True), col),
            "you compared with < instead of <=: a model whose latency equals the budget fits.",
        ),
        (
            lambda: _best(_fits(t, b, _other(col)), _other(col)),
            f"you used {other} when {asked} was asked: read the latency from latency_col "
            f"(its default is 'p99_ms').",
        ),
        (
            fastest_fitting,
            "you picked the fastest model that fits, not the most accurate that fits.",
        ),
        (
            lambda: _best(t, col),
            "you picked the most accurate model without checking the latency budget.",
        ),
        (
            lambda: _best(_fits(t, b, col), col, tie="first"),
            "on a tie in accuracy, take the faster model (idxmax returns the first maximum).",
        ),
        (
            lambda: _best(_fits(t, b, col), col, tie="slower"),
            "on a tie in accuracy, take the faster model, not the slower.",
        ),
        (fastest_overall, "when no model fits, return None rather than the fastest model."),
    )


_NEVER = object()


def likely_cause(case: Case, actual) -> str | None:
    """Name the slip that most often produces this wrong answer."""
    if actual is not None and not isinstance(actual, str):
        return (
            "return the model's name (a value of the 'model' column), not a row, an index "
            f"or a table; you returned a {type(actual).__name__}."
        )
    for slip, cause in _mistakes(case):
        try:
            answer = slip()
        except (KeyError, ValueError, TypeError, IndexError):
            continue  # this slip is impossible on this table (e.g. it has no p50 column)
        if answer is not _NEVER and answer == actual and answer != case.expected:
            return cause
    if actual is not None and actual not in set(_parts(case)[0]["model"]):
        return "return a name from the 'model' column, spelled as in the table."
    return None


def crash_cause(case: Case, exc: BaseException) -> str | None:
    """The slip behind a crash: indexing an empty table when nothing fits."""
    if case.expected is None and isinstance(exc, IndexError | KeyError):
        return "when no model fits, the filtered table is empty: check for that and return None."
    return None


def check_pick_model(fn) -> None:
    """Visible check: the budget boundary, ties, nothing fitting, and the latency column."""
    run(EXERCISE, fn, VISIBLE_CASES, likely_cause=likely_cause, crash_cause=crash_cause)


def expect_picks(fn, cases) -> None:
    """Hidden-test helper: ``cases`` are (table, budget, latency_col, expected, why) tuples
    built in the notebook; ``latency_col`` None means "call without it"."""
    probes = [
        probe("pick_model", f"table {i + 1}", table, budget, col, expected, why)
        for i, (table, budget, col, expected, why) in enumerate(cases)
    ]
    run(EXERCISE, fn, probes, likely_cause=likely_cause, crash_cause=crash_cause, quiet=True)


# --- tier_counterexamples: the guide's tier rule against a measured table --------------------


def _family_table(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["model", "family", "accuracy_pct", "p50_ms", "p99_ms"])


# A made-up measured table: every family has a model that answers fast, two complex models
# tie on accuracy (the slower one first), and the simple model fits every budget.
FAMILIES = _family_table(
    [
        ("logreg", "simple", 92.0, 0.2, 0.4),
        ("forest", "medium", 94.5, 3.0, 8.0),
        ("boosting", "medium", 95.5, 0.8, 12.0),
        ("big-mlp", "complex", 95.0, 0.9, 3.0),
        ("mlp", "complex", 95.0, 0.5, 2.0),
        ("ensemble", "complex", 96.5, 5.0, 20.0),
    ]
)


def _counter(budget, col, expected, why) -> Case:
    return probe("tier_counterexamples", "FAMILIES", FAMILIES, budget, col, expected, why)


COUNTER_CASES = (
    _counter(
        10,
        None,
        ["mlp", "big-mlp", "forest"],
        "under 50 ms the rule allows only 'simple', yet by p99 (the default) forest (8 ms), "
        "mlp (2 ms) and big-mlp (3 ms) fit 10 ms; mlp and big-mlp tie at 95 %, mlp is faster.",
    ),
    _counter(
        12,
        "p99_ms",
        ["boosting", "mlp", "big-mlp", "forest"],
        "boosting's p99 is exactly 12 ms, and a latency equal to the budget fits.",
    ),
    _counter(
        49.9,
        "p50_ms",
        ["ensemble", "boosting", "mlp", "big-mlp", "forest"],
        "by p50 every model fits 49.9 ms, and under 50 ms only logreg is allowed.",
    ),
    _counter(
        120,
        None,
        ["ensemble", "mlp", "big-mlp"],
        "between 50 and 200 ms the rule allows 'simple' and 'medium' models, so only the "
        "complex ones that fit contradict it.",
    ),
    _counter(
        50,
        None,
        ["ensemble", "mlp", "big-mlp"],
        "'under 50 ms' excludes 50 itself: a 50 ms budget already allows 'medium' models.",
    ),
    _counter(
        1,
        None,
        [],
        "by p99 nothing but logreg fits 1 ms, and logreg is allowed: no counterexample.",
    ),
    _counter(
        500,
        None,
        [],
        "from 200 ms the rule allows every family, so nothing can contradict it.",
    ),
    _counter(
        200,
        None,
        [],
        "'under 200 ms' excludes 200 itself: a 200 ms budget allows every family.",
    ),
)


def _counter_reference(table, budget, col, *, strict=False, tiers=(50.0, 200.0), order="fast"):
    low, high = tiers
    if budget < low:
        allowed = {"simple"}
    elif budget < high:
        allowed = {"simple", "medium"}
    else:
        allowed = {"simple", "medium", "complex"}
    fits = table[table[col] < budget] if strict else table[table[col] <= budget]
    out = fits[~fits["family"].isin(allowed)]
    if order == "fast":
        out = out.sort_values(["accuracy_pct", col], ascending=[False, True], kind="stable")
    elif order == "table":
        out = out.sort_values("accuracy_pct", ascending=False, kind="stable")
    elif order == "latency":
        out = out.sort_values(col, kind="stable")
    return [str(m) for m in out["model"]]


def _counter_mistakes(case: Case):
    t, b, col = _parts(case)
    other = _other(col)
    return (
        (
            lambda: _counter_reference(t, b, col, strict=True),
            "you compared with < instead of <=: a model whose latency equals the budget fits.",
        ),
        (
            lambda: _counter_reference(t, b, col, tiers=(50.0 + 1e-9, 200.0 + 1e-9)),
            "'under 50 ms' and 'under 200 ms' exclude the limits: a 50 ms budget already "
            "allows medium models, a 200 ms budget every family (use <, not <=).",
        ),
        (
            lambda: _counter_reference(t, b, other),
            f"you used {other.removesuffix('_ms')} when {col.removesuffix('_ms')} was asked: "
            "read the latency from latency_col (its default is 'p99_ms').",
        ),
        (
            lambda: _counter_reference(t, b, col, tiers=(50.0, float("inf"))),
            "from 200 ms the rule allows every family: nothing it forbids is left.",
        ),
        (
            lambda: _counter_reference(t, b, col, tiers=(float("inf"), float("inf"))),
            "the tiers depend on the budget: from 50 ms the rule allows 'medium' models too, "
            "from 200 ms every family.",
        ),
        (
            lambda: [str(m) for m in _best_all(t[t[col] <= b], col)],
            "a counterexample is a model the rule forbids at this budget: leave out the "
            "families it allows (always 'simple').",
        ),
        (
            lambda: _counter_reference(t, b, col, order="table"),
            "on a tie in accuracy, list the faster model first.",
        ),
        (
            lambda: _counter_reference(t, b, col, order="latency"),
            "order the list by accuracy, most accurate first (ties: faster first), not by latency.",
        ),
        (
            lambda: _counter_reference(t, b, col, order="none"),
            "order the list by accuracy, most accurate first (ties: faster first).",
        ),
    )


def _best_all(fits: pd.DataFrame, col: str) -> list:
    return list(
        fits.sort_values(["accuracy_pct", col], ascending=[False, True], kind="stable")["model"]
    )


def _as_names(actual):
    """The learner's answer as a list of names, or None if it is not a list of strings."""
    if isinstance(actual, list | tuple) and all(isinstance(m, str) for m in actual):
        return list(actual)
    return None


def counter_cause(case: Case, actual) -> str | None:
    """Name the slip that most often produces this wrong answer."""
    names = _as_names(actual)
    if names is None:
        return (
            "return a list of model names (values of the 'model' column), an empty list when "
            f"there are none; you returned a {type(actual).__name__}."
        )
    for slip, cause in _counter_mistakes(case):
        try:
            answer = slip()
        except (KeyError, ValueError, TypeError, IndexError):
            continue
        if answer == names and answer != case.expected:
            return cause
    if sorted(names) == sorted(case.expected):
        return "the right models, in the wrong order: most accurate first, ties faster first."
    return None


def check_tier_counterexamples(fn) -> None:
    """Visible check: both tier limits, the budget boundary, order, ties, empty answers."""
    run(COUNTER_EXERCISE, fn, COUNTER_CASES, likely_cause=counter_cause)


def expect_counterexamples(fn, cases) -> None:
    """Hidden-test helper: ``cases`` are (table, budget, latency_col, expected list, why)
    tuples built in the notebook; ``latency_col`` None means "call without it"."""
    probes = [
        probe("tier_counterexamples", f"table {i + 1}", table, budget, col, expected, why)
        for i, (table, budget, col, expected, why) in enumerate(cases)
    ]
    run(COUNTER_EXERCISE, fn, probes, likely_cause=counter_cause, quiet=True)
