"""mlsd.practice and mlsd.checks.practice: the 11 problems, their estimates and targets."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mlsd import practice
from mlsd.checks.core import Incorrect, NotAttempted
from mlsd.checks.practice import (
    check_face_unlock,
    check_frame_budget,
    check_fraud_targets,
    check_problem_estimates,
    expect_face_unlock,
    expect_fraud_targets,
    expect_problem_estimates,
    labels,
)

# --- core -----------------------------------------------------------------------------


def test_all_eleven_problems_load_with_the_guides_numbers():
    problems = practice.problems()
    assert [p.number for p in problems] == list(range(1, 12))
    assert problems[0].users == 200e6 and problems[0].items == 10e3
    assert problems[0].latency_ms == 200
    assert practice.problem(7).fps == 30 and practice.problem(7).latency_ms == 33
    assert practice.problem(11).posts_per_hour == 1e6
    assert {p.domain for p in problems} == {"recommendations", "search", "vision", "nlp", "fraud"}
    assert all(p.pattern in practice.PATTERNS for p in problems)
    assert all(p.number in practice.ASSUMPTIONS for p in problems)


def test_targets_are_parsed_with_strict_boundaries():
    face = practice.problem(6).targets
    assert [str(t) for t in face] == ["accuracy_pct > 99.9", "false_accept_pct < 0.01"]
    fraud = {str(t) for t in practice.problem(10).targets}
    assert fraud == {"recall_pct > 90", "false_positive_pct < 2"}
    assert practice.meets_targets(10, recall_pct=90, false_positive_pct=1) == {
        "recall_pct > 90": False,
        "false_positive_pct < 2": True,
    }
    assert all(practice.meets_targets(6, accuracy_pct=99.95, false_accept_pct=0.005).values())
    assert not practice.meets_targets(6, accuracy_pct=99.95, false_accept_pct=0.01)[
        "false_accept_pct < 0.01"
    ]


@pytest.mark.parametrize("text", ["recall>", "recall=5", ">5", "recall_pct>abc"])
def test_bad_target_text_is_rejected(text):
    with pytest.raises(ValueError, match="targets must look like"):
        practice.parse_targets(text)


def test_empty_target_cell_means_no_targets():
    assert practice.parse_targets(float("nan")) == () == practice.parse_targets("")


def test_meets_targets_bad_input_names_the_problem():
    with pytest.raises(ValueError, match="states no metric target"):
        practice.meets_targets(1, recall_pct=50)
    with pytest.raises(ValueError, match="false_positive_pct is missing"):
        practice.meets_targets(10, recall_pct=95)
    with pytest.raises(ValueError, match=r"recall_pct must be in \[0, 100\] %; got 120"):
        practice.meets_targets(10, recall_pct=120, false_positive_pct=1)


@pytest.mark.parametrize("bad", [0, 12, 1.5, "1", True])
def test_problem_number_out_of_range(bad):
    with pytest.raises(ValueError, match=r"number must be a whole number in \[1, 11\]"):
        practice.problem(bad)


def test_reference_estimates_match_the_worked_examples():
    ref = practice.reference_estimates()
    assert ref[1] == pytest.approx(200e6 * 10 / 86_400 * 3)
    assert ref[7] == pytest.approx(1000 / 30)
    assert ref[11] == pytest.approx(1e6 / 3600)
    assert ref[6] == pytest.approx(30_000)
    assert ref[9] == 25
    assert ref[4] == pytest.approx(2.4e14)


def test_worksheet_inputs_take_overrides_and_reject_unknown_names():
    inputs = practice.worksheet_inputs(1, peak_factor=5)
    assert inputs["peak_factor"] == 5 and inputs["latency_ms"] == 200
    assert practice.reference_estimate(1, peak_factor=5).value == pytest.approx(
        200e6 * 10 / 86_400 * 5
    )
    with pytest.raises(ValueError, match="unknown calculator inputs"):
        practice.worksheet_inputs(1, users=5)


def test_frame_budget_and_rule_of_three():
    assert practice.frame_budget_ms(30) == pytest.approx(33.333, rel=1e-4)
    assert practice.frame_budget_ms(30, 40) < 0
    with pytest.raises(ValueError, match="fps must be in"):
        practice.frame_budget_ms(0)
    assert practice.impostor_attempts_needed(0.0001) == pytest.approx(30_000)
    with pytest.raises(ValueError, match="max_false_accept_rate"):
        practice.impostor_attempts_needed(0)


def test_rates_by_class():
    y_true, y_pred = labels(100, 95, 1000, 20)
    assert practice.rates(y_true, y_pred) == {"recall_pct": 95.0, "false_positive_pct": 2.0}
    with pytest.raises(ValueError, match="same length"):
        practice.rates([1, 0], [1])
    with pytest.raises(ValueError, match="both classes"):
        practice.rates([1, 1], [1, 0])


def test_pattern_link_points_at_section_5():
    link = practice.problem(10).pattern_link()
    assert "05-common-ml-systems/common-ml-systems.ipynb" in link and "Fraud" in link


# --- checks: the reference passes, wrong answers fail with the intended reason ----------
REFERENCE = practice.reference_estimates()


def reference_estimates():
    return dict(REFERENCE)


def test_estimates_reference_passes_visible_and_hidden(capsys):
    check_problem_estimates(reference_estimates)
    assert "visible checks passed" in capsys.readouterr().out
    expect_problem_estimates(reference_estimates, REFERENCE)


def _with(**changes):
    def problem_estimates():
        return {**REFERENCE, **{int(k[1:]): v for k, v in changes.items()}}

    return problem_estimates


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"p1": 200e6 * 10 / 86_400}, "multiply the average by the peak factor"),
        ({"p11": 1e6 / 1000}, None),
        ({"p3": 80e6 * 128 * 4 * 8}, "bytes, not bits"),
        ({"p6": 3 / 0.01}, "fractions"),
    ],
)
def test_estimates_wrong_answers_fail_with_reason(changes, reason):
    with pytest.raises(Incorrect) as err:
        expect_problem_estimates(_with(**changes), REFERENCE)
    number = int(next(iter(changes))[1:])
    assert f"problem {number}" in err.value.message
    if reason:
        assert reason in (err.value.likely_cause or "")


def test_estimates_missing_keys_none_and_stub():
    with pytest.raises(Incorrect, match=r"no entry for problem\(s\) \[11\]"):
        check_problem_estimates(lambda: {n: 1.0 for n in range(1, 11)})
    with pytest.raises(Incorrect, match="returned None"):
        check_problem_estimates(lambda: None)
    with pytest.raises(Incorrect, match="expected a number"):
        check_problem_estimates(lambda: {**REFERENCE, 7: "33 ms"})

    def problem_estimates():
        raise NotImplementedError

    with pytest.raises(NotAttempted):
        check_problem_estimates(problem_estimates)


def test_frame_budget_check_both_directions():
    check_frame_budget(lambda fps, other: 1000 / fps - other)
    with pytest.raises(Incorrect) as err:
        check_frame_budget(lambda fps, other: 1 / fps - other / 1000)
    assert "milliseconds" in err.value.likely_cause
    with pytest.raises(Incorrect) as err:
        expect_frame_budget_cases(lambda fps, other: max(0.0, 1000 / fps - other))
    assert "do not clamp" in err.value.likely_cause


def expect_frame_budget_cases(fn):
    from mlsd.checks.practice import expect_frame_budget

    expect_frame_budget(fn, [(30, 40, -6.667, "misses by 6.7 ms.")])


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


def test_face_check_rejects_boundaries_and_mixed_units():
    with pytest.raises(Incorrect) as err:
        check_face_unlock(lambda fa, imp, ta, gen: 100 * fa / imp <= 0.01 and ta / gen >= 0.999)
    assert "strict" in err.value.likely_cause
    with pytest.raises(Incorrect):
        check_face_unlock(lambda fa, imp, ta, gen: fa / imp < 0.01 and 100 * ta / gen > 99.9)
    with pytest.raises(Incorrect, match="returned None"):
        check_face_unlock(lambda fa, imp, ta, gen: None)


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
    # lists work too
    check_fraud_targets(lambda t, p: fraud_ok(list(t), list(p)))


def test_fraud_wrong_denominator_and_boundary_fail():
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


def test_labels_builds_the_counts():
    y_true, y_pred = labels(10, 9, 100, 2)
    assert y_true.sum() == 10 and y_pred[y_true == 1].sum() == 9
    assert y_pred[y_true == 0].sum() == 2 and len(y_true) == 110
    assert math.isclose(practice.rates(y_true, y_pred)["recall_pct"], 90.0)
