"""mlsd.chooser: every branch and boundary of the accuracy-vs-latency framework."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlsd.chooser import (
    CANDIDATE_BY_KEY,
    CANDIDATES,
    COST_BUDGETS,
    DECISIONS,
    HIGH_ACCURACY_PCT,
    MEDIUM_LIMIT_MS,
    PRESETS,
    SIMPLE_LIMIT_MS,
    Decision,
    choose_model,
    validate_inputs,
)

TIER = {"simple": 0, "medium": 1, "optimised_complex": 1, "cached_batch": 2, "most_accurate": 2}
TIER_BOUNDS_MS = [
    (0.0, SIMPLE_LIMIT_MS),
    (SIMPLE_LIMIT_MS, MEDIUM_LIMIT_MS),
    (MEDIUM_LIMIT_MS, math.inf),
]

latencies = st.floats(min_value=1e-6, max_value=1e7, allow_nan=False)
accuracies = st.floats(min_value=0, max_value=100, allow_nan=False)
costs = st.sampled_from(COST_BUDGETS)


def key(*args):
    return choose_model(*args).key


def test_constants_match_the_guide():
    assert (SIMPLE_LIMIT_MS, MEDIUM_LIMIT_MS, HIGH_ACCURACY_PCT) == (50.0, 200.0, 90.0)
    assert COST_BUDGETS == ("low", "medium", "high")
    assert set(DECISIONS) == set(TIER) == set(CANDIDATE_BY_KEY)


# --- every branch -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("latency", "accuracy", "cost", "expected"),
    [
        # under 50 ms: simple, whatever the accuracy or the cost
        (10, 80, "medium", "simple"),
        (0.001, 100, "high", "simple"),
        (49.9, 99, "low", "simple"),
        (49.999999, 0, "high", "simple"),
        # 50 ms exactly is not under 50 ms
        (50, 85, "medium", "medium"),
        (50, 95, "medium", "optimised_complex"),
        (50.1, 85, "low", "medium"),
        (50.1, 91, "high", "optimised_complex"),
        # accuracy: 90 is not above 90, 90.01 is
        (120, 90, "low", "medium"),
        (120, 90.01, "low", "optimised_complex"),
        (120, 89.99, "high", "medium"),
        (120, 0, "high", "medium"),
        (120, 100, "high", "optimised_complex"),
        # 199.9 ms is still under 200 ms; 200 ms is not
        (199.9, 95, "low", "optimised_complex"),
        (199.9, 60, "high", "medium"),
        (199.999999, 95, "low", "optimised_complex"),
        (200, 95, "low", "cached_batch"),
        (200, 95, "medium", "most_accurate"),
        (200, 95, "high", "most_accurate"),
        (200.1, 50, "high", "most_accurate"),
        # 200 ms and more: cost decides, accuracy does not
        (500, 99, "low", "cached_batch"),
        (500, 10, "low", "cached_batch"),
        (500, 80, "medium", "most_accurate"),
        (500, 80, "high", "most_accurate"),
        (1e9, 0, "high", "most_accurate"),
    ],
)
def test_branches_and_boundaries(latency, accuracy, cost, expected):
    assert key(latency, accuracy, cost) == expected


@pytest.mark.parametrize("cost", COST_BUDGETS)
@pytest.mark.parametrize("accuracy", [0, 50, 90, 90.01, 100])
def test_cost_only_matters_from_200_ms(cost, accuracy):
    assert key(49.9, accuracy, cost) == "simple"
    assert key(120, accuracy, cost) == ("optimised_complex" if accuracy > 90 else "medium")
    assert key(250, accuracy, cost) == ("cached_batch" if cost == "low" else "most_accurate")


def test_accepts_numpy_and_integer_inputs():
    assert key(np.float64(49.9), np.int64(95), "high") == "simple"
    assert key(np.int32(120), np.float32(95.5), "low") == "optimised_complex"


def test_decision_exposes_its_candidate():
    decision = choose_model(10, 80, "medium")
    assert isinstance(decision, Decision)
    assert decision.candidate is CANDIDATE_BY_KEY["simple"]
    assert decision.candidate.key == decision.key


# --- presets ----------------------------------------------------------------------------


def test_three_presets_give_the_guide_examples():
    by_name = {p.name: p for p in PRESETS}
    assert len(PRESETS) == 3
    expected = {
        "Ad CTR prediction": "simple",
        "Medical diagnosis": "most_accurate",
        "Recommendations": "optimised_complex",
    }
    assert set(by_name) == set(expected)
    for name, decision in expected.items():
        p = by_name[name]
        assert key(p.latency_budget_ms, p.accuracy_requirement_pct, p.cost_budget) == decision
        assert p.story


def test_presets_are_valid_inputs():
    for p in PRESETS:
        validate_inputs(p.latency_budget_ms, p.accuracy_requirement_pct, p.cost_budget)


# --- the path names the rule that fired -------------------------------------------------


def test_path_simple():
    path = choose_model(10, 80, "medium").path
    assert path == ("budget 10 ms < 50 ms → only a simple model fits",)


def test_path_medium():
    path = choose_model(120, 90, "low").path
    assert len(path) == 2
    assert "50 ms ≤ budget 120 ms < 200 ms" in path[0]
    assert "accuracy 90% ≤ 90%" in path[1] and "medium model is enough" in path[1]


def test_path_optimised_complex():
    path = choose_model(50, 95.5, "high").path
    assert "50 ms ≤ budget 50 ms < 200 ms" in path[0]
    assert "accuracy 95.5% > 90%" in path[1] and "optimise a complex model" in path[1]


def test_path_cached_batch():
    path = choose_model(200, 70, "low").path
    assert "budget 200 ms ≥ 200 ms" in path[0] and "not the constraint" in path[0]
    assert "cost budget is low" in path[1] and "cache" in path[1]


@pytest.mark.parametrize("cost", ["medium", "high"])
def test_path_most_accurate_names_the_cost(cost):
    path = choose_model(5000, 95, cost).path
    assert "budget 5000 ms ≥ 200 ms" in path[0]
    assert f"cost budget is {cost}" in path[1] and "most accurate" in path[1]


@given(latencies, accuracies, costs)
def test_path_mentions_the_budget_and_the_deciding_question(latency, accuracy, cost):
    decision = choose_model(latency, accuracy, cost)
    assert f"budget {latency:g} ms" in decision.path[0]
    assert len(decision.path) == (1 if decision.key == "simple" else 2)
    if decision.key in ("medium", "optimised_complex"):
        assert f"accuracy {accuracy:g}%" in decision.path[1]
    if decision.key in ("cached_batch", "most_accurate"):
        assert f"cost budget is {cost}" in decision.path[1]


# --- bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "start"),
    [
        ((-5, 80, "low"), "latency_budget_ms must be > 0 ms; got -5."),
        ((0, 80, "low"), "latency_budget_ms must be > 0 ms; got 0."),
        ((-0.0, 80, "low"), "latency_budget_ms must be > 0 ms; got -0."),
        ((math.nan, 80, "low"), "latency_budget_ms must be a finite number > 0 ms; got nan."),
        ((math.inf, 80, "low"), "latency_budget_ms must be a finite number > 0 ms; got inf."),
        (("10", 80, "low"), "latency_budget_ms must be a number > 0 ms; got '10'."),
        ((None, 80, "low"), "latency_budget_ms must be a number > 0 ms; got None."),
        ((True, 80, "low"), "latency_budget_ms must be a number > 0 ms; got True."),
        ((10, 100.5, "low"), "accuracy_requirement_pct must be in [0, 100] %; got 100.5."),
        ((10, 101, "low"), "accuracy_requirement_pct must be in [0, 100] %; got 101."),
        ((10, -1, "low"), "accuracy_requirement_pct must be in [0, 100] %; got -1."),
        ((10, math.nan, "low"), "accuracy_requirement_pct must be a finite number in [0, 100] %"),
        ((10, "90%", "low"), "accuracy_requirement_pct must be a number in [0, 100] %; got '90%'."),
        ((10, 0.9, "cheap"), "cost_budget must be one of 'low', 'medium', 'high'; got 'cheap'."),
        ((10, 90, "Low"), "cost_budget must be one of 'low', 'medium', 'high'; got 'Low'."),
        ((10, 90, None), "cost_budget must be one of 'low', 'medium', 'high'; got None."),
        ((10, 90, 1), "cost_budget must be one of 'low', 'medium', 'high'; got 1."),
    ],
    ids=repr,
)
def test_bad_input_names_the_argument_and_the_range(args, start):
    with pytest.raises(ValueError) as err:
        choose_model(*args)
    assert str(err.value).startswith(start)


def test_bad_latency_is_reported_before_other_bad_inputs():
    with pytest.raises(ValueError, match="^latency_budget_ms"):
        choose_model(-1, 500, "gold")


@pytest.mark.parametrize(("accuracy"), [0, 100])
def test_accuracy_range_is_inclusive(accuracy):
    assert key(10, accuracy, "low") == "simple"


@given(st.floats(max_value=0, allow_nan=False), accuracies, costs)
def test_any_non_positive_latency_is_rejected(latency, accuracy, cost):
    with pytest.raises(ValueError, match=r"^latency_budget_ms must be .*> 0 ms"):
        choose_model(latency, accuracy, cost)


@given(latencies, st.one_of(st.floats(max_value=-1e-9), st.floats(min_value=100.000001)), costs)
def test_any_accuracy_outside_0_100_is_rejected(latency, accuracy, cost):
    with pytest.raises(ValueError, match=r"^accuracy_requirement_pct must be .*in \[0, 100\] %"):
        choose_model(latency, accuracy, cost)


@given(latencies, accuracies, st.text().filter(lambda s: s not in COST_BUDGETS))
def test_any_other_cost_is_rejected(latency, accuracy, cost):
    with pytest.raises(ValueError, match=r"^cost_budget must be one of 'low', 'medium', 'high'"):
        choose_model(latency, accuracy, cost)


# --- properties -------------------------------------------------------------------------


@given(latencies, latencies, accuracies, costs)
def test_tier_never_goes_back_as_the_budget_grows(a, b, accuracy, cost):
    low, high = sorted((a, b))
    assert TIER[key(low, accuracy, cost)] <= TIER[key(high, accuracy, cost)]


@given(latencies, accuracies, costs)
def test_tier_is_set_by_latency_alone(latency, accuracy, cost):
    tier = TIER[key(latency, accuracy, cost)]
    lo, hi = TIER_BOUNDS_MS[tier]
    assert lo <= latency < hi


@given(latencies, accuracies, accuracies, costs)
def test_higher_accuracy_never_picks_a_less_capable_model_in_a_tier(latency, a, b, cost):
    low, high = sorted((a, b))
    k_low, k_high = key(latency, low, cost), key(latency, high, cost)
    assert TIER[k_low] == TIER[k_high]
    if k_low == "optimised_complex":
        assert k_high == "optimised_complex"


@given(latencies, accuracies, costs)
def test_chosen_candidate_fits_inside_its_tier(latency, accuracy, cost):
    decision = choose_model(latency, accuracy, cost)
    lo, hi = TIER_BOUNDS_MS[TIER[decision.key]]
    # the model alone is faster than the tier's limit, and fits any budget from the tier's floor
    assert decision.candidate.latency_ms < hi
    if lo > 0:
        assert decision.candidate.latency_ms <= lo


@pytest.mark.parametrize("candidate", CANDIDATES, ids=lambda c: c.key)
def test_each_candidate_sits_inside_the_tier_that_selects_it(candidate):
    lo, hi = TIER_BOUNDS_MS[TIER[candidate.key]]
    assert candidate.latency_ms < hi
    assert lo == 0 or candidate.latency_ms <= lo
    if candidate.key == "optimised_complex":
        assert candidate.accuracy_pct > HIGH_ACCURACY_PCT
    if candidate.key == "medium":
        assert candidate.accuracy_pct <= HIGH_ACCURACY_PCT
    if candidate.key == "most_accurate":
        assert candidate.accuracy_pct == max(c.accuracy_pct for c in CANDIDATES)


@pytest.mark.parametrize("decision", DECISIONS)
def test_every_decision_is_reachable_and_has_a_candidate(decision):
    examples = {
        "simple": (10, 80, "low"),
        "medium": (100, 80, "low"),
        "optimised_complex": (100, 95, "low"),
        "cached_batch": (300, 80, "low"),
        "most_accurate": (300, 80, "high"),
    }
    result = choose_model(*examples[decision])
    assert result.key == decision
    assert result.candidate.key == decision


def test_candidate_keys_are_unique():
    assert len({c.key for c in CANDIDATES}) == len(CANDIDATES)
