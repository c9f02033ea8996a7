"""mlsd.checks.practice in both directions: the reference passes the visible checks and the
notebook's hidden cases; plausible wrong answers and the gaming routes fail with the intended
likely cause."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mlsd import base_rates, practice
from mlsd.checks.core import Incorrect, NotAttempted
from mlsd.checks.practice import (
    ASSUMPTIONS,
    OTHER_INPUTS,
    check_face_unlock,
    check_flag_outcomes,
    check_fraud_targets,
    check_pipeline_timing,
    check_problem_estimate,
    expect_face_unlock,
    expect_flag_outcomes,
    expect_fraud_targets,
    expect_pipeline_timing,
    expect_problem_estimate,
    labels,
)

# --- exercise 1: problem_estimate ---------------------------------------------------------


def problem_estimate(number, inputs):
    a = inputs
    day = 86_400
    if number in (1, 2, 8):
        return a["daily_users"] * a["requests_per_user"] / day * a["peak_factor"]
    if number == 10:
        return a["transactions_per_day"] / day * a["peak_factor"]
    if number in (3, 5):
        return a["items"] * a["dimensions"] * a["bytes_per_value"]
    if number == 4:
        return a["pages"] * a["bytes_per_page"] * a["replicas"]
    if number == 6:
        return 3 / a["max_false_accept_rate"]
    if number == 7:
        return 1000 / a["fps"]
    if number == 9:
        peak = a["questions_per_day"] / day * a["peak_factor"]
        return math.ceil(peak / (a["per_server_qps"] * (1 - a["headroom"])))
    return a["posts_per_hour"] / 3600


# The notebook's hidden cases (number, inputs, expected): none uses the prompt's inputs.
HIDDEN_ESTIMATES = [
    (1, {"daily_users": 100e6, "requests_per_user": 20, "peak_factor": 2}, 46_296.3),
    (2, {"daily_users": 40e6, "requests_per_user": 3, "peak_factor": 5}, 6_944.4),
    (3, {"items": 80e6, "dimensions": 256, "bytes_per_value": 2}, 4.096e10),
    (4, {"pages": 1e9, "bytes_per_page": 50_000, "replicas": 2}, 1e14),
    (5, {"items": 500e6, "dimensions": 32, "bytes_per_value": 1}, 1.6e10),
    (6, {"max_false_accept_rate": 0.00001}, 300_000),
    (7, {"fps": 60}, 16.667),
    (8, {"daily_users": 50e6, "requests_per_user": 60, "peak_factor": 2.5}, 86_805.6),
    (9, {"questions_per_day": 2e6, "peak_factor": 2, "per_server_qps": 6, "headroom": 0.3}, 12),
    (9, {"questions_per_day": 8.64e6, "peak_factor": 1, "per_server_qps": 10,
         "headroom": 0.5}, 20),
    (10, {"transactions_per_day": 40e6, "peak_factor": 4}, 1_851.9),
    (11, {"posts_per_hour": 3.6e6}, 1_000),
]  # fmt: skip


def test_hidden_estimate_cases_agree_with_the_core():
    for number, inputs, expected in HIDDEN_ESTIMATES:
        value = practice.reference_estimate(number, **inputs).value
        assert value == pytest.approx(expected, rel=1e-4), number
        assert inputs != ASSUMPTIONS[number].inputs


def test_estimate_reference_passes_visible_and_hidden(capsys):
    check_problem_estimate(problem_estimate)
    assert "practice_estimates: all 14 visible checks passed" in capsys.readouterr().out
    expect_problem_estimate(problem_estimate, HIDDEN_ESTIMATES)


def _with(number, wrong):
    def answer(n, inputs):
        return wrong(inputs) if n == number else problem_estimate(n, inputs)

    return answer


@pytest.mark.parametrize(
    ("number", "wrong", "cause"),
    [
        (1, lambda a: a["daily_users"] * a["requests_per_user"] / 86_400, "peak factor"),
        (11, lambda a: a["posts_per_hour"] / 60, "3,600 seconds, not 60"),
        (3, lambda a: a["items"] * a["dimensions"] * a["bytes_per_value"] * 8, "bytes, not bits"),
        (5, lambda a: a["items"] * a["dimensions"], "4 bytes"),
        (6, lambda a: 3 / (100 * a["max_false_accept_rate"]), "fractions"),
        (7, lambda a: 1 / a["fps"], "1,000"),
        (9, lambda a: a["questions_per_day"] / 86_400 * a["peak_factor"]
         / (a["per_server_qps"] * (1 - a["headroom"])), "round up"),
        (9, lambda a: round(a["questions_per_day"] / 86_400 * a["peak_factor"]
         / (a["per_server_qps"] * (1 - a["headroom"]))), "round up"),
    ],
)  # fmt: skip
def test_estimate_slips_fail_with_their_cause(number, wrong, cause):
    with pytest.raises(Incorrect) as err:
        check_problem_estimate(_with(number, wrong))
        expect_problem_estimate(_with(number, wrong), HIDDEN_ESTIMATES)
    assert f"problem_estimate({number}," in err.value.message
    assert cause in (err.value.likely_cause or ""), err.value.likely_cause


def test_gaming_route_the_visible_table_fails_the_hidden_cases():
    table = {n: practice.reference_estimate(n).value for n in range(1, 12)}

    examples = {n: practice.reference_estimate(n, **inputs).value for n, inputs in OTHER_INPUTS}

    def typed_in(number, inputs):
        if inputs != ASSUMPTIONS[number].inputs:
            return examples.get(number, table[number])
        return table[number]

    check_problem_estimate(typed_in)  # the visible check cannot tell...
    with pytest.raises(Incorrect) as err:  # ...the grade can
        expect_problem_estimate(typed_in, HIDDEN_ESTIMATES)
    assert "read each from the inputs dict" in err.value.likely_cause


def test_estimate_none_strings_and_stub():
    with pytest.raises(Incorrect, match="returned None"):
        check_problem_estimate(lambda n, a: None)
    with pytest.raises(Incorrect, match="returned '33 ms'") as err:
        check_problem_estimate(lambda n, a: "33 ms")
    assert "not a str" in err.value.likely_cause
    with pytest.raises(Incorrect, match="returned True") as err:
        check_problem_estimate(lambda n, a: True)
    assert "not a bool" in err.value.likely_cause
    with pytest.raises(Incorrect, match="raised KeyError"):
        check_problem_estimate(lambda n, a: a["users"])

    def stub(number, inputs):
        raise NotImplementedError

    with pytest.raises(NotAttempted):
        check_problem_estimate(stub)


def test_the_learner_cannot_change_the_visible_inputs():
    def mutating(number, inputs):
        inputs.clear()
        return 0

    with pytest.raises(Incorrect):
        check_problem_estimate(mutating)
    assert ASSUMPTIONS[1].inputs["daily_users"] == 200e6


# --- exercise 2: pipeline_timing ----------------------------------------------------------


def pipeline_timing(stage_ms, copies):
    return _fps(stage_ms, copies), sum(stage_ms)


HIDDEN_PIPELINE = [
    ([40], [1], (25.0, 40.0), "one 40 ms stage."),
    ([5, 30, 30, 5], [1, 1, 1, 1], (33.333, 70.0), "30 FPS with 70 ms latency."),
    ([12, 45, 20], [1, 3, 1], (50.0, 77.0), "the 20 ms stage caps it."),
    ([20, 20], [2, 1], (50.0, 40.0), "the single 20 ms stage caps it."),
    ([1, 100], [1, 4], (40.0, 101.0), "four copies of 100 ms."),
    ([2.5, 2.5, 2.5], [1, 1, 1], (400.0, 7.5), "fast stages."),
]


def test_hidden_pipeline_cases_agree_with_the_core():
    for stages, copies, expected, _why in HIDDEN_PIPELINE:
        assert practice.pipeline_timing(stages, copies) == pytest.approx(expected, rel=1e-4)


def test_pipeline_reference_passes(capsys):
    check_pipeline_timing(pipeline_timing)
    assert "all 3 visible checks passed" in capsys.readouterr().out
    expect_pipeline_timing(pipeline_timing, HIDDEN_PIPELINE)
    # a list instead of a tuple, numpy numbers: both fine
    check_pipeline_timing(lambda s, c: list(practice.pipeline_timing(s, c)))
    check_pipeline_timing(lambda s, c: tuple(np.float64(x) for x in pipeline_timing(s, c)))


def _fps(stage_ms, copies, per_second=1000):
    return min(k * per_second / t for t, k in zip(stage_ms, copies, strict=True))


def _latency_per_copy(stage_ms, copies):
    return sum(t / k for t, k in zip(stage_ms, copies, strict=True))


@pytest.mark.parametrize(
    ("wrong", "cause"),
    [
        (lambda s, c: (1000 / sum(s), sum(s)), "the slowest stage sets the rate"),
        (lambda s, c: (1000 / max(s), sum(s)), "copies of a stage take turns"),
        (lambda s, c: (_fps(s, c), _latency_per_copy(s, c)), "raise throughput, not latency"),
        (lambda s, c: (_fps(s, c), max(s)), "sum of the stages"),
        (lambda s, c: (sum(s), _fps(s, c)), "the order"),
        (lambda s, c: (_fps(s, c, per_second=1), sum(s)), "frames per millisecond"),
        (lambda s, c: _fps(s, c), "return a pair"),
    ],
)
def test_pipeline_slips_fail_with_their_cause(wrong, cause):
    with pytest.raises(Incorrect) as err:
        check_pipeline_timing(wrong)
    assert cause in (err.value.likely_cause or ""), err.value.likely_cause


def test_pipeline_gaming_route_fails_hidden():
    seen = {(8, 3, 15, 2, 3, 1): (66.667, 32), (10, 50, 5): (20, 65)}

    def typed_in(stage_ms, copies):
        if tuple(copies) == (1, 2, 1):
            return 40, 65
        return seen[tuple(stage_ms)]

    check_pipeline_timing(typed_in)
    with pytest.raises(Incorrect):
        expect_pipeline_timing(typed_in, HIDDEN_PIPELINE)


def test_pipeline_none_and_stub():
    with pytest.raises(Incorrect, match="returned None"):
        check_pipeline_timing(lambda s, c: None)

    def stub(stage_ms, copies):
        raise NotImplementedError

    with pytest.raises(NotAttempted):
        check_pipeline_timing(stub)


# --- exercise 3: face unlock --------------------------------------------------------------


def face_ok(fa, imp, ta, gen):
    return 100 * fa / imp < 0.01 and 100 * ta / gen > 99.9


def face_ok_fractions(fa, imp, ta, gen):
    return fa / imp < 0.0001 and ta / gen > 0.999


HIDDEN_FACE = [
    (2, 10_000, 9_999, 10_000, False, ""),
    (0, 50_000, 99_950, 100_000, True, ""),
    (4, 40_000, 9_999, 10_000, False, ""),
    (3, 40_000, 9_999, 10_000, True, ""),
    (0, 30_000, 9_990, 10_000, False, ""),
    (0, 30_000, 19_999, 20_000, True, ""),
]


@pytest.mark.parametrize("fn", [face_ok, face_ok_fractions])
def test_face_check_accepts_percent_and_fraction_forms(fn):
    check_face_unlock(fn)
    expect_face_unlock(fn, HIDDEN_FACE)


def test_face_check_rejects_boundaries_mixed_units_and_the_visible_table():
    with pytest.raises(Incorrect) as err:
        check_face_unlock(lambda fa, imp, ta, gen: 100 * fa / imp <= 0.01 and ta / gen >= 0.999)
    assert "strict" in err.value.likely_cause
    with pytest.raises(Incorrect):
        check_face_unlock(lambda fa, imp, ta, gen: fa / imp < 0.01 and 100 * ta / gen > 99.9)
    with pytest.raises(Incorrect, match="returned None"):
        check_face_unlock(lambda fa, imp, ta, gen: None)

    def typed_in(fa, imp, ta, gen):
        return (fa, imp, ta, gen) == (0, 30_000, 9_995, 10_000)

    check_face_unlock(typed_in)
    with pytest.raises(Incorrect):
        expect_face_unlock(typed_in, HIDDEN_FACE)


# --- exercise 4: fraud targets ------------------------------------------------------------


def fraud_ok(y_true, y_pred):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    return bool(y_pred[y_true == 1].mean() > 0.9 and y_pred[y_true == 0].mean() < 0.02)


HIDDEN_FRAUD = [
    ((50, 46, 5000, 99), True, ""),
    ((50, 46, 5000, 100), False, ""),
    ((10, 9, 100, 0), False, ""),
    ((200, 181, 100, 1), True, ""),
    ((20, 20, 2000, 50), False, ""),
    ((100, 95, 20, 0), True, ""),
]


def test_fraud_reference_passes():
    check_fraud_targets(fraud_ok)
    expect_fraud_targets(fraud_ok, HIDDEN_FRAUD)
    check_fraud_targets(lambda t, p: fraud_ok(list(t), list(p)))


def test_fraud_wrong_denominator_boundary_and_visible_table_fail():
    def over_all(y_true, y_pred):
        y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
        fpr = ((y_pred == 1) & (y_true == 0)).sum() / len(y_true)
        return bool(y_pred[y_true == 1].mean() > 0.9 and fpr < 0.02)

    with pytest.raises(Incorrect) as err:
        check_fraud_targets(over_all)
    assert "2 %" in err.value.message and "frauds" in err.value.message

    def inclusive(y_true, y_pred):
        y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
        return bool(y_pred[y_true == 1].mean() >= 0.9 and y_pred[y_true == 0].mean() <= 0.02)

    with pytest.raises(Incorrect) as err:
        check_fraud_targets(inclusive)
    assert "strict" in err.value.likely_cause
    with pytest.raises(Incorrect, match="returned None"):
        check_fraud_targets(lambda t, p: None)
    with pytest.raises(Incorrect, match="a bool"):
        check_fraud_targets(lambda t, p: "yes")

    def typed_in(y_true, y_pred):
        return int(np.sum(y_pred)) == 105

    check_fraud_targets(typed_in)
    with pytest.raises(Incorrect):
        expect_fraud_targets(typed_in, HIDDEN_FRAUD)


def test_labels_builds_the_counts():
    y_true, y_pred = labels(10, 9, 100, 2)
    assert y_true.sum() == 10 and y_pred[y_true == 1].sum() == 9
    assert y_pred[y_true == 0].sum() == 2 and len(y_true) == 110
    assert math.isclose(practice.rates(y_true, y_pred)["recall_pct"], 90.0)


# --- exercise 5: flag_outcomes at the base rate -------------------------------------------


def flag_outcomes(recall, fpr, prevalence, per_day):
    caught = recall * prevalence * per_day
    false_alarms = fpr * (1 - prevalence) * per_day
    flagged = caught + false_alarms
    return (caught / flagged if flagged else 0.0), false_alarms


def _hidden(recall, fpr, prevalence, per_day):
    p = base_rates.operating_point(recall, fpr, prevalence, per_day)
    return (recall, fpr, prevalence, per_day), (p.precision, p.false_alarms_per_day), ""


HIDDEN_BASE_RATE = [
    ((0.95, 0.01, 0.01, 1e6), (0.48969, 9_900.0), ""),
    ((0.5, 0.001, 0.0001, 1e8), (0.047624, 99_990.0), ""),
    ((0.8, 0.0, 0.02, 5e6), (1.0, 0.0), ""),
    ((0.0, 0.1, 0.1, 1000), (0.0, 90.0), ""),
    ((1.0, 1.0, 0.3, 100), (0.3, 70.0), ""),
]


def test_hidden_base_rate_cases_agree_with_the_core():
    for args, expected, _why in HIDDEN_BASE_RATE:
        assert _hidden(*args)[1] == pytest.approx(expected, rel=1e-4, abs=1e-9)


def test_base_rate_reference_passes(capsys):
    check_flag_outcomes(flag_outcomes)
    assert "all 4 visible checks passed" in capsys.readouterr().out
    expect_flag_outcomes(flag_outcomes, HIDDEN_BASE_RATE)


@pytest.mark.parametrize(
    ("wrong", "cause"),
    [
        (lambda r, f, p, n: (100 * flag_outcomes(r, f, p, n)[0], flag_outcomes(r, f, p, n)[1]),
         "a fraction"),
        (lambda r, f, p, n: (r, flag_outcomes(r, f, p, n)[1]), "recall is flagged among"),
        (lambda r, f, p, n: (1 - flag_outcomes(r, f, p, n)[0], flag_outcomes(r, f, p, n)[1]),
         "legitimate"),
        (lambda r, f, p, n: (flag_outcomes(r, f, p, n)[0], f * n), "(1 − prevalence)"),
        (lambda r, f, p, n: (r * p / (f * (1 - p)), f * (1 - p) * n), "add both"),
        (lambda r, f, p, n: flag_outcomes(r, f, p, n)[0], "return a pair"),
    ],
)  # fmt: skip
def test_base_rate_slips_fail_with_their_cause(wrong, cause):
    with pytest.raises(Incorrect) as err:
        check_flag_outcomes(wrong)
    assert cause in (err.value.likely_cause or ""), err.value.likely_cause


def test_base_rate_division_by_zero_and_the_visible_table_fail():
    def no_guard(recall, fpr, prevalence, per_day):
        caught, false_alarms = recall * prevalence, fpr * (1 - prevalence)
        return caught / (caught + false_alarms), false_alarms * per_day

    with pytest.raises(Incorrect, match="ZeroDivisionError"):
        check_flag_outcomes(no_guard)
    seen = {0.001: {0.02: (0.0431, 2_997_000), 0.0005: (0.5457, 74_925)}}

    def typed_in(recall, fpr, prevalence, per_day):
        if prevalence == 0.5:
            return 0.9783, 10
        if recall == 0:
            return 0.0, 0.0
        return seen[prevalence][fpr]

    check_flag_outcomes(typed_in)
    with pytest.raises(Incorrect):
        expect_flag_outcomes(typed_in, HIDDEN_BASE_RATE)
    with pytest.raises(Incorrect, match="returned None"):
        check_flag_outcomes(lambda r, f, p, n: None)
