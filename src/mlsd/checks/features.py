"""Checks for the ``model_budget`` exercise (section 6.4, online vs offline features).

The learner writes ``model_budget_ms(slo_ms, network_ms, offline_ms, online_ms,
parallel_features=False)``: the time the SLO leaves for the model once the network and the
feature stages are paid for. In parallel the feature stages cost the slower of the two; the
answer may be negative (the design does not fit) and must not be clamped.
"""

from __future__ import annotations

from mlsd.checks.core import Case, run_cases

EXERCISE = "model_budget"
TOLERANCE = 1e-9


def _case(slo, network, offline, online, parallel, expected, why) -> Case:
    kwargs = {"parallel_features": True} if parallel else {}
    return Case((slo, network, offline, online), expected, why, kwargs=kwargs, rel_tol=TOLERANCE)


VISIBLE_CASES = (
    _case(100, 20, 5, 10, False, 65, "100 - 20 (network) - 5 (lookup) - 10 (online) = 65 ms."),
    _case(
        100,
        20,
        5,
        10,
        True,
        70,
        "in parallel the features cost max(5, 10) = 10 ms, so 100 - 20 - 10 = 70 ms.",
    ),
    _case(
        30,
        5,
        25,
        8,
        True,
        0,
        "in parallel the slower stage decides, here the 25 ms lookup: 30 - 5 - 25 = 0 ms.",
    ),
    _case(50, 20, 10, 20, False, 0, "50 - 20 - 10 - 20 = 0: it fits, with nothing left over."),
    _case(
        40,
        20,
        10,
        20,
        False,
        -10,
        "40 - 20 - 10 - 20 = -10: the stages already break the SLO by 10 ms.",
    ),
    _case(
        60,
        10,
        15,
        15,
        True,
        35,
        "two 15 ms stages side by side take 15 ms, not 30: 60 - 10 - 15 = 35 ms.",
    ),
    _case(10, 2, 2, 3, True, 5, "ad serving: 10 - 2 - max(2, 3) = 5 ms for the model."),
)


def _close(a, b) -> bool:
    try:
        return abs(float(a) - float(b)) <= TOLERANCE * max(1.0, abs(float(b)))
    except (TypeError, ValueError):
        return False


def likely_cause(case: Case, actual) -> str | None:
    """Name the slip that most often produces this wrong answer."""
    if isinstance(actual, bool) or not isinstance(actual, (int, float)):
        try:
            float(actual)
        except (TypeError, ValueError):
            return f"return a number of milliseconds; you returned a {type(actual).__name__}."
    slo, network, offline, online = case.args
    parallel = case.kwargs.get("parallel_features", False)
    summed, slower, faster = offline + online, max(offline, online), min(offline, online)
    features = slower if parallel else summed
    expected = case.expected
    slips = [
        (
            slo - features,
            "forgot the network: it is paid on every request, before and after the model.",
        ),
    ]
    if parallel:
        tie = offline == online
        slips += [
            (
                slo - network - summed,
                "when both feature stages take the same time in parallel, count that time "
                "once (max, with a tie, is still one stage)."
                if tie
                else "summed the feature stages although they run in parallel: use the slower.",
            ),
            (
                slo - network - faster,
                "in parallel the slower stage decides (max, not min): here the "
                + ("offline lookup" if offline > online else "online computation")
                + f" at {slower:g} ms.",
            ),
        ]
    else:
        slips += [
            (
                slo - network - slower,
                "took the slower feature stage although they run one after the other: add them.",
            ),
            (slo - network - offline, "forgot the online feature computation."),
            (slo - network - online, "forgot the offline store lookup."),
        ]
    slips += [
        (network + features, "returned the time the stages use, not what remains of the SLO."),
        (-expected, "the sign is flipped: compute slo_ms minus the stages."),
    ]
    if expected < 0 and _close(actual, 0):
        return "returned a clamp at 0 instead of a negative number: report how far over it is."
    for value, cause in slips:
        if _close(actual, value) and not _close(value, expected):
            return cause
    return None


def check_model_budget(fn) -> None:
    """Visible check: sequential and parallel features, exact fit, a negative remainder.

    Returns None: nbgrader would read a number shown by a test cell as partial credit."""
    run_cases(EXERCISE, fn, VISIBLE_CASES, likely_cause=likely_cause)


def expect_budgets(fn, cases) -> None:
    """Hidden-test helper: ``cases`` are (slo, network, offline, online, parallel, expected,
    why) tuples written in the notebook."""
    run_cases(
        EXERCISE,
        fn,
        [_case(*case) for case in cases],
        likely_cause=likely_cause,
        quiet=True,
    )
