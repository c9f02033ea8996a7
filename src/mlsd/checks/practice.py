"""Checks for section 10 (practice problems): estimates from named inputs, the 30 FPS
pipeline, metric targets, and what a detector's rates mean at the real base rate.

Every exercise is data on the checks engine (``mlsd.checks.engine``): a tuple of cases, how
to compare, and a ``likely_cause`` that names the slip behind a wrong answer. Visible checks
hold only the cases the prompt works through; hidden tests (in the solutions notebook) call
the ``expect_*`` helpers with inputs the learner has never seen, so an answer built from the
visible feedback (a table of the visible results) cannot earn the points.
"""

from __future__ import annotations

import math

import numpy as np

from mlsd.checks.engine import Case, run, within
from mlsd.practice import ASSUMPTIONS, ESTIMATE_INPUTS, N_PROBLEMS, reference_estimate

ESTIMATE, PIPELINE, FACE, FRAUD, BASE_RATE = (
    "practice_estimates",
    "practice_pipeline",
    "practice_face_unlock",
    "practice_fraud_targets",
    "practice_base_rate",
)
REL_TOL = 0.05  # the inputs are given, so the arithmetic should land within 5 %


def _is_number(value) -> bool:
    return not isinstance(value, bool | np.bool_) and isinstance(value, int | float | np.number)


def _near(a: float, b: float, rel_tol: float = 2e-3) -> bool:
    return math.isclose(a, b, rel_tol=rel_tol, abs_tol=1e-9)


# --- exercise 1: one estimate per problem, from named inputs -----------------------------

# ratio (yours / expected) -> the slip that usually produces it
_RATIOS = (
    (1 / 3, "a peak of 3x the average is asked for: multiply the average by the peak factor."),
    (1 / 2, "multiply the average by the peak factor given in the inputs."),
    (3.0, "the peak factor was applied twice, or 3 replicas were counted where none are."),
    (1 / 3.6, "posts per hour ÷ 3,600 gives posts per second (not ÷ 1,000 or × 1,000)."),
    (60.0, "an hour has 3,600 seconds, not 60."),
    (24.0, "that is per day over 3,600 s: a day has 86,400 seconds."),
    (1 / 24, "a day has 86,400 seconds, not 3,600."),
    (8.0, "bytes, not bits: do not multiply by 8."),
    (1 / 4, "float32 values take 4 bytes each: multiply by bytes_per_value."),
    (100.0, "work in fractions (0.01 % = 0.0001) or percentages, not both."),
    (1 / 100, "work in fractions (0.01 % = 0.0001) or percentages, not both."),
    (1000.0, "check the units: milliseconds and seconds differ by 1,000."),
    (1 / 1000, "check the units: milliseconds and seconds differ by 1,000."),
)
# The prompt's worked examples with inputs other than the table's: rounding up (7.2 servers
# -> 8), float16 embeddings, and 60 FPS.
SERVERS_EXAMPLE = {"questions_per_day": 1e6, "peak_factor": 2, "per_server_qps": 4,
                   "headroom": 0.2}  # fmt: skip
OTHER_INPUTS = (
    (9, SERVERS_EXAMPLE),
    (3, {"items": 80e6, "dimensions": 128, "bytes_per_value": 2}),
    (7, {"fps": 60}),
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


def _shown(inputs: dict) -> str:
    return "{" + ", ".join(f"{k!r}: {v:g}" for k, v in inputs.items()) + "}"


def _estimate_case(number: int, inputs: dict, expected: float) -> Case:
    a = ASSUMPTIONS[number]
    work = reference_estimate(number, **inputs)
    servers = a.estimate == "servers"
    return Case(
        (number, dict(inputs)),
        float(expected) if servers else float(f"{expected:.4g}"),  # readable in a message
        f"{work.formula}: {work.substituted} → {work.readable} [{a.unit}].",
        compare=within(0.0) if servers else within(REL_TOL),
        label=f"problem_estimate({number}, {_shown(inputs)})",
    )


def _servers_cause(got: float, inputs: dict, expected: float) -> str:
    try:
        raw = (inputs["questions_per_day"] / 86_400 * inputs["peak_factor"]
               / (inputs["per_server_qps"] * (1 - inputs["headroom"])))  # fmt: skip
    except (KeyError, TypeError, ZeroDivisionError):
        raw = None
    if raw is not None and math.isclose(got, raw, rel_tol=1e-6):
        return f"that is {raw:.2f} servers: round up (math.ceil), a part of a server is a server."
    if raw is not None and got in (math.floor(raw), round(raw)):
        return "round up with math.ceil, not round() or int(): 7.2 servers means 8."
    return _ratio_cause(got, expected) or (
        "servers = ceil(peak QPS ÷ (per-server QPS × (1 − headroom))), with peak QPS = "
        "questions per day ÷ 86,400 × peak factor."
    )


def _estimate_cause(case: Case, actual) -> str | None:
    if not _is_number(actual):
        return f"return one number (an int or a float), not a {type(actual).__name__}."
    number, inputs = case.args
    kind = ASSUMPTIONS[number].estimate
    if kind == "servers":
        return _servers_cause(float(actual), inputs, case.expected)
    return _ratio_cause(float(actual), case.expected) or (
        f"this problem's estimate uses {', '.join(ESTIMATE_INPUTS[kind])}: read each from "
        "the inputs dict rather than typing the prompt's numbers."
    )


def _visible_estimates() -> tuple[Case, ...]:
    """Every problem with the inputs of the prompt's table, then its worked examples."""
    table = tuple(
        _estimate_case(n, ASSUMPTIONS[n].inputs, reference_estimate(n).value)
        for n in range(1, N_PROBLEMS + 1)
    )
    examples = tuple(
        _estimate_case(n, inputs, reference_estimate(n, **inputs).value)
        for n, inputs in OTHER_INPUTS
    )
    return (*table, *examples)


def check_problem_estimate(fn) -> None:
    """Visible check: every problem with the inputs of the prompt's table."""
    run(ESTIMATE, fn, _visible_estimates(), likely_cause=_estimate_cause)


def expect_problem_estimate(fn, cases) -> None:
    """Hidden-test helper: ``cases`` are (number, inputs, expected) tuples."""
    built = [_estimate_case(n, inputs, expected) for n, inputs, expected in cases]
    run(ESTIMATE, fn, built, likely_cause=_estimate_cause, quiet=True)


# --- exercise 2: the 30 FPS pipeline -----------------------------------------------------
VISIBLE_PIPELINE = (
    ([8, 3, 15, 2, 3, 1], [1, 1, 1, 1, 1, 1], (1000 / 15, 32.0),
     "the slowest stage (15 ms) sets the rate, 66.7 FPS; a frame passes all six: 32 ms."),
    ([10, 50, 5], [1, 1, 1], (20.0, 65.0),
     "a 50 ms detector lets 20 frames a second through; latency is 10 + 50 + 5 = 65 ms."),
    ([10, 50, 5], [1, 2, 1], (40.0, 65.0),
     "two detector copies take turns: 2 × 1,000 / 50 = 40 FPS; each frame still takes 65 ms."),
)  # fmt: skip


def _pipeline_cases(rows) -> list[Case]:
    return [
        Case((list(stages), list(copies)), tuple(expected), why, rel_tol=1e-3)
        for stages, copies, expected, why in rows
    ]


def _pair(actual) -> tuple[float, float] | None:
    if isinstance(actual, tuple | list) and len(actual) == 2 and all(map(_is_number, actual)):
        return float(actual[0]), float(actual[1])
    return None


def _pipeline_cause(case: Case, actual) -> str | None:
    pair = _pair(actual)
    if pair is None:
        return "return a pair: (frames per second, end-to-end latency in ms)."
    fps, latency = pair
    stages, copies = (np.asarray(a, dtype=float) for a in case.args)
    want_fps, want_latency = case.expected
    if _near(fps, want_latency) and _near(latency, want_fps):
        return "the order is (frames per second, latency in ms)."
    if _near(fps, 1000 / stages.sum()):
        return (
            "1,000 ÷ the sum of the stages is the rate of a system that finishes each frame "
            "before starting the next. In a pipeline every stage works on a different frame at "
            "the same time, so the slowest stage sets the rate."
        )
    if _near(fps, 1000 / stages.max()) and np.any(copies > 1):
        return (
            "copies of a stage take turns on alternate frames: a stage with k copies lets "
            "k × 1,000 ÷ its time frames through each second."
        )
    if _near(fps, 1 / stages.max()) or _near(fps, float(np.min(copies / stages))):
        return "that is frames per millisecond: × 1,000 for frames per second."
    if _near(latency, float((stages / copies).sum())):
        return (
            "copies raise throughput, not latency: each frame still passes through one copy of "
            "every stage, so the latency is the plain sum."
        )
    if _near(latency, stages.max()):
        return "a frame passes through every stage: its latency is the sum of the stages."
    return None


def check_pipeline_timing(fn) -> None:
    run(PIPELINE, fn, _pipeline_cases(VISIBLE_PIPELINE), likely_cause=_pipeline_cause)


def expect_pipeline_timing(fn, cases) -> None:
    """``cases`` are (stage_ms, copies, (fps, latency_ms), why) tuples."""
    run(PIPELINE, fn, _pipeline_cases(cases), likely_cause=_pipeline_cause, quiet=True)


# --- exercise 3: face unlock ---------------------------------------------------------------
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
    run(FACE, fn, VISIBLE_FACE, likely_cause=_face_cause)


def expect_face_unlock(fn, cases) -> None:
    """``cases`` are (false_accepts, impostor_attempts, true_accepts, genuine_attempts,
    expected, why) tuples."""
    built = [Case(tuple(c[:4]), c[4], c[5]) for c in cases]
    run(FACE, fn, built, likely_cause=_face_cause, quiet=True)


# --- exercise 4: fraud targets -------------------------------------------------------------
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


def _fraud_case(counts, expected: bool, why: str) -> Case:
    frauds, caught, legit, flagged = counts
    label = (
        f"fraud_ok(y_true, y_pred) with {frauds} frauds of which {caught} flagged, {legit} "
        f"legitimate of which {flagged} flagged"
    )
    return Case(labels(*counts), expected, why, label=label)


VISIBLE_FRAUD = (
    ((100, 95, 1000, 10), True, "recall 95 % > 90 % and 1 % false positives < 2 %."),
    ((100, 90, 1000, 10), False, "recall of exactly 90 % is not *over* 90 %."),
    ((100, 95, 1000, 20), False, "20 of 1,000 legitimate = 2 %, not *under* 2 %."),
    ((100, 99, 1000, 35), False, "3.5 % false positives is too many."),
)


def _fraud_cause(case: Case, actual) -> str | None:
    if not isinstance(actual, bool | np.bool_):
        return "return True or False (a bool)."
    y_true, y_pred = case.args
    frauds, legit = int(y_true.sum()), int((y_true == 0).sum())
    caught, flagged = int(y_pred[y_true == 1].sum()), int(y_pred[y_true == 0].sum())
    if caught * 10 == frauds * 9 or flagged * 50 == legit:
        return "the targets are strict: recall *over* 90 %, false positives *under* 2 %."
    if actual and flagged * 50 > legit:
        return (
            "the false-positive rate is flagged legitimate ÷ all legitimate transactions "
            "(not ÷ all transactions or ÷ all flagged)."
        )
    return None


def check_fraud_targets(fn) -> None:
    cases = [_fraud_case(*row) for row in VISIBLE_FRAUD]
    run(FRAUD, fn, cases, likely_cause=_fraud_cause)


def expect_fraud_targets(fn, cases) -> None:
    """``cases`` are ((frauds, caught, legit, flagged_legit), expected, why) tuples."""
    built = [_fraud_case(tuple(c), e, w) for c, e, w in cases]
    run(FRAUD, fn, built, likely_cause=_fraud_cause, quiet=True)


# --- exercise 5: the same rates at the real base rate --------------------------------------
VISIBLE_BASE_RATE = (
    ((0.9, 0.02, 0.001, 150e6), (0.0431, 2_997_000.0),
     "the guide's fraud target at 0.1 % fraud: 135 K frauds and 2.997 M good transactions "
     "flagged a day, so 4.3 % of flags are fraud."),
    ((0.6, 0.0005, 0.001, 150e6), (0.5457, 74_925.0),
     "a stricter block threshold: 90 K frauds and 74,925 good transactions a day."),
    ((0.9, 0.02, 0.5, 1000), (0.9783, 10.0),
     "the same detector on a balanced sample (500 frauds, 500 good): 450 caught, 10 good "
     "flagged."),
    ((0.0, 0.0, 0.01, 1000), (0.0, 0.0),
     "nothing is flagged, so precision is 0.0 as the prompt says (not a division by zero)."),
)  # fmt: skip


def _base_rate_matches(actual, expected) -> bool:
    """Precision to 4 significant figures; false alarms per day to 0.02 %."""
    pair = _pair(actual)
    if pair is None:
        return False
    (precision, false_alarms), (want_p, want_fa) = pair, expected
    return math.isclose(precision, want_p, rel_tol=2e-3, abs_tol=1e-4) and math.isclose(
        false_alarms, want_fa, rel_tol=2e-4, abs_tol=0.5
    )


def _base_rate_cases(rows) -> list[Case]:
    return [
        Case(
            tuple(args),
            tuple(expected),
            why,
            compare=_base_rate_matches,
            label=f"flag_outcomes({', '.join(f'{a:g}' for a in args)})",
        )
        for args, expected, why in rows
    ]


def _base_rate_cause(case: Case, actual) -> str | None:
    pair = _pair(actual)
    if pair is None:
        return "return a pair: (precision as a fraction, legitimate transactions flagged per day)."
    recall, fpr, prevalence, per_day = case.args
    precision, false_alarms = pair
    want_p, want_fa = case.expected
    if _near(precision, 100 * want_p):
        return "precision as a fraction (0.043), not a percentage."
    if _near(precision, recall):
        return "precision is frauds among the *flagged*; recall is flagged among the frauds."
    if _near(precision, 1 - want_p):
        return "that is the share of flags that are *legitimate*: precision is the other share."
    if _near(false_alarms, fpr * per_day, 1e-6) and not _near(want_fa, fpr * per_day, 1e-6):
        return (
            "false positives come only from legitimate transactions: fpr × transactions × "
            "(1 − prevalence)."
        )
    if fpr and _near(precision, recall * prevalence / (fpr * (1 - prevalence))):
        return "the flags are the frauds caught plus the legitimate ones flagged: add both."
    if not _near(precision, want_p):
        return (
            "precision = frauds caught ÷ all flagged = recall × prevalence ÷ (recall × "
            "prevalence + fpr × (1 − prevalence))."
        )
    return None


def check_flag_outcomes(fn) -> None:
    run(BASE_RATE, fn, _base_rate_cases(VISIBLE_BASE_RATE), likely_cause=_base_rate_cause)


def expect_flag_outcomes(fn, cases) -> None:
    """``cases`` are ((recall, fpr, prevalence, per_day), (precision, false_alarms), why)."""
    run(BASE_RATE, fn, _base_rate_cases(cases), likely_cause=_base_rate_cause, quiet=True)
