"""Checks for section 8 (the evaluation rubric): weighted total, hire band, scoring C."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

from mlsd.checks.core import Incorrect, NotAttempted, call_learner, passed
from mlsd.checks.labelled import LabelledCase, run_labelled
from mlsd.rubric import (
    BAND_NAMES,
    DIMENSION_TOLERANCE,
    KEYS,
    TOTAL_TOLERANCE,
    WEIGHTS,
)

TOTAL, BAND, TRANSCRIPT = "rubric_total", "rubric_band", "rubric_transcript"

A = {
    "problem_understanding": 100,
    "system_design": 80,
    "ml_knowledge": 80,
    "tradeoffs": 80,
    "communication": 90,
}
B = {
    "problem_understanding": 42.5,
    "system_design": 38,
    "ml_knowledge": 44,
    "tradeoffs": 38,
    "communication": 38,
}
EQUAL = dict.fromkeys(KEYS, 20)
SHORT = {**WEIGHTS, "communication": 5}  # sums to 95


def expect_rejects(
    exercise_id: str, fn: Callable, label: str, args: tuple, mention: tuple[str, ...], why: str
) -> None:
    """``fn(*args)`` must raise ValueError whose message mentions every word in ``mention``."""
    try:
        result = fn(*args)
    except NotImplementedError:
        raise NotAttempted(
            exercise_id, "the function still raises the placeholder NotImplementedError."
        ) from None
    except ValueError as exc:
        text = str(exc).lower()
        absent = [m for m in mention if m.lower() not in text]
        if absent:
            raise Incorrect(
                exercise_id,
                f"{label} raised ValueError({str(exc)!r}), which does not mention "
                f"{', '.join(map(repr, absent))}.",
                "name the bad argument (and the value) in the message, so the caller can fix it.",
            ) from None
        return
    except Exception as exc:
        raise Incorrect(
            exercise_id,
            f"{label} raised {type(exc).__name__}: {exc}; expected a ValueError because {why}",
            "raise ValueError(...) yourself before the arithmetic fails on its own.",
        ) from exc
    raise Incorrect(
        exercise_id,
        f"{label} returned {result!r}; expected a ValueError because {why}",
        "validate the input before computing: bad input must be refused, not scored.",
    )


def _total_cause(case: LabelledCase, actual) -> str | None:
    if actual is None:
        return None
    if isinstance(actual, tuple | list | dict):
        return "return one number (the total), not a collection."
    try:
        a, e = float(actual), float(case.expected)
    except (TypeError, ValueError):
        return "return a number."
    scores = case.args[0]
    plain_mean = sum(scores.values()) / len(scores)
    if math.isclose(a, e * 100, rel_tol=1e-6):
        return "the weights are percentages: divide the weighted sum by 100."
    if math.isclose(a, plain_mean, rel_tol=1e-6) and not math.isclose(a, e, rel_tol=1e-6):
        return "that is the plain mean: multiply each score by its own weight."
    return "use the weights passed in, not the guide's defaults." if len(case.args) > 1 else None


VISIBLE_TOTALS = (
    LabelledCase(
        "weighted_total(candidate A, guide weights)",
        (A, WEIGHTS),
        85.0,
        "20% x 100 + 30% x 80 + 25% x 80 + 15% x 80 + 10% x 90 = 85.",
        rel_tol=1e-6,
    ),
    LabelledCase(
        "weighted_total(candidate B, guide weights)",
        (B, WEIGHTS),
        40.4,
        "the guide's weak candidate lands at about 40.",
        rel_tol=1e-6,
    ),
    LabelledCase(
        "weighted_total(candidate A, equal weights)",
        (A, EQUAL),
        86.0,
        "with 20% each the total is the plain mean, 86.",
        rel_tol=1e-6,
    ),
)


def check_weighted_total(fn) -> None:
    """Visible check: the guide's two candidates, custom weights, and two bad inputs."""
    run_labelled(TOTAL, fn, VISIBLE_TOTALS, likely_cause=_total_cause, quiet=True)
    expect_rejects(
        TOTAL,
        fn,
        "weighted_total(candidate A, weights summing to 95)",
        (A, SHORT),
        ("weights", "95"),
        "the weights sum to 95 %, not 100 %: the message should say so.",
    )
    expect_rejects(
        TOTAL,
        fn,
        "weighted_total(a score of 120, guide weights)",
        ({**A, "ml_knowledge": 120}, WEIGHTS),
        ("ml_knowledge",),
        "scores run from 0 to 100; name the dimension that is off.",
    )
    passed(TOTAL, len(VISIBLE_TOTALS) + 2)


def expect_totals(fn, cases, rejects=()) -> None:
    """Hidden-test helper: ``cases`` = (label, scores, weights, expected, why);
    ``rejects`` = (label, scores, weights, words the message must mention, why)."""
    run_labelled(
        TOTAL,
        fn,
        [LabelledCase(lbl, (s, w), exp, why, rel_tol=1e-6) for lbl, s, w, exp, why in cases],
        likely_cause=_total_cause,
        quiet=True,
    )
    for label, scores, weights, mention, why in rejects:
        expect_rejects(TOTAL, fn, label, (scores, weights), tuple(mention), why)


def _band_cause(case: LabelledCase, actual) -> str | None:
    total = case.args[0]
    if isinstance(actual, str) and actual not in BAND_NAMES:
        return f"return exactly one of {', '.join(map(repr, BAND_NAMES))}."
    if total in (80, 65, 50):
        return f"a band starts AT its floor: {total:g} belongs to the higher band (use >=)."
    return None


VISIBLE_BANDS = (
    LabelledCase("hire_band(85)", (85,), "strong hire", "85 >= 80 (candidate A)."),
    LabelledCase("hire_band(40.4)", (40.4,), "no hire", "40.4 < 50 (candidate B)."),
    LabelledCase("hire_band(72)", (72,), "hire", "72 is in [65, 80)."),
    LabelledCase("hire_band(80)", (80,), "strong hire", "80 is the strong-hire floor."),
    LabelledCase("hire_band(55)", (55,), "lean no hire", "55 is in [50, 65)."),
)


def check_hire_band(fn) -> None:
    """Visible check: one total per band, a floor, and a total outside [0, 100]."""
    run_labelled(BAND, fn, VISIBLE_BANDS, likely_cause=_band_cause, quiet=True)
    expect_rejects(
        BAND, fn, "hire_band(105)", (105,), ("total",), "a total is out of 100; name the argument."
    )
    passed(BAND, len(VISIBLE_BANDS) + 1)


def expect_bands(fn, cases, rejects=()) -> None:
    """Hidden-test helper: ``cases`` = (total, band, why); ``rejects`` = totals to refuse."""
    run_labelled(
        BAND,
        fn,
        [LabelledCase(f"hire_band({t!r})", (t,), band, why) for t, band, why in cases],
        likely_cause=_band_cause,
        quiet=True,
    )
    for total in rejects:
        expect_rejects(
            BAND,
            fn,
            f"hire_band({total!r})",
            (total,),
            ("total",),
            "a total must be a number in [0, 100].",
        )


def _scores_of(fn) -> dict:
    scores = call_learner(TRANSCRIPT, fn)
    if not isinstance(scores, Mapping):
        raise Incorrect(
            TRANSCRIPT,
            f"{getattr(fn, '__name__', 'your function')}() returned "
            f"{type(scores).__name__}; expected a dict with a score (0-100) for each of "
            f"{', '.join(KEYS)}.",
            "the function has no `return` statement." if scores is None else None,
        )
    missing = [k for k in KEYS if k not in scores]
    unknown = [k for k in scores if k not in KEYS]
    if missing or unknown:
        raise Incorrect(TRANSCRIPT, f"keys missing: {missing}; unknown keys: {unknown}.")
    for k in KEYS:
        v = scores[k]
        if isinstance(v, bool) or not isinstance(v, int | float) or not 0 <= v <= 100:
            raise Incorrect(
                TRANSCRIPT, f"the score for {k} must be a number in [0, 100]; got {v!r}."
            )
    return dict(scores)


def _report_far(scores: dict, reference: Mapping, total_tolerance, dimension_tolerance):
    total = sum(scores[k] * WEIGHTS[k] for k in KEYS) / 100
    ref_total = sum(reference[k] * WEIGHTS[k] for k in KEYS) / 100
    far = [
        f"{k}: you gave {scores[k]:g}, a calibrated rater about {reference[k]:g}"
        for k in KEYS
        if abs(scores[k] - reference[k]) > dimension_tolerance
    ]
    if far:
        raise Incorrect(
            TRANSCRIPT,
            f"{len(far)} dimension(s) more than {dimension_tolerance:g} points from a calibrated "
            "score — " + "; ".join(far) + ".",
            "list the evidence per dimension first: each clear strength or gap moves one "
            "descriptor of one dimension.",
        )
    if abs(total - ref_total) > total_tolerance:
        direction = "generous" if total > ref_total else "harsh"
        raise Incorrect(
            TRANSCRIPT,
            f"your weighted total is {total:.1f}; a calibrated total is within "
            f"{total_tolerance:g} points of {ref_total:.1f}, so yours is too {direction}.",
            "the heavy dimensions (system design 30 %, ML 25 %) move the total most.",
        )


def check_transcript_scores(fn) -> None:
    """Visible check: a well-formed answer that tells strengths from gaps (no reference)."""
    scores = _scores_of(fn)
    total = sum(scores[k] * WEIGHTS[k] for k in KEYS) / 100
    if len({scores[k] for k in KEYS}) == 1:
        raise Incorrect(
            TRANSCRIPT,
            f"every dimension got {scores[KEYS[0]]:g}: candidate C is stronger in some "
            "dimensions than in others.",
            "go through the transcript once per dimension and tick the signs you see.",
        )
    if not 30 <= total <= 80:
        raise Incorrect(
            TRANSCRIPT,
            f"your weighted total is {total:.1f}; candidate C shows clear strengths (questions, "
            "an end-to-end design, two models) and clear gaps (no metric, no monitoring), "
            "which puts a fair total well inside [30, 80].",
        )
    print(f"Your total for candidate C: {total:.1f} out of 100.")
    passed(TRANSCRIPT, 3)


def expect_transcript_scores(
    fn,
    reference: Mapping,
    total_tolerance=TOTAL_TOLERANCE,
    dimension_tolerance=DIMENSION_TOLERANCE,
) -> None:
    """Hidden-test helper: each dimension and the total within tolerance of ``reference``."""
    _report_far(_scores_of(fn), reference, total_tolerance, dimension_tolerance)
