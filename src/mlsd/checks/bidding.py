"""Checks for the ``pacing`` exercise (section 5, pattern 6).

``should_bid(spent, budget, elapsed_fraction)`` is True exactly when the budget is not used
up (spent < budget) and the spend is on or behind schedule (spent <= budget x elapsed).
"""

from __future__ import annotations

import numpy as np

from mlsd.checks.core import Case, Incorrect, call_learner, run_cases

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


def random_pacing_cases(seeds) -> list[Case]:
    """Seeded (spent, budget, elapsed) cases never shown to the learner, answered by the
    reference rule: near the schedule line, at the budget, at the ends of the day."""
    from mlsd.bidding import should_bid

    cases = []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        budget = float(rng.choice([0.0, 7.5, 20.0, 64.0, 120.0]))
        elapsed = float(rng.choice([0.0, 1.0, round(float(rng.uniform(0, 1)), 3)]))
        line = budget * elapsed
        spent = float(
            rng.choice(
                [
                    round(line, 4),
                    round(line + 0.01, 4),
                    round(max(line - 0.01, 0.0), 4),
                    budget,
                    round(float(rng.uniform(0, budget + 1)), 2),
                ]
            )
        )
        expected = should_bid(spent, budget, elapsed)
        cases.append(
            Case(
                (spent, budget, elapsed),
                expected,
                f"with ${spent:g} spent of ${budget:g} at {elapsed:g} of the day, the even-pacing "
                f"rule says {expected} (seed {seed}).",
            )
        )
    return cases


def expect_pacing_like_reference(fn, seeds) -> None:
    """Hidden-test helper: seeded cases the learner has not seen, against the reference."""
    run_cases(EXERCISE, fn, random_pacing_cases(seeds), likely_cause=_cause, quiet=True)


def expect_simulation(fn, budget, expected_spend, expected_wins, *, every=8) -> None:
    """Hidden-test helper: the learner's rule inside the simulator, on every ``every``-th
    request of the day (loaded here), gives these totals."""
    from mlsd.bidding import simulate
    from mlsd.data import load

    requests = load("auction_requests").iloc[::every].reset_index(drop=True)
    out = call_learner(EXERCISE, simulate, requests, 0.2, budget, True, fn)
    if out.wins != expected_wins or abs(out.spend - expected_spend) > 1e-6:
        raise Incorrect(
            EXERCISE,
            f"with your rule a simulated day (budget ${budget:g}) wins {out.wins} auctions "
            f"and spends ${out.spend:.2f}; the even-pacing rule wins {expected_wins} and "
            f"spends ${expected_spend:.2f}.",
            "compare spent with budget x elapsed_fraction, and stop once spent reaches budget.",
        )
