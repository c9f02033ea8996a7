"""mlsd.checks.processing: a rule over scenario properties; lookups and constants fail."""

from __future__ import annotations

import pytest

from mlsd.checks.core import Incorrect, NotAttempted
from mlsd.checks.engine import NO_RETURN
from mlsd.checks.processing import (
    VISIBLE_CASES,
    WHAT_IFS,
    check_classify_scenario,
    expect_modes,
)
from mlsd.processing import MODES, SCENARIOS

N = len(VISIBLE_CASES)

# Held-out scenarios as a notebook's hidden test writes them.
HELD_OUT = [
    ("search", True, 300.0, 100_000_000, 0.001, "hybrid"),
    ("eta", True, 500.0, 1, 5.0, "real-time"),
    ("credit-review", False, 3_600_000.0, 500_000, 0.2, "batch"),
    ("trending-page", False, 150.0, 2_000_000, 0.01, "batch"),
    ("exact", True, 50.0, 100, 0.5, "real-time"),
    ("just-over", True, 50.0, 101, 0.5, "hybrid"),
]


def classify_scenario(scenario):
    """The reference solution, as a learner writes it."""
    if not scenario["needs_request_data"]:
        return "batch"
    if scenario["items_to_score"] * scenario["ms_per_item"] <= scenario["budget_ms"]:
        return "real-time"
    return "hybrid"


def lookup_by_id(scenario):
    """Gaming: the visible answers copied into a table keyed by id."""
    answers = {s.id: s.mode for s in SCENARIOS}
    return answers.get(scenario["id"], "hybrid")


def constant(mode):
    def classify_scenario(scenario):
        return mode

    return classify_scenario


def someone_waiting(scenario):
    """Misreading: anyone waiting (a short budget) means real-time."""
    if scenario["budget_ms"] <= 1000:
        return "real-time" if scenario["needs_request_data"] else "real-time"
    return "batch"


def never_hybrid(scenario):
    return "real-time" if scenario["needs_request_data"] else "batch"


def strict_fit(scenario):
    if not scenario["needs_request_data"]:
        return "batch"
    if scenario["items_to_score"] * scenario["ms_per_item"] < scenario["budget_ms"]:
        return "real-time"
    return "hybrid"


def fit_first(scenario):
    """Asks the budget question first: a precomputable answer that is costly looks hybrid."""
    if scenario["items_to_score"] * scenario["ms_per_item"] > scenario["budget_ms"]:
        return "hybrid"
    return "real-time" if scenario["needs_request_data"] else "batch"


def lines_of(out):
    return [line for line in out.splitlines() if line.startswith("  ")]


def test_reference_passes_with_one_tick_per_case(capsys):
    assert check_classify_scenario(classify_scenario) is None
    out = capsys.readouterr().out
    lines = lines_of(out)
    assert len(lines) == N == len(SCENARIOS) + len(WHAT_IFS)
    for line, case in zip(lines, VISIBLE_CASES, strict=True):
        assert line.startswith(f"  ✓ {case.id}: {case.expected} — ")
    assert f"all {N} visible checks passed" in out


def test_reference_passes_the_hidden_helper_quietly(capsys):
    assert expect_modes(classify_scenario, HELD_OUT) is None
    assert capsys.readouterr().out == ""


def test_visible_cases_follow_the_core_rule():
    assert {c.expected for c in VISIBLE_CASES} == set(MODES)
    what_if_ids = {s.id for s in WHAT_IFS}
    assert what_if_ids.isdisjoint({s.id for s in SCENARIOS})


@pytest.mark.parametrize("mode", MODES)
def test_one_mode_for_everything_fails_visibly(mode, capsys):
    with pytest.raises(Incorrect) as err:
        check_classify_scenario(constant(mode))
    right = sum(c.expected == mode for c in VISIBLE_CASES)
    wrong_ids = [c.id for c in VISIBLE_CASES if c.expected != mode]
    assert err.value.message == f"{N - right} of {N} scenarios are not right yet: {wrong_ids}."
    assert err.value.likely_cause == (
        "every scenario got the same mode: decide from the scenario's properties."
    )
    assert "visible checks passed" not in capsys.readouterr().out


def test_lookup_by_id_fails_visibly_on_the_what_ifs(capsys):
    with pytest.raises(Incorrect) as err:
        check_classify_scenario(lookup_by_id)
    assert "read the properties of the scenario you are given" in err.value.likely_cause
    out = capsys.readouterr().out
    assert "✗ card-fraud/deep-ensemble" in out or "✗ home-feed/logged-out" in out


@pytest.mark.parametrize(
    ("wrong", "expected_line"),
    [
        (someone_waiting, "✗ also-bought: you said real-time; nothing in this answer depends"),
        (never_hybrid, "✗ home-feed: you said real-time; the whole answer (5,000,000 items"),
        (strict_fit, "✗ ad-auction/exact-fit: you said hybrid; the whole answer (40 items x"),
        (fit_first, "✗ also-bought: you said hybrid; nothing in this answer depends"),
    ],
    ids=["someone-waiting", "never-hybrid", "strict-fit", "fit-first"],
)
def test_plausible_wrong_rules_fail_and_say_why(wrong, expected_line, capsys):
    with pytest.raises(Incorrect):
        check_classify_scenario(wrong)
    assert expected_line in capsys.readouterr().out
    with pytest.raises(Incorrect):
        expect_modes(wrong, HELD_OUT)


def test_wrong_answer_names_the_fact_not_the_mode(capsys):
    with pytest.raises(Incorrect):
        check_classify_scenario(never_hybrid)
    line = next(x for x in lines_of(capsys.readouterr().out) if "✗ home-feed" in x)
    assert "hybrid" not in line.split("you said real-time;")[1]


def test_none_points_at_the_missing_return(capsys):
    with pytest.raises(Incorrect) as err:
        check_classify_scenario(lambda scenario: None)
    assert err.value.likely_cause == NO_RETURN
    assert "✗ card-fraud: returned None." in capsys.readouterr().out


def test_misspelled_mode_is_named(capsys):
    def realtime(scenario):
        mode = classify_scenario(scenario)
        return "realtime" if mode == "real-time" else mode

    with pytest.raises(Incorrect):
        check_classify_scenario(realtime)
    assert "'realtime' is not one of batch, real-time, hybrid." in capsys.readouterr().out


def test_the_learner_gets_a_copy_of_each_scenario():
    def vandal(scenario):
        mode = classify_scenario(scenario)
        scenario["needs_request_data"] = not scenario["needs_request_data"]
        return mode

    check_classify_scenario(vandal)
    check_classify_scenario(classify_scenario)  # the cases are unchanged


def test_stub_is_not_attempted():
    def classify_scenario(scenario):
        raise NotImplementedError

    with pytest.raises(NotAttempted) as err:
        check_classify_scenario(classify_scenario)
    assert err.value.exercise_id == "classify_scenarios"
    with pytest.raises(NotAttempted):
        expect_modes(classify_scenario, HELD_OUT)


def test_crash_is_incorrect():
    with pytest.raises(Incorrect, match="raised KeyError"):
        check_classify_scenario(lambda scenario: scenario["latency"])


def test_hidden_helper_names_the_wrong_ids():
    with pytest.raises(Incorrect) as err:
        expect_modes(strict_fit, HELD_OUT)
    assert err.value.message == "1 of 6 held-out scenario(s) classified wrongly: ['exact']."


def test_pass_count_is_counted_not_written(capsys):
    check_classify_scenario(classify_scenario)
    assert f"all {len(SCENARIOS) + len(WHAT_IFS)} visible checks passed" in capsys.readouterr().out


def test_hidden_helper_defeats_the_lookup():
    with pytest.raises(Incorrect):
        expect_modes(lookup_by_id, HELD_OUT)
