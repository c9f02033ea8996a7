"""mlsd.complexity: the claimed ladder, the measured spectrum and the pick rule."""

from __future__ import annotations

import time

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlsd.complexity import (
    BASELINE_ACCURACY_PCT,
    BASELINE_LATENCY_MS,
    CLAIMED_STEPS,
    MEASURED_COLUMNS,
    claimed_spectrum,
    explain_pick,
    measure_spectrum,
    pick_model,
    spectrum_summary,
)

TIME_LIMIT_S = 4.0


@pytest.fixture(scope="module")
def measured():
    measure_spectrum(repeats=10)  # pay scikit-learn's one-off import cost outside the timing
    start = time.perf_counter()
    table = measure_spectrum()
    return table, time.perf_counter() - start


def table_of(rows):
    return pd.DataFrame(rows, columns=["model", "accuracy_pct", "p50_ms", "p99_ms"])


LADDER = table_of(
    [
        ("a", 90.0, 0.2, 0.5),
        ("b", 93.0, 1.0, 3.0),
        ("c", 95.0, 2.0, 10.0),
        ("d", 95.0, 1.5, 8.0),
        ("e", 97.0, 20.0, 40.0),
    ]
)


# --- the guide's claims -------------------------------------------------------------------


def test_claimed_steps_are_the_guides():
    steps = [(s.accuracy_gain_pct, s.latency_cost_ms) for s in CLAIMED_STEPS]
    assert steps == [(10, 1), (5, 5), (3, 20), (2, 50), (1, 100)]


def test_claimed_spectrum_is_cumulative_from_the_stated_baseline():
    table = claimed_spectrum()
    assert list(table["model"])[:5] == [
        "logistic regression",
        "random forest",
        "gradient boosting",
        "neural network",
        "deep ensemble",
    ]
    assert table["accuracy_pct"].iloc[0] == BASELINE_ACCURACY_PCT
    assert table["latency_ms"].iloc[0] == BASELINE_LATENCY_MS
    assert list(table["accuracy_pct"]) == [75, 85, 90, 93, 95, 96]
    assert list(table["latency_ms"]) == [1, 2, 7, 27, 77, 177]
    assert (table["accuracy_pct"].diff().iloc[1:] == table["step_accuracy_pct"].iloc[1:]).all()


def test_claimed_spectrum_other_baseline():
    table = claimed_spectrum(60, 0.5)
    assert table["accuracy_pct"].iloc[-1] == 81
    assert table["latency_ms"].iloc[-1] == 176.5


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"baseline_accuracy_pct": 90}, "baseline_accuracy_pct"),  # 90 + 21 > 100
        ({"baseline_accuracy_pct": -1}, "baseline_accuracy_pct"),
        ({"baseline_latency_ms": 0}, "baseline_latency_ms"),
        ({"baseline_latency_ms": "1"}, "baseline_latency_ms"),
    ],
)
def test_claimed_spectrum_rejects_bad_baselines(kwargs, name):
    with pytest.raises(ValueError, match=name):
        claimed_spectrum(**kwargs)


# --- the measurement ----------------------------------------------------------------------


def test_measure_spectrum_returns_sane_values_quickly(measured):
    table, seconds = measured
    assert seconds < TIME_LIMIT_S, f"measure_spectrum took {seconds:.2f} s"
    assert tuple(table.columns) == MEASURED_COLUMNS
    assert list(table["model"]) == [
        "logistic regression",
        "random forest",
        "gradient boosting",
        "neural network (MLP)",
        "soft-voting ensemble",
    ]
    assert table["accuracy_pct"].between(85, 100).all()
    assert (table["p50_ms"] > 0).all() and (table["p99_ms"] >= table["p50_ms"]).all()
    assert (table["p99_ms"] < 1000).all()
    assert (table["train_s"] > 0).all()
    # The ensemble runs all four members, so it is the slowest, and trains the longest.
    ensemble = table.iloc[-1]
    assert ensemble["p50_ms"] == table["p50_ms"].max()
    assert ensemble["train_s"] == pytest.approx(table["train_s"].iloc[:-1].sum(), rel=0.5)


def test_measure_spectrum_accuracy_is_reproducible(measured):
    table, _ = measured
    again = measure_spectrum(repeats=10)
    assert list(again["accuracy_pct"]) == list(table["accuracy_pct"])


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"dataset": "iris"}, "dataset"),
        ({"seed": -1}, "seed"),
        ({"seed": 1.5}, "seed"),
        ({"repeats": 3}, "repeats"),
        ({"repeats": True}, "repeats"),
    ],
)
def test_measure_spectrum_rejects_bad_input(kwargs, name):
    with pytest.raises(ValueError, match=name):
        measure_spectrum(**kwargs)


def test_spectrum_summary_names_the_extremes(measured):
    table, _ = measured
    text = spectrum_summary(table)
    assert "points" in text and "ms" in text
    assert table.loc[table["accuracy_pct"].idxmax(), "model"] in text
    assert spectrum_summary(LADDER, "p99_ms").startswith("Accuracy spans 90.0-97.0 %")


# --- the pick rule ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("budget", "col", "expected"),
    [
        (0.4, "p99_ms", None),  # nothing fits
        (0.5, "p99_ms", "a"),  # exactly at the budget fits
        (3, "p99_ms", "b"),
        (8, "p99_ms", "d"),  # d fits at exactly 8; c (10) does not
        (10, "p99_ms", "d"),  # c and d tie at 95 %: d is faster
        (39.99, "p99_ms", "d"),
        (40, "p99_ms", "e"),
        (1.0, "p50_ms", "b"),
        (1.5, "p50_ms", "d"),
        (2.0, "p50_ms", "d"),  # tie again, by p50 d (1.5) beats c (2.0)
        (19.9, "p50_ms", "d"),
        (20, "p50_ms", "e"),
        (0.1, "p50_ms", None),
    ],
)
def test_pick_model_cases(budget, col, expected):
    assert pick_model(LADDER, budget, col) == expected


def test_pick_model_default_column_is_p99():
    assert pick_model(LADDER, 3) == "b"  # by p50 it would be d
    assert pick_model(LADDER, 3, "p50_ms") == "d"


def test_pick_model_exact_tie_goes_to_the_earlier_row():
    twins = table_of([("first", 95.0, 1.0, 1.0), ("second", 95.0, 1.0, 1.0)])
    assert pick_model(twins, 5) == "first"


def test_pick_model_on_the_claimed_ladder():
    claimed = claimed_spectrum()
    assert pick_model(claimed, 7, "latency_ms") == "gradient boosting"
    assert pick_model(claimed, 100, "latency_ms") == "deep ensemble"
    assert pick_model(claimed, 0.5, "latency_ms") is None


def test_pick_model_does_not_modify_the_table():
    copy = LADDER.copy()
    pick_model(LADDER, 10)
    pd.testing.assert_frame_equal(LADDER, copy)


def test_pick_model_empty_table():
    assert pick_model(LADDER.iloc[0:0], 10) is None


@pytest.mark.parametrize(
    ("args", "name"),
    [
        ((LADDER, 0), "latency_budget_ms"),
        ((LADDER, -5), "latency_budget_ms"),
        ((LADDER, float("nan")), "latency_budget_ms"),
        ((LADDER, "10"), "latency_budget_ms"),
        ((LADDER, 10, "p95_ms"), "latency_col"),
        ((LADDER, 10, 99), "latency_col"),
        ((LADDER.drop(columns="accuracy_pct"), 10), "accuracy_pct"),
        ((LADDER.drop(columns="model"), 10), "model"),
        ((LADDER.to_dict(), 10), "table"),
    ],
)
def test_pick_model_rejects_bad_input(args, name):
    with pytest.raises(ValueError, match=name):
        pick_model(*args)


rows = st.lists(
    st.tuples(
        st.floats(50, 100, allow_nan=False),
        st.floats(0.01, 500, allow_nan=False),
    ),
    min_size=0,
    max_size=8,
)


def spectrum(pairs):
    return pd.DataFrame(
        {
            "model": [f"m{i}" for i in range(len(pairs))],
            "accuracy_pct": [a for a, _ in pairs],
            "p99_ms": [lat for _, lat in pairs],
        }
    )


@settings(max_examples=60, deadline=None)
@given(rows, st.floats(0.01, 600, allow_nan=False))
def test_pick_fits_and_nothing_that_fits_is_more_accurate(pairs, budget):
    table = spectrum(pairs)
    chosen = pick_model(table, budget)
    fits = table[table["p99_ms"] <= budget]
    if fits.empty:
        assert chosen is None
        return
    row = table[table["model"] == chosen].iloc[0]
    assert row["p99_ms"] <= budget
    assert row["accuracy_pct"] == fits["accuracy_pct"].max()
    tied = fits[fits["accuracy_pct"] == row["accuracy_pct"]]
    assert row["p99_ms"] == tied["p99_ms"].min()


@settings(max_examples=60, deadline=None)
@given(rows, st.floats(0.01, 300, allow_nan=False), st.floats(0, 300, allow_nan=False))
def test_more_budget_never_buys_less_accuracy(pairs, budget, extra):
    table = spectrum(pairs)
    accuracy = table.set_index("model")["accuracy_pct"]
    small, large = pick_model(table, budget), pick_model(table, budget + extra)
    if small is not None:
        assert large is not None and accuracy[large] >= accuracy[small]


# --- the explanation ----------------------------------------------------------------------


def test_explain_pick_names_the_pick_and_what_was_too_slow():
    text = explain_pick(LADDER, 3)
    assert text.startswith("b:") and "<= 3 ms" in text
    assert "over budget" in text and "e (97.0 %" in text


def test_explain_pick_mentions_a_tie():
    assert "Tied on accuracy but slower: c" in explain_pick(LADDER, 10)


def test_explain_pick_when_nothing_fits():
    text = explain_pick(LADDER, 0.1)
    assert text.startswith("Nothing fits") and "a, needs 0.50 ms" in text
