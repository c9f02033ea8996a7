"""Checks for section 11: which gap to fix first (reading a metrics table), and when a
practice problem comes back for review (spaced repetition)."""

from __future__ import annotations

import copy

import pandas as pd

from mlsd.checks.core import Case, run_cases
from mlsd.rubric import DIMENSIONS, TRANSCRIPT_C_TURNS, score_turns

FIX, REVIEW = "resources_fix_first", "resources_next_review"


# --- fix first what costs the most ------------------------------------------------------
def _gains(table: pd.DataFrame, bar: float) -> list[tuple[str, float]]:
    """(segment, share x gap) below the bar, largest first, table order on ties."""
    rows = [
        (seg, share * (bar - metric), i)
        for i, (seg, share, metric) in enumerate(
            zip(table["segment"], table["share"], table["metric"], strict=True)
        )
        if metric < bar
    ]
    return [(seg, gain) for seg, gain, _i in sorted(rows, key=lambda r: (-r[1], r[2]))]


def _table(columns: dict) -> pd.DataFrame:
    return pd.DataFrame(columns)


def _rubric_table() -> pd.DataFrame:
    scores = score_turns(TRANSCRIPT_C_TURNS)
    return _table(
        {
            "segment": [d.key for d in DIMENSIONS],
            "share": [d.weight_pct / 100 for d in DIMENSIONS],
            "metric": [scores[d.key] for d in DIMENSIONS],
        }
    )


def _fix_cause(table: pd.DataFrame, bar: float, got: list) -> str | None:
    below = table[table["metric"] < bar]
    by_metric = list(below.sort_values("metric", kind="stable")["segment"])
    by_gap = list(
        below.assign(gap=bar - below["metric"]).sort_values("gap", ascending=False)["segment"]
    )
    expected = [s for s, _g in _gains(table, bar)]
    if got == list(reversed(expected)):
        return "largest expected gain first, not last."
    if got in (by_metric, by_gap) and got != expected:
        return (
            "the lowest metric is not always the costliest: a segment's gain is its share x "
            "its gap to the bar (a small slice far below the bar can matter less than a big "
            "slice a little below it)."
        )
    if set(got) > set(expected):
        return "leave out the segments already at or above the bar: they have nothing to gain."
    return None


def _fix_cases(cases) -> list[Case]:
    return [
        Case((table, bar), list(expected), why, label=f"fix_first({label}, bar={bar:g})")
        for label, table, bar, expected, why in cases
    ]


def _fix_likely_cause(case: Case, got) -> str | None:
    if not isinstance(got, list | tuple):
        return "return a list of the 'segment' names in order (list(...)), not the rows."
    table, bar = case.args
    return _fix_cause(table, bar, list(got))


def _run_fix(fn, cases, quiet: bool) -> None:
    run_cases(FIX, fn, _fix_cases(cases), likely_cause=_fix_likely_cause, quiet=quiet)


def _channels() -> pd.DataFrame:
    return _table(
        {
            "segment": ["card present", "online", "wallet"],
            "share": [0.6, 0.3, 0.1],
            "metric": [92.0, 78.0, 60.0],
        }
    )


VISIBLE_FIX = (
    (
        "candidate C's rubric as a table",
        _rubric_table,
        80.0,
        "trade-offs is 48 below the bar at a 15 % share (7.2 points); the others cost less.",
    ),
    (
        "fraud recall by payment channel",
        _channels,
        90.0,
        "online costs 0.3 x 12 = 3.6 points, the wallet 0.1 x 30 = 3.0: the lowest recall is "
        "not the costliest; card present is above the bar.",
    ),
)


def check_fix_first(fn) -> None:
    """Visible check: candidate C's rubric and a recall-by-channel table."""
    cases = []
    for label, make, bar, why in VISIBLE_FIX:
        table = make()
        cases.append((label, table, bar, [s for s, _g in _gains(table, bar)], why))
    _run_fix(fn, cases, quiet=False)


def expect_fix_first(fn, cases) -> None:
    """Hidden-test helper: ``cases`` = (label, {column: values}, bar, expected segments, why),
    the expected order written in the notebook's hidden tests."""
    _run_fix(
        fn,
        [
            (label, _table(copy.deepcopy(cols)), bar, list(expected), why)
            for label, cols, bar, expected, why in cases
        ],
        quiet=True,
    )


# --- spaced repetition ---------------------------------------------------------------------
def _review_cause(case: Case, actual) -> str | None:
    attempts, today = case.args
    if not isinstance(actual, int) or isinstance(actual, bool):
        return "return a day number (an int)."
    if attempts:
        last = attempts[-1][0]
        gap, want = actual - last, case.expected - last
        if attempts[-1][1] == 65 and want > 1 and gap == 1:
            return "65 is a pass: the hire band starts at 65 (use >=)."
        if gap * 2 == want:
            return "count every pass in a row: one pass gives 2 days, two give 4, three give 8."
        if want == 16 and gap > 16:
            return "cap the gap at 16 days."
        if actual == today and case.expected < today:
            return "return the due day even when it is in the past (overdue), not today."
    return None


VISIBLE_REVIEWS = (
    Case(([], 5), 5, "a problem never attempted is due today."),
    Case(([(0, 50)], 3), 1, "a failed attempt on day 0 comes back on day 1 (overdue on day 3)."),
    Case(([(0, 50), (2, 70)], 3), 4, "one pass after a failure: 2 days after day 2."),
    Case(([(0, 70), (2, 72), (6, 90)], 7), 14, "three passes in a row: 8 days after day 6."),
    Case(([(0, 65)], 0), 2, "65 is a pass (the hire band starts at 65): 2 days later."),
    Case(([(0, 70), (2, 40)], 9), 3, "the last attempt failed: the day after it, overdue now."),
)


def check_next_review(fn) -> None:
    """Visible check: never attempted, a failure, one and three passes, the 65 boundary,
    and an overdue failure."""
    cases = [
        Case((copy.deepcopy(c.args[0]), c.args[1]), c.expected, c.why) for c in VISIBLE_REVIEWS
    ]
    run_cases(REVIEW, fn, cases, likely_cause=_review_cause)


def expect_next_review(fn, cases) -> None:
    """Hidden-test helper: ``cases`` are (attempts, today, expected day, why)."""
    run_cases(
        REVIEW,
        fn,
        [Case((copy.deepcopy(a), t), e, why) for a, t, e, why in cases],
        likely_cause=_review_cause,
        quiet=True,
    )
