"""Checks for the ``pacing`` exercise (section 5, pattern 6).

``should_bid(spent, budget, elapsed_fraction)`` is True exactly when the budget is not used
up (spent < budget) and the spend is on or behind schedule (spent <= budget x elapsed).
"""

from __future__ import annotations

from mlsd.checks.core import Case, run_cases

EXERCISE = "pacing"

CASES = (
    Case((0.0, 100.0, 0.0), True, "at the start nothing is spent: 0 <= 100 x 0, so bid."),
    Case((30.0, 100.0, 0.5), True, "half the day gone, 30% spent: behind schedule, bid."),
    Case((60.0, 100.0, 0.5), False, "half the day gone but 60% spent: ahead of schedule, skip."),
    Case((50.0, 100.0, 0.5), True, "exactly on schedule (50 <= 50) still bids."),
    Case((100.0, 100.0, 1.0), False, "the budget is used up (spent = budget): nothing left."),
    Case((10.0, 0.0, 0.5), False, "a zero budget never bids."),
)


def _cause(case: Case, actual) -> str | None:
    spent, budget, elapsed = case.args
    if not isinstance(actual, bool):
        return f"return True or False; you returned {type(actual).__name__}."
    if spent == budget * elapsed and case.expected is True:
        return "on schedule (spent equal to budget x elapsed) counts as allowed: use <=."
    if spent >= budget and case.expected is False:
        return "check that something is left of the budget (spent < budget) as well."
    if case.expected is False:
        return "compare the spend with the budget share of the elapsed day: budget x elapsed."
    return None


def check_should_bid(fn) -> None:
    """Visible check. Returns None."""
    run_cases(EXERCISE, fn, CASES, likely_cause=_cause)


def expect_pacing(fn, cases) -> None:
    """Hidden-test helper: (spent, budget, elapsed_fraction, expected, why) tuples."""
    run_cases(
        EXERCISE,
        fn,
        [Case((s, b, e), x, w) for s, b, e, x, w in cases],
        likely_cause=_cause,
        quiet=True,
    )


def expect_simulation(fn, requests, budget, expected_spend, expected_wins) -> None:
    """Hidden-test helper: the learner's rule inside the simulator gives these totals."""
    from mlsd.bidding import simulate
    from mlsd.checks.core import Incorrect, call_learner

    out = call_learner(EXERCISE, simulate, requests, 0.2, budget, True, fn)
    if out.wins != expected_wins or abs(out.spend - expected_spend) > 1e-6:
        raise Incorrect(
            EXERCISE,
            f"with your rule the simulated day (budget ${budget:g}) wins {out.wins} auctions "
            f"and spends ${out.spend:.2f}; the even-pacing rule wins {expected_wins} and "
            f"spends ${expected_spend:.2f}.",
            "compare spent with budget x elapsed_fraction, and stop once spent reaches budget.",
        )
