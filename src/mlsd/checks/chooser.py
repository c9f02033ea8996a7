"""Checks for the model-chooser exercise (section 6.1)."""

from __future__ import annotations

from mlsd.checks.core import Case, run_cases
from mlsd.chooser import DECISIONS

EXERCISE = "choose_model"

VISIBLE_CASES = (
    Case((10, 80, "medium"), "simple", "10 ms is under the 50 ms line."),
    Case((49.9, 95, "high"), "simple", "49.9 ms is still under 50 ms, whatever the accuracy."),
    Case((50, 85, "medium"), "medium", "50 ms is not under 50 ms, and 85% does not need more."),
    Case((120, 95, "low"), "optimised_complex", "120 ms is in [50, 200) and 95% > 90%."),
    Case((120, 90, "low"), "medium", "90% is not above 90%, so a medium model is enough."),
    Case((199.5, 80, "high"), "medium", "199.5 ms is still under 200 ms; 80% is not above 90%."),
    Case((500, 99, "low"), "cached_batch", "at 500 ms latency is no constraint; cost is low."),
    Case((500, 80, "high"), "most_accurate", "at 500 ms latency is no constraint; cost is high."),
    Case((200, 85, "medium"), "most_accurate", "200 ms is not under 200 ms; cost is not low."),
)


def likely_cause(case: Case, actual) -> str | None:
    """Name the slip that most often produces this wrong answer."""
    latency, accuracy, cost = case.args
    if not isinstance(actual, str) or actual not in DECISIONS:
        return f"return exactly one of {', '.join(map(repr, DECISIONS))} (check the spelling)."
    # `<=` on the latency limit sends exactly 50 ms to the tier below, and exactly 200 ms too.
    if (latency == 50 and actual == "simple") or (
        latency == 200 and actual in ("medium", "optimised_complex")
    ):
        return f"at exactly {latency:g} ms, 'under {latency:g} ms' is false: use <, not <=."
    if accuracy == 90 and actual == "optimised_complex":
        return "'above 90%' excludes 90% itself: use >, not >=."
    if case.expected == "most_accurate" and actual == "cached_batch":
        return "only a *low* cost budget sends you to cached batch predictions."
    if case.expected == "cached_batch" and actual == "most_accurate":
        return "a low cost budget should choose cached batch predictions."
    if latency >= 200 and actual in ("medium", "optimised_complex"):
        return "the last branch (200 ms and more) asks about cost, not accuracy."
    return None


def check_choose_model(fn) -> None:
    """Visible check: the framework's branches and its 50 ms boundary."""
    run_cases(EXERCISE, fn, VISIBLE_CASES, likely_cause=likely_cause)


def expect_choices(fn, cases) -> None:
    """Hidden-test helper: ``cases`` are (latency, accuracy, cost, expected, why) tuples."""
    run_cases(
        EXERCISE,
        fn,
        [Case((lat, acc, cost), expected, why) for lat, acc, cost, expected, why in cases],
        likely_cause=likely_cause,
        quiet=True,
    )
