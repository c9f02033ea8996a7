"""mlsd.checks.chooser: the reference passes; plausible wrong answers fail and say why."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlsd import chooser
from mlsd.checks.chooser import VISIBLE_CASES, check_choose_model, expect_choices, likely_cause
from mlsd.checks.core import Case, CheckFailed, Incorrect, NotAttempted

# The notebook's hidden cases (solutions/06-tradeoffs), restated so these tests do not
# depend on the notebook's text.
HIDDEN = [
    (0.5, 99, "high", "simple", "0.5 ms leaves room for nothing else."),
    (49.99, 50, "low", "simple", "49.99 ms is under 50 ms."),
    (50.1, 91, "medium", "optimised_complex", "50.1 ms is in [50, 200) and 91% > 90%."),
    (50, 90, "high", "medium", "at 50 ms and exactly 90%, a medium model."),
    (50, 90.01, "high", "optimised_complex", "90.01% is above 90%."),
    (199.9, 100, "low", "optimised_complex", "199.9 ms is still under 200 ms."),
    (199.9, 60, "high", "medium", "199.9 ms is under 200 ms and 60% is not above 90%."),
    (200, 95, "medium", "most_accurate", "200 ms is not under 200 ms; cost is not low."),
    (200, 95, "low", "cached_batch", "200 ms is not under 200 ms; cost is low."),
    (200.1, 50, "high", "most_accurate", "above 200 ms with a high cost budget."),
    (5000, 95, "high", "most_accurate", "medical diagnosis: 5 s and accuracy matters."),
    (10, 80, "low", "simple", "ad CTR prediction: 10 ms."),
    (100, 92, "medium", "optimised_complex", "recommendations: 100 ms, 92%."),
]


# --- learners ---------------------------------------------------------------------------


def choose_model(latency_budget_ms, accuracy_requirement_pct, cost_budget):
    """The reference solution, as a learner writes it."""
    if latency_budget_ms < 50:
        return "simple"
    if latency_budget_ms < 200:
        return "optimised_complex" if accuracy_requirement_pct > 90 else "medium"
    return "cached_batch" if cost_budget == "low" else "most_accurate"


def make_learner(
    *,
    simple_le=False,
    medium_le=False,
    accuracy_ge=False,
    cost=None,
    top_asks_accuracy=False,
    names=None,
):
    """A learner's choose_model with one classic slip switched on."""
    names = {**{d: d for d in chooser.DECISIONS}, **(names or {})}

    def choose_model(latency_budget_ms, accuracy_requirement_pct, cost_budget):
        lat, acc = latency_budget_ms, accuracy_requirement_pct
        if (lat <= 50) if simple_le else (lat < 50):
            return names["simple"]
        if (lat <= 200) if medium_le else (lat < 200):
            high = (acc >= 90) if accuracy_ge else (acc > 90)
            return names["optimised_complex"] if high else names["medium"]
        if top_asks_accuracy:
            return names["optimised_complex"] if acc > 90 else names["medium"]
        if cost is not None:
            return names[cost]
        return names["cached_batch"] if cost_budget == "low" else names["most_accurate"]

    return choose_model


def returns_none(latency_budget_ms, accuracy_requirement_pct, cost_budget):
    if latency_budget_ms < 50:
        print("simple")  # print is not return
        return None
    return choose_model(latency_budget_ms, accuracy_requirement_pct, cost_budget)


def returns_decision(latency_budget_ms, accuracy_requirement_pct, cost_budget):
    return chooser.choose_model(latency_budget_ms, accuracy_requirement_pct, cost_budget)


def stub(latency_budget_ms, accuracy_requirement_pct, cost_budget):
    raise NotImplementedError


def compares_str_cost_as_number(latency_budget_ms, accuracy_requirement_pct, cost_budget):
    if latency_budget_ms >= 200:
        return "cached_batch" if cost_budget < 1 else "most_accurate"
    return choose_model(latency_budget_ms, accuracy_requirement_pct, cost_budget)


# --- the reference ----------------------------------------------------------------------


def test_reference_passes_the_visible_check(capsys):
    assert check_choose_model(choose_model) is None  # a number would read as partial credit
    out = capsys.readouterr().out
    assert f"all {len(VISIBLE_CASES)} visible checks passed" in out


def test_reference_passes_the_hidden_cases_quietly(capsys):
    expect_choices(choose_model, HIDDEN)
    assert capsys.readouterr().out == ""


def test_the_core_function_agrees_with_every_case():
    for case in VISIBLE_CASES:
        assert chooser.choose_model(*case.args).key == case.expected, case
    for lat, acc, cost, expected, _ in HIDDEN:
        assert chooser.choose_model(lat, acc, cost).key == expected


def test_visible_cases_cover_every_decision_and_the_50_ms_line():
    assert {c.expected for c in VISIBLE_CASES} == set(chooser.DECISIONS)
    assert any(c.args[0] == 50 for c in VISIBLE_CASES)
    assert any(c.args[1] == 90 for c in VISIBLE_CASES)


@given(
    st.floats(1e-3, 1e5),
    st.floats(0, 100),
    st.sampled_from(chooser.COST_BUDGETS),
)
def test_reference_agrees_with_the_core_everywhere(lat, acc, cost):
    expected = chooser.choose_model(lat, acc, cost).key
    expect_choices(choose_model, [(lat, acc, cost, expected, "core says so.")])


# --- wrong learners: the visible check --------------------------------------------------


WRONG_VISIBLE = [
    pytest.param(
        make_learner(simple_le=True),
        "choose_model(50, 85, 'medium') returned 'simple'; expected 'medium'",
        "at exactly 50 ms, 'under 50 ms' is false: use <, not <=.",
        id="le-50",
    ),
    pytest.param(
        make_learner(accuracy_ge=True),
        "choose_model(120, 90, 'low') returned 'optimised_complex'; expected 'medium'",
        "'above 90%' excludes 90% itself: use >, not >=.",
        id="ge-90",
    ),
    pytest.param(
        make_learner(cost="most_accurate"),
        "choose_model(500, 99, 'low') returned 'most_accurate'; expected 'cached_batch'",
        "a low cost budget should choose cached batch predictions.",
        id="cost-ignored-most-accurate",
    ),
    pytest.param(
        make_learner(cost="cached_batch"),
        "choose_model(500, 80, 'high') returned 'cached_batch'; expected 'most_accurate'",
        "only a *low* cost budget sends you to cached batch predictions.",
        id="cost-ignored-cached",
    ),
    pytest.param(
        make_learner(top_asks_accuracy=True),
        "choose_model(500, 99, 'low') returned 'optimised_complex'; expected 'cached_batch'",
        "the last branch (200 ms and more) asks about cost, not accuracy.",
        id="top-tier-asks-accuracy",
    ),
    pytest.param(
        make_learner(names={"optimised_complex": "optimized_complex"}),
        "choose_model(120, 95, 'low') returned 'optimized_complex'; expected 'optimised_complex'",
        "return exactly one of 'simple', 'medium', 'optimised_complex', 'cached_batch', "
        "'most_accurate' (check the spelling).",
        id="misspelled-optimized",
    ),
    pytest.param(
        make_learner(names={"simple": "Simple"}),
        "choose_model(10, 80, 'medium') returned 'Simple'; expected 'simple'",
        "(check the spelling)",
        id="capitalised",
    ),
    pytest.param(
        returns_decision,
        "returns_decision(10, 80, 'medium') returned Decision(key='simple'",
        "return exactly one of 'simple'",
        id="returns-decision-object",
    ),
    pytest.param(
        returns_none,
        "returns_none(10, 80, 'medium') returned None; expected 'simple'.",
        "the function has no `return` statement on this path (print is not return).",
        id="returns-none",
    ),
]


@pytest.mark.parametrize(("learner", "message", "cause"), WRONG_VISIBLE)
def test_wrong_learner_fails_the_visible_check_with_the_reason(learner, message, cause, capsys):
    with pytest.raises(Incorrect) as err:
        check_choose_model(learner)
    assert not isinstance(err.value, NotAttempted)
    assert err.value.exercise_id == "choose_model"
    assert err.value.message.startswith(message)
    assert "because" in err.value.message or "returned None" in err.value.message
    assert cause in err.value.likely_cause
    assert "passed" not in capsys.readouterr().out


@pytest.mark.parametrize(("learner", "message", "cause"), WRONG_VISIBLE)
def test_wrong_learner_fails_the_hidden_cases_too(learner, message, cause):
    with pytest.raises(Incorrect):
        expect_choices(learner, HIDDEN)


def test_le_200_fails_the_visible_check_now_that_200_ms_is_probed():
    # "under 200 ms" is a stated requirement: the visible check must enforce it (a visible
    # pass followed by a hidden failure would score 0 with no warning).
    learner = make_learner(medium_le=True)
    with pytest.raises(Incorrect) as err:
        check_choose_model(learner)
    assert err.value.message.startswith("choose_model(200, 85, 'medium') returned")
    assert err.value.likely_cause == "at exactly 200 ms, 'under 200 ms' is false: use <, not <=."
    with pytest.raises(Incorrect):
        expect_choices(learner, HIDDEN)


def test_visible_cases_probe_both_latency_lines_from_both_sides():
    latencies = {c.args[0] for c in VISIBLE_CASES}
    assert {49.9, 50, 199.5, 200} <= latencies


def test_a_lookup_of_the_visible_answers_fails_the_hidden_cases():
    answers = {c.args: c.expected for c in VISIBLE_CASES}

    def choose_model(latency_budget_ms, accuracy_requirement_pct, cost_budget):
        key = (latency_budget_ms, accuracy_requirement_pct, cost_budget)
        return answers.get(key, "medium")

    check_choose_model(choose_model)
    with pytest.raises(Incorrect):
        expect_choices(choose_model, HIDDEN)


def test_ge_90_at_50_ms_is_blamed_on_accuracy_not_on_latency():
    # At (50 ms, 90 %) a `>=` on accuracy is the slip; latency was compared correctly.
    with pytest.raises(Incorrect) as err:
        expect_choices(make_learner(accuracy_ge=True), HIDDEN)
    assert err.value.message.startswith("choose_model(50, 90, 'high') returned 'optimised_complex'")
    assert err.value.likely_cause == "'above 90%' excludes 90% itself: use >, not >=."


def test_stub_is_not_attempted():
    with pytest.raises(NotAttempted) as err:
        check_choose_model(stub)
    assert "NotImplementedError" in err.value.message
    with pytest.raises(NotAttempted):
        expect_choices(stub, HIDDEN)


def test_crash_is_incorrect_and_names_the_call():
    with pytest.raises(Incorrect) as err:
        check_choose_model(compares_str_cost_as_number)
    assert err.value.message.startswith(
        "calling compares_str_cost_as_number(500, 99, 'low') raised TypeError"
    )


def test_not_a_function_is_incorrect():
    with pytest.raises(Incorrect, match="expected a function, got str"):
        check_choose_model("simple")


def test_failures_are_assertion_errors():
    with pytest.raises(AssertionError):
        check_choose_model(make_learner(simple_le=True))
    assert issubclass(Incorrect, CheckFailed)


# --- likely_cause on its own ------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected", "actual", "cause"),
    [
        ((50, 85, "medium"), "medium", "simple", "use <, not <="),
        ((200, 95, "low"), "cached_batch", "optimised_complex", "use <, not <="),
        ((200, 80, "high"), "most_accurate", "medium", "use <, not <="),
        ((120, 90, "low"), "medium", "optimised_complex", "use >, not >="),
        ((50, 90, "high"), "medium", "optimised_complex", "use >, not >="),
        ((500, 80, "high"), "most_accurate", "cached_batch", "only a *low* cost budget"),
        ((500, 99, "low"), "cached_batch", "most_accurate", "a low cost budget should"),
        ((500, 99, "low"), "cached_batch", "medium", "asks about cost, not accuracy"),
        ((10, 80, "low"), "simple", "optimized_complex", "check the spelling"),
        ((10, 80, "low"), "simple", ["simple"], "check the spelling"),
        ((10, 80, "low"), "simple", 1, "check the spelling"),
    ],
)
def test_likely_cause_names_the_slip(args, expected, actual, cause):
    case = Case(args, expected, "")
    assert cause in likely_cause(case, actual)


def test_likely_cause_stays_silent_when_it_does_not_know():
    case = Case((120, 95, "low"), "optimised_complex", "")
    assert likely_cause(case, "simple") is None


def test_likely_cause_survives_a_numpy_array_answer():
    import numpy as np

    case = VISIBLE_CASES[0]
    assert "check the spelling" in likely_cause(case, np.array(["simple", "medium"]))
