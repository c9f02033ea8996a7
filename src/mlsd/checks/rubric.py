"""Checks for section 8 (the evaluation rubric): weighted total, hire band, and a calibrated
rater written as a function of a transcript (visible: candidate C and one probe per rule;
hidden: a transcript the learner never saw)."""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Mapping

from mlsd.checks.core import NO_RETURN, Incorrect, NotAttempted, Tally, call_learner
from mlsd.checks.labelled import LabelledCase, run_labelled
from mlsd.rubric import (
    BAND_NAMES,
    DIMENSION_TOLERANCE,
    KEYS,
    TOTAL_TOLERANCE,
    TRANSCRIPT_C_TURNS,
    WEIGHTS,
    hire_band,
    score_turns,
    weighted_total,
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


def _counted_reject(tally: Tally, *args) -> None:
    """``expect_rejects`` as one counted visible check."""
    expect_rejects(*args)
    tally.expect(True, "")


def check_weighted_total(fn) -> None:
    """Visible check: the guide's two candidates, custom weights, and two bad inputs."""
    tally = Tally(TOTAL)
    tally.run(fn, VISIBLE_TOTALS, likely_cause=_total_cause)
    _counted_reject(
        tally,
        TOTAL,
        fn,
        "weighted_total(candidate A, weights summing to 95)",
        (A, SHORT),
        ("weights", "95"),
        "the weights sum to 95 %, not 100 %: the message should say so.",
    )
    _counted_reject(
        tally,
        TOTAL,
        fn,
        "weighted_total(a score of 120, guide weights)",
        ({**A, "ml_knowledge": 120}, WEIGHTS),
        ("ml_knowledge",),
        "scores run from 0 to 100; name the dimension that is off.",
    )
    tally.report()


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
    LabelledCase("hire_band(65)", (65,), "hire", "a band starts at its floor: 65 is a hire."),
)


def check_hire_band(fn) -> None:
    """Visible check: one total per band, a floor, and a total outside [0, 100]."""
    tally = Tally(BAND)
    tally.run(fn, VISIBLE_BANDS, likely_cause=_band_cause)
    _counted_reject(
        tally,
        BAND,
        fn,
        "hire_band(105)",
        (105,),
        ("total",),
        "a total is out of 100; name the argument.",
    )
    tally.report()


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


def _scores_of(fn, turns, label: str) -> dict:
    # Each call gets its own copy: a learner function that edits the turns cannot change
    # what the next case (or the reference) sees.
    scores = call_learner(TRANSCRIPT, fn, copy.deepcopy(list(turns)))
    if not isinstance(scores, Mapping):
        raise Incorrect(
            TRANSCRIPT,
            f"score_transcript({label}) returned {type(scores).__name__}; expected a dict with "
            f"a score (0-100) for each of {', '.join(KEYS)}.",
            NO_RETURN if scores is None else None,
        )
    missing = [k for k in KEYS if k not in scores]
    unknown = [k for k in scores if k not in KEYS]
    if missing or unknown:
        raise Incorrect(
            TRANSCRIPT,
            f"score_transcript({label}): keys missing: {missing}; unknown keys: {unknown}.",
        )
    for k in KEYS:
        v = scores[k]
        if isinstance(v, bool) or not isinstance(v, int | float) or not 0 <= v <= 100:
            raise Incorrect(
                TRANSCRIPT,
                f"score_transcript({label}): the score for {k} must be a number in [0, 100]; "
                f"got {v!r}.",
            )
    return {k: float(scores[k]) for k in KEYS}


def _variant(turns, rule: str) -> dict[str, float]:
    """What a rater who breaks one rule would give (to name the slip, never to grade)."""
    if rule == "prompted credited":
        return score_turns(turns, prompted_credit=100.0)
    firsts: dict[tuple[str, int], str] = {}
    ratings: dict[tuple[str, int], list[str]] = {}
    for turn in turns:
        for d, p, r in turn.get("signs", []) if turn["who"] == "candidate" else []:
            firsts.setdefault((d, p), r)
            ratings.setdefault((d, p), []).append(r)
    pick = {
        "first word": lambda key: [firsts[key]],
        "best word": lambda key: ["excellent" if "excellent" in ratings[key] else "poor"],
    }[rule]
    kept = [
        {**t, "signs": [[d, p, pick((d, p))[0]] for d, p, _r in t.get("signs", [])]}
        if t["who"] == "candidate"
        else t
        for t in turns
    ]
    return score_turns(kept)


_SLIPS = (
    (
        "prompted credited",
        "a good answer to the interviewer's own question was counted as if the candidate had "
        "raised it: the interviewer did that part, so it earns about 'not shown' (50).",
    ),
    (
        "first word",
        "the candidate's first word on a pair was kept; the last word counts (a mistake put "
        "right later is credited, a good start undone later is not).",
    ),
    (
        "best word",
        "the best rating a pair ever got was kept; the last word counts, so a good start "
        "undone later is poor.",
    ),
)


def _slip(scores: dict, turns) -> str | None:
    for rule, cause in _SLIPS:
        variant = _variant(turns, rule)
        if variant != score_turns(turns) and all(
            math.isclose(scores[k], variant[k], abs_tol=1e-6) for k in KEYS
        ):
            return cause
    return None


def _judge(
    scores: dict, reference: Mapping, label: str, turns, total_tol, dim_tol
) -> tuple[str, str | None] | None:
    """(what is off, likely cause), or None when the scores are within tolerance."""
    total = sum(scores[k] * WEIGHTS[k] for k in KEYS) / 100
    ref_total = sum(reference[k] * WEIGHTS[k] for k in KEYS) / 100
    far = [
        f"{k}: you gave {scores[k]:g}, a calibrated rater about {reference[k]:g}"
        for k in KEYS
        if abs(scores[k] - reference[k]) > dim_tol
    ]
    cause = _slip(scores, turns) if turns is not None else None
    if far:
        return (
            f"score_transcript({label}): {len(far)} dimension(s) more than {dim_tol:g} points "
            "from a calibrated rater — " + "; ".join(far) + ".",
            cause
            or "apply the four rules pair by pair: not touched 50, last word counts, "
            "excellent 100 only if the candidate raised it first, poor 20.",
        )
    if abs(total - ref_total) > total_tol:
        direction = "generous" if total > ref_total else "harsh"
        return (
            f"score_transcript({label}): your weighted total is {total:.1f}; a calibrated "
            f"total is within {total_tol:g} points of {ref_total:.1f}, so yours is too "
            f"{direction}.",
            cause or "the heavy dimensions (system design 30 %, ML 25 %) move the total most.",
        )
    return None


def _probe(who_minute_items) -> list[dict]:
    return [
        {"who": who, "minute": minute, "says": "(rule probe)", key: [list(i) for i in items]}
        for who, minute, key, items in who_minute_items
    ]


# Small transcripts, one per rule the prompt states, so each rule is checked where a learner
# can see it. Their expected scores come from the reference rater.
VISIBLE_PROBES = (
    (
        "a probe: the interviewer asks for the constraints, the candidate names them well",
        _probe([
            ("interviewer", 2, "raises", [("problem_understanding", 1)]),
            ("candidate", 3, "signs", [("problem_understanding", 1, "excellent")]),
        ]),
    ),
    (
        "a probe: a vague metric at minute 3, put right unprompted at minute 20",
        _probe([
            ("candidate", 3, "signs", [("problem_understanding", 3, "poor")]),
            ("candidate", 20, "signs", [("problem_understanding", 3, "excellent")]),
        ]),
    ),
    (
        "a probe: monitoring drawn at minute 10, then dropped ('no monitoring') at minute 40",
        _probe([
            ("candidate", 10, "signs", [("system_design", 4, "excellent")]),
            ("candidate", 40, "signs", [("system_design", 4, "poor")]),
        ]),
    ),
    (
        "a probe: two trade-offs raised unprompted, then the interviewer asks about them",
        _probe([
            ("candidate", 5, "signs", [("tradeoffs", 0, "excellent"),
                                       ("tradeoffs", 2, "excellent")]),
            ("interviewer", 30, "raises", [("tradeoffs", 0), ("tradeoffs", 2)]),
            ("candidate", 31, "signs", [("tradeoffs", 0, "excellent"),
                                        ("tradeoffs", 2, "excellent")]),
        ]),
    ),
)  # fmt: skip


def check_transcript_scores(fn) -> None:
    """Visible check: candidate C's transcript and one small probe per rule, each dimension
    within DIMENSION_TOLERANCE and the total within TOTAL_TOLERANCE of the reference rater."""
    tally = Tally(TRANSCRIPT)
    first = None
    for label, turns in [("candidate C's transcript", TRANSCRIPT_C_TURNS), *VISIBLE_PROBES]:
        scores = _scores_of(fn, turns, label)
        first = first or scores
        tally.expect(
            scores != first or score_turns(turns) == score_turns(TRANSCRIPT_C_TURNS),
            f"score_transcript({label}) returned the same scores as for candidate C: the "
            "function must read the turns it is given.",
            "loop over the turns, collect each pair's last rating and whether the "
            "interviewer raised it first, then average per dimension.",
        )
        judgement = _judge(
            scores, score_turns(turns), label, turns, TOTAL_TOLERANCE, DIMENSION_TOLERANCE
        )
        tally.expect(judgement is None, *(judgement or ("", None)))
    total = weighted_total(first)
    print(f"Your rater gives candidate C {total:.1f} out of 100 ({hire_band(total)}).")
    tally.report()


def expect_transcript_scores(
    fn,
    turns,
    reference: Mapping,
    label: str = "a transcript you have not seen",
    total_tolerance=TOTAL_TOLERANCE,
    dimension_tolerance=DIMENSION_TOLERANCE,
) -> None:
    """Hidden-test helper: ``fn(turns)`` within tolerance of the ``reference`` scores written
    in the notebook's hidden tests (never computed here)."""
    judgement = _judge(
        _scores_of(fn, turns, label),
        reference,
        label,
        list(turns),
        total_tolerance,
        dimension_tolerance,
    )
    if judgement:
        raise Incorrect(TRANSCRIPT, *judgement)
