"""mlsd.processing: the batch / real-time / hybrid tree, the table and the scenarios."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlsd.processing import (
    MODES,
    SCENARIO_BY_ID,
    SCENARIOS,
    TreeStep,
    comparison_table,
    processing_mode,
    scenarios_table,
)

FIRST_Q = "Must a decision about a brand-new event be made at once?"
SECOND_Q = "Can every result be computed ahead of time?"


# --- the tree ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("immediate", "precomputable", "mode"),
    [
        (True, True, "real-time"),
        (True, False, "real-time"),
        (False, True, "batch"),
        (False, False, "hybrid"),
    ],
)
def test_tree_gives_the_mode_for_all_four_answers(immediate, precomputable, mode):
    assert processing_mode(immediate, precomputable)[0] == mode


@pytest.mark.parametrize("precomputable", [True, False])
def test_immediate_stops_after_the_first_question(precomputable):
    _, steps = processing_mode(True, precomputable)
    assert steps == (TreeStep(FIRST_Q, True),)


@pytest.mark.parametrize("precomputable", [True, False])
def test_otherwise_the_second_question_is_asked(precomputable):
    _, steps = processing_mode(False, precomputable)
    assert steps == (TreeStep(FIRST_Q, False), TreeStep(SECOND_Q, precomputable))


def test_modes_are_the_three_of_the_guide():
    assert MODES == ("batch", "real-time", "hybrid")


@given(st.booleans(), st.booleans())
def test_every_mode_is_one_of_modes_and_steps_record_the_answers(immediate, precomputable):
    mode, steps = processing_mode(immediate, precomputable)
    assert mode in MODES
    assert [s.answer for s in steps] == ([True] if immediate else [False, precomputable])


@pytest.mark.parametrize(
    "bad",
    [1, 0, None, "yes", "True", np.bool_(True), 1.0, [True]],
    ids=repr,
)
@pytest.mark.parametrize("position", [0, 1])
def test_non_bool_inputs_are_rejected_naming_the_argument(bad, position):
    args = [False, False]
    args[position] = bad
    name = ("immediate_decision", "precomputable")[position]
    with pytest.raises(ValueError) as err:
        processing_mode(*args)
    assert str(err.value) == f"{name} must be True or False; got {bad!r}."


def test_second_argument_is_validated_even_when_the_first_decides():
    with pytest.raises(ValueError, match="^precomputable"):
        processing_mode(True, "no")


# --- the comparison table ---------------------------------------------------------------


def test_comparison_table_shape_and_labels():
    table = comparison_table()
    assert table.shape == (5, 3)
    assert list(table.columns) == list(MODES)
    assert list(table.index) == ["latency", "freshness", "cost", "complexity", "typical use"]
    assert table.index.name == "dimension"
    assert table.notna().all().all()


def test_comparison_table_content_orders_the_modes():
    table = comparison_table()
    assert table.loc["latency", "batch"] == "hours to days"
    assert table.loc["latency", "real-time"] == "milliseconds"
    assert table.loc["latency", "hybrid"] == "seconds"
    assert table.loc["freshness"].tolist() == ["stale", "fresh", "medium"]
    for row in ("cost", "complexity"):
        assert table.loc[row].tolist() == ["low", "high", "medium"]
    assert "fraud" in table.loc["typical use", "real-time"]
    assert "recommendations" in table.loc["typical use", "hybrid"]


def test_comparison_table_is_a_fresh_copy_each_call():
    table = comparison_table()
    table.loc["cost", "batch"] = "changed"
    assert comparison_table().loc["cost", "batch"] == "low"


# --- the scenarios ----------------------------------------------------------------------


def test_scenario_ids_are_unique_and_indexed():
    ids = [s.id for s in SCENARIOS]
    assert len(ids) == len(set(ids))
    assert set(SCENARIO_BY_ID) == set(ids)
    assert all(SCENARIO_BY_ID[s.id] is s for s in SCENARIOS)


def test_every_mode_occurs_among_the_scenarios():
    # otherwise answering one mode for all could not be told apart from understanding
    modes = [s.mode for s in SCENARIOS]
    assert set(modes) == set(MODES)
    assert max(modes.count(m) for m in MODES) < len(SCENARIOS) - 1


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_scenario_mode_follows_the_tree(scenario):
    assert scenario.mode == processing_mode(scenario.immediate_decision, scenario.precomputable)[0]
    assert isinstance(scenario.immediate_decision, bool)
    assert isinstance(scenario.precomputable, bool)
    assert scenario.description.strip() and scenario.explanation.strip()


@pytest.mark.parametrize(
    ("sid", "mode"),
    [
        ("card-fraud", "real-time"),
        ("weekly-churn-report", "batch"),
        ("home-feed", "hybrid"),
        ("ad-auction", "real-time"),
        ("newsletter", "batch"),
        ("login-risk", "real-time"),
        ("playlist-continuation", "hybrid"),
    ],
)
def test_known_scenarios_have_the_expected_mode(sid, mode):
    assert SCENARIO_BY_ID[sid].mode == mode


def test_scenarios_table_lists_every_scenario_without_answers():
    table = scenarios_table()
    assert list(table.columns) == ["id", "scenario"]
    assert table["id"].tolist() == [s.id for s in SCENARIOS]
    assert table["scenario"].tolist() == [s.description for s in SCENARIOS]
    assert not table.isin(MODES).any().any()  # no column gives the answer away
