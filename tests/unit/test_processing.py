"""mlsd.processing: the two-question tree, the table, the scenarios and the reference rule."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlsd.processing import (
    FIRST_QUESTION,
    GUIDE_HYBRID_LATENCY,
    MODES,
    SCENARIO_BY_ID,
    SCENARIO_FIELDS,
    SCENARIOS,
    SECOND_QUESTION,
    Scenario,
    TreeStep,
    classify,
    comparison_table,
    processing_mode,
    scenarios_table,
)

# --- the tree ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("needs", "fits", "mode"),
    [
        (False, True, "batch"),
        (False, False, "batch"),
        (True, True, "real-time"),
        (True, False, "hybrid"),
    ],
)
def test_tree_gives_the_mode_for_all_four_answers(needs, fits, mode):
    assert processing_mode(needs, fits)[0] == mode


@pytest.mark.parametrize("fits", [True, False])
def test_no_request_data_stops_after_the_first_question(fits):
    assert processing_mode(False, fits)[1] == (TreeStep(FIRST_QUESTION, False),)


@pytest.mark.parametrize("fits", [True, False])
def test_otherwise_the_second_question_is_asked(fits):
    _, steps = processing_mode(True, fits)
    assert steps == (TreeStep(FIRST_QUESTION, True), TreeStep(SECOND_QUESTION, fits))


@given(st.booleans(), st.booleans())
def test_every_mode_is_one_of_modes_and_steps_record_the_answers(needs, fits):
    mode, steps = processing_mode(needs, fits)
    assert mode in MODES
    assert [s.answer for s in steps] == ([True, fits] if needs else [False])


@pytest.mark.parametrize("bad", [1, 0, None, "yes", np.bool_(True), 1.0, [True]], ids=repr)
@pytest.mark.parametrize("position", [0, 1])
def test_non_bool_inputs_are_rejected_naming_the_argument(bad, position):
    args = [True, True]
    args[position] = bad
    name = ("needs_request_data", "fits_budget")[position]
    with pytest.raises(ValueError) as err:
        processing_mode(*args)
    assert str(err.value) == f"{name} must be True or False; got {bad!r}."


# --- the comparison table ---------------------------------------------------------------


def test_comparison_table_shape_and_labels():
    table = comparison_table()
    assert list(table.columns) == list(MODES)
    assert table.index.name == "dimension"
    assert "how long the user waits" in table.index
    assert "how old the data may be" in table.index
    assert table.notna().all().all()


def test_hybrid_is_not_a_seconds_tier():
    # The guide's "hybrid: seconds" is what the notebook corrects: the request-time part of
    # a hybrid system runs in milliseconds (a feed has 100-200 ms).
    waits = comparison_table().loc["how long the user waits"]
    assert GUIDE_HYBRID_LATENCY == "seconds"
    assert not re.search(r"\bseconds", waits["hybrid"]) and "milliseconds" in waits["hybrid"]
    assert "100-200 ms" in waits["hybrid"]
    assert "milliseconds" in waits["batch"]  # serving a stored answer is a lookup


def test_comparison_table_is_a_fresh_copy_each_call():
    table = comparison_table()
    table.loc["cost", "batch"] = "changed"
    assert comparison_table().loc["cost", "batch"] == "low"


# --- the reference rule -----------------------------------------------------------------


def record(needs=True, budget=100.0, items=1, per_item=10.0):
    return {
        "id": "x",
        "description": "",
        "needs_request_data": needs,
        "budget_ms": budget,
        "items_to_score": items,
        "ms_per_item": per_item,
    }


@pytest.mark.parametrize(
    ("kwargs", "mode"),
    [
        ({"needs": False, "items": 10**9}, "batch"),  # someone may wait: still a lookup
        ({"budget": 50.0, "items": 100, "per_item": 0.5}, "real-time"),  # exactly the budget
        ({"budget": 50.0, "items": 101, "per_item": 0.5}, "hybrid"),
        ({"budget": 10.0, "items": 8, "per_item": 1.25}, "real-time"),
        ({"budget": 100.0, "items": 1, "per_item": 150.0}, "hybrid"),
    ],
)
def test_classify_follows_the_two_questions(kwargs, mode):
    assert classify(record(**kwargs)) == mode


@given(
    st.booleans(),
    st.floats(0.01, 1e7),
    st.integers(1, 10**8),
    st.floats(1e-4, 1e3),
)
def test_classify_agrees_with_the_tree(needs, budget, items, per_item):
    fits = items * per_item <= budget
    assert classify(record(needs, budget, items, per_item)) == processing_mode(needs, fits)[0]


def test_classify_rejects_what_is_not_a_scenario():
    with pytest.raises(ValueError, match="^scenario must be a dict"):
        classify(["x"])
    incomplete = record()
    del incomplete["ms_per_item"]
    with pytest.raises(ValueError, match="missing ms_per_item"):
        classify(incomplete)
    with pytest.raises(ValueError, match="^needs_request_data must be True or False"):
        classify(record(needs="yes"))


# --- the scenarios ----------------------------------------------------------------------


def test_scenario_ids_are_unique_and_indexed():
    ids = [s.id for s in SCENARIOS]
    assert len(ids) == len(set(ids))
    assert all(SCENARIO_BY_ID[s.id] is s for s in SCENARIOS)


def test_every_mode_occurs_among_the_scenarios():
    modes = [s.mode for s in SCENARIOS]
    assert set(modes) == set(MODES)
    assert max(modes.count(m) for m in MODES) <= 3


def test_someone_waiting_does_not_make_a_scenario_real_time():
    # The misreading the first question guards against: a page that loads while the user
    # waits, whose answer depends only on data known in advance.
    waiting = [s for s in SCENARIOS if s.budget_ms <= 1000 and not s.needs_request_data]
    assert waiting and all(s.mode == "batch" for s in waiting)


@pytest.mark.parametrize(
    ("sid", "mode"),
    [
        ("card-fraud", "real-time"),
        ("weekly-churn-report", "batch"),
        ("home-feed", "hybrid"),
        ("also-bought", "batch"),
        ("ad-auction", "real-time"),
        ("newsletter", "batch"),
        ("login-risk", "real-time"),
        ("playlist-continuation", "hybrid"),
    ],
)
def test_known_scenarios_have_the_expected_mode(sid, mode):
    assert SCENARIO_BY_ID[sid].mode == mode


def test_home_feed_is_hybrid_although_the_user_waits():
    feed = SCENARIO_BY_ID["home-feed"]
    assert feed.needs_request_data and feed.budget_ms <= 200
    assert feed.full_answer_ms > feed.budget_ms
    assert "50,000 ms" in feed.explanation


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("needs_request_data", 1, "needs_request_data must be True or False"),
        ("budget_ms", 0, "budget_ms must be > 0 ms"),
        ("items_to_score", 0, "items_to_score must be a whole number >= 1"),
        ("ms_per_item", -1.0, "ms_per_item must be > 0 ms"),
    ],
)
def test_scenario_rejects_bad_properties(field, value, message):
    kwargs = SCENARIOS[0].__dict__ | {field: value}
    with pytest.raises(ValueError, match=message):
        Scenario(**kwargs)


def test_scenarios_table_lists_every_property_without_answers():
    table = scenarios_table()
    assert list(table.columns) == list(SCENARIO_FIELDS)
    assert table["id"].tolist() == [s.id for s in SCENARIOS]
    assert not table.isin(MODES).any().any()  # no column gives the answer away
    assert table.iloc[2].to_dict() == SCENARIOS[2].record()
