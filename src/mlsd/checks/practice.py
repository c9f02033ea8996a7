"""Checks for section 10 (practice problems): estimates per problem and metric targets."""

from __future__ import annotations

import math

import numpy as np

from mlsd.checks.core import Case, Incorrect, call_learner, passed, run_cases
from mlsd.practice import ASSUMPTIONS, N_PROBLEMS

ESTIMATES, FRAME, FACE, FRAUD = (
    "practice_estimates",
    "practice_frame_budget",
    "practice_face_unlock",
    "practice_fraud_targets",
)
REL_TOL = 0.05  # the assumptions are stated, so the arithmetic should land within 5 %
VISIBLE_ESTIMATES = {1: 69_444.4, 7: 33.33, 11: 277.8}  # the three worked in the prompt

# ratio (yours / expected) -> the slip that usually produces it
_RATIOS = (
    (1 / 3, "a peak of 3x the average is asked for: multiply the average by the peak factor."),
    (3.0, "the peak factor was applied twice, or 3 replicas were counted where none are."),
    (1 / 3.6, "posts per hour ÷ 3,600 gives posts per second (not ÷ 1,000 or × 1,000)."),
    (24.0, "that is per day over 3,600 s: a day has 86,400 seconds."),
    (1 / 24, "a day has 86,400 seconds, not 3,600."),
    (8.0, "bytes, not bits: do not multiply by 8."),
    (1 / 4, "float32 values take 4 bytes each."),
    (100.0, "work in fractions (0.01 % = 0.0001) or percentages, not both."),
    (1 / 100, "work in fractions (0.01 % = 0.0001) or percentages, not both."),
)


def _ratio_cause(actual: float, expected: float) -> str | None:
    if expected == 0 or actual <= 0:
        return None
    ratio = actual / expected
    for r, cause in _RATIOS:
        if math.isclose(ratio, r, rel_tol=0.08):
            return cause
    if ratio > 1e5 or ratio < 1e-5:
        return "check the units (per second, bytes, milliseconds) against the prompt."
    return None


def _check_estimates(fn, expected: dict[int, float]) -> None:
    result = call_learner(ESTIMATES, fn)
    if result is None:
        raise Incorrect(
            ESTIMATES,
            "problem_estimates() returned None; expected a dict {problem number: number}.",
            "the function has no `return` statement (print is not return).",
        )
    if not isinstance(result, dict):
        raise Incorrect(ESTIMATES, f"expected a dict, got {type(result).__name__}.")
    missing = [n for n in range(1, N_PROBLEMS + 1) if n not in result]
    if missing:
        raise Incorrect(
            ESTIMATES,
            f"the dict has no entry for problem(s) {missing}; give one number for each of the "
            "11 problems, keyed by its number (an int, 1 to 11).",
        )
    for number, want in expected.items():
        got = result[number]
        if isinstance(got, bool) or not isinstance(got, int | float | np.number):
            raise Incorrect(
                ESTIMATES, f"problem {number}: expected a number, got {type(got).__name__}."
            )
        if not math.isclose(float(got), want, rel_tol=REL_TOL):
            raise Incorrect(
                ESTIMATES,
                f"problem {number}: you gave {float(got):,.4g}; expected about {want:,.4g} "
                f"{ASSUMPTIONS[number].unit} ({ASSUMPTIONS[number].prompt})",
                _ratio_cause(float(got), want),
            )


def check_problem_estimates(fn) -> None:
    """Visible check: all 11 keys present, and the three estimates worked in the prompt."""
    _check_estimates(fn, VISIBLE_ESTIMATES)
    passed(ESTIMATES, 1 + len(VISIBLE_ESTIMATES))


def expect_problem_estimates(fn, expected: dict[int, float]) -> None:
    """Hidden-test helper: every problem's value, written in the notebook."""
    _check_estimates(fn, expected)


# --- frames per second -------------------------------------------------------------------
VISIBLE_FRAME = (
    Case((30, 0), 1000 / 30, "at 30 FPS a frame arrives every 1,000 / 30 = 33.3 ms.", rel_tol=1e-3),
    Case((30, 8), 1000 / 30 - 8, "33.3 ms per frame minus 8 ms of other stages.", rel_tol=1e-3),
    Case((60, 0), 1000 / 60, "at 60 FPS a frame arrives every 16.7 ms.", rel_tol=1e-3),
)


def _frame_cause(case: Case, actual) -> str | None:
    fps, other = case.args
    if not isinstance(actual, int | float):
        return "return a number of milliseconds."
    if math.isclose(actual, 1 / fps, rel_tol=1e-3) or math.isclose(
        actual, 1 / fps - other / 1000, rel_tol=1e-3
    ):
        return "that is in seconds: the budget is asked for in milliseconds (× 1,000)."
    if math.isclose(actual, 1000 / fps, rel_tol=1e-3) and other:
        return "subtract the time the other stages take from the frame's budget."
    if actual == 0 and case.expected < 0:
        return "do not clamp at 0: a negative budget says by how much the pipeline misses."
    return None


def check_frame_budget(fn) -> None:
    run_cases(FRAME, fn, VISIBLE_FRAME, likely_cause=_frame_cause)


def expect_frame_budget(fn, cases) -> None:
    """``cases`` are (fps, other_stages_ms, expected_ms, why) tuples."""
    run_cases(
        FRAME,
        fn,
        [Case((f, o), e, why, rel_tol=1e-3) for f, o, e, why in cases],
        likely_cause=_frame_cause,
        quiet=True,
    )


# --- face unlock ---------------------------------------------------------------------------
VISIBLE_FACE = (
    Case((0, 30_000, 9_995, 10_000), True, "0 false accepts and 99.95 % of owners let in."),
    Case((3, 10_000, 9_999, 10_000), False, "3 in 10,000 impostors let in is 0.03 % > 0.01 %."),
    Case((1, 10_000, 9_999, 10_000), False, "1 in 10,000 is exactly 0.01 %: not *below* it."),
    Case((0, 30_000, 9_980, 10_000), False, "99.8 % of owners let in is not above 99.9 %."),
)


def _face_cause(case: Case, actual) -> str | None:
    fa, imp, ta, gen = case.args
    if not isinstance(actual, bool | np.bool_):
        return "return True or False (a bool)."
    if fa * 10_000 == imp or ta * 1000 == gen * 999:
        return "the targets are strict: false accepts *below* 0.01 %, accuracy *above* 99.9 %."
    if case.expected is False and ta * 1000 > gen * 999:
        return "0.01 % is 0.0001 as a fraction: compare like with like."
    return "both targets must hold: false-accept rate < 0.01 % and true-accept rate > 99.9 %."


def check_face_unlock(fn) -> None:
    run_cases(FACE, fn, VISIBLE_FACE, likely_cause=_face_cause)


def expect_face_unlock(fn, cases) -> None:
    """``cases`` are (false_accepts, impostor_attempts, true_accepts, genuine_attempts,
    expected, why) tuples."""
    run_cases(
        FACE,
        fn,
        [Case(tuple(c[:4]), c[4], c[5]) for c in cases],
        likely_cause=_face_cause,
        quiet=True,
    )


# --- fraud ---------------------------------------------------------------------------------
def labels(frauds: int, caught: int, legit: int, flagged_legit: int):
    """(y_true, y_pred) arrays with the given counts, frauds first."""
    y_true = np.r_[np.ones(frauds, int), np.zeros(legit, int)]
    y_pred = np.r_[
        np.ones(caught, int),
        np.zeros(frauds - caught, int),
        np.ones(flagged_legit, int),
        np.zeros(legit - flagged_legit, int),
    ]
    return y_true, y_pred


def _fraud_case(counts, expected, why) -> Case:
    case = Case(labels(*counts), expected, why)
    object.__setattr__(case, "counts", counts)
    return case


VISIBLE_FRAUD = (
    _fraud_case((100, 95, 1000, 10), True, "recall 95 % > 90 % and 1 % false positives < 2 %."),
    _fraud_case((100, 90, 1000, 10), False, "recall of exactly 90 % is not *over* 90 %."),
    _fraud_case((100, 95, 1000, 20), False, "20 of 1,000 legitimate = 2 %, not *under* 2 %."),
    _fraud_case((100, 99, 1000, 35), False, "3.5 % false positives is too many."),
)


def _fraud_cause(case: Case, actual) -> str | None:
    if not isinstance(actual, bool | np.bool_):
        return "return True or False (a bool)."
    frauds, caught, legit, flagged = getattr(case, "counts", (0, 0, 0, 0))
    if caught * 10 == frauds * 9 or flagged * 50 == legit:
        return "the targets are strict: recall *over* 90 %, false positives *under* 2 %."
    if actual and flagged * 50 > legit:
        return (
            "the false-positive rate is flagged legitimate ÷ all legitimate transactions "
            "(not ÷ all transactions or ÷ all flagged)."
        )
    return None


def _run_fraud(fn, cases, quiet: bool) -> None:
    for case in cases:
        actual = call_learner(FRAUD, fn, *case.args)
        frauds, caught, legit, flagged = case.counts
        where = (
            f"{frauds} frauds of which {caught} flagged, {legit} legitimate of which "
            f"{flagged} flagged"
        )
        if actual is None:
            raise Incorrect(
                FRAUD,
                f"with {where} your function returned None; expected {case.expected}.",
                "the function has no `return` statement on this path (print is not return).",
            )
        if not isinstance(actual, bool | np.bool_) or bool(actual) != case.expected:
            raise Incorrect(
                FRAUD,
                f"with {where} you returned {actual!r}; expected {case.expected} because "
                f"{case.why}",
                _fraud_cause(case, actual),
            )
    if not quiet:
        passed(FRAUD, len(cases))


def check_fraud_targets(fn) -> None:
    _run_fraud(fn, VISIBLE_FRAUD, quiet=False)


def expect_fraud_targets(fn, cases) -> None:
    """``cases`` are ((frauds, caught, legit, flagged_legit), expected, why) tuples."""
    _run_fraud(fn, [_fraud_case(c, e, w) for c, e, w in cases], quiet=True)
