"""mlsd.practice: the 11 problems, their estimates, targets and worked challenge models."""

from __future__ import annotations

import numpy as np
import pytest

from mlsd import practice
from mlsd.checks.practice import labels

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
    assert ref[10] == pytest.approx(150e6 / 86_400 * 3)


def test_every_problem_states_the_inputs_its_estimate_needs():
    for number, a in practice.ASSUMPTIONS.items():
        assert tuple(a.inputs) == practice.ESTIMATE_INPUTS[a.estimate], number


def test_reference_estimate_takes_other_inputs():
    assert practice.reference_estimate(1, peak_factor=5).value == pytest.approx(
        200e6 * 10 / 86_400 * 5
    )
    assert practice.reference_estimate(9, questions_per_day=1e5).value == 1  # ceil(0.5)
    assert practice.reference_estimate(6, max_false_accept_rate=0.001).value == pytest.approx(3000)
    assert practice.reference_estimate(7, fps=60).value == pytest.approx(1000 / 60)
    with pytest.raises(ValueError, match="problem 1's estimate takes daily_users"):
        practice.reference_estimate(1, users=5)
    with pytest.raises(ValueError, match="fps must be in"):
        practice.reference_estimate(7, fps=0)


def test_worksheet_inputs_take_overrides_and_reject_unknown_names():
    inputs = practice.worksheet_inputs(1, peak_factor=5)
    assert inputs["peak_factor"] == 5 and inputs["latency_ms"] == 200
    with pytest.raises(ValueError, match="unknown calculator inputs"):
        practice.worksheet_inputs(1, users=5)


def test_pipeline_timing_separates_throughput_from_latency():
    assert practice.pipeline_timing([8, 3, 15, 2, 3, 1]) == pytest.approx((1000 / 15, 32))
    assert practice.pipeline_timing([10, 50, 5]) == pytest.approx((20, 65))
    # Two copies of the slow stage double the frame rate, not the latency.
    assert practice.pipeline_timing([10, 50, 5], [1, 2, 1]) == pytest.approx((40, 65))
    assert practice.pipeline_timing([10, 50, 5], [1, 4, 1]) == pytest.approx((80, 65))
    for bad in ([], [0, 5], [float("nan")], [[1, 2]]):
        with pytest.raises(ValueError, match="stage_ms"):
            practice.pipeline_timing(bad)
    with pytest.raises(ValueError, match="copies must be one whole number"):
        practice.pipeline_timing([10, 20], [1])
    with pytest.raises(ValueError, match="copies"):
        practice.pipeline_timing([10, 20], [1, 1.5])


def test_rule_of_three():
    assert practice.impostor_attempts_needed(0.0001) == pytest.approx(30_000)
    with pytest.raises(ValueError, match="max_false_accept_rate"):
        practice.impostor_attempts_needed(0)


def test_cold_start_weight_grows_with_interactions():
    w = practice.cold_start_weight([0, 1, 5, 20], prior_strength=5)
    assert w == pytest.approx([0, 1 / 6, 0.5, 0.8])
    with pytest.raises(ValueError, match="interactions"):
        practice.cold_start_weight([-1])
    with pytest.raises(ValueError, match="prior_strength"):
        practice.cold_start_weight([1], prior_strength=0)


def test_share_missed_before_indexing():
    missed = practice.share_missed_before_indexing([0, 48, 96], half_life_h=48)
    assert missed == pytest.approx([0, 0.5, 0.75])
    with pytest.raises(ValueError, match="delay_h"):
        practice.share_missed_before_indexing([-1], 48)


def test_mean_recall_between_retrains_falls_with_a_longer_cycle():
    assert practice.mean_recall_between_retrains(0.9, 0.0, 4) == 0.9
    weekly = practice.mean_recall_between_retrains(0.9, 0.1, 1)
    monthly = practice.mean_recall_between_retrains(0.9, 0.1, 4)
    assert 0.9 > weekly > monthly > 0.9 * 0.9**4
    # the closed form agrees with averaging the decay curve numerically
    t = np.linspace(0, 4, 100_001)
    assert monthly == pytest.approx(np.mean(0.9 * 0.9**t), rel=1e-4)
    with pytest.raises(ValueError, match="weekly_evasion"):
        practice.mean_recall_between_retrains(0.9, 1.0, 4)


def test_prompt_tokens_grow_quadratically_without_a_window():
    full = practice.prompt_tokens_per_turn(4, tokens_per_exchange=100, system_tokens=10)
    assert list(full) == [110, 210, 310, 410]
    window = practice.prompt_tokens_per_turn(
        4, tokens_per_exchange=100, system_tokens=10, keep_last=1, summary_tokens=30
    )
    assert list(window) == [110, 210, 240, 240]
    long_full = practice.prompt_tokens_per_turn(40).sum()
    long_window = practice.prompt_tokens_per_turn(40, keep_last=4).sum()
    assert long_full > 2 * long_window
    with pytest.raises(ValueError, match="turns"):
        practice.prompt_tokens_per_turn(0)


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
